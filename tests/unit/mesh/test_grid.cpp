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

TEST_CASE("build_axis: exact_min_cells gives one cell per layer where the ratio allows") {
  // A 100 µm die on a 20 µm TIM on a 30 µm lid, caps far above the layers, ratio 10: one cell
  // each (issue 18 item 7: graded from the TIM's 20 µm, the die used to get at least 2).
  const std::vector<double> planes{0.0, 20e-6, 120e-6, 150e-6};
  const std::vector<double> caps{1e-3, 1e-3, 1e-3};
  const auto exact = build_axis(planes, caps, 10.0, 1, true);
  CHECK(exact == planes);
  const auto graded = build_axis(planes, caps, 10.0, 1, false);
  CHECK(graded.size() > planes.size());  // the old behaviour, still the default
  // Ratio 3 forbids 100 µm next to 20 µm: the die is graded, the ratio holds.
  const auto tight = build_axis(planes, caps, 3.0, 1, true);
  CHECK(tight.size() > planes.size());
  for (std::size_t i = 1; i + 1 < tight.size(); ++i) {
    const double a = tight[i] - tight[i - 1], b = tight[i + 1] - tight[i];
    CHECK(std::max(a / b, b / a) <= 3.0 * (1 + 1e-9));
  }
  // The 30 µm lid next to the TIM (ratio 1.5) keeps exactly one cell there too.
  int in_lid = 0;
  for (std::size_t i = 0; i + 1 < tight.size(); ++i)
    if (tight[i] >= 120e-6 - 1e-15) ++in_lid;
  CHECK(in_lid == 1);
}

TEST_CASE("build_grid: min_cells_per_layer 1 with exact_min_cells matches the estimate") {
  GridRequest r;
  r.domain.lo_m = {0, 0, 0};
  r.domain.hi_m = {1e-3, 1e-3, 150e-6};
  Box tim, die;
  tim.lo_m = {0, 0, 0};
  tim.hi_m = {1e-3, 1e-3, 20e-6};
  die.lo_m = {0, 0, 20e-6};
  die.hi_m = {1e-3, 1e-3, 120e-6};
  r.conforming_boxes = {tim, die};
  r.max_cell_m = {5e-4, 5e-4, 1e-3};
  r.max_neighbour_ratio = 10.0;
  r.min_cells_per_interval = {1, 1, 1};
  r.exact_min_cells = {false, false, true};
  const RectilinearGrid g = build_grid(r);
  CHECK(g.cells_per_axis()[2] == 3);
  CHECK(estimate_cells_per_axis(r)[2] == doctest::Approx(3.0));
}
