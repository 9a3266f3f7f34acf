/// \file
/// Grid construction by equidistribution of a Lipschitz size function.
///
/// The target size h(x) is the smaller of the interval's cap and the cone
/// s_p + g·|x − x_p| around every plane p, where s_p is the smallest cap of the two intervals
/// touching p. Equidistributing ∫dx/h over an interval makes cells along a cone geometric with
/// ratio e^{gΔ}, Δ ≤ 1 the share of ∫dx/h per cell, so g = 0.95·ln(ratio) keeps neighbours
/// within the ratio. Rounding the cell count per interval can still break the ratio at a
/// plane; the loop then shrinks s at that plane (or g, inside an interval) and tries again.
#include "mesh/grid_builder.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace cposim::mesh {
namespace {

constexpr double kMergeTolerance_m = 1e-10;
constexpr int kSamplesPerCell = 8;  // sub-steps per target cell in the ∫dx/h integration

std::vector<double> unique_sorted(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  std::vector<double> out;
  for (double v : values)
    if (out.empty() || v - out.back() > kMergeTolerance_m) out.push_back(v);
  return out;
}

/// Target cell size at x inside interval `interval` (between planes[interval] and +1).
double target_size(double x, std::size_t interval, const std::vector<double>& planes,
                   const std::vector<double>& caps, const std::vector<double>& plane_size,
                   double growth) {
  double h = caps[interval];
  for (std::size_t p = 0; p < planes.size(); ++p)
    h = std::min(h, plane_size[p] + growth * std::fabs(x - planes[p]));
  return h;
}

/// Nodes of one interval [a, b] equidistributing ∫dx/h, with at least `min_cells` cells.
void fill_interval(std::size_t interval, const std::vector<double>& planes,
                   const std::vector<double>& caps, const std::vector<double>& plane_size,
                   double growth, int min_cells, std::vector<double>& nodes) {
  const double a = planes[interval], b = planes[interval + 1];
  std::vector<double> xs{a}, cumulative{0.0};
  double x = a, inv_h = 1.0 / target_size(a, interval, planes, caps, plane_size, growth);
  while (x < b) {
    const double step = std::min(1.0 / inv_h / kSamplesPerCell, b - x);
    const double next = (b - x - step < 1e-3 * step) ? b : x + step;
    const double inv_next = 1.0 / target_size(next, interval, planes, caps, plane_size, growth);
    cumulative.push_back(cumulative.back() + 0.5 * (inv_h + inv_next) * (next - x));
    xs.push_back(next);
    x = next;
    inv_h = inv_next;
  }
  const double total = cumulative.back();
  const auto n = std::max<long>(min_cells, static_cast<long>(std::ceil(total - 1e-9)));
  std::size_t s = 0;
  for (long c = 1; c < n; ++c) {
    const double goal = total * static_cast<double>(c) / static_cast<double>(n);
    while (cumulative[s + 1] < goal) ++s;
    const double t = (goal - cumulative[s]) / (cumulative[s + 1] - cumulative[s]);
    nodes.push_back(xs[s] + t * (xs[s + 1] - xs[s]));
  }
  nodes.push_back(b);
}

}  // namespace

std::vector<double> build_axis(const std::vector<double>& planes_m,
                               const std::vector<double>& interval_max_cell_m,
                               double max_neighbour_ratio, int min_cells_per_interval) {
  if (planes_m.size() < 2 || interval_max_cell_m.size() + 1 != planes_m.size())
    throw std::invalid_argument("build_axis: need n+1 planes for n interval caps");
  if (!(max_neighbour_ratio > 1.0))
    throw std::invalid_argument("build_axis: max_neighbour_ratio must be > 1");
  if (min_cells_per_interval < 1)
    throw std::invalid_argument("build_axis: min_cells_per_interval must be >= 1");
  const std::size_t intervals = interval_max_cell_m.size();
  std::vector<double> caps(intervals);
  for (std::size_t i = 0; i < intervals; ++i) {
    const double length = planes_m[i + 1] - planes_m[i];
    if (!(length > 0.0) || !(interval_max_cell_m[i] > 0.0))
      throw std::invalid_argument("build_axis: planes must increase and caps must be > 0");
    caps[i] = std::min(interval_max_cell_m[i], length / min_cells_per_interval);
  }
  std::vector<double> plane_size(planes_m.size());
  for (std::size_t p = 0; p < planes_m.size(); ++p) {
    plane_size[p] = p == 0           ? caps[0]
                    : p == intervals ? caps[intervals - 1]
                                     : std::min(caps[p - 1], caps[p]);
  }
  double growth = 0.95 * std::log(max_neighbour_ratio);
  for (int attempt = 0; attempt < 60; ++attempt) {
    std::vector<double> nodes{planes_m.front()};
    std::vector<std::size_t> plane_node{0};  // node index of every plane
    for (std::size_t i = 0; i < intervals; ++i) {
      fill_interval(i, planes_m, caps, plane_size, growth, min_cells_per_interval, nodes);
      plane_node.push_back(nodes.size() - 1);
    }
    bool ok = true, interior_violation = false;
    std::size_t p = 1;
    for (std::size_t n = 1; n + 1 < nodes.size(); ++n) {
      while (p < intervals && plane_node[p] < n) ++p;
      const double left = nodes[n] - nodes[n - 1], right = nodes[n + 1] - nodes[n];
      if (std::max(left / right, right / left) <= max_neighbour_ratio * (1.0 + 1e-9)) continue;
      ok = false;
      if (p < intervals && plane_node[p] == n)
        plane_size[p] *= 0.75;
      else
        interior_violation = true;
    }
    if (ok) return nodes;
    if (interior_violation) growth *= 0.9;
  }
  throw std::runtime_error("build_axis: could not meet the neighbour ratio " +
                           std::to_string(max_neighbour_ratio));
}

RectilinearGrid build_grid(const GridRequest& request) {
  std::array<std::vector<double>, 3> axes;
  for (int a = 0; a < 3; ++a) {
    const double lo = request.domain.lo_m[a], hi = request.domain.hi_m[a];
    if (!(hi > lo))
      throw std::invalid_argument("build_grid: empty domain on axis " + std::to_string(a));
    if (!(request.max_cell_m[a] > 0.0))
      throw std::invalid_argument("build_grid: max cell size must be > 0 on axis " +
                                  std::to_string(a));
    std::vector<double> planes{lo, hi};
    auto add = [&](const Box& b) {
      for (double v : {b.lo_m[a], b.hi_m[a]})
        if (v > lo && v < hi) planes.push_back(v);
    };
    for (const auto& b : request.conforming_boxes) add(b);
    for (const auto& z : request.refinements) add(z.box);
    planes = unique_sorted(planes);
    // Merging can leave the domain end a hair away from the original: pin it.
    planes.front() = lo;
    planes.back() = hi;
    std::vector<double> caps(planes.size() - 1, request.max_cell_m[a]);
    for (std::size_t i = 0; i + 1 < planes.size(); ++i) {
      const double mid = 0.5 * (planes[i] + planes[i + 1]);
      for (const auto& z : request.refinements) {
        if (mid > z.box.lo_m[a] && mid < z.box.hi_m[a] && z.max_cell_m[a] > 0.0)
          caps[i] = std::min(caps[i], z.max_cell_m[a]);
      }
    }
    axes[a] =
        build_axis(planes, caps, request.max_neighbour_ratio, request.min_cells_per_interval[a]);
  }
  return RectilinearGrid(std::move(axes[0]), std::move(axes[1]), std::move(axes[2]));
}

}  // namespace cposim::mesh
