/// \file
/// Unit tests of AmgCgSolver (hypre BoomerAMG-PCG) against Eigen's sparse Cholesky on small,
/// hard SPD systems: strong anisotropy, coefficient jumps and weak Robin terms.
#include <doctest/doctest.h>

#include <Eigen/SparseCholesky>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "solver/linear/amg_cg.hpp"
#include "solver/linear_system.hpp"

using namespace cposim::solver;

namespace {

/// A 7-point finite-volume operator on an nx × ny × nz grid with unit lateral spacing:
/// lateral face coefficients are the harmonic mean of the two cells' k, vertical ones the same
/// times `z_coupling`. k has strong jumps: 1 in the bulk, 1e3 in a "copper" block and 1e-2 in an
/// "air" layer. A weak Robin-like term on the bottom plane and a strong one on the top plane
/// (the cold plate) make the matrix SPD.
SparseMatrix layered_operator(int nx, int ny, int nz, double z_coupling, double diagonal_shift) {
  const auto index = [&](int i, int j, int k) { return i + nx * (j + ny * k); };
  const auto conductivity = [&](int i, int j, int k) {
    if (k == nz / 2 - 1) return 1e-2;                                         // air layer
    if (i >= nx / 4 && i < nx / 2 && j >= ny / 4 && k >= nz / 2) return 1e3;  // copper block
    return 1.0;
  };
  const auto harmonic = [](double a, double b) { return 2.0 * a * b / (a + b); };

  std::vector<Eigen::Triplet<double, int>> entries;
  for (int k = 0; k < nz; ++k) {
    for (int j = 0; j < ny; ++j) {
      for (int i = 0; i < nx; ++i) {
        const int row = index(i, j, k);
        const double kc = conductivity(i, j, k);
        double diagonal = diagonal_shift;
        const auto couple = [&](int i2, int j2, int k2, double factor) {
          const double g = factor * harmonic(kc, conductivity(i2, j2, k2));
          entries.emplace_back(row, index(i2, j2, k2), -g);
          diagonal += g;
        };
        if (i > 0) couple(i - 1, j, k, 1.0);
        if (i + 1 < nx) couple(i + 1, j, k, 1.0);
        if (j > 0) couple(i, j - 1, k, 1.0);
        if (j + 1 < ny) couple(i, j + 1, k, 1.0);
        if (k > 0) couple(i, j, k - 1, z_coupling);
        if (k + 1 < nz) couple(i, j, k + 1, z_coupling);
        if (k == 0) diagonal += 1e-3 * z_coupling * kc;  // weak bottom Robin term
        if (k == nz - 1) diagonal += z_coupling * kc;    // strong top Robin term
        entries.emplace_back(row, row, diagonal);
      }
    }
  }
  SparseMatrix A(nx * ny * nz, nx * ny * nz);
  A.setFromTriplets(entries.begin(), entries.end());
  A.makeCompressed();
  return A;
}

/// Power in a central block of one plane (a die), as a finite-volume right-hand side.
Eigen::VectorXd block_source(int nx, int ny, int nz) {
  Eigen::VectorXd b = Eigen::VectorXd::Zero(nx * ny * nz);
  const int k = nz / 2;
  for (int j = ny / 3; j < 2 * ny / 3; ++j)
    for (int i = nx / 3; i < 2 * nx / 3; ++i) b[i + nx * (j + ny * k)] = 1.0;
  return b;
}

/// A smooth source with both signs everywhere: excites every scale.
Eigen::VectorXd wave_source(Eigen::Index n) {
  Eigen::VectorXd b(n);
  for (Eigen::Index i = 0; i < n; ++i) b[i] = std::sin(0.37 * static_cast<double>(i)) + 0.1;
  return b;
}

Eigen::VectorXd direct_solve(const SparseMatrix& A, const Eigen::VectorXd& b) {
  const Eigen::SparseMatrix<double> A_col = A;
  Eigen::SimplicialLDLT<Eigen::SparseMatrix<double>> ldlt(A_col);
  REQUIRE(ldlt.info() == Eigen::Success);
  return ldlt.solve(b);
}

double relative_error(const Eigen::VectorXd& x, const Eigen::VectorXd& reference) {
  return (x - reference).norm() / reference.norm();
}

constexpr int nx = 20, ny = 20, nz = 10;  // 4000 cells
constexpr double z_coupling = 1e4;        // vertical coefficients 1e4 × the lateral ones

LinearSolverOptions amg_options(double rtol, int max_iterations = 200) {
  LinearSolverOptions options;
  options.kind = LinearSolverKind::amg_cg;
  options.relative_tolerance = rtol;
  options.max_iterations = max_iterations;
  return options;
}

}  // namespace

