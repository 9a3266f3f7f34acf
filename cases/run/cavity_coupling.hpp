#pragma once
/// \file
/// Coolant cavities between tiers in a run (cases/README.md, "Coolant cavities between tiers"):
/// the cavity layer's effective wall material, the links from the solid to the fluid, the
/// coolant march between solves (an IterateHook) and the per-cavity results.
///
/// Model (per grid cell of the cavity footprint; φ the porosity, A the cell footprint):
///  - the cavity layer's own cells are the walls (pins): k along the flow and vertically
///    (1 − φ) k_wall, across the flow the series value 1 / ((1 − φ)/k_wall + φ/k_fluid), ρ cp
///    scaled by (1 − φ) (the fluid's own heat capacity ρ cp φ V is in the march: stored per
///    lane step in transient runs, see start_transient);
///  - 2rm / pinfin: the fluid of a step exchanges with the cell just above the cavity through
///    1 / (d/(2 k_z A) + 1/(h_top A)) and with the cell just below likewise (h referred to the
///    footprint; 3D-ICE's two-resistor model without its zero-capacity wall nodes);
///  - 4rm: top and bottom through the channel ceiling and floor only (φ A), plus the side
///    walls: every cavity cell links with h_side · 2 H_cell L (W_cell / pitch);
///  - the fluid marches along the flow per lane (solver/cavity.hpp), capacity ρ cp V̇ split
///    over the lanes by width.
/// Like the cold plate, the march moves only the right-hand side: the matrix stays symmetric
/// and SteadySolver repeats solve ↔ march until the temperatures settle.

#include <string>
#include <vector>

#include "cases/run/built_problem.hpp"
#include "cases/spec/case_spec.hpp"
#include "postproc/io/results_writer.hpp"
#include "solver/cavity.hpp"
#include "solver/steady.hpp"

namespace cposim::cases {

/// The film coefficients and flow numbers a cavity uses.
struct CavityFilm {
  double porosity = 0.0;
  double h_top_W_per_m2K = 0.0;     ///< 2rm / pinfin: on the footprint; 4rm: on the ceiling
  double h_bottom_W_per_m2K = 0.0;  ///< likewise
  double h_side_W_per_m2K = 0.0;    ///< 4rm only
  double capacity_W_per_K = 0.0;    ///< ρ cp V̇ of the whole cavity
  double velocity_m_per_s = 0.0;    ///< mean channel velocity, or the Darcy velocity
  bool from_correlation = false;    ///< h from the channel correlation (not given)
  double reynolds = 0.0;            ///< with from_correlation
  double nusselt = 0.0;             ///< with from_correlation
};

/// The film coefficients and capacity of cavity `c` of `spec` (see the file comment).
CavityFilm cavity_film(const CaseSpec& spec, const CavitySpec& c);

/// Sets the cavity layers' wall materials and the initial sinks (fluid at the inlet) of every
/// [[cavities]] entry in `built` (grid, regions and materials built). Called by build_problem.
void apply_cavities(const CaseSpec& spec, BuiltProblem& built);

/// What one cavity did in the last solve.
struct CavityResult {
  std::string layer;
  std::string model;
  std::string coolant;
  double inlet_T_K = 0.0;
  double outlet_T_K = 0.0;  ///< mixed outlet of the march the last solve used
  double delta_T_K = 0.0;
  double heat_W = 0.0;    ///< heat out of the solid into the coolant (solver side)
  double stored_W = 0.0;  ///< of it, stored in the coolant in the last step (transients)
  /// |ṁ cp ΔT + stored_W − heat_W| / |heat_W| (0 without heat): the coupling's closure.
  double energy_mismatch = 0.0;
  CavityFilm film;
  int lanes = 0;
  int steps = 0;  ///< cells along the flow per lane
  /// Per lane, per step: fluid temperature and heat of the last march.
  std::vector<std::vector<double>> fluid_T_K;
  std::vector<std::vector<double>> step_heat_W;
};

/// The coolant side of the cavities in a run. Holds `built` (lent; must outlive this object)
/// and rewrites built.cell_sinks.T_K.
class CavityCoupling {
 public:
  CavityCoupling(const CaseSpec& spec, BuiltProblem& built);

  bool empty() const { return cavities_.empty(); }

  /// Marches every cavity's coolant on solid temperatures T_K and stores the fluid
  /// temperatures in the sinks for the next solve. Returns a one-line note.
  std::string march(const std::vector<double>& T_K);

  /// march() as a SteadySolver hook (empty without cavities).
  solver::IterateHook hook();

  /// Transient runs: from here on the coolant stores heat (ρ cp of the fluid in each lane
  /// step, backward Euler, solver/cavity.hpp). The fluid at t_s is the march on T_K.
  void start_transient(double t_s, const std::vector<double>& T_K);

  /// Transient runs: a time step (attempt) ending at t_end_s starts from the accepted state
  /// T_accepted_K (the power callback's arguments: called once per attempt, again after each
  /// hook call). Tells an accepted attempt from a rejected one by whether the accepted state
  /// moved, and keeps the fluid temperatures of the last accepted step.
  void begin_step(double t_end_s, const std::vector<double>& T_accepted_K);

  /// The cavities' results for the solved field T_K.
  std::vector<CavityResult> results(const std::vector<double>& T_K) const;

 private:
  struct Cavity {
    const CavitySpec* spec = nullptr;
    CavityFilm film;
    std::vector<solver::CavityLane> lanes;
    solver::CavityMarch last;
    std::vector<std::vector<double>> fluid_accepted_K;  ///< at the last accepted time
  };
  BuiltProblem* built_;
  std::vector<Cavity> cavities_;
  bool transient_ = false, attempted_ = false;
  double t_accepted_s_ = 0.0, t_attempt_s_ = 0.0;
  std::vector<double> T_accepted_K_;
};

/// /cavities/cavities (one row per cavity) and /cavities/fluid (one row per lane step); nothing
/// for an empty list (postproc/LAYOUT.md).
void add_cavity_results(const std::vector<CavityResult>& cavities,
                        postproc::ResultsContent& content);

/// The human summary: one block per cavity (outlet, ΔT, heat, h, closure).
std::string format_cavities(const std::vector<CavityResult>& cavities);

}  // namespace cposim::cases
