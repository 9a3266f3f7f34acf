/// \file
/// The report writers of a run, in the order the run writes them (run_and_report.hpp).
#include "cases/report/run_and_report.hpp"

#include <filesystem>
#include <utility>

#include "cases/report/report_html.hpp"
#include "cases/report/report_plots.hpp"
#include "cases/report/summary_json.hpp"
#include "cases/run/run_distributed.hpp"

namespace cposim::cases {

void write_reports(const CaseSpec& spec, const BuiltProblem& built, const std::string& dir,
                   RunSummary& summary) {
  const auto& g = *built.grid;
  for (auto& path : write_coolant_maps(summary.cold_plates, spec, g, dir))
    summary.map_png_paths.push_back(std::move(path));
  if (summary.transient) {
    summary.history_png_path = (std::filesystem::path(dir) / "history.png").string();
    write_history_plot(summary.history_png_path, *summary.transient, spec.title);
    if (summary.transient->photonics && !summary.transient->photonics->rings.empty()) {
      summary.photonics_history_png_path =
          (std::filesystem::path(dir) / "photonics_history.png").string();
      write_photonics_history_plot(summary.photonics_history_png_path, *summary.transient,
                                   spec.title);
    }
  }
  write_summary_json(summary.summary_json_path, summary);
  write_report_html(summary.report_html_path, summary);
}

RunSummary run_and_report(const CaseSpec& spec, RunOptions options, const Ranks* ranks) {
  options.write_reports = write_reports;
  if (ranks != nullptr && ranks->size > 1) return run_case_distributed(spec, options, *ranks);
  return run_case(spec, options);
}

}  // namespace cposim::cases
