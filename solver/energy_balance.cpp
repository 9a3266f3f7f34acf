/// \file
/// Energy balance: Σ power in against heat leaving through every outer face, with the
/// assembly's own boundary conductances.
#include "solver/energy_balance.hpp"

#include <algorithm>
#include <cmath>

#include "solver/face_cells.hpp"
#include "solver/kernels/face_conductance.hpp"
#include "solver/kernels/kirchhoff.hpp"

namespace cposim::solver {

void face_cell_flows(const ThermalProblem& p, const std::vector<double>& T_K, int f,
                     std::vector<double>& G_W_per_K, std::vector<double>& heat_out_W) {
  const auto& g = *p.grid;
  const auto n = g.cells_per_axis();
  const FaceBoundary& b = p.boundaries[static_cast<std::size_t>(f)];
  const auto axes = face_axes(f);
  const int a = axes.normal;
  const std::size_t cells =
      n[static_cast<std::size_t>(axes.u)] * n[static_cast<std::size_t>(axes.v)];
  G_W_per_K.assign(cells, 0.0);
  heat_out_W.assign(cells, 0.0);
  if (b.q_map != nullptr)  // imposed flux map / patches: inflow, on top of the condition
    for_each_face_cell(
        g, f, [&](const FaceCell& fc) { heat_out_W[fc.fc] = -(*b.q_map)[fc.fc] * fc.area_m2; });
  if (b.kind == BoundaryKind::adiabatic) return;
  const double d = face_layer_width(g, f);
  for_each_face_cell(g, f, [&](const FaceCell& fc) {
    const std::size_t c = fc.cell;
    if (b.kind == BoundaryKind::heat_flux) {
      heat_out_W[fc.fc] -= b.q_in_W_per_m2 * fc.area_m2;
      return;
    }
    const auto& m = (*p.region_material)[static_cast<std::size_t>((*p.region_of_cell)[c])];
    // The assembly's half-cell k: the Kirchhoff mean for k(T) (kirchhoff.hpp).
    double G = 0.0, T_b = b.T_K;
    if (b.kind == BoundaryKind::convection) {
      const double h = b.h_at(fc.fc);
      T_b = b.T_at(fc.fc);
      if (h > 0.0)
        G = convection_conductance(fc.area_m2, d, convection_half_cell_k(m, a, T_K[c], d, h, T_b),
                                   h);
    } else {
      G = fixed_face_conductance(fc.area_m2, d, fixed_half_cell_k(m, a, T_K[c], T_b));
    }
    G_W_per_K[fc.fc] = G;
    heat_out_W[fc.fc] += G * (T_K[c] - T_b);
  });
}

EnergySums energy_sums(const ThermalProblem& p, const std::vector<double>& T_K,
                       const mesh::IndexBox* cells) {
  p.validate();
  const auto& g = *p.grid;
  EnergySums s;
  const auto& power = *p.cell_power_W;
  for_each_cell_in(g, cells, [&](std::size_t c) { s.power_in_W += power[c]; });
  std::vector<double> G, out;
  for (int f = 0; f < 6; ++f) {
    const auto& b = p.boundaries[static_cast<std::size_t>(f)];
    if (b.kind == BoundaryKind::adiabatic && b.q_map == nullptr) continue;
    face_cell_flows(p, T_K, f, G, out);
    double sum = 0.0;
    for_each_face_cell(g, f, [&](const FaceCell& fc) {
      if (face_cell_in(cells, g, f, fc)) sum += out[fc.fc];
    });
    s.face_heat_out_W[static_cast<std::size_t>(f)] = sum;
  }
  if (p.cell_sinks != nullptr && !p.cell_sinks->empty()) {
    const auto& sinks = *p.cell_sinks;
    for_each_cell_in(g, cells, [&](std::size_t c) {
      const double w = sinks.G_W_per_K[c] * (T_K[c] - sinks.T_K[c]);
      s.sink_heat_out_W += w;
      s.sink_abs_W += std::fabs(w);
    });
  }
  return s;
}

EnergyBalance energy_balance_of(const EnergySums& s) {
  EnergyBalance eb;
  eb.power_in_W = s.power_in_W;
  eb.face_heat_out_W = s.face_heat_out_W;
  double flows = s.sink_abs_W;
  for (double w : eb.face_heat_out_W) {
    eb.heat_out_W += w;
    flows += std::fabs(w);
  }
  eb.sink_heat_out_W = s.sink_heat_out_W;
  eb.heat_out_W += eb.sink_heat_out_W;
  eb.imbalance_W = eb.power_in_W - eb.heat_out_W;
  const double scale = std::max(std::fabs(eb.power_in_W), 0.5 * flows);
  eb.relative = scale > 0.0 ? std::fabs(eb.imbalance_W) / scale : 0.0;
  return eb;
}

EnergyBalance compute_energy_balance(const ThermalProblem& p, const std::vector<double>& T_K) {
  return energy_balance_of(energy_sums(p, T_K));
}

}  // namespace cposim::solver
