/// \file
/// Unit tests of the temperature map: the plane picked, its range and hottest cell, cells to
/// scale on a non-uniform grid, the colour scale, outlines, and the PNG read back with libpng.
#include <doctest/doctest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <set>
#include <stdexcept>
#include <tuple>

#include "postproc/plots/temperature_map.hpp"

namespace fs = std::filesystem;
using cposim::mesh::CellField;
using cposim::mesh::RectilinearGrid;
using namespace cposim::postproc;

namespace {

// 10 x 6 x 3 cells over 10 x 6 x 0.3 mm; x non-uniform (the first cell is 4 mm wide).
const RectilinearGrid grid({0, 4e-3, 5e-3, 5.5e-3, 6e-3, 6.5e-3, 7e-3, 7.5e-3, 8e-3, 9e-3, 10e-3},
                           {0, 1e-3, 2e-3, 3e-3, 4e-3, 5e-3, 6e-3}, {0, 1e-4, 2e-4, 3e-4});

/// T = 300 + 10 k + i + j / 10 (K), with a hot cell of 400 K at (7, 4, 1).
CellField field() {
  CellField T{&grid, "temperature_K", std::vector<double>(grid.num_cells())};
  for (std::size_t c = 0; c < grid.num_cells(); ++c) {
    const auto [i, j, k] = grid.ijk(c);
    T.values[c] = 300.0 + 10.0 * static_cast<double>(k) + static_cast<double>(i) +
                  0.1 * static_cast<double>(j);
  }
  T.values[grid.cell(7, 4, 1)] = 400.0;
  return T;
}

int count_distinct(const RasterImage& image) {
  std::set<std::tuple<int, int, int>> colours;
  for (int y = 0; y < image.height(); ++y)
    for (int x = 0; x < image.width(); ++x) {
      const Rgb c = image.get(x, y);
      colours.insert({c.r, c.g, c.b});
    }
  return static_cast<int>(colours.size());
}

}  // namespace

TEST_CASE("nice_ticks: 1-2-2.5-5 steps inside the range") {
  CHECK(nice_ticks(0.0, 10.0, 5) == std::vector<double>{0, 2, 4, 6, 8, 10});
  CHECK(nice_ticks(35.1, 96.5, 6) == std::vector<double>{40, 60, 80});
  const auto t = nice_ticks(0.013, 0.0612, 4);
  REQUIRE(t.size() >= 3);
  CHECK(t.front() >= 0.013);
  CHECK(t.back() <= 0.0612);
  CHECK(nice_ticks(5.0, 5.0, 4) == std::vector<double>{5.0});
}

TEST_CASE("nice_ticks: bounded where the step is below the resolution of the values") {
  // A range of one ulp at 1e20 K (h = 1e-30 W/(m^2 K) made such fields): the step (~2000) is
  // below the spacing of doubles there (16384), so adding it to a tick never moved it and the
  // loop allocated until killed (issue 17). Now a few distinct ticks, in order, and it returns.
  const double lo = 1e20, hi = std::nextafter(1e20, 2e20);
  const auto t = nice_ticks(lo, hi, 8);
  REQUIRE(!t.empty());
  CHECK(t.size() <= 18);
  for (std::size_t i = 1; i < t.size(); ++i) CHECK(t[i] > t[i - 1]);
  CHECK(nice_ticks(-1.7e308, 1.7e308, 8) == std::vector<double>{-1.7e308});  // hi - lo = inf
  CHECK(nice_ticks(0.0, 1e-320, 8).size() <= 18);                            // subnormal range
}

TEST_CASE("render_temperature_map: the plane's layer, range and hottest cell") {
  TemperatureMapRequest r;
  r.position_m = 1.5e-4;  // middle layer, k = 1
  TemperatureMapInfo info;
  const RasterImage image = render_temperature_map(field(), r, &info);
  CHECK(info.layer_index == 1);
  CHECK(info.T_min_K == doctest::Approx(310.0).epsilon(1e-12));
  CHECK(info.T_max_K == doctest::Approx(400.0).epsilon(1e-12));
  CHECK(info.T_max_at_m[0] == doctest::Approx(7.75e-3).epsilon(1e-12));
  CHECK(info.T_max_at_m[1] == doctest::Approx(4.5e-3).epsilon(1e-12));
  CHECK(info.T_max_at_m[2] == doctest::Approx(1.5e-4).epsilon(1e-12));
  CHECK(info.vertical_exaggeration == 1.0);
  // Plot 900 x 540 px to scale (10 x 6 mm) plus margins.
  CHECK(image.width() >= 900);
  CHECK(image.height() >= 540);
  CHECK(count_distinct(image) > 50);

  r.position_m = 1.0;  // far above: clamped to the top layer
  render_temperature_map(field(), r, &info);
  CHECK(info.layer_index == 2);
}

