#pragma once
/// \file
/// A transient run, phase by phase: block power over time (TransientPower), the initial state
/// (ambient or the steady solution at t = 0), time integration with outputs, and what the run
/// adds to the results (time series, probe and region histories, the transient report).
/// run_case calls run_transient for a case with [transient] in place of the steady solve;
/// everything here is plain data and prints nothing.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cases/run/built_problem.hpp"
#include "cases/run/cavity_coupling.hpp"
#include "cases/run/cold_plate_coupling.hpp"
#include "cases/run/leakage.hpp"
#include "cases/run/progress.hpp"
#include "cases/run/transient_photonics.hpp"
#include "cases/spec/case_spec.hpp"
#include "postproc/io/results_writer.hpp"
#include "postproc/io/time_series.hpp"
#include "solver/steady.hpp"
#include "solver/transient.hpp"

namespace cposim::cases {

/// The value of `waveform` at t_s (semantics in PowerWaveformSpec).
double waveform_value(const PowerWaveformSpec& waveform, double t_s);

/// Cell power over time: every layer and block keeps the shape of its built (steady) power;
/// a block with a power_waveform scales it by the waveform's factor, or spreads the
/// waveform's watts in that shape (by volume if the block's steady power is 0). The one place
/// a transient run evaluates power, so a temperature-dependent model can join here.
class TransientPower {
 public:
  /// `built` (from `spec`) is lent and must outlive this object; its cell_power_W must still
  /// hold the power build_problem assigned. Throws CaseError at a waveform in watts whose
  /// block has no shape to spread it in (a power map summing to 0, or no cells).
  TransientPower(const CaseSpec& spec, const BuiltProblem& built);

  /// Fills `cell_power_W` (resized to one value per cell) with the power at t_s. `T_K` is the
  /// last accepted state (unused until a temperature-dependent power joins). Not safe to call
  /// from two threads at once.
  void evaluate(double t_s, const std::vector<double>& T_K,
                std::vector<double>& cell_power_W) const;

  /// The waveform points strictly inside (t0_s, t1_s), sorted, without repeats: the run lands
  /// on each, so no switch of power is stepped over.
  std::vector<double> breakpoints(double t0_s, double t1_s) const;

