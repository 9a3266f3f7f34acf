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
#include <limits>
#include <stdexcept>
#include <string>

namespace cposim::mesh {
namespace {

constexpr double kMergeTolerance_m = 1e-10;
constexpr int kSamplesPerCell = 8;    // sub-steps per target cell in the ∫dx/h integration
constexpr double kHugeCount = 1e100;  // estimate_cells_per_axis cap: products stay finite

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

/// The largest cell width per interval: the interval's cap, and at most length / min_cells.
std::vector<double> interval_caps(const std::vector<double>& planes_m,
                                  const std::vector<double>& interval_max_cell_m,
                                  int min_cells_per_interval) {
  std::vector<double> caps(interval_max_cell_m.size());
  for (std::size_t i = 0; i < caps.size(); ++i) {
    const double length = planes_m[i + 1] - planes_m[i];
    if (!(length > 0.0) || !(interval_max_cell_m[i] > 0.0))
      throw std::invalid_argument("build_axis: planes must increase and caps must be > 0");
    caps[i] = std::min(interval_max_cell_m[i], length / min_cells_per_interval);
  }
  return caps;
}

/// The target size at every plane: the smaller cap of the two intervals it separates.
std::vector<double> initial_plane_sizes(const std::vector<double>& caps) {
  const std::size_t intervals = caps.size();
  std::vector<double> plane_size(intervals + 1);
  for (std::size_t p = 0; p <= intervals; ++p) {
    plane_size[p] = p == 0           ? caps[0]
                    : p == intervals ? caps[intervals - 1]
                                     : std::min(caps[p - 1], caps[p]);
  }
  return plane_size;
}

double initial_growth(double max_neighbour_ratio) { return 0.95 * std::log(max_neighbour_ratio); }

/// Exact minimum (GridRequest::exact_min_cells): the intervals that min_cells equal cells fill
/// within their cap. They are filled uniformly, ignoring the grading cones of the planes,
/// unless that breaks the neighbour ratio at one of their planes (build_axis then grades them).
std::vector<char> uniform_intervals(const std::vector<double>& planes_m,
                                    const std::vector<double>& interval_max_cell_m, int min_cells,
                                    bool exact_min_cells) {
  std::vector<char> uniform(interval_max_cell_m.size(), 0);
  if (!exact_min_cells) return uniform;
  for (std::size_t i = 0; i < uniform.size(); ++i) {
    const double width = (planes_m[i + 1] - planes_m[i]) / min_cells;
    uniform[i] = width <= interval_max_cell_m[i] * (1.0 + 1e-12) ? 1 : 0;
  }
  return uniform;
}

/// The planes of one axis of `request` (domain ends, box faces inside the domain, merged) and
/// the cap of every interval between them (refinement zones covering the interval).
void axis_planes_and_caps(const GridRequest& request, int a, std::vector<double>& planes,
                          std::vector<double>& caps) {
  const double lo = request.domain.lo_m[a], hi = request.domain.hi_m[a];
  if (!(hi > lo))
    throw std::invalid_argument("build_grid: empty domain on axis " + std::to_string(a));
  if (!(request.max_cell_m[a] > 0.0))
    throw std::invalid_argument("build_grid: max cell size must be > 0 on axis " +
                                std::to_string(a));
  planes = {lo, hi};
  auto add = [&](const Box& b) {
    for (double v : {b.lo_m[a], b.hi_m[a]})
      if (v > lo && v < hi) planes.push_back(v);
  };
  for (const auto& b : request.conforming_boxes) add(b);
  for (const auto& z : request.refinements) add(z.box);
  planes = unique_sorted(planes);
  if (planes.size() < 2)
    throw std::invalid_argument("build_grid: domain on axis " + std::to_string(a) +
                                " is shorter than the plane-merging tolerance");
  // Merging can leave the domain end a hair away from the original: pin it.
  planes.front() = lo;
  planes.back() = hi;
  caps.assign(planes.size() - 1, request.max_cell_m[a]);
  for (std::size_t i = 0; i + 1 < planes.size(); ++i) {
    const double mid = 0.5 * (planes[i] + planes[i + 1]);
    for (const auto& z : request.refinements) {
      if (mid > z.box.lo_m[a] && mid < z.box.hi_m[a] && z.max_cell_m[a] > 0.0)
        caps[i] = std::min(caps[i], z.max_cell_m[a]);
    }
  }
}

/// ∫ dx / h over [a, b] for h(x) = alpha + beta x, h > 0 on [a, b]; stable as beta → 0.
double inverse_linear_integral(double alpha, double beta, double a, double b) {
  const double h_a = alpha + beta * a;
  const double relative_change = beta * (b - a) / h_a;
  if (std::fabs(relative_change) < 1e-12) return (b - a) / h_a;
  return std::log1p(relative_change) / beta;
}

/// ∫ dx / h over [a, b] for h(x) = min(cap, left + g x, right − g x), the target size of
/// fill_interval (the envelopes of the cones of the planes to either side), in closed form:
/// h is linear between the points where two of the three pieces cross.
double inverse_size_integral(double a, double b, double cap, double left, double right, double g) {
  std::vector<double> cuts{a, b};
  for (double x : {(cap - left) / g, (right - cap) / g, 0.5 * (right - left) / g})
    if (x > a && x < b) cuts.push_back(x);
  std::sort(cuts.begin(), cuts.end());
  double total = 0.0;
  for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
    const double x0 = cuts[i], x1 = cuts[i + 1], mid = 0.5 * (x0 + x1);
    const double rising = left + g * mid, falling = right - g * mid;
    if (cap <= rising && cap <= falling)
      total += (x1 - x0) / cap;
    else if (rising <= falling)
      total += inverse_linear_integral(left, g, x0, x1);
    else
      total += inverse_linear_integral(right, -g, x0, x1);
  }
  return total;
}

}  // namespace

