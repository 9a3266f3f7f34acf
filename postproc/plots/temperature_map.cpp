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
#include "postproc/plots/plot_style.hpp"

namespace cposim::postproc {

namespace {

using mesh::kKelvinAtZeroCelsius;
using plot_style::kAxisNames;
using plot_style::kBackground;
using plot_style::kFrame;
using plot_style::kHalo;
using plot_style::kInk;
using plot_style::kSmallPx;
using plot_style::kTextPx;
using plot_style::kTitlePx;

const Rgb kOutline{255, 255, 255};
const Rgb kMissing{128, 128, 128};
const Rgb kMarker{0, 230, 255};

// Layout, pixels.
constexpr int kLeft = 78;
constexpr int kRight = 150;
constexpr int kTop = 66;
constexpr int kBottom = 92;
constexpr int kMinPlotHeight = 220;  // room for the colour bar's labels

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

namespace {

void check_request(const mesh::CellField& temperature, const TemperatureMapRequest& request) {
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
}

/// The cut plane: its in-plane axes (u right, v up), the layer of cells it lies in, and the
/// temperature of a cell of that layer.
struct MapPlane {
  const mesh::CellField& temperature;
  const mesh::RectilinearGrid& g;
  int normal, ua, va;
  const std::vector<double>& un;
  const std::vector<double>& vn;
  const std::vector<double>& nn;
  double position;
  std::size_t layer;

  MapPlane(const mesh::CellField& field, int normal_axis, double position_m)
      : temperature(field),
        g(*field.grid),
        normal(normal_axis),
        ua(plane_axes(normal_axis)[0]),
        va(plane_axes(normal_axis)[1]),
        un(g.nodes(ua)),
        vn(g.nodes(va)),
        nn(g.nodes(normal)),
        position(std::clamp(position_m, nn.front(), nn.back())),
        layer(cell_of(nn, position)) {}

  std::size_t cells_u() const { return g.cells_per_axis()[static_cast<std::size_t>(ua)]; }
  std::size_t cells_v() const { return g.cells_per_axis()[static_cast<std::size_t>(va)]; }

  double value_at(std::size_t iu, std::size_t iv) const {
    std::array<std::size_t, 3> ijk{};
    ijk[static_cast<std::size_t>(ua)] = iu;
    ijk[static_cast<std::size_t>(va)] = iv;
    ijk[static_cast<std::size_t>(normal)] = layer;
    return temperature.values[g.cell(ijk[0], ijk[1], ijk[2])];
  }
};

/// The plane's finite range and colour scale.
struct PlaneRange {
  double lo = 0.0, hi = 0.0;
  bool any_finite = false;
  double scale_lo = 0.0, scale_hi = 1.0;
};

/// The plane's range and hottest cell (into `result`), and the colour scale.
PlaneRange scan_plane(const MapPlane& m, const TemperatureMapRequest& request,
                      TemperatureMapInfo& result) {
  result.layer_index = m.layer;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  std::size_t hot_u = 0, hot_v = 0;
  for (std::size_t iv = 0; iv < m.cells_v(); ++iv)
    for (std::size_t iu = 0; iu < m.cells_u(); ++iu) {
      const double T = m.value_at(iu, iv);
      if (!std::isfinite(T)) continue;
      lo = std::min(lo, T);
      if (T > hi) {
        hi = T;
        hot_u = iu;
        hot_v = iv;
      }
    }
  PlaneRange r;
  r.lo = lo;
  r.hi = hi;
  r.any_finite = hi >= lo;
  result.T_min_K = r.any_finite ? lo : std::nan("");
  result.T_max_K = r.any_finite ? hi : std::nan("");
  result.T_max_at_m[static_cast<std::size_t>(m.ua)] = m.g.centre(m.ua, hot_u);
  result.T_max_at_m[static_cast<std::size_t>(m.va)] = m.g.centre(m.va, hot_v);
  result.T_max_at_m[static_cast<std::size_t>(m.normal)] = m.g.centre(m.normal, m.layer);
  r.scale_lo = r.any_finite ? lo : 0.0;
  r.scale_hi = r.any_finite ? hi : 1.0;
  if (request.T_range_K) {
    r.scale_lo = (*request.T_range_K)[0];
    r.scale_hi = (*request.T_range_K)[1];
  } else if (!(r.scale_hi - r.scale_lo > 1e-3)) {
    r.scale_lo -= 0.5;
    r.scale_hi += 0.5;
  }
  return r;
}

/// Where the plot sits in the image and how metres map to pixels.
struct MapLayout {
  double width_m = 0.0, height_m = 0.0;
  int plot_w = 0, plot_h = 0, frame_h = 0;
  double u_px_per_m = 0.0, v_px_per_m = 0.0;
  int x0 = 0, y0 = 0;  ///< the plot's top-left pixel
  double u_front = 0.0, v_front = 0.0;

