/// \file
/// Region painting by cell-centre containment.
#include "mesh/cell_labels.hpp"

namespace cposim::mesh {

IndexRange cells_with_centre_in(const RectilinearGrid& grid, int axis, double lo_m, double hi_m) {
  const std::size_t n = grid.cells_per_axis()[axis];
  IndexRange range{n, n};
  for (std::size_t i = 0; i < n; ++i) {
    const double c = grid.centre(axis, i);
    if (c >= lo_m && c < hi_m) {
      if (range.first == n) range.first = i;
      range.last = i + 1;
    }
  }
  if (range.first == n) range = {0, 0};
  return range;
}

std::vector<RegionId> paint_regions(const RectilinearGrid& grid, RegionId fill,
                                    const std::vector<PaintedBox>& boxes) {
  std::vector<RegionId> region(grid.num_cells(), fill);
  for (const auto& painted : boxes) {
    const auto rx = cells_with_centre_in(grid, 0, painted.box.lo_m[0], painted.box.hi_m[0]);
    const auto ry = cells_with_centre_in(grid, 1, painted.box.lo_m[1], painted.box.hi_m[1]);
    const auto rz = cells_with_centre_in(grid, 2, painted.box.lo_m[2], painted.box.hi_m[2]);
    for (std::size_t k = rz.first; k < rz.last; ++k)
      for (std::size_t j = ry.first; j < ry.last; ++j)
        for (std::size_t i = rx.first; i < rx.last; ++i)
          region[grid.cell(i, j, k)] = painted.region;
  }
  return region;
}

}  // namespace cposim::mesh
