#pragma once
/// \file
/// Hot spots: the top-N local temperature maxima of each region (not just the global maximum),
/// with the centre of the cell they sit in.

#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include "mesh/cell_field.hpp"
#include "mesh/cell_labels.hpp"
#include "mesh/partition.hpp"

namespace cposim::postproc {

/// One local maximum of the temperature inside a region.
struct HotSpot {
  std::string region;            ///< region name
  std::size_t region_id = 0;     ///< row of the region in the names passed in
  int rank = 0;                  ///< 1 = hottest spot of its region, 2 = next, ...
  std::array<double, 3> at_m{};  ///< centre (x, y, z) of the cell, metres
  double T_K = 0.0;              ///< temperature of the cell, kelvin
  mesh::CellIndex cell = 0;      ///< flattened cell index (x fastest)
};

/// What find_hot_spots keeps.
struct HotSpotOptions {
  std::size_t max_spots_per_region = 5;  ///< N of the top-N; 0 gives no spots
  /// A spot closer than this (Euclidean distance between cell centres, metres) to a hotter
  /// spot of the same region is dropped. 0 keeps every local maximum.
  double min_separation_m = 0.0;
};

/// The top-N local maxima of `temperature` in each region, ordered by region id, then by rank.
///
/// A cell is a local maximum of its region if it is ahead of each of its up to 26 neighbours
/// (faces, edges and corners) that lie in the same region, where "ahead" means hotter, or
/// equally hot and earlier in flattened order (x fastest, then y, then z). This strict total
/// order breaks ties deterministically, so a box-shaped plateau of equal temperatures yields
/// exactly one candidate (its first cell); the minimum separation merges what is left of
/// irregular plateaus and of ripples. Neighbours in other regions are ignored, so a region
/// touching a hotter one still has its own maxima (often on the shared boundary). Cells whose
/// temperature is not finite are neither candidates nor neighbours.
///
/// Candidates of a region are taken hottest first (ties: earlier cell first), each kept if it
/// is at least options.min_separation_m from every spot already kept, until
/// options.max_spots_per_region are kept. Cost: one pass over the cells and their neighbours
/// plus a sort of the candidates; single-threaded and deterministic.
///
/// \param temperature   temperature per cell in kelvin; its grid must be set (lent).
/// \param region_id     region id per cell, each in [0, region_names.size()).
/// \param region_names  name of each region id.
/// Throws std::invalid_argument if the grid is null, a size does not match the number of
/// cells, a region id is out of range, or min_separation_m is negative or not finite.
std::vector<HotSpot> find_hot_spots(const mesh::CellField& temperature,
                                    const std::vector<mesh::RegionId>& region_id,
                                    const std::vector<std::string>& region_names,
                                    const HotSpotOptions& options = {});

/// A local maximum of a region (see find_hot_spots), before the greedy pick.
struct HotSpotCandidate {
  std::size_t region_id = 0;
  double T_K = 0.0;
  mesh::CellIndex cell = 0;      ///< in the whole grid's flattened order (x fastest)
  std::array<double, 3> at_m{};  ///< centre of the cell, metres
};

/// Where a field's grid lies in a whole grid (a rank's window in a distributed run, issue 20):
/// its cell (i, j, k) is the whole grid's (i + offset[0], j + offset[1], k + offset[2]) of
/// whole_cells per axis. Candidates are looked for in `search` (the field grid's indices: the
/// cells the rank owns), their neighbours anywhere in the field's grid (the halo too).
struct GridPiece {
  std::array<std::size_t, 3> offset{};
  std::array<std::size_t, 3> whole_cells{};
  mesh::IndexBox search;
};

/// The local maxima of `temperature` in `piece.search`, by find_hot_spots's rule with cells
/// ordered by their index in the whole grid; the union over the pieces of a whole grid is the
/// whole grid's candidates. Checks as find_hot_spots.
std::vector<HotSpotCandidate> hot_spot_candidates(const mesh::CellField& temperature,
                                                  const std::vector<mesh::RegionId>& region_id,
                                                  std::size_t num_regions, const GridPiece& piece);

/// find_hot_spots's greedy pick over `candidates` (any order; e.g. the union of every rank's).
std::vector<HotSpot> pick_hot_spots(std::vector<HotSpotCandidate> candidates,
                                    const std::vector<std::string>& region_names,
                                    const HotSpotOptions& options);

}  // namespace cposim::postproc
