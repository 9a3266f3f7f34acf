#pragma once
/// \file
/// Paints boxes onto the cells of a grid: a region id per cell, later boxes win.

#include <cstdint>
#include <vector>

#include "mesh/box.hpp"
#include "mesh/rectilinear_grid.hpp"

namespace cposim::mesh {

/// Region id of a cell (index into the caller's region list).
using RegionId = std::int32_t;

/// A box to paint and the region it carries.
struct PaintedBox {
  Box box;
  RegionId region = 0;
};

/// Region id per cell: `fill` everywhere, then each box in order over the cells whose centre
/// lies inside it, so a later box wins. O(total painted cells).
std::vector<RegionId> paint_regions(const RectilinearGrid& grid, RegionId fill,
                                    const std::vector<PaintedBox>& boxes);

/// Half-open range [first, last) of cell indices along `axis` whose centres lie in [lo, hi).
struct IndexRange {
  std::size_t first = 0;
  std::size_t last = 0;
  bool empty() const { return last <= first; }
};
IndexRange cells_with_centre_in(const RectilinearGrid& grid, int axis, double lo_m, double hi_m);

}  // namespace cposim::mesh
