/// \file
/// coolant_<plate>.png and history.png: size, a real spread of colours, the flow arrow, the
/// step band of a power change, and the files written by a run.
#include <doctest/doctest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <set>
#include <string>
#include <tuple>

#include "cases/report/report_plots.hpp"
#include "postproc/plots/raster_image.hpp"

using namespace cposim;
using namespace cposim::cases;
namespace fs = std::filesystem;

namespace {

std::size_t distinct_colours(const postproc::RasterImage& image) {
  std::set<std::tuple<int, int, int>> colours;
  for (int y = 0; y < image.height(); ++y)
    for (int x = 0; x < image.width(); ++x) {
      const auto c = image.get(x, y);
      colours.insert({c.r, c.g, c.b});
    }
  return colours.size();
}

/// Pixels of exactly `c` inside the rectangle [x0, x1] × [y0, y1].
int pixels_of(const postproc::RasterImage& image, postproc::Rgb c, int x0, int y0, int x1, int y1) {
  int n = 0;
  for (int y = y0; y <= y1; ++y)
    for (int x = x0; x <= x1; ++x) n += image.get(x, y) == c;
  return n;
}

std::vector<double> uniform_nodes(double length_m, int cells) {
  std::vector<double> n;
  for (int i = 0; i <= cells; ++i) n.push_back(length_m * i / cells);
  return n;
}

}  // namespace

TEST_CASE("render_coolant_map: the fluid temperature over the plate, a colour bar and an arrow") {
  // 20 × 10 mm top face, 20 × 10 cells, 2 cells high; a plate over all of it flowing +y, the
  // fluid warming by 10 K along the flow.
  const mesh::RectilinearGrid grid(uniform_nodes(0.02, 20), uniform_nodes(0.01, 10),
                                   uniform_nodes(0.001, 2));
  ColdPlateSpec spec;
  spec.name = "lid";
  spec.face = 5;
  spec.size_m = {0.02, 0.01};
  spec.flow_direction = "+y";
  spec.flow_axis = 1;
  spec.flow_sign = 1;
  ColdPlateResult plate;
  plate.name = "lid";
  plate.face = 5;
  plate.coolant = "water";
  plate.inlet_T_K = 300.0;
  plate.outlet_T_K = 310.0;
  plate.delta_T_K = 10.0;
  for (std::size_t j = 0; j < 10; ++j)
    for (std::size_t i = 0; i < 20; ++i) {
      CoolantCell c;
      c.lane = static_cast<int>(i);
      c.step = static_cast<int>(j);
      c.cell = grid.cell(i, j, 1);
      c.fluid_T_K = 300.0 + static_cast<double>(j) + 0.5;
      plate.cells.push_back(c);
    }
  const auto image = render_coolant_map(plate, spec, grid, "case title");
  // To scale: the 20 mm side is 560 px, the 10 mm side 280 px, plus margins and the titles.
  CHECK(image.width() >= 560 + 78 + 100);
  CHECK(image.height() >= 280 + 100);
  CHECK(distinct_colours(image) > 40);  // ten coolant rows, the colour bar, anti-aliased text
  // The plot's lowest and highest rows take the two ends of the colour map (inlet at y = 0).
  const int x0 = 78;  // left edge of the plot
  int bottom_y = 0, top_y = 0;
  for (int y = 0; y < image.height(); ++y) {
    if (image.get(x0 + 5, y) == postproc::colormap(0.0)) bottom_y = y;
    if (top_y == 0 && image.get(x0 + 5, y) == postproc::colormap(1.0)) top_y = y;
  }
  CHECK(top_y > 0);
  CHECK(bottom_y > top_y + 200);  // the inlet row is at the bottom: the flow goes up (+y)
  // The white arrow is vertical through the middle of the plot: white pixels near x = 78 + 280.
  CHECK(pixels_of(image, {255, 255, 255}, x0 + 278, top_y + 60, x0 + 282, bottom_y - 60) > 40);
}

