/// \file
/// coolant_<plate>.png and history.png (cases/report/report_plots.hpp).
#include "cases/report/report_plots.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <stdexcept>
#include <tuple>
#include <utility>

#include "cases/report/plot_lines.hpp"
#include "mesh/units.hpp"
#include "postproc/plots/plot_style.hpp"
#include "postproc/plots/temperature_map.hpp"

namespace cposim::cases {
namespace {

using plot_lines::axis_ticks;
using plot_lines::kGrid;
using plot_lines::kPalette;
using plot_lines::polyline;

using postproc::RasterImage;
using postproc::Rgb;

using mesh::kKelvinAtZeroCelsius;
using postproc::plot_style::kAxisNames;
using postproc::plot_style::kBackground;
using postproc::plot_style::kFrame;
using postproc::plot_style::kHalo;
using postproc::plot_style::kInk;
using postproc::plot_style::kSmallPx;
using postproc::plot_style::kTextPx;
using postproc::plot_style::kTitlePx;

const Rgb kMissing{160, 160, 160};
const Rgb kWhite{255, 255, 255};
const Rgb kStepBand{255, 226, 200};

/// An arrow from (x0, y0) to (x1, y1), white on a dark halo.
void arrow(RasterImage& image, int x0, int y0, int x1, int y1) {
  const double angle = std::atan2(y1 - y0, x1 - x0);
  const int head = 14;
  auto tip = [&](double turn, int& x, int& y) {
    x = x1 - static_cast<int>(std::lround(head * std::cos(angle + turn)));
    y = y1 - static_cast<int>(std::lround(head * std::sin(angle + turn)));
  };
  int ax = 0, ay = 0, bx = 0, by = 0;
  tip(0.5, ax, ay);
  tip(-0.5, bx, by);
  for (const auto& [c, w] : {std::pair<Rgb, int>{kHalo, 7}, std::pair<Rgb, int>{kWhite, 3}}) {
    image.draw_line(x0, y0, x1, y1, c, w);
    image.draw_line(x1, y1, ax, ay, c, w);
    image.draw_line(x1, y1, bx, by, c, w);
  }
}

/// A vertical colour bar of [lo_K, hi_K] in °C at (x, y), `height` pixels tall.
void colour_bar(RasterImage& image, int x, int y, int height, double lo_K, double hi_K) {
  const int w = 20;
  for (int row = 0; row < height; ++row)
    image.fill_rect(x, y + row, x + w - 1, y + row,
                    postproc::colormap(1.0 - (row + 0.5) / static_cast<double>(height)));
  image.draw_rect(x - 1, y - 1, x + w, y + height, kFrame);
  const double c_lo = lo_K - kKelvinAtZeroCelsius, c_hi = hi_K - kKelvinAtZeroCelsius;
  const auto ticks = postproc::nice_ticks(c_lo, c_hi, std::clamp(height / 45, 3, 10));
  const int dec = ticks.size() > 1 ? postproc::tick_decimals(ticks[1] - ticks[0]) : 2;
  for (const double t : ticks) {
    const int py =
        y + height - 1 - static_cast<int>(std::lround((t - c_lo) / (c_hi - c_lo) * (height - 1)));
    image.draw_line(x + w, py, x + w + 4, py, kFrame);
    image.draw_text(x + w + 8, py + 4, postproc::format_tick(t, dec), kInk, kSmallPx);
  }
  image.draw_text(x - 4, y - 10, "T [°C]", kInk, kTextPx);
}

/// The coolant map's extent (the plate and every face cell under it) and colour scale (the
/// fluid temperature range).
struct CoolantExtent {
  double u_lo = 0.0, u_hi = 0.0, v_lo = 0.0, v_hi = 0.0;
  double scale_lo = 0.0, scale_hi = 0.0;
};

CoolantExtent coolant_extent(const ColdPlateResult& plate, const ColdPlateSpec& spec,
                             const mesh::RectilinearGrid& grid, int ua, int va) {
  const auto su = static_cast<std::size_t>(ua), sv = static_cast<std::size_t>(va);
  CoolantExtent e;
  e.u_lo = spec.origin_m[0];
  e.u_hi = spec.origin_m[0] + spec.size_m[0];
  e.v_lo = spec.origin_m[1];
  e.v_hi = spec.origin_m[1] + spec.size_m[1];
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const auto& c : plate.cells) {
    const auto ijk = grid.ijk(c.cell);
    e.u_lo = std::min(e.u_lo, grid.nodes(ua)[ijk[su]]);
    e.u_hi = std::max(e.u_hi, grid.nodes(ua)[ijk[su] + 1]);
    e.v_lo = std::min(e.v_lo, grid.nodes(va)[ijk[sv]]);
    e.v_hi = std::max(e.v_hi, grid.nodes(va)[ijk[sv] + 1]);
    if (std::isfinite(c.fluid_T_K)) {
      lo = std::min(lo, c.fluid_T_K);
      hi = std::max(hi, c.fluid_T_K);
    }
  }
  const bool any = hi >= lo;
  e.scale_lo = any ? lo : plate.inlet_T_K;
  e.scale_hi = any ? hi : plate.inlet_T_K;
  if (!(e.scale_hi - e.scale_lo > 1e-3)) {
    e.scale_lo -= 0.5;
    e.scale_hi += 0.5;
  }
  return e;
}

/// Flow arrow through the middle of the plot, 40 % of it along the flow, with its label.
void draw_flow_arrow(RasterImage& image, const ColdPlateSpec& spec, int ua, int x0, int y0,
                     int plot_w, int plot_h) {
  const int cx = x0 + plot_w / 2, cy = y0 + plot_h / 2;
  const bool along_u = spec.flow_axis == ua;
  const int half = static_cast<int>(0.2 * (along_u ? plot_w : plot_h));
  const int s = spec.flow_sign;
  // Screen y grows downwards, the v axis upwards.
  const int dx = along_u ? s * half : 0, dy = along_u ? 0 : -s * half;
  arrow(image, cx - dx, cy - dy, cx + dx, cy + dy);
  const std::string label = "flow " + spec.flow_direction;
  const int w = image.text_width(label, kTextPx);
  postproc::draw_boxed_text(image, along_u ? cx - w / 2 : cx + 14, along_u ? cy - 14 : cy + 5,
                            label, kWhite, kTextPx);
}

}  // namespace

