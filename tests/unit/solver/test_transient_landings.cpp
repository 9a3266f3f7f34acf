/// \file
/// Landing times that differ by round-off (a waveform point k·slot next to an output time)
/// are merged: no step of ~1e-16 s, every time still output, the result unchanged.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "solver/transient.hpp"
#include "tests/support/owned_problem.hpp"

using namespace cposim;

namespace {

/// Two cells along x, convection on x_max, 0.5 W in cell 0 (as in test_transient_2cell.cpp).
testing::OwnedProblem two_cells() {
  testing::OwnedProblem p({0.0, 1e-3, 3e-3}, {0.0, 1e-3}, {0.0, 1e-3});
  p.materials.push_back(testing::make_material(10, 10, 10));
  p.materials.push_back(testing::make_material(50, 50, 50));
  for (auto& m : p.materials) {
    m.rho_kg_per_m3 = 2000;
    m.cp_J_per_kgK = 800;
  }
  p.regions = {0, 1};
  p.power_W = {0.5, 0.0};
  p.boundaries[1] = {solver::BoundaryKind::convection, 5000.0, 300.0, 0.0};
  return p;
}

solver::TransientReport run(const std::vector<double>& times, std::vector<double>& T,
                            std::vector<double>& output_times) {
  const auto p = two_cells();
  solver::TransientOptions o;
  o.linear.kind = solver::LinearSolverKind::direct;
  o.dt_initial_s = 1e-3;
  solver::TransientSolver ts(*p.grid, o);
  T.assign(2, 300.0);
  return ts.run(p.view(), T, 0.0, times, nullptr,
                [&](double t, const std::vector<double>&) { output_times.push_back(t); });
}

}  // namespace

TEST_CASE("transient: landing times within round-off are merged, not stepped to") {
  // 3 × 0.05 summed is 0.15000000000000002; 0.15 is an output: 2.8e-17 s apart.
  const double twin = 0.05 + 0.05 + 0.05;
  REQUIRE(twin != 0.15);
  std::vector<double> T_twin, T_plain, out_twin, out_plain;
  const auto rep = run({0.1, 0.15, twin, 0.3}, T_twin, out_twin);
  const auto ref = run({0.1, 0.15, 0.3}, T_plain, out_plain);
  CHECK(rep.completed);
  CHECK(rep.merged_landings == 1);
  CHECK(ref.merged_landings == 0);
  CHECK(rep.dt_smallest_s > 1e-6);  // before: a step of 2.8e-17 s
  CHECK(rep.steps == ref.steps);
  REQUIRE(out_twin.size() == 4);
  CHECK(out_twin[2] == twin);  // every landing time is still reported, in order
  for (int c = 0; c < 2; ++c) CHECK(T_twin[c] == doctest::Approx(T_plain[c]).epsilon(1e-14));
  CHECK(rep.energy_relative <= 1e-10);
}
