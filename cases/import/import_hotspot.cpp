/// \file
/// HotSpot → cposim case.
///
/// The formats, as HotSpot 6/7 documents and reads them (github.com/uvahotspot/HotSpot):
///  - .flp: `examples/example1/ev6.flp` (header comment: "<unit-name> <width> <height>
///    <left-x> <bottom-y> [<specific-heat>] [<resistivity>]", metres, '#' comments);
///    `examples/example4/ev6_3D_cache_2.flp` shows the two optional values (J/(m³ K), m K/W).
///  - .lcf: `example.lcf` and `3D_testcase/ev6_3D.lcf` (seven lines per layer: layer number,
///    lateral heat flow Y/N, power dissipation Y/N, specific heat J/(m³ K), resistivity
///    m K/W, thickness m, floorplan file). Layer 0 is the farthest from the heat sink: the
///    grid model appends the spreader and the sink after the last layer
///    (`temperature_grid.c`, append_package_layers).
///  - .ptrace: `examples/example4/ev6_3D.ptrace` (a line of unit names, then one line of
///    powers in W per sampling interval). The steady solve uses the average of all rows
///    (`hotspot.c`: overall_power[i] /= lines).
///  - hotspot.config: `examples/example1/example.config` ("-name value" lines, '#' comments);
///    the defaults are those of `temperature.c`, default_thermal_config (HotSpot 6).
#include "cases/import/import_hotspot.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <optional>
#include <set>

#include "cases/import/import_hotspot_config.hpp"
#include "cases/import/import_hotspot_files.hpp"
#include "cases/import/import_text.hpp"
#include "cases/read/toml_helpers.hpp"
#include "cases/spec/case_error.hpp"