RasterImage render_coolant_map(const ColdPlateResult& plate, const ColdPlateSpec& spec,
                               const mesh::RectilinearGrid& grid, const std::string& subtitle) {
  const auto axes = case_face_axes(plate.face);
  const int ua = axes[0], va = axes[1];
  const auto su = static_cast<std::size_t>(ua), sv = static_cast<std::size_t>(va);

  const CoolantExtent e = coolant_extent(plate, spec, grid, ua, va);
  const double u_lo = e.u_lo, u_hi = e.u_hi, v_lo = e.v_lo, v_hi = e.v_hi;
  const double scale_lo = e.scale_lo, scale_hi = e.scale_hi;

  // Plot to scale, the longer side 560 px; a very thin plate is stretched (noted).
  const double width_m = u_hi - u_lo, height_m = v_hi - v_lo;
  const double px_per_m = 560.0 / std::max(width_m, height_m);
  const int plot_w = std::max(static_cast<int>(std::lround(width_m * px_per_m)), 120);
  const int plot_h = std::max(static_cast<int>(std::lround(height_m * px_per_m)), 120);
  const double u_px_per_m = plot_w / width_m, v_px_per_m = plot_h / height_m;
  const bool stretched = std::fabs(u_px_per_m / v_px_per_m - 1.0) > 0.02;

  std::string line =
      fmt::format("coolant {}: {} on {}, {:.3g} L/min, flow {}", plate.name, plate.coolant,
                  kBoundaryFaceNames[static_cast<std::size_t>(plate.face)], plate.flow_L_per_min,
                  spec.flow_direction);
  const std::string title = line;
  line = fmt::format(
      "inlet {:.2f} °C, outlet {:.2f} °C (ΔT {:.3f} K), heat {:.4g} W, h {:.4g} W/(m² K)",
      plate.inlet_T_K - kKelvinAtZeroCelsius, plate.outlet_T_K - kKelvinAtZeroCelsius,
      plate.delta_T_K, plate.heat_W, plate.film.h_W_per_m2K);
  const std::string second = line;
  std::string third = subtitle;
  if (stretched) third += std::string(third.empty() ? "" : "; ") + "not to scale (thin plate)";

  const int left = 78, right = 130, top = third.empty() ? 72 : 92, bottom = 70;
  const int frame_h = std::max(plot_h, 220);
  const RasterImage measure(1, 1, kBackground);
  const int text_w =
      std::max({measure.text_width(title, kTitlePx), measure.text_width(second, kTextPx),
                measure.text_width(third, kTextPx)}) +
      20;
  RasterImage image(std::max(left + plot_w + right, text_w), top + frame_h + bottom, kBackground);
  const int x0 = left, y0 = top + (frame_h - plot_h) / 2;
  auto u_px = [&](double u) { return x0 + static_cast<int>(std::lround((u - u_lo) * u_px_per_m)); };
  auto v_px = [&](double v) {
    return y0 + plot_h - static_cast<int>(std::lround((v - v_lo) * v_px_per_m));
  };

  image.fill_rect(x0, y0, x0 + plot_w - 1, y0 + plot_h - 1, kMissing);
  for (const auto& c : plate.cells) {
    const auto ijk = grid.ijk(c.cell);
    const Rgb colour = std::isfinite(c.fluid_T_K)
                           ? postproc::colormap((c.fluid_T_K - scale_lo) / (scale_hi - scale_lo))
                           : kMissing;
    image.fill_rect(u_px(grid.nodes(ua)[ijk[su]]), v_px(grid.nodes(va)[ijk[sv] + 1]),
                    u_px(grid.nodes(ua)[ijk[su] + 1]) - 1, v_px(grid.nodes(va)[ijk[sv]]) - 1,
                    colour);
  }
  image.draw_rect(u_px(spec.origin_m[0]), v_px(spec.origin_m[1] + spec.size_m[1]),
                  u_px(spec.origin_m[0] + spec.size_m[0]) - 1, v_px(spec.origin_m[1]) - 1, kWhite);
  image.draw_rect(x0 - 1, y0 - 1, x0 + plot_w, y0 + plot_h, kFrame);

  draw_flow_arrow(image, spec, ua, x0, y0, plot_w, plot_h);

  // Axes in mm.
  const double mm = 1e3;
  const auto u_ticks = postproc::nice_ticks(u_lo * mm, u_hi * mm, std::max(2, plot_w / 80));
  const int u_dec = u_ticks.size() > 1 ? postproc::tick_decimals(u_ticks[1] - u_ticks[0]) : 1;
  for (const double t : u_ticks) {
    const int px = u_px(t / mm);
    image.draw_line(px, y0 + plot_h, px, y0 + plot_h + 4, kFrame);
    const std::string s = postproc::format_tick(t, u_dec);
    image.draw_text(px - image.text_width(s, kSmallPx) / 2, y0 + plot_h + 17, s, kInk, kSmallPx);
  }
  const std::string u_label = std::string(kAxisNames[ua]) + " [mm]";
  image.draw_text(x0 + plot_w - image.text_width(u_label, kTextPx), y0 + plot_h + 34, u_label, kInk,
                  kTextPx);
  const auto v_ticks = postproc::nice_ticks(v_lo * mm, v_hi * mm, std::max(2, plot_h / 60));
  const int v_dec = v_ticks.size() > 1 ? postproc::tick_decimals(v_ticks[1] - v_ticks[0]) : 1;
  for (const double t : v_ticks) {
    const int py = v_px(t / mm);
    image.draw_line(x0 - 5, py, x0 - 1, py, kFrame);
    const std::string s = postproc::format_tick(t, v_dec);
    image.draw_text(x0 - 8 - image.text_width(s, kSmallPx), py + 4, s, kInk, kSmallPx);
  }
  image.draw_text(6, y0 - 8, std::string(kAxisNames[va]) + " [mm]", kInk, kTextPx);
  if (plate.cells.empty())
    image.draw_text(x0 + 8, y0 + plot_h / 2, "no face cell under the plate", kInk, kTextPx);

  colour_bar(image, x0 + plot_w + 26, top, frame_h, scale_lo, scale_hi);
  image.draw_text(10, 24, title, kInk, kTitlePx);
  image.draw_text(10, 46, second, kInk, kTextPx);
  if (!third.empty()) image.draw_text(10, 66, third, kFrame, kTextPx);
  return image;
}

