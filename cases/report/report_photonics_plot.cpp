/// \file
/// photonics_history.png: ring detuning and heater power of a transient run
/// (cases/report/report_plots.hpp).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "cases/report/plot_lines.hpp"
#include "cases/report/report_plots.hpp"
#include "postproc/plots/plot_style.hpp"

namespace cposim::cases {
namespace {

using postproc::RasterImage;
using postproc::Rgb;
namespace style = postproc::plot_style;

const Rgb kToleranceBand{225, 240, 225};

/// One panel: its rows of values per ring (already in the panel's unit) and its range.
struct Panel {
  std::string label;
  std::vector<const std::vector<double>*> rows;
  double scale = 1.0;  ///< SI → the panel's unit
  int top = 0, height = 0;
  double lo = 0.0, hi = 0.0;
  std::vector<double> ticks;

  int y_px(double v) const {
    return top + height - static_cast<int>(std::lround((v - lo) / (hi - lo) * height));
  }
};

/// The rings drawn: the kHistoryRings with the largest max |detuning|, worst first.
std::vector<std::size_t> drawn_rings(const TransientPhotonicsSeries& p) {
  std::vector<std::size_t> order(p.rings.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return p.rings[a].stats.max_abs_detuning_m > p.rings[b].stats.max_abs_detuning_m;
  });
  if (order.size() > kHistoryRings) order.resize(kHistoryRings);
  return order;
}

void set_range(Panel& panel, double lo, double hi) {
  for (const auto* row : panel.rows)
    for (const double v : *row)
      if (std::isfinite(v)) {
        lo = std::min(lo, v * panel.scale);
        hi = std::max(hi, v * panel.scale);
      }
  panel.ticks = plot_lines::axis_ticks(lo, hi, 6);
  panel.lo = lo;
  panel.hi = hi;
}

}  // namespace

RasterImage render_photonics_history_plot(const TransientSummary& t, const std::string& title) {
  constexpr int left = 84, plot_w = 720, top = 70, panel_h = 240, gap = 40, bottom = 56;
  const TransientPhotonicsSeries& p = *t.photonics;
  const std::vector<std::size_t> rings = drawn_rings(p);
  Panel detuning;
  detuning.label = "detuning [nm]";
  detuning.scale = 1e9;
  detuning.top = top;
  detuning.height = panel_h;
  Panel heater;
  heater.label = "heater [mW]";
  heater.scale = 1e3;
  heater.top = top + panel_h + gap;
  heater.height = panel_h;
  double tolerance_nm = std::numeric_limits<double>::infinity();
  for (const std::size_t i : rings) {
    detuning.rows.push_back(&p.ring_detuning_m[i]);
    heater.rows.push_back(&p.ring_heater_W[i]);
    tolerance_nm = std::min(tolerance_nm, p.rings[i].lock_tolerance_m * 1e9);
  }
  if (!std::isfinite(tolerance_nm)) tolerance_nm = 0.0;
  set_range(detuning, -tolerance_nm, tolerance_nm);
  set_range(heater, 0.0, 0.0);
  const std::size_t n = t.times_s.size();
  double t_lo = n > 0 ? t.times_s.front() : 0.0, t_hi = n > 0 ? t.times_s.back() : 1.0;
  if (!(t_hi > t_lo)) t_hi = t_lo + 1.0;
  auto x_px = [&](double ts) {
    return left + static_cast<int>(std::lround((ts - t_lo) / (t_hi - t_lo) * plot_w));
  };

  const RasterImage measure(1, 1, style::kBackground);
  int legend_w = 160;
  for (const std::size_t i : rings)
    legend_w = std::max(legend_w, measure.text_width(p.ring_names[i], style::kTextPx) + 50);
  RasterImage image(left + plot_w + 20 + legend_w, heater.top + panel_h + bottom,
                    style::kBackground);
  // The lock tolerance of the tightest ring drawn, as a band around zero detuning.
  image.fill_rect(left, detuning.y_px(tolerance_nm), left + plot_w, detuning.y_px(-tolerance_nm),
                  kToleranceBand);
  const auto t_ticks = postproc::nice_ticks(t_lo, t_hi, 10);
  const int t_dec = t_ticks.size() > 1 ? postproc::tick_decimals(t_ticks[1] - t_ticks[0]) : 2;
  for (const Panel* panel : {&detuning, &heater}) {
    const int dec =
        panel->ticks.size() > 1 ? postproc::tick_decimals(panel->ticks[1] - panel->ticks[0]) : 1;
    for (const double v : panel->ticks) {
      const int py = panel->y_px(v);
      image.draw_line(left, py, left + plot_w, py, plot_lines::kGrid);
      const std::string label = postproc::format_tick(v, dec);
      image.draw_text(left - 8 - image.text_width(label, style::kSmallPx), py + 4, label,
                      style::kInk, style::kSmallPx);
    }
    for (const double ts : t_ticks)
      image.draw_line(x_px(ts), panel->top, x_px(ts), panel->top + panel->height,
                      plot_lines::kGrid);
    for (std::size_t r = 0; r < panel->rows.size(); ++r) {
      std::vector<std::pair<int, int>> points;
      for (std::size_t k = 0; k < n && k < panel->rows[r]->size(); ++k)
        if (std::isfinite((*panel->rows[r])[k]))
          points.push_back({x_px(t.times_s[k]), panel->y_px((*panel->rows[r])[k] * panel->scale)});
      plot_lines::polyline(image, points, plot_lines::kPalette[r % 10], 2, false);
    }
    image.draw_rect(left, panel->top, left + plot_w, panel->top + panel->height, style::kFrame);
    image.draw_text(8, panel->top - 8, panel->label, style::kInk, style::kTextPx);
  }
  for (const double ts : t_ticks) {
    const std::string label = postproc::format_tick(ts, t_dec);
    image.draw_text(x_px(ts) - image.text_width(label, style::kSmallPx) / 2,
                    heater.top + panel_h + 17, label, style::kInk, style::kSmallPx);
  }
  image.draw_text(left + plot_w - image.text_width("t [s]", style::kTextPx),
                  heater.top + panel_h + 36, "t [s]", style::kInk, style::kTextPx);
  const int lx = left + plot_w + 16;
  for (std::size_t r = 0; r < rings.size(); ++r) {
    const int ly = top + 14 + static_cast<int>(r) * 20;
    plot_lines::polyline(image, {{lx, ly - 4}, {lx + 30, ly - 4}}, plot_lines::kPalette[r % 10], 3,
                         false);
    const auto& lock = p.rings[rings[r]];
    image.draw_text(lx + 38, ly, lock.name + (lock.pass() ? "" : " (lock lost)"), style::kInk,
                    style::kTextPx);
  }
  image.fill_rect(lx, top + 24 + static_cast<int>(rings.size()) * 20, lx + 30,
                  top + 34 + static_cast<int>(rings.size()) * 20, kToleranceBand);
  image.draw_text(lx + 38, top + 34 + static_cast<int>(rings.size()) * 20,
                  fmt::format("lock ±{:.3g} nm", tolerance_nm), style::kInk, style::kTextPx);
  image.draw_text(10, 24, title.empty() ? "ring lock in time" : title, style::kInk,
                  style::kTitlePx);
  image.draw_text(10, 46,
                  fmt::format("{} of {} rings (largest |detuning| first); all in photonics.csv",
                              rings.size(), p.rings.size()),
                  style::kFrame, style::kTextPx);
  return image;
}

void write_photonics_history_plot(const std::string& path, const TransientSummary& transient,
                                  const std::string& title) {
  render_photonics_history_plot(transient, title).write_png(path);
}

}  // namespace cposim::cases
