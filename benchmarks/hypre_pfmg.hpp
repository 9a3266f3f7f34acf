#pragma once
/// \file
/// PfmgCgSolver: hypre's Struct PCG preconditioned by PFMG, one MPI rank. Benchmark-only: the
/// reference that solver_scaling compares the product solvers against (issue 4); it is not a
/// LinearSolverKind and make_linear_solver() never creates it. Needs CPOSIM_WITH_HYPRE.

#include <array>
#include <cstddef>
#include <memory>

#include "solver/linear/linear_solver.hpp"

namespace cposim::benchmarks {

/// CG preconditioned by one PFMG V-cycle on a hypre Struct grid (one box, MPI_COMM_SELF).
///
/// setup(A) copies the 7-point CSR of solver::LinearSystem into a Struct matrix with full
/// (non-symmetric) storage of all 7 stencil entries and sets up PCG + PFMG; solve() copies b and
/// the warm start x in, x out, and recomputes the true relative residual with the CSR.
/// PFMG settings: hypre 2.26's defaults, set explicitly, except the smoother: Galerkin coarse
/// operators (RAP 0), symmetric red-black Gauss-Seidel (relax 2: RB before, BR after, so the
/// V-cycle stays symmetric for CG), 1 pre- and 1 post-sweep, SkipRelax 1; one V-cycle per
/// application (MaxIter 1, Tol 0, zero initial guess). Red-black GS instead of hypre's default
/// weighted Jacobi because it is the stronger reference here: on the generated CPO package it
/// took 41 against 53 iterations at 1 M cells (30 against 32 at 0.1 M) and ~30 % less time.
/// PCG uses the two-norm test ‖r‖₂ ≤ rtol·‖b‖₂ with no absolute tolerance.
class PfmgCgSolver : public solver::LinearSolver {
 public:
  /// `cells_per_axis` is the grid of the matrices given to setup() (x fastest, then y, z).
  /// Initialises MPI (if nobody has) and hypre on first use; finalises them at exit if it did.
  PfmgCgSolver(const solver::LinearSolverOptions& options,
               const std::array<std::size_t, 3>& cells_per_axis);
  ~PfmgCgSolver() override;
  PfmgCgSolver(const PfmgCgSolver&) = delete;
  PfmgCgSolver& operator=(const PfmgCgSolver&) = delete;

  /// Returns LinearSolverKind::automatic: this benchmark-only class has no product kind, and
  /// the benchmark never asks for it.
  solver::LinearSolverKind kind() const override;
  double setup(const solver::SparseMatrix& A) override;
  solver::LinearSolveResult solve(const Eigen::VectorXd& b, Eigen::VectorXd& x) override;

 private:
  struct Hypre;
  solver::LinearSolverOptions options_;
  std::array<std::size_t, 3> cells_;
  const solver::SparseMatrix* A_ = nullptr;
  std::unique_ptr<Hypre> hypre_;
};

}  // namespace cposim::benchmarks
