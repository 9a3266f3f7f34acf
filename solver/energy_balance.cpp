/// \file
/// Energy balance: Σ power in against heat leaving through every outer face, with the
/// assembly's own boundary conductances.
#include "solver/energy_balance.hpp"

#include <algorithm>
#include <cmath>

#include "solver/face_conductance.hpp"

namespace cposim::solver {

EnergyBalance compute_energy_balance(const ThermalProblem& p, const std::vector<double>& T_K) {
  p.validate();
  const auto& g = *p.grid;
  const auto n = g.cells_per_axis();
  EnergyBalance eb;
  for (double w : *p.cell_power_W) eb.power_in_W += w;
  for (int f = 0; f < 6; ++f) {
    const FaceBoundary& b = p.boundaries[f];
    if (b.kind == BoundaryKind::adiabatic) continue;
    const int a = f / 2;                         // normal axis
    const int u = (a + 1) % 3, v = (a + 2) % 3;  // in-plane axes
    const std::size_t layer = (f % 2 == 0) ? 0 : n[a] - 1;
    double out = 0.0;
    for (std::size_t jv = 0; jv < n[v]; ++jv)
      for (std::size_t iu = 0; iu < n[u]; ++iu) {
        std::array<std::size_t, 3> idx{};
        idx[a] = layer;
        idx[u] = iu;
        idx[v] = jv;
        const std::size_t c = g.cell(idx[0], idx[1], idx[2]);
        const double area = g.width(u, iu) * g.width(v, jv);
        const auto& m = (*p.region_material)[static_cast<std::size_t>((*p.region_of_cell)[c])];
        const double k = m.k_at(a, T_K[c]);
        const double d = g.width(a, layer);
        if (b.kind == BoundaryKind::convection)
          out += convection_conductance(area, d, k, b.h_W_per_m2K) * (T_K[c] - b.T_K);
        else if (b.kind == BoundaryKind::fixed_temperature)
          out += fixed_face_conductance(area, d, k) * (T_K[c] - b.T_K);
        else
          out -= b.q_in_W_per_m2 * area;
      }
    eb.face_heat_out_W[f] = out;
  }
  double flows = 0.0;
  for (double w : eb.face_heat_out_W) {
    eb.heat_out_W += w;
    flows += std::fabs(w);
  }
  eb.imbalance_W = eb.power_in_W - eb.heat_out_W;
  const double scale = std::max(std::fabs(eb.power_in_W), 0.5 * flows);
  eb.relative = scale > 0.0 ? std::fabs(eb.imbalance_W) / scale : 0.0;
  return eb;
}

}  // namespace cposim::solver
