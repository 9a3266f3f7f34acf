#pragma once
/// \file
/// One run: case spec → problem → steady solve → statistics and probes → results files.
/// Returns everything main needs to print a summary; prints nothing itself.

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "cases/build_problem.hpp"
#include "cases/case_spec.hpp"
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
};

/// Results could not be written (unwritable folder, full disk, ...). Nothing is left under the
/// final results names.
class OutputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct RunOptions {
  std::string out_dir;  ///< where results.h5 / results.xmf go (created if missing)
  std::optional<solver::LinearSolverKind> linear_solver;  ///< overrides [solver] if set
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
  std::vector<PowerMapReport> power_maps;
  PhaseTimes times;
  std::string results_path;  ///< the .h5 written
  std::string xdmf_path;

  /// 0 if converged, else exit_not_converged.
  int exit_code() const {
    return solve.converged && solve.all_finite ? exit_ok : exit_not_converged;
  }
};

/// Builds, solves, post-processes and writes one case. Throws CaseError for user errors found
/// while building (e.g. an unreadable power map), OutputError when results cannot be written,
/// and other std::exception types only for internal bugs.
RunSummary run_case(const CaseSpec& spec, const RunOptions& options);

/// The human summary printed after a run: per-region T_max/T_mean in °C, hottest point,
/// energy balance, solver figures, time per phase.
std::string format_summary(const RunSummary& summary);

}  // namespace cposim::cases
