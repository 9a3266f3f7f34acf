/// \file
/// The case-file reader. One function per section; every user error is a CaseError at the
/// offending node. Lengths are converted from µm to m here and nowhere else.
#include "cases/read/case_reader.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <string_view>
#include <utility>
#include <vector>

#include "cases/read/block_power_reader.hpp"
#include "cases/read/cavity_reader.hpp"
#include "cases/read/cold_plate_reader.hpp"
#include "cases/read/face_flux_reader.hpp"
#include "cases/read/face_stats_reader.hpp"
#include "cases/read/lane_reader.hpp"
#include "cases/read/link_reader.hpp"
#include "cases/read/operating_points_reader.hpp"
#include "cases/read/output_maps_reader.hpp"
#include "cases/read/photonics_reader.hpp"
#include "cases/read/plausibility.hpp"
#include "cases/read/power_map_csv.hpp"
#include "cases/read/toml_helpers.hpp"
#include "cases/read/transient_reader.hpp"
#include "cases/spec/component_roles.hpp"
#include "cases/spec/input_file.hpp"

namespace cposim::cases {
namespace {

namespace fs = std::filesystem;

using solver::kLinearSolverKinds;  // the linear solvers a case file can choose

/// Turns a parsed TOML document into a CaseSpec. Holds only the file name and base folder.
class Reader : public TomlReader {
 public:
  using TomlReader::TomlReader;

  CaseSpec read(const toml::table& root) const;

