#pragma once
/// \file
/// What a sweep tells its user: sweep_report.md (the trade-off table, the Pareto set, the best
/// point, the failures) and sweep_plot.png (worst lane margin and total ring-heater power
/// against the placement variable, drawn with postproc::RasterImage).

#include <optional>
#include <string>

#include "cases/sweep_spec.hpp"
#include "cases/sweep_table.hpp"

namespace cposim::cases {

/// The report as Markdown. `plot_file` (relative to the report, "" for none) is linked.
std::string sweep_report_markdown(const SweepSpec& spec, const SweepTable& table,
                                  const std::optional<SweepBestAnswer>& best,
                                  const std::string& plot_file);

/// Draws worst lane margin (top panel) and total heater power (bottom panel) against
/// spec.plot_x for every point that ran; Pareto points are ringed, the best point is marked
/// and `[sweep.best]` thresholds on those two metrics are drawn as dashed lines. Written as PNG
/// to a temporary and renamed. Throws std::invalid_argument if spec.plot_x is empty, and
/// std::runtime_error if the file cannot be written or the font cannot be loaded.
void write_sweep_plot(const SweepSpec& spec, const SweepTable& table,
                      const std::optional<SweepBestAnswer>& best, const std::string& path);

}  // namespace cposim::cases
