/// \file
/// Cross-reference and geometry checks, and material resolution (built-ins, user materials,
/// effective media from physics.md §1.4 via materials/effective_medium.hpp).
#include "cases/resolve/case_check.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>
#include <utility>

#include "cases/read/cold_plate_reader.hpp"
#include "cases/read/face_flux_reader.hpp"
#include "cases/read/face_stats_reader.hpp"
#include "cases/read/link_reader.hpp"
#include "cases/read/operating_points_reader.hpp"
#include "cases/read/output_maps_reader.hpp"
#include "cases/read/photonics_reader.hpp"
#include "cases/resolve/lane_plan.hpp"
#include "cases/resolve/memory_estimate.hpp"
#include "materials/builtin.hpp"
#include "materials/effective_medium.hpp"
#include "mesh/grid_builder.hpp"
#include "solver/linear/linear_solver.hpp"

namespace cposim::cases {
namespace {

std::string um(double metres) { return format_number(metres * 1e6); }

template <typename Names>
std::string join(const Names& names) {
  std::string out;
  for (const auto& n : names) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}

/// Every material name a case can use: built-ins and the case's own, sorted.
std::set<std::string> known_material_names(const CaseSpec& spec) {
  std::set<std::string> names;
  for (const auto& m : materials::builtin_materials()) names.insert(m.name);
  for (const auto& m : spec.materials) names.insert(m.name);
  return names;
}

/// Resolves user materials in dependency order, detecting definitions that refer to
/// themselves through other materials.
class MaterialResolver {
 public:
  explicit MaterialResolver(const CaseSpec& spec)
      : spec_(spec), known_(known_material_names(spec)) {
    for (const auto& m : materials::builtin_materials()) resolved_[m.name] = m;
    for (const auto& m : spec.materials) user_[m.name] = &m;
  }

  std::map<std::string, materials::Material> resolve_all() {
    for (const auto& m : spec_.materials) get(m.name, m.where, nullptr);
    return resolved_;
  }

 private:
  /// The material `name`, referenced at `where` from user material `from` (null: the top).
  const materials::Material& get(const std::string& name, const SourceLocation& where,
                                 const MaterialSpec* from) {
    // Inside [materials.X], the name X means the built-in X that this definition replaces.
    if (from != nullptr && name == from->name) {
      if (const auto* builtin = materials::find_builtin(name)) return *builtin;
      throw CaseError(where, "material '" + name + "' refers to itself");
    }
    const auto user = user_.find(name);
    if (user == user_.end()) {
      const auto it = resolved_.find(name);
      if (it != resolved_.end()) return it->second;
      const std::string context = from ? " in material '" + from->name + "'" : std::string();
      throw CaseError(where,
                      "unknown material '" + name + "'" + context + "; known: " + join(known_));
    }
    if (done_.count(name)) return resolved_.at(name);
    if (std::find(visiting_.begin(), visiting_.end(), name) != visiting_.end())
      throw CaseError(where,
                      "material '" + from->name + "' depends on itself through '" + name + "'");
    visiting_.push_back(name);
    materials::Material m = build(*user->second);
    visiting_.pop_back();
    try {
      materials::validate(m);
    } catch (const std::invalid_argument& e) {
      throw CaseError(user->second->where, e.what());
    }
    done_.insert(name);
    return resolved_[name] = std::move(m);
  }

