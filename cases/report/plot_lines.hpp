#pragma once
/// \file
/// Line-plot pieces shared by the report's PNG plots (report_plots.cpp, report_photonics_plot.cpp):
/// the line palette, grid colour, axis ranges on nice ticks and solid or dashed polylines.
/// Internal to cases/report.

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include "postproc/plots/raster_image.hpp"
#include "postproc/plots/temperature_map.hpp"

namespace cposim::cases::plot_lines {

inline constexpr postproc::Rgb kGrid{228, 228, 228};

/// Line colours (matplotlib's "tab10").
inline constexpr postproc::Rgb kPalette[] = {
    {31, 119, 180}, {255, 127, 14},  {44, 160, 44},   {214, 39, 40},  {148, 103, 189},
    {140, 86, 75},  {227, 119, 194}, {127, 127, 127}, {188, 189, 34}, {23, 190, 207}};

/// A range widened to whole steps of its nice ticks; returns the ticks.
inline std::vector<double> axis_ticks(double& lo, double& hi, int target) {
  if (!(hi - lo > 1e-9 * std::max(1.0, std::fabs(hi)))) {
    const double pad = std::max(0.5, std::fabs(hi) * 0.02);
    lo -= pad;
    hi += pad;
  }
  auto ticks = postproc::nice_ticks(lo, hi, target);
  if (ticks.size() >= 2) {
    const double step = ticks[1] - ticks[0];
    lo = std::floor(lo / step + 1e-9) * step;
    hi = std::ceil(hi / step - 1e-9) * step;
    ticks = postproc::nice_ticks(lo, hi, target);
  }
  return ticks;
}

/// A polyline of pixel points, solid or dashed (the dash pattern runs on along the whole line,
/// so short segments between close outputs still show it).
inline void polyline(postproc::RasterImage& image, const std::vector<std::pair<int, int>>& points,
                     postproc::Rgb c, int thickness, bool dashed) {
  if (!dashed) {
    for (std::size_t i = 1; i < points.size(); ++i)
      image.draw_line(points[i - 1].first, points[i - 1].second, points[i].first, points[i].second,
                      c, thickness);
    return;
  }
  double run = 0.0;  // arc length drawn so far, pixels
  for (std::size_t i = 1; i < points.size(); ++i) {
    const double dx = points[i].first - points[i - 1].first;
    const double dy = points[i].second - points[i - 1].second;
    const double length = std::hypot(dx, dy);
    const int n = std::max(1, static_cast<int>(std::ceil(length)));
    for (int k = 0; k <= n; ++k) {
      if (std::fmod(run + length * k / n, 14.0) >= 8.0) continue;
      const int x = points[i - 1].first + static_cast<int>(std::lround(dx * k / n));
      const int y = points[i - 1].second + static_cast<int>(std::lround(dy * k / n));
      image.draw_line(x, y, x, y, c, thickness);
    }
    run += length;
  }
}

}  // namespace cposim::cases::plot_lines
