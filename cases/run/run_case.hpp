#pragma once
/// \file
/// One run: case spec → problem → steady solve → statistics and probes → results files.
/// Returns everything main needs to print a summary; prints nothing itself.

#include <atomic>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "cases/run/build_problem.hpp"
#include "cases/spec/case_spec.hpp"
#include "cases/run/cold_plate_coupling.hpp"
#include "cases/run/envelope.hpp"
#include "cases/run/face_stats.hpp"
#include "cases/run/lane_evaluation.hpp"
#include "cases/run/leakage.hpp"
#include "cases/run/link_evaluation.hpp"
#include "cases/run/photonics_coupling.hpp"
#include "cases/run/progress.hpp"
#include "cases/run/run_transient.hpp"
#include "cases/run/temperature_limits.hpp"
#include "cases/run/thermal_resistance.hpp"
#include "postproc/fields/hot_spots.hpp"
#include "postproc/fields/probes.hpp"
#include "postproc/fields/region_statistics.hpp"
#include "solver/steady.hpp"

namespace cposim::cases {

/// Exit codes of `cposim` (documented in README.md).
enum ExitCode : int {
  exit_ok = 0,
  exit_internal_error = 1,  ///< a bug: please report
  exit_bad_input = 2,       ///< bad command line or case file; nothing written
  exit_not_converged = 3,   ///< results written but flagged converged = 0
  exit_io_error = 4,        ///< results could not be written
  /// Thermal runaway of a block power P(T): results of the last iterate written, flagged
  /// runaway = 1, converged = 0 (see cases/run/leakage.hpp).
  exit_thermal_runaway = 5,
  exit_interrupted = 130,  ///< stopped by SIGINT (128 + 2; SIGTERM gives 143); nothing written
};

/// The run was stopped through RunOptions::cancel before its results were written. Nothing new
/// is left under the final results names (results of an earlier run stay as they were).
class Interrupted : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Results could not be written (unwritable folder, full disk, ...). Nothing is left under the
/// final results names.
class OutputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Highest temperature a solved field may hold and still be reported as a result, K: above the
/// melting point of every package material (tungsten, the highest, melts at 3695 K; silicon
/// 1687 K, copper 1358 K — CRC Handbook of Chemistry and Physics), so a field beyond it is an
/// input far outside what a package can carry. Such a run (or one below 0 K, or not finite)
/// exits 3 with its results flagged.
inline constexpr double kMaxFieldTemperature_K = 5000.0;

/// Hot spots kept per region in the results and summaries.
inline constexpr std::size_t kHotSpotsPerRegion = 5;
/// Minimum distance between two hot spots of one region, metres: finer than a die's features
/// worth telling apart (hundreds of µm), coarser than a grid cell of a power-map hot spot.
inline constexpr double kHotSpotMinSeparation_m = 100e-6;

struct RunOptions {
  std::string out_dir;  ///< where results.h5 / results.xmf go (created if missing)
  std::optional<solver::LinearSolverKind> linear_solver;  ///< overrides [solver] if set
  /// Write the VTK XML set too; overrides [output] formats if set (`cposim run --format`).
  std::optional<bool> vtk;
  /// Size and memory limits of build_problem (`--force-memory` turns the memory check off).
  BuildLimits limits;
  /// Cancellation request, lent (may be null), e.g. set by main's SIGINT handler: checked
  /// before the solve, by the solver (each iteration, or between hypre solves) and before
  /// writing; run_case then throws Interrupted.
  const std::atomic<bool>* cancel = nullptr;
  /// Called as the run goes (may be empty): each phase as it starts, linear-solver iterations
  /// (at most every ProgressEvent::kMinInterval_s) and coupling iterations. Called on the
  /// thread that called run_case; it must not throw.
  std::function<void(const ProgressEvent&)> progress;
};

/// The worst lane of one lane group (summary.json and report.html).
struct LaneGroupSummary {
  std::string group;
  std::string engine;  ///< the EIC block the group lands on
  int lanes = 0;
  int failing = 0;  ///< at the solved temperature, over loss budget or reach limit
  /// The worst lane: a failing one (loss or reach) before any passing one, then the smallest
  /// loss margin at the solved temperature.
  int worst_lane = 0;
  int failing_loss = 0;               ///< lanes over the loss budget (or NaN loss)
  int worst_loss_lane = 0;            ///< the lane with the smallest loss margin
  double worst_margin_dB = 0.0;       ///< its margin; kNoLimit (infinite) without a loss budget
  double worst_margin_25C_dB = 0.0;   ///< smallest margin at 25 °C
  double reach_limit_m = 0.0;         ///< the budget's routed-length limit; kNoLimit: none
  int failing_reach = 0;              ///< lanes routed longer than reach_limit_m
  int worst_reach_lane = 0;           ///< the longest lane
  double worst_reach_length_m = 0.0;  ///< its routed length
  double reach_margin_m = 0.0;        ///< reach_limit_m − worst_reach_length_m
};

/// The worst lanes of each lane group of `lanes` (evaluated for `spec`), in group order.
std::vector<LaneGroupSummary> lane_group_summaries(const LaneEvaluation& lanes,
                                                   const CaseSpec& spec);

/// Wall time per phase, seconds.
struct PhaseTimes {
  double build_s = 0.0;  ///< grid, labels, materials, power
  double assembly_s = 0.0;
  double setup_s = 0.0;
  double solve_s = 0.0;
  double postprocess_s = 0.0;
  double write_s = 0.0;
};

struct RunSummary {
  std::string title;
  std::array<std::size_t, 3> cells_per_axis{};
  std::size_t num_cells = 0;
  solver::SolveReport solve;
  std::vector<postproc::RegionStatistics> regions;
  std::vector<postproc::ProbeReading> probes;
  /// `[[output.face_stats]]` on the final field (face values, cases/run/face_stats.hpp).
  std::vector<FaceStatsResult> face_stats;
  /// Top local maxima per region (postproc::find_hot_spots, 26-neighbour, at most
  /// kHotSpotsPerRegion per region, kHotSpotMinSeparation_m apart).
  std::vector<postproc::HotSpot> hot_spots;
  /// The face whose temperature the resistances are referred to; empty if no convection or
  /// fixed_temperature face carries heat out (then `resistances` is empty too).
  std::optional<CoolantReference> coolant;
  /// Junction-to-coolant resistance of each region with power > 0 (self + crosstalk).
  std::vector<SourceResistance> resistances;
  std::vector<PowerMapReport> power_maps;
  PhaseTimes times;
  std::string results_path;  ///< the .h5 written
  std::string xdmf_path;
  std::string summary_json_path;  ///< summary.json beside results.h5 (see summary_json.hpp)
  /// Photonic devices and the coupling loop; empty for a case without devices.
  std::optional<PhotonicsReport> photonics;
  std::string crosstalk_csv_path;  ///< written with [coupling] crosstalk = true
  /// Electrical lanes: the worst lane of each optical engine; empty for a case without lanes.
  std::vector<LaneEngineSummary> lane_engines;
  /// Cold plates: outlet, heat, ΔT, h (and Re/Nu from channels); empty without plates.
  std::vector<ColdPlateResult> cold_plates;
  std::vector<CavityResult> cavities;  ///< [[cavities]] (cavity_coupling.hpp)
  /// Electrical lanes: the worst lane of each lane group, in file order.
  std::vector<LaneGroupSummary> lane_groups;
  /// [[optics.links]] per channel at the solved temperatures (cases/run/link_evaluation.hpp).
  std::vector<LinkChannelResult> links;
  /// [[operating_points]] with the case as written as "nominal" (cases/run/envelope.hpp).
  std::optional<EnvelopeReport> envelope;
  /// Temperature limits of layers and blocks, ring-bank spreads (a design verdict: a failure
  /// does not change exit_code()).
  LimitReport limits;
  /// PNG temperature maps written beside results.h5 (embedded in report.html): one per
  /// [[output.maps]], or map_hottest.png (cases/run/temperature_maps.hpp).
  /// After them, coolant_<plate>.png per cold plate (cases/report/report_plots.hpp).
  std::vector<std::string> map_png_paths;
  /// history.png beside results.h5 for a [transient] run (cases/report/report_plots.hpp); else empty.
  std::string history_png_path;
  /// [solver] max_energy_imbalance of the run: report.html colours the energy closures
  /// (transient accounting, cold-plate coolant) against it.
  double max_energy_imbalance = 1e-6;
  /// VTK XML files (results.vtr, results_<set>.vtp, results.pvd last) with [output] formats
  /// "vtk" or --format vtk; empty otherwise. vtk_write_s: their share of times.write_s.
  std::vector<std::string> vtk_paths;
  double vtk_write_s = 0.0;
  std::string report_html_path;  ///< report.html beside results.h5 (see report_html.hpp)
  /// Why the thermal solve is a failure, one line naming the [solver] key to change: not
  /// converged, temperatures not finite, or an energy imbalance above max_energy_imbalance.
  /// Empty if it is none of these. Written to the results as the failure_reason attribute.
  std::string thermal_failure;
  /// Blocks with a temperature-dependent power (leakage, power_table); empty if there are none.
  std::optional<LeakageReport> leakage;
  /// A [transient] run: its report, histories and probes.csv; empty for a steady run. `solve`
  /// then holds TransientSummary::final_state.
  std::optional<TransientSummary> transient;

