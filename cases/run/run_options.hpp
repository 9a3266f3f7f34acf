#pragma once
/// \file
/// What a run is asked to do (RunOptions) and how it ends other than with a summary
/// (Interrupted, OutputError): shared by run_case and run_case_distributed.

#include <atomic>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>

#include "cases/run/build_problem.hpp"
#include "cases/run/built_problem.hpp"
#include "cases/run/progress.hpp"
#include "cases/run/run_summary.hpp"
#include "cases/spec/case_spec.hpp"
#include "solver/linear/linear_solver.hpp"

namespace cposim::cases {

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
  /// Writes more outputs of the run into the staging folder `dir` after the results and
  /// before the folder is published (may be empty: results only). summary.summary_json_path
  /// and report_html_path are set (to files in `dir`) only when it is set. It may add paths to
  /// `summary`. A std::runtime_error from it is a write failure (OutputError); anything else
  /// is a bug and passes through.
  std::function<void(const CaseSpec& spec, const BuiltProblem& built, const std::string& dir,
                     RunSummary& summary)>
      write_reports;
};

}  // namespace cposim::cases