  materials::Material build(const MaterialSpec& s) {
    switch (s.kind) {
      case MaterialSpec::Kind::bump_array: {
        const auto& b = s.bump_array;
        const auto& bump = get(b.bump.name, b.bump.where, &s);
        const auto& fill = get(b.fill.name, b.fill.where, &s);
        return materials::cylinder_array(s.name, b.pitch_m, b.diameter_m, bump, fill);
      }
      case MaterialSpec::Kind::laminate: {
        std::vector<materials::Lamina> laminae;
        for (const auto& l : s.laminae)
          laminae.push_back({&get(l.material.name, l.material.where, &s), l.thickness_m});
        return materials::laminate(s.name, laminae);
      }
      case MaterialSpec::Kind::metal_coverage: {
        const auto& c = s.metal_coverage;
        const auto& metal = get(c.metal.name, c.metal.where, &s);
        const auto& dielectric = get(c.dielectric.name, c.dielectric.where, &s);
        return materials::metal_coverage(s.name, c.coverage, metal, dielectric, c.kz);
      }
      case MaterialSpec::Kind::based:
      case MaterialSpec::Kind::full:
        break;
    }
    materials::Material m;
    if (s.kind == MaterialSpec::Kind::based) {
      m = get(s.base.name, s.base.where, &s);
      m.source = "case file, based on " + m.name;
    } else {
      m.source = "case file";
    }
    m.name = s.name;
    if (s.k_W_per_mK) m.k_W_per_mK = *s.k_W_per_mK;
    if (s.rho_kg_per_m3) m.rho_kg_per_m3 = *s.rho_kg_per_m3;
    if (s.cp_J_per_kgK) m.cp_J_per_kgK = *s.cp_J_per_kgK;
    if (s.k_T_exponent) {
      m.law = *s.k_T_exponent == 0.0 ? materials::ConductivityLaw::constant
                                     : materials::ConductivityLaw::power_law;
      m.exponent = *s.k_T_exponent;
      m.T_ref_K = s.T_ref_K.value_or(300.0);
      m.table_T_K.clear();
      m.table_factor.clear();
    }
    if (s.k_table) {
      // Isotropic k(T): k_ref is the first point, the factors are relative to it.
      const auto& t = *s.k_table;
      const double k0 = t.k_W_per_mK.front();
      m.k_W_per_mK = {k0, k0, k0};
      m.law = materials::ConductivityLaw::table;
      m.T_ref_K = t.T_K.front();
      m.exponent = 0.0;
      m.table_T_K = t.T_K;
      m.table_factor.clear();
      for (double k : t.k_W_per_mK) m.table_factor.push_back(k / k0);
    }
    return m;
  }