namespace cposim::cases {

namespace {

using namespace import_detail;

constexpr double kUmPerM = 1e6;
/// Lateral conductivity factor for a layer with "lateral heat flow N" (HotSpot drops the
/// lateral resistances; cposim keeps a much smaller in-plane k).
constexpr double kNoLateralFactor = 1e-3;
/// Probes are added for at most this many powered units.
constexpr std::size_t kMaxProbes = 256;
/// HotSpot multiplies every thermal capacitance by this "fitting factor" (temperature.h,
/// C_FACTOR), so its transients run about 3x faster than the physical heat capacities give.
constexpr double kHotSpotCFactor = 0.333;

std::string list_names(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < 12; ++i) out += (i ? ", " : "") + names[i];
  if (names.size() > 12) out += ", ... (" + std::to_string(names.size()) + " in all)";
  return out;
}

std::array<double, 3> iso(double k) { return {k, k, k}; }

/// What a HotSpot user needs to know to compare a transient.
void add_transient_notes(const Setup& setup, const HotSpotOptions& options,
                         std::vector<std::string>& notes) {
  if (!setup.init_file.empty())
    notes.push_back(
        "-init_file " + setup.init_file +
        " maps to initial = \"steady\": HotSpot's examples write it as the steady file of the "
        "same model (run.sh: cp outputs/*.steady *.init); cposim starts from its own steady "
        "solution with the powers of the first row (HotSpot's steady file uses the average of "
        "all rows); other start temperatures in the file are not read");
  if (options.capacitance_factor == 1.0)
    notes.push_back(
        "heat capacities are the physical ones; HotSpot scales every capacitance by C_FACTOR = " +
        format_number(kHotSpotCFactor) +
        " (temperature.h), so its transients run about 3x faster: "
        "--hotspot-capacitance-factor " +
        format_number(kHotSpotCFactor) + " reproduces HotSpot's numbers on purpose");
  else
    notes.push_back("every volumetric heat capacity is multiplied by " +
                    format_number(options.capacitance_factor) +
                    " (--hotspot-capacitance-factor; HotSpot's own C_FACTOR is " +
                    format_number(kHotSpotCFactor) + ")");
}

/// Where a package part's k and c_v come from: its -material_* entry, else -k_* and -p_*.
std::string package_comment(const Setup& setup, const std::string& part) {
  const auto it = setup.named.find(part);
  if (it == setup.named.end()) return "HotSpot -k_" + part + ", -p_" + part;
  return "HotSpot -material_" + part + " " + it->second + " of " + setup.materials.path;
}

/// Notes on how HotSpot's model forms map, for every import.
void add_model_notes(bool lcf, double snapped_m, double snap_um, std::vector<std::string>& notes) {
  notes.push_back(
      "HotSpot's block model (-model_type block, one node per unit) and its grid model both "
      "become cposim's finite-volume grid; compare block temperatures with the unit averages");
  if (lcf)
    notes.push_back(
        "HotSpot's -detailed_3D on results carry its own spreader-sink convection model (the "
        "lumped r_convec at the sink and its compact package around the chip): expect "
        "differences of a few K from that model form, not from the chip stack");
  // Moves within kTouch_m are round-off of the floorplan's sums (0.0049 + 0.0031), not gaps.
  if (snapped_m > kTouch_m)
    notes.push_back("floorplan edges closer than " + format_number(snap_um) +
                    " µm (--hotspot-snap-um, the smallest feature kept) were snapped together "
                    "(the largest move was " +
                    format_number(std::round(snapped_m * kUmPerM * 1000) / 1000) +
                    " µm): HotSpot floorplans such as ev6 leave 1 µm gaps between abutting "
                    "units, which would otherwise become 1 µm cells");
}

/// The chip layers, bottom (farthest from the sink) first: those of the .lcf `lcf_path`, else
/// HotSpot's default chip and TIM over the floorplan files.flp with the config's properties.
std::vector<Layer> chip_layers(const HotSpotFiles& files, const Setup& setup,
                               const std::string& lcf_path, const HotSpotOptions& options,
                               std::vector<std::string>& notes) {
  const Params& p = setup.p;
  std::vector<Layer> layers;
  if (!lcf_path.empty()) {
    layers = read_lcf(lcf_path, setup.materials, options.snap_um / kUmPerM);
    if (!files.flp.empty())
      notes.push_back("--flp " + files.flp + " is not used: the .lcf names each layer's floorplan");
  } else {
    if (files.flp.empty())
      throw CaseError(
          {"hotspot", 0, 0},
          "a floorplan (--flp FILE.flp) or a layer configuration (--lcf FILE.lcf) is required");
    Floorplan flp = read_flp(files.flp, options.snap_um / kUmPerM);
    const std::string cfg = files.config.empty() ? files.flp : files.config;
    const auto default_layer = [&](int number, bool power, const std::string& key) {
      return Layer{number,
                   true,
                   power,
                   p["p_" + key],
                   1.0 / p["k_" + key],
                   p["t_" + key],
                   setup.named.count(key) ? setup.named.at(key) : "",
                   flp,
                   p.location("t_" + key, cfg),
                   {files.flp, 0, 0}};
    };
    layers = {default_layer(0, true, "chip"), default_layer(1, false, "interface")};
  }
  return layers;
}

/// Each power-dissipating unit's power, W: its mean over the rows of files.ptrace (HotSpot's
/// steady-state powers). With options.transient also the rows as power waveforms and the
/// [transient] table. Notes what was averaged or left at 0 W into c.notes.
std::map<std::string, double> unit_powers(const HotSpotFiles& files, const Setup& setup,
                                          const HotSpotOptions& options,
                                          const std::vector<Layer>& layers, ImportedCase& c) {
  const Params& p = setup.p;
  std::map<std::string, double> power_W;
  std::map<std::string, int> power_layer_of;  // unit → layer number (power layers only)
  for (const Layer& l : layers) {
    if (!l.power) continue;
    for (const Unit& u : l.flp.units) {
      const auto [it, fresh] = power_layer_of.emplace(u.name, l.number);
      if (!fresh)
        throw CaseError(u.where, "unit '" + u.name + "' is in the floorplans of power layers " +
                                     std::to_string(it->second) + " and " +
                                     std::to_string(l.number) +
                                     "; the power trace could not tell them apart");
    }
  }
  if (!files.ptrace.empty()) {
    const Trace t = read_ptrace(files.ptrace);
    for (std::size_t i = 0; i < t.names.size(); ++i) {
      const std::string& name = t.names[i].text;
      if (power_layer_of.count(name) == 0) {
        for (const Layer& l : layers)
          for (const Unit& u : l.flp.units)
            if (u.name == name)
              throw CaseError(at(files.ptrace, t.header_line, t.names[i].column),
                              "unit '" + name + "' is in layer " + std::to_string(l.number) +
                                  ", which does not dissipate power (power dissipation N)");
        std::vector<std::string> known;
        for (const auto& [n, layer] : power_layer_of) known.push_back(n);
        throw CaseError(at(files.ptrace, t.header_line, t.names[i].column),
                        "unknown unit '" + name +
                            "' in the power trace; the power-dissipating "
                            "floorplans have: " +
                            list_names(known));
      }
      power_W[name] = t.average_W[i];
      if (options.transient && t.rows > 1 && t.average_W[i] > 0) {
        ImportedWaveform w;
        for (std::size_t k = 0; k < t.rows; ++k) {
          w.t_s.push_back(static_cast<double>(k) * p["sampling_intvl"]);
          w.factor.push_back(t.values_W[i][k] / t.average_W[i]);
        }
        c.waveforms[name] = w;
      }
    }
    if (options.transient) {
      // HotSpot steps the trace one row per sampling interval from a uniform init_temp.
      ImportedTransient tr;
      const double dt = p["sampling_intvl"];
      tr.end_time_s = static_cast<double>(t.rows) * dt;
      tr.output_interval_s = std::ceil(static_cast<double>(t.rows) / 10000.0) * dt;
      tr.initial_T_K = p["init_temp"];
      tr.initial_steady = !setup.init_file.empty();
      tr.comment = "HotSpot -sampling_intvl " + format_number(dt) + " s, " +
                   (tr.initial_steady ? "-init_file " + setup.init_file
                                      : "-init_temp " + format_number(p["init_temp"]) + " K");
      c.transient = tr;
      c.notes.push_back("transient: " + std::to_string(t.rows) + " rows of " + files.ptrace +
                        " at -sampling_intvl " + format_number(dt) + " s from " +
                        (tr.initial_steady ? std::string("the steady state")
                                           : "a uniform " + format_number(p["init_temp"]) + " K") +
                        "; power_W is each unit's average and its power_waveform steps "
                        "through the rows (cposim's adaptive BDF2 replaces HotSpot's RK4)");
      add_transient_notes(setup, options, c.notes);
    } else {
      c.notes.push_back("power: the average of the " + std::to_string(t.rows) + " rows of " +
                        files.ptrace +
                        " (as HotSpot's steady-state solve); the time variation is not imported "
                        "(--transient imports it)");
    }
    std::vector<std::string> missing;
    for (const auto& [n, layer] : power_layer_of)
      if (power_W.count(n) == 0) missing.push_back(n);
    if (!missing.empty())
      c.notes.push_back("units in power layers but not in the power trace get 0 W: " +
                        list_names(missing));
  } else {
    if (options.transient)
      throw CaseError({"hotspot", 0, 0}, "--transient needs a power trace (--ptrace FILE.ptrace)");
    c.notes.push_back("no power trace given: every unit dissipates 0 W");
  }
  return power_W;
}

/// The sink's convection (r_convec as a uniform h on its top face) and HotSpot's grid over the
/// chip (`chip_um`: x, y, width, height; up to `chip_top_um`) as a refinement zone.
void add_convection_and_grid(const Params& p, const std::array<double, 4>& chip_um,
                             double chip_top_um, ImportedCase& c) {
  const double sink_side_m = p["s_sink"];
  const double chip_x_um = chip_um[0], chip_y_um = chip_um[1];
  const double chip_w_um = chip_um[2], chip_h_um = chip_um[3];
  // r_convec is the lumped sink-to-air resistance; spread over the sink's top face it is a
  // uniform h with the same total resistance: h = 1 / (r_convec · s_sink²).
  const double h_W_per_m2K = 1.0 / (p["r_convec"] * sink_side_m * sink_side_m);
  c.faces.push_back({"top", h_W_per_m2K, p["ambient"],
                     "h = 1 / (r_convec s_sink^2) = 1 / (" + format_number(p["r_convec"]) +
                         " K/W x (" + format_number(sink_side_m) + " m)^2)"});
  c.notes.push_back(
      "convection: r_convec " + format_number(p["r_convec"]) + " K/W over the sink's top face (" +
      format_number(sink_side_m * 1e3) + " mm)^2 gives h = " + format_number(h_W_per_m2K) +
      " W/(m2 K); the other faces are adiabatic, as in HotSpot without the secondary path");
  c.notes.push_back(
      "the space around the chip and the spreader (which HotSpot leaves out) is "
      "filled with air");

  // HotSpot's grid resolution over the chip becomes a refinement zone; the package around it
  // keeps cposim's default cells.
  const double rows = p["grid_rows"], cols = p["grid_cols"];
  c.max_cell_z_um = 1000;
  c.refine.push_back(
      {{chip_x_um, chip_y_um, 0},
       {chip_w_um, chip_h_um, chip_top_um},
       {chip_w_um / cols, chip_h_um / rows, 1000},
       "HotSpot grid " + format_number(rows) + " x " + format_number(cols) + " over the chip"});
}

/// The chip's width and height (m). Every layer spans the chip (HotSpot's grid model needs
/// equal extents in all layers); the spreader covers the chip and the sink the spreader.
std::array<double, 2> chip_extent(const std::vector<Layer>& layers, const Params& p,
                                  const std::string& cfg_file) {
  const Floorplan& first = layers.front().flp;
  const double sink_side_m = p["s_sink"], spreader_side_m = p["s_spreader"];
  const double chip_w_m = first.x1 - first.x0, chip_h_m = first.y1 - first.y0;
  for (const Layer& l : layers) {
    const double w = l.flp.x1 - l.flp.x0, h = l.flp.y1 - l.flp.y0;
    if (std::abs(w - chip_w_m) > kTouch_m || std::abs(h - chip_h_m) > kTouch_m)
      throw CaseError(l.flp_where, "the floorplan " + l.flp.path + " spans " +
                                       format_number(w * kUmPerM) + " x " +
                                       format_number(h * kUmPerM) + " µm, layer 0's spans " +
                                       format_number(chip_w_m * kUmPerM) + " x " +
                                       format_number(chip_h_m * kUmPerM) +
                                       " µm; every layer must cover the same chip area");
  }
  if (spreader_side_m + kTouch_m < std::max(chip_w_m, chip_h_m))
    throw CaseError(p.location("s_spreader", cfg_file),
                    "the spreader side (" + format_number(spreader_side_m * kUmPerM) +
                        " µm) must be at least the chip's larger side (" +
                        format_number(std::max(chip_w_m, chip_h_m) * kUmPerM) + " µm)");
  if (sink_side_m + kTouch_m < spreader_side_m)
    throw CaseError(p.location("s_sink", cfg_file),
                    "the sink side (" + format_number(sink_side_m * kUmPerM) +
                        " µm) must be at least the spreader side (" +
                        format_number(spreader_side_m * kUmPerM) + " µm)");
  return {chip_w_m, chip_h_m};
}

/// The blocks of layer `l`'s units that differ from the layer (`mat`, already a block): the
/// powered units, and in an .lcf stack (`lcf`) the units with their own properties. `at_um` is
/// the chip's corner x, y, the layer's bottom z and its thickness. Adds a probe per powered unit
/// (up to kMaxProbes; counts the others in `probes_skipped`).
void add_unit_blocks(const Layer& l, const std::string& layer_name, const std::string& mat,
                     bool lcf, const std::array<double, 4>& at_um, double cp_per_cv,
                     const std::map<std::string, double>& power_W,
                     const std::function<void(const std::string&, const SourceLocation&)>& claim,
                     std::size_t& probes_skipped, ImportedCase& c) {
  const double chip_x_um = at_um[0], chip_y_um = at_um[1], z_um = at_um[2], t_um = at_um[3];
  for (const Unit& u : l.flp.units) {
    // HotSpot honours per-unit properties only in an .lcf stack (-detailed_3D on).
    const bool own = u.specific_heat.has_value() && lcf;
    if (!l.power && !own) continue;  // a passive unit without own properties is the layer
    std::string unit_mat = mat;
    if (own) {
      const double ku = 1.0 / *u.resistivity;
      unit_mat = c.material(
          u.name,
          l.lateral ? iso(ku)
                    : std::array<double, 3>{ku * kNoLateralFactor, ku * kNoLateralFactor, ku},
          kImportedDensity_kg_per_m3, *u.specific_heat * cp_per_cv,
          "unit " + u.name + ": resistivity " + format_number(*u.resistivity) +
              " m K/W, specific heat " + format_number(*u.specific_heat) + " J/(m3 K)");
    }
    const std::string block_name = l.power ? u.name : layer_name + "." + u.name;
    claim(block_name, u.where);
    const std::array<double, 3> origin{u.left_m * kUmPerM - l.flp.x0 * kUmPerM + chip_x_um,
                                       u.bottom_m * kUmPerM - l.flp.y0 * kUmPerM + chip_y_um, z_um};
    const std::array<double, 3> size{u.width_m * kUmPerM, u.height_m * kUmPerM, t_um};
    std::optional<double> power;
    if (l.power) power = power_W.count(u.name) ? power_W.at(u.name) : 0.0;
    c.blocks.push_back({block_name, unit_mat, origin, size, power, ""});
    if (power && *power > 0) {
      if (c.probes.size() < kMaxProbes)
        c.probes.push_back(
            {block_name, {origin[0] + size[0] / 2, origin[1] + size[1] / 2, z_um + t_um / 2}});
      else
        ++probes_skipped;
    }
  }
}

/// The case's title and header comments: which HotSpot files it came from.
void add_title(const HotSpotFiles& files, const std::string& lcf_path, ImportedCase& c) {
  c.title = "imported from HotSpot: " + (lcf_path.empty() ? files.flp : lcf_path);
  c.header = {
      "Imported from HotSpot by 'cposim import hotspot'.",
      "floorplan: " + (files.flp.empty() ? std::string("(from the .lcf)") : files.flp),
      "layers: " + (lcf_path.empty() ? std::string("chip + TIM from the config") : lcf_path),
      "power trace: " + (files.ptrace.empty() ? std::string("(none)") : files.ptrace),
      "config: " + (files.config.empty() ? std::string("(HotSpot 6 defaults)") : files.config),
      "Volumetric heat capacities c_v are kept as rho = 1000 kg/m3 and cp = c_v / 1000."};
}

}  // namespace

