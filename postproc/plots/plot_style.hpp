#pragma once
/// \file
/// The look every plot shares: background, ink and frame colours, the text halo, text sizes
/// in pixels and the axis names.

#include "postproc/plots/raster_image.hpp"

namespace cposim::postproc::plot_style {

inline constexpr const char* kAxisNames[3] = {"x", "y", "z"};

inline constexpr Rgb kBackground{255, 255, 255};
inline constexpr Rgb kInk{25, 25, 25};
inline constexpr Rgb kFrame{90, 90, 90};
inline constexpr Rgb kHalo{0, 0, 0};  ///< behind white text and markers

inline constexpr int kTitlePx = 17;
inline constexpr int kTextPx = 13;
inline constexpr int kSmallPx = 11;

}  // namespace cposim::postproc::plot_style
