#pragma once
/// \file
/// Energy balance of a solved field: total power in against heat out through the boundary.

#include <array>
#include <vector>

#include "mesh/partition.hpp"
#include "solver/thermal_problem.hpp"

namespace cposim::solver {

/// Heat flows in watts. face_heat_out_W[f] is heat leaving through face f (DomainFace order);
/// heat_flux faces count their imposed inflow as negative outflow.
struct EnergyBalance {
  double power_in_W = 0.0;  ///< Σ cell power (volumetric sources)
  std::array<double, 6> face_heat_out_W{};
  double sink_heat_out_W = 0.0;  ///< Σ G_s (T_c − T_s) into cell sinks (coolant cavities)
  double heat_out_W = 0.0;       ///< Σ face_heat_out_W + sink_heat_out_W
  double imbalance_W = 0.0;      ///< power_in_W − heat_out_W
  double relative = 0.0;         ///< |imbalance| / max(power_in, Σ|face flows|), 0 if all zero
};

/// Computes the balance for temperatures `T_K` (one per cell), using the same half-cell
/// boundary conductances as the assembly.
EnergyBalance compute_energy_balance(const ThermalProblem& problem, const std::vector<double>& T_K);

/// The additive parts of an EnergyBalance [W], which sum over ranks: power in, heat out per
/// face, into cell sinks, and Σ |sink flow| (a part of the balance's scale).
struct EnergySums {
  double power_in_W = 0.0;
  std::array<double, 6> face_heat_out_W{};
  double sink_heat_out_W = 0.0;
  double sink_abs_W = 0.0;
};

/// compute_energy_balance's sums over the cells in `cells` (null: all; on a rank's window, its
/// owned cells: the face cells of real domain faces only, see face_cell_in).
EnergySums energy_sums(const ThermalProblem& problem, const std::vector<double>& T_K,
                       const mesh::IndexBox* cells = nullptr);

/// The balance of (possibly rank-summed) sums: totals, imbalance and relative imbalance.
EnergyBalance energy_balance_of(const EnergySums& sums);

/// Per face cell of face `f` (DomainFace index; FaceAxes order, see boundary.hpp): the
/// conductance G [W/K] from the boundary cell's centre to the fluid or fixed surface, exactly
/// as the assembly uses it (half cell + film; 0 on adiabatic and heat_flux faces and where
/// h = 0), and the heat leaving through the cell [W] (heat_flux: −q A; a q_map adds −q_fc A
/// on any face). Resizes both outputs.
void face_cell_flows(const ThermalProblem& problem, const std::vector<double>& T_K, int f,
                     std::vector<double>& G_W_per_K, std::vector<double>& heat_out_W);

}  // namespace cposim::solver
