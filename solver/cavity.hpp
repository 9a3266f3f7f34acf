#pragma once
/// \file
/// Inter-tier coolant cavities (microchannels, pin fins): the fluid's energy balance along flow
/// lanes through a layer of the stack, and the cavity correlations. Pure: no I/O.
///
/// A cavity is a layer whose cells are the channel walls (or pins); the coolant flows through
/// it along x or y. The cavity is cut into lanes (one per grid row across the flow) and each
/// lane into steps (one per grid column along the flow). The fluid of a step exchanges heat with
/// a few solid cells through links of conductance G (the cell above the cavity, the cell
/// below, and for the four-resistor model the wall cells of the cavity itself). With
/// Gs = Σ G and Ts = Σ G T / Gs the step is the cold-plate segment balance (solver/coolant.hpp):
///   Q = Gs (Ts − T_in) / (1 + Gs / (2 C)),  T_fluid = T_in + Q / (2 C),  T_out = T_in + Q / C,
/// C = ṁ_lane cp. Each linked cell sees the sink G (T_c − T_fluid) (ThermalProblem::cell_sinks),
/// so Σ over the links is exactly Q, and the lane outlet is inlet + Σ Q / C.

#include <cstddef>
#include <vector>

#include "solver/thermal_problem.hpp"

namespace cposim::solver {

/// One solid cell exchanging heat with the fluid of a step.
struct CavityLink {
  std::size_t cell = 0;  ///< grid index
  double G_W_per_K = 0.0;
};

/// The links of one step of a lane (one grid column along the flow).
struct CavityStep {
  std::vector<CavityLink> links;
  double fluid_capacity_J_per_K = 0.0;  ///< ρ cp V of the coolant in the step (transients)
};

/// One lane: steps in flow order (upstream first) and its heat-capacity rate ṁ_lane cp.
struct CavityLane {
  std::vector<CavityStep> steps;
  double capacity_W_per_K = 0.0;
};

/// Outcome of one march over a cavity.
struct CavityMarch {
  double outlet_T_K = 0.0;  ///< mixed (capacity-weighted) outlet temperature
  double heat_W = 0.0;      ///< Σ Q: heat taken up by the coolant
  double stored_W = 0.0;    ///< Σ S (T_fluid − T_fluid,old): of it, stored in the coolant
  /// Per lane, per step: the fluid temperature the solid sees and the heat Q of the step.
  std::vector<std::vector<double>> fluid_T_K;
  std::vector<std::vector<double>> step_heat_W;
};

/// The coolant's own heat capacity in a time step of dt_s from the fluid temperatures
/// fluid_T_old_K (per lane, per step, as CavityMarch::fluid_T_K) of the step's start.
struct CavityStorage {
  double dt_s = 0.0;
  const std::vector<std::vector<double>>* fluid_T_old_K = nullptr;
};

/// Marches every lane from T_inlet_K on the solid temperatures T_K (one per cell).
/// Without `storage` the coolant is quasi-steady (the file comment). With it each step also
/// stores heat, backward Euler: with S = fluid_capacity / dt and T_f the step's mean,
///   S (T_f − T_f,old) = 2 C (T_in − T_f) + Gs (Ts − T_f),  T_out = 2 T_f − T_in,
/// so T_f = (S T_f,old + 2 C T_in + Gs Ts) / (S + 2 C + Gs), Q = Gs (Ts − T_f) and
/// C (T_out − T_in) = Q − S (T_f − T_f,old): the solid's sinks stay G (T_c − T_f).
CavityMarch march_cavity(const std::vector<CavityLane>& lanes, double T_inlet_K,
                         const std::vector<double>& T_K, const CavityStorage* storage = nullptr);

/// Adds the links of `lanes` to `sinks` with the fluid temperatures of `march`: for each
/// linked cell G += G_link and T becomes the G-weighted mean of its fluids (a cell between two
/// cavities sees both). `sinks` must have one entry per cell; cells start from G = 0.
void add_cavity_sinks(const std::vector<CavityLane>& lanes, const CavityMarch& march,
                      CellSinks& sinks);

/// Heat the solver takes out of the solid through the links of `lanes` at temperatures T_K,
/// with the fluid temperatures of `march`: Σ G (T_c − T_fluid) [W].
double cavity_link_heat_W(const std::vector<CavityLane>& lanes, const CavityMarch& march,
                          const std::vector<double>& T_K);

/// Porosity (fluid volume fraction) of straight channels: width / (width + wall width).
double channel_porosity(double channel_width_m, double wall_width_m);

/// Porosity of a square array of circular pins: 1 − π d² / (4 p²) (3D-ICE, Sridhar et al.
/// 2014; the same for inline and staggered arrays of pitch p).
double pin_fin_porosity(double pin_diameter_m, double pin_pitch_m);

/// Effective heat-transfer coefficient of a pin-fin cavity referred to the footprint of each of
/// its top and bottom walls, from the Darcy (superficial) velocity u [m/s]:
///   h = 1 / (2.527e-5 / (u + 1.35)^n + 1.533e-6) W/(m² K), n = 0.64 inline, 1.52 staggered.
/// The fit of 3D-ICE's 2RM pin-fin model (Sridhar et al., "3D-ICE: a compact thermal model for
/// early-stage design of liquid-cooled ICs", IEEE Trans. Computers 63(10), 2014), for the
/// pin geometry of its calibration (50 µm pins at 100 µm pitch, 100 µm high, water).
double pin_fin_h_W_per_m2K(double darcy_velocity_m_per_s, bool staggered);

}  // namespace cposim::solver