ImportResult import_hotspot(const HotSpotFiles& files, const HotSpotOptions& options) {
  if (!(options.snap_um >= 0.0) || !std::isfinite(options.snap_um))
    throw CaseError({"hotspot", 0, 0},
                    "the snapping distance (--hotspot-snap-um) must be >= 0 µm, got " +
                        format_number(options.snap_um));
  ImportedCase c;
  std::string lcf_path = files.lcf;
  const Setup setup = read_setup(files, c.notes);
  const Params& p = setup.p;
  if (lcf_path.empty() && !setup.lcf.empty()) {
    lcf_path = setup.lcf;
    c.notes.push_back("the layer configuration " + lcf_path + " is named by -grid_layer_file in " +
                      files.config);
  }

  // The chip layers, bottom (farthest from the sink) first.
  const std::vector<Layer> layers = chip_layers(files, setup, lcf_path, options, c.notes);

  const std::string cfg_file = files.config.empty() ? "hotspot" : files.config;
  const auto [chip_w_m, chip_h_m] = chip_extent(layers, p, cfg_file);
  const double sink_side_m = p["s_sink"], spreader_side_m = p["s_spreader"];

  // Power from the trace, by unit name, over the power-dissipating layers.
  std::map<std::string, double> power_W = unit_powers(files, setup, options, layers, c);

  // Geometry, µm. The sink sets the footprint; the chip and the spreader sit centred on it.
  const double sink_um = sink_side_m * kUmPerM;
  const double chip_w_um = chip_w_m * kUmPerM, chip_h_um = chip_h_m * kUmPerM;
  const double chip_x_um = (sink_um - chip_w_um) / 2, chip_y_um = (sink_um - chip_h_um) / 2;
  c.footprint_um = {sink_um, sink_um};
  add_title(files, lcf_path, c);
  const double rho = kImportedDensity_kg_per_m3;
  // cp = c_v · factor / rho: the capacitance factor scales every heat capacity alike.
  const double cp_per_cv = options.capacitance_factor / rho;
  std::set<std::string> names;
  auto claim = [&](const std::string& name, const SourceLocation& where) {
    if (!names.insert(name).second)
      throw CaseError(where, "the name '" + name +
                                 "' is used twice in the imported case (unit "
                                 "names share one namespace with the blocks 'chip', 'interface', "
                                 "'layerN', 'spreader' and 'sink'); rename the unit");
  };

  double z_um = 0;
  const bool default_stack = lcf_path.empty();
  std::size_t probes_skipped = 0;
  for (const Layer& l : layers) {
    const double t_um = l.thickness_m * kUmPerM;
    const double k = 1.0 / l.resistivity;
    const std::array<double, 3> k_layer =
        l.lateral ? iso(k) : std::array<double, 3>{k * kNoLateralFactor, k * kNoLateralFactor, k};
    const std::string layer_name =
        default_stack ? (l.number == 0 ? "chip" : "interface") : "layer" + std::to_string(l.number);
    if (!l.lateral)
      c.notes.push_back(layer_name +
                        ": lateral heat flow N is approximated by an in-plane "
                        "conductivity 1000 times below the vertical one");
    const std::string mat =
        c.material(layer_name, k_layer, rho, l.specific_heat * cp_per_cv,
                   (l.material.empty() ? std::string() : "material " + l.material + ": ") +
                       "resistivity " + format_number(l.resistivity) + " m K/W, specific heat " +
                       format_number(l.specific_heat) + " J/(m3 K)");
    claim(layer_name, l.where);
    c.blocks.push_back({layer_name,
                        mat,
                        {chip_x_um, chip_y_um, z_um},
                        {chip_w_um, chip_h_um, t_um},
                        std::nullopt,
                        (default_stack ? std::string("HotSpot ") + layer_name
                                       : "HotSpot layer " + std::to_string(l.number)) +
                            ", floorplan " + l.flp.path});
    add_unit_blocks(l, layer_name, mat, !default_stack, {chip_x_um, chip_y_um, z_um, t_um},
                    cp_per_cv, power_W, claim, probes_skipped, c);
    z_um += t_um;
  }
  bool any_own = false;
  for (const Layer& l : layers)
    for (const Unit& u : l.flp.units) any_own = any_own || u.specific_heat.has_value();
  if (any_own && default_stack)
    c.notes.push_back(
        "the units' own specific heat and resistivity are ignored, as HotSpot "
        "does without an .lcf; the chip's -k_chip and -p_chip apply");
  else if (any_own)
    c.notes.push_back(
        "units with their own specific heat and resistivity keep them (HotSpot "
        "applies them only with -detailed_3D on)");
  double snapped_m = 0;
  for (const Layer& l : layers) snapped_m = std::max(snapped_m, l.flp.snapped_m);
  add_model_notes(!default_stack, snapped_m, options.snap_um, c.notes);
  if (probes_skipped > 0)
    c.notes.push_back("probes were added for the first " + std::to_string(kMaxProbes) +
                      " powered units only");
  const double chip_top_um = z_um;

  const double spreader_um = spreader_side_m * kUmPerM, spreader_t_um = p["t_spreader"] * kUmPerM;
  claim("spreader", p.location("s_spreader", cfg_file));
  c.blocks.push_back({"spreader",
                      c.material("spreader", iso(p["k_spreader"]), rho, p["p_spreader"] * cp_per_cv,
                                 package_comment(setup, "spreader")),
                      {(sink_um - spreader_um) / 2, (sink_um - spreader_um) / 2, z_um},
                      {spreader_um, spreader_um, spreader_t_um},
                      std::nullopt,
                      "HotSpot heat spreader, centred"});
  z_um += spreader_t_um;
  const double sink_t_um = p["t_sink"] * kUmPerM;
  claim("sink", p.location("s_sink", cfg_file));
  c.blocks.push_back({"sink",
                      c.material("sink", iso(p["k_sink"]), rho, p["p_sink"] * cp_per_cv,
                                 package_comment(setup, "sink")),
                      {0, 0, z_um},
                      {sink_um, sink_um, sink_t_um},
                      std::nullopt,
                      "HotSpot heat sink base"});

  add_convection_and_grid(p, {chip_x_um, chip_y_um, chip_w_um, chip_h_um}, chip_top_um, c);
  return {to_case_toml(c), c.notes, c.warnings};
}

}  // namespace cposim::cases
