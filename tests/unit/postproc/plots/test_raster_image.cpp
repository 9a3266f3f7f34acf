/// \file
/// Unit tests of RasterImage: clipping, rectangles, lines, text, the colour map, and PNG
/// written with temp + rename and read back with libpng.
#include <doctest/doctest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>

#include "postproc/plots/raster_image.hpp"

namespace fs = std::filesystem;
using namespace cposim::postproc;

namespace {

const Rgb white{255, 255, 255};
const Rgb black{0, 0, 0};
const Rgb red{255, 0, 0};

int count_colour(const RasterImage& image, Rgb c) {
  int n = 0;
  for (int y = 0; y < image.height(); ++y)
    for (int x = 0; x < image.width(); ++x) n += image.get(x, y) == c ? 1 : 0;
  return n;
}

fs::path scratch(const std::string& name) {
  return fs::temp_directory_path() / ("cposim_raster_" + std::to_string(::getpid()) + "_" + name);
}

}  // namespace

TEST_CASE("RasterImage: set/get clip silently and the size is checked") {
  RasterImage image(4, 3, white);
  image.set(3, 2, red);
  image.set(-1, 0, red);
  image.set(4, 0, red);
  image.set(0, 3, red);
  CHECK(image.get(3, 2) == red);
  CHECK(count_colour(image, red) == 1);
  CHECK(image.get(99, 99) == black);
  CHECK_THROWS_AS(RasterImage(0, 5, white), std::invalid_argument);
  CHECK_THROWS_AS(RasterImage(5, 40000, white), std::invalid_argument);
}

TEST_CASE("RasterImage: fill_rect and draw_rect cover exactly their pixels") {
  RasterImage image(10, 10, white);
  image.fill_rect(5, 6, 2, 3, red);  // corners in any order, both inclusive: 4 x 4
  CHECK(count_colour(image, red) == 16);
  CHECK(image.get(2, 3) == red);
  CHECK(image.get(5, 6) == red);
  CHECK(image.get(6, 6) == white);
  RasterImage outline(10, 10, white);
  outline.draw_rect(1, 1, 4, 3, black);  // 4 x 3 box: perimeter 2*4 + 2*1 = 10 pixels
  CHECK(count_colour(outline, black) == 10);
  CHECK(outline.get(2, 2) == white);
  RasterImage clipped(10, 10, white);
  clipped.fill_rect(-5, -5, 100, 1, red);  // clipped to rows 0..1
  CHECK(count_colour(clipped, red) == 20);
}

TEST_CASE("RasterImage: lines include both ends and thickness widens them") {
  RasterImage image(20, 20, white);
  image.draw_line(2, 3, 12, 3, black);
  CHECK(count_colour(image, black) == 11);
  image.draw_line(0, 0, 19, 19, red);
  for (int i = 0; i < 20; ++i) CHECK(image.get(i, i) == red);
  RasterImage thick(20, 20, white);
  thick.draw_line(5, 10, 14, 10, black, 3);  // 3 x 3 brush: x 4..15, y 9..11
  CHECK(count_colour(thick, black) == 36);
  CHECK(thick.get(5, 9) == black);
  CHECK(thick.get(5, 11) == black);
}

TEST_CASE("RasterImage: text is drawn with anti-aliasing and measured") {
  RasterImage image(200, 40, white);
  const int w = image.text_width("T = 85.0 °C", 16);
  CHECK(w > 60);
  CHECK(w < 150);
  CHECK(image.text_width("WW", 16) > image.text_width("W", 16));
  CHECK(image.text_width("", 16) == 0);
  image.draw_text(10, 30, "T = 85.0 °C", black, 16);
  int dark = 0, grey = 0, outside = 0;
  for (int y = 0; y < image.height(); ++y)
    for (int x = 0; x < image.width(); ++x) {
      const Rgb c = image.get(x, y);
      if (c == white) continue;
      if (c == black)
        ++dark;
      else
        ++grey;
      if (x < 9 || x > 10 + w + 2 || y > 35) ++outside;
    }
  CHECK(dark > 20);
  CHECK(grey > 20);  // anti-aliased edges
  CHECK(outside == 0);
  // Invalid UTF-8 does not throw; it is drawn as '?'.
  CHECK(image.text_width("\xff", 16) == image.text_width("?", 16));
}

TEST_CASE("colormap: inferno end points, clamping and monotonic lightness") {
  CHECK(colormap(0.0) == Rgb{0, 0, 4});
  CHECK(colormap(1.0) == Rgb{252, 255, 164});
  CHECK(colormap(-3.0) == colormap(0.0));
  CHECK(colormap(7.0) == colormap(1.0));
  CHECK(colormap(std::nan("")) == colormap(0.0));
  auto luma = [](Rgb c) { return 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b; };
  for (int i = 0; i < 100; ++i) CHECK(luma(colormap((i + 1) / 100.0)) >= luma(colormap(i / 100.0)));
}

TEST_CASE("RasterImage: PNG round trip through libpng, temp file renamed away") {
  RasterImage image(64, 32, white);
  for (int x = 0; x < 64; ++x) image.fill_rect(x, 0, x, 15, colormap(x / 63.0));
  image.draw_text(2, 28, "cposim", black, 12);
  const fs::path path = scratch("round_trip.png");
  image.write_png(path.string());
  REQUIRE(fs::exists(path));
  CHECK(!fs::exists(path.string() + ".tmp-" + std::to_string(::getpid())));
  const RasterImage back = read_png(path.string());
  REQUIRE(back.width() == 64);
  REQUIRE(back.height() == 32);
  int differing = 0;
  std::set<std::tuple<int, int, int>> colours;
  for (int y = 0; y < 32; ++y)
    for (int x = 0; x < 64; ++x) {
      differing += back.get(x, y) == image.get(x, y) ? 0 : 1;
      const Rgb c = back.get(x, y);
      colours.insert({c.r, c.g, c.b});
    }
  CHECK(differing == 0);
  CHECK(colours.size() > 50);
  fs::remove(path);
}

TEST_CASE("RasterImage: write_png into a missing folder throws and leaves nothing") {
  const RasterImage image(4, 4, white);
  const fs::path dir = scratch("no_such_dir");
  CHECK_THROWS_AS(image.write_png((dir / "x.png").string()), std::runtime_error);
  CHECK(!fs::exists(dir));
  CHECK_THROWS_AS(read_png((dir / "x.png").string()), std::runtime_error);
}