 private:
  const std::vector<mesh::RegionId>* region_of_cell_;
  std::vector<double> unit_W_;  ///< per cell: its power, or its share of a block in watts
  std::vector<const PowerWaveformSpec*> waveform_of_region_;  ///< null: constant power
  mutable std::vector<double> scale_;  ///< per region, scratch of evaluate (not thread-safe)
};

/// What a transient run did, for the printed summary, summary.json and results.h5.
struct TransientSummary {
  solver::TransientReport report;
  std::string initial;                               ///< "ambient" or "steady"
  double initial_T_K = 0.0;                          ///< ambient: the uniform start
  std::optional<solver::SolveReport> initial_solve;  ///< steady: the solve at t = 0
  double end_time_s = 0.0;
  bool adaptive = true;
  double tolerance_K = 0.0;
  /// Per output time reached (all requested ones if the run completed):
  std::vector<double> times_s;
  std::vector<double> power_W;     ///< total heat generated
  std::vector<double> heat_out_W;  ///< heat leaving through the faces
  std::vector<std::string> probe_names;
  std::vector<std::vector<double>> probe_T_K;  ///< [probe][output]
  std::vector<std::string> region_names;
  std::vector<std::vector<double>> region_T_max_K;    ///< [region][output]
  std::vector<std::vector<double>> region_T_mean_K;   ///< [region][output], volume-weighted
  std::vector<std::string> plate_names;               ///< [[cold_plates]], in file order
  std::vector<std::vector<double>> plate_outlet_T_K;  ///< [plate][output], mixed outlet
  std::vector<std::vector<double>> plate_heat_W;      ///< [plate][output], out of the solid
  std::vector<std::string> leaky_block_names;         ///< blocks with leakage / power_table
  std::vector<std::vector<double>> leaky_block_T_K;   ///< [block][output], its T_block
  std::vector<std::vector<double>> leaky_block_W;     ///< [block][output], power in its cells
  /// temperature_K (and power_density_W_per_m3 if the case asks for it) per output; moved
  /// into the results by add_transient_results.
  postproc::TimeSeries series;
  /// The final state seen as a steady report (what run_case's shared code reads): converged
  /// = completed, iteration counts, and the instantaneous energy balance at the last time,
  /// whose imbalance is the rate at which the package still stores heat.
  solver::SolveReport final_state;
  std::string probes_csv_path;  ///< probes.csv beside results.h5 (set when written)
  /// Photonic devices: histories per output time and lock over the run (absent without
  /// devices).
  std::optional<TransientPhotonicsSeries> photonics;
  std::string photonics_csv_path;  ///< photonics.csv beside results.h5 (set when written)
};

/// The updates between Picard iterates of a transient run; each lent, may be null or empty,
/// and bound to the same BuiltProblem as the run.
struct TransientCoupling {
  /// Leakage P(T): not yet initialised (run_transient sets it at the initial temperature);
  /// its runaway limit is solver_options.runaway_T_K.
  BlockPowerModel* block_power = nullptr;
  ColdPlateCoupling* cold_plates = nullptr;  ///< quasi-steady coolant march per iterate
  CavityCoupling* cavities = nullptr;        ///< likewise, for cavities between tiers
  /// Photonic devices: heaters under their control, laser heat, histories and lock.
  TransientPhotonics* photonics = nullptr;
};

/// Runs [transient] of `spec` on `built`: evaluates the initial state (with `steady` for
/// initial = steady), integrates to end_time_s and records every output time. With
/// `coupling`, leakage power and coolant temperatures are iterated to consistency within every
/// step (solver::TransientSolver's iterate hook); the coolant is quasi-steady (its heat
/// capacity is neglected: transit time ≪ thermal time constants). On return T_K holds the last
/// state reached and built.cell_power_W the power at that time. Cancellation
/// (solver_options.linear.cancel) is reported in final_state.cancelled. `progress` (may be
/// empty) gets one "solve" event per output time. Throws CaseError for an initial state the
/// case cannot give (no face temperature to start from, no heat sink for a steady start).
TransientSummary run_transient(const CaseSpec& spec, BuiltProblem& built,
                               const solver::SteadyOptions& solver_options,
                               solver::SteadySolver& steady, std::vector<double>& T_K,
                               const std::function<void(const ProgressEvent&)>& progress,
                               const TransientCoupling& coupling = {});

/// Why a transient run is a failure, one line naming the key to change ("" if none): the
/// steady start did not converge, the run stopped early, or its energy accounting is off by
/// more than [solver] max_energy_imbalance.
std::string transient_failure(const TransientSummary& summary, const SolverSpec& solver_spec);

/// Adds the transient results (postproc/LAYOUT.md): the time series (moved out of `summary`),
/// the tables /transient/outputs, /transient/probes, /transient/regions and
/// /transient/coupling (coolant outlets, leaky-block power), and the root
/// attributes transient_*.
void add_transient_results(TransientSummary& summary, postproc::ResultsContent& content);

/// Writes probes.csv: t_s, then <probe>_T_K per probe, then <region>_T_max_K and
/// <region>_T_mean_K per region, one row per output time; first to `<path>.tmp-<pid>`, then
/// renamed over `path`. Throws std::runtime_error naming the file.
void write_transient_csv(const std::string& path, const TransientSummary& summary);

/// The printed summary of the run: steps, Δt range, set-ups, energy accounting and the probe
/// histories in brief (the final per-region temperatures are in the steady-style table).
std::string format_transient(const TransientSummary& summary);

}  // namespace cposim::cases
