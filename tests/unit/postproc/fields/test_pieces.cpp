/// \file
/// Statistics and hot spots of a grid split into the windows of a mesh::Partition (a
/// distributed run's ranks, issue 20) against those of the whole grid: merged region
/// statistics and the union of every window's hot-spot candidates give the whole grid's
/// answers, ties included.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "mesh/cell_field.hpp"
#include "mesh/partition.hpp"
#include "mesh/rectilinear_grid.hpp"
#include "postproc/fields/hot_spots.hpp"
#include "postproc/fields/region_statistics.hpp"

using namespace cposim;

namespace {

std::vector<double> nodes(std::size_t n, double growth) {
  std::vector<double> x{0.0};
  double w = 1e-4;
  for (std::size_t i = 0; i < n; ++i, w *= growth) x.push_back(x.back() + w);
  return x;
}

/// Values of the whole-grid arrays on the cells of `box`, in the box's own order.
template <typename T>
std::vector<T> cut(const mesh::RectilinearGrid& g, const std::vector<T>& all,
                   const mesh::IndexBox& box) {
  std::vector<T> out;
  for (std::size_t k = box.first[2]; k < box.first[2] + box.count[2]; ++k)
    for (std::size_t j = box.first[1]; j < box.first[1] + box.count[1]; ++j)
      for (std::size_t i = box.first[0]; i < box.first[0] + box.count[0]; ++i)
        out.push_back(all[g.cell(i, j, k)]);
  return out;
}

}  // namespace

TEST_CASE(
    "pieces: merged statistics and hot spots of 1, 2, 3 and 4 windows equal the whole grid's") {
  const mesh::RectilinearGrid g(nodes(17, 1.05), nodes(13, 0.97), nodes(5, 1.3));
  const auto n = g.cells_per_axis();
  std::vector<double> T(g.num_cells()), P(g.num_cells());
  std::vector<mesh::RegionId> id(g.num_cells());
  for (std::size_t c = 0; c < g.num_cells(); ++c) {
    const auto [i, j, k] = g.ijk(c);
    // Ripples with exact ties (a plateau across window cuts) and three regions.
    T[c] = 300.0 + std::round(8.0 * std::sin(0.9 * double(i)) * std::cos(0.7 * double(j))) +
           0.25 * double(k);
    P[c] = 1e-3 * double(c % 7);
    id[c] = static_cast<mesh::RegionId>(i < 6 ? 0 : (j < 7 ? 1 : 2));
  }
  const std::vector<std::string> names{"a", "b", "c", "empty"};
  const postproc::HotSpotOptions options{4, 3e-4};
  const auto whole_stats = postproc::region_statistics(mesh::CellField{&g, "T", T}, id, names, P);
  const auto whole_spots =
      postproc::find_hot_spots(mesh::CellField{&g, "T", T}, id, names, options);
  REQUIRE(whole_spots.size() >= 6);

  for (int ranks : {1, 2, 3, 4}) {
    CAPTURE(ranks);
    const mesh::Partition partition(n, ranks);
    std::vector<std::vector<postproc::RegionStatistics>> parts;
    std::vector<postproc::HotSpotCandidate> candidates;
    for (int r = 0; r < ranks; ++r) {
      const mesh::IndexBox owned = partition.owned(r), window = partition.window(r);
      const mesh::RectilinearGrid og = mesh::sub_grid(g, owned), wg = mesh::sub_grid(g, window);
      parts.push_back(postproc::region_statistics(mesh::CellField{&og, "T", cut(g, T, owned)},
                                                  cut(g, id, owned), names, cut(g, P, owned)));
      postproc::GridPiece piece;
      piece.offset = window.first;
      piece.whole_cells = n;
      piece.search = owned;
      for (std::size_t a = 0; a < 3; ++a) piece.search.first[a] -= window.first[a];
      for (const auto& c :
           postproc::hot_spot_candidates(mesh::CellField{&wg, "T", cut(g, T, window)},
                                         cut(g, id, window), names.size(), piece))
        candidates.push_back(c);
    }
    const auto stats = postproc::merge_region_statistics(parts);
    REQUIRE(stats.size() == whole_stats.size());
    for (std::size_t r = 0; r < 3; ++r) {
      CHECK(stats[r].num_cells == whole_stats[r].num_cells);
      CHECK(stats[r].T_max_K == whole_stats[r].T_max_K);
      CHECK(stats[r].T_max_at_m == whole_stats[r].T_max_at_m);  // ties: first cell of the grid
      CHECK(stats[r].T_min_K == whole_stats[r].T_min_K);
      CHECK(stats[r].T_mean_K == doctest::Approx(whole_stats[r].T_mean_K).epsilon(1e-14));
      CHECK(stats[r].volume_m3 == doctest::Approx(whole_stats[r].volume_m3).epsilon(1e-14));
      CHECK(stats[r].power_W == doctest::Approx(whole_stats[r].power_W).epsilon(1e-14));
    }
    CHECK(stats[3].num_cells == 0);
    CHECK(std::isnan(stats[3].T_max_K));
    const auto spots = postproc::pick_hot_spots(candidates, names, options);
    REQUIRE(spots.size() == whole_spots.size());
    for (std::size_t s = 0; s < spots.size(); ++s) {
      CHECK(spots[s].cell == whole_spots[s].cell);
      CHECK(spots[s].rank == whole_spots[s].rank);
      CHECK(spots[s].T_K == whole_spots[s].T_K);
      CHECK(spots[s].region == whole_spots[s].region);
    }
  }
}
