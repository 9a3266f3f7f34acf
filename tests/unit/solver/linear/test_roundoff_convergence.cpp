/// \file
/// Convergence judged against the round-off floor (solver::ResidualNorms, kRoundoffUnits): a
/// tolerance below what double precision can reach converges at the floor and says so, with
/// the solution as accurate as the direct one; a solve stopped by max_iterations does not.
#include <doctest/doctest.h>

#include <Eigen/SparseCholesky>
#include <cmath>
#include <limits>
#include <vector>

#include "solver/linear/factory.hpp"
#include "solver/linear/gmg_cg.hpp"
#include "solver/linear/jacobi_cg.hpp"
#include "solver/linear_system.hpp"
#include "tests/support/owned_problem.hpp"

using namespace cposim;

namespace {

/// A 3-layer stack (a 1 µm film between silicon and copper; h = 2e4 on top), assembled in
/// absolute kelvin (shift 0): the residual then cancels terms ~1e4 times larger than b.
struct Stack {
  testing::OwnedProblem problem;
  solver::LinearSystem system;
  Stack()
      : problem(testing::stretched_nodes(0, 6e-3, 23), testing::stretched_nodes(0, 4e-3, 17),
                {0.0, 300e-6, 301e-6, 1.301e-3}),
        system(*problem.grid) {
    problem.materials = {testing::make_material(148, 148, 148),
                         testing::make_material(0.5, 0.5, 0.5),
                         testing::make_material(400, 400, 400)};
    const auto& g = *problem.grid;
    const auto [nx, ny, nz] = g.cells_per_axis();
    for (std::size_t k = 0; k < nz; ++k)
      for (std::size_t j = 0; j < ny; ++j)
        for (std::size_t i = 0; i < nx; ++i) {
          problem.regions[g.cell(i, j, k)] = static_cast<int>(k);
          if (k == 0 && i < nx / 2)
            problem.power_W[g.cell(i, j, k)] = 5.0 / static_cast<double>(nx / 2 * ny);
        }
    problem.boundaries[static_cast<int>(solver::DomainFace::z_max)] = {
        solver::BoundaryKind::convection, 2e4, 318.15, 0.0};
    system.assemble(problem.view(), std::vector<double>(g.num_cells(), 318.15), 0.0);
  }
};

solver::LinearSolverOptions options(solver::LinearSolverKind kind, double rtol, int max_it) {
  solver::LinearSolverOptions o;
  o.kind = kind;
  o.relative_tolerance = rtol;
  o.max_iterations = max_it;
  return o;
}

Eigen::VectorXd direct_solve(const solver::SparseMatrix& A, const Eigen::VectorXd& b) {
  const Eigen::SparseMatrix<double> A_col = A;
  Eigen::SimplicialLDLT<Eigen::SparseMatrix<double>> ldlt(A_col);
  REQUIRE(ldlt.info() == Eigen::Success);
  return ldlt.solve(b);
}

}  // namespace

TEST_CASE("residual norms: ||b||, ||b - A x|| and || |b| + |A||x| || by hand") {
  // A = [[2, -1], [-1, 2]], x = (1, 1), b = (1, 2): r = (0, 1), |b| + |A||x| = (4, 5).
  solver::SparseMatrix A(2, 2);
  A.insert(0, 0) = 2;
  A.insert(0, 1) = -1;
  A.insert(1, 0) = -1;
  A.insert(1, 1) = 2;
  A.makeCompressed();
  const Eigen::Vector2d x(1, 1), b(1, 2);
  const solver::ResidualNorms n = solver::residual_norms(A, b, x);
  CHECK(n.b == doctest::Approx(std::sqrt(5.0)).epsilon(1e-15));
  CHECK(n.r == doctest::Approx(1.0).epsilon(1e-15));
  CHECK(n.scale == doctest::Approx(std::sqrt(41.0)).epsilon(1e-15));
  CHECK(n.roundoff_relative() ==
        doctest::Approx(solver::kRoundoffUnits * std::numeric_limits<double>::epsilon() *
                        std::sqrt(41.0 / 5.0))
            .epsilon(1e-12));
}