  bool runaway() const { return leakage && leakage->runaway; }
  /// The run's energy-balance figure: a transient run's cumulative accounting
  /// (|in − out − stored| / max(|in|, |out|, |stored|) over the run), else the steady
  /// balance. solve.energy.relative stays the balance of the last state (instantaneous).
  double energy_relative() const {
    return transient ? transient->report.energy_relative : solve.energy.relative;
  }
  /// 0 if the thermal solve converged and the photonic coupling (if any) succeeded,
  /// exit_thermal_runaway for a runaway, else exit_not_converged.
  int exit_code() const {
    if (runaway()) return exit_thermal_runaway;
    const bool photonics_ok = !photonics || photonics->ok();
    return solve.converged && solve.all_finite && thermal_failure.empty() && photonics_ok
               ? exit_ok
               : exit_not_converged;
  }
  /// Why exit_code() is not 0, in one line ("" when it is 0).
  std::string failure_reason() const {
    if (runaway())
      return leakage->message + "; results written and flagged (runaway = 1, converged = 0)";
    if (!thermal_failure.empty())
      return thermal_failure + "; results written and flagged (converged = 0)";
    if (!solve.converged || !solve.all_finite)
      return "solver did not converge; results written and flagged (converged = 0)";
    if (photonics && !photonics->ok())
      return "photonic coupling failed (" + to_string(photonics->status) +
             "): " + photonics->message + "; results written and flagged (photonics_ok = 0)";
    return "";
  }
};

/// Why a steady thermal solve `s` is a failure, in one line naming the [solver] key to change
/// (RunSummary::thermal_failure), or "": temperatures not finite; a linear solve that
/// stagnated (stopped well before max_iterations: another solver, not more iterations) or
/// ran out of iterations; Picard not settled; an energy imbalance above
/// solver_spec.max_energy_imbalance.
std::string thermal_failure(const solver::SolveReport& s, const SolverSpec& solver_spec,
                            const solver::SteadyOptions& options);

/// Builds, solves, post-processes and writes one case. Throws CaseError for user errors found
/// while building (e.g. an unreadable power map), OutputError when results cannot be written,
/// and other std::exception types only for internal bugs.
RunSummary run_case(const CaseSpec& spec, const RunOptions& options);

/// The human summary printed after a run: per-region T_max/T_mean in °C, hottest point,
/// hot spots and thermal resistances, energy balance, solver figures, the photonic coupling (if
/// any), time per phase.
std::string format_summary(const RunSummary& summary);

}  // namespace cposim::cases
