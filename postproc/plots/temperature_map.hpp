#pragma once
/// \file
/// A temperature map: one plane of cells of the grid rendered as a PNG, without a plotting
/// library. Cells are drawn to scale (non-uniform grids stay non-uniform), with a colour bar in
/// °C, a scale bar in mm, labelled outlines (blocks), a title with the plane position and the
/// temperature range, and the plane's hottest cell marked.

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "mesh/cell_field.hpp"
#include "postproc/plots/raster_image.hpp"

namespace cposim::postproc {

/// A named axis-aligned box drawn as an outline where the plane cuts it (e.g. a block).
struct MapOutline {
  std::string name;
  std::array<double, 3> lo_m{};  ///< lowest corner
  std::array<double, 3> hi_m{};  ///< highest corner
};

/// What to draw.
struct TemperatureMapRequest {
  std::string title;        ///< first title line, e.g. the map's name
  std::string subtitle;     ///< second line, e.g. the case title ("" for none)
  int normal_axis = 2;      ///< 0 = x, 1 = y, 2 = z: the plane is normal to this axis
  double position_m = 0.0;  ///< the plane's coordinate along the normal; clamped to the grid
  std::string plane_note;   ///< appended to the plane position, e.g. "mid-height of 'asic'"
  /// Colour scale [min, max] in K; default: the plane's own range.
  std::optional<std::array<double, 2>> T_range_K;
  std::vector<MapOutline> outlines;  ///< outlines whose box the plane cuts are drawn
  int max_plot_px = 900;             ///< longer side of the plot area, pixels (≥ 100)
};

/// What was drawn: the plane's cell layer and its temperatures.
struct TemperatureMapInfo {
  std::size_t layer_index = 0;  ///< cell index along the normal of the plane drawn
  double T_min_K = 0.0;         ///< over the plane's finite values
  double T_max_K = 0.0;
  std::array<double, 3> T_max_at_m{};  ///< centre of the plane's hottest cell
  double vertical_exaggeration = 1.0;  ///< > 1 when a thin side view was stretched
};

/// Renders the plane of `temperature` (values in K, x fastest) described by `request`.
/// In-plane axes: (x, y) for a z normal, (x, z) for y, (y, z) for x; the first is drawn to the
/// right, the second upwards. A side view whose height would be under a quarter of its width
/// is stretched vertically (noted in the title). Non-finite temperatures are drawn grey.
/// Throws std::invalid_argument if the field has no grid or the wrong size, the normal axis
/// is not 0..2, or T_range_K is not increasing and finite.
RasterImage render_temperature_map(const mesh::CellField& temperature,
                                   const TemperatureMapRequest& request,
                                   TemperatureMapInfo* info = nullptr);

/// render_temperature_map, then RasterImage::write_png to `png_path` (temp + rename). Throws
/// as both.
TemperatureMapInfo write_temperature_map(const std::string& png_path,
                                         const mesh::CellField& temperature,
                                         const TemperatureMapRequest& request);

/// "Nice" tick values (1, 2, 2.5 or 5 × 10^n steps) covering [lo, hi] with about `target`
/// ticks, all inside [lo, hi]. Exposed for tests.
std::vector<double> nice_ticks(double lo, double hi, int target);

/// Decimals to print tick values spaced `step` apart (at most 6).
int tick_decimals(double step);
/// `value` with `decimals` decimals, never "-0".
std::string format_tick(double value, int decimals);
/// Text on a translucent dark box, readable on any colour of a map or plot.
void draw_boxed_text(RasterImage& image, int x, int y_baseline, const std::string& text, Rgb c,
                     int px);

}  // namespace cposim::postproc
