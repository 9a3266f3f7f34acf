#pragma once
/// \file
/// What a sweep tells its user: sweep_report.md (the trade-off table, the Pareto set, the best
/// point, the failures) and sweep_plot.png (worst lane margin and total ring-heater power
/// against the placement variable, drawn with postproc::RasterImage).

#include <optional>
#include <string>
#include <vector>

#include "cases/sweep/sweep_spec.hpp"
#include "cases/sweep/sweep_table.hpp"

namespace cposim::cases {

/// The sweep's design verdicts for stdout, one `FAIL:` line per infeasible point (its verdict
/// margins below 0) and, when points ran but none passes every verdict, a last `FAIL: sweep: no
/// feasible point ...` line; empty when some point is feasible and none is infeasible. Design
/// verdicts never change the exit code (only failed runs do).
std::string sweep_verdict_lines(const SweepSpec& spec, const SweepTable& table);

/// The report as Markdown. `plot_file` (relative to the report, "" for none) is linked.
std::string sweep_report_markdown(const SweepSpec& spec, const SweepTable& table,
                                  const std::optional<SweepBestAnswer>& best,
                                  const std::string& plot_file);

/// The plot's default panels: the binding constraints, i.e. the margin metrics
/// (verdict_margin_metric_names) of the verdict classes that fail at some point, most often
/// failing first (at most kMaxSweepPlotPanels); when none fails, worst lane margin and total
/// heater power where the points have them, else the T_max margin or T_max.
std::vector<std::string> default_plot_metrics(const SweepTable& table);

/// The metrics the plot draws: spec.plot_y, or default_plot_metrics.
std::vector<std::string> plot_metrics(const SweepSpec& spec, const SweepTable& table);

/// Draws one panel per plot_metrics against spec.plot_x for every point that ran; infeasible
/// points are hollow, Pareto points are ringed, the best point is marked, `[sweep.best]`
/// thresholds on a panel's metric are dashed lines and a margin panel has its zero line.
/// Written as PNG to a temporary and renamed. Throws std::invalid_argument if spec.plot_x is empty,
/// and std::runtime_error if the file cannot be written or the font cannot be loaded.
void write_sweep_plot(const SweepSpec& spec, const SweepTable& table,
                      const std::optional<SweepBestAnswer>& best, const std::string& path);

}  // namespace cposim::cases
