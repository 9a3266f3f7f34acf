#pragma once
/// \file
/// Per-region temperature statistics (max with its location, volume-weighted mean, min),
/// volume and power: the numbers a thermal result is judged by.

#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include "mesh/cell_field.hpp"
#include "mesh/cell_labels.hpp"

namespace cposim::postproc {

/// Statistics of one region. A region without cells has num_cells = 0, volume and power 0,
/// and NaN temperatures and location. A NaN temperature in any cell of a region makes that
/// region's T_max_K, T_mean_K, T_min_K and location NaN, so a diverged solve shows up in the
/// table instead of being hidden.
struct RegionStatistics {
  std::string name;
  double T_max_K = 0.0;
  std::array<double, 3> T_max_at_m{};  ///< centre (x, y, z) of the hottest cell, metres
  double T_mean_K = 0.0;               ///< volume-weighted: Σ T_c V_c / Σ V_c
  double T_min_K = 0.0;
  double volume_m3 = 0.0;
  double power_W = 0.0;  ///< Σ of the cells' power
  std::size_t num_cells = 0;
};

/// Statistics of every region, one row per entry of `region_names` in that order (row r is
/// region id r).
///
/// Deterministic: cells are visited once, in flattened order, by one thread, so the result is
/// bitwise reproducible. When several cells share the maximum temperature, the first in
/// flattened order (x fastest, then y, then z) gives the location.
///
/// \param temperature   temperature per cell in kelvin; its grid must be set (lent).
/// \param region_id     region id per cell, each in [0, region_names.size()).
/// \param region_names  name of each region id.
/// \param cell_power_W  power dissipated in each cell in watts, or empty for no power.
/// Throws std::invalid_argument if the grid is null, a size does not match the number of
/// cells, or a region id is out of range (the message names the cell).
std::vector<RegionStatistics> region_statistics(const mesh::CellField& temperature,
                                                const std::vector<mesh::RegionId>& region_id,
                                                const std::vector<std::string>& region_names,
                                                const std::vector<double>& cell_power_W);

/// The statistics of a grid split into parts (the ranks of a distributed run, issue 20), from
/// the statistics of each part (each with every region, in the same order): counts, volumes and
/// powers add, the mean is volume-weighted, the maximum and minimum are those of all parts. A
/// tie of maxima goes to the cell first in the whole grid's flattened order (z, then y, then x
/// of its centre), as region_statistics picks it. Parts where a region has no cells are
/// skipped; a NaN in any part makes that region's temperatures NaN.
std::vector<RegionStatistics> merge_region_statistics(
    const std::vector<std::vector<RegionStatistics>>& parts);

}  // namespace cposim::postproc
