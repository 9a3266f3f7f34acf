/// \file
/// Preconditioner reuse across transient steps (TransientOptions::setup_reuse_ratio, issue 18
/// item 5): far fewer set-ups than steps, the same answer as a set-up for every Δt within the
/// time-integration tolerance, and the energy accounting still exact.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "solver/transient.hpp"
#include "tests/support/owned_problem.hpp"

using namespace cposim;

namespace {

std::vector<double> nodes(int n, double length) {
  std::vector<double> x(static_cast<std::size_t>(n) + 1);
  for (int i = 0; i <= n; ++i) x[static_cast<std::size_t>(i)] = length * i / n;
  return x;
}

/// A 2 × 2 × 0.5 mm Si-like slab, 8 × 8 × 6 cells, 2 W in one corner column, h = 2e4 on top.
testing::OwnedProblem slab() {
  testing::OwnedProblem p(nodes(8, 2e-3), nodes(8, 2e-3), nodes(6, 0.5e-3));
  p.materials.push_back(testing::make_material(148, 148, 148));
  p.materials[0].rho_kg_per_m3 = 2330;
  p.materials[0].cp_J_per_kgK = 700;
  for (std::size_t k = 0; k < 6; ++k) p.power_W[k * 64] = 2.0 / 6.0;
  p.boundaries[5] = {solver::BoundaryKind::convection, 2e4, 300.0, 0.0};
  return p;
}

struct Run {
  solver::TransientReport report;
  std::vector<double> T;
};

Run run(solver::LinearSolverKind kind, double reuse_ratio) {
  const auto p = slab();
  solver::TransientOptions o;
  o.linear.kind = kind;
  o.dt_initial_s = 1e-6;
  o.tolerance_K = 0.05;
  o.setup_reuse_ratio = reuse_ratio;
  solver::TransientSolver ts(*p.grid, o);
  Run r;
  r.T.assign(p.grid->num_cells(), 300.0);
  r.report = ts.run(p.view(), r.T, 0.0, {0.05, 0.1}, nullptr, nullptr);
  return r;
}

double max_diff(const std::vector<double>& a, const std::vector<double>& b) {
  double d = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) d = std::max(d, std::fabs(a[i] - b[i]));
  return d;
}

}  // namespace

TEST_CASE("transient reuse: direct reuses its factorisation (automatic ratio)") {
  const Run reuse = run(solver::LinearSolverKind::direct, 0.0);  // automatic: 4 for direct
  const Run fresh = run(solver::LinearSolverKind::direct, 1.0);
  REQUIRE(reuse.report.completed);
  REQUIRE(fresh.report.completed);
  CHECK(reuse.report.steps == fresh.report.steps);  // the step sequence does not depend on it
  CHECK(fresh.report.setups >= reuse.report.steps / 2);
  CHECK(reuse.report.setups * 4 <= reuse.report.steps);  // far below the number of steps
  // Both solve each step to the linear tolerance: they differ by round-off of the solves, far
  // inside the time-integration tolerance (0.05 K per step).
  CHECK(max_diff(reuse.T, fresh.T) <= 1e-6);
  CHECK(reuse.report.energy_relative <= 1e-9);
  CHECK(reuse.report.linear_converged);
}

TEST_CASE("transient reuse: gmg_cg with an explicit ratio matches a set-up per Δt") {
  const Run reuse = run(solver::LinearSolverKind::gmg_cg, 4.0);
  const Run fresh = run(solver::LinearSolverKind::gmg_cg, 0.0);  // automatic: 1 for gmg_cg
  REQUIRE(reuse.report.completed);
  REQUIRE(fresh.report.completed);
  CHECK(reuse.report.setups * 4 <= reuse.report.steps);
  CHECK(fresh.report.setups > 2 * reuse.report.setups);
  CHECK(max_diff(reuse.T, fresh.T) <= 1e-6);
  CHECK(reuse.report.energy_relative <= 1e-9);
}

TEST_CASE("transient reuse: a ratio in (0, 1) is refused") {
  const auto p = slab();
  solver::TransientOptions o;
  o.setup_reuse_ratio = 0.5;
  CHECK_THROWS_AS(solver::TransientSolver(*p.grid, o), std::invalid_argument);
}
