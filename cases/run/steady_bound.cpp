/// \file
/// The steady-state bound (steady_bound.hpp).
#include "cases/run/steady_bound.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <string>

#include "cases/run/cavity_coupling.hpp"

namespace cposim::cases {

void check_steady_bound(const CaseSpec& spec, const BuiltProblem& built) {
  const auto& g = *built.grid;
  double power_W = 0.0;
  for (const double p : built.cell_power_W) power_W += p;
  double hA_W_per_K = 0.0;
  double T_ambient_K = std::numeric_limits<double>::infinity();
  for (int f = 0; f < 6; ++f) {
    const auto& b = built.boundaries[static_cast<std::size_t>(f)];
    if (b.kind == solver::BoundaryKind::fixed_temperature) return;  // no simple bound
    const auto axes = solver::face_axes(f);
    const auto n = g.cells_per_axis();
    const std::size_t nu = n[static_cast<std::size_t>(axes.u)];
    const std::size_t nv = n[static_cast<std::size_t>(axes.v)];
    for (std::size_t jv = 0; jv < nv; ++jv)
      for (std::size_t iu = 0; iu < nu; ++iu) {
        const double area = g.width(axes.u, iu) * g.width(axes.v, jv);
        if (b.kind == solver::BoundaryKind::heat_flux) power_W += b.q_in_W_per_m2 * area;
        if (b.kind != solver::BoundaryKind::convection) continue;
        const std::size_t fc = iu + nu * jv;
        hA_W_per_K += b.h_at(fc) * area;
        T_ambient_K = std::min(T_ambient_K, b.T_at(fc));
      }
  }
  // Cavities: a cavity takes at most min(Σ G_links, ṁ cp) (T_max − T_inlet) (the coolant is
  // never warmer than the hottest solid cell), so with G_c = min(Σ G, Σ ṁ cp) over all
  // cavities the hottest cell is at least (P + hA T_amb + G_c T_in) / (hA + G_c).
  double G_cavity_W_per_K = 0.0;
  double T_inlet_K = std::numeric_limits<double>::infinity();
  if (!spec.cavities.empty()) {
    double G_links = 0.0, capacity = 0.0;
    for (const double G : built.cell_sinks.G_W_per_K) G_links += G;
    for (const auto& c : spec.cavities) {
      capacity += cavity_film(spec, c).capacity_W_per_K;
      T_inlet_K = std::min(T_inlet_K, c.inlet_T_K);
    }
    G_cavity_W_per_K = std::min(G_links, capacity);
  }
  const double G_W_per_K = hA_W_per_K + G_cavity_W_per_K;
  if (!(G_W_per_K > 0.0) || !(power_W > 0.0)) return;
  const double T_sink_K = (hA_W_per_K > 0.0 ? hA_W_per_K * T_ambient_K : 0.0) +
                          (G_cavity_W_per_K > 0.0 ? G_cavity_W_per_K * T_inlet_K : 0.0);
  const double bound_K = (power_W + T_sink_K) / G_W_per_K;
  if (bound_K <= kSteadyBoundLimit_K) return;
  const double footprint_x_um = spec.package.footprint_m[0] * 1e6;
  const double footprint_y_um = spec.package.footprint_m[1] * 1e6;
  std::string text =
      spec.cavities.empty()
          ? fmt::format(
                "no plausible steady state: the {:.4g} W of the case can leave only through the "
                "convective faces, h·A = {:.4g} W/K in all, so the surface must reach at least "
                "{:.4g} K (ambient {:.2f} K + {:.4g} K), far beyond any material (limit {:g} K); "
                "check the units: lengths are in µm (footprint {:.4g} × {:.4g} µm), powers in W, "
                "h in W/(m² K)",
                power_W, hA_W_per_K, bound_K, T_ambient_K, power_W / hA_W_per_K,
                kSteadyBoundLimit_K, footprint_x_um, footprint_y_um)
          : fmt::format(
                "no plausible steady state: the {:.4g} W of the case can leave only through the "
                "convective faces (h·A = {:.4g} W/K in all) and the cavities' coolant (inlet "
                "{:.2f} K, at most min(Σ G, ṁ cp) = {:.4g} W/K), so the hottest cell must reach "
                "at least {:.4g} K, far beyond any material (limit {:g} K); check the units: "
                "lengths are in µm (footprint {:.4g} × {:.4g} µm), powers in W, h in W/(m² K), "
                "flows in L/min",
                power_W, hA_W_per_K, T_inlet_K, G_cavity_W_per_K, bound_K, kSteadyBoundLimit_K,
                footprint_x_um, footprint_y_um);
  throw CaseError(spec.package.where, text);
}

}  // namespace cposim::cases
