/// \file
/// Issue 23 item 5: `auto` is chosen by measurement (benchmarks/solver_choice): gmg_cg at every
/// size, including the 18,400-cell case that spent 47 s in the direct solver's set-up.
#include <doctest/doctest.h>

#include <array>

#include "solver/linear/factory.hpp"

using namespace cposim::solver;

TEST_CASE("auto picks gmg_cg at every size, never the direct solver") {
  LinearSolverOptions options;
  options.kind = LinearSolverKind::automatic;
  for (const std::array<std::size_t, 3> cells :
       {std::array<std::size_t, 3>{4, 3, 2}, std::array<std::size_t, 3>{40, 23, 20},
        std::array<std::size_t, 3>{150, 154, 45}}) {
    CAPTURE(cells[0] * cells[1] * cells[2]);
    CHECK(make_linear_solver(options, cells)->kind() == LinearSolverKind::gmg_cg);
  }
  options.kind = LinearSolverKind::direct;  // an explicit choice is kept
  CHECK(make_linear_solver(options, {40, 23, 20})->kind() == LinearSolverKind::direct);
}
