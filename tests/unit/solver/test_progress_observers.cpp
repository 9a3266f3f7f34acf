/// \file
/// The progress observers: LinearSolverOptions::on_iteration (throttled by
/// progress_interval_s, always called once at the end of a solve with the solve's own
/// iteration count and residual) in jacobi_cg and gmg_cg, and SteadyOptions::on_phase.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "solver/steady.hpp"
#include "tests/support/owned_problem.hpp"

using namespace cposim;

namespace {

/// A 12 × 10 × 8 slab with a hot corner cell and a convective top: enough for tens of CG
/// iterations.
testing::OwnedProblem slab() {
  testing::OwnedProblem p(testing::stretched_nodes(0, 1e-3, 12),
                          testing::stretched_nodes(0, 1e-3, 10),
                          testing::stretched_nodes(0, 2e-4, 8));
  p.materials = {testing::make_material(100, 100, 10)};
  p.power_W[0] = 1.0;
  p.boundaries[5].kind = solver::BoundaryKind::convection;
  p.boundaries[5].h_W_per_m2K = 1e4;
  p.boundaries[5].T_K = 300.0;
  return p;
}

struct Observed {
  std::vector<std::pair<int, double>> iterations;
  std::vector<std::string> phases;
  solver::SolveReport report;
};

Observed solve(solver::LinearSolverKind kind, double interval_s) {
  const auto p = slab();
  Observed o;
  solver::SteadyOptions options;
  options.linear.kind = kind;
  options.linear.progress_interval_s = interval_s;
  options.linear.on_iteration = [&o](int it, double r) { o.iterations.emplace_back(it, r); };
  options.on_phase = [&o](const char* phase) { o.phases.emplace_back(phase); };
  std::vector<double> T;
  o.report = solver::solve_steady(p.view(), options, T);
  return o;
}

}  // namespace

TEST_CASE("on_iteration: every iteration with interval 0, then the end of the solve") {
  for (const auto kind : {solver::LinearSolverKind::jacobi_cg, solver::LinearSolverKind::gmg_cg}) {
    CAPTURE(solver::to_string(kind));
    const Observed o = solve(kind, 0.0);
    REQUIRE(o.report.converged);
    const int n = o.report.linear_iterations;
    REQUIRE(n > 1);
    // n per-iteration calls 1..n, then the final report of the solve.
    REQUIRE(o.iterations.size() == static_cast<std::size_t>(n) + 1);
    for (int i = 0; i < n; ++i) {
      CHECK(o.iterations[static_cast<std::size_t>(i)].first == i + 1);
      CHECK(std::isfinite(o.iterations[static_cast<std::size_t>(i)].second));
      CHECK(o.iterations[static_cast<std::size_t>(i)].second > 0.0);
    }
    CHECK(o.iterations.back().first == n);
    CHECK(o.iterations.back().second == o.report.relative_residual);
    CHECK(o.phases == std::vector<std::string>{"assembly", "setup", "solve"});
  }
}

TEST_CASE("on_iteration: a long interval leaves only the end-of-solve report") {
  for (const auto kind : {solver::LinearSolverKind::jacobi_cg, solver::LinearSolverKind::gmg_cg}) {
    CAPTURE(solver::to_string(kind));
    const Observed o = solve(kind, 1e9);
    REQUIRE(o.iterations.size() == 1);
    CHECK(o.iterations[0].first == o.report.linear_iterations);
  }
}
