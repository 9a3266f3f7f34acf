/// \file
/// Coolant cavities: wall materials, solid-fluid links, the march between solves, results.
#include "cases/run/cavity_coupling.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <sstream>

#include "cases/spec/case_geometry.hpp"
#include "materials/fluids.hpp"
#include "mesh/units.hpp"
#include "postproc/io/tabulate.hpp"
#include "solver/coolant.hpp"

namespace cposim::cases {
namespace {

using mesh::kKelvinAtZeroCelsius;

std::size_t layer_index(const CaseSpec& spec, const CavitySpec& c) {
  for (std::size_t l = 0; l < spec.layers.size(); ++l)
    if (spec.layers[l].name == c.layer) return l;
  return 0;  // read_cavities checked the name
}

const materials::Fluid& fluid_of(const CavitySpec& c) {
  return *materials::find_fluid(c.coolant);  // known after read_case
}

double rho_cp(const CavitySpec& c) {
  const auto& f = fluid_of(c);
  return c.rho_cp_J_per_m3K ? *c.rho_cp_J_per_m3K : f.rho_kg_per_m3 * f.cp_J_per_kgK;
}

/// Width of the cavity across its flow (its extent's, else the footprint's).
double across_width_m(const CaseSpec& spec, const CavitySpec& c) {
  const auto across = static_cast<std::size_t>(1 - c.flow_axis);
  return c.has_extent ? c.size_m[across] : spec.package.footprint_m[across];
}

/// The region holding cavity `c`'s channels: its layer's.
mesh::RegionId cavity_region(const CaseSpec& spec, const CavitySpec& c) {
  return static_cast<mesh::RegionId>(1 + layer_index(spec, c));
}

/// A cavity with an extent: the cells of its layer outside the extent become a region of their
/// own, "<layer> (outside the cavity)": the layer's material as written (solid wall), its
/// contacts and its share of the layer's power. The layer's region keeps the channels. The
/// extent's edges are grid planes (grid_request). Call before the walls are homogenised.
void split_cavity_region(const CaseSpec& spec, const CavitySpec& c, BuiltProblem& built) {
  const auto& g = *built.grid;
  const auto layer = cavity_region(spec, c);
  const auto id = static_cast<mesh::RegionId>(built.regions.size());
  const mesh::Box box = cavity_box(spec, c);
  RegionInfo info = built.regions[static_cast<std::size_t>(layer)];
  info.name = c.layer + " (outside the cavity)";
  info.power_W = 0.0;
  std::size_t moved = 0;
  for (std::size_t cell = 0; cell < g.num_cells(); ++cell) {
    if (built.region_of_cell[cell] != layer) continue;
    const auto ijk = g.ijk(cell);
    bool inside = true;
    for (int a = 0; a < 2; ++a) {
      const double x = g.centre(a, ijk[static_cast<std::size_t>(a)]);
      inside = inside && x > box.lo_m[static_cast<std::size_t>(a)] &&
               x < box.hi_m[static_cast<std::size_t>(a)];
    }
    if (inside) continue;
    built.region_of_cell[cell] = id;
    info.power_W += built.cell_power_W[cell];
    ++moved;
  }
  if (moved == 0) return;  // the extent covers the layer: nothing outside
  built.regions[static_cast<std::size_t>(layer)].power_W -= info.power_W;
  built.regions.push_back(info);
  built.region_material.push_back(built.region_material[static_cast<std::size_t>(layer)]);
  solver::ContactTable contacts(built.regions.size());
  for (std::size_t a = 0; a < built.regions.size(); ++a)
    for (std::size_t b = 0; b < a; ++b) {
      const auto ra = static_cast<mesh::RegionId>(a == static_cast<std::size_t>(id) ? layer : a);
      const auto rb = static_cast<mesh::RegionId>(b);
      if (ra != rb) contacts.set(static_cast<mesh::RegionId>(a), rb, built.contacts.get(ra, rb));
    }
  built.contacts = std::move(contacts);
}

}  // namespace

CavityFilm cavity_film(const CaseSpec& spec, const CavitySpec& c) {
  CavityFilm film;
  const double H = spec.layers[layer_index(spec, c)].thickness_m;
  const double W = across_width_m(spec, c);
  if (c.model == CavityModel::pin_fin) {
    film.porosity = solver::pin_fin_porosity(c.pin_diameter_m, c.pin_pitch_m);
    const double u =
        c.darcy_velocity_m_per_s ? *c.darcy_velocity_m_per_s : *c.flow_m3_per_s / (H * W);
    film.velocity_m_per_s = u;
    film.capacity_W_per_K = rho_cp(c) * u * H * W;
    film.h_top_W_per_m2K = film.h_bottom_W_per_m2K = solver::pin_fin_h_W_per_m2K(u, c.staggered);
    return film;
  }
  const double pitch = c.channel_width_m + c.wall_width_m;
  film.porosity = solver::channel_porosity(c.channel_width_m, c.wall_width_m);
  film.capacity_W_per_K = rho_cp(c) * *c.flow_m3_per_s;
  const int count = std::max(1, static_cast<int>(std::lround(W / pitch)));
  const auto channel = solver::channel_heat_transfer(fluid_of(c), *c.flow_m3_per_s,
                                                     {count, c.channel_width_m, H}, W);
  film.velocity_m_per_s = channel.velocity_m_per_s;
  if (c.h_top_W_per_m2K) {
    film.h_top_W_per_m2K = *c.h_top_W_per_m2K;
    film.h_bottom_W_per_m2K = *c.h_bottom_W_per_m2K;
    film.h_side_W_per_m2K = c.h_side_W_per_m2K.value_or(0.0);
    return film;
  }
  film.from_correlation = true;
  film.reynolds = channel.reynolds;
  film.nusselt = channel.nusselt;
  const double h = channel.h_channel_W_per_m2K;
  if (c.model == CavityModel::four_resistor) {
    film.h_top_W_per_m2K = film.h_bottom_W_per_m2K = film.h_side_W_per_m2K = h;
  } else {  // 2rm: ceiling (floor) plus half of each side wall per pitch, fin efficiency 1
    film.h_top_W_per_m2K = film.h_bottom_W_per_m2K = h * (c.channel_width_m + H) / pitch;
  }
  return film;
}

namespace {

/// Conductance from a cell centre through its half height to the wall and the film.
double wall_film_G(double half_height_m, double k_W_per_mK, double area_m2, double h,
                   double wetted_m2) {
  return 1.0 / (half_height_m / (k_W_per_mK * area_m2) + 1.0 / (h * wetted_m2));
}

/// 4rm: the depth of the layer next to the cavity (side +1 above, −1 below) that is split over
/// the walls and the channels (add_wall_contacts): the layer's thickness, at most half the
/// channel pitch (heat spreads sideways within about that depth). 0 for the other models or
/// without a layer there.
double split_depth_m(const CaseSpec& spec, const CavitySpec& c, int side) {
  const std::size_t l = layer_index(spec, c);
  if (c.model != CavityModel::four_resistor || (side < 0 && l == 0) ||
      (side > 0 && l + 1 >= spec.layers.size()))
    return 0.0;
  const double pitch = c.channel_width_m + c.wall_width_m;
  return std::min(spec.layers[side > 0 ? l + 1 : l - 1].thickness_m, 0.5 * pitch);
}

/// Lanes and links of cavity `c` on the built grid (materials of the neighbours as built).
std::vector<solver::CavityLane> cavity_lanes(const CaseSpec& spec, const CavitySpec& c,
                                             const CavityFilm& film, const BuiltProblem& built) {
  const auto& g = *built.grid;
  const auto n = g.cells_per_axis();
  const auto region = cavity_region(spec, c);
  const int along = c.flow_axis, across = 1 - c.flow_axis;
  // The cells of the extent along each axis (all of them without one).
  const mesh::Box box = cavity_box(spec, c);
  std::array<std::size_t, 2> first{}, count{};
  for (int a = 0; a < 2; ++a) {
    const auto ua = static_cast<std::size_t>(a);
    first[ua] = n[ua];
    for (std::size_t i = 0; i < n[ua]; ++i) {
      const double x = g.centre(a, i);
      if (x < box.lo_m[ua] || x > box.hi_m[ua]) continue;
      first[ua] = std::min(first[ua], i);
      ++count[ua];
    }
  }
  const auto n_along = count[static_cast<std::size_t>(along)];
  const auto n_across = count[static_cast<std::size_t>(across)];
  const auto first_along = first[static_cast<std::size_t>(along)];
  const auto first_across = first[static_cast<std::size_t>(across)];
  const double W = across_width_m(spec, c);
  const double pitch = c.channel_width_m + c.wall_width_m;
  const bool four = c.model == CavityModel::four_resistor;
  const double wet = four ? film.porosity : 1.0;  // top/bottom wetted share of the footprint
  std::vector<solver::CavityLane> lanes(n_across);
  for (std::size_t lane_index = 0; lane_index < n_across; ++lane_index) {
    auto& lane = lanes[lane_index];
    const std::size_t r = first_across + lane_index;
    lane.capacity_W_per_K = film.capacity_W_per_K * g.width(across, r) / W;
    for (std::size_t s = 0; s < n_along; ++s) {
      const std::size_t a = first_along + (c.flow_sign > 0 ? s : n_along - 1 - s);
      const std::size_t i = along == 0 ? a : r, j = along == 0 ? r : a;
      const double A = g.width(0, i) * g.width(1, j);
      solver::CavityStep step;
      std::size_t k_lo = n[2], k_hi = 0;
      for (std::size_t k = 0; k < n[2]; ++k) {
        const std::size_t cell = g.cell(i, j, k);
        if (built.region_of_cell[cell] != region) continue;
        k_lo = std::min(k_lo, k);
        k_hi = std::max(k_hi, k);
        step.fluid_capacity_J_per_K += rho_cp(c) * film.porosity * A * g.width(2, k);
        if (four)
          step.links.push_back({cell, film.h_side_W_per_m2K * 2.0 * g.width(2, k) *
                                          g.width(along, a) * g.width(across, r) / pitch});
      }
      if (k_lo <= k_hi) {
        const auto link = [&](std::size_t k, double h, int side) {
          const std::size_t cell = g.cell(i, j, k);
          const auto& m =
              built.region_material[static_cast<std::size_t>(built.region_of_cell[cell])];
          // 4rm: the neighbour's split depth t conducts to the channel over φ A only (the rest
          // touches the walls: add_wall_contacts); from the cell centre that is the depth
          // t (1 − φ) + φ d/2 over φ A, so that the whole path matches t over φ A.
          const double half = 0.5 * g.width(2, k), t = split_depth_m(spec, c, side);
          const double depth = t > half ? t * (1.0 - wet) + wet * half : half;
          step.links.push_back({cell, wall_film_G(depth, m.k_W_per_mK[2], wet * A, h, wet * A)});
        };
        if (k_hi + 1 < n[2]) link(k_hi + 1, film.h_top_W_per_m2K, +1);
        if (k_lo > 0) link(k_lo - 1, film.h_bottom_W_per_m2K, -1);
      }
      lane.steps.push_back(std::move(step));
    }
  }
  return lanes;
}

/// Writes the sinks of every cavity's last march into built.cell_sinks.
template <typename Cavities>
void write_sinks(const Cavities& cavities, BuiltProblem& built) {
  auto& s = built.cell_sinks;
  s.G_W_per_K.assign(built.grid->num_cells(), 0.0);
  s.T_K.assign(built.grid->num_cells(), 0.0);
  for (const auto& c : cavities) solver::add_cavity_sinks(c.lanes, c.last, s);
}

/// A march with the fluid at the inlet everywhere (before the first solve).
solver::CavityMarch inlet_march(const std::vector<solver::CavityLane>& lanes, double T_K) {
  solver::CavityMarch m;
  m.outlet_T_K = T_K;
  for (const auto& lane : lanes) {
    m.fluid_T_K.emplace_back(lane.steps.size(), T_K);
    m.step_heat_W.emplace_back(lane.steps.size(), 0.0);
  }
  return m;
}

/// 4rm: a layer next to the cavity touches its walls over (1 − φ) of the footprint only, the
/// rest of it lies over the channels (3D-ICE resolves each wall and channel column; a thin
/// low-k neighbour such as a BEOL cannot spread its heat sideways onto the walls). So its
/// split depth t (split_depth_m) conducts to the homogenised walls over (1 − φ) A: a contact
/// R'' = t φ / ((1 − φ) k_z) in series with the face, per neighbouring region.
void add_wall_contacts(const CaseSpec& spec, const CavitySpec& c, double phi, BuiltProblem& built) {
  const auto& g = *built.grid;
  const auto n = g.cells_per_axis();
  const auto region = cavity_region(spec, c);
  std::vector<double> added(built.region_material.size(), 0.0);
  for (std::size_t cell = 0; cell < g.num_cells(); ++cell) {
    if (built.region_of_cell[cell] != region) continue;
    const auto ijk = g.ijk(cell);
    for (const int side : {-1, 1}) {
      const std::size_t k = ijk[2] + static_cast<std::size_t>(side);  // wraps below 0
      if (k >= n[2]) continue;
      const auto r = static_cast<std::size_t>(built.region_of_cell[g.cell(ijk[0], ijk[1], k)]);
      if (r == static_cast<std::size_t>(region)) continue;
      const double k_z = built.region_material[r].k_W_per_mK[2];
      added[r] = std::max(added[r], split_depth_m(spec, c, side) * phi / ((1.0 - phi) * k_z));
    }
  }
  for (std::size_t r = 0; r < added.size(); ++r) {
    if (!(added[r] > 0.0)) continue;
    const auto other = static_cast<mesh::RegionId>(r);
    built.contacts.set(region, other, built.contacts.get(region, other) + added[r]);
  }
}

}  // namespace

void apply_cavities(const CaseSpec& spec, BuiltProblem& built) {
  if (spec.cavities.empty()) return;
  for (const auto& c : spec.cavities) {
    if (c.has_extent) split_cavity_region(spec, c, built);
    const auto region = static_cast<std::size_t>(cavity_region(spec, c));
    const double phi = cavity_film(spec, c).porosity;
    auto& m = built.region_material[region];
    const double k_fluid = fluid_of(c).k_W_per_mK;
    const auto across = static_cast<std::size_t>(1 - c.flow_axis);
    for (std::size_t a = 0; a < 3; ++a)
      m.k_W_per_mK[a] = a == across ? 1.0 / ((1.0 - phi) / m.k_W_per_mK[a] + phi / k_fluid)
                                    : (1.0 - phi) * m.k_W_per_mK[a];
    m.rho_kg_per_m3 *= 1.0 - phi;
    m.name += " (cavity walls)";
    if (c.model == CavityModel::four_resistor) add_wall_contacts(spec, c, phi, built);
  }
  CavityCoupling initial(spec, built);  // writes the sinks with the fluid at the inlet
}

CavityCoupling::CavityCoupling(const CaseSpec& spec, BuiltProblem& built) : built_(&built) {
  for (const auto& c : spec.cavities) {
    Cavity cav;
    cav.spec = &c;
    cav.film = cavity_film(spec, c);
    cav.lanes = cavity_lanes(spec, c, cav.film, built);
    cav.last = inlet_march(cav.lanes, c.inlet_T_K);
    cavities_.push_back(std::move(cav));
  }
  if (!cavities_.empty()) write_sinks(cavities_, built);
}

void CavityCoupling::start_transient(double t_s, const std::vector<double>& T_K) {
  march(T_K);  // the coolant at the start: quasi-steady on the initial state
  for (auto& c : cavities_) c.fluid_accepted_K = c.last.fluid_T_K;
  transient_ = true;
  attempted_ = false;
  t_accepted_s_ = t_attempt_s_ = t_s;
  T_accepted_K_ = T_K;
}

void CavityCoupling::begin_step(double t_end_s, const std::vector<double>& T_accepted_K) {
  if (!transient_ || (attempted_ && t_end_s == t_attempt_s_)) return;  // the same attempt
  // A new attempt. The one before was accepted if the accepted state moved; then the fluid it
  // was solved with becomes the start of this one (a rejected attempt leaves both as they were).
  if (attempted_ && T_accepted_K != T_accepted_K_) {
    t_accepted_s_ = t_attempt_s_;
    T_accepted_K_ = T_accepted_K;  // same size: no allocation
    for (auto& c : cavities_) c.fluid_accepted_K = c.last.fluid_T_K;
  }
  attempted_ = true;
  t_attempt_s_ = t_end_s;
}

std::string CavityCoupling::march(const std::vector<double>& T_K) {
  std::string note;
  for (auto& c : cavities_) {
    const solver::CavityStorage storage{t_attempt_s_ - t_accepted_s_, &c.fluid_accepted_K};
    c.last = solver::march_cavity(c.lanes, c.spec->inlet_T_K, T_K,
                                  transient_ && attempted_ ? &storage : nullptr);
    note += fmt::format("{}cavity {} outlet {:.4f} K", note.empty() ? "" : "; ", c.spec->layer,
                        c.last.outlet_T_K);
  }
  write_sinks(cavities_, *built_);
  return note;
}

solver::IterateHook CavityCoupling::hook() {
  if (empty()) return {};
  return [this](const std::vector<double>& T_K) { return march(T_K); };
}

std::vector<CavityResult> CavityCoupling::results(const std::vector<double>& T_K) const {
  std::vector<CavityResult> out;
  for (const auto& c : cavities_) {
    CavityResult r;
    r.layer = c.spec->layer;
    r.model = c.spec->model_name;
    r.coolant = c.spec->coolant;
    r.inlet_T_K = c.spec->inlet_T_K;
    r.outlet_T_K = c.last.outlet_T_K;
    r.delta_T_K = r.outlet_T_K - r.inlet_T_K;
    r.heat_W = solver::cavity_link_heat_W(c.lanes, c.last, T_K);
    r.stored_W = c.last.stored_W;
    const double closure = c.film.capacity_W_per_K * r.delta_T_K + r.stored_W - r.heat_W;
    r.energy_mismatch = r.heat_W != 0.0 ? std::fabs(closure) / std::fabs(r.heat_W) : 0.0;
    r.film = c.film;
    r.lanes = static_cast<int>(c.lanes.size());
    r.steps = c.lanes.empty() ? 0 : static_cast<int>(c.lanes.front().steps.size());
    r.fluid_T_K = c.last.fluid_T_K;
    r.step_heat_W = c.last.step_heat_W;
    out.push_back(std::move(r));
  }
  return out;
}

void add_cavity_results(const std::vector<CavityResult>& cavities,
                        postproc::ResultsContent& content) {
  if (cavities.empty()) return;
  content.tables.push_back(postproc::tabulate(
      "cavities", "cavities",
      {"layer", "model", "coolant", "inlet_T_K", "outlet_T_K", "delta_T_K", "heat_W",
       "capacity_W_per_K", "energy_mismatch", "porosity", "h_top_W_per_m2K", "h_bottom_W_per_m2K",
       "h_side_W_per_m2K", "lanes", "steps"},
      cavities, [](const CavityResult& c) {
        const auto& f = c.film;
        return std::tuple_cat(
            std::tuple{c.layer, c.model, c.coolant, c.inlet_T_K, c.outlet_T_K, c.delta_T_K},
            std::tuple{c.heat_W, f.capacity_W_per_K, c.energy_mismatch, f.porosity,
                       f.h_top_W_per_m2K, f.h_bottom_W_per_m2K, f.h_side_W_per_m2K, c.lanes,
                       c.steps});
      }));
  struct FluidStep {
    const CavityResult* cavity;
    std::int32_t lane, step;
  };
  std::vector<FluidStep> fluid;
  for (const auto& c : cavities)
    for (std::size_t l = 0; l < c.fluid_T_K.size(); ++l)
      for (std::size_t s = 0; s < c.fluid_T_K[l].size(); ++s)
        fluid.push_back({&c, static_cast<std::int32_t>(l), static_cast<std::int32_t>(s)});
  content.tables.push_back(
      postproc::tabulate("cavities", "fluid", {"layer", "lane", "step", "fluid_T_K", "heat_W"},
                         fluid, [](const FluidStep& f) {
                           const auto& c = *f.cavity;
                           return std::tuple{c.layer, f.lane, f.step, c.fluid_T_K[f.lane][f.step],
                                             c.step_heat_W[f.lane][f.step]};
                         }));
}

std::string format_cavities(const std::vector<CavityResult>& cavities) {
  if (cavities.empty()) return "";
  std::ostringstream out;
  out << "\ncoolant cavities\n";
  for (const auto& c : cavities) {
    out << fmt::format(
        "  {:<16} {}, {}: inlet {:.2f} °C, outlet {:.2f} °C (ΔT {:.3f} K), heat {:.4g} W, "
        "ṁcp {:.4g} W/K, porosity {:.3f}, h top/bottom/side {:.4g}/{:.4g}/{:.4g} W/(m² K){}, "
        "{} lanes x {} cells, closure {:.1e}\n",
        c.layer, c.model, c.coolant, c.inlet_T_K - kKelvinAtZeroCelsius,
        c.outlet_T_K - kKelvinAtZeroCelsius, c.delta_T_K, c.heat_W, c.film.capacity_W_per_K,
        c.film.porosity, c.film.h_top_W_per_m2K, c.film.h_bottom_W_per_m2K, c.film.h_side_W_per_m2K,
        c.film.from_correlation ? " (channel correlation)" : "", c.lanes, c.steps,
        c.energy_mismatch);
  }
  return out.str();
}

}  // namespace cposim::cases
