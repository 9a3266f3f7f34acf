/// \file
/// HotSpot's floorplan, layer configuration and materials files (github.com/uvahotspot/HotSpot):
///  - .flp: `examples/example1/ev6.flp` ("<unit-name> <width> <height> <left-x> <bottom-y>
///    [<specific-heat>] [<resistivity>]", metres, '#' comments).
///  - .lcf: `examples/example3/example.lcf`; `temperature_grid.c`, parse_layer_file: the
///    fourth line of a layer is a specific heat or, if it is not a number, the name of a
///    material, which then stands for both the specific heat and the resistivity (the layer
///    has six lines); a floorplan file ending in ".csv" (NETWORK_EXTENSION, microchannel.h) is
///    a microchannel network (`examples/example5/example.lcf`).
///  - materials file: `examples/example1/example.materials`; `materials.c`,
///    materials_add_from_file: name, "solid" or "fluid", conductivity W/(m K), volumetric heat
///    capacity J/(m³ K), and for a fluid its dynamic viscosity Pa s.
#include "cases/import/import_hotspot_files.hpp"

#include <algorithm>
#include <cmath>

#include "cases/read/toml_helpers.hpp"

namespace cposim::cases::import_detail {

namespace {

constexpr double kUmPerM = 1e6;

/// Snaps the edge coordinates `edges` (all left and right, or bottom and top, edges of a
/// floorplan): coordinates within `snap_m` (> 0) of the first of a run move to one value, the
/// outline's own edge where the run holds it, else the run's median. Returns value → snapped
/// value.
std::map<double, double> snap_axis(std::vector<double> edges, double snap_m) {
  std::sort(edges.begin(), edges.end());
  const double lo = edges.front(), hi = edges.back();
  std::map<double, double> to;
  for (std::size_t i = 0; i < edges.size();) {
    std::size_t j = i;
    while (j < edges.size() && edges[j] - edges[i] < snap_m) ++j;
    double target = edges[i + (j - i) / 2];
    if (edges[i] == lo) target = lo;
    if (edges[j - 1] == hi) target = hi;
    for (std::size_t k = i; k < j; ++k) to[edges[k]] = target;
    i = j;
  }
  return to;
}

void snap_edges(Floorplan& flp, double snap_m) {
  std::vector<double> xs, ys;
  for (const Unit& u : flp.units) {
    xs.insert(xs.end(), {u.left_m, u.left_m + u.width_m});
    ys.insert(ys.end(), {u.bottom_m, u.bottom_m + u.height_m});
  }
  const auto sx = snap_axis(xs, snap_m), sy = snap_axis(ys, snap_m);
  for (Unit& u : flp.units) {
    const double x0 = sx.at(u.left_m), x1 = sx.at(u.left_m + u.width_m);
    const double y0 = sy.at(u.bottom_m), y1 = sy.at(u.bottom_m + u.height_m);
    if (!(x1 > x0) || !(y1 > y0))
      throw CaseError(u.where, "unit '" + u.name + "' is " + format_number(u.width_m * kUmPerM) +
                                   " x " + format_number(u.height_m * kUmPerM) +
                                   " µm; units must be larger than the snapping distance " +
                                   format_number(snap_m * kUmPerM) +
                                   " µm in both directions (--hotspot-snap-um sets it)");
    for (const double shift :
         {x0 - u.left_m, x1 - u.left_m - u.width_m, y0 - u.bottom_m, y1 - u.bottom_m - u.height_m})
      flp.snapped_m = std::max(flp.snapped_m, std::abs(shift));
    u.left_m = x0;
    u.width_m = x1 - x0;
    u.bottom_m = y0;
    u.height_m = y1 - y0;
  }
}

void check_overlaps(const Floorplan& flp) {
  for (std::size_t i = 0; i < flp.units.size(); ++i)
    for (std::size_t j = 0; j < i; ++j) {
      const Unit& u = flp.units[i];
      const Unit& other = flp.units[j];
      if (other.name == u.name)
        throw CaseError(u.where, "unit '" + u.name + "' is already defined at line " +
                                     std::to_string(other.where.line));
      const double ox = std::min(u.left_m + u.width_m, other.left_m + other.width_m) -
                        std::max(u.left_m, other.left_m);
      const double oy = std::min(u.bottom_m + u.height_m, other.bottom_m + other.height_m) -
                        std::max(u.bottom_m, other.bottom_m);
      if (ox > kTouch_m && oy > kTouch_m)
        throw CaseError(u.where, "unit '" + u.name + "' overlaps unit '" + other.name + "' (line " +
                                     std::to_string(other.where.line) + ") by " +
                                     format_number(ox * kUmPerM) + " x " +
                                     format_number(oy * kUmPerM) + " µm; units must not overlap");
    }
}

bool yes_no(const std::string& file, const Line& line, const std::string& what) {
  const std::string& t = line.words.front().text;
  if (line.words.size() == 1 && (t == "Y" || t == "y")) return true;
  if (line.words.size() == 1 && (t == "N" || t == "n")) return false;
  throw CaseError(at(file, line.number, line.words.front().column),
                  what + " must be Y or N, got '" + t + "'");
}

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

}  // namespace

SourceLocation at(const std::string& file, int line, int column) { return {file, line, column}; }

double number_at(const std::string& file, const Line& line, std::size_t index,
                 const std::string& what) {
  const Word& w = line.words[index];
  const auto v = parse_number(w.text);
  if (!v)
    throw CaseError(at(file, line.number, w.column),
                    what + " must be a number, got '" + w.text + "'");
  return *v;
}

double positive_at(const std::string& file, const Line& line, std::size_t index,
                   const std::string& what, const std::string& unit) {
  const double v = number_at(file, line, index, what);
  if (!(v > 0.0))
    throw CaseError(at(file, line.number, line.words[index].column),
                    what + " must be > 0 " + unit + ", got " + line.words[index].text);
  return v;
}

Floorplan read_flp(const std::string& path, double snap_m) {
  Floorplan flp{path, {}, 0, 0, 0, 0, 0};
  const std::string format =
      "<unit-name> <width> <height> <left-x> <bottom-y> [<specific-heat> <resistivity>]";
  for (const Line& line : significant_lines(read_text_file(path, "floorplan file"))) {
    const std::size_t n = line.words.size();
    if (n != 5 && n != 7)
      throw CaseError(at(path, line.number, line.words.front().column),
                      "a floorplan line has 5 or 7 fields: " + format +
                          " (metres; J/(m³ K); m K/W), got " + std::to_string(n));
    Unit u;
    u.name = line.words[0].text;
    u.where = at(path, line.number, line.words[0].column);
    if (!is_valid_name(u.name))
      throw CaseError(u.where, "unit names must be " + name_rule() + ", got '" + u.name + "'");
    u.width_m = positive_at(path, line, 1, "the width of unit '" + u.name + "'", "m");
    u.height_m = positive_at(path, line, 2, "the height of unit '" + u.name + "'", "m");
    u.left_m = number_at(path, line, 3, "the left-x of unit '" + u.name + "'");
    u.bottom_m = number_at(path, line, 4, "the bottom-y of unit '" + u.name + "'");
    if (n == 7) {
      u.specific_heat =
          positive_at(path, line, 5, "the specific heat of unit '" + u.name + "'", "J/(m³ K)");
      u.resistivity =
          positive_at(path, line, 6, "the resistivity of unit '" + u.name + "'", "m K/W");
    }
    flp.units.push_back(u);
  }
  if (flp.units.empty())
    throw CaseError({path, 0, 0}, "the floorplan has no units (expected lines of " + format + ")");
  snap_edges(flp, std::max(snap_m, kTouch_m));
  check_overlaps(flp);
  flp.x0 = flp.y0 = INFINITY;
  flp.x1 = flp.y1 = -INFINITY;
  for (const Unit& u : flp.units) {
    flp.x0 = std::min(flp.x0, u.left_m);
    flp.y0 = std::min(flp.y0, u.bottom_m);
    flp.x1 = std::max(flp.x1, u.left_m + u.width_m);
    flp.y1 = std::max(flp.y1, u.bottom_m + u.height_m);
  }
  return flp;
}

const HotSpotMaterial& MaterialsFile::find(const std::string& name,
                                           const SourceLocation& where) const {
  if (path.empty())
    throw CaseError(where, "material '" + name +
                               "' is named, but no materials file was given (--materials FILE, "
                               "or -materials_file in the config)");
  const auto it = by_name.find(name);
  if (it != by_name.end()) return it->second;
  std::string known;
  for (const auto& [n, m] : by_name) known += (known.empty() ? "" : ", ") + n;
  throw CaseError(where, "unknown material '" + name + "'; the materials file " + path +
                             " has: " + (known.empty() ? std::string("none") : known));
}

MaterialsFile read_materials(const std::string& path) {
  MaterialsFile out;
  out.path = path;
  const auto lines = significant_lines(read_text_file(path, "materials file"));
  static const char* kFormat =
      "a materials file has per material: its name, 'solid' or 'fluid', the thermal "
      "conductivity W/(m K), the volumetric heat capacity J/(m³ K) and, for a fluid, the "
      "dynamic viscosity Pa s, each on its own line";
  for (std::size_t i = 0; i < lines.size();) {
    for (std::size_t f = 0; f < 4 && i + f < lines.size(); ++f)
      if (lines[i + f].words.size() != 1)
        throw CaseError(at(path, lines[i + f].number, lines[i + f].words[1].column),
                        std::string(kFormat) + "; unexpected '" + lines[i + f].words[1].text + "'");
    if (i + 4 > lines.size())
      throw CaseError(at(path, lines.back().number, 1),
                      std::string(kFormat) + "; the last material is incomplete");
    HotSpotMaterial m;
    m.name = lines[i].words[0].text;
    m.where = at(path, lines[i].number, 1);
    const std::string& type = lines[i + 1].words[0].text;
    if (type != "solid" && type != "fluid")
      throw CaseError(
          at(path, lines[i + 1].number, 1),
          "the type of material '" + m.name + "' must be solid or fluid, got '" + type + "'");
    m.fluid = type == "fluid";
    m.k_W_per_mK = positive_at(path, lines[i + 2], 0,
                               "the conductivity of material '" + m.name + "'", "W/(m K)");
    m.specific_heat =
        positive_at(path, lines[i + 3], 0,
                    "the volumetric heat capacity of material '" + m.name + "'", "J/(m³ K)");
    i += 4;
    if (m.fluid) {
      if (i >= lines.size())
        throw CaseError(at(path, lines.back().number, 1),
                        "fluid '" + m.name + "' lacks its dynamic viscosity (Pa s)");
      m.viscosity_Pa_s =
          positive_at(path, lines[i], 0, "the dynamic viscosity of fluid '" + m.name + "'", "Pa s");
      ++i;
    }
    const auto [it, fresh] = out.by_name.emplace(m.name, m);
    if (!fresh)
      throw CaseError(m.where, "material '" + m.name + "' is already defined at line " +
                                   std::to_string(it->second.where.line));
  }
  return out;
}

std::vector<Layer> read_lcf(const std::string& path, const MaterialsFile& materials,
                            double snap_m) {
  const auto lines = significant_lines(read_text_file(path, "layer configuration file"));
  static const std::string kFormat =
      "a layer configuration file has per layer: the layer number, lateral heat flow Y/N, "
      "power dissipation Y/N, the specific heat J/(m³ K) and the resistivity m K/W (or the "
      "name of a material of the materials file in their place), the thickness m and the "
      "floorplan file, each on its own line";
  std::vector<Layer> layers;
  const std::string folder = folder_of(path);
  std::size_t i = 0;
  auto next = [&](const char* what) -> const Line& {
    if (i >= lines.size())
      throw CaseError(lines.empty() ? at(path, 0, 0) : at(path, lines.back().number, 1),
                      kFormat + "; the last layer lacks " + what);
    const Line& line = lines[i++];
    if (line.words.size() != 1)
      throw CaseError(at(path, line.number, line.words[1].column),
                      std::string(what) + " must be alone on its line");
    return line;
  };
  if (lines.empty()) throw CaseError(at(path, 0, 0), kFormat + "; the file has none");
  while (i < lines.size()) {
    Layer l;
    const Line& number_line = next("the layer number");
    l.where = at(path, number_line.number, 1);
    const double number = number_at(path, number_line, 0, "the layer number");
    if (number != static_cast<double>(layers.size()))
      throw CaseError(l.where, "layers must be numbered 0, 1, 2, ... in order; expected " +
                                   std::to_string(layers.size()) + ", got " +
                                   number_line.words[0].text);
    l.number = static_cast<int>(layers.size());
    l.lateral = yes_no(path, next("lateral heat flow (Y/N)"), "lateral heat flow");
    l.power = yes_no(path, next("power dissipation (Y/N)"), "power dissipation");
    const Line& sp = next("the specific heat (J/(m³ K)) or a material name");
    if (parse_number(sp.words[0].text)) {
      l.specific_heat = positive_at(path, sp, 0, "the specific heat", "J/(m³ K)");
      l.resistivity =
          positive_at(path, next("the resistivity (m K/W)"), 0, "the resistivity", "m K/W");
    } else {
      const HotSpotMaterial& m = materials.find(sp.words[0].text, at(path, sp.number, 1));
      l.material = m.name;
      l.specific_heat = m.specific_heat;
      l.resistivity = 1.0 / m.k_W_per_mK;
    }
    l.thickness_m = positive_at(path, next("the thickness (m)"), 0, "the thickness", "m");
    const Line& flp_line = next("the floorplan file");
    l.flp_where = at(path, flp_line.number, 1);
    const std::string& flp_name = flp_line.words[0].text;
    if (ends_with(flp_name, ".csv")) {  // a microchannel network: its cells come with the grid
      l.network = resolve(folder, flp_name);
      layers.push_back(std::move(l));
      continue;
    }
    l.flp = read_flp(resolve(folder, flp_name), snap_m);
    layers.push_back(std::move(l));
  }
  return layers;
}

Trace read_ptrace(const std::string& path) {
  const auto lines = significant_lines(read_text_file(path, "power trace"));
  if (lines.empty())
    throw CaseError(
        {path, 0, 0},
        "the power trace is empty (expected a line of unit names, then lines of powers in W)");
  Trace t;
  t.names = lines[0].words;
  t.header_line = lines[0].number;
  for (std::size_t i = 0; i < t.names.size(); ++i) {
    if (parse_number(t.names[i].text))
      throw CaseError(
          at(path, t.header_line, t.names[i].column),
          "the first line of a power trace names the units, got the number " + t.names[i].text);
    for (std::size_t j = 0; j < i; ++j)
      if (t.names[j].text == t.names[i].text)
        throw CaseError(at(path, t.header_line, t.names[i].column),
                        "unit '" + t.names[i].text + "' appears twice in the power trace header");
  }
  std::vector<double> sum(t.names.size(), 0.0);
  t.values_W.resize(t.names.size());
  for (std::size_t r = 1; r < lines.size(); ++r) {
    const Line& line = lines[r];
    if (line.words.size() != t.names.size())
      throw CaseError(at(path, line.number, line.words.back().column),
                      "this row has " + std::to_string(line.words.size()) +
                          " power values; the header names " + std::to_string(t.names.size()) +
                          " units");
    for (std::size_t i = 0; i < line.words.size(); ++i) {
      const double v = number_at(path, line, i, "the power of unit '" + t.names[i].text + "'");
      if (v < 0.0)
        throw CaseError(at(path, line.number, line.words[i].column),
                        "the power of unit '" + t.names[i].text + "' must be >= 0 W, got " +
                            line.words[i].text);
      sum[i] += v;
      t.values_W[i].push_back(v);
    }
  }
  t.rows = lines.size() - 1;
  if (t.rows == 0)
    throw CaseError(at(path, t.header_line, 1),
                    "the power trace has unit names but no rows of power values");
  for (double& s : sum) s /= static_cast<double>(t.rows);
  t.average_W = sum;
  return t;
}

}  // namespace cposim::cases::import_detail
