/// \file
/// Tiles and patches of a face resampled onto its cells (face_maps.hpp).
#include "cases/run/face_maps.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "solver/boundary.hpp"

namespace cposim::cases {
namespace {

/// Per cell along `axis`: (tile, overlapped fraction of the cell's width) for tiles splitting
/// [lo, hi) into `tiles` equal parts.
std::vector<std::vector<std::pair<std::size_t, double>>> cell_tile_fractions(
    const mesh::RectilinearGrid& grid, int axis, double lo, double hi, std::size_t tiles) {
  const double width = (hi - lo) / static_cast<double>(tiles);
  const std::size_t n = grid.cells_per_axis()[static_cast<std::size_t>(axis)];
  std::vector<std::vector<std::pair<std::size_t, double>>> out(n);
  for (std::size_t c = 0; c < n; ++c) {
    const double a = grid.nodes(axis)[c], b = grid.nodes(axis)[c + 1];
    for (std::size_t t = 0; t < tiles; ++t) {
      const double t_lo = lo + static_cast<double>(t) * width;
      const double t_hi = t + 1 == tiles ? hi : t_lo + width;
      const double overlap = std::min(b, t_hi) - std::max(a, t_lo);
      if (overlap > 0.0) out[c].emplace_back(t, overlap / (b - a));
    }
  }
  return out;
}

}  // namespace

std::vector<double> resample_face_tiles(const std::vector<std::vector<double>>& tiles,
                                        const mesh::RectilinearGrid& grid, int f) {
  const auto [a, u, v] = solver::face_axes(f);
  const auto axes = case_face_axes(f);  // columns along axes[0], rows along axes[1]
  const auto extent = [&](int axis) {
    return std::pair(grid.nodes(axis).front(), grid.nodes(axis).back());
  };
  const auto [lo0, hi0] = extent(axes[0]);
  const auto [lo1, hi1] = extent(axes[1]);
  const auto cols = cell_tile_fractions(grid, axes[0], lo0, hi0, tiles.front().size());
  const auto rows = cell_tile_fractions(grid, axes[1], lo1, hi1, tiles.size());
  const std::size_t n_u = grid.cells_per_axis()[static_cast<std::size_t>(u)];
  const std::size_t n_v = grid.cells_per_axis()[static_cast<std::size_t>(v)];
  std::vector<double> h(n_u * n_v, 0.0);
  for (std::size_t jv = 0; jv < n_v; ++jv)
    for (std::size_t iu = 0; iu < n_u; ++iu) {
      const std::size_t i0 = axes[0] == u ? iu : jv;  // cell index along the column axis
      const std::size_t i1 = axes[0] == u ? jv : iu;
      double sum = 0.0;
      for (const auto& [row, w1] : rows[i1])
        for (const auto& [col, w0] : cols[i0]) sum += tiles[row][col] * w0 * w1;
      h[iu + n_u * jv] = sum;
    }
  return h;
}

std::vector<double> face_flux_W_per_m2(const BoundarySpec& b, const mesh::RectilinearGrid& grid,
                                       int f) {
  if (!b.q_map && b.patches.empty()) return {};
  const auto [a, u, v] = solver::face_axes(f);
  const std::size_t n_u = grid.cells_per_axis()[static_cast<std::size_t>(u)];
  const std::size_t n_v = grid.cells_per_axis()[static_cast<std::size_t>(v)];
  std::vector<double> q =
      b.q_map ? resample_face_tiles(b.q_map->tiles, grid, f) : std::vector<double>(n_u * n_v, 0.0);
  const auto axes = case_face_axes(f);
  // Overlap of [lo, hi) with cell i along global axis `axis`, as a fraction of the cell.
  const auto fraction = [&](int axis, std::size_t i, double lo, double hi) {
    const double c_lo = grid.nodes(axis)[i], c_hi = grid.nodes(axis)[i + 1];
    return std::max(0.0, std::min(c_hi, hi) - std::max(c_lo, lo)) / (c_hi - c_lo);
  };
  for (const auto& p : b.patches) {
    const double flux = p.flux_W_per_m2();
    // Patch extent along the solver's u and v axes.
    std::array<double, 3> lo{}, hi{};
    for (std::size_t k = 0; k < 2; ++k) {
      lo[static_cast<std::size_t>(axes[k])] = p.origin_m[k];
      hi[static_cast<std::size_t>(axes[k])] = p.origin_m[k] + p.size_m[k];
    }
    for (std::size_t jv = 0; jv < n_v; ++jv) {
      const double fv =
          fraction(v, jv, lo[static_cast<std::size_t>(v)], hi[static_cast<std::size_t>(v)]);
      if (fv == 0.0) continue;
      for (std::size_t iu = 0; iu < n_u; ++iu)
        q[iu + n_u * jv] +=
            flux * fv *
            fraction(u, iu, lo[static_cast<std::size_t>(u)], hi[static_cast<std::size_t>(u)]);
    }
  }
  return q;
}

}  // namespace cposim::cases
