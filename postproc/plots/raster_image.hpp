#pragma once
/// \file
/// A small RGB raster image for plots written without a plotting library: pixels, filled and
/// outlined rectangles, thick lines, anti-aliased text (FreeType with DejaVu Sans), and PNG
/// output through libpng. Used for temperature maps (postproc/plots/temperature_map.hpp) and sweep
/// plots.

#include <cstdint>
#include <string>
#include <vector>

namespace cposim::postproc {

/// An 8-bit sRGB colour.
struct Rgb {
  std::uint8_t r = 0, g = 0, b = 0;
};

inline bool operator==(Rgb a, Rgb b) { return a.r == b.r && a.g == b.g && a.b == b.b; }
inline bool operator!=(Rgb a, Rgb b) { return !(a == b); }

/// Width × height pixels of Rgb, (0,0) top-left, x to the right, y down. Every drawing call
/// clips to the image: pixels outside are ignored, never an error.
class RasterImage {
 public:
  /// An image filled with `background`. Throws std::invalid_argument unless both sizes are in
  /// [1, 32768].
  RasterImage(int width_px, int height_px, Rgb background);

  int width() const { return width_; }
  int height() const { return height_; }

  /// Sets one pixel; out-of-range coordinates are ignored.
  void set(int x, int y, Rgb c);
  /// One pixel; out-of-range coordinates give black.
  Rgb get(int x, int y) const;
  /// Mixes `c` into one pixel with opacity `alpha` in [0, 1] (clamped).
  void blend(int x, int y, Rgb c, double alpha);

  /// Fills the rectangle with corners (x0, y0) and (x1, y1), both inclusive, in any order.
  void fill_rect(int x0, int y0, int x1, int y1, Rgb c);
  /// The 1-pixel outline of the same rectangle.
  void draw_rect(int x0, int y0, int x1, int y1, Rgb c);
  /// A straight line from (x0, y0) to (x1, y1), both ends included (Bresenham), drawn with a
  /// square brush `thickness_px` wide (values below 1 count as 1), which also extends the ends
  /// by (thickness_px - 1) / 2.
  void draw_line(int x0, int y0, int x1, int y1, Rgb c, int thickness_px = 1);

  /// Draws UTF-8 text starting at x with its baseline at y_baseline; `pixel_height` is the
  /// font's em size in pixels. Anti-aliased (blended into the background). Invalid UTF-8 bytes
  /// are drawn as '?'. Throws std::runtime_error if the font cannot be loaded (see font_path).
  void draw_text(int x, int y_baseline, const std::string& utf8, Rgb c, int pixel_height);
  /// The advance width in pixels of `utf8` drawn by draw_text at `pixel_height`.
  int text_width(const std::string& utf8, int pixel_height) const;

  /// Writes the image as an 8-bit RGB PNG: first to `<path>.tmp-<pid>`, then renamed over
  /// `path`. Throws std::runtime_error naming the file if it cannot be written; the temporary
  /// is then removed and an existing `path` is left as it was.
  void write_png(const std::string& path) const;

 private:
  int width_;
  int height_;
  std::vector<Rgb> pixels_;  ///< row-major, y * width_ + x
};

/// Perceptual colour map (matplotlib's "inferno": black → purple → orange → pale yellow),
/// t in [0, 1]; values outside are clamped, NaN gives the t = 0 colour.
Rgb colormap(double t);

/// The TrueType font used for text: DejaVu Sans, found at configure time (CMake option
/// CPOSIM_FONT_FILE) or at its Debian location /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf.
std::string font_path();

/// Reads an 8-bit RGB or RGBA PNG (alpha dropped) back, e.g. for tests. Throws
/// std::runtime_error naming the file if it cannot be read or is not such a PNG.
RasterImage read_png(const std::string& path);

}  // namespace cposim::postproc
