#pragma once
/// \file
/// The pieces of a run that run_case and run_case_distributed share: phase clocks, progress
/// and cancellation, the solver options of a run, the field check, and the results content.

#include <chrono>
#include <cmath>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cases/run/built_problem.hpp"
#include "cases/run/run_options.hpp"
#include "cases/run/run_summary.hpp"
#include "cases/spec/case_spec.hpp"
#include "postproc/io/output_folder.hpp"
#include "postproc/io/results_writer.hpp"
#include "solver/steady.hpp"

namespace cposim::cases {

using Clock = std::chrono::steady_clock;
/// Seconds on Clock since t0.
double seconds_since(Clock::time_point t0);
/// CPU time of the process (all threads), seconds.
double cpu_seconds();

/// Wall and CPU time of one phase, from construction to stop().
struct PhaseClock {
  Clock::time_point wall0 = Clock::now();
  double cpu0 = cpu_seconds();
  void stop(double& wall_s, double& cpu_s) const {
    wall_s = seconds_since(wall0);
    cpu_s = cpu_seconds() - cpu0;
  }
};

/// True once options.cancel is set.
bool cancelled(const RunOptions& options);
/// Calls options.progress, if set, with one event.
void report(const RunOptions& options, const char* phase, std::string message,
            double fraction = std::nan(""));
/// The write phase: `write` timed into summary.times.write_s, between the "write" and "done"
/// progress events.
void write_phase(const RunOptions& options, RunSummary& summary,
                 const std::function<void()>& write);
/// The folder's staging folder (staging(): collective for a collective folder), with
/// summary.results_path and, when reports are written, summary_json_path and report_html_path
/// set to their files in it.
std::filesystem::path staged_paths(postproc::OutputFolder& folder, const RunOptions& options,
                                   RunSummary& summary);
/// Opens options.out_dir as the run's output folder; OutputError if it cannot.
void open_output_folder(const RunOptions& options, std::optional<postproc::OutputFolder>& folder);
/// The case's solver options with the command line's choices and the progress reports.
solver::SteadyOptions run_solver_options(const BuiltProblem& built, const RunOptions& options,
                                         const RunSummary& summary);
/// Why a solved field cannot be trusted although the solver converged, or "": a temperature
/// that is not finite, below 0 K, or above kMaxFieldTemperature_K (no package material is
/// solid there). Names the worst cell and where it is.
std::string field_bounds_failure(const mesh::RectilinearGrid& g, const std::vector<double>& T_K);
/// True if the case asks for the output field `field`.
bool wants(const BuiltProblem& built, const std::string& field);
/// Fields, tables and attributes of one steady run, in the postproc layout (fields on
/// built.grid).
postproc::ResultsContent results_content(const CaseSpec& spec, const BuiltProblem& built,
                                         const RunSummary& summary, const std::vector<double>& T_K);
/// /hot_spots/spots and /hot_spots/resistance (see postproc/LAYOUT.md).
void add_hot_spot_results(const RunSummary& summary, postproc::ResultsContent& content);
/// A new run's id for the manifest: microseconds since the epoch and the process id.
std::string new_run_id();
/// Every path of `summary` that names a file of the run inside `from`, rebased to `to` (where
/// the published folder puts it).
void rebase_paths(RunSummary& summary, const std::filesystem::path& from,
                  const std::filesystem::path& to);

}  // namespace cposim::cases