TEST_CASE("render_history_plot: probes, hottest regions, power and the step band") {
  TransientSummary t;
  t.report.scheme = "bdf2";
  t.report.steps = 20;
  for (int k = 0; k <= 12; ++k) {
    const double ts = 0.25 * k;
    t.times_s.push_back(ts);
    t.power_W.push_back(ts < 0.5 ? 400.0 : 800.0);
    t.heat_out_W.push_back(ts < 0.5 ? 400.0 : 800.0 - 400.0 * std::exp(-ts));
  }
  t.probe_names = {"junction", "pic"};
  t.probe_T_K.resize(2);
  for (const double ts : t.times_s) {
    t.probe_T_K[0].push_back(ts < 0.5 ? 340.0 : 370.0 - 30.0 * std::exp(-2.0 * (ts - 0.5)));
    t.probe_T_K[1].push_back(ts < 0.5 ? 320.0 : 325.0 - 5.0 * std::exp(-(ts - 0.5)));
  }
  for (int r = 0; r < 9; ++r) {
    t.region_names.push_back("region" + std::to_string(r));
    t.region_T_max_K.push_back(std::vector<double>(t.times_s.size(), 330.0 + r));
  }
  const auto image = render_history_plot(t, "step case");
  CHECK(image.width() >= 72 + 720 + 160);  // margin, plot, legend
  CHECK(image.height() >= 600);
  CHECK(distinct_colours(image) > 60);  // eight line colours, text, grid, the band
  // Power changes between the outputs at 0.25 s and 0.5 s only: the band spans that interval
  // (72 + 720 × 0.25 / 3 = 132 .. 72 + 720 × 0.5 / 3 = 192 px) in both panels.
  const postproc::Rgb band{255, 226, 200};
  CHECK(pixels_of(image, band, 135, 75, 189, 425) > 1000);
  CHECK(pixels_of(image, band, 200, 75, 780, 425) == 0);

  // Without a power change there is no band (nor its legend entry).
  for (auto& P : t.power_W) P = 400.0;
  const auto flat = render_history_plot(t, "flat");
  CHECK(pixels_of(flat, band, 0, 0, flat.width() - 1, flat.height() - 1) == 0);
}

TEST_CASE("write_history_plot writes a PNG that reads back with the rendered size") {
  TransientSummary t;
  t.times_s = {0.0, 1.0};
  t.power_W = {1.0, 2.0};
  t.heat_out_W = {1.0, 1.5};
  t.probe_names = {"p"};
  t.probe_T_K = {{300.0, 310.0}};
  const fs::path path =
      fs::temp_directory_path() /
      ("cposim_history_" + std::to_string(static_cast<long long>(::getpid())) + ".png");
  write_history_plot(path.string(), t, "t");
  const auto back = postproc::read_png(path.string());
  const auto rendered = render_history_plot(t, "t");
  CHECK(back.width() == rendered.width());
  CHECK(back.height() == rendered.height());
  fs::remove(path);
}

TEST_CASE("render_photonics_history_plot: detuning with the lock band, heater power, lost locks") {
  TransientSummary t;
  TransientPhotonicsSeries p;
  for (int k = 0; k <= 20; ++k) t.times_s.push_back(1e-3 * k);
  for (int r = 0; r < 10; ++r) {  // ring r drifts by r × 0.01 nm: rings 4.. leave the band
    RingLockResult lock;
    lock.name = "ring" + std::to_string(r);
    lock.control = "pi";
    lock.lock_tolerance_m = 0.035e-9;
    lock.stats.max_abs_detuning_m = r * 0.01e-9;
    lock.stats.time_out_of_lock_s = r >= 4 ? 1e-3 : 0.0;
    p.rings.push_back(lock);
    p.ring_names.push_back(lock.name);
    std::vector<double> detuning, heater;
    for (const double ts : t.times_s) {
      detuning.push_back(-r * 0.01e-9 * ts / 0.02);
      heater.push_back(1e-3 * (10.0 - r * ts));
    }
    p.ring_detuning_m.push_back(detuning);
    p.ring_heater_W.push_back(heater);
  }
  t.photonics = p;
  const auto image = render_photonics_history_plot(t, "rings");
  CHECK(image.width() >= 84 + 720 + 160);
  CHECK(image.height() >= 70 + 2 * 240 + 40);
  CHECK(distinct_colours(image) > 40);  // eight line colours, text, grid, the band
  // The lock band (±0.035 nm) is drawn in the detuning panel, left of the lines' end.
  CHECK(pixels_of(image, {225, 240, 225}, 90, 75, 790, 305) > 1000);
}