std::array<double, 3> estimate_cells_per_axis(const GridRequest& request) {
  std::array<double, 3> cells{};
  for (int a = 0; a < 3; ++a) {
    std::vector<double> planes, interval_max;
    axis_planes_and_caps(request, a, planes, interval_max);
    const int min_cells = request.min_cells_per_interval[a];
    const std::vector<double> caps = interval_caps(planes, interval_max, min_cells);
    const std::vector<char> uniform =
        uniform_intervals(planes, interval_max, min_cells, request.exact_min_cells[a]);
    const std::vector<double> s = initial_plane_sizes(caps);
    const double g = initial_growth(request.max_neighbour_ratio);
    if (!(g > 0.0)) throw std::invalid_argument("build_axis: max_neighbour_ratio must be > 1");
    // Envelopes of the cones s_p + g |x − x_p|: from the planes to the left of an interval
    // (prefix minimum of s_p − g x_p) and to its right (suffix minimum of s_p + g x_p).
    const std::size_t intervals = caps.size();
    std::vector<double> right(intervals);
    double suffix = std::numeric_limits<double>::infinity();
    for (std::size_t i = intervals; i-- > 0;) {
      suffix = std::min(suffix, s[i + 1] + g * planes[i + 1]);
      right[i] = suffix;
    }
    double left = std::numeric_limits<double>::infinity(), total = 0.0;
    for (std::size_t i = 0; i < intervals; ++i) {
      left = std::min(left, s[i] - g * planes[i]);
      const double n =
          uniform[i] ? 0.0
                     : inverse_size_integral(planes[i], planes[i + 1], caps[i], left, right[i], g);
      total += std::max(static_cast<double>(min_cells), std::ceil(n - 1e-9));
    }
    cells[a] = std::isfinite(total) ? std::min(total, kHugeCount) : kHugeCount;
  }
  return cells;
}

std::vector<double> build_axis(const std::vector<double>& planes_m,
                               const std::vector<double>& interval_max_cell_m,
                               double max_neighbour_ratio, int min_cells_per_interval,
                               bool exact_min_cells) {
  if (planes_m.size() < 2 || interval_max_cell_m.size() + 1 != planes_m.size())
    throw std::invalid_argument("build_axis: need n+1 planes for n interval caps");
  if (!(max_neighbour_ratio > 1.0))
    throw std::invalid_argument("build_axis: max_neighbour_ratio must be > 1");
  if (min_cells_per_interval < 1)
    throw std::invalid_argument("build_axis: min_cells_per_interval must be >= 1");
  const std::size_t intervals = interval_max_cell_m.size();
  const std::vector<double> caps =
      interval_caps(planes_m, interval_max_cell_m, min_cells_per_interval);
  std::vector<double> plane_size = initial_plane_sizes(caps);
  std::vector<char> uniform =
      uniform_intervals(planes_m, interval_max_cell_m, min_cells_per_interval, exact_min_cells);
  double growth = initial_growth(max_neighbour_ratio);
  for (int attempt = 0; attempt < 60; ++attempt) {
    std::vector<double> nodes{planes_m.front()};
    std::vector<std::size_t> plane_node{0};  // node index of every plane
    for (std::size_t i = 0; i < intervals; ++i) {
      if (uniform[i]) {
        const double a = planes_m[i], width = (planes_m[i + 1] - a) / min_cells_per_interval;
        for (int c = 1; c < min_cells_per_interval; ++c) nodes.push_back(a + c * width);
        nodes.push_back(planes_m[i + 1]);
      } else {
        fill_interval(i, planes_m, caps, plane_size, growth, min_cells_per_interval, nodes);
      }
      plane_node.push_back(nodes.size() - 1);
    }
    bool ok = true, interior_violation = false;
    std::size_t p = 1;
    for (std::size_t n = 1; n + 1 < nodes.size(); ++n) {
      while (p < intervals && plane_node[p] < n) ++p;
      const double left = nodes[n] - nodes[n - 1], right = nodes[n + 1] - nodes[n];
      if (std::max(left / right, right / left) <= max_neighbour_ratio * (1.0 + 1e-9)) continue;
      ok = false;
      const std::size_t wider = left > right ? p - 1 : p;  // interval of the wider cell
      if (p < intervals && plane_node[p] == n && uniform[wider])
        uniform[wider] = 0;  // an exact-minimum interval breaks the ratio: grade it
      else if (p < intervals && plane_node[p] == n)
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
    std::vector<double> planes, caps;
    axis_planes_and_caps(request, a, planes, caps);
    axes[a] = build_axis(planes, caps, request.max_neighbour_ratio,
                         request.min_cells_per_interval[a], request.exact_min_cells[a]);
  }
  return RectilinearGrid(std::move(axes[0]), std::move(axes[1]), std::move(axes[2]));
}

}  // namespace cposim::mesh
