#pragma once
/// \file
/// One run: case spec → problem → steady solve → statistics and probes → results files.
/// Returns the RunSummary (run_summary.hpp); prints nothing itself. The report files
/// (summary.json, report.html, plots) are written through RunOptions::write_reports, which
/// cases/report/run_and_report.hpp sets.

#include <atomic>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "cases/run/build_problem.hpp"
#include "cases/run/built_problem.hpp"
#include "cases/run/progress.hpp"
#include "cases/run/run_options.hpp"
#include "cases/run/run_summary.hpp"
#include "cases/spec/case_spec.hpp"
#include "solver/steady.hpp"

namespace cposim::cases {

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

}  // namespace cposim::cases
