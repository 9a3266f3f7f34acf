/// \file
/// mesh::Partition: every column owned exactly once, counts balanced to one row, the process
/// grid with the fewest cut faces, a contiguous global numbering that is a bijection, windows
/// one cell wider towards neighbours only, and sub_grid's node slices.
#include <doctest/doctest.h>

#include <algorithm>
#include <stdexcept>
#include <vector>

#include "mesh/partition.hpp"
#include "mesh/rectilinear_grid.hpp"

using cposim::mesh::IndexBox;
using cposim::mesh::Partition;
using cposim::mesh::RectilinearGrid;

namespace {

/// Every global cell maps to a distinct row in [0, N), owner and numbering agree.
void check_numbering(const Partition& p) {
  const auto n = p.cells();
  std::vector<int> seen(n[0] * n[1] * n[2], 0);
  for (std::size_t k = 0; k < n[2]; ++k)
    for (std::size_t j = 0; j < n[1]; ++j)
      for (std::size_t i = 0; i < n[0]; ++i) {
        const int r = p.owner(i, j);
        const IndexBox box = p.owned(r);
        REQUIRE(box.contains(i, j, k));
        const std::size_t row = p.row(i, j, k);
        REQUIRE(row >= p.first_row(r));
        REQUIRE(row < p.first_row(r + 1));
        REQUIRE(row == p.first_row(r) + box.local(i, j, k));
        ++seen[row];
      }
  CHECK(std::all_of(seen.begin(), seen.end(), [](int s) { return s == 1; }));
}

}  // namespace

TEST_CASE("partition: a prime rank count on a wide grid cuts across the long axis only") {
  const Partition p({50, 7, 3}, 5);
  CHECK(p.process_grid() == std::array<int, 2>{5, 1});
  check_numbering(p);
  for (int r = 0; r < 5; ++r) CHECK(p.owned(r).count[0] == 10);
}

TEST_CASE("partition: four ranks on a square grid make a 2 x 2 process grid, balanced to a row") {
  const Partition p({13, 11, 4}, 4);
  CHECK(p.process_grid() == std::array<int, 2>{2, 2});
  check_numbering(p);
  std::size_t lo = 1000, hi = 0;
  for (int r = 0; r < 4; ++r) {
    lo = std::min(lo, p.owned(r).num_cells());
    hi = std::max(hi, p.owned(r).num_cells());
    CHECK(p.owned(r).count[2] == 4);  // whole z columns
  }
  CHECK(hi - lo <= (13 / 2 + 1 + 11 / 2 + 1) * 4);  // at most one x row and one y row
  CHECK(p.first_row(4) == 13u * 11u * 4u);
  // Rank 0 (lower left) has neighbours x+ = 1 and y+ = 2 only; its window grows that way.
  CHECK(p.neighbours(0) == std::array<int, 4>{-1, 1, -1, 2});
  CHECK(p.neighbours(3) == std::array<int, 4>{2, -1, 1, -1});
  const IndexBox w = p.window(0);
  CHECK(w.first == std::array<std::size_t, 3>{0, 0, 0});
  CHECK(w.count[0] == p.owned(0).count[0] + 1);
  CHECK(w.count[1] == p.owned(0).count[1] + 1);
  const IndexBox w3 = p.window(3);
  CHECK(w3.first[0] == p.owned(3).first[0] - 1);
  CHECK(w3.first[0] + w3.count[0] == 13);
}

TEST_CASE("partition: one rank owns everything in grid order, too many ranks are refused") {
  const Partition p({4, 3, 2}, 1);
  CHECK(p.row(3, 2, 1) == 3 + 4 * (2 + 3 * 1));
  CHECK(p.window(0).num_cells() == 24);
  CHECK_THROWS_AS(Partition({2, 2, 5}, 5), std::invalid_argument);
  CHECK_THROWS_AS(Partition({2, 2, 5}, 0), std::invalid_argument);
  check_numbering(Partition({2, 2, 5}, 4));
}

TEST_CASE("partition: sub_grid slices the node coordinates of a non-uniform grid") {
  const RectilinearGrid g({0.0, 1.0, 3.0, 6.0, 10.0}, {0.0, 2.0, 5.0}, {0.0, 0.5, 2.0});
  IndexBox box;
  box.first = {1, 1, 0};
  box.count = {2, 1, 2};
  const RectilinearGrid s = cposim::mesh::sub_grid(g, box);
  CHECK(s.nodes(0) == std::vector<double>{1.0, 3.0, 6.0});
  CHECK(s.nodes(1) == std::vector<double>{2.0, 5.0});
  CHECK(s.nodes(2) == std::vector<double>{0.0, 0.5, 2.0});
  box.count[0] = 4;
  CHECK_THROWS_AS(cposim::mesh::sub_grid(g, box), std::out_of_range);
}
