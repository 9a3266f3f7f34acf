/// \file
/// Unit tests of find_hot_spots: hand-made fields whose local maxima are known.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <stdexcept>

#include "postproc/fields/hot_spots.hpp"

using cposim::mesh::CellField;
using cposim::mesh::RectilinearGrid;
using cposim::mesh::RegionId;
using cposim::postproc::find_hot_spots;
using cposim::postproc::HotSpotOptions;

namespace {

std::vector<double> nodes(std::size_t cells) {
  std::vector<double> x(cells + 1);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<double>(i);
  return x;
}

}  // namespace

TEST_CASE("find_hot_spots: two separated peaks, hottest first, N and separation respected") {
  const RectilinearGrid grid(nodes(9), nodes(1), nodes(1));  // 1 m cells along x
  const CellField T{&grid, "temperature_K", {1, 2, 5, 2, 1, 2, 7, 2, 1}};
  const std::vector<RegionId> region(9, 0);

  const auto spots = find_hot_spots(T, region, {"die"});
  REQUIRE(spots.size() == 2);
  CHECK(spots[0].region == "die");
  CHECK(spots[0].rank == 1);
  CHECK(spots[0].cell == 6);
  CHECK(spots[0].T_K == 7.0);
  CHECK(spots[0].at_m[0] == doctest::Approx(6.5).epsilon(1e-15));
  CHECK(spots[0].at_m[1] == doctest::Approx(0.5).epsilon(1e-15));
  CHECK(spots[0].at_m[2] == doctest::Approx(0.5).epsilon(1e-15));
  CHECK(spots[1].rank == 2);
  CHECK(spots[1].cell == 2);
  CHECK(spots[1].T_K == 5.0);

  HotSpotOptions one;
  one.max_spots_per_region = 1;
  REQUIRE(find_hot_spots(T, region, {"die"}, one).size() == 1);

  HotSpotOptions far;
  far.min_separation_m = 4.5;  // the peaks are 4 m apart: the cooler one is dropped
  const auto merged = find_hot_spots(T, region, {"die"}, far);
  REQUIRE(merged.size() == 1);
  CHECK(merged[0].cell == 6);
  far.min_separation_m = 4.0;  // exactly the distance: both kept
  CHECK(find_hot_spots(T, region, {"die"}, far).size() == 2);

  HotSpotOptions none;
  none.max_spots_per_region = 0;
  CHECK(find_hot_spots(T, region, {"die"}, none).empty());
}

TEST_CASE("find_hot_spots: a plateau yields one spot, its first cell in flattened order") {
  // 4 x 4 x 2 cells at 300 K with a 2 x 2 x 2 plateau at 350 K.
  const RectilinearGrid grid(nodes(4), nodes(4), nodes(2));
  std::vector<double> values(grid.num_cells(), 300.0);
  for (std::size_t k = 0; k < 2; ++k)
    for (std::size_t j = 1; j < 3; ++j)
      for (std::size_t i = 1; i < 3; ++i) values[grid.cell(i, j, k)] = 350.0;
  const CellField T{&grid, "temperature_K", values};
  const auto spots = find_hot_spots(T, std::vector<RegionId>(grid.num_cells(), 0), {"die"});
  REQUIRE(spots.size() == 1);
  CHECK(spots[0].cell == grid.cell(1, 1, 0));
  CHECK(spots[0].T_K == 350.0);

  // A uniform region (one big plateau) has exactly one spot, cell 0.
  const CellField flat{&grid, "temperature_K", std::vector<double>(grid.num_cells(), 300.0)};
  const auto one = find_hot_spots(flat, std::vector<RegionId>(grid.num_cells(), 0), {"fill"});
  REQUIRE(one.size() == 1);
  CHECK(one[0].cell == 0);
}

TEST_CASE("find_hot_spots: the neighbourhood is 26 cells (edges and corners count)") {
  // 3 x 3 x 1: a diagonal neighbour (1, 1) is hotter than the corner cell (0, 0).
  const RectilinearGrid grid(nodes(3), nodes(3), nodes(1));
  const CellField T{&grid, "temperature_K", {10, 0, 0, 0, 11, 0, 0, 0, 0}};
  const auto spots = find_hot_spots(T, std::vector<RegionId>(9, 0), {"die"});
  REQUIRE(spots.size() == 1);
  CHECK(spots[0].cell == 4);
}

TEST_CASE("find_hot_spots: a peak on a region boundary, neighbours in other regions ignored") {
  // Region 0 = cells 0-2, region 1 = cells 3-5; region 0 rises towards the hotter region 1.
  const RectilinearGrid grid(nodes(6), nodes(1), nodes(1));
  const CellField T{&grid, "temperature_K", {1, 2, 3, 10, 5, 1}};
  const std::vector<RegionId> region{0, 0, 0, 1, 1, 1};
  const auto spots = find_hot_spots(T, region, {"substrate", "die", "empty"});
  REQUIRE(spots.size() == 2);  // the region without cells has no spot
  CHECK(spots[0].region == "substrate");
  CHECK(spots[0].region_id == 0);
  CHECK(spots[0].cell == 2);  // on the boundary, next to a hotter cell of the other region
  CHECK(spots[0].rank == 1);
  CHECK(spots[1].region == "die");
  CHECK(spots[1].region_id == 1);
  CHECK(spots[1].cell == 3);
  CHECK(spots[1].rank == 1);
}

TEST_CASE("find_hot_spots: non-finite cells are skipped, bad input throws") {
  const RectilinearGrid grid(nodes(3), nodes(1), nodes(1));
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const CellField T{&grid, "temperature_K", {1, nan, 2}};
  const auto spots = find_hot_spots(T, {0, 0, 0}, {"die"});
  REQUIRE(spots.size() == 2);  // the NaN cell separates two maxima
  CHECK(spots[0].cell == 2);
  CHECK(spots[1].cell == 0);

  CHECK_THROWS_AS(find_hot_spots(T, {0, 0, 1}, {"die"}), std::invalid_argument);
  CHECK_THROWS_AS(find_hot_spots(T, {0, 0}, {"die"}), std::invalid_argument);
  HotSpotOptions negative;
  negative.min_separation_m = -1.0;
  CHECK_THROWS_AS(find_hot_spots(T, {0, 0, 0}, {"die"}, negative), std::invalid_argument);
  const CellField no_grid{nullptr, "temperature_K", {1, 2, 3}};
  CHECK_THROWS_AS(find_hot_spots(no_grid, {0, 0, 0}, {"die"}), std::invalid_argument);
}