  int u_to_px(double u) const {
    return x0 + static_cast<int>(std::lround((u - u_front) * u_px_per_m));
  }
  int v_to_px(double v) const {
    return y0 + plot_h - static_cast<int>(std::lround((v - v_front) * v_px_per_m));
  }
};

/// Plot size: to scale, the longer side max_plot_px; thin side views stretched upwards (the
/// stretch into `result`).
MapLayout lay_out(const MapPlane& m, int max_plot_px, TemperatureMapInfo& result) {
  MapLayout l;
  l.width_m = m.un.back() - m.un.front();
  l.height_m = m.vn.back() - m.vn.front();
  const int max_px = std::max(max_plot_px, 100);
  const double px_per_m = max_px / std::max(l.width_m, l.height_m);
  l.plot_w = std::max(static_cast<int>(std::lround(l.width_m * px_per_m)), 20);
  l.plot_h = std::max(static_cast<int>(std::lround(l.height_m * px_per_m)), 20);
  result.vertical_exaggeration = 1.0;
  if (m.normal != 2 && l.plot_h < l.plot_w / 4) {
    result.vertical_exaggeration = (l.plot_w / 4.0) / (l.height_m * px_per_m);
    l.plot_h = l.plot_w / 4;
  }
  l.u_px_per_m = l.plot_w / l.width_m;
  l.v_px_per_m = l.plot_h / l.height_m;
  l.frame_h = std::max(l.plot_h, kMinPlotHeight);
  l.x0 = kLeft;
  l.y0 = kTop + (l.frame_h - l.plot_h) / 2;
  l.u_front = m.un.front();
  l.v_front = m.vn.front();
  return l;
}

/// Title: name, plane, range; the second line: the case's subtitle and notes on the scales.
std::array<std::string, 2> map_titles(const MapPlane& m, const PlaneRange& range,
                                      const TemperatureMapRequest& request,
                                      const TemperatureMapInfo& result) {
  std::string line = fmt::format("{} = {:.5g} mm", kAxisNames[m.normal], m.position * 1e3);
  std::string plane = line;
  line = fmt::format("cells {:.5g} to {:.5g} mm", m.nn[m.layer] * 1e3, m.nn[m.layer + 1] * 1e3);
  plane += " (" + (request.plane_note.empty() ? "" : request.plane_note + "; ") + line + ")";
  std::string title = request.title.empty() ? plane : request.title + ": " + plane;
  if (range.any_finite) {
    line = fmt::format(", T {:.1f} to {:.1f} °C", range.lo - kKelvinAtZeroCelsius,
                       range.hi - kKelvinAtZeroCelsius);
    title += line;
  }
  std::string second = request.subtitle;
  if (result.vertical_exaggeration > 1.0) {
    line = fmt::format("{}vertical scale ×{:.1f}", second.empty() ? "" : "; ",
                       result.vertical_exaggeration);
    second += line;
  }
  if (request.T_range_K) second += std::string(second.empty() ? "" : "; ") + "fixed colour range";
  return {title, second};
}

/// Cells, sampled at pixel centres.
void draw_cells(RasterImage& image, const MapPlane& m, const MapLayout& l, const PlaneRange& r) {
  std::vector<std::size_t> column_cell(static_cast<std::size_t>(l.plot_w));
  for (int px = 0; px < l.plot_w; ++px)
    column_cell[static_cast<std::size_t>(px)] =
        cell_of(m.un, m.un.front() + (px + 0.5) / l.u_px_per_m);
  for (int py = 0; py < l.plot_h; ++py) {
    const std::size_t iv = cell_of(m.vn, m.vn.back() - (py + 0.5) / l.v_px_per_m);
    for (int px = 0; px < l.plot_w; ++px) {
      const double T = m.value_at(column_cell[static_cast<std::size_t>(px)], iv);
      const Rgb c =
          std::isfinite(T) ? colormap((T - r.scale_lo) / (r.scale_hi - r.scale_lo)) : kMissing;
      image.set(l.x0 + px, l.y0 + py, c);
    }
  }
}

/// Outlines of the boxes the plane cuts, labelled where the name fits and no earlier label is.
void draw_outlines(RasterImage& image, const MapPlane& m, const MapLayout& l,
                   const std::vector<MapOutline>& outlines) {
  std::vector<std::array<int, 4>> labels;  // left, top, right, bottom of each label drawn
  for (const auto& o : outlines) {
    const auto nz = static_cast<std::size_t>(m.normal);
    if (!(o.lo_m[nz] <= m.position && m.position <= o.hi_m[nz])) continue;
    const auto su = static_cast<std::size_t>(m.ua), sv = static_cast<std::size_t>(m.va);
    const int left = l.u_to_px(o.lo_m[su]), right = l.u_to_px(o.hi_m[su]) - 1;
    const int top = l.v_to_px(o.hi_m[sv]), bottom = l.v_to_px(o.lo_m[sv]) - 1;
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
  image.draw_rect(l.x0 - 1, l.y0 - 1, l.x0 + l.plot_w, l.y0 + l.plot_h, kFrame);
}

/// Hottest cell of the plane: a ring marker and its temperature.
void draw_hottest(RasterImage& image, const MapPlane& m, const MapLayout& l,
                  const TemperatureMapInfo& result, double hi) {
  const int hx = l.u_to_px(result.T_max_at_m[static_cast<std::size_t>(m.ua)]);
  const int hy = l.v_to_px(result.T_max_at_m[static_cast<std::size_t>(m.va)]);
  draw_circle(image, hx, hy, 8, kHalo);
  draw_circle(image, hx, hy, 7, kMarker);
  draw_circle(image, hx, hy, 6, kHalo);
  image.draw_line(hx - 3, hy, hx + 3, hy, kMarker);
  image.draw_line(hx, hy - 3, hx, hy + 3, kMarker);
  const std::string label = "max " + format_tick(hi - kKelvinAtZeroCelsius, 1) + " °C";
  const int w = image.text_width(label, kTextPx);
  int lx = hx + 12, ly = hy - 10;
  if (lx + w > l.x0 + l.plot_w - 2) lx = hx - 12 - w;
  if (ly - kTextPx < l.y0 + 2) ly = hy + 10 + kTextPx;
  draw_boxed_text(image, lx, ly, label, kOutline, kTextPx);
}

/// Axes: ticks in mm along both in-plane axes.
void draw_axes(RasterImage& image, const MapPlane& m, const MapLayout& l) {
  const double mm = 1e3;
  const int x0 = l.x0, y0 = l.y0, plot_w = l.plot_w, plot_h = l.plot_h;
  const auto u_ticks = nice_ticks(m.un.front() * mm, m.un.back() * mm, 8);
  const int u_dec = u_ticks.size() > 1 ? tick_decimals(u_ticks[1] - u_ticks[0]) : 1;
  for (const double t : u_ticks) {
    const int px = l.u_to_px(t / mm);
    image.draw_line(px, y0 + plot_h, px, y0 + plot_h + 4, kFrame);
    const std::string s = format_tick(t, u_dec);
    image.draw_text(px - image.text_width(s, kSmallPx) / 2, y0 + plot_h + 17, s, kInk, kSmallPx);
  }
  const std::string u_label = std::string(kAxisNames[m.ua]) + " [mm]";
  image.draw_text(x0 + plot_w - image.text_width(u_label, kTextPx), y0 + plot_h + 34, u_label, kInk,
                  kTextPx);
  const auto v_ticks = nice_ticks(m.vn.front() * mm, m.vn.back() * mm, std::max(2, plot_h / 60));
  const int v_dec = v_ticks.size() > 1 ? tick_decimals(v_ticks[1] - v_ticks[0]) : 1;
  for (const double t : v_ticks) {
    const int py = l.v_to_px(t / mm);
    image.draw_line(x0 - 5, py, x0 - 1, py, kFrame);
    const std::string s = format_tick(t, v_dec);
    image.draw_text(x0 - 8 - image.text_width(s, kSmallPx), py + 4, s, kInk, kSmallPx);
  }
  image.draw_text(6, y0 - 8, std::string(kAxisNames[m.va]) + " [mm]", kInk, kTextPx);
}

/// Scale bar (horizontal axis), about a fifth of the width.
void draw_scale_bar(RasterImage& image, const MapLayout& l) {
  const double mm = 1e3;
  const double target_mm = l.width_m * mm / 5.0;
  const double magnitude = std::pow(10.0, std::floor(std::log10(target_mm)));
  double bar_mm = magnitude;
  for (const double m : {1.0, 2.0, 5.0})
    if (m * magnitude <= target_mm) bar_mm = m * magnitude;
  const int bar_px = static_cast<int>(std::lround(bar_mm / mm * l.u_px_per_m));
  const int x0 = l.x0, by = l.y0 + l.plot_h + 58;
  image.fill_rect(x0, by, x0 + bar_px, by + 4, kInk);
  image.draw_line(x0, by - 4, x0, by + 8, kInk);
  image.draw_line(x0 + bar_px, by - 4, x0 + bar_px, by + 8, kInk);
  image.draw_text(x0 + bar_px + 8, by + 8, format_tick(bar_mm, tick_decimals(bar_mm)) + " mm", kInk,
                  kTextPx);
}

/// Colour bar in °C.
void draw_colour_bar(RasterImage& image, const MapLayout& l, const PlaneRange& r) {
  const int bx = l.x0 + l.plot_w + 26, bw = 20, by = kTop, bh = l.frame_h;
  for (int row = 0; row < bh; ++row)
    image.fill_rect(bx, by + row, bx + bw - 1, by + row,
                    colormap(1.0 - (row + 0.5) / static_cast<double>(bh)));
  image.draw_rect(bx - 1, by - 1, bx + bw, by + bh, kFrame);
  const double c_lo = r.scale_lo - kKelvinAtZeroCelsius, c_hi = r.scale_hi - kKelvinAtZeroCelsius;
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

}  // namespace

RasterImage render_temperature_map(const mesh::CellField& temperature,
                                   const TemperatureMapRequest& request, TemperatureMapInfo* info) {
  check_request(temperature, request);
  const MapPlane plane(temperature, request.normal_axis, request.position_m);
  TemperatureMapInfo result;
  const PlaneRange range = scan_plane(plane, request, result);
  const MapLayout layout = lay_out(plane, request.max_plot_px, result);
  const auto [title, second] = map_titles(plane, range, request, result);

  const RasterImage measure(1, 1, kBackground);
  const int title_w =
      std::max(measure.text_width(title, kTitlePx), measure.text_width(second, kTextPx)) + 20;
  RasterImage image(std::max(kLeft + layout.plot_w + kRight, title_w),
                    kTop + layout.frame_h + kBottom, kBackground);
  draw_cells(image, plane, layout, range);
  draw_outlines(image, plane, layout, request.outlines);
  if (range.any_finite) draw_hottest(image, plane, layout, result, range.hi);
  draw_axes(image, plane, layout);
  draw_scale_bar(image, layout);
  draw_colour_bar(image, layout, range);
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