std::vector<std::string> write_coolant_maps(const std::vector<ColdPlateResult>& plates,
                                            const CaseSpec& spec, const mesh::RectilinearGrid& grid,
                                            const std::string& out_dir) {
  std::vector<std::string> paths;
  for (const auto& p : plates) {
    const auto s = std::find_if(spec.cold_plates.begin(), spec.cold_plates.end(),
                                [&p](const ColdPlateSpec& c) { return c.name == p.name; });
    if (s == spec.cold_plates.end()) continue;
    const std::string path =
        (std::filesystem::path(out_dir) / ("coolant_" + p.name + ".png")).string();
    render_coolant_map(p, *s, grid, spec.title).write_png(path);
    paths.push_back(path);
  }
  return paths;
}

namespace {

/// One temperature line of history.png.
struct HistorySeries {
  std::string label;
  const std::vector<double>* values;
  Rgb colour;
  bool dashed;
};

const Rgb kPowerColour{200, 40, 30};
const Rgb kHeatColour{40, 90, 200};

/// The probes, then the hottest kHistoryRegions regions by peak T_max (`more`: how many
/// cooler regions are left out), each with its palette colour.
std::vector<HistorySeries> history_series(const TransientSummary& t, std::size_t& more) {
  std::vector<HistorySeries> series;
  for (std::size_t p = 0; p < t.probe_names.size() && p < t.probe_T_K.size(); ++p)
    series.push_back({"probe " + t.probe_names[p], &t.probe_T_K[p], {}, false});
  std::vector<std::pair<double, std::size_t>> peaks;
  for (std::size_t r = 0; r < t.region_names.size() && r < t.region_T_max_K.size(); ++r) {
    double peak = -std::numeric_limits<double>::infinity();
    for (const double T : t.region_T_max_K[r])
      if (std::isfinite(T)) peak = std::max(peak, T);
    if (std::isfinite(peak)) peaks.push_back({peak, r});
  }
  std::stable_sort(peaks.begin(), peaks.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  more = peaks.size() > kHistoryRegions ? peaks.size() - kHistoryRegions : 0;
  if (more > 0) peaks.resize(kHistoryRegions);
  for (const auto& [peak, r] : peaks)
    series.push_back({"T_max " + t.region_names[r], &t.region_T_max_K[r], {}, true});
  for (std::size_t i = 0; i < series.size(); ++i)
    series[i].colour = kPalette[i % (sizeof kPalette / sizeof kPalette[0])];
  return series;
}

/// The two panels of history.png (temperatures above, powers below): ranges, ticks, layout
/// in pixels.
struct HistoryFrame {
  static constexpr int left = 72, plot_w = 720, top = 70, T_h = 360, gap = 34, P_h = 130,
                       bottom = 56, P_top = top + T_h + gap;
  double t_lo = 0.0, t_hi = 1.0, T_lo = 0.0, T_hi = 0.0, P_lo = 0.0, P_hi = 0.0;
  std::vector<double> T_ticks, P_ticks, t_ticks;

  int x_px(double ts) const {
    return left + static_cast<int>(std::lround((ts - t_lo) / (t_hi - t_lo) * plot_w));
  }
  int T_px(double C) const {
    return top + T_h - static_cast<int>(std::lround((C - T_lo) / (T_hi - T_lo) * T_h));
  }
  int P_px(double P) const {
    return P_top + P_h - static_cast<int>(std::lround((P - P_lo) / (P_hi - P_lo) * P_h));
  }
};

HistoryFrame history_frame(const TransientSummary& t, const std::vector<HistorySeries>& series) {
  const std::size_t n = t.times_s.size();
  HistoryFrame f;
  f.t_lo = n > 0 ? t.times_s.front() : 0.0;
  f.t_hi = n > 0 ? t.times_s.back() : 1.0;
  if (!(f.t_hi > f.t_lo)) f.t_hi = f.t_lo + 1.0;
  double T_lo = std::numeric_limits<double>::infinity(), T_hi = -T_lo;
  for (const auto& s : series)
    for (const double T : *s.values)
      if (std::isfinite(T)) {
        T_lo = std::min(T_lo, T - kKelvinAtZeroCelsius);
        T_hi = std::max(T_hi, T - kKelvinAtZeroCelsius);
      }
  if (!(T_hi >= T_lo)) T_lo = T_hi = 25.0;
  double P_lo = 0.0, P_hi = 0.0;
  for (const auto* v : {&t.power_W, &t.heat_out_W})
    for (const double P : *v)
      if (std::isfinite(P)) {
        P_lo = std::min(P_lo, P);
        P_hi = std::max(P_hi, P);
      }
  f.T_ticks = axis_ticks(T_lo, T_hi, 7);
  f.P_ticks = axis_ticks(P_lo, P_hi, 3);
  f.t_ticks = postproc::nice_ticks(f.t_lo, f.t_hi, 10);
  f.T_lo = T_lo;
  f.T_hi = T_hi;
  f.P_lo = P_lo;
  f.P_hi = P_hi;
  return f;
}

/// Power changes between outputs, shaded in both panels; whether there was one.
bool shade_power_steps(RasterImage& image, const TransientSummary& t, const HistoryFrame& f) {
  bool any_step = false;
  for (std::size_t i = 1; i < t.times_s.size() && i < t.power_W.size(); ++i) {
    const double scale = std::max({std::fabs(t.power_W[i]), std::fabs(t.power_W[i - 1]), 1e-30});
    if (std::fabs(t.power_W[i] - t.power_W[i - 1]) <= 1e-6 * scale) continue;
    any_step = true;
    const int a = f.x_px(t.times_s[i - 1]), b = std::max(f.x_px(t.times_s[i]), a + 2);
    image.fill_rect(a, f.top, b, f.top + f.T_h, kStepBand);
    image.fill_rect(a, f.P_top, b, f.P_top + f.P_h, kStepBand);
  }
  return any_step;
}

/// A vertical axis of one panel: grid lines, ticks, labels.
template <class ToPx>
void history_y_axis(RasterImage& image, const std::vector<double>& ticks, const ToPx& to_px,
                    int panel_top, const std::string& label) {
  const int left = HistoryFrame::left, plot_w = HistoryFrame::plot_w;
  const int dec = ticks.size() > 1 ? postproc::tick_decimals(ticks[1] - ticks[0]) : 1;
  for (const double v : ticks) {
    const int py = to_px(v);
    image.draw_line(left, py, left + plot_w, py, kGrid);
    image.draw_line(left - 5, py, left - 1, py, kFrame);
    const std::string s = postproc::format_tick(v, dec);
    image.draw_text(left - 8 - image.text_width(s, kSmallPx), py + 4, s, kInk, kSmallPx);
  }
  image.draw_text(8, panel_top - 8, label, kInk, kTextPx);
}

/// Grids, ticks and labels of both panels.
void draw_history_axes(RasterImage& image, const HistoryFrame& f) {
  const int t_dec = f.t_ticks.size() > 1 ? postproc::tick_decimals(f.t_ticks[1] - f.t_ticks[0]) : 2;
  for (const double ts : f.t_ticks) {
    const int px = f.x_px(ts);
    image.draw_line(px, f.top, px, f.top + f.T_h, kGrid);
    image.draw_line(px, f.P_top, px, f.P_top + f.P_h, kGrid);
    image.draw_line(px, f.P_top + f.P_h, px, f.P_top + f.P_h + 4, kFrame);
    const std::string s = postproc::format_tick(ts, t_dec);
    image.draw_text(px - image.text_width(s, kSmallPx) / 2, f.P_top + f.P_h + 17, s, kInk,
                    kSmallPx);
  }
  const std::string t_label = "t [s]";
  image.draw_text(f.left + f.plot_w - image.text_width(t_label, kTextPx), f.P_top + f.P_h + 36,
                  t_label, kInk, kTextPx);
  history_y_axis(
      image, f.T_ticks, [&](double C) { return f.T_px(C); }, f.top, "T [°C]");
  history_y_axis(
      image, f.P_ticks, [&](double P) { return f.P_px(P); }, f.P_top, "power [W]");
}

/// The temperature lines, then power in and heat out, with markers when outputs are few.
void draw_history_lines(RasterImage& image, const TransientSummary& t, const HistoryFrame& f,
                        const std::vector<HistorySeries>& series) {
  const std::size_t n = t.times_s.size();
  const bool markers = n <= 60;
  for (const auto& s : series) {
    std::vector<std::pair<int, int>> points;
    for (std::size_t i = 0; i < n && i < s.values->size(); ++i)
      if (std::isfinite((*s.values)[i]))
        points.push_back({f.x_px(t.times_s[i]), f.T_px((*s.values)[i] - kKelvinAtZeroCelsius)});
    polyline(image, points, s.colour, s.dashed ? 2 : 3, s.dashed);
    if (markers && !s.dashed)
      for (const auto& [x, y] : points) image.fill_rect(x - 2, y - 2, x + 2, y + 2, s.colour);
  }
  for (const auto& [values, colour, dashed] :
       {std::tuple<const std::vector<double>*, Rgb, bool>{&t.power_W, kPowerColour, false},
        std::tuple<const std::vector<double>*, Rgb, bool>{&t.heat_out_W, kHeatColour, true}}) {
    std::vector<std::pair<int, int>> points;
    for (std::size_t i = 0; i < n && i < values->size(); ++i)
      if (std::isfinite((*values)[i]))
        points.push_back({f.x_px(t.times_s[i]), f.P_px((*values)[i])});
    polyline(image, points, colour, 2, dashed);
    if (markers)
      for (const auto& [x, y] : points) image.fill_rect(x - 2, y - 2, x + 2, y + 2, colour);
  }
  image.draw_rect(f.left, f.top, f.left + f.plot_w, f.top + f.T_h, kFrame);
  image.draw_rect(f.left, f.P_top, f.left + f.plot_w, f.P_top + f.P_h, kFrame);
}

/// Legends: the temperatures right of the upper panel, the powers right of the lower one.
void draw_history_legend(RasterImage& image, const HistoryFrame& f,
                         const std::vector<HistorySeries>& series, std::size_t more,
                         bool any_step) {
  auto legend_entry = [&](int x, int y, const std::string& label, Rgb c, bool dashed) {
    polyline(image, {{x, y - 4}, {x + 30, y - 4}}, c, dashed ? 2 : 3, dashed);
    image.draw_text(x + 38, y, label, kInk, kTextPx);
  };
  const int lx = f.left + f.plot_w + 16;
  int ly = f.top + 14;
  for (const auto& s : series) {
    legend_entry(lx, ly, s.label, s.colour, s.dashed);
    ly += 20;
  }
  if (more > 0)
    image.draw_text(lx, ly + 2, "+" + std::to_string(more) + " cooler regions (probes.csv)", kFrame,
                    kSmallPx);
  legend_entry(lx, f.P_top + 14, "power in", kPowerColour, false);
  legend_entry(lx, f.P_top + 34, "heat out", kHeatColour, true);
  if (any_step) {
    image.fill_rect(lx, f.P_top + 46, lx + 30, f.P_top + 56, kStepBand);
    image.draw_text(lx + 38, f.P_top + 56, "power changed", kInk, kTextPx);
  }
}

}  // namespace

RasterImage render_history_plot(const TransientSummary& t, const std::string& title) {
  std::size_t more = 0;
  const std::vector<HistorySeries> series = history_series(t, more);
  const HistoryFrame f = history_frame(t, series);

  const RasterImage measure(1, 1, kBackground);
  int legend_w = 0;
  for (const auto& s : series) legend_w = std::max(legend_w, measure.text_width(s.label, kTextPx));
  legend_w += 50;
  const int width = f.left + f.plot_w + 20 + std::max(legend_w, 160);
  RasterImage image(width, f.top + f.T_h + f.gap + f.P_h + f.bottom, kBackground);
  const bool any_step = shade_power_steps(image, t, f);
  draw_history_axes(image, f);
  draw_history_lines(image, t, f, series);
  draw_history_legend(image, f, series, more, any_step);

  std::string line = fmt::format("{}, {} outputs, {} steps ({} rejected)", t.report.scheme,
                                 t.times_s.size(), t.report.steps, t.report.rejected_steps);
  image.draw_text(10, 24, title.empty() ? "transient history" : title, kInk, kTitlePx);
  image.draw_text(10, 46, line, kFrame, kTextPx);
  return image;
}

void write_history_plot(const std::string& path, const TransientSummary& transient,
                        const std::string& title) {
  render_history_plot(transient, title).write_png(path);
}

}  // namespace cposim::cases