TEST_CASE("a tolerance below double precision converges at the round-off floor, and says so") {
  const Stack s;
  const auto& A = s.system.matrix();
  const Eigen::VectorXd& b = s.system.rhs();
  const Eigen::VectorXd reference = direct_solve(A, b);
  for (const auto kind : {solver::LinearSolverKind::gmg_cg, solver::LinearSolverKind::jacobi_cg}) {
    CAPTURE(solver::to_string(kind));
    auto linear =
        solver::make_linear_solver(options(kind, 1e-19, 20000), s.problem.grid->cells_per_axis());
    linear->setup(A);
    Eigen::VectorXd x = Eigen::VectorXd::Zero(b.size());
    const solver::LinearSolveResult r = linear->solve(b, x);
    // The floor is a real limit here: absolute kelvin against a few watts.
    CHECK(r.roundoff_residual > 1e-19);
    CHECK(r.roundoff_residual < 1e-10);
    CHECK(r.converged);
    CHECK_FALSE(r.stagnated);
    if (kind == solver::LinearSolverKind::gmg_cg) {
      CHECK(r.at_roundoff);
      CHECK(r.relative_residual <= r.roundoff_residual);
      CHECK(r.iterations < 200);  // stopped at the floor, not at max_iterations
    }
    // As accurate as the direct solve: 1e-9 K on ~320 K.
    CHECK((x - reference).cwiseAbs().maxCoeff() < 1e-9);
  }
}

TEST_CASE("a solve stopped by max_iterations is neither converged nor at round-off") {
  const Stack s;
  solver::GmgCgSolver gmg(options(solver::LinearSolverKind::gmg_cg, 1e-12, 1),
                          s.problem.grid->cells_per_axis());
  gmg.setup(s.system.matrix());
  Eigen::VectorXd x = Eigen::VectorXd::Zero(s.system.rhs().size());
  const solver::LinearSolveResult r = gmg.solve(s.system.rhs(), x);
  CHECK_FALSE(r.converged);
  CHECK_FALSE(r.at_roundoff);
  CHECK_FALSE(r.stagnated);  // max_iterations ended it: more iterations would help
  CHECK(r.relative_residual > r.roundoff_residual);
  // A reachable tolerance converges without the floor.
  solver::GmgCgSolver enough(options(solver::LinearSolverKind::gmg_cg, 1e-8, 1000),
                             s.problem.grid->cells_per_axis());
  enough.setup(s.system.matrix());
  Eigen::VectorXd y = Eigen::VectorXd::Zero(s.system.rhs().size());
  const solver::LinearSolveResult ok = enough.solve(s.system.rhs(), y);
  CHECK(ok.converged);
  CHECK_FALSE(ok.at_roundoff);
  CHECK(ok.relative_residual <= 1e-8);
}

TEST_CASE("a restart pass measures the error of x: settled only when it is below settled_change") {
  // The stack in kelvin relative to the ambient (as the steady solver assembles it), solved to
  // tolerances from reachable to below double precision. Whenever a restart pass from the true
  // residual ran to its target, its largest change of x is the error that was left in x: the
  // final x is then at least as close to the direct solution (up to its own round-off).
  Stack s;
  s.system.assemble(s.problem.view(), std::vector<double>(s.problem.grid->num_cells(), 318.15),
                    318.15);
  const auto& A = s.system.matrix();
  const Eigen::VectorXd& b = s.system.rhs();
  const Eigen::VectorXd reference = direct_solve(A, b);
  int restarts_measured = 0;
  // From a far initial guess (1e10 K) the recursive residual drifts from the true one by
  // ~ε‖A‖‖x₀‖, far above the floor of the final x: the first pass ends early, a restart follows.
  for (const double rtol : {1e-11, 1e-12, 1e-13, 1e-14, 1e-15, 1e-16})
    for (const double x0 : {0.0, 1e10}) {
      CAPTURE(rtol);
      CAPTURE(x0);
      solver::LinearSolverOptions o = options(solver::LinearSolverKind::gmg_cg, rtol, 20000);
      o.settled_change = 1e-7;
      solver::GmgCgSolver gmg(o, s.problem.grid->cells_per_axis());
      gmg.setup(A);
      Eigen::VectorXd x = Eigen::VectorXd::Constant(b.size(), x0);
      const solver::LinearSolveResult r = gmg.solve(b, x);
      const double error = (x - reference).cwiseAbs().maxCoeff();
      CHECK(r.converged);
      CHECK(error < 1e-9);  // K on a rise of ~10 K
      if (std::isfinite(r.restart_change)) {
        ++restarts_measured;
        CHECK(error <= r.restart_change + 1e-11);
      }
      if (r.settled) {
        CHECK_FALSE(r.at_roundoff);
        CHECK(r.restart_change <= o.settled_change);
        CHECK(r.relative_residual > rtol);
      }
    }
  MESSAGE("restart passes measured: " << restarts_measured);
  CHECK(restarts_measured > 0);
}