TEST_CASE("AmgCgSolver: matches SimplicialLDLT to 1e-8 at rtol 1e-12 on an anisotropic jump") {
  const SparseMatrix A = layered_operator(nx, ny, nz, z_coupling, 0.0);
  const Eigen::VectorXd b = block_source(nx, ny, nz);
  const Eigen::VectorXd reference = direct_solve(A, b);

  AmgCgSolver solver(amg_options(1e-12));
  CHECK(solver.kind() == LinearSolverKind::amg_cg);
  CHECK(solver.setup(A) >= 0.0);
  Eigen::VectorXd x;  // empty: zero initial guess
  const LinearSolveResult result = solver.solve(b, x);
  CHECK(result.converged);
  CHECK(result.iterations > 0);
  CHECK(result.relative_residual <= 1e-12 * 1.5);  // true residual; the test is on PCG's own
  CHECK(result.setup_s == 0.0);
  CHECK(result.solve_s > 0.0);
  CHECK(relative_error(x, reference) <= 1e-8);
}

TEST_CASE("AmgCgSolver: a converged warm start takes at most one iteration") {
  const SparseMatrix A = layered_operator(nx, ny, nz, z_coupling, 0.0);
  const Eigen::VectorXd b = block_source(nx, ny, nz);
  AmgCgSolver solver(amg_options(1e-10));
  solver.setup(A);
  Eigen::VectorXd x = Eigen::VectorXd::Zero(A.rows());
  const LinearSolveResult cold = solver.solve(b, x);
  REQUIRE(cold.converged);

  const Eigen::VectorXd first = x;
  const LinearSolveResult warm = solver.solve(b, x);
  CHECK(warm.converged);
  CHECK(warm.iterations <= 1);
  CHECK(warm.relative_residual <= 1e-10);
  CHECK(relative_error(x, first) <= 1e-9);
}

TEST_CASE("AmgCgSolver: one set-up serves several right-hand sides") {
  const SparseMatrix A = layered_operator(nx, ny, nz, z_coupling, 0.0);
  const Eigen::VectorXd b1 = block_source(nx, ny, nz);
  const Eigen::VectorXd b2 = wave_source(A.rows());
  AmgCgSolver solver(amg_options(1e-12));
  solver.setup(A);

  Eigen::VectorXd x1 = Eigen::VectorXd::Zero(A.rows());
  Eigen::VectorXd x2 = Eigen::VectorXd::Zero(A.rows());
  const LinearSolveResult r1 = solver.solve(b1, x1);
  const LinearSolveResult r2 = solver.solve(b2, x2);
  CHECK(r1.converged);
  CHECK(r2.converged);
  CHECK(r2.setup_s == 0.0);
  CHECK(relative_error(x1, direct_solve(A, b1)) <= 1e-8);
  CHECK(relative_error(x2, direct_solve(A, b2)) <= 1e-8);
}

TEST_CASE("AmgCgSolver: a second setup() replaces the matrix, even with another size") {
  AmgCgSolver solver(amg_options(1e-12));
  const SparseMatrix A1 = layered_operator(nx, ny, nz, z_coupling, 0.0);
  solver.setup(A1);
  Eigen::VectorXd x1;
  solver.solve(block_source(nx, ny, nz), x1);

  // Transient-like: a capacity term on the diagonal, on a different grid.
  const SparseMatrix A2 = layered_operator(12, 10, 8, z_coupling, 5.0);
  const Eigen::VectorXd b2 = wave_source(A2.rows());
  solver.setup(A2);
  Eigen::VectorXd x2;
  const LinearSolveResult result = solver.solve(b2, x2);
  CHECK(result.converged);
  CHECK(relative_error(x2, direct_solve(A2, b2)) <= 1e-8);
}