TEST_CASE("render_temperature_map: cells are drawn to scale with the colour of their value") {
  // One layer, T = i on the x axis: the 4 mm first cell covers 40 % of the plot width.
  CellField T{&grid, "temperature_K", std::vector<double>(grid.num_cells())};
  for (std::size_t c = 0; c < grid.num_cells(); ++c)
    T.values[c] = 300.0 + static_cast<double>(grid.ijk(c)[0]);
  TemperatureMapRequest r;
  r.position_m = 5e-5;
  r.T_range_K = std::array<double, 2>{300.0, 309.0};
  r.max_plot_px = 500;  // 500 x 300 px: 50 px per mm
  const RasterImage image = render_temperature_map(T, r);
  // Find the plot's left edge on a middle row: the first pixel with the cold colour.
  const Rgb cold = colormap(0.0), hot = colormap(1.0);
  int left = -1, y = -1;
  for (int yy = 0; yy < image.height() && left < 0; ++yy)
    for (int x = 0; x < image.width() / 2; ++x)
      if (image.get(x, yy) == cold && image.get(x + 150, yy) == cold &&
          image.get(x + 199, yy) == cold) {
        left = x;
        y = yy + 100;
        break;
      }
  REQUIRE(left >= 0);
  CHECK(image.get(left + 5, y) == cold);
  CHECK(image.get(left + 195, y) == cold);                 // still in the 4 mm cell
  CHECK(image.get(left + 205, y) == colormap(1.0 / 9.0));  // 4..5 mm: i = 1
  CHECK(image.get(left + 495, y) == hot);                  // 9..10 mm: i = 9, the range's top
}

TEST_CASE("render_temperature_map: outlines are drawn only for boxes the plane cuts") {
  TemperatureMapRequest r;
  r.position_m = 5e-5;
  r.max_plot_px = 500;
  r.outlines = {{"cut", {1e-3, 1e-3, 0.0}, {3e-3, 3e-3, 1e-4}},
                {"above", {5e-3, 1e-3, 2e-4}, {9e-3, 5e-3, 3e-4}}};
  const RasterImage with = render_temperature_map(field(), r);
  r.outlines.clear();
  const RasterImage without = render_temperature_map(field(), r);
  REQUIRE(with.width() == without.width());
  int white_added = 0, changed_right_half = 0;
  for (int y = 0; y < with.height(); ++y)
    for (int x = 0; x < with.width(); ++x) {
      if (with.get(x, y) == without.get(x, y)) continue;
      if (with.get(x, y) == Rgb{255, 255, 255}) ++white_added;
      // The "above" box would be drawn from x = 5 mm, i.e. right of plot pixel 250.
      if (x > 78 + 260 && x < 78 + 500) ++changed_right_half;
    }
  CHECK(white_added >= 2 * 100 + 2 * 100 - 4);  // the 2 x 2 mm box: 100 px per side
  CHECK(changed_right_half == 0);
}

TEST_CASE("render_temperature_map: a thin side view is stretched and says so") {
  TemperatureMapRequest r;
  r.normal_axis = 1;
  r.position_m = 2.5e-3;
  TemperatureMapInfo info;
  const RasterImage image = render_temperature_map(field(), r, &info);
  // 10 mm x 0.3 mm: to scale the plot would be 900 x 27 px; stretched to 900 x 225.
  CHECK(info.vertical_exaggeration == doctest::Approx(225.0 / 27.0).epsilon(1e-9));
  CHECK(info.layer_index == 2);
  CHECK(image.height() > 225);
}

TEST_CASE("render_temperature_map: bad requests throw std::invalid_argument") {
  TemperatureMapRequest r;
  r.normal_axis = 3;
  CHECK_THROWS_AS(render_temperature_map(field(), r), std::invalid_argument);
  r.normal_axis = 2;
  r.T_range_K = std::array<double, 2>{350.0, 300.0};
  CHECK_THROWS_AS(render_temperature_map(field(), r), std::invalid_argument);
  r.T_range_K.reset();
  CellField short_field = field();
  short_field.values.pop_back();
  CHECK_THROWS_AS(render_temperature_map(short_field, r), std::invalid_argument);
}

TEST_CASE("write_temperature_map: a PNG that libpng reads back, non-trivial, NaN drawn grey") {
  CellField T = field();
  T.values[grid.cell(0, 0, 1)] = std::nan("");
  TemperatureMapRequest r;
  r.title = "test";
  r.position_m = 1.5e-4;
  const fs::path path =
      fs::temp_directory_path() / ("cposim_map_" + std::to_string(::getpid()) + ".png");
  const TemperatureMapInfo info = write_temperature_map(path.string(), T, r);
  CHECK(info.T_max_K == 400.0);
  REQUIRE(fs::exists(path));
  CHECK(fs::file_size(path) > 10000);
  const RasterImage back = read_png(path.string());
  CHECK(back.width() >= 900);
  CHECK(back.height() >= 540);
  CHECK(count_distinct(back) > 50);
  int grey = 0;
  for (int y = 0; y < back.height(); ++y)
    for (int x = 0; x < back.width(); ++x) grey += back.get(x, y) == Rgb{128, 128, 128} ? 1 : 0;
  CHECK(grey > 1000);  // the 4 x 1 mm NaN cell: 360 x 90 px
  fs::remove(path);
}
