/// \file
/// mesh::segment_cuts, the polyline cutter of the waveguides and lane routes: crossings of node
/// (and cell-centre) planes against hand-computed parameters, ends, planes the segment lies in,
/// and dropped near-duplicates.
#include <doctest/doctest.h>

#include <vector>

#include "mesh/rectilinear_grid.hpp"
#include "mesh/segment_cuts.hpp"

using cposim::mesh::CutPlanes;
using cposim::mesh::RectilinearGrid;
using cposim::mesh::segment_cuts;

namespace {

void check_cuts(const std::vector<double>& got, const std::vector<double>& want) {
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < want.size(); ++i)
    CHECK(got[i] == doctest::Approx(want[i]).epsilon(1e-15));
}

}  // namespace

TEST_CASE("segment_cuts: node planes crossed strictly inside, with the ends") {
  // x nodes 0, 1, 3; y 0, 2; z 0, 0.5, 1, 2.
  const RectilinearGrid g({0.0, 1.0, 3.0}, {0.0, 2.0}, {0.0, 0.5, 1.0, 2.0});
  // (0.5, 1, 0.25) → (2.5, 1, 1.75): x = 1 at t = 0.25; z = 0.5 at t = 1/6, z = 1 at t = 0.5.
  const auto t = segment_cuts(g, {0.5, 1.0, 0.25}, {2.5, 1.0, 1.75}, CutPlanes::nodes, 1e-14);
  check_cuts(t, {0.0, 1.0 / 6.0, 0.25, 0.5, 1.0});
  // Reversed direction: the same planes at 1 − t.
  const auto r = segment_cuts(g, {2.5, 1.0, 1.75}, {0.5, 1.0, 0.25}, CutPlanes::nodes, 1e-14);
  check_cuts(r, {0.0, 0.5, 0.75, 5.0 / 6.0, 1.0});
}

TEST_CASE("segment_cuts: cell-centre planes too, ends on planes and planes the segment lies in") {
  const RectilinearGrid g({0.0, 1.0, 3.0}, {0.0, 2.0}, {0.0, 0.5, 1.0, 2.0});
  // Along x at y = 0 (a node plane it lies in) from a node to a node: x centres 0.5 and 2.
  const auto t =
      segment_cuts(g, {0.0, 0.0, 0.75}, {3.0, 0.0, 0.75}, CutPlanes::nodes_and_centres, 1e-12);
  check_cuts(t, {0.0, 0.5 / 3.0, 1.0 / 3.0, 2.0 / 3.0, 1.0});
  // Ends exactly on nodes are not cuts; without centres only x = 1 remains.
  check_cuts(segment_cuts(g, {0.0, 0.0, 0.75}, {3.0, 0.0, 0.75}, CutPlanes::nodes, 1e-12),
             {0.0, 1.0 / 3.0, 1.0});
  // Inside one cell: no cut.
  check_cuts(segment_cuts(g, {1.2, 0.5, 1.2}, {2.9, 1.5, 1.9}, CutPlanes::nodes, 1e-14),
             {0.0, 1.0});
}

TEST_CASE("segment_cuts: crossings closer than min_gap are one, the last is exactly 1") {
  // Nodes 1 and 1 + 1e-13 along x: a segment 0 → 2 crosses both within 5e-14 of each other.
  const RectilinearGrid g({0.0, 1.0, 1.0 + 1e-13, 2.0}, {0.0, 1.0}, {0.0, 1.0});
  const auto close = segment_cuts(g, {0.0, 0.5, 0.5}, {2.0, 0.5, 0.5}, CutPlanes::nodes, 1e-12);
  check_cuts(close, {0.0, 0.5, 1.0});
  const auto apart = segment_cuts(g, {0.0, 0.5, 0.5}, {2.0, 0.5, 0.5}, CutPlanes::nodes, 1e-14);
  REQUIRE(apart.size() == 4);
  CHECK(apart[2] - apart[1] == doctest::Approx(5e-14).epsilon(1e-3));
  // A crossing within min_gap of the far end: the end stays, exactly 1.
  const auto end =
      segment_cuts(g, {0.0, 0.5, 0.5}, {1.0 + 5e-14, 0.5, 0.5}, CutPlanes::nodes, 1e-12);
  CHECK(end.size() == 2);
  CHECK(end.back() == 1.0);
}
