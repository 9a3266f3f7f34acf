/// \file
/// Step policy of the adaptive transient (issue 18 item 5): hold_steps by the cost of a set-up
/// (automatic: 1 for gmg_cg, 4 for direct) and the optional ramp from a small first step
/// (TransientOptions::ramp_factor: while the error estimate is far below the tolerance, Δt
/// grows at every accepted step instead of waiting hold_steps steps). The answers stay within
/// the tolerance of the old policy and the energy accounting stays exact.
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

/// What differs from the TransientOptions defaults.
struct Policy {
  solver::LinearSolverKind kind = solver::LinearSolverKind::gmg_cg;
  int hold_steps = solver::TransientOptions{}.hold_steps;
  double ramp_factor = solver::TransientOptions{}.ramp_factor;
};
/// The step policy before issue 18 item 5: Δt held 4 steps per growth.
Policy old_policy(solver::LinearSolverKind kind) { return {kind, 4, 0.0}; }

/// From 300 K to 0.1 s.
Run run(const Policy& policy) {
  const auto p = slab();
  solver::TransientOptions o;
  o.linear.kind = policy.kind;
  o.dt_initial_s = 1e-6;
  o.tolerance_K = 0.05;
  o.hold_steps = policy.hold_steps;
  o.ramp_factor = policy.ramp_factor;
  solver::TransientSolver ts(*p.grid, o);
  Run r;
  r.T.assign(p.grid->num_cells(), 300.0);
  r.report = ts.run(p.view(), r.T, 0.0, {0.1}, nullptr, nullptr);
  return r;
}

double max_diff(const std::vector<double>& a, const std::vector<double>& b) {
  double d = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) d = std::max(d, std::fabs(a[i] - b[i]));
  return d;
}

}  // namespace

TEST_CASE("transient step policy: gmg_cg grows Δt whenever the estimate allows") {
  const Run old = run(old_policy(solver::LinearSolverKind::gmg_cg));
  const Run now = run(Policy{});  // hold_steps automatic: 1 for gmg_cg
  REQUIRE(old.report.completed);
  REQUIRE(now.report.completed);
  MESSAGE("old: " << old.report.steps << " steps, " << old.report.setups << " set-ups; now: "
                  << now.report.steps << " steps, " << now.report.setups << " set-ups");
  CHECK(old.report.steps >= 65);  // measured 71
  CHECK(now.report.steps <= 55);  // measured 52
  CHECK(now.report.rejected_steps <= 1);
  CHECK(now.report.max_error_estimate_K <= 0.05);
  // Both meet the same per-step tolerance; their answers agree to a fraction of it.
  CHECK(max_diff(now.T, old.T) <= 0.05);
  CHECK(now.report.energy_relative <= 1e-9);
}

TEST_CASE("transient step policy: the ramp skips the hold far below the tolerance") {
  // direct: hold_steps automatic is 4 (a factorisation costs more than a step's solve).
  Policy held{solver::LinearSolverKind::direct};
  held.ramp_factor = 0.0;
  const Run off = run(held);
  Policy ramp{solver::LinearSolverKind::direct};
  ramp.ramp_factor = 2.0;  // off by default (see TransientOptions::ramp_factor)
  const Run on = run(ramp);
  REQUIRE(off.report.completed);
  REQUIRE(on.report.completed);
  MESSAGE("ramp off: " << off.report.steps << " steps; on: " << on.report.steps << " steps");
  CHECK(off.report.steps >= 65);  // measured 71
  CHECK(on.report.steps <= 62);   // measured 60
  CHECK(max_diff(on.T, off.T) <= 0.05);
  CHECK(on.report.energy_relative <= 1e-9);
}

TEST_CASE("transient step policy: a negative ramp_factor or hold_steps below -1 is refused") {
  const auto p = slab();
  solver::TransientOptions o;
  o.ramp_factor = -1.0;
  CHECK_THROWS_AS(solver::TransientSolver(*p.grid, o), std::invalid_argument);
  o.ramp_factor = 0.0;
  o.hold_steps = -2;
  CHECK_THROWS_AS(solver::TransientSolver(*p.grid, o), std::invalid_argument);
}
