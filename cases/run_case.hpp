#pragma once
/// \file
/// One run: case spec → problem → steady solve → statistics and probes → results files.
/// Returns everything main needs to print a summary; prints nothing itself.

#include <atomic>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "cases/build_problem.hpp"
#include "cases/case_spec.hpp"
#include "cases/lane_evaluation.hpp"
#include "cases/photonics_coupling.hpp"
#include "cases/thermal_resistance.hpp"
#include "postproc/hot_spots.hpp"
#include "postproc/probes.hpp"
#include "postproc/region_statistics.hpp"
#include "solver/steady.hpp"

namespace cposim::cases {

/// Exit codes of `cposim` (documented in README.md).
enum ExitCode : int {
  exit_ok = 0,
  exit_internal_error = 1,  ///< a bug: please report
  exit_bad_input = 2,       ///< bad command line or case file; nothing written
  exit_not_converged = 3,   ///< results written but flagged converged = 0
  exit_io_error = 4,        ///< results could not be written
  exit_interrupted = 130,   ///< stopped by SIGINT (128 + 2; SIGTERM gives 143); nothing written
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

/// Hot spots kept per region in the results and summaries.
inline constexpr std::size_t kHotSpotsPerRegion = 5;
/// Minimum distance between two hot spots of one region, metres: finer than a die's features
/// worth telling apart (hundreds of µm), coarser than a grid cell of a power-map hot spot.
inline constexpr double kHotSpotMinSeparation_m = 100e-6;

struct RunOptions {
  std::string out_dir;  ///< where results.h5 / results.xmf go (created if missing)
  std::optional<solver::LinearSolverKind> linear_solver;  ///< overrides [solver] if set
  /// Cancellation request, lent (may be null), e.g. set by main's SIGINT handler: checked
  /// before the solve, by the solver (each iteration, or between hypre solves) and before
  /// writing; run_case then throws Interrupted.
  const std::atomic<bool>* cancel = nullptr;
};

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
  /// Why the thermal solve is a failure, one line naming the [solver] key to change: not
  /// converged, temperatures not finite, or an energy imbalance above max_energy_imbalance.
  /// Empty if it is none of these. Written to the results as the failure_reason attribute.
  std::string thermal_failure;

  /// 0 if the thermal solve converged and the photonic coupling (if any) succeeded, else
  /// exit_not_converged.
  int exit_code() const {
    const bool photonics_ok = !photonics || photonics->ok();
    return solve.converged && solve.all_finite && thermal_failure.empty() && photonics_ok
               ? exit_ok
               : exit_not_converged;
  }
  /// Why exit_code() is not 0, in one line ("" when it is 0).
  std::string failure_reason() const {
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

/// Builds, solves, post-processes and writes one case. Throws CaseError for user errors found
/// while building (e.g. an unreadable power map), OutputError when results cannot be written,
/// and other std::exception types only for internal bugs.
RunSummary run_case(const CaseSpec& spec, const RunOptions& options);

/// The human summary printed after a run: per-region T_max/T_mean in °C, hottest point,
/// hot spots and thermal resistances, energy balance, solver figures, the photonic coupling (if
/// any), time per phase.
std::string format_summary(const RunSummary& summary);

}  // namespace cposim::cases
