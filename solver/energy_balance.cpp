/// \file
/// Energy balance: Σ power in against heat leaving through every outer face, with the
/// assembly's own boundary conductances.
#include "solver/energy_balance.hpp"

#include <algorithm>
#include <cmath>

#include "solver/kernels/face_conductance.hpp"
#include "solver/kernels/kirchhoff.hpp"

namespace cposim::solver {

void face_cell_flows(const ThermalProblem& p, const std::vector<double>& T_K, int f,
                     std::vector<double>& G_W_per_K, std::vector<double>& heat_out_W) {
  const auto& g = *p.grid;
  const auto n = g.cells_per_axis();
  const FaceBoundary& b = p.boundaries[static_cast<std::size_t>(f)];
  const auto [a, u, v] = face_axes(f);
  const std::size_t layer = (f % 2 == 0) ? 0 : n[a] - 1;
  G_W_per_K.assign(n[u] * n[v], 0.0);
  heat_out_W.assign(n[u] * n[v], 0.0);
  if (b.q_map != nullptr)  // imposed flux map / patches: inflow, on top of the condition
    for (std::size_t jv = 0; jv < n[v]; ++jv)
      for (std::size_t iu = 0; iu < n[u]; ++iu)
        heat_out_W[iu + n[u] * jv] = -(*b.q_map)[iu + n[u] * jv] * g.width(u, iu) * g.width(v, jv);
  if (b.kind == BoundaryKind::adiabatic) return;
  for (std::size_t jv = 0; jv < n[v]; ++jv)
    for (std::size_t iu = 0; iu < n[u]; ++iu) {
      std::array<std::size_t, 3> idx{};
      idx[a] = layer;
      idx[u] = iu;
      idx[v] = jv;
      const std::size_t c = g.cell(idx[0], idx[1], idx[2]);
      const std::size_t fc = iu + n[u] * jv;
      const double area = g.width(u, iu) * g.width(v, jv);
      if (b.kind == BoundaryKind::heat_flux) {
        heat_out_W[fc] -= b.q_in_W_per_m2 * area;
        continue;
      }
      const auto& m = (*p.region_material)[static_cast<std::size_t>((*p.region_of_cell)[c])];
      const double d = g.width(a, layer);
      // The assembly's half-cell k: the Kirchhoff mean for k(T) (kirchhoff.hpp).
      double G = 0.0, T_b = b.T_K;
      if (b.kind == BoundaryKind::convection) {
        const double h = b.h_at(fc);
        T_b = b.T_at(fc);
        if (h > 0.0)
          G = convection_conductance(area, d, convection_half_cell_k(m, a, T_K[c], d, h, T_b), h);
      } else {
        G = fixed_face_conductance(area, d, fixed_half_cell_k(m, a, T_K[c], T_b));
      }
      G_W_per_K[fc] = G;
      heat_out_W[fc] += G * (T_K[c] - T_b);
    }
}

EnergyBalance compute_energy_balance(const ThermalProblem& p, const std::vector<double>& T_K) {
  p.validate();
  EnergyBalance eb;
  for (double w : *p.cell_power_W) eb.power_in_W += w;
  std::vector<double> G, out;
  for (int f = 0; f < 6; ++f) {
    const auto& b = p.boundaries[static_cast<std::size_t>(f)];
    if (b.kind == BoundaryKind::adiabatic && b.q_map == nullptr) continue;
    face_cell_flows(p, T_K, f, G, out);
    double sum = 0.0;
    for (double w : out) sum += w;
    eb.face_heat_out_W[static_cast<std::size_t>(f)] = sum;
  }
  double flows = 0.0;
  for (double w : eb.face_heat_out_W) {
    eb.heat_out_W += w;
    flows += std::fabs(w);
  }
  if (p.cell_sinks != nullptr && !p.cell_sinks->empty()) {
    const auto& s = *p.cell_sinks;
    for (std::size_t c = 0; c < s.G_W_per_K.size(); ++c) {
      const double w = s.G_W_per_K[c] * (T_K[c] - s.T_K[c]);
      eb.sink_heat_out_W += w;
      flows += std::fabs(w);
    }
    eb.heat_out_W += eb.sink_heat_out_W;
  }
  eb.imbalance_W = eb.power_in_W - eb.heat_out_W;
  const double scale = std::max(std::fabs(eb.power_in_W), 0.5 * flows);
  eb.relative = scale > 0.0 ? std::fabs(eb.imbalance_W) / scale : 0.0;
  return eb;
}

}  // namespace cposim::solver
