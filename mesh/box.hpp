#pragma once
/// \file
/// Axis-aligned box [lo, hi) in metres: the shape of every layer, block and refinement zone.

#include <array>

namespace cposim::mesh {

/// An axis-aligned box. lo_m[a] < hi_m[a] is the caller's promise (cases/ validates user input).
struct Box {
  std::array<double, 3> lo_m{};
  std::array<double, 3> hi_m{};

  /// True if the point lies in [lo, hi) on every axis.
  bool contains(const std::array<double, 3>& p_m) const {
    for (int a = 0; a < 3; ++a)
      if (p_m[a] < lo_m[a] || p_m[a] >= hi_m[a]) return false;
    return true;
  }
  /// True if the two boxes share a volume of non-zero size.
  bool overlaps(const Box& other) const {
    for (int a = 0; a < 3; ++a)
      if (other.hi_m[a] <= lo_m[a] || other.lo_m[a] >= hi_m[a]) return false;
    return true;
  }
  /// Volume in m³.
  double volume_m3() const {
    return (hi_m[0] - lo_m[0]) * (hi_m[1] - lo_m[1]) * (hi_m[2] - lo_m[2]);
  }
};

}  // namespace cposim::mesh
