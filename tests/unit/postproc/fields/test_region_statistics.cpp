/// \file
/// Unit tests of per-region statistics: hand-checkable numbers on tiny non-uniform grids.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>

#include "postproc/fields/region_statistics.hpp"

using cposim::mesh::CellField;
using cposim::mesh::RectilinearGrid;
using cposim::mesh::RegionId;
using cposim::postproc::region_statistics;

namespace {

// 3 x 2 x 1 cells; x widths 1, 2, 3 m; y widths 1, 1 m; z width 2 m.
// Cell volumes (x fastest): row j=0: 2, 4, 6; row j=1: 2, 4, 6 m³.
const RectilinearGrid grid({0.0, 1.0, 3.0, 6.0}, {0.0, 1.0, 2.0}, {0.0, 2.0});

}  // namespace

TEST_CASE("region_statistics: max with location, volume-weighted mean, min, volume, power") {
  // Region 0 = "die": cells 0, 1, 2 (j = 0). Region 1 = "lid": cells 3, 4, 5 (j = 1).
  const CellField T{&grid, "temperature_K", {300, 310, 320, 400, 350, 330}};
  const std::vector<RegionId> region{0, 0, 0, 1, 1, 1};
  const std::vector<double> power_W{1.0, 2.0, 3.0, 0.5, 0.0, 0.0};
  const auto rows = region_statistics(T, region, {"die", "lid"}, power_W);
  REQUIRE(rows.size() == 2);

  const auto& die = rows[0];
  CHECK(die.name == "die");
  CHECK(die.num_cells == 3);
  CHECK(die.T_max_K == 320.0);
  CHECK(die.T_min_K == 300.0);
  // (300*2 + 310*4 + 320*6) / 12 = 3760 / 12
  CHECK(die.T_mean_K == doctest::Approx(3760.0 / 12.0).epsilon(1e-14));
  CHECK(die.volume_m3 == doctest::Approx(12.0).epsilon(1e-14));
  CHECK(die.power_W == doctest::Approx(6.0).epsilon(1e-14));
  // hottest cell (2, 0, 0): centre (4.5, 0.5, 1.0)
  CHECK(die.T_max_at_m == std::array<double, 3>{4.5, 0.5, 1.0});

  const auto& lid = rows[1];
  CHECK(lid.name == "lid");
  CHECK(lid.T_max_K == 400.0);
  CHECK(lid.T_min_K == 330.0);
  // (400*2 + 350*4 + 330*6) / 12 = 4180 / 12
  CHECK(lid.T_mean_K == doctest::Approx(4180.0 / 12.0).epsilon(1e-14));
  CHECK(lid.power_W == doctest::Approx(0.5).epsilon(1e-14));
  CHECK(lid.T_max_at_m == std::array<double, 3>{0.5, 1.5, 1.0});
}

TEST_CASE("region_statistics: a tie for the maximum reports the first cell in flattened order") {
  const CellField T{&grid, "temperature_K", {300, 350, 300, 300, 350, 300}};
  const auto rows = region_statistics(T, {0, 0, 0, 0, 0, 0}, {"all"}, {});
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].T_max_K == 350.0);
  CHECK(rows[0].T_max_at_m == std::array<double, 3>{2.0, 0.5, 1.0});  // cell (1, 0, 0)
  CHECK(rows[0].power_W == 0.0);                                      // no power list: zero power
}

TEST_CASE("region_statistics: a region without cells has zero volume and NaN temperatures") {
  const CellField T{&grid, "temperature_K", std::vector<double>(6, 300.0)};
  const auto rows = region_statistics(T, std::vector<RegionId>(6, 0), {"fill", "overpainted"}, {});
  REQUIRE(rows.size() == 2);
  CHECK(rows[1].num_cells == 0);
  CHECK(rows[1].volume_m3 == 0.0);
  CHECK(std::isnan(rows[1].T_max_K));
  CHECK(std::isnan(rows[1].T_mean_K));
  CHECK(std::isnan(rows[1].T_min_K));
  CHECK(std::isnan(rows[1].T_max_at_m[0]));
  CHECK(rows[0].T_mean_K == doctest::Approx(300.0).epsilon(1e-14));
}

TEST_CASE("region_statistics: a NaN temperature poisons only its own region") {
  const CellField T{&grid, "temperature_K", {300, NAN, 320, 400, 350, 330}};
  const auto rows = region_statistics(T, {0, 0, 0, 1, 1, 1}, {"die", "lid"}, {});
  CHECK(std::isnan(rows[0].T_max_K));
  CHECK(std::isnan(rows[0].T_mean_K));
  CHECK(std::isnan(rows[0].T_min_K));
  CHECK(rows[0].volume_m3 == doctest::Approx(12.0).epsilon(1e-14));
  CHECK(rows[1].T_max_K == 400.0);
}

TEST_CASE("region_statistics: rejects bad sizes, a missing grid and unknown region ids") {
  const CellField T{&grid, "temperature_K", std::vector<double>(6, 300.0)};
  const std::vector<RegionId> region(6, 0);
  CHECK_THROWS_AS(region_statistics({nullptr, "temperature_K", T.values}, region, {"a"}, {}),
                  std::invalid_argument);
  CHECK_THROWS_AS(region_statistics({&grid, "temperature_K", {300.0}}, region, {"a"}, {}),
                  std::invalid_argument);
  CHECK_THROWS_AS(region_statistics(T, {0, 0}, {"a"}, {}), std::invalid_argument);
  CHECK_THROWS_AS(region_statistics(T, region, {"a"}, {1.0}), std::invalid_argument);
  CHECK_THROWS_WITH_AS(region_statistics(T, {0, 0, 0, 0, 2, 0}, {"a", "b"}, {}),
                       "region_statistics: cell 4 has region id 2, but there are 2 region names",
                       std::invalid_argument);
  CHECK_THROWS_AS(region_statistics(T, {0, 0, 0, 0, -1, 0}, {"a"}, {}), std::invalid_argument);
}
