/// \file
/// Per-region statistics in one sequential pass over the cells.
#include "postproc/fields/region_statistics.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <tuple>

#include "postproc/fields/require_cell_count.hpp"

namespace cposim::postproc {

std::vector<RegionStatistics> region_statistics(const mesh::CellField& temperature,
                                                const std::vector<mesh::RegionId>& region_id,
                                                const std::vector<std::string>& region_names,
                                                const std::vector<double>& cell_power_W) {
  if (temperature.grid == nullptr)
    throw std::invalid_argument("region_statistics: temperature field '" + temperature.name +
                                "' has no grid");
  const mesh::RectilinearGrid& grid = *temperature.grid;
  const std::size_t cells = grid.num_cells();
  require_cell_count("region_statistics", temperature.values.size(), cells,
                     "the temperature field");
  require_cell_count("region_statistics", region_id.size(), cells, "the region id list");
  if (!cell_power_W.empty())
    require_cell_count("region_statistics", cell_power_W.size(), cells, "the cell power list");

  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<RegionStatistics> rows(region_names.size());
  std::vector<double> weighted_sum_K_m3(region_names.size(), 0.0);
  std::vector<bool> has_nan(region_names.size(), false);
  std::vector<mesh::CellIndex> hottest(region_names.size(), 0);
  for (std::size_t r = 0; r < rows.size(); ++r) rows[r].name = region_names[r];

  // One sequential pass in flattened order: the summation order is fixed, so the result does
  // not depend on the thread count (a cheap O(N) pass next to the solve).
  const auto [nx, ny, nz] = grid.cells_per_axis();
  for (std::size_t k = 0; k < nz; ++k)
    for (std::size_t j = 0; j < ny; ++j)
      for (std::size_t i = 0; i < nx; ++i) {
        const mesh::CellIndex c = grid.cell(i, j, k);
        const mesh::RegionId id = region_id[c];
        if (id < 0 || static_cast<std::size_t>(id) >= rows.size())
          throw std::invalid_argument("region_statistics: cell " + std::to_string(c) +
                                      " has region id " + std::to_string(id) + ", but there are " +
                                      std::to_string(rows.size()) + " region names");
        const auto r = static_cast<std::size_t>(id);
        RegionStatistics& row = rows[r];
        const double T_K = temperature.values[c];
        const double volume_m3 = grid.volume_m3(i, j, k);
        ++row.num_cells;
        row.volume_m3 += volume_m3;
        if (!cell_power_W.empty()) row.power_W += cell_power_W[c];
        if (std::isnan(T_K)) has_nan[r] = true;
        weighted_sum_K_m3[r] += T_K * volume_m3;
        if (row.num_cells == 1 || T_K > row.T_max_K) {  // strict: the first hottest cell wins
          row.T_max_K = T_K;
          hottest[r] = c;
        }
        if (row.num_cells == 1 || T_K < row.T_min_K) row.T_min_K = T_K;
      }

  for (std::size_t r = 0; r < rows.size(); ++r) {
    RegionStatistics& row = rows[r];
    if (row.num_cells == 0 || has_nan[r]) {
      row.T_max_K = row.T_mean_K = row.T_min_K = nan;
      row.T_max_at_m = {nan, nan, nan};
      continue;
    }
    row.T_mean_K = weighted_sum_K_m3[r] / row.volume_m3;
    const auto ijk = grid.ijk(hottest[r]);
    for (int a = 0; a < 3; ++a) row.T_max_at_m[a] = grid.centre(a, ijk[a]);
  }
  return rows;
}

std::vector<RegionStatistics> merge_region_statistics(
    const std::vector<std::vector<RegionStatistics>>& parts) {
  if (parts.empty()) return {};
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  // Flattened order of cell centres: z, then y, then x.
  const auto earlier = [](const std::array<double, 3>& a, const std::array<double, 3>& b) {
    return std::make_tuple(a[2], a[1], a[0]) < std::make_tuple(b[2], b[1], b[0]);
  };
  std::vector<RegionStatistics> rows(parts.front().size());
  for (std::size_t r = 0; r < rows.size(); ++r) {
    RegionStatistics& row = rows[r];
    row.name = parts.front()[r].name;
    double weighted_sum_K_m3 = 0.0;
    bool has_nan = false;
    for (const auto& part : parts) {
      if (part.size() != rows.size())
        throw std::invalid_argument("merge_region_statistics: parts with different region counts");
      const RegionStatistics& p = part[r];
      if (p.num_cells == 0) continue;
      if (std::isnan(p.T_max_K) || std::isnan(p.T_mean_K) || std::isnan(p.T_min_K)) has_nan = true;
      const bool first = row.num_cells == 0;
      if (first || p.T_max_K > row.T_max_K ||
          (p.T_max_K == row.T_max_K && earlier(p.T_max_at_m, row.T_max_at_m))) {
        row.T_max_K = p.T_max_K;
        row.T_max_at_m = p.T_max_at_m;
      }
      if (first || p.T_min_K < row.T_min_K) row.T_min_K = p.T_min_K;
      row.num_cells += p.num_cells;
      row.volume_m3 += p.volume_m3;
      row.power_W += p.power_W;
      weighted_sum_K_m3 += p.T_mean_K * p.volume_m3;
    }
    if (row.num_cells == 0 || has_nan) {
      row.T_max_K = row.T_mean_K = row.T_min_K = nan;
      row.T_max_at_m = {nan, nan, nan};
      continue;
    }
    row.T_mean_K = weighted_sum_K_m3 / row.volume_m3;
  }
  return rows;
}

}  // namespace cposim::postproc
