/// \file
/// RasterImage: pixel drawing, FreeType text and libpng output (its "simplified" API, which
/// reports errors by return value, so no setjmp/longjmp crosses C++ frames).
#include "postproc/plots/raster_image.hpp"

#include <ft2build.h>
#include FT_FREETYPE_H
#include <png.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <stdexcept>

#include "postproc/io/atomic_file.hpp"

namespace cposim::postproc {

namespace {

constexpr int kMaxSide_px = 32768;

/// Decodes UTF-8 into code points; a byte that starts no valid sequence gives '?'.
std::vector<char32_t> decode_utf8(const std::string& text) {
  std::vector<char32_t> out;
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    const unsigned char c = s[i];
    int extra = 0;
    char32_t cp = 0;
    if (c < 0x80) {
      cp = c;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3;
      cp = c & 0x07;
    } else {
      out.push_back(U'?');
      ++i;
      continue;
    }
    bool valid = i + static_cast<std::size_t>(extra) < n;
    for (int k = 1; valid && k <= extra; ++k) {
      const unsigned char d = s[i + static_cast<std::size_t>(k)];
      if ((d & 0xC0) != 0x80) valid = false;
      cp = (cp << 6) | (d & 0x3F);
    }
    if (!valid) {
      out.push_back(U'?');
      ++i;
      continue;
    }
    out.push_back(cp);
    i += static_cast<std::size_t>(extra) + 1;
  }
  return out;
}

/// The process-wide FreeType library and face. FreeType objects are not thread-safe, so every
/// use holds the mutex.
class Font {
 public:
  static Font& instance() {
    static Font font;
    return font;
  }
  std::mutex& mutex() { return mutex_; }

  /// The loaded face at `pixel_height`; throws std::runtime_error if the font is unusable.
  FT_Face face(int pixel_height) {
    if (!error_.empty()) throw std::runtime_error(error_);
    const auto size = static_cast<FT_UInt>(std::clamp(pixel_height, 1, 1000));
    if (FT_Set_Pixel_Sizes(face_, 0, size) != 0)
      throw std::runtime_error("cannot set the font size " + std::to_string(size) + " px");
    return face_;
  }

  Font(const Font&) = delete;
  Font& operator=(const Font&) = delete;

 private:
  Font() {
    const std::string path = font_path();
    if (FT_Init_FreeType(&library_) != 0) {
      error_ = "cannot initialise FreeType";
      return;
    }
    if (FT_New_Face(library_, path.c_str(), 0, &face_) != 0)
      error_ = "cannot load the font '" + path + "' (install fonts-dejavu-core)";
  }
  ~Font() {
    if (face_ != nullptr) FT_Done_Face(face_);
    if (library_ != nullptr) FT_Done_FreeType(library_);
  }

  std::mutex mutex_;
  FT_Library library_ = nullptr;
  FT_Face face_ = nullptr;
  std::string error_;
};

/// Walks the glyphs of `text` with kerning; calls draw(glyph slot, pen x) for each one and
/// returns the final pen x (the advance width).
template <typename Draw>
int walk_glyphs(FT_Face face, const std::string& text, bool render, Draw draw) {
  long pen_26_6 = 0;
  FT_UInt previous = 0;
  const bool kerning = FT_HAS_KERNING(face);
  for (const char32_t cp : decode_utf8(text)) {
    FT_UInt index = FT_Get_Char_Index(face, cp);
    if (index == 0) index = FT_Get_Char_Index(face, U'?');
    if (kerning && previous != 0 && index != 0) {
      FT_Vector delta{};
      if (FT_Get_Kerning(face, previous, index, FT_KERNING_DEFAULT, &delta) == 0)
        pen_26_6 += delta.x;
    }
    if (FT_Load_Glyph(face, index, render ? FT_LOAD_RENDER : FT_LOAD_DEFAULT) != 0) continue;
    if (render) draw(face->glyph, static_cast<int>(pen_26_6 >> 6));
    pen_26_6 += face->glyph->advance.x;
    previous = index;
  }
  return static_cast<int>((pen_26_6 + 32) >> 6);
}

}  // namespace

std::string font_path() {
#ifdef CPOSIM_FONT_FILE
  if (std::filesystem::exists(CPOSIM_FONT_FILE)) return CPOSIM_FONT_FILE;
#endif
  return "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
}

