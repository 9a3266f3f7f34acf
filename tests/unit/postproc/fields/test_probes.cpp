/// \file
/// Unit tests of point probes: exact on linear fields between centres, clamped in the boundary
/// half-cells, out_of_range outside the grid.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>

#include "postproc/fields/probes.hpp"

using cposim::mesh::CellField;
using cposim::mesh::RectilinearGrid;
using cposim::postproc::Probe;
using cposim::postproc::read_probes;
using cposim::postproc::sample_at;

namespace {

// Non-uniform: x widths 1, 2, 3 (centres 0.5, 2, 4.5); y widths 1, 3 (centres 0.5, 2.5);
// z widths 2, 2 (centres 1, 3).
const RectilinearGrid grid({0.0, 1.0, 3.0, 6.0}, {0.0, 1.0, 4.0}, {0.0, 2.0, 4.0});

/// T = 300 + 2x + 3y + 5z evaluated at every cell centre.
CellField linear_field() {
  CellField field{&grid, "temperature_K", std::vector<double>(grid.num_cells())};
  const auto [nx, ny, nz] = grid.cells_per_axis();
  for (std::size_t k = 0; k < nz; ++k)
    for (std::size_t j = 0; j < ny; ++j)
      for (std::size_t i = 0; i < nx; ++i)
        field.values[grid.cell(i, j, k)] =
            300.0 + 2.0 * grid.centre(0, i) + 3.0 * grid.centre(1, j) + 5.0 * grid.centre(2, k);
  return field;
}

}  // namespace

TEST_CASE("sample_at: reproduces a linear field exactly between cell centres") {
  const CellField T = linear_field();
  // (3.1, 1.7, 2.2) lies inside the hull of the centres on every axis.
  const auto s = sample_at(T, {3.1, 1.7, 2.2});
  CHECK(s.value == doctest::Approx(300.0 + 2 * 3.1 + 3 * 1.7 + 5 * 2.2).epsilon(1e-13));
  CHECK(s.cell == grid.cell(2, 1, 1));
  // At a cell centre the probe returns that cell's value.
  CHECK(sample_at(T, {2.0, 2.5, 1.0}).value == T.values[grid.cell(1, 1, 0)]);
}

TEST_CASE("sample_at: boundary half-cells hold the outermost centre's value along that axis") {
  const CellField T = linear_field();
  // Corner half-cell of cell (0, 0, 0): exactly that cell's value.
  CHECK(sample_at(T, {0.2, 0.1, 0.3}).value == T.values[grid.cell(0, 0, 0)]);
  CHECK(sample_at(T, {0.0, 0.0, 0.0}).value == T.values[grid.cell(0, 0, 0)]);
  // The top corner (last node on every axis) belongs to the last cell.
  const auto top = sample_at(T, {6.0, 4.0, 4.0});
  CHECK(top.cell == grid.num_cells() - 1);
  CHECK(top.value == T.values[grid.num_cells() - 1]);
  // Face half-cell at x > 4.5 (last x centre): x clamped, y and z still interpolated.
  CHECK(sample_at(T, {5.5, 1.7, 2.2}).value ==
        doctest::Approx(300.0 + 2 * 4.5 + 3 * 1.7 + 5 * 2.2).epsilon(1e-13));
}

TEST_CASE("sample_at: a single cell along an axis is constant along it") {
  const RectilinearGrid slab({0.0, 1.0, 2.0}, {0.0, 1.0}, {0.0, 1.0});
  const CellField T{&slab, "temperature_K", {300.0, 310.0}};
  CHECK(sample_at(T, {1.0, 0.9, 0.1}).value == doctest::Approx(305.0).epsilon(1e-14));
  CHECK(sample_at(T, {1.0, 0.9, 0.1}).cell == 1);  // half-open: the node belongs above
}

TEST_CASE("sample_at: a point within kSurfaceTolerance_m outside the grid samples its face") {
  const CellField T = linear_field();
  CHECK(sample_at(T, {6.0 + 2e-10, 1.0, 1.0}).value == sample_at(T, {6.0, 1.0, 1.0}).value);
  CHECK(sample_at(T, {1.0, -2e-10, 1.0}).value == sample_at(T, {1.0, 0.0, 1.0}).value);
  CHECK_THROWS_AS(sample_at(T, {1.0, 1.0, 4.0 + 2 * cposim::postproc::kSurfaceTolerance_m}),
                  std::out_of_range);
}

TEST_CASE("sample_at: a point outside the grid throws out_of_range naming the point") {
  const CellField T = linear_field();
  CHECK_THROWS_AS(sample_at(T, {6.0001, 1.0, 1.0}), std::out_of_range);
  CHECK_THROWS_AS(sample_at(T, {1.0, -1e-9, 1.0}), std::out_of_range);
  CHECK_THROWS_AS(sample_at(T, {1.0, 1.0, NAN}), std::out_of_range);
  CHECK_THROWS_WITH_AS(sample_at(T, {7.0, 1.0, 1.0}),
                       "sample_at: point (7, 1, 1) m is outside the grid (0, 0, 0) m .. "
                       "(6, 4, 4) m",
                       std::out_of_range);
  CHECK_THROWS_AS(sample_at({&grid, "temperature_K", {1.0}}, {1.0, 1.0, 1.0}),
                  std::invalid_argument);
}

TEST_CASE("read_probes: keeps order and names, and names the probe that is outside") {
  const CellField T = linear_field();
  const auto readings = read_probes(T, {{"hot", {3.1, 1.7, 2.2}}, {"corner", {0.0, 0.0, 0.0}}});
  REQUIRE(readings.size() == 2);
  CHECK(readings[0].name == "hot");
  CHECK(readings[0].at_m == std::array<double, 3>{3.1, 1.7, 2.2});
  CHECK(readings[0].T_K == doctest::Approx(300.0 + 2 * 3.1 + 3 * 1.7 + 5 * 2.2).epsilon(1e-13));
  CHECK(readings[0].cell == grid.cell(2, 1, 1));
  CHECK(readings[1].name == "corner");
  CHECK(readings[1].cell == 0);
  CHECK_THROWS_WITH_AS(read_probes(T, {Probe{"lost", {9.0, 0.0, 0.0}}}),
                       doctest::Contains("probe 'lost': sample_at: point (9, 0, 0) m"),
                       std::out_of_range);
}
