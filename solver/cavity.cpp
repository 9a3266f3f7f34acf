/// \file
/// Coolant cavities: the fluid march, the cell sinks it sets, and the cavity correlations.
#include "solver/cavity.hpp"

#include <cmath>

#include "solver/coolant.hpp"

namespace cposim::solver {

CavityMarch march_cavity(const std::vector<CavityLane>& lanes, double T_inlet_K,
                         const std::vector<double>& T_K, const CavityStorage* storage) {
  const bool stores = storage && storage->dt_s > 0.0 && storage->fluid_T_old_K;
  CavityMarch out;
  out.fluid_T_K.resize(lanes.size());
  out.step_heat_W.resize(lanes.size());
  OutletMix mix;
  for (std::size_t l = 0; l < lanes.size(); ++l) {
    const auto& lane = lanes[l];
    const double C = lane.capacity_W_per_K;
    double T_in = T_inlet_K;
    for (std::size_t s = 0; s < lane.steps.size(); ++s) {
      const auto& step = lane.steps[s];
      double Gs = 0.0, GT = 0.0;
      for (const auto& link : step.links) {
        Gs += link.G_W_per_K;
        GT += link.G_W_per_K * T_K[link.cell];
      }
      if (stores) {  // the step's coolant stores heat (backward Euler; see the header)
        const double S = step.fluid_capacity_J_per_K / storage->dt_s;
        const double T_old = (*storage->fluid_T_old_K)[l][s];
        const double T_f = (S * T_old + 2.0 * C * T_in + GT) / (S + 2.0 * C + Gs);
        const double Q = GT - Gs * T_f;
        out.fluid_T_K[l].push_back(T_f);
        out.step_heat_W[l].push_back(Q);
        out.heat_W += Q;
        out.stored_W += S * (T_f - T_old);
        T_in = 2.0 * T_f - T_in;
        continue;
      }
      const SegmentExchange e = exchange_segment(Gs, GT, T_in, C);
      out.fluid_T_K[l].push_back(e.fluid_T_K);
      out.step_heat_W[l].push_back(e.heat_W);
      out.heat_W += e.heat_W;
      T_in = e.outlet_T_K;
    }
    mix.add(C, T_in);
  }
  out.outlet_T_K = mix.outlet_T_K(T_inlet_K);
  return out;
}

void add_cavity_sinks(const std::vector<CavityLane>& lanes, const CavityMarch& march,
                      CellSinks& sinks) {
  for (std::size_t l = 0; l < lanes.size(); ++l)
    for (std::size_t s = 0; s < lanes[l].steps.size(); ++s)
      for (const auto& link : lanes[l].steps[s].links) {
        double& G = sinks.G_W_per_K[link.cell];
        double& T = sinks.T_K[link.cell];
        const double G_new = G + link.G_W_per_K;
        T = G_new > 0.0 ? (G * T + link.G_W_per_K * march.fluid_T_K[l][s]) / G_new : T;
        G = G_new;
      }
}

double cavity_link_heat_W(const std::vector<CavityLane>& lanes, const CavityMarch& march,
                          const std::vector<double>& T_K) {
  double sum = 0.0;
  for (std::size_t l = 0; l < lanes.size(); ++l)
    for (std::size_t s = 0; s < lanes[l].steps.size(); ++s)
      for (const auto& link : lanes[l].steps[s].links)
        sum += link.G_W_per_K * (T_K[link.cell] - march.fluid_T_K[l][s]);
  return sum;
}

double channel_porosity(double channel_width_m, double wall_width_m) {
  return channel_width_m / (channel_width_m + wall_width_m);
}

double pin_fin_porosity(double pin_diameter_m, double pin_pitch_m) {
  const double pi = 3.14159265358979323846;
  return 1.0 - pi * pin_diameter_m * pin_diameter_m / (4.0 * pin_pitch_m * pin_pitch_m);
}

double pin_fin_h_W_per_m2K(double darcy_velocity_m_per_s, bool staggered) {
  const double n = staggered ? 1.52 : 0.64;
  return 1.0 / (2.527e-5 / std::pow(darcy_velocity_m_per_s + 1.35, n) + 1.533e-6);
}

}  // namespace cposim::solver
