/// \file
/// 3D-ICE → cposim case.
///
/// The grammar, as 3D-ICE reads it (github.com/esl-epfl/3d-ice): `bison/stack_description_parser.y`
/// and `flex/stack_description_scanner.l` for the .stk file (4.0; 2.x's `conventional heat
/// sink` and inline stack layers are accepted too), `bison/floorplan_parser.y` and
/// `flex/floorplan_scanner.l` for the floorplans; examples in `bin/example_steady.stk`,
/// `bin/example_transient_nonuniform.stk`, `bin/core.flp`, `bin/mem_mat.flp`. Units: lengths µm,
/// conductivity W/(µm K), volumetric heat capacity J/(µm³ K), heat transfer coefficient
/// W/(µm² K), temperature K, power W (`include/types.h`, `include/material.h`). The stack is
/// listed from the top-most element down, and so are the layers of a die (the parser computes
/// the layer offsets from the last element up). `//` and `/* */` are comments.
#include "cases/import/import_3dice.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>

#include "cases/import/import_3dice_cavity.hpp"
#include "cases/import/import_3dice_parse.hpp"
#include "cases/import/import_text.hpp"
#include "cases/read/toml_helpers.hpp"
#include "cases/spec/case_error.hpp"

namespace cposim::cases {

namespace {

using namespace import_detail;
using namespace import_detail::ice;

constexpr double kWPerMK_per_WPerUmK = 1e6;     // W/(µm K) → W/(m K)
constexpr double kJPerM3K_per_JPerUm3K = 1e18;  // J/(µm³ K) → J/(m³ K)
constexpr double kWPerM2K_per_WPerUm2K = 1e12;  // W/(µm² K) → W/(m² K)
constexpr std::size_t kMaxProbes = 256;

/// A stack element's `discretization X Y` (cells across the chip in its layers) as a minimum
/// resolution: a refinement zone over the element's z range.
void add_element_discretization(const Stack& s, const StackElement& e, double z0, double z1,
                                ImportedCase& c) {
  if (!(e.discr_x > 0) || !(z1 > z0)) return;
  c.refine.push_back({{0, 0, z0},
                      {s.chip_length, s.chip_width, z1 - z0},
                      {s.chip_length / e.discr_x, s.chip_width / e.discr_y, z1 - z0},
                      "3D-ICE discretization " + format_number(e.discr_x) + " " +
                          format_number(e.discr_y) + " of stack element " + e.id});
}

/// 3D-ICE's cell size resolves averages; a maximum inside a powered element needs several
/// cells across it. The lateral cell cap becomes at most the smallest powered rectangle's
/// side / kCellsAcrossElement (not below the chip / kMaxCellsAcrossChip).
void fine_enough_for_maxima(const Stack& s, double smallest_powered_um, ImportedCase& c) {
  constexpr double kCellsAcrossElement = 8, kMaxCellsAcrossChip = 256;
  const double cell_side = *c.max_cell_xy_um;
  if (std::isfinite(smallest_powered_um)) {
    const double floor_um = std::min(s.chip_length, s.chip_width) / kMaxCellsAcrossChip;
    const double cap = std::max(smallest_powered_um / kCellsAcrossElement, floor_um);
    if (cap < cell_side) {
      c.max_cell_xy_um = cap;
      c.notes.push_back("grid: max_cell_xy_um = " + format_number(cap) +
                        " um, finer than 3D-ICE's cell (" + format_number(cell_side) +
                        " um), so that the smallest powered element (" +
                        format_number(smallest_powered_um) + " um across) spans " +
                        format_number(std::round(smallest_powered_um / cap)) +
                        " cells and its maximum is resolved, not only its average");
      return;
    }
  }
  if (cell_side == std::min(s.cell_length, s.cell_width))
    c.notes.push_back("grid: max_cell_xy_um = the smaller 3D-ICE cell side (" +
                      format_number(cell_side) + " um); cposim grades its own grid");
}

/// The lateral cell cap: 3D-ICE's smaller cell side, except that across the flow (x; the
/// coolant flows along y) a channel cavity needs no cell finer than its pitch: cposim
/// homogenises the channels and walls, so finer cells resolve nothing more (3D-ICE's cell
/// length there is the channel width, which it must resolve).
double lateral_cell_cap(const Stack& s, ImportedCase& c) {
  const double smaller = std::min(s.cell_length, s.cell_width);
  if (!s.cavity) return smaller;
  const Cavity& v = *s.cavity;
  const double pitch = v.model == "pinfin" ? v.pin_pitch_um : v.channel_um + v.wall_um;
  const double cap = std::min(s.cell_width, std::max(s.cell_length, pitch));
  if (cap > smaller)
    c.notes.push_back("grid: max_cell_xy_um = " + format_number(cap) + " um: 3D-ICE's cell (" +
                      format_number(s.cell_length) + " x " + format_number(s.cell_width) +
                      " um) across the flow only resolves its " + format_number(v.channel_um) +
                      " um channels; cposim homogenises the " + v.model +
                      " cavity, so cells finer than its pitch (" + format_number(pitch) +
                      " um) across the flow resolve nothing more (3D-ICE's test/mc4rm "
                      "transient at 50 um cells agreed with 200 um cells to 0.002 K)");
  return cap;
}

/// The floorplan file of a die element: 3D-ICE opens it relative to its working directory; the
/// import tries the .stk's folder first, then the working directory, then the folders above the
/// .stk's (3D-ICE's own tests name "test/…" paths from the repository and run from `test/`).
/// Throws at the .stk line when none exists.
std::string find_floorplan(const std::string& stk_path, const StackElement& e,
                           std::vector<std::string>& notes) {
  const std::string& name = e.floorplan;
  auto exists = [](const std::string& p) { return std::ifstream(p).good(); };
  if (!name.empty() && name[0] == '/') {
    if (exists(name)) return name;
    throw CaseError(e.floorplan_where, "cannot open the floorplan file '" + name + "'");
  }
  const std::string folder = folder_of(stk_path);
  std::vector<std::string> tried{resolve(folder, name), name};
  for (auto up = std::filesystem::path(folder).lexically_normal();
       up.has_parent_path() && up.parent_path() != up;) {
    up = up.parent_path();
    tried.push_back((up / name).string());
  }
  for (std::size_t i = 0; i < tried.size(); ++i)
    if (exists(tried[i])) {
      if (i > 0)
        notes.push_back("the floorplan '" + name + "' of stack element " + e.id + " is " +
                        tried[i] +
                        (i == 1 ? " (relative to the working directory, as 3D-ICE opens it)"
                                : " (relative to a folder above the .stk's)"));
      return tried[i];
    }
  std::string list;
  for (const auto& t : tried) list += (list.empty() ? "" : ", ") + t;
  throw CaseError(
      e.floorplan_where,
      "cannot open the floorplan file '" + name + "' of stack element " + e.id + ": tried " + list +
          " (the .stk's folder, the working directory and the folders above the .stk's)");
}

/// The case's title, header, footprint and default cell; checks that the stack has a die and
/// a heat sink (3D-ICE only warns without one; cposim needs a convection face).
ImportedCase start_case(const Stack& s, const std::string& stk_path) {
  ImportedCase c;
  c.title = "imported from 3D-ICE: " + stk_path;
  c.header = {"Imported from 3D-ICE by 'cposim import 3dice'.", "stack description: " + stk_path,
              "Units converted from 3D-ICE's um-based SI: k x 1e6, c_v x 1e18, h x 1e12.",
              "Volumetric heat capacities c_v are kept as rho = 1000 kg/m3 and cp = c_v / 1000."};
  c.footprint_um = {s.chip_length, s.chip_width};
  c.max_cell_xy_um = lateral_cell_cap(s, c);

  bool has_die = false;
  for (const auto& e : s.elements) has_die = has_die || e.kind == StackElement::Kind::die;
  if (!has_die)
    throw CaseError(s.elements.front().where, "the stack must contain at least one die");
  if (!s.top && !s.bottom && !s.cavity)
    throw CaseError(
        {stk_path, 0, 0},
        "the stack declares no heat sink and no channel: cposim needs a convection face "
        "or a coolant cavity; "
        "add 'top heat sink : heat transfer coefficient H ; temperature T ;'");
  return c;
}

/// The top and bottom heat sinks as convection faces.
void add_heat_sinks(const Stack& s, ImportedCase& c) {
  if (s.top)
    c.faces.push_back({"top", s.top->htc * kWPerM2K_per_WPerUm2K, s.top->T,
                       "3D-ICE top heat sink: " + format_number(s.top->htc) + " W/(um2 K)"});
  if (s.bottom)
    c.faces.push_back({"bottom", s.bottom->htc * kWPerM2K_per_WPerUm2K, s.bottom->T,
                       "3D-ICE bottom heat sink: " + format_number(s.bottom->htc) + " W/(um2 K)"});
}

/// The [transient] table of a transient stack (backward Euler at 3D-ICE's step, to the end of
/// the last of `slots` power slots) or the note on a steady one's first power values; warns
/// when the stack imports at 0 W.
void add_analysis(const Stack& s, std::size_t slots, ImportedCase& c) {
  if (s.transient) {
    // 3D-ICE integrates with backward Euler at a fixed step; every slot holds one power value.
    ImportedTransient t;
    t.backward_euler = true;
    t.end_time_s = static_cast<double>(std::max<std::size_t>(slots, 1)) * s.slot_s;
    const double outputs =
        std::ceil(static_cast<double>(std::max<std::size_t>(slots, 1)) / 10000.0);
    t.output_interval_s = outputs * s.slot_s;
    const bool each_step = std::any_of(s.output_points.begin(), s.output_points.end(),
                                       [](const OutputPoint& p) { return p.each_step; });
    if (each_step)  // T ( ..., step ): 3D-ICE writes every step (at most 10000 outputs here)
      t.output_interval_s =
          std::ceil(std::round(t.end_time_s / s.step_s) / 10000.0 - 1e-9) * s.step_s;
    if (t.end_time_s / s.step_s <= 1e6) t.fixed_step_s = s.step_s;
    t.initial_T_K = s.initial_T_K;
    t.comment = "3D-ICE transient step " + format_number(s.step_s) + " s, slot " +
                format_number(s.slot_s) + " s";
    c.transient = t;
    const std::size_t shown_slots = std::max<std::size_t>(slots, 1);
    c.notes.push_back("transient: backward Euler at 3D-ICE's step " + format_number(s.step_s) +
                      " s up to " + format_number(t.end_time_s) + " s (" +
                      std::to_string(shown_slots) + (shown_slots == 1 ? " slot" : " slots") +
                      " of " + format_number(s.slot_s) + " s) from " +
                      format_number(s.initial_T_K) +
                      " K; power_W is each element's mean and its power_waveform steps through "
                      "the slot values");
    if (!t.fixed_step_s)
      c.notes.push_back("more than 1e6 fixed steps: the time step is adaptive instead");
  } else if (slots > 1)
    c.notes.push_back(
        "steady analysis: each element dissipates its first power value, as "
        "3D-ICE's steady solve; the other " +
        std::to_string(slots - 1) + " values are not imported");
  double total_W = 0;
  for (const auto& b : c.blocks) total_W += b.power_W.value_or(0.0);
  if (!(total_W > 0))
    c.warnings.push_back(
        std::string(slots == 0 ? "no floorplan element gives power values"
                               : "every floorplan element's power is 0 W") +
        ": the stack imports at 0 W (3D-ICE's client-server mode sends the powers at run "
        "time); set the blocks' power_W in the case");
}

/// The output requests other than T ( ... ): no such file is written; each warning, at the
/// request's .stk line, names the nearest thing cposim writes.
void warn_other_outputs(const Stack& s, ImportedCase& c) {
  const std::string regions =
      " (T_max, T_mean, T_min in the run summary and summary.json; in a transient, the "
      "probes.csv columns '<region>_T_max_K', '_T_mean_K', '_T_min_K' at every output time)";
  for (const OtherOutput& o : s.other_outputs) {
    std::string nearest;
    if (o.kind == "Tflp")
      nearest = "the floorplan elements of " + o.target + " are the regions '" + o.target +
                ".<element>'" + regions;
    else if (o.kind == "Tflpel")
      nearest = "the element is the region '" + o.target + "'" + regions;
    else if (o.kind == "Tmap" || o.kind == "T3d")
      nearest = "the temperature field is in results.h5 (/fields/temperature_K on the grid; " +
                std::string(o.kind == "Tmap" ? "the die's source layer is a slice of it, " : "") +
                "map_hottest.png shows the hottest layer)";
    else if (o.kind == "Tcoolant")
      nearest =
          "the coolant's outlet is in the run summary ('coolant cavities') and "
          "results.h5 (/cavities/cavities, /cavities/fluid per lane step)";
    else
      nearest = "cposim has no equivalent output";
    c.warnings.push_back(o.where.file + ":" + std::to_string(o.where.line) + ":" +
                         std::to_string(o.where.column) + ": output request " + o.kind + " (" +
                         o.target + ", ...) is not produced as a file: " + nearest);
  }
}

/// Notes on what the stack gives that the case keeps differently.
void add_closing_notes(const Stack& s, bool counts_differ, std::size_t probes_skipped,
                       ImportedCase& c) {
  if (counts_differ)
    c.notes.push_back(
        "floorplan elements give different numbers of power values" +
        std::string(s.transient ? ": a shorter list holds its last value to the end" : ""));
  if (s.discretization)
    c.notes.push_back(
        "3D-ICE's discretization settings are minimum resolutions here: [[grid.refine]] zones "
        "with cells no larger than 3D-ICE's (cposim grades its own grid)");
  else if (s.nonuniform)
    c.notes.push_back("non-uniform true: cposim grades its own grid");
  if (!s.output_points.empty())
    c.notes.push_back(
        "output requests T ( DIE, X, Y, ... ) are probes 'DIE.T_X_Y' at the centre of 3D-ICE's "
        "cell holding (x, y), mid-height of the die's source layer" +
        std::string(s.transient ? " (written every step when 3D-ICE's are)" : ""));
  warn_other_outputs(s, c);
  if (probes_skipped > 0)
    c.notes.push_back("probes were added for the first " + std::to_string(kMaxProbes) +
                      " powered elements only");
}

/// A die's source layer: its bottom z and height (µm) and its material's case name.
struct SourceLayer {
  double z_um = 0, h_um = 0;
  std::string material;
};

/// Centre (µm) of the 3D-ICE cell of side `cell` holding `v` on a chip `extent` long.
double cell_centre(double v, double cell, double extent) {
  const double n = std::max(1.0, std::round(extent / cell));
  return (std::clamp(std::floor(v / cell), 0.0, n - 1.0) + 0.5) * cell;
}

/// The `T ( DIE, X, Y, ... )` output requests as probes (ahead of the element probes): the
/// centre of the 3D-ICE thermal cell holding (x, y), mid-height of the die's source layer.
void add_output_points(const Stack& s, const std::map<std::string, SourceLayer>& source_of,
                       ImportedCase& c) {
  std::set<std::string> seen;
  std::size_t at = 0;
  for (const OutputPoint& p : s.output_points) {
    const auto it = source_of.find(p.die);
    if (it == source_of.end())
      throw CaseError(p.where, "T ( " + p.die + ", ... ) names no die of the stack");
    const std::string name = p.die + ".T_" + format_number(p.x_um) + "_" + format_number(p.y_um);
    if (!seen.insert(name).second) continue;
    c.probes.insert(
        c.probes.begin() + static_cast<std::ptrdiff_t>(at++),
        {name,
         {cell_centre(p.x_um, s.cell_length, s.chip_length),
          cell_centre(p.y_um, s.cell_width, s.chip_width), it->second.z_um + it->second.h_um / 2}});
  }
}

using MaterialOf = std::function<std::string(const std::string&, const SourceLocation&)>;
using Claim = std::function<void(const std::string&, const SourceLocation&)>;

/// The layers of die element `e` (of `die`), bottom first, from height `z` (µm; advanced past
/// them). `material` gives the case name of a 3D-ICE material, `claim` reserves a name.
SourceLayer add_die_layers(const StackElement& e, const Die& die, const MaterialOf& material,
                           const Claim& claim, double& z, ImportedCase& c) {
  SourceLayer src;
  for (std::size_t k = die.layers.size(); k-- > 0;) {  // the die's bottom layer first
    const LayerDef& l = die.layers[k];
    const bool source = k == die.source;
    const std::string name =
        e.id + "." + (source ? std::string("source") : "layer" + std::to_string(k));
    claim(name, e.where);
    const std::string mat =
        material(l.material, l.material_where.line ? l.material_where : die.where);
    c.layers.push_back(
        {name, mat, l.height_um,
         "die " + e.id + " (" + e.die + ") " +
             (source ? "source layer" : "layer " + std::to_string(k) + " from its top") +
             (l.declared.empty() ? "" : ", declared layer " + l.declared)});
    if (source) {
      src.z_um = z;
      src.h_um = l.height_um;
      src.material = mat;
    }
    z += l.height_um;
  }
  return src;
}

}  // namespace

ImportResult import_3dice(const std::string& stk_path) {
  const Stack s = read_stk(stk_path);
  ImportedCase c = start_case(s, stk_path);

  const double rho = kImportedDensity_kg_per_m3;
  auto material = [&](const std::string& name, const SourceLocation& where) {
    const auto it = s.materials.find(name);
    if (it == s.materials.end())
      throw CaseError(where,
                      "unknown material '" + name + "'; declared: " + list_keys(s.materials));
    const Material& m = it->second;
    const std::array<double, 3> k{m.k[0] * kWPerMK_per_WPerUmK, m.k[1] * kWPerMK_per_WPerUmK,
                                  m.k[2] * kWPerMK_per_WPerUmK};
    const double cv = m.vhc * kJPerM3K_per_JPerUm3K;
    return c.material(name, k, rho, cv / rho,
                      "3D-ICE material " + name + ": k " + format_number(m.k[0]) +
                          " W/(um K), c_v " + format_number(m.vhc) + " J/(um3 K)");
  };
  std::set<std::string> names;
  auto claim = [&](const std::string& name, const SourceLocation& where) {
    if (!names.insert(name).second)
      throw CaseError(where, "the name '" + name +
                                 "' is used twice in the imported case; rename "
                                 "the stack element or floorplan element");
  };

  double z = 0;
  std::map<std::string, SourceLayer> source_of;  ///< each die stack element's source layer
  std::size_t probes_skipped = 0;
  bool counts_differ = false;
  std::size_t slots = 0;
  double smallest_powered = INFINITY;  ///< µm, the smaller side of the smallest powered rectangle
  for (auto it = s.elements.rbegin(); it != s.elements.rend(); ++it) {  // bottom-most first
    const StackElement& e = *it;
    const double element_z = z;
    if (e.kind == StackElement::Kind::channel) {  // coolant cavity (import_3dice_cavity.hpp)
      claim(e.id, e.where);
      c.layers.push_back({e.id, material(s.cavity->material, s.cavity->material_where),
                          s.cavity->height_um, "3D-ICE " + s.cavity->model + " channel " + e.id});
      c.sections.push_back(cavity_toml(*s.cavity, e.id));
      z += s.cavity->height_um;
      continue;
    }
    if (e.kind == StackElement::Kind::layer) {
      claim(e.id, e.where);
      c.layers.push_back({e.id, material(e.layer.material, e.layer.material_where),
                          e.layer.height_um, "3D-ICE stack layer " + e.id});
      z += e.layer.height_um;
      add_element_discretization(s, e, element_z, z, c);
      continue;
    }
    const Die& die = s.dies.at(e.die);
    const auto [source_z, source_h, source_material] =
        add_die_layers(e, die, material, claim, z, c);
    source_of[e.id] = {source_z, source_h, source_material};
    const std::string flp_path = find_floorplan(stk_path, e, c.notes);
    for (const Element& el : read_floorplan(flp_path, s)) {
      double total = 0;
      if (!el.power_W.empty()) {
        if (s.transient) {
          for (double v : el.power_W) total += v;
          total /= static_cast<double>(el.power_W.size());
        } else {
          total = el.power_W.front();
        }
        if (slots != 0 && slots != el.power_W.size()) counts_differ = true;
        slots = std::max(slots, el.power_W.size());
      }
      double area = 0;
      for (const Rect& q : el.rects) area += q.length * q.width;
      const std::string mat =
          el.material.empty() ? source_material : material(el.material, el.material_where);
      for (std::size_t q = 0; q < el.rects.size(); ++q) {
        const Rect& rect = el.rects[q];
        const std::string name =
            e.id + "." + el.name + (el.rects.size() > 1 ? "." + std::to_string(q) : "");
        claim(name, rect.where);
        const double share = total * rect.length * rect.width / area;
        if (s.transient && total > 0 && el.power_W.size() > 1) {
          ImportedWaveform w;
          for (std::size_t k = 0; k < el.power_W.size(); ++k) {
            w.t_s.push_back(static_cast<double>(k) * s.slot_s);
            w.factor.push_back(el.power_W[k] / total);
          }
          c.waveforms[name] = w;
        }
        if (el.discr_x > 0)
          c.refine.push_back({{rect.x, rect.y, source_z},
                              {rect.length, rect.width, source_h},
                              {rect.length / el.discr_x, rect.width / el.discr_y, source_h},
                              "3D-ICE discretization " + format_number(el.discr_x) + ", " +
                                  format_number(el.discr_y) + " of floorplan element " + el.name});
        if (share > 0) smallest_powered = std::min({smallest_powered, rect.length, rect.width});
        c.blocks.push_back({name,
                            mat,
                            {rect.x, rect.y, source_z},
                            {rect.length, rect.width, source_h},
                            share,
                            q == 0 ? "floorplan " + e.floorplan + ", element " + el.name : ""});
        if (share > 0) {
          if (c.probes.size() < kMaxProbes)
            c.probes.push_back(
                {name,
                 {rect.x + rect.length / 2, rect.y + rect.width / 2, source_z + source_h / 2}});
          else
            ++probes_skipped;
        }
      }
    }
    add_element_discretization(s, e, element_z, z, c);
  }
  fine_enough_for_maxima(s, smallest_powered, c);

  add_heat_sinks(s, c);
  add_output_points(s, source_of, c);
  add_analysis(s, slots, c);
  add_closing_notes(s, counts_differ, probes_skipped, c);
  return {to_case_toml(c), c.notes, c.warnings};
}

}  // namespace cposim::cases
