#pragma once
/// \file
/// Cutting a straight segment at the grid's planes: the one polyline cutter behind the
/// waveguide pieces (postproc/photonics) and the lane routes' loss integral
/// (postproc/electrical). Between two consecutive cuts a segment stays in one cell (node planes)
/// or in one half-cell (with the cell-centre planes too).

#include <array>
#include <vector>

#include "mesh/rectilinear_grid.hpp"

namespace cposim::mesh {

/// Which planes cut a segment.
enum class CutPlanes {
  nodes,              ///< the cell faces: each piece lies in one cell
  nodes_and_centres,  ///< and the cell-centre planes: each piece in one half-cell
};

/// The parameters t of segment a → b (point a + t (b − a)) where it crosses a plane of
/// `planes` strictly between its ends, with 0 and 1, ascending. A cut closer than `min_gap`
/// to the last one kept is dropped, and the last parameter is always exactly 1. A segment that
/// runs inside a plane is not cut by it. Points are in metres.
std::vector<double> segment_cuts(const RectilinearGrid& grid, const std::array<double, 3>& a,
                                 const std::array<double, 3>& b, CutPlanes planes, double min_gap);

}  // namespace cposim::mesh