TEST_CASE("AmgCgSolver: at most 30 iterations at rtol 1e-10 on the anisotropic problem") {
  const SparseMatrix A = layered_operator(nx, ny, nz, z_coupling, 0.0);
  AmgCgSolver solver(amg_options(1e-10));
  solver.setup(A);
  for (const Eigen::VectorXd& b : {block_source(nx, ny, nz), wave_source(A.rows())}) {
    Eigen::VectorXd x;
    const LinearSolveResult result = solver.solve(b, x);
    CHECK(result.converged);
    CHECK(result.iterations <= 30);
    CHECK(result.relative_residual <= 1e-10 * 1.5);
  }
}

TEST_CASE("AmgCgSolver: non-convergence is reported, not thrown") {
  const SparseMatrix A = layered_operator(nx, ny, nz, z_coupling, 0.0);
  const Eigen::VectorXd b = block_source(nx, ny, nz);
  const Eigen::VectorXd reference = direct_solve(A, b);
  const auto energy_error = [&](const Eigen::VectorXd& x) {
    const Eigen::VectorXd e = x - reference;
    return std::sqrt(e.dot(A * e));
  };
  AmgCgSolver solver(amg_options(1e-10, 1));
  solver.setup(A);
  Eigen::VectorXd x = Eigen::VectorXd::Zero(A.rows());
  LinearSolveResult result;
  CHECK_NOTHROW(result = solver.solve(b, x));
  CHECK_FALSE(result.converged);
  CHECK(result.iterations == 1);
  CHECK(std::isfinite(result.relative_residual));
  CHECK(result.relative_residual > 1e-10);

  // The solver stays usable: the next solve continues from x, and CG never increases the
  // energy norm of the error.
  const double error_after_one = energy_error(x);
  const LinearSolveResult next = solver.solve(b, x);
  CHECK_FALSE(next.converged);
  CHECK(next.iterations == 1);
  CHECK(energy_error(x) < error_after_one);
}

TEST_CASE("AmgCgSolver: b = 0 gives x = 0 without iterating") {
  const SparseMatrix A = layered_operator(6, 5, 4, z_coupling, 0.0);
  AmgCgSolver solver(amg_options(1e-10));
  solver.setup(A);
  Eigen::VectorXd x = Eigen::VectorXd::Ones(A.rows());
  const LinearSolveResult result = solver.solve(Eigen::VectorXd::Zero(A.rows()), x);
  CHECK(result.converged);
  CHECK(result.iterations == 0);
  CHECK(result.relative_residual == 0.0);
  CHECK(x.isZero(0.0));
}

TEST_CASE("AmgCgSolver: rejects bad options, misuse and mismatched sizes") {
  CHECK_THROWS_AS(AmgCgSolver(amg_options(-1.0)), std::invalid_argument);
  CHECK_THROWS_AS(AmgCgSolver(amg_options(1e-8, 0)), std::invalid_argument);

  AmgCgSolver solver(amg_options(1e-8));
  Eigen::VectorXd x;
  CHECK_THROWS_AS(solver.solve(Eigen::VectorXd::Ones(4), x), std::logic_error);
  CHECK_THROWS_AS(solver.setup(SparseMatrix(3, 4)), std::invalid_argument);
  CHECK_THROWS_AS(solver.setup(SparseMatrix(0, 0)), std::invalid_argument);

  const SparseMatrix A = layered_operator(6, 5, 4, z_coupling, 0.0);
  solver.setup(A);
  CHECK_THROWS_AS(solver.solve(Eigen::VectorXd::Ones(A.rows() + 1), x), std::invalid_argument);
  Eigen::VectorXd wrong_guess = Eigen::VectorXd::Zero(A.rows() - 1);
  CHECK_THROWS_AS(solver.solve(Eigen::VectorXd::Ones(A.rows()), wrong_guess),
                  std::invalid_argument);
}

TEST_CASE("make_amg_cg_solver: returns an amg_cg solver") {
  const auto solver = make_amg_cg_solver(amg_options(1e-8));
  REQUIRE(solver != nullptr);
  CHECK(solver->kind() == LinearSolverKind::amg_cg);
}