  const CaseSpec& spec_;
  std::set<std::string> known_;
  std::map<std::string, const MaterialSpec*> user_;
  std::map<std::string, materials::Material> resolved_;
  std::set<std::string> done_;
  std::vector<std::string> visiting_;
};

/// Throws if `name` is not a material the case can use.
void check_material_ref(const NameRef& ref, const std::set<std::string>& known,
                        const std::string& context) {
  if (known.count(ref.name) == 0)
    throw CaseError(ref.where,
                    "unknown material '" + ref.name + "' " + context + "; known: " + join(known));
}

constexpr const char* kAxis[3] = {"x", "y", "z"};

/// Throws at `where` if `box` leaves `package` on any axis.
void check_inside(const mesh::Box& box, const mesh::Box& package, const std::string& what,
                  const SourceLocation& where) {
  for (int a = 0; a < 3; ++a) {
    if (box.lo_m[a] < package.lo_m[a] - kGeometryTolerance_m ||
        box.hi_m[a] > package.hi_m[a] + kGeometryTolerance_m)
      throw CaseError(where, what + " extends outside the package: " + kAxis[a] + " from " +
                                 um(box.lo_m[a]) + " to " + um(box.hi_m[a]) + " µm, package " +
                                 kAxis[a] + " from " + um(package.lo_m[a]) + " to " +
                                 um(package.hi_m[a]) + " µm");
  }
}

/// Sizes below the plane-merging tolerance would vanish from the grid.
void check_resolvable(const CaseSpec& spec) {
  const std::string minimum = um(kGeometryTolerance_m) + " µm";
  for (int a = 0; a < 2; ++a)
    if (!(spec.package.footprint_m[a] > kGeometryTolerance_m))
      throw CaseError(spec.package.where, std::string("the package footprint along ") + kAxis[a] +
                                              " is not larger than the geometry tolerance " +
                                              minimum);
  for (std::size_t i = 0; i < spec.layers.size(); ++i)
    if (spec.layers[i].thickness_m < kGeometryTolerance_m)
      throw CaseError(
          spec.layers[i].where,
          "layer '" + spec.layers[i].name + "' is thinner than the geometry tolerance " + minimum);
  for (const auto& b : spec.blocks)
    for (int a = 0; a < 3; ++a)
      if (b.size_m[a] < kGeometryTolerance_m)
        throw CaseError(b.where, "block '" + b.name + "' is smaller than the geometry tolerance " +
                                     minimum + " along " + kAxis[a]);
}

/// The solver's 32-bit sparse indices (7 entries per row) cap a grid at about 300 million
/// cells; the estimate is a lower bound, so only grids that are certainly too large fail here.
void check_grid_size(const CaseSpec& spec) {
  const GridEstimate e = estimate_grid(spec);
  if (e.cells > kMaxGridCells)
    throw CaseError(spec.grid.where, "the grid would have at least " + to_string(e) +
                                         ", more than the solver's limit of " +
                                         format_number(kMaxGridCells) + "; " + kHowToCoarsen);
}

void check_names(const CaseSpec& spec) {
  std::map<std::string, std::string> regions;  // name → "layer 'x' (line n)"
  auto add = [&](const std::string& name, const std::string& kind, const SourceLocation& where) {
    const auto [it, inserted] =
        regions.emplace(name, kind + " '" + name + "' at line " + std::to_string(where.line));
    if (!inserted)
      throw CaseError(where, "duplicate name '" + name + "': already used by " + it->second);
  };
  for (const auto& l : spec.layers) add(l.name, "layer", l.name_where);
  for (const auto& b : spec.blocks) add(b.name, "block", b.name_where);
  std::map<std::string, int> probes;
  for (const auto& p : spec.output.probes) {
    const auto [it, inserted] = probes.emplace(p.name, p.name_where.line);
    if (!inserted)
      throw CaseError(p.name_where, "duplicate probe name '" + p.name + "': already used at line " +
                                        std::to_string(it->second));
  }
}

void check_interfaces(const CaseSpec& spec) {
  std::map<std::string, mesh::Box> boxes;
  const auto layers = layer_boxes(spec);
  for (std::size_t i = 0; i < spec.layers.size(); ++i) boxes[spec.layers[i].name] = layers[i];
  for (const auto& b : spec.blocks) boxes[b.name] = block_box(b);
  std::vector<std::string> names;
  for (const auto& l : spec.layers) names.push_back(l.name);
  for (const auto& b : spec.blocks) names.push_back(b.name);
  std::sort(names.begin(), names.end());

  std::set<std::pair<std::string, std::string>> pairs;
  for (const auto& i : spec.interfaces) {
    for (const auto& ref : i.between)
      if (boxes.count(ref.name) == 0)
        throw CaseError(ref.where, "unknown region '" + ref.name +
                                       "' in interface; known layers and blocks: " + join(names));
    const auto& a = i.between[0];
    const auto& b = i.between[1];
    if (a.name == b.name)
      throw CaseError(b.where,
                      "an interface needs two different regions, got '" + a.name + "' twice");
    if (!boxes_touch(boxes[a.name], boxes[b.name]))
      throw CaseError(i.where, "interface between '" + a.name + "' and '" + b.name +
                                   "': the two boxes do not touch (no shared face)");
    const auto key = std::minmax(a.name, b.name);
    if (!pairs.insert({key.first, key.second}).second)
      throw CaseError(i.where, "duplicate interface between '" + a.name + "' and '" + b.name + "'");
  }
}

}  // namespace

mesh::GridRequest grid_request(const CaseSpec& spec) {
  mesh::GridRequest request;
  request.domain = package_box(spec);
  for (const auto& box : layer_boxes(spec)) request.conforming_boxes.push_back(box);
  for (const auto& b : spec.blocks) request.conforming_boxes.push_back(block_box(b));
  for (const auto& p : spec.cold_plates)
    request.conforming_boxes.push_back(cold_plate_box(spec, p));
  for (const auto& box : flux_patch_boxes(spec)) request.conforming_boxes.push_back(box);
  for (const auto& c : spec.cavities)  // a cavity's extent is a grid plane
    if (c.has_extent) request.conforming_boxes.push_back(cavity_box(spec, c));
  request.max_cell_m = {spec.grid.max_cell_xy_m, spec.grid.max_cell_xy_m, spec.grid.max_cell_z_m};
  request.max_neighbour_ratio = spec.grid.max_neighbour_ratio;
  request.min_cells_per_interval = {1, 1, spec.grid.min_cells_per_layer};
  // One cell per layer is a request for exactly one (another tool's grid), not a minimum.
  request.exact_min_cells = {false, false, spec.grid.min_cells_per_layer == 1};
  for (const auto& r : spec.grid.refine) {
    mesh::RefinementZone zone;
    zone.box.lo_m = r.origin_m;
    for (int a = 0; a < 3; ++a) zone.box.hi_m[a] = r.origin_m[a] + r.size_m[a];
    zone.max_cell_m = r.max_cell_m;
    request.refinements.push_back(zone);
  }
  return request;
}

GridEstimate estimate_grid(const CaseSpec& spec) {
  GridEstimate e;
  try {
    e.cells_per_axis = mesh::estimate_cells_per_axis(grid_request(spec));
  } catch (const std::invalid_argument& error) {
    throw CaseError(spec.grid.where, std::string("cannot build the grid: ") + error.what());
  }
  e.cells = e.cells_per_axis[0] * e.cells_per_axis[1] * e.cells_per_axis[2];
  e.bytes = estimate_run_bytes(spec, e.cells);
  return e;
}

std::string to_string(const GridEstimate& e) {
  const auto n = [](double v) { return format_number(v); };
  return n(e.cells) + " cells (" + n(e.cells_per_axis[0]) + " x " + n(e.cells_per_axis[1]) + " x " +
         n(e.cells_per_axis[2]) + ")";
}

std::map<std::string, materials::Material> resolve_materials(const CaseSpec& spec) {
  return MaterialResolver(spec).resolve_all();
}

void check_case(const CaseSpec& spec) {
  check_names(spec);

  // Materials: definitions first (they may refer to each other), then every use.
  resolve_materials(spec);
  const auto known = known_material_names(spec);
  check_material_ref(spec.package.fill, known, "for the package fill");
  for (const auto& l : spec.layers)
    check_material_ref(l.material, known, "in layer '" + l.name + "'");
  for (const auto& b : spec.blocks)
    check_material_ref(b.material, known, "in block '" + b.name + "'");

  // Geometry.
  const mesh::Box package = package_box(spec);
  if (!(package.hi_m[2] > 0.0))
    throw CaseError(spec.package.where,
                    "the package has no height: add [[layers]] or [[blocks]] above z = 0");
  check_resolvable(spec);
  check_grid_size(spec);
  for (const auto& b : spec.blocks)
    check_inside(block_box(b), package, "block '" + b.name + "'", b.origin_where);
  for (std::size_t i = 0; i < spec.grid.refine.size(); ++i) {
    const auto& r = spec.grid.refine[i];
    mesh::Box box;
    box.lo_m = r.origin_m;
    for (int a = 0; a < 3; ++a) box.hi_m[a] = r.origin_m[a] + r.size_m[a];
    check_inside(box, package, "refinement zone grid.refine[" + std::to_string(i) + "]",
                 r.origin_where);
  }
  for (const auto& p : spec.output.probes) {
    for (int a = 0; a < 3; ++a) {
      if (p.at_m[a] < package.lo_m[a] - kGeometryTolerance_m ||
          p.at_m[a] > package.hi_m[a] + kGeometryTolerance_m)
        throw CaseError(p.at_where, "probe '" + p.name + "' is outside the package: " + kAxis[a] +
                                        " = " + um(p.at_m[a]) + " µm, package " + kAxis[a] +
                                        " from " + um(package.lo_m[a]) + " to " +
                                        um(package.hi_m[a]) + " µm");
    }
  }
  check_interfaces(spec);

  // Physics and build: a steady state needs a face that removes heat (a transient run from
  // a given temperature does not: an adiabatic package just heats up).
  bool has_sink = !spec.cold_plates.empty() || !spec.cavities.empty() ||
                  (spec.transient && spec.transient->initial == InitialState::ambient);
  for (const auto& b : spec.boundaries)
    has_sink = has_sink || b.kind == solver::BoundaryKind::convection ||
               b.kind == solver::BoundaryKind::fixed_temperature;
  if (!has_sink)
    throw CaseError({spec.case_path},
                    "no boundary removes heat, so no steady state exists: make at least one "
                    "[boundary.<face>] convection or fixed_temperature");
  if (spec.solver.linear_solver == solver::LinearSolverKind::amg_cg && !solver::has_amg())
    throw CaseError(spec.solver.linear_solver_where,
                    "linear_solver 'amg_cg' is not available in this build (no hypre); use "
                    "auto, gmg_cg, jacobi_cg or direct");
  check_photonics(spec);
  check_links(spec);
  check_operating_points(spec);
  check_electrical(spec);
  check_cold_plates(spec);
  check_face_fluxes(spec);
  check_face_stats(spec);
  check_output_maps(spec);
}

}  // namespace cposim::cases
