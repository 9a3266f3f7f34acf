/// \file
/// PCG with a lent preconditioner (solver/linear/stale_pcg.hpp).
#include "solver/linear/stale_pcg.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include "solver/linear/blocked_sum.hpp"

namespace cposim::solver {
namespace {

using detail::blocked_sum;
using detail::kParallelMinRows;
using detail::num_reduction_blocks;
using detail::update_cg_direction;

constexpr int kMaxRestarts = 2;

/// q = A p; returns p·q (blocked).
double apply_and_dot(const SparseMatrix& A, const Eigen::VectorXd& p, Eigen::VectorXd& q,
                     std::vector<double>& sums) {
  const int* outer = A.outerIndexPtr();
  const int* cols = A.innerIndexPtr();
  const double* vals = A.valuePtr();
  return blocked_sum(A.rows(), sums, [&](Eigen::Index row) {
    double s = 0.0;
    for (int e = outer[row]; e < outer[row + 1]; ++e) s += vals[e] * p[cols[e]];
    q[row] = s;
    return p[row] * s;
  });
}

}  // namespace

LinearSolveResult StalePcg::solve(const SparseMatrix& A, LinearSolver& preconditioner,
                                  const Eigen::VectorXd& b, Eigen::VectorXd& x,
                                  double relative_tolerance) {
  const auto start = std::chrono::steady_clock::now();
  const Eigen::Index n = b.size();
  if (r_.size() != n) {
    r_.resize(n);
    z_.resize(n);
    p_.resize(n);
    q_.resize(n);
    block_sums_.assign(static_cast<std::size_t>(num_reduction_blocks(n)), 0.0);
  }
  LinearSolveResult result;
  const double bb = blocked_sum(n, block_sums_, [&](Eigen::Index i) { return b[i] * b[i]; });
  // The tolerance, but never below the round-off floor of the system (ResidualNorms), so
  // relative_tolerance 0 means: as accurate as the arithmetic allows.
  const ResidualNorms start_norms = residual_norms(A, b, x);
  const double floor = kRoundoffUnits * std::numeric_limits<double>::epsilon() * start_norms.scale;
  const double target = std::max(relative_tolerance * (bb > 0.0 ? std::sqrt(bb) : 1.0), floor);
  IterationObserver observer(options_);
  int it = 0;
  bool met = false;
  for (int pass = 0; pass <= kMaxRestarts && !met && !result.cancelled; ++pass) {
    // True residual r = b − A x.
    apply_and_dot(A, x, q_, block_sums_);
    double rr = blocked_sum(n, block_sums_, [&](Eigen::Index i) {
      r_[i] = b[i] - q_[i];
      return r_[i] * r_[i];
    });
    if (std::sqrt(rr) <= target) {
      met = true;
      break;
    }
    if (it >= options_.max_iterations || !std::isfinite(rr)) break;
    preconditioner.apply_preconditioner(r_, z_);
    double rz = blocked_sum(n, block_sums_, [&](Eigen::Index i) { return r_[i] * z_[i]; });
    p_ = z_;
    while (it < options_.max_iterations) {
      if (cancel_requested(options_)) {
        result.cancelled = true;
        break;
      }
      const double pq = apply_and_dot(A, p_, q_, block_sums_);
      if (!(pq > 0.0) || !(rz > 0.0) || !std::isfinite(pq)) break;
      const double alpha = rz / pq;
      rr = blocked_sum(n, block_sums_, [&](Eigen::Index i) {
        x[i] += alpha * p_[i];
        r_[i] -= alpha * q_[i];
        return r_[i] * r_[i];
      });
      ++it;
      observer.iteration(it, std::sqrt(rr) / (bb > 0.0 ? std::sqrt(bb) : 1.0));
      if (std::sqrt(rr) <= target || !std::isfinite(rr)) break;
      preconditioner.apply_preconditioner(r_, z_);
      update_cg_direction(r_, z_, p_, rz, block_sums_);
    }
    if (!(std::sqrt(rr) <= target)) break;  // max iterations, breakdown or cancel: no restart
  }
  result.iterations = it;
  const ResidualNorms norms = residual_norms(A, b, x);
  result.relative_residual = norms.relative();
  result.roundoff_residual = norms.roundoff_relative();
  met = met || result.relative_residual <= relative_tolerance * (1.0 + 1e-6);
  result.at_roundoff =
      !met && !result.cancelled && result.relative_residual <= result.roundoff_residual;
  result.converged =
      !result.cancelled && (met || result.at_roundoff) && std::isfinite(result.relative_residual);
  result.stagnated = !result.converged && !result.cancelled && it < options_.max_iterations;
  result.solve_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  observer.finish(it, result.relative_residual);
  return result;
}

}  // namespace cposim::solver