RasterImage::RasterImage(int width_px, int height_px, Rgb background)
    : width_(width_px), height_(height_px) {
  if (width_px < 1 || width_px > kMaxSide_px || height_px < 1 || height_px > kMaxSide_px)
    throw std::invalid_argument("RasterImage: size " + std::to_string(width_px) + " x " +
                                std::to_string(height_px) + " px is outside [1, 32768]");
  pixels_.assign(static_cast<std::size_t>(width_px) * static_cast<std::size_t>(height_px),
                 background);
}

void RasterImage::set(int x, int y, Rgb c) {
  if (x < 0 || y < 0 || x >= width_ || y >= height_) return;
  pixels_[static_cast<std::size_t>(y) * static_cast<std::size_t>(width_) +
          static_cast<std::size_t>(x)] = c;
}

Rgb RasterImage::get(int x, int y) const {
  if (x < 0 || y < 0 || x >= width_ || y >= height_) return {};
  return pixels_[static_cast<std::size_t>(y) * static_cast<std::size_t>(width_) +
                 static_cast<std::size_t>(x)];
}

void RasterImage::blend(int x, int y, Rgb c, double alpha) {
  if (x < 0 || y < 0 || x >= width_ || y >= height_) return;
  const double a = std::clamp(alpha, 0.0, 1.0);
  const Rgb old = get(x, y);
  auto mix = [a](std::uint8_t from, std::uint8_t to) {
    return static_cast<std::uint8_t>(std::lround(from + a * (to - from)));
  };
  set(x, y, {mix(old.r, c.r), mix(old.g, c.g), mix(old.b, c.b)});
}

void RasterImage::fill_rect(int x0, int y0, int x1, int y1, Rgb c) {
  if (x0 > x1) std::swap(x0, x1);
  if (y0 > y1) std::swap(y0, y1);
  x0 = std::max(x0, 0);
  y0 = std::max(y0, 0);
  x1 = std::min(x1, width_ - 1);
  y1 = std::min(y1, height_ - 1);
  for (int y = y0; y <= y1; ++y)
    for (int x = x0; x <= x1; ++x) set(x, y, c);
}

void RasterImage::draw_rect(int x0, int y0, int x1, int y1, Rgb c) {
  draw_line(x0, y0, x1, y0, c);
  draw_line(x1, y0, x1, y1, c);
  draw_line(x1, y1, x0, y1, c);
  draw_line(x0, y1, x0, y0, c);
}

void RasterImage::draw_line(int x0, int y0, int x1, int y1, Rgb c, int thickness_px) {
  const int t = std::max(thickness_px, 1);
  const int lo = -(t - 1) / 2, hi = t / 2;  // brush offsets; t = 1 gives 0..0
  const long dx = std::labs(static_cast<long>(x1) - x0), sx = x0 < x1 ? 1 : -1;
  const long dy = -std::labs(static_cast<long>(y1) - y0), sy = y0 < y1 ? 1 : -1;
  long err = dx + dy;
  long x = x0, y = y0;
  // Far-off end points are not clipped first; the loop is bounded by the line's length.
  for (;;) {
    if (t == 1) {
      set(static_cast<int>(x), static_cast<int>(y), c);
    } else {
      for (int oy = lo; oy <= hi; ++oy)
        for (int ox = lo; ox <= hi; ++ox)
          set(static_cast<int>(x) + ox, static_cast<int>(y) + oy, c);
    }
    if (x == x1 && y == y1) break;
    const long e2 = 2 * err;
    if (e2 >= dy) {
      err += dy;
      x += sx;
    }
    if (e2 <= dx) {
      err += dx;
      y += sy;
    }
  }
}

void RasterImage::draw_text(int x, int y_baseline, const std::string& utf8, Rgb c,
                            int pixel_height) {
  Font& font = Font::instance();
  const std::lock_guard<std::mutex> lock(font.mutex());
  FT_Face face = font.face(pixel_height);
  walk_glyphs(face, utf8, true, [&](FT_GlyphSlot glyph, int pen_x) {
    const FT_Bitmap& bitmap = glyph->bitmap;
    const int left = x + pen_x + glyph->bitmap_left;
    const int top = y_baseline - glyph->bitmap_top;
    for (unsigned row = 0; row < bitmap.rows; ++row)
      for (unsigned col = 0; col < bitmap.width; ++col) {
        const unsigned char coverage =
            bitmap.buffer[static_cast<long>(row) * bitmap.pitch + static_cast<long>(col)];
        if (coverage != 0)
          blend(left + static_cast<int>(col), top + static_cast<int>(row), c, coverage / 255.0);
      }
  });
}

