/// \file
/// Jacobi-CG and direct solvers.
#include "solver/linear/jacobi_cg.hpp"

#include <Eigen/SparseCholesky>
#include <chrono>
#include <cmath>
#include <stdexcept>

#include "solver/linear/blocked_sum.hpp"

namespace cposim::solver {
namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

using detail::blocked_sum;
using detail::kParallelMinRows;
using detail::num_reduction_blocks;
using detail::update_cg_direction;

/// q = A p, row-parallel.
void spmv(const SparseMatrix& A, const Eigen::VectorXd& p, Eigen::VectorXd& q) {
  const int* outer = A.outerIndexPtr();
  const int* cols = A.innerIndexPtr();
  const double* vals = A.valuePtr();
  const Eigen::Index n = A.rows();
#pragma omp parallel for schedule(static) if (n > kParallelMinRows)
  for (Eigen::Index row = 0; row < n; ++row) {
    double s = 0.0;
    for (int e = outer[row]; e < outer[row + 1]; ++e) s += vals[e] * p[cols[e]];
    q[row] = s;
  }
}

}  // namespace

double relative_residual(const SparseMatrix& A, const Eigen::VectorXd& b,
                         const Eigen::VectorXd& x) {
  return residual_norms(A, b, x).relative();
}

double JacobiCgSolver::setup(const SparseMatrix& A) {
  const auto t0 = Clock::now();
  A_ = &A;
  const Eigen::Index n = A.rows();
  inv_diag_.resize(n);
  r_.resize(n);
  z_.resize(n);
  p_.resize(n);
  q_.resize(n);
  block_sums_.assign(static_cast<std::size_t>(num_reduction_blocks(n)), 0.0);
  const int* outer = A.outerIndexPtr();
  const int* cols = A.innerIndexPtr();
  const double* vals = A.valuePtr();
#pragma omp parallel for schedule(static) if (n > kParallelMinRows)
  for (Eigen::Index row = 0; row < n; ++row) {
    double d = 0.0;
    for (int e = outer[row]; e < outer[row + 1]; ++e)
      if (cols[e] == row) d = vals[e];
    inv_diag_[row] = 1.0 / d;
  }
  return seconds_since(t0);
}

LinearSolveResult JacobiCgSolver::solve(const Eigen::VectorXd& b, Eigen::VectorXd& x) {
  if (A_ == nullptr) throw std::invalid_argument("JacobiCgSolver: solve() before setup()");
  const auto t0 = Clock::now();
  const SparseMatrix& A = *A_;
  const Eigen::Index n = b.size();
  LinearSolveResult result;
  const double bnorm =
      std::sqrt(blocked_sum(n, block_sums_, [&](Eigen::Index i) { return b[i] * b[i]; }));
  const double target = options_.relative_tolerance * (bnorm > 0.0 ? bnorm : 1.0);
  spmv(A, x, q_);
  double rz = 0.0;
  double rr = blocked_sum(n, block_sums_, [&](Eigen::Index i) {
    r_[i] = b[i] - q_[i];
    z_[i] = inv_diag_[i] * r_[i];
    p_[i] = z_[i];
    return r_[i] * r_[i];
  });
  rz = blocked_sum(n, block_sums_, [&](Eigen::Index i) { return r_[i] * z_[i]; });
  int it = 0;
  IterationObserver observer(options_);
  while (std::sqrt(rr) > target && it < options_.max_iterations) {
    if (cancel_requested(options_)) {
      result.cancelled = true;
      break;
    }
    spmv(A, p_, q_);
    const double pq = blocked_sum(n, block_sums_, [&](Eigen::Index i) { return p_[i] * q_[i]; });
    const double alpha = rz / pq;
    // Fused: x += αp, r −= αq, z = D⁻¹ r, accumulate r·r.
    rr = blocked_sum(n, block_sums_, [&](Eigen::Index i) {
      x[i] += alpha * p_[i];
      r_[i] -= alpha * q_[i];
      z_[i] = inv_diag_[i] * r_[i];
      return r_[i] * r_[i];
    });
    update_cg_direction(r_, z_, p_, rz, block_sums_);
    ++it;
    observer.iteration(it, std::sqrt(rr) / (bnorm > 0.0 ? bnorm : 1.0));
  }
  result.iterations = it;
  result.solve_s = seconds_since(t0);
  const ResidualNorms norms = residual_norms(A, b, x);
  result.relative_residual = norms.relative();
  result.roundoff_residual = norms.roundoff_relative();
  const bool met = result.relative_residual <= options_.relative_tolerance * (1.0 + 1e-6) ||
                   std::sqrt(rr) <= target;
  result.at_roundoff = !met && result.relative_residual <= result.roundoff_residual;
  result.converged = !result.cancelled && (met || result.at_roundoff);
  observer.finish(it, result.relative_residual);
  return result;
}

struct DirectSolver::Factor {
  Eigen::SparseMatrix<double> A_col;
  Eigen::SimplicialLDLT<Eigen::SparseMatrix<double>> ldlt;
};

DirectSolver::DirectSolver() : factor_(new Factor) {}
DirectSolver::~DirectSolver() { delete factor_; }

double DirectSolver::setup(const SparseMatrix& A) {
  const auto t0 = Clock::now();
  A_ = &A;
  factor_->A_col = A;
  factor_->ldlt.compute(factor_->A_col);
  if (factor_->ldlt.info() != Eigen::Success)
    throw std::runtime_error("DirectSolver: factorisation failed (matrix not SPD?)");
  return seconds_since(t0);
}

LinearSolveResult DirectSolver::solve(const Eigen::VectorXd& b, Eigen::VectorXd& x) {
  if (A_ == nullptr) throw std::invalid_argument("DirectSolver: solve() before setup()");
  const auto t0 = Clock::now();
  x = factor_->ldlt.solve(b);
  LinearSolveResult result;
  result.iterations = 1;
  result.solve_s = seconds_since(t0);
  const ResidualNorms norms = residual_norms(*A_, b, x);
  result.relative_residual = norms.relative();
  result.roundoff_residual = norms.roundoff_relative();
  result.converged =
      factor_->ldlt.info() == Eigen::Success && std::isfinite(result.relative_residual);
  return result;
}

void DirectSolver::apply_preconditioner(const Eigen::VectorXd& r, Eigen::VectorXd& z) {
  z = factor_->ldlt.solve(r);
}

}  // namespace cposim::solver
