/// \file
/// Trilinear interpolation between cell centres, clamped in the boundary half-cells.
#include "postproc/fields/probes.hpp"

#include <algorithm>
#include <sstream>
#include <stdexcept>

namespace cposim::postproc {

namespace {

/// The two cell indices to blend along one axis and the weight of the upper one.
struct AxisBlend {
  std::size_t lower = 0;
  std::size_t upper = 0;
  double upper_weight = 0.0;
};

/// Along `axis`: the centres bracketing x_m, or the outermost cell twice (weight 0) when x_m
/// lies between the outermost centre and the boundary.
AxisBlend blend_along(const mesh::RectilinearGrid& grid, int axis, double x_m) {
  const std::size_t n = grid.cells_per_axis()[axis];
  const std::size_t cell = grid.locate(axis, x_m);
  // The bracketing pair is (cell-1, cell) left of the cell's centre, (cell, cell+1) right of it.
  const std::size_t lower = x_m < grid.centre(axis, cell) ? (cell == 0 ? 0 : cell - 1) : cell;
  const std::size_t upper = std::min(lower + 1, n - 1);
  if (upper == lower || x_m <= grid.centre(axis, lower)) return {lower, lower, 0.0};
  if (x_m >= grid.centre(axis, upper)) return {upper, upper, 0.0};
  const double c0 = grid.centre(axis, lower), c1 = grid.centre(axis, upper);
  return {lower, upper, (x_m - c0) / (c1 - c0)};
}

std::string describe(const std::array<double, 3>& p_m) {
  std::ostringstream text;
  text.precision(9);
  text << "(" << p_m[0] << ", " << p_m[1] << ", " << p_m[2] << ") m";
  return text.str();
}

}  // namespace

PointSample sample_at(const mesh::CellField& field, const std::array<double, 3>& given_m) {
  if (field.grid == nullptr)
    throw std::invalid_argument("sample_at: field '" + field.name + "' has no grid");
  const mesh::RectilinearGrid& grid = *field.grid;
  if (field.values.size() != grid.num_cells())
    throw std::invalid_argument("sample_at: field '" + field.name + "' has " +
                                std::to_string(field.values.size()) + " values for " +
                                std::to_string(grid.num_cells()) + " cells");
  // A point on the package's surface may sit a rounding error (or the case's geometry
  // tolerance) outside the outermost grid plane: it samples that face.
  std::array<double, 3> point_m = given_m;
  for (int a = 0; a < 3; ++a) {
    const auto& nodes = grid.nodes(a);
    if (point_m[a] < nodes.front() && point_m[a] >= nodes.front() - kSurfaceTolerance_m)
      point_m[a] = nodes.front();
    if (point_m[a] > nodes.back() && point_m[a] <= nodes.back() + kSurfaceTolerance_m)
      point_m[a] = nodes.back();
    if (!(point_m[a] >= nodes.front() && point_m[a] <= nodes.back()))
      throw std::out_of_range(
          "sample_at: point " + describe(point_m) + " is outside the grid " +
          describe({grid.nodes(0).front(), grid.nodes(1).front(), grid.nodes(2).front()}) + " .. " +
          describe({grid.nodes(0).back(), grid.nodes(1).back(), grid.nodes(2).back()}));
  }

  const AxisBlend bx = blend_along(grid, 0, point_m[0]);
  const AxisBlend by = blend_along(grid, 1, point_m[1]);
  const AxisBlend bz = blend_along(grid, 2, point_m[2]);
  const auto value = [&](std::size_t i, std::size_t j, std::size_t k) {
    return field.values[grid.cell(i, j, k)];
  };
  const auto along_x = [&](std::size_t j, std::size_t k) {
    return (1.0 - bx.upper_weight) * value(bx.lower, j, k) +
           bx.upper_weight * value(bx.upper, j, k);
  };
  const auto along_xy = [&](std::size_t k) {
    return (1.0 - by.upper_weight) * along_x(by.lower, k) + by.upper_weight * along_x(by.upper, k);
  };
  PointSample sample;
  sample.value =
      (1.0 - bz.upper_weight) * along_xy(bz.lower) + bz.upper_weight * along_xy(bz.upper);
  sample.cell =
      grid.cell(grid.locate(0, point_m[0]), grid.locate(1, point_m[1]), grid.locate(2, point_m[2]));
  return sample;
}

std::vector<ProbeReading> read_probes(const mesh::CellField& temperature,
                                      const std::vector<Probe>& probes) {
  std::vector<ProbeReading> readings;
  readings.reserve(probes.size());
  for (const Probe& probe : probes) {
    PointSample sample;
    try {
      sample = sample_at(temperature, probe.at_m);
    } catch (const std::out_of_range& e) {
      throw std::out_of_range("probe '" + probe.name + "': " + e.what());
    }
    readings.push_back({probe.name, probe.at_m, sample.value, sample.cell});
  }
  return readings;
}

}  // namespace cposim::postproc