 private:
  // --- sections -----------------------------------------------------------------------------
  PackageSpec read_package(const toml::node& node) const;
  MaterialSpec read_material(const toml::key& key, const toml::node& node) const;
  void read_material_properties(const Section& s, MaterialSpec& m) const;
  KTableSpec read_k_table(const toml::node& node, const std::string& path) const;
  BumpArraySpec read_bump_array(const toml::node& node, const std::string& path) const;
  std::vector<LaminaSpec> read_laminate(const toml::node& node, const std::string& path) const;
  MetalCoverageSpec read_metal_coverage(const toml::node& node, const std::string& path) const;
  LayerSpec read_layer(const Section& s) const;
  BlockSpec read_block(const Section& s) const;
  PowerMapSpec read_power_map(const toml::node& node, const std::string& path) const;
  InterfaceSpec read_interface(const Section& s) const;
  BoundarySpec read_boundary(const toml::node& node, const std::string& path) const;
  GridSpec read_grid(const toml::node& node) const;
  RefineSpec read_refine(const Section& s) const;
  SolverSpec read_solver(const toml::node& node) const;
  OutputSpec read_output(const toml::node& node) const;
  ProbeSpec read_probe(const Section& s) const;
};

// ---------------------------------------------------------------------------------------------
// Sections

PackageSpec Reader::read_package(const toml::node& node) const {
  const Section s{&table(node, "package"), "package"};
  reject_unknown_keys(s, {"footprint_um", "fill"});
  PackageSpec p;
  p.where = at(*s.table);
  p.footprint_m = lengths_m<2>(require(s, "footprint_um"), s.key("footprint_um"), true);
  if (const auto* fill = s.find("fill")) p.fill = name_ref(*fill, s.key("fill"));
  return p;
}

MaterialSpec Reader::read_material(const toml::key& key, const toml::node& node) const {
  const std::string material_name(key.str());
  const std::string path = "materials." + material_name;
  if (!is_valid_name(material_name))
    throw CaseError(at(key.source().begin),
                    "material names must be " + name_rule() + ", got '" + material_name + "'");
  const Section s{&table(node, path), path};
  reject_unknown_keys(s, {"base", "k_W_per_mK", "rho_kg_per_m3", "cp_J_per_kgK", "k_T_exponent",
                          "T_ref_K", "k_table", "bump_array", "laminate", "metal_coverage"});
  MaterialSpec m;
  m.name = material_name;
  m.where = at(*s.table);

  // A material is defined in exactly one way: its own properties, a base, or one rule.
  const toml::node* definer = nullptr;
  const char* definer_key = nullptr;
  for (const char* k : {"base", "bump_array", "laminate", "metal_coverage"}) {
    const toml::node* n = s.find(k);
    if (n == nullptr) continue;
    if (definer != nullptr) {
      const bool n_later = before(definer->source().begin, n->source().begin);
      const toml::node& later = n_later ? *n : *definer;
      fail(later, "'" + s.key(n_later ? k : definer_key) + "' cannot be combined with '" +
                      (n_later ? definer_key : k) + "': a material is defined in exactly one way");
    }
    definer = n;
    definer_key = k;
  }
  const std::string_view how = definer_key ? definer_key : "";
  if (how == "bump_array" || how == "laminate" || how == "metal_coverage") {
    for (const char* k :
         {"k_W_per_mK", "rho_kg_per_m3", "cp_J_per_kgK", "k_T_exponent", "T_ref_K", "k_table"})
      if (const toml::node* n = s.find(k))
        fail(*n, "'" + s.key(k) + "' cannot be combined with '" + std::string(how) +
                     "': an effective medium computes its own properties");
  }
  if (how == "bump_array") {
    m.kind = MaterialSpec::Kind::bump_array;
    m.bump_array = read_bump_array(*definer, s.key("bump_array"));
  } else if (how == "laminate") {
    m.kind = MaterialSpec::Kind::laminate;
    m.laminae = read_laminate(*definer, s.key("laminate"));
  } else if (how == "metal_coverage") {
    m.kind = MaterialSpec::Kind::metal_coverage;
    m.metal_coverage = read_metal_coverage(*definer, s.key("metal_coverage"));
  } else {
    m.kind = how == "base" ? MaterialSpec::Kind::based : MaterialSpec::Kind::full;
    if (how == "base") m.base = name_ref(*definer, s.key("base"));
    read_material_properties(s, m);
  }
  return m;
}

/// Properties of a full definition (required) or overrides of a based one (optional).
void Reader::read_material_properties(const Section& s, MaterialSpec& m) const {
  const bool full = m.kind == MaterialSpec::Kind::full;
  const toml::node* k = s.find("k_W_per_mK");
  const toml::node* table_node = s.find("k_table");
  if (table_node != nullptr) {
    if (k != nullptr)
      fail(*table_node,
           "'" + s.key("k_table") + "' cannot be combined with 'k_W_per_mK': the table gives k");
    if (const toml::node* e = s.find("k_T_exponent"))
      fail(*e, "'" + s.key("k_T_exponent") +
                   "' cannot be combined with 'k_table': choose one temperature law");
    m.k_table = read_k_table(*table_node, s.key("k_table"));
  } else if (k != nullptr) {
    if (k->is_array()) {
      m.k_W_per_mK = numbers<3>(*k, s.key("k_W_per_mK"), kWPerMK, true);
    } else {
      const double value = positive(*k, s.key("k_W_per_mK"), kWPerMK);
      m.k_W_per_mK = std::array<double, 3>{value, value, value};
      m.k_is_scalar = true;
    }
  } else if (full) {
    require(s, "k_W_per_mK");
  }
  if (const toml::node* n = full ? &require(s, "rho_kg_per_m3") : s.find("rho_kg_per_m3"))
    m.rho_kg_per_m3 = positive(*n, s.key("rho_kg_per_m3"), kKgPerM3);
  if (const toml::node* n = full ? &require(s, "cp_J_per_kgK") : s.find("cp_J_per_kgK"))
    m.cp_J_per_kgK = positive(*n, s.key("cp_J_per_kgK"), kJPerKgK);
  if (const toml::node* n = s.find("k_T_exponent")) {
    m.k_T_exponent = number(*n, s.key("k_T_exponent"));
    // Solids lie within about -1.7 (pure Si) and +1 (amorphous solids, polymers); far beyond,
    // k(T) over a package's temperature span leaves any material (k → 0 or ∞, no solve).
    constexpr double kMaxAbsExponent = 4.0;
    if (std::fabs(*m.k_T_exponent) > kMaxAbsExponent)
      fail(*n, "'" + s.key("k_T_exponent") + "' must be from " + format_number(-kMaxAbsExponent) +
                   " to " + format_number(kMaxAbsExponent) +
                   " (k = k_ref (T/T_ref)^n; Si is about "
                   "-1.3, Cu about -0.1), got " +
                   format_number(*m.k_T_exponent));
  }
  if (const toml::node* n = s.find("T_ref_K")) {
    if (!m.k_T_exponent)
      fail(*n, "'" + s.key("T_ref_K") +
                   "' needs 'k_T_exponent': it is the reference temperature of the power law");
    m.T_ref_K = positive(*n, s.key("T_ref_K"), kKelvin);
  }
}

KTableSpec Reader::read_k_table(const toml::node& node, const std::string& path) const {
  const Section s{&table(node, path), path};
  reject_unknown_keys(s, {"T_K", "k_W_per_mK"});
  KTableSpec t;
  t.where = at(node);
  const auto& T = array(require(s, "T_K"), s.key("T_K"));
  const auto& k = array(require(s, "k_W_per_mK"), s.key("k_W_per_mK"));
  if (T.size() < 2)
    fail(T,
         "'" + s.key("T_K") + "' needs at least 2 temperatures, got " + std::to_string(T.size()));
  if (k.size() != T.size())
    fail(k, "'" + s.key("k_W_per_mK") + "' must have as many values as T_K (" +
                std::to_string(T.size()) + "), got " + std::to_string(k.size()));
  for (std::size_t i = 0; i < T.size(); ++i) {
    const std::string Ti = s.key("T_K") + "[" + std::to_string(i) + "]";
    t.T_K.push_back(positive(T[i], Ti, kKelvin));
    if (i > 0 && !(t.T_K[i] > t.T_K[i - 1]))
      fail(T[i], "'" + Ti + "' must be > the previous temperature (" + format_number(t.T_K[i - 1]) +
                     " K), got " + format_number(t.T_K[i]));
    t.k_W_per_mK.push_back(
        positive(k[i], s.key("k_W_per_mK") + "[" + std::to_string(i) + "]", kWPerMK));
  }
  return t;
}

BumpArraySpec Reader::read_bump_array(const toml::node& node, const std::string& path) const {
  const Section s{&table(node, path), path};
  reject_unknown_keys(s, {"pitch_um", "diameter_um", "bump", "fill"});
  BumpArraySpec b;
  b.where = at(node);
  const double pitch_um = positive(require(s, "pitch_um"), s.key("pitch_um"), kUm);
  const toml::node& d = require(s, "diameter_um");
  const double diameter_um = positive(d, s.key("diameter_um"), kUm);
  if (!(diameter_um < pitch_um))
    fail(d, "'" + s.key("diameter_um") + "' must be < pitch_um (" + format_number(pitch_um) +
                " µm), got " + format_number(diameter_um));
  b.pitch_m = pitch_um / kUmPerMetre;
  b.diameter_m = diameter_um / kUmPerMetre;
  if (const auto* n = s.find("bump")) b.bump = name_ref(*n, s.key("bump"));
  if (const auto* n = s.find("fill")) b.fill = name_ref(*n, s.key("fill"));
  return b;
}

std::vector<LaminaSpec> Reader::read_laminate(const toml::node& node,
                                              const std::string& path) const {
  const auto sections = table_array(node, path);
  if (sections.empty()) fail(node, "'" + path + "' needs at least one lamina, got none");
  std::vector<LaminaSpec> out;
  for (const auto& s : sections) {
    reject_unknown_keys(s, {"material", "thickness_um"});
    LaminaSpec l;
    l.where = at(*s.table);
    l.material = name_ref(require(s, "material"), s.key("material"));
    l.thickness_m = positive(require(s, "thickness_um"), s.key("thickness_um"), kUm) / kUmPerMetre;
    out.push_back(std::move(l));
  }
  return out;
}

MetalCoverageSpec Reader::read_metal_coverage(const toml::node& node,
                                              const std::string& path) const {
  const Section s{&table(node, path), path};
  reject_unknown_keys(s, {"coverage", "metal", "dielectric", "kz_rule"});
  MetalCoverageSpec c;
  c.where = at(node);
  const toml::node& cov = require(s, "coverage");
  c.coverage = in_range(cov, s.key("coverage"), "", 0.0, 1.0);
  c.metal = name_ref(require(s, "metal"), s.key("metal"));
  c.dielectric = name_ref(require(s, "dielectric"), s.key("dielectric"));
  // Required: parallel (metal through the full thickness) and series (metal and dielectric
  // crossed in turn) differ by orders of magnitude in kz, and neither is a safe default.
  c.kz = choice(require(s, "kz_rule"), s.key("kz_rule"), {"parallel", "series"}) == "series"
             ? materials::ThroughPlaneRule::series
             : materials::ThroughPlaneRule::parallel;
  return c;
}

LayerSpec Reader::read_layer(const Section& s) const {
  reject_unknown_keys(s, {"name", "material", "thickness_um", "power_W", "T_limit_K"});
  LayerSpec l;
  l.where = at(*s.table);
  l.name = required_name(s, l.name_where);
  l.material = name_ref(require(s, "material"), s.key("material"));
  l.thickness_m = positive(require(s, "thickness_um"), s.key("thickness_um"), kUm) / kUmPerMetre;
  if (const auto* p = s.find("power_W")) l.power_W = non_negative(*p, s.key("power_W"), kWatt);
  if (const auto* t = s.find("T_limit_K"))
    l.T_limit_K = in_range(*t, s.key("T_limit_K"), kKelvin, kMinLimit_K, kMaxLimit_K);
  return l;
}

BlockSpec Reader::read_block(const Section& s) const {
  reject_unknown_keys(s, {"name", "material", "origin_um", "size_um", "power_W", "power_map",
                          "role", "T_limit_K", "leakage", "power_table", "power_waveform"});
  BlockSpec b;
  b.where = at(*s.table);
  b.name = required_name(s, b.name_where);
  b.material = name_ref(require(s, "material"), s.key("material"));
  const toml::node& origin = require(s, "origin_um");
  b.origin_m = lengths_m<3>(origin, s.key("origin_um"), false);
  b.origin_where = at(origin);
  b.size_m = lengths_m<3>(require(s, "size_um"), s.key("size_um"), true);
  if (const auto* map = s.find("power_map")) {
    b.power_map = read_power_map(*map, s.key("power_map"));
  }
  if (const auto* p = s.find("power_W")) {
    b.power_W = non_negative(*p, s.key("power_W"), kWatt);
    // Scaled by power_W / sum: a sum of 0 or so small (1e-320) that the factor overflows
    // is an input error here, not a NaN field later.
    if (b.power_map && *b.power_W > 0.0 &&
        !(b.power_map->file_total > 0.0 && std::isnormal(b.power_map->file_total) &&
          std::isfinite(*b.power_W / b.power_map->file_total)))
      fail(*s.find("power_map"),
           "power map '" + b.power_map->path + "' sums to " +
               format_number(b.power_map->file_total) +
               ", so it cannot be scaled to power_W = " + format_number(*b.power_W) +
               " W (its values are relative weights; give them a sum of ordinary size)");
  }
  if (const auto* r = s.find("role")) {
    const KeyList roles(kComponentRoleNames.begin(), kComponentRoleNames.end());
    b.role = *component_role(choice(*r, s.key("role"), roles));
  }
  if (const auto* t = s.find("T_limit_K"))
    b.T_limit_K = in_range(*t, s.key("T_limit_K"), kKelvin, kMinLimit_K, kMaxLimit_K);
  if (const auto* l = s.find("leakage")) b.leakage = read_leakage(*this, *l, s.key("leakage"));
  if (const auto* t = s.find("power_table")) {
    b.power_table = read_power_table(*this, *t, s.key("power_table"));
    if (b.power_W || b.leakage)
      fail(*t, "'" + s.key("power_table") + "' gives the block's total power, so '" +
                   s.key(b.power_W ? "power_W" : "leakage") +
                   "' must not be set; put all of the power into the table");
  }
  if (const auto* w = s.find("power_waveform"))
    b.power_waveform = read_power_waveform(*this, *w, s.key("power_waveform"));
  return b;
}

/// Reads the power-map CSV named at `node` (parse_power_map_csv gives the format). Errors in
/// the values point into the CSV file; a file that cannot be read, or holds no values, points
/// at the case-file key.
PowerMapSpec Reader::read_power_map(const toml::node& node, const std::string& path) const {
  DataFileText data = read_data_file(node, path, "power map");
  PowerMapSpec map;
  map.path = std::move(data.path);
  map.where = at(node);
  map.resolved_path = std::move(data.resolved_path);
  map.tiles = parse_power_map_csv(data.text, map.resolved_path);
  if (map.tiles.empty()) fail(node, "power map '" + map.path + "' has no values");
  for (const auto& row : map.tiles)
    for (double v : row) map.file_total += v;
  if (!std::isfinite(map.file_total))
    fail(node, "power map '" + map.path + "' sums to more than the largest representable number");
  return map;
}

InterfaceSpec Reader::read_interface(const Section& s) const {
  reject_unknown_keys(s, {"between", "R_m2K_per_W"});
  InterfaceSpec i;
  i.where = at(*s.table);
  const toml::node& between = require(s, "between");
  const auto* names = between.as_array();
  if (names == nullptr || names->size() != 2)
    fail(between,
         "'" + s.key("between") + "' must be an array of 2 region names, got " + describe(between));
  for (std::size_t k = 0; k < 2; ++k)
    i.between[k] = name_ref((*names)[k], s.key("between") + "[" + std::to_string(k) + "]");
  i.R_m2K_per_W = non_negative(require(s, "R_m2K_per_W"), s.key("R_m2K_per_W"), kM2KPerW);
  return i;
}

BoundarySpec Reader::read_boundary(const toml::node& node, const std::string& path) const {
  const Section s{&table(node, path), path};
  BoundarySpec b;
  b.listed = true;
  b.where = at(node);
  const std::string type = choice(require(s, "type"), s.key("type"),
                                  {"adiabatic", "convection", "fixed_temperature", "heat_flux"});
  const KeyList fluxes = {kFluxMapKey, kFluxPatchesKey};  // flux_patches.hpp
  if (type == "adiabatic") {
    reject_unknown_keys(s, concat({"type"}, fluxes));
    b.kind = solver::BoundaryKind::adiabatic;
  } else if (type == "convection") {
    reject_unknown_keys(s, concat({"type", "h_W_per_m2K", "h_map", "T_ambient_K"}, fluxes));
    b.kind = solver::BoundaryKind::convection;
    if (const auto* map = s.find("h_map")) {
      if (s.find("h_W_per_m2K") != nullptr)
        fail(*map, "'" + s.key("h_map") + "': give either 'h_W_per_m2K' or 'h_map', not both");
      b.h_map = read_h_map(*map, s.key("h_map"), file_, base_dir_);
    } else {
      b.h_W_per_m2K = positive(require(s, "h_W_per_m2K"), s.key("h_W_per_m2K"), kWPerM2K);
    }
    b.T_ambient_K = positive(require(s, "T_ambient_K"), s.key("T_ambient_K"), kKelvin);
  } else if (type == "fixed_temperature") {
    reject_unknown_keys(s, concat({"type", "T_K"}, fluxes));  // fluxes: rejected by the check
    b.kind = solver::BoundaryKind::fixed_temperature;
    b.T_K = positive(require(s, "T_K"), s.key("T_K"), kKelvin);
  } else {
    reject_unknown_keys(s, concat({"type", "q_W_per_m2"}, fluxes));
    b.kind = solver::BoundaryKind::heat_flux;
    b.q_W_per_m2 = number(require(s, "q_W_per_m2"), s.key("q_W_per_m2"));
  }
  read_face_fluxes(*s.table, path, file_, base_dir_, b);
  return b;
}

RefineSpec Reader::read_refine(const Section& s) const {
  reject_unknown_keys(s, {"origin_um", "size_um", "max_cell_um"});
  RefineSpec r;
  r.where = at(*s.table);
  const toml::node& origin = require(s, "origin_um");
  r.origin_m = lengths_m<3>(origin, s.key("origin_um"), false);
  r.origin_where = at(origin);
  r.size_m = lengths_m<3>(require(s, "size_um"), s.key("size_um"), true);
  r.max_cell_m = lengths_m<3>(require(s, "max_cell_um"), s.key("max_cell_um"), true);
  return r;
}

GridSpec Reader::read_grid(const toml::node& node) const {
  const Section s{&table(node, "grid"), "grid"};
  reject_unknown_keys(s, {"max_cell_xy_um", "max_cell_z_um", "max_neighbour_ratio",
                          "min_cells_per_layer", "refine"});
  GridSpec g;
  g.where = at(node);
  if (const auto* n = s.find("max_cell_xy_um"))
    g.max_cell_xy_m = positive(*n, s.key("max_cell_xy_um"), kUm) / kUmPerMetre;
  if (const auto* n = s.find("max_cell_z_um"))
    g.max_cell_z_m = positive(*n, s.key("max_cell_z_um"), kUm) / kUmPerMetre;
  if (const auto* n = s.find("max_neighbour_ratio")) {
    g.max_neighbour_ratio = number(*n, s.key("max_neighbour_ratio"));
    if (!(g.max_neighbour_ratio > 1.0))
      fail(*n, "'" + s.key("max_neighbour_ratio") + "' must be > 1, got " +
                   format_number(g.max_neighbour_ratio));
  }
  if (const auto* n = s.find("min_cells_per_layer"))
    g.min_cells_per_layer = integer_at_least(*n, s.key("min_cells_per_layer"), 1);
  if (const auto* n = s.find("refine"))
    for (const auto& r : table_array(*n, s.key("refine"))) g.refine.push_back(read_refine(r));
  return g;
}

SolverSpec Reader::read_solver(const toml::node& node) const {
  const Section s{&table(node, "solver"), "solver"};
  reject_unknown_keys(
      s, {"linear_solver", "relative_tolerance", "max_iterations", "picard_tolerance_K",
          "max_picard_iterations", "max_energy_imbalance", "runaway_T_K"});
  SolverSpec out;
  out.where = at(node);
  out.linear_solver_where = out.where;
  if (const auto* n = s.find("linear_solver")) {
    const KeyList names(solver::kLinearSolverNames.begin(), solver::kLinearSolverNames.end());
    const std::string kind = choice(*n, s.key("linear_solver"), names);
    for (auto k : kLinearSolverKinds)
      if (solver::to_string(k) == kind) out.linear_solver = k;
    out.linear_solver_where = at(*n);
  }
  if (const auto* n = s.find("relative_tolerance"))
    out.relative_tolerance = open_fraction(*n, s.key("relative_tolerance"));
  if (const auto* n = s.find("max_iterations"))
    out.max_iterations = integer_at_least(*n, s.key("max_iterations"), 1);
  if (const auto* n = s.find("picard_tolerance_K"))
    out.picard_tolerance_K = positive(*n, s.key("picard_tolerance_K"), kKelvin);
  if (const auto* n = s.find("max_picard_iterations"))
    out.max_picard_iterations = integer_at_least(*n, s.key("max_picard_iterations"), 1);
  if (const auto* n = s.find("max_energy_imbalance"))
    out.max_energy_imbalance = open_fraction(*n, s.key("max_energy_imbalance"));
  if (const auto* n = s.find("runaway_T_K"))
    out.runaway_T_K = positive(*n, s.key("runaway_T_K"), kKelvin);
  return out;
}

ProbeSpec Reader::read_probe(const Section& s) const {
  reject_unknown_keys(s, {"name", "at_um", "on_face"});
  ProbeSpec p;
  p.where = at(*s.table);
  p.name = required_name(s, p.name_where);
  const toml::node& a = require(s, "at_um");
  p.at_m = lengths_m<3>(a, s.key("at_um"), false);
  p.at_where = at(a);
  if (const auto* f = s.find("on_face"))
    p.on_face_axis = choice(*f, s.key("on_face"), {"x", "y", "z"})[0] - 'x';
  return p;
}

OutputSpec Reader::read_output(const toml::node& node) const {
  const Section s{&table(node, "output"), "output"};
  reject_unknown_keys(s, {"fields", "probes", kOutputFormatsKey, kOutputMapsKey, kFaceStatsKey});
  OutputSpec out;
  out.where = at(node);
  if (const auto* n = s.find("fields")) {
    const KeyList choices(kOutputFieldNames.begin(), kOutputFieldNames.end());
    const auto& list = array(*n, s.key("fields"));
    out.fields.clear();
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string path = s.key("fields") + "[" + std::to_string(i) + "]";
      std::string field = choice(list[i], path, choices);
      if (std::find(out.fields.begin(), out.fields.end(), field) != out.fields.end())
        fail(list[i], "'" + path + "' repeats '" + field + "'");
      out.fields.push_back(std::move(field));
    }
  }
  if (const auto* n = s.find("probes"))
    for (const auto& p : table_array(*n, s.key("probes"))) out.probes.push_back(read_probe(p));
  read_output_formats_and_maps(s, file_, base_dir_, out);
  read_face_stats(s, file_, base_dir_, out);
  return out;
}

CaseSpec Reader::read(const toml::table& root) const {
  const Section top{&root, ""};
  KeyList top_keys = {"title",      "package",  "materials", "layers", "blocks",
                      "interfaces", "boundary", "grid",      "solver", "output"};
  top_keys.insert(top_keys.end(), kPhotonicsTopLevelKeys.begin(), kPhotonicsTopLevelKeys.end());
  top_keys.push_back(kElectricalTopLevelKey);
  top_keys.push_back(kColdPlatesTopLevelKey);
  top_keys.push_back(kCavitiesTopLevelKey);
  top_keys.push_back("sweep");  // read by sweep_reader.hpp; a plain run ignores it
  top_keys.push_back("operating_points");
  top_keys.push_back(kTransientTopLevelKey);
  reject_unknown_keys(top, top_keys);
  CaseSpec spec;
  // Sections left out of the file are reported at the file itself.
  spec.grid.where = spec.solver.where = spec.solver.linear_solver_where =
      spec.output.where = {file_};
  for (auto& b : spec.boundaries) b.where = {file_};
  spec.case_path = file_;
  spec.base_dir = base_dir_;
  spec.title = fs::path(file_).stem().string();
  if (const auto* n = top.find("title")) spec.title = string(*n, "title", kMaxTitleBytes);
  spec.package = read_package(require(top, "package"));
  if (const auto* n = top.find("materials")) {
    for (const auto& [key, value] : table(*n, "materials"))
      spec.materials.push_back(read_material(key, value));
  }
  if (const auto* n = top.find("layers"))
    for (const auto& s : table_array(*n, "layers")) spec.layers.push_back(read_layer(s));
  if (const auto* n = top.find("blocks"))
    for (const auto& s : table_array(*n, "blocks")) spec.blocks.push_back(read_block(s));
  if (const auto* n = top.find("interfaces"))
    for (const auto& s : table_array(*n, "interfaces"))
      spec.interfaces.push_back(read_interface(s));
  if (const auto* n = top.find("boundary")) {
    const Section s{&table(*n, "boundary"), "boundary"};
    reject_unknown_keys(s, KeyList(kBoundaryFaceNames.begin(), kBoundaryFaceNames.end()));
    for (std::size_t f = 0; f < kBoundaryFaceNames.size(); ++f)
      if (const auto* face = s.find(kBoundaryFaceNames[f]))
        spec.boundaries[f] = read_boundary(*face, s.key(kBoundaryFaceNames[f]));
  }
  if (const auto* n = top.find("grid")) spec.grid = read_grid(*n);
  if (const auto* n = top.find("solver")) spec.solver = read_solver(*n);
  if (const auto* n = top.find("output")) spec.output = read_output(*n);
  spec.photonics = read_photonics(root, file_, base_dir_);
  spec.photonics.links = read_links(root, file_, base_dir_);
  spec.operating_points = read_operating_points(root, file_, base_dir_);
  spec.electrical = read_electrical(root, file_, base_dir_);
  spec.cold_plates = read_cold_plates(root, file_, base_dir_);
  spec.cavities = read_cavities(root, file_, spec.layers, spec.package.footprint_m);
  spec.transient = read_transient(root, file_);
  check_transient(spec);
  return spec;
}

}  // namespace

CaseSpec read_case_sections(const std::string& text, const std::string& display_name,
                            const std::string& base_dir, const CaseCheck& check) {
  InputFileRecord record;  // every data file the readers open
  const toml::table root = parse_case_toml(text, display_name);
  CaseSpec spec = Reader(display_name, base_dir).read(root);
  check(spec);
  spec.warnings = plausibility_warnings(root, display_name);
  spec.input_files = record.files();
  return spec;
}

}  // namespace cposim::cases
