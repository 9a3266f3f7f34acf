#pragma once
/// \file
/// Builds a non-uniform rectilinear grid in which every face of every given box lies on a
/// grid plane, with graded spacing, capped cell sizes and refinement zones.

#include <array>
#include <vector>

#include "mesh/box.hpp"
#include "mesh/rectilinear_grid.hpp"

namespace cposim::mesh {

/// A zone in which cells may be no larger than `max_cell_m` (per axis).
struct RefinementZone {
  Box box;
  std::array<double, 3> max_cell_m{};
};

/// What the grid must conform to and how fine it must be. All lengths in metres.
struct GridRequest {
  Box domain;                          ///< the package bounding box
  std::vector<Box> conforming_boxes;   ///< every face becomes a grid plane (clipped)
  std::array<double, 3> max_cell_m{};  ///< largest cell width per axis, > 0
  double max_neighbour_ratio = 1.5;    ///< largest width ratio of two neighbours, > 1
  std::array<int, 3> min_cells_per_interval{1, 1, 2};  ///< between two planes (z: per layer)
  /// Per axis: an interval that min_cells_per_interval equal cells fill within its largest
  /// width gets exactly those cells, not graded from a thinner neighbour's size, wherever the
  /// neighbour ratio allows it (a grid matching another tool's, e.g. one cell per layer).
  std::array<bool, 3> exact_min_cells{false, false, false};
  std::vector<RefinementZone> refinements;  ///< box faces also become planes
};

/// Builds the grid. Every plane of `conforming_boxes` and `refinements` inside the domain is a
/// node; neighbouring widths differ by at most `max_neighbour_ratio`; no cell is wider than
/// the applicable maximum. Planes closer than 1e-10 m are merged.
/// Throws std::invalid_argument for a non-positive size, a ratio ≤ 1 or an empty domain, and
/// std::runtime_error if the ratio cannot be met (which needs a pathological request).
RectilinearGrid build_grid(const GridRequest& request);

/// Cells per axis that build_grid(request) will make at least, without building anything:
/// the closed-form count of its first attempt (∫ dx / h of the graded target size, rounded up
/// per interval, at least min_cells_per_interval each). Cost O(planes × refinements). The
/// grid built may have a few more cells (where it has to shrink the size at a plane). Counts
/// are capped at 1e100, so products stay finite. Throws std::invalid_argument as build_grid.
std::array<double, 3> estimate_cells_per_axis(const GridRequest& request);

/// One axis of build_grid: node coordinates from the sorted planes `planes_m` (first and last
/// are the domain ends) and the largest cell width allowed in each interval between planes.
/// `exact_min_cells`: as GridRequest::exact_min_cells.
std::vector<double> build_axis(const std::vector<double>& planes_m,
                               const std::vector<double>& interval_max_cell_m,
                               double max_neighbour_ratio, int min_cells_per_interval,
                               bool exact_min_cells = false);

}  // namespace cposim::mesh
