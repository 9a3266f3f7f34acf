#pragma once
/// \file
/// Conjugate gradients on a matrix with the preconditioner of another: a transient step's
/// A + γC with the set-up made for A + γ_s C (TransientOptions::setup_reuse_ratio). Any fixed
/// SPD preconditioner keeps CG convergent; a stale one only costs iterations, and the stopping
/// test is the true residual of the current matrix, so the answer meets the same tolerance.

#include <Eigen/Core>
#include <vector>

#include "solver/linear/linear_solver.hpp"

namespace cposim::solver {

/// PCG work storage, allocated by reserve() (or on the first solve), reused by every solve.
class StalePcg {
 public:
  explicit StalePcg(const LinearSolverOptions& options) : options_(options) {}

  /// Solves A x = b by CG preconditioned with `preconditioner` (has_preconditioner() true),
  /// from x (the initial guess). Stops when ‖b − A x‖₂ ≤ max(relative_tolerance·‖b‖₂, the
  /// round-off floor of ResidualNorms) holds for the recursive residual and then for the true
  /// one (at most two restarts from the true residual). relative_tolerance 0: to the round-off
  /// floor (what a direct solve gives). Deterministic for any thread count; allocates only
  /// when n changes (and the residual checks' work vectors, twice per solve).
  LinearSolveResult solve(const SparseMatrix& A, LinearSolver& preconditioner,
                          const Eigen::VectorXd& b, Eigen::VectorXd& x, double relative_tolerance);

 private:
  LinearSolverOptions options_;
  Eigen::VectorXd r_, z_, p_, q_;
  std::vector<double> block_sums_;
};

}  // namespace cposim::solver