int RasterImage::text_width(const std::string& utf8, int pixel_height) const {
  Font& font = Font::instance();
  const std::lock_guard<std::mutex> lock(font.mutex());
  return walk_glyphs(font.face(pixel_height), utf8, false, [](FT_GlyphSlot, int) {});
}

void RasterImage::write_png(const std::string& path) const {
  PendingFile file(path);
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  image.width = static_cast<png_uint_32>(width_);
  image.height = static_cast<png_uint_32>(height_);
  image.format = PNG_FORMAT_RGB;
  static_assert(sizeof(Rgb) == 3, "pixels_ is written as packed RGB bytes");
  const int ok =
      png_image_write_to_file(&image, file.temp_path().c_str(), 0, pixels_.data(), 0, nullptr);
  if (ok == 0) throw std::runtime_error("cannot write PNG '" + path + "': " + image.message);
  file.commit();
}

RasterImage read_png(const std::string& path) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  if (png_image_begin_read_from_file(&image, path.c_str()) == 0)
    throw std::runtime_error("cannot read PNG '" + path + "': " + image.message);
  image.format = PNG_FORMAT_RGB;
  if (image.width < 1 || image.height < 1 || image.width > kMaxSide_px ||
      image.height > kMaxSide_px) {
    png_image_free(&image);
    throw std::runtime_error("PNG '" + path + "' has an unsupported size");
  }
  RasterImage out(static_cast<int>(image.width), static_cast<int>(image.height), {});
  std::vector<std::uint8_t> buffer(PNG_IMAGE_SIZE(image));
  if (png_image_finish_read(&image, nullptr, buffer.data(), 0, nullptr) == 0)
    throw std::runtime_error("cannot decode PNG '" + path + "': " + image.message);
  for (int y = 0; y < out.height(); ++y)
    for (int x = 0; x < out.width(); ++x) {
      const std::size_t i =
          3 * (static_cast<std::size_t>(y) * image.width + static_cast<std::size_t>(x));
      out.set(x, y, {buffer[i], buffer[i + 1], buffer[i + 2]});
    }
  return out;
}

Rgb colormap(double t) {
  // matplotlib "inferno" sampled at 33 equally spaced points (from ParaView's preset
  // "Inferno (matplotlib)"), linearly interpolated.
  static constexpr std::array<std::array<std::uint8_t, 3>, 33> kInferno{{
      {0, 0, 4},       {4, 3, 18},      {11, 7, 36},     {21, 11, 55},   {33, 12, 74},
      {46, 10, 90},    {60, 9, 101},    {74, 12, 107},   {87, 16, 109},  {99, 20, 110},
      {112, 25, 110},  {125, 30, 109},  {137, 34, 106},  {150, 39, 102}, {163, 43, 97},
      {175, 49, 92},   {187, 55, 85},   {198, 62, 77},   {209, 70, 68},  {219, 79, 59},
      {227, 89, 50},   {235, 101, 40},  {241, 113, 30},  {246, 127, 20}, {249, 141, 10},
      {251, 156, 6},   {252, 171, 15},  {251, 186, 31},  {249, 202, 50}, {245, 217, 73},
      {242, 232, 101}, {243, 245, 134}, {252, 255, 164},
  }};
  if (!(t > 0.0)) t = 0.0;  // also NaN
  if (t > 1.0) t = 1.0;
  const double u = t * (kInferno.size() - 1);
  const std::size_t i = std::min(static_cast<std::size_t>(u), kInferno.size() - 2);
  const double f = u - static_cast<double>(i);
  auto lerp = [f](std::uint8_t a, std::uint8_t b) {
    return static_cast<std::uint8_t>(std::lround(a + f * (b - a)));
  };
  const auto& a = kInferno[i];
  const auto& b = kInferno[i + 1];
  return {lerp(a[0], b[0]), lerp(a[1], b[1]), lerp(a[2], b[2])};
}

}  // namespace cposim::postproc
