#pragma once
/// \file
/// Conjugate gradients with a diagonal (Jacobi) preconditioner: the simple reference solver.

#include <vector>

#include "solver/linear/linear_solver.hpp"

namespace cposim::solver {

/// Jacobi-preconditioned CG on the CSR matrix, OpenMP-parallel SpMV and fused vector updates.
/// Dot products are summed over fixed blocks of 4096 entries in a fixed order, so results are
/// bitwise identical for any thread count. All work vectors are allocated in setup().
class JacobiCgSolver final : public LinearSolver {
 public:
  explicit JacobiCgSolver(const LinearSolverOptions& options) : options_(options) {}
  LinearSolverKind kind() const override { return LinearSolverKind::jacobi_cg; }
  double setup(const SparseMatrix& A) override;
  LinearSolveResult solve(const Eigen::VectorXd& b, Eigen::VectorXd& x) override;
  bool has_preconditioner() const override { return A_ != nullptr; }
  void apply_preconditioner(const Eigen::VectorXd& r, Eigen::VectorXd& z) override {
    z = inv_diag_.cwiseProduct(r);
  }

 private:
  LinearSolverOptions options_;
  const SparseMatrix* A_ = nullptr;
  Eigen::VectorXd inv_diag_, r_, z_, p_, q_;
  std::vector<double> block_sums_;
};

/// Sparse Cholesky (Eigen SimplicialLDLT): exact up to round-off; memory grows fast with size.
class DirectSolver final : public LinearSolver {
 public:
  DirectSolver();
  ~DirectSolver() override;
  LinearSolverKind kind() const override { return LinearSolverKind::direct; }
  double setup(const SparseMatrix& A) override;
  LinearSolveResult solve(const Eigen::VectorXd& b, Eigen::VectorXd& x) override;
  /// The factorisation of the last setup() is an exact inverse there, a strong one nearby.
  bool has_preconditioner() const override { return A_ != nullptr; }
  void apply_preconditioner(const Eigen::VectorXd& r, Eigen::VectorXd& z) override;

 private:
  struct Factor;
  const SparseMatrix* A_ = nullptr;
  Factor* factor_;
};

/// ‖b − A x‖₂ / ‖b‖₂ (or ‖b − A x‖₂ when b = 0), deterministic for any thread count.
double relative_residual(const SparseMatrix& A, const Eigen::VectorXd& b, const Eigen::VectorXd& x);

}  // namespace cposim::solver
