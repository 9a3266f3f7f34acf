/// \file
/// Temperature map rendering: cell lookup per pixel, colour bar, axes, scale bar, outlines.
#include "postproc/plots/temperature_map.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>

#include "mesh/units.hpp"

namespace cposim::postproc {

namespace {

using mesh::kKelvinAtZeroCelsius;
constexpr const char* kAxisNames[3] = {"x", "y", "z"};

const Rgb kBackground{255, 255, 255};
const Rgb kInk{25, 25, 25};
const Rgb kFrame{90, 90, 90};
const Rgb kOutline{255, 255, 255};
const Rgb kHalo{0, 0, 0};
const Rgb kMissing{128, 128, 128};
const Rgb kMarker{0, 230, 255};

// Layout, pixels.
constexpr int kLeft = 78;
constexpr int kRight = 150;
constexpr int kTop = 66;
constexpr int kBottom = 92;
constexpr int kMinPlotHeight = 220;  // room for the colour bar's labels
constexpr int kTitlePx = 17;
constexpr int kTextPx = 13;
constexpr int kSmallPx = 11;

/// The in-plane axes (right, up) for a plane normal to `normal`.
std::array<int, 2> plane_axes(int normal) {
  if (normal == 0) return {1, 2};
  if (normal == 1) return {0, 2};
  return {0, 1};
}

/// Index of the cell of `nodes` containing x (clamped to the first/last cell).
std::size_t cell_of(const std::vector<double>& nodes, double x) {
  const auto it = std::upper_bound(nodes.begin(), nodes.end(), x);
  if (it == nodes.begin()) return 0;
  return std::min(static_cast<std::size_t>(it - nodes.begin()) - 1, nodes.size() - 2);
}

void draw_circle(RasterImage& image, int cx, int cy, int radius, Rgb c) {
  for (int a = 0; a < 360; a += 2) {
    const double r = a * 3.14159265358979323846 / 180.0;
    image.set(cx + static_cast<int>(std::lround(radius * std::cos(r))),
              cy + static_cast<int>(std::lround(radius * std::sin(r))), c);
  }
}

}  // namespace

int tick_decimals(double step) {
  if (!(step > 0.0)) return 1;
  int d = 0;
  while (d < 6 && std::fabs(step * std::pow(10.0, d) - std::round(step * std::pow(10.0, d))) >
                      1e-6 * step * std::pow(10.0, d))
    ++d;
  return d;
}

std::string format_tick(double value, int decimals) {
  std::string text = fmt::format("{:.{}f}", value, decimals);
  std::string s = text;
  if (s[0] == '-' && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);  // no "-0.0"
  return s;
}

void draw_boxed_text(RasterImage& image, int x, int y_baseline, const std::string& text, Rgb c,
                     int px) {
  const int w = image.text_width(text, px);
  for (int yy = y_baseline - px - 1; yy <= y_baseline + px / 4 + 1; ++yy)
    for (int xx = x - 3; xx <= x + w + 2; ++xx) image.blend(xx, yy, kHalo, 0.6);
  image.draw_text(x, y_baseline, text, c, px);
}

std::vector<double> nice_ticks(double lo, double hi, int target) {
  if (!(hi > lo) || !std::isfinite(lo) || !std::isfinite(hi) || target < 1) return {lo};
  const double raw = (hi - lo) / target;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double step = 10.0 * magnitude;
  for (const double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (m * magnitude >= raw) {
      step = m * magnitude;
      break;
    }
  // Ticks by index, not by adding step to a running value: where step is below the resolution
  // of lo (a range of a few ulps far from 0), t += step would never reach hi. At most
  // 2 target + 2 ticks (the chosen step gives about target), each above the previous one.
  if (!std::isfinite(step) || !(step > 0.0)) return {lo};  // hi - lo overflows, or underflows
  const double first = std::ceil(lo / step - 1e-9), last = std::floor(hi / step + 1e-9);
  std::vector<double> ticks;
  if (!std::isfinite(first) || !std::isfinite(last)) return {lo};
  const double count = std::min(last - first, 2.0 * target + 1.0);
  for (double i = 0.0; i <= count; i += 1.0) {
    const double t = (first + i) * step;
    if (!ticks.empty() && !(t > ticks.back())) continue;
    ticks.push_back(std::fabs(t) < 1e-12 * step ? 0.0 : t);
  }
  if (ticks.empty()) ticks.push_back(lo);
  return ticks;
}

RasterImage render_temperature_map(const mesh::CellField& temperature,
                                   const TemperatureMapRequest& request, TemperatureMapInfo* info) {
  if (temperature.grid == nullptr) throw std::invalid_argument("temperature map: no grid");
  const mesh::RectilinearGrid& g = *temperature.grid;
  if (temperature.values.size() != g.num_cells())
    throw std::invalid_argument("temperature map: the field has " +
                                std::to_string(temperature.values.size()) + " values for " +
                                std::to_string(g.num_cells()) + " cells");
  const int normal = request.normal_axis;
  if (normal < 0 || normal > 2)
    throw std::invalid_argument("temperature map: normal axis must be 0, 1 or 2");
  if (request.T_range_K &&
      !(std::isfinite((*request.T_range_K)[0]) && std::isfinite((*request.T_range_K)[1]) &&
        (*request.T_range_K)[0] < (*request.T_range_K)[1]))
    throw std::invalid_argument("temperature map: T_range_K must be finite and increasing");

  const std::array<int, 2> in_plane = plane_axes(normal);  // not a structured binding: the
  const int ua = in_plane[0], va = in_plane[1];            // lambda below captures them (C++17)
  const auto& un = g.nodes(ua);
  const auto& vn = g.nodes(va);
  const auto& nn = g.nodes(normal);
  const double position = std::clamp(request.position_m, nn.front(), nn.back());
  const std::size_t layer = cell_of(nn, position);
  const auto n = g.cells_per_axis();

  auto value_at = [&](std::size_t iu, std::size_t iv) {
    std::array<std::size_t, 3> ijk{};
    ijk[static_cast<std::size_t>(ua)] = iu;
    ijk[static_cast<std::size_t>(va)] = iv;
    ijk[static_cast<std::size_t>(normal)] = layer;
    return temperature.values[g.cell(ijk[0], ijk[1], ijk[2])];
  };

  // The plane's range and hottest cell.
  TemperatureMapInfo result;
  result.layer_index = layer;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  std::size_t hot_u = 0, hot_v = 0;
  for (std::size_t iv = 0; iv < n[static_cast<std::size_t>(va)]; ++iv)
    for (std::size_t iu = 0; iu < n[static_cast<std::size_t>(ua)]; ++iu) {
      const double T = value_at(iu, iv);
      if (!std::isfinite(T)) continue;
      lo = std::min(lo, T);
      if (T > hi) {
        hi = T;
        hot_u = iu;
        hot_v = iv;
      }
    }
  const bool any_finite = hi >= lo;
  result.T_min_K = any_finite ? lo : std::nan("");
  result.T_max_K = any_finite ? hi : std::nan("");
  result.T_max_at_m[static_cast<std::size_t>(ua)] = g.centre(ua, hot_u);
  result.T_max_at_m[static_cast<std::size_t>(va)] = g.centre(va, hot_v);
  result.T_max_at_m[static_cast<std::size_t>(normal)] = g.centre(normal, layer);
  double scale_lo = any_finite ? lo : 0.0, scale_hi = any_finite ? hi : 1.0;
  if (request.T_range_K) {
    scale_lo = (*request.T_range_K)[0];
    scale_hi = (*request.T_range_K)[1];
  } else if (!(scale_hi - scale_lo > 1e-3)) {
    scale_lo -= 0.5;
    scale_hi += 0.5;
  }

  // Plot size: to scale, the longer side max_plot_px; thin side views stretched upwards.
  const double width_m = un.back() - un.front();
  const double height_m = vn.back() - vn.front();
  const int max_px = std::max(request.max_plot_px, 100);
  const double px_per_m = max_px / std::max(width_m, height_m);
  const int plot_w = std::max(static_cast<int>(std::lround(width_m * px_per_m)), 20);
  int plot_h = std::max(static_cast<int>(std::lround(height_m * px_per_m)), 20);
  result.vertical_exaggeration = 1.0;
  if (normal != 2 && plot_h < plot_w / 4) {
    result.vertical_exaggeration = (plot_w / 4.0) / (height_m * px_per_m);
    plot_h = plot_w / 4;
  }
  const double u_px_per_m = plot_w / width_m;
  const double v_px_per_m = plot_h / height_m;

  // Title: name, plane, range; the case title below.
  std::string line = fmt::format("{} = {:.5g} mm", kAxisNames[normal], position * 1e3);
  std::string plane = line;
  line = fmt::format("cells {:.5g} to {:.5g} mm", nn[layer] * 1e3, nn[layer + 1] * 1e3);
  plane += " (" + (request.plane_note.empty() ? "" : request.plane_note + "; ") + line + ")";
  std::string title = request.title.empty() ? plane : request.title + ": " + plane;
  if (any_finite) {
    line = fmt::format(", T {:.1f} to {:.1f} °C", lo - kKelvinAtZeroCelsius,
                       hi - kKelvinAtZeroCelsius);
    title += line;
  }
  std::string second = request.subtitle;
  if (result.vertical_exaggeration > 1.0) {
    line = fmt::format("{}vertical scale ×{:.1f}", second.empty() ? "" : "; ",
                       result.vertical_exaggeration);
    second += line;
  }
  if (request.T_range_K) second += std::string(second.empty() ? "" : "; ") + "fixed colour range";

  const int frame_h = std::max(plot_h, kMinPlotHeight);
  const RasterImage measure(1, 1, kBackground);
  const int title_w =
      std::max(measure.text_width(title, kTitlePx), measure.text_width(second, kTextPx)) + 20;
  RasterImage image(std::max(kLeft + plot_w + kRight, title_w), kTop + frame_h + kBottom,
                    kBackground);
  const int x0 = kLeft, y0 = kTop + (frame_h - plot_h) / 2;  // plot's top-left pixel
  auto u_to_px = [&](double u) {
    return x0 + static_cast<int>(std::lround((u - un.front()) * u_px_per_m));
  };
  auto v_to_px = [&](double v) {
    return y0 + plot_h - static_cast<int>(std::lround((v - vn.front()) * v_px_per_m));
  };

  // Cells, sampled at pixel centres.
  std::vector<std::size_t> column_cell(static_cast<std::size_t>(plot_w));
  for (int px = 0; px < plot_w; ++px)
    column_cell[static_cast<std::size_t>(px)] = cell_of(un, un.front() + (px + 0.5) / u_px_per_m);
  for (int py = 0; py < plot_h; ++py) {
    const std::size_t iv = cell_of(vn, vn.back() - (py + 0.5) / v_px_per_m);
    for (int px = 0; px < plot_w; ++px) {
      const double T = value_at(column_cell[static_cast<std::size_t>(px)], iv);
      const Rgb c = std::isfinite(T) ? colormap((T - scale_lo) / (scale_hi - scale_lo)) : kMissing;
      image.set(x0 + px, y0 + py, c);
    }
  }

  // Outlines of the boxes the plane cuts, labelled where the name fits and no earlier label is.
  std::vector<std::array<int, 4>> labels;  // left, top, right, bottom of each label drawn
  for (const auto& o : request.outlines) {
    const auto nz = static_cast<std::size_t>(normal);
    if (!(o.lo_m[nz] <= position && position <= o.hi_m[nz])) continue;
    const auto su = static_cast<std::size_t>(ua), sv = static_cast<std::size_t>(va);
    const int left = u_to_px(o.lo_m[su]), right = u_to_px(o.hi_m[su]) - 1;
    const int top = v_to_px(o.hi_m[sv]), bottom = v_to_px(o.lo_m[sv]) - 1;
    if (right <= left || bottom <= top) continue;
    image.draw_rect(left, top, right, bottom, kOutline);
    const int w = image.text_width(o.name, kSmallPx);
    const std::array<int, 4> box{left + 2, top + 2, left + w + 8, top + kSmallPx + 8};
    const bool overlaps = std::any_of(labels.begin(), labels.end(), [&](const auto& b) {
      return box[0] <= b[2] && b[0] <= box[2] && box[1] <= b[3] && b[1] <= box[3];
    });
    if (w + 10 < right - left && bottom - top > kSmallPx + 8 && !overlaps) {
      draw_boxed_text(image, left + 5, top + kSmallPx + 4, o.name, kOutline, kSmallPx);
      labels.push_back(box);
    }
  }
  image.draw_rect(x0 - 1, y0 - 1, x0 + plot_w, y0 + plot_h, kFrame);

  // Hottest cell of the plane.
  if (any_finite) {
    const int hx = u_to_px(result.T_max_at_m[static_cast<std::size_t>(ua)]);
    const int hy = v_to_px(result.T_max_at_m[static_cast<std::size_t>(va)]);
    draw_circle(image, hx, hy, 8, kHalo);
    draw_circle(image, hx, hy, 7, kMarker);
    draw_circle(image, hx, hy, 6, kHalo);
    image.draw_line(hx - 3, hy, hx + 3, hy, kMarker);
    image.draw_line(hx, hy - 3, hx, hy + 3, kMarker);
    const std::string label = "max " + format_tick(hi - kKelvinAtZeroCelsius, 1) + " °C";
    const int w = image.text_width(label, kTextPx);
    int lx = hx + 12, ly = hy - 10;
    if (lx + w > x0 + plot_w - 2) lx = hx - 12 - w;
    if (ly - kTextPx < y0 + 2) ly = hy + 10 + kTextPx;
    draw_boxed_text(image, lx, ly, label, kOutline, kTextPx);
  }

  // Axes: ticks in mm along both in-plane axes.
  const double mm = 1e3;
  const auto u_ticks = nice_ticks(un.front() * mm, un.back() * mm, 8);
  const int u_dec = u_ticks.size() > 1 ? tick_decimals(u_ticks[1] - u_ticks[0]) : 1;
  for (const double t : u_ticks) {
    const int px = u_to_px(t / mm);
    image.draw_line(px, y0 + plot_h, px, y0 + plot_h + 4, kFrame);
    const std::string s = format_tick(t, u_dec);
    image.draw_text(px - image.text_width(s, kSmallPx) / 2, y0 + plot_h + 17, s, kInk, kSmallPx);
  }
  const std::string u_label = std::string(kAxisNames[ua]) + " [mm]";
  image.draw_text(x0 + plot_w - image.text_width(u_label, kTextPx), y0 + plot_h + 34, u_label, kInk,
                  kTextPx);
  const auto v_ticks = nice_ticks(vn.front() * mm, vn.back() * mm, std::max(2, plot_h / 60));
  const int v_dec = v_ticks.size() > 1 ? tick_decimals(v_ticks[1] - v_ticks[0]) : 1;
  for (const double t : v_ticks) {
    const int py = v_to_px(t / mm);
    image.draw_line(x0 - 5, py, x0 - 1, py, kFrame);
    const std::string s = format_tick(t, v_dec);
    image.draw_text(x0 - 8 - image.text_width(s, kSmallPx), py + 4, s, kInk, kSmallPx);
  }
  image.draw_text(6, y0 - 8, std::string(kAxisNames[va]) + " [mm]", kInk, kTextPx);

  // Scale bar (horizontal axis), about a fifth of the width.
  {
    const double target_mm = width_m * mm / 5.0;
    const double magnitude = std::pow(10.0, std::floor(std::log10(target_mm)));
    double bar_mm = magnitude;
    for (const double m : {1.0, 2.0, 5.0})
      if (m * magnitude <= target_mm) bar_mm = m * magnitude;
    const int bar_px = static_cast<int>(std::lround(bar_mm / mm * u_px_per_m));
    const int by = y0 + plot_h + 58;
    image.fill_rect(x0, by, x0 + bar_px, by + 4, kInk);
    image.draw_line(x0, by - 4, x0, by + 8, kInk);
    image.draw_line(x0 + bar_px, by - 4, x0 + bar_px, by + 8, kInk);
    image.draw_text(x0 + bar_px + 8, by + 8, format_tick(bar_mm, tick_decimals(bar_mm)) + " mm",
                    kInk, kTextPx);
  }

  // Colour bar in °C.
  {
    const int bx = x0 + plot_w + 26, bw = 20, by = kTop, bh = frame_h;
    for (int row = 0; row < bh; ++row)
      image.fill_rect(bx, by + row, bx + bw - 1, by + row,
                      colormap(1.0 - (row + 0.5) / static_cast<double>(bh)));
    image.draw_rect(bx - 1, by - 1, bx + bw, by + bh, kFrame);
    const double c_lo = scale_lo - kKelvinAtZeroCelsius, c_hi = scale_hi - kKelvinAtZeroCelsius;
    const auto ticks = nice_ticks(c_lo, c_hi, std::clamp(bh / 45, 4, 12));
    const int dec = ticks.size() > 1 ? tick_decimals(ticks[1] - ticks[0]) : 1;
    for (const double t : ticks) {
      const int py =
          by + bh - 1 - static_cast<int>(std::lround((t - c_lo) / (c_hi - c_lo) * (bh - 1)));
      image.draw_line(bx + bw, py, bx + bw + 4, py, kFrame);
      image.draw_text(bx + bw + 8, py + 4, format_tick(t, dec), kInk, kSmallPx);
    }
    image.draw_text(bx - 4, by - 10, "T [°C]", kInk, kTextPx);
  }

  // Title.
  image.draw_text(10, 24, title, kInk, kTitlePx);
  if (!second.empty()) image.draw_text(10, 46, second, kFrame, kTextPx);

  if (info != nullptr) *info = result;
  return image;
}

TemperatureMapInfo write_temperature_map(const std::string& png_path,
                                         const mesh::CellField& temperature,
                                         const TemperatureMapRequest& request) {
  TemperatureMapInfo info;
  render_temperature_map(temperature, request, &info).write_png(png_path);
  return info;
}

}  // namespace cposim::postproc
