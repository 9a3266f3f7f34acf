#pragma once
/// \file
/// TransientSolver's state between runs (the linear solver and its set-up, the matrix of the
/// last set-up). Its run and the phases of a step are in transient_run.cpp. Internal to solver.

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>

#include "solver/linear/stale_pcg.hpp"
#include "solver/linear_system.hpp"
#include "solver/transient.hpp"

namespace cposim::solver {

struct TransientSolver::Impl {
  /// hold_steps -1 with a solver whose set-up costs more than a step's solve (direct, amg_cg).
  static constexpr int kHoldCostlySetup = 4;
  /// setup_reuse_ratio 0 with `direct`: γ within this factor of the factorised one reuses it.
  static constexpr double kAutoReuseDirect = 4.0;

  TransientOptions options;
  LinearSystem system;
  std::unique_ptr<LinearSolver> linear;
  SparseMatrix M;                     ///< A + γ C, the matrix the preconditioner was set up for
  std::vector<Eigen::Index> diag_at;  ///< position of each diagonal entry in M's values
  double gamma = std::numeric_limits<double>::quiet_NaN();  ///< γ of the current set-up
  SparseMatrix M_op;  ///< A + γ_op C for a CG preconditioned by the set-up of γ (stale_pcg)
  double gamma_op = std::numeric_limits<double>::quiet_NaN();
  std::unique_ptr<StalePcg> stale;

  Impl(const mesh::RectilinearGrid& grid, TransientOptions o) : options(o), system(grid) {}

  /// TransientOptions::hold_steps, resolved (-1: by the cost of a set-up of the solver).
  int hold_steps() const {
    if (options.hold_steps >= 0) return options.hold_steps;
    const LinearSolverKind k = linear->kind();
    return k == LinearSolverKind::gmg_cg || k == LinearSolverKind::jacobi_cg ? 1 : kHoldCostlySetup;
  }
  /// Constant k: γ may use the set-up of s.gamma (TransientOptions::setup_reuse_ratio).
  bool can_reuse(double g) const {
    double ratio = options.setup_reuse_ratio;
    if (ratio == 0.0) ratio = linear->kind() == LinearSolverKind::direct ? kAutoReuseDirect : 1.0;
    return ratio > 1.0 && std::isfinite(gamma) && linear->has_preconditioner() &&
           std::max(g / gamma, gamma / g) <= ratio;
  }
  /// Solves (A + g C) x = rhs by CG preconditioned with the set-up of `gamma`.
  LinearSolveResult solve_stale(const SparseMatrix& A, const std::vector<double>& C, double g,
                                const Eigen::VectorXd& rhs, Eigen::VectorXd& x) {
    if (!(g == gamma_op) || M_op.nonZeros() != A.nonZeros()) {
      if (M_op.nonZeros() != A.nonZeros()) M_op = A;
      std::copy(A.valuePtr(), A.valuePtr() + A.nonZeros(), M_op.valuePtr());
      for (std::size_t c = 0; c < C.size(); ++c) M_op.valuePtr()[diag_at[c]] += g * C[c];
      gamma_op = g;
    }
    if (!stale) stale = std::make_unique<StalePcg>(options.linear);
    // A reused factorisation iterates to round-off, as accurate as a direct solve.
    const bool exact = linear->kind() == LinearSolverKind::direct;
    return stale->solve(M_op, *linear, rhs, x, exact ? 0.0 : options.linear.relative_tolerance);
  }

  /// A Picard correction M δ = r from δ = 0 (M the set-up matrix): with gmg_cg and η above the
  /// tolerance, first to η (TransientOptions::inexact_picard), continued to the full tolerance
  /// when that fails or max |δ| ≤ final_change_K (the correction may end the iteration).
  LinearSolveResult correct(const Eigen::VectorXd& r, Eigen::VectorXd& delta, double eta,
                            double final_change_K) {
    delta.setZero();
    const bool loose = options.inexact_picard && linear->kind() == LinearSolverKind::gmg_cg &&
                       eta > options.linear.relative_tolerance;
    if (!loose) return linear->solve(r, delta);
    if (!stale) stale = std::make_unique<StalePcg>(options.linear);
    LinearSolveResult first = stale->solve(M, *linear, r, delta, eta);
    if (first.cancelled || (first.converged && delta.cwiseAbs().maxCoeff() > final_change_K))
      return first;
    LinearSolveResult full = linear->solve(r, delta);
    full.iterations += first.iterations;
    full.solve_s += first.solve_s;
    full.setup_s += first.setup_s;
    return full;
  }

  /// One call of TransientSolver::run (transient_run.cpp).
  struct Run;
};

}  // namespace cposim::solver
