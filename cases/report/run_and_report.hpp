#pragma once
/// \file
/// A run with its reports: run_case (cases/run/run_case.hpp) with the report writers of this
/// folder in RunOptions::write_reports, all published together in one step.

#include <string>

#include "cases/run/built_problem.hpp"
#include "cases/run/ranks.hpp"
#include "cases/run/run_case.hpp"
#include "cases/run/run_summary.hpp"
#include "cases/spec/case_spec.hpp"

namespace cposim::cases {

/// The report files of a run, into the staging folder `dir`, in this order: a coolant map per
/// cold plate (added to summary.map_png_paths), history.png for a [transient] run
/// (summary.history_png_path), summary.json and report.html (at summary.summary_json_path and
/// report_html_path, which run_case sets). Throws std::runtime_error when a file cannot be
/// written.
void write_reports(const CaseSpec& spec, const BuiltProblem& built, const std::string& dir,
                   RunSummary& summary);

/// run_case with `options.write_reports` = write_reports: what `cposim run` does. Throws as
/// run_case. With `ranks` of more than one rank (`mpirun -np N cposim run`), every rank calls
/// it and run_case_distributed runs instead; the root writes the reports.
RunSummary run_and_report(const CaseSpec& spec, RunOptions options, const Ranks* ranks = nullptr);

}  // namespace cposim::cases
