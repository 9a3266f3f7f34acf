/// \file
/// Unit tests of the rectilinear grid, the grid builder and region painting.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "mesh/cell_labels.hpp"
#include "mesh/grid_builder.hpp"
#include "mesh/rectilinear_grid.hpp"

using namespace cposim::mesh;

TEST_CASE("RectilinearGrid: widths, centres, flattened index and locate") {
  const RectilinearGrid g({0.0, 1.0, 3.0}, {0.0, 2.0}, {0.0, 0.5, 1.0, 2.0});
  CHECK(g.num_cells() == 2 * 1 * 3);
  CHECK(g.width(0, 1) == 2.0);
  CHECK(g.centre(2, 2) == 1.5);
  CHECK(g.cell(1, 0, 2) == 1 + 2 * (0 + 1 * 2));
  CHECK(g.ijk(5) == std::array<std::size_t, 3>{1, 0, 2});
  CHECK(g.locate(0, 1.0) == 1);  // half-open: a node belongs to the cell above
  CHECK(g.locate(0, 3.0) == 1);  // the last node belongs to the last cell
  CHECK_THROWS_AS(g.locate(0, 3.5), std::out_of_range);
  CHECK(g.max_neighbour_ratio(2) == doctest::Approx(2.0).epsilon(1e-15));
}

TEST_CASE("RectilinearGrid: rejects too few or non-increasing nodes") {
  CHECK_THROWS_AS(RectilinearGrid({0.0}, {0.0, 1.0}, {0.0, 1.0}), std::invalid_argument);
  CHECK_THROWS_AS(RectilinearGrid({0.0, 1.0, 1.0}, {0.0, 1.0}, {0.0, 1.0}), std::invalid_argument);
  CHECK_THROWS_AS(RectilinearGrid({0.0, NAN}, {0.0, 1.0}, {0.0, 1.0}), std::invalid_argument);
}

TEST_CASE("build_axis: uniform interval splits into ceil(L / h) equal cells") {
  const auto nodes = build_axis({0.0, 1.0}, {0.3}, 1.5, 1);
  REQUIRE(nodes.size() == 5);  // ceil(1/0.3) = 4 cells
  for (std::size_t i = 0; i + 1 < nodes.size(); ++i)
    CHECK(nodes[i + 1] - nodes[i] == doctest::Approx(0.25).epsilon(1e-9));
}

TEST_CASE("build_axis: every plane is a node and the neighbour ratio holds") {
  // A 2 µm layer between millimetre slabs: the thin layer forces small cells that grade out.
  const std::vector<double> planes{0.0, 1e-3, 1.002e-3, 2e-3, 1e-2};
  const auto nodes = build_axis(planes, {2e-4, 2e-4, 2e-4, 5e-4}, 1.5, 2);
  for (double p : planes) {
    bool found = false;
    for (double x : nodes) found = found || std::fabs(x - p) < 1e-15;
    CHECK_MESSAGE(found, "plane " << p << " missing");
  }
  double worst = 1.0, biggest = 0.0;
  for (std::size_t i = 0; i + 1 < nodes.size(); ++i) {
    biggest = std::max(biggest, nodes[i + 1] - nodes[i]);
    if (i > 0) {
      const double a = nodes[i] - nodes[i - 1], b = nodes[i + 1] - nodes[i];
      worst = std::max(worst, std::max(a / b, b / a));
    }
  }
  CHECK(worst <= 1.5 * (1 + 1e-9));
  CHECK(biggest <= 5e-4 * (1 + 1e-12));
  // The thin layer holds at least two cells.
  int in_layer = 0;
  for (std::size_t i = 0; i + 1 < nodes.size(); ++i)
    if (nodes[i] >= 1e-3 - 1e-15 && nodes[i + 1] <= 1.002e-3 + 1e-15) ++in_layer;
  CHECK(in_layer >= 2);
}

TEST_CASE("build_grid: conforms to boxes and refinement zones") {
  GridRequest req;
  req.domain = {{0, 0, 0}, {10e-3, 10e-3, 2e-3}};
  req.conforming_boxes = {{{2e-3, 3e-3, 0}, {5e-3, 7e-3, 1e-3}}};
  req.max_cell_m = {1e-3, 1e-3, 0.5e-3};
  req.refinements = {{{{6e-3, 6e-3, 0}, {8e-3, 8e-3, 2e-3}}, {0.1e-3, 0.1e-3, 0.5e-3}}};
  const auto g = build_grid(req);
  for (int a = 0; a < 3; ++a) {
    CHECK(g.max_neighbour_ratio(a) <= 1.5 * (1 + 1e-9));
    for (std::size_t i = 0; i < g.cells_per_axis()[a]; ++i) {
      const double c = g.centre(a, i), w = g.width(a, i);
      const bool refined = a < 2 && c > 6e-3 && c < 8e-3;
      CHECK(w <= (refined ? 0.1e-3 : req.max_cell_m[a]) * (1 + 1e-9));
    }
  }
  const auto& x = g.nodes(0);
  CHECK(std::count_if(x.begin(), x.end(), [](double v) { return std::fabs(v - 2e-3) < 1e-15; }) ==
        1);
}

TEST_CASE("paint_regions: later boxes win and painting uses cell centres") {
  const RectilinearGrid g({0, 1, 2, 3, 4}, {0, 1}, {0, 1, 2});
  const auto r = paint_regions(g, 0, {{{{0, 0, 0}, {4, 1, 1}}, 1}, {{{1, 0, 0}, {3, 1, 2}}, 2}});
  // z = 0 layer: region 1 except x cells 1, 2 (region 2); z = 1: fill except x cells 1, 2.
  CHECK(r == std::vector<RegionId>{1, 2, 2, 1, 0, 2, 2, 0});
}
