/// \file
/// The segment cutter (segment_cuts.hpp).
#include "mesh/segment_cuts.hpp"

#include <algorithm>
#include <iterator>

namespace cposim::mesh {

std::vector<double> segment_cuts(const RectilinearGrid& grid, const std::array<double, 3>& a,
                                 const std::array<double, 3>& b, CutPlanes planes, double min_gap) {
  std::vector<double> ts = {0.0, 1.0};
  for (int axis = 0; axis < 3; ++axis) {
    const double delta = b[axis] - a[axis];
    if (delta == 0.0) continue;
    const double lo = std::min(a[axis], b[axis]), hi = std::max(a[axis], b[axis]);
    const auto consider = [&](double plane) {
      if (plane > lo && plane < hi) ts.push_back((plane - a[axis]) / delta);
    };
    // Only the nodes within [lo, hi] and the centres next to them can cut.
    const auto& nodes = grid.nodes(axis);
    auto first = std::lower_bound(nodes.begin(), nodes.end(), lo);
    if (first != nodes.begin()) --first;
    for (auto it = first; it != nodes.end() && *it <= hi; ++it) {
      consider(*it);
      if (planes == CutPlanes::nodes_and_centres && std::next(it) != nodes.end())
        consider(0.5 * (*it + *std::next(it)));
    }
  }
  std::sort(ts.begin(), ts.end());
  std::vector<double> out;
  out.reserve(ts.size());
  for (double t : ts)
    if (out.empty() || t - out.back() > min_gap) out.push_back(t);
  out.back() = 1.0;
  return out;
}

}  // namespace cposim::mesh
