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

void check_options(const HotSpotOptions& options) {
  if (!std::isfinite(options.min_separation_m) || options.min_separation_m < 0.0)
    throw std::invalid_argument(
        "find_hot_spots: min_separation_m = " + std::to_string(options.min_separation_m) +
        " must be finite and >= 0");
}

}  // namespace

std::vector<HotSpotCandidate> hot_spot_candidates(const mesh::CellField& temperature,
                                                  const std::vector<mesh::RegionId>& region_id,
                                                  std::size_t num_regions, const GridPiece& piece) {
  if (temperature.grid == nullptr)
    throw std::invalid_argument("find_hot_spots: temperature field '" + temperature.name +
                                "' has no grid");
  const mesh::RectilinearGrid& grid = *temperature.grid;
  const std::size_t cells = grid.num_cells();
  const std::vector<double>& T = temperature.values;
  require_cell_count("find_hot_spots", T.size(), cells, "the temperature field");
  require_cell_count("find_hot_spots", region_id.size(), cells, "the region id list");
  for (std::size_t c = 0; c < cells; ++c)
    if (region_id[c] < 0 || static_cast<std::size_t>(region_id[c]) >= num_regions)
      throw std::invalid_argument("find_hot_spots: cell " + std::to_string(c) + " has region id " +
                                  std::to_string(region_id[c]) + ", but there are " +
                                  std::to_string(num_regions) + " region names");

  const auto [nx, ny, nz] = grid.cells_per_axis();
  const auto& o = piece.offset;
  const auto& w = piece.whole_cells;
  const auto whole_index = [&](std::size_t i, std::size_t j, std::size_t k) {
    return (i + o[0]) + w[0] * ((j + o[1]) + w[1] * (k + o[2]));
  };
  auto range = [](std::size_t index, std::size_t n) {
    return std::array<std::size_t, 2>{index == 0 ? 0 : index - 1, std::min(index + 1, n - 1)};
  };
  const auto& box = piece.search;
  std::vector<HotSpotCandidate> out;
  for (std::size_t k = box.first[2]; k < box.first[2] + box.count[2]; ++k)
    for (std::size_t j = box.first[1]; j < box.first[1] + box.count[1]; ++j)
      for (std::size_t i = box.first[0]; i < box.first[0] + box.count[0]; ++i) {
        const mesh::CellIndex c = grid.cell(i, j, k);
        const double T_c = T[c];
        if (!std::isfinite(T_c)) continue;
        const mesh::RegionId id = region_id[c];
        const mesh::CellIndex c_whole = whole_index(i, j, k);
        const auto ri = range(i, nx), rj = range(j, ny), rk = range(k, nz);
        bool is_max = true;
        for (std::size_t kk = rk[0]; kk <= rk[1] && is_max; ++kk)
          for (std::size_t jj = rj[0]; jj <= rj[1] && is_max; ++jj)
            for (std::size_t ii = ri[0]; ii <= ri[1]; ++ii) {
              const mesh::CellIndex n = grid.cell(ii, jj, kk);
              if (n == c || region_id[n] != id || !std::isfinite(T[n])) continue;
              if (!ahead(T_c, c_whole, T[n], whole_index(ii, jj, kk))) {
                is_max = false;
                break;
              }
            }
        if (!is_max) continue;
        HotSpotCandidate candidate{static_cast<std::size_t>(id), T_c, c_whole, {}};
        candidate.at_m = {grid.centre(0, i), grid.centre(1, j), grid.centre(2, k)};
        out.push_back(candidate);
      }
  return out;
}

std::vector<HotSpot> pick_hot_spots(std::vector<HotSpotCandidate> candidates,
                                    const std::vector<std::string>& region_names,
                                    const HotSpotOptions& options) {
  check_options(options);
  // By region, then hottest first (ties: earlier cell first).
  std::sort(candidates.begin(), candidates.end(),
            [](const HotSpotCandidate& a, const HotSpotCandidate& b) {
              if (a.region_id != b.region_id) return a.region_id < b.region_id;
              return ahead(a.T_K, a.cell, b.T_K, b.cell);
            });
  std::vector<HotSpot> spots;
  std::size_t first = 0;
  for (std::size_t n = 0; n < candidates.size(); ++n) {
    const HotSpotCandidate& c = candidates[n];
    if (n == 0 || c.region_id != candidates[n - 1].region_id) first = spots.size();
    if (spots.size() - first >= options.max_spots_per_region) continue;
    bool far_enough = true;
    for (std::size_t s = first; s < spots.size() && far_enough; ++s) {
      const double dx = c.at_m[0] - spots[s].at_m[0];
      const double dy = c.at_m[1] - spots[s].at_m[1];
      const double dz = c.at_m[2] - spots[s].at_m[2];
      far_enough = std::sqrt(dx * dx + dy * dy + dz * dz) >= options.min_separation_m;
    }
    if (!far_enough) continue;
    HotSpot spot;
    spot.region = region_names.at(c.region_id);
    spot.region_id = c.region_id;
    spot.rank = static_cast<int>(spots.size() - first + 1);
    spot.at_m = c.at_m;
    spot.T_K = c.T_K;
    spot.cell = c.cell;
    spots.push_back(std::move(spot));
  }
  return spots;
}

std::vector<HotSpot> find_hot_spots(const mesh::CellField& temperature,
                                    const std::vector<mesh::RegionId>& region_id,
                                    const std::vector<std::string>& region_names,
                                    const HotSpotOptions& options) {
  if (temperature.grid == nullptr)
    throw std::invalid_argument("find_hot_spots: temperature field '" + temperature.name +
                                "' has no grid");
  check_options(options);
  GridPiece whole;
  whole.whole_cells = temperature.grid->cells_per_axis();
  whole.search.count = whole.whole_cells;
  return pick_hot_spots(hot_spot_candidates(temperature, region_id, region_names.size(), whole),
                        region_names, options);
}

}  // namespace cposim::postproc
