/// \file
/// Local maxima per region: one pass over the 26-neighbourhoods, then a greedy pick per region.
#include "postproc/fields/hot_spots.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "postproc/fields/require_cell_count.hpp"

namespace cposim::postproc {

namespace {

/// True if cell a is ahead of cell b in the strict order (hotter, or as hot and earlier).
bool ahead(double T_a, mesh::CellIndex a, double T_b, mesh::CellIndex b) {
  return T_a > T_b || (T_a == T_b && a < b);
}

}  // namespace

std::vector<HotSpot> find_hot_spots(const mesh::CellField& temperature,
                                    const std::vector<mesh::RegionId>& region_id,
                                    const std::vector<std::string>& region_names,
                                    const HotSpotOptions& options) {
  if (temperature.grid == nullptr)
    throw std::invalid_argument("find_hot_spots: temperature field '" + temperature.name +
                                "' has no grid");
  if (!std::isfinite(options.min_separation_m) || options.min_separation_m < 0.0)
    throw std::invalid_argument(
        "find_hot_spots: min_separation_m = " + std::to_string(options.min_separation_m) +
        " must be finite and >= 0");
  const mesh::RectilinearGrid& grid = *temperature.grid;
  const std::size_t cells = grid.num_cells();
  const std::vector<double>& T = temperature.values;
  require_cell_count("find_hot_spots", T.size(), cells, "the temperature field");
  require_cell_count("find_hot_spots", region_id.size(), cells, "the region id list");
  for (std::size_t c = 0; c < cells; ++c)
    if (region_id[c] < 0 || static_cast<std::size_t>(region_id[c]) >= region_names.size())
      throw std::invalid_argument("find_hot_spots: cell " + std::to_string(c) + " has region id " +
                                  std::to_string(region_id[c]) + ", but there are " +
                                  std::to_string(region_names.size()) + " region names");

  // Candidates per region, found in one sequential pass.
  std::vector<std::vector<mesh::CellIndex>> candidates(region_names.size());
  const auto [nx, ny, nz] = grid.cells_per_axis();
  auto range = [](std::size_t index, std::size_t n) {
    return std::array<std::size_t, 2>{index == 0 ? 0 : index - 1, std::min(index + 1, n - 1)};
  };
  for (std::size_t k = 0; k < nz; ++k)
    for (std::size_t j = 0; j < ny; ++j)
      for (std::size_t i = 0; i < nx; ++i) {
        const mesh::CellIndex c = grid.cell(i, j, k);
        const double T_c = T[c];
        if (!std::isfinite(T_c)) continue;
        const mesh::RegionId id = region_id[c];
        const auto ri = range(i, nx), rj = range(j, ny), rk = range(k, nz);
        bool is_max = true;
        for (std::size_t kk = rk[0]; kk <= rk[1] && is_max; ++kk)
          for (std::size_t jj = rj[0]; jj <= rj[1] && is_max; ++jj)
            for (std::size_t ii = ri[0]; ii <= ri[1]; ++ii) {
              const mesh::CellIndex n = grid.cell(ii, jj, kk);
              if (n == c || region_id[n] != id || !std::isfinite(T[n])) continue;
              if (!ahead(T_c, c, T[n], n)) {
                is_max = false;
                break;
              }
            }
        if (is_max) candidates[static_cast<std::size_t>(id)].push_back(c);
      }

  std::vector<HotSpot> spots;
  for (std::size_t r = 0; r < candidates.size(); ++r) {
    auto& list = candidates[r];
    std::sort(list.begin(), list.end(),
              [&](mesh::CellIndex a, mesh::CellIndex b) { return ahead(T[a], a, T[b], b); });
    const std::size_t first = spots.size();
    for (const mesh::CellIndex c : list) {
      if (spots.size() - first >= options.max_spots_per_region) break;
      const auto ijk = grid.ijk(c);
      HotSpot spot;
      for (int a = 0; a < 3; ++a) spot.at_m[a] = grid.centre(a, ijk[static_cast<std::size_t>(a)]);
      bool far_enough = true;
      for (std::size_t s = first; s < spots.size() && far_enough; ++s) {
        const double dx = spot.at_m[0] - spots[s].at_m[0];
        const double dy = spot.at_m[1] - spots[s].at_m[1];
        const double dz = spot.at_m[2] - spots[s].at_m[2];
        far_enough = std::sqrt(dx * dx + dy * dy + dz * dz) >= options.min_separation_m;
      }
      if (!far_enough) continue;
      spot.region = region_names[r];
      spot.region_id = r;
      spot.rank = static_cast<int>(spots.size() - first + 1);
      spot.T_K = T[c];
      spot.cell = c;
      spots.push_back(std::move(spot));
    }
  }
  return spots;
}

}  // namespace cposim::postproc
