#pragma once
/// \file
/// Linear solvers for the SPD thermal system, behind one small interface (the solvers include
/// it; solver/linear/factory.hpp makes one from its kind).

#include <Eigen/Core>
#include <array>
#include <atomic>
#include <chrono>
#include <functional>
#include <limits>
#include <memory>
#include <string>

#include "solver/linear/sparse_matrix.hpp"

namespace cposim::solver {

enum class LinearSolverKind {
  automatic,  ///< gmg_cg at every size (benchmarks/solver_choice), amg_cg if it stagnates
  amg_cg,     ///< CG preconditioned by hypre BoomerAMG (needs CPOSIM_WITH_HYPRE)
  gmg_cg,     ///< CG preconditioned by geometric multigrid with z-line smoothing (own code)
  jacobi_cg,  ///< CG with diagonal preconditioner: the simple reference
  direct,     ///< sparse Cholesky (Eigen SimplicialLDLT); small systems only
};

/// The names of the kinds in enum order: case files, the command line, reports.
inline constexpr std::array<const char*, 5> kLinearSolverNames = {"auto", "amg_cg", "gmg_cg",
                                                                  "jacobi_cg", "direct"};

/// Name used in case files, on the command line and in reports ("amg_cg", ...).
std::string to_string(LinearSolverKind kind);

/// Every kind, in the order case-file errors, `cposim --help` and --solver errors list them.
inline constexpr std::array<LinearSolverKind, 5> kLinearSolverKinds = {
    LinearSolverKind::automatic, LinearSolverKind::amg_cg, LinearSolverKind::gmg_cg,
    LinearSolverKind::jacobi_cg, LinearSolverKind::direct};

struct LinearSolverOptions {
  LinearSolverKind kind = LinearSolverKind::automatic;
  double relative_tolerance = 1e-10;  ///< stop when ‖b − A x‖₂ ≤ tol · ‖b‖₂
  int max_iterations = 20000;
  /// A solve that stagnates above the tolerance and the round-off floor still converges
  /// ("settled") when its last restart pass, which solved A δ = b − A x for the error δ of x
  /// from the true residual, moved x by at most this much (max norm, units of x: K for the
  /// thermal system, V for the electrical one). gmg_cg only. 1e-7 K is far below any figure a
  /// report shows, and above the 5e-9 K by which such runs differ from a tighter solve.
  double settled_change = 1e-7;
  /// Cancellation request, lent (may be null): when it reads true, iterative solvers stop at
  /// their next iteration and report `cancelled`; set it e.g. from a SIGINT handler. Solvers
  /// that cannot be interrupted (hypre's) are only checked between solves.
  const std::atomic<bool>* cancel = nullptr;
  /// Progress observer (may be empty): called on the solving thread with the iteration count
  /// and the relative residual ‖r‖₂/‖b‖₂ of the iteration (CG's recursive residual), at most
  /// once per `progress_interval_s` and once at the end of every solve. hypre's solver cannot
  /// be observed between iterations: it reports once per solve. Must not throw.
  std::function<void(int iteration, double relative_residual)> on_iteration;
  double progress_interval_s = 0.2;
};

/// True if `options` carries a cancellation request that has been made.
inline bool cancel_requested(const LinearSolverOptions& options) {
  return options.cancel != nullptr && options.cancel->load(std::memory_order_relaxed);
}

/// Throttles LinearSolverOptions::on_iteration inside an iterative solver. Without an
/// observer each call is one branch; with one, a clock read per iteration. Never allocates.
class IterationObserver {
 public:
  explicit IterationObserver(const LinearSolverOptions& options)
      : options_(options), last_(std::chrono::steady_clock::now()) {}
  /// Reports iteration `iteration` if progress_interval_s has passed since the last report.
  void iteration(int iteration, double relative_residual) {
    if (!options_.on_iteration) return;
    const auto now = std::chrono::steady_clock::now();
    if (std::chrono::duration<double>(now - last_).count() < options_.progress_interval_s) return;
    last_ = now;
    options_.on_iteration(iteration, relative_residual);
  }
  /// Reports the end of a solve (always, if there is an observer).
  void finish(int iterations, double relative_residual) const {
    if (options_.on_iteration) options_.on_iteration(iterations, relative_residual);
  }

 private:
  const LinearSolverOptions& options_;
  std::chrono::steady_clock::time_point last_;
};

/// The residual attainable in double precision, in units of ε·‖|b| + |A||x|‖₂. Computing
/// r = b − A x in floating point already errs by up to γ_m (|b| + |A||x|) componentwise, with
/// m ≤ 8 terms per row of the 7-point system (Higham, Accuracy and Stability of Numerical
/// Algorithms, 2nd ed., §3.5: γ_m ≈ m ε), and a recursively updated CG residual drifts from the
/// true one by a further few ε‖A‖‖x‖ (Greenbaum, SIAM J. Matrix Anal. Appl. 18 (1997) 535).
/// Below 64 ε‖|b| + |A||x|‖₂ no iteration can lower the true residual reliably: x is then as
/// accurate as the arithmetic allows (a relative backward error of ~1e-14).
inline constexpr double kRoundoffUnits = 64.0;

/// ‖b‖₂, ‖b − A x‖₂ and ‖|b| + |A||x|‖₂ (the size of the terms that cancel in the residual;
/// large against ‖b‖ when absolute temperatures of a few hundred K meet big conductances).
struct ResidualNorms {
  double b = 0.0, r = 0.0, scale = 0.0;
  /// ‖r‖/‖b‖ (‖b‖ = 0 counts as 1).
  double relative() const { return r / (b > 0.0 ? b : 1.0); }
  /// The attainable relative residual: kRoundoffUnits ε ‖|b| + |A||x|‖₂ / ‖b‖₂.
  double roundoff_relative() const;
};

/// The three norms in one pass over A (deterministic blocked sums; allocates a work vector).
ResidualNorms residual_norms(const SparseMatrix& A, const Eigen::VectorXd& b,
                             const Eigen::VectorXd& x);

/// What one solve did. Filled on every return, converged or not.
///
/// Converged means: the true relative residual meets `relative_tolerance`, or it is at the
/// round-off floor of the system (ResidualNorms::roundoff_relative) — then `at_roundoff` says
/// so: a tighter tolerance cannot be met in double precision and x is as accurate as it gets.
struct LinearSolveResult {
  bool converged = false;
  int iterations = 0;
  double relative_residual = 0.0;  ///< ‖b − A x‖₂ / ‖b‖₂, recomputed after the solve
  /// The attainable relative residual of this system at this x (ResidualNorms).
  double roundoff_residual = 0.0;
  bool at_roundoff = false;  ///< converged at the round-off floor, above relative_tolerance
  /// Stopped before max_iterations without converging: the residual stopped decreasing above
  /// both the tolerance and the round-off floor (raising max_iterations would not help).
  bool stagnated = false;
  /// Converged because x stopped changing: stagnated above the tolerance and the round-off
  /// floor, but the last restart pass moved x by ≤ LinearSolverOptions::settled_change.
  bool settled = false;
  /// max |Δx| of the last restart pass that met its recursive target: the size of the error
  /// of x that further iterations could still remove (∞ if no such pass ran).
  double restart_change = std::numeric_limits<double>::infinity();
  double setup_s = 0.0;  ///< preconditioner or factorisation set-up in this call
  double solve_s = 0.0;
  bool cancelled = false;  ///< stopped early by LinearSolverOptions::cancel (not converged)
};

/// The start every solve() shares. Checks the sizes (std::invalid_argument naming `who`),
/// gives an empty x zeros, and settles two cases without iterating: a zero right-hand side
/// (x = 0 exactly, where ‖b − A x‖/‖b‖ would be 0/0) and a warm start that already meets
/// `relative_tolerance` (e.g. the last Picard steps of a nonlinear solve: one product instead
/// of a preconditioned iteration). Returns true when `result` is final; otherwise
/// result.relative_residual holds the warm start's. `residual` is scratch of A's size.
bool settled_before_iterating(const char* who, const SparseMatrix& A, const Eigen::VectorXd& b,
                              Eigen::VectorXd& x, double relative_tolerance,
                              Eigen::VectorXd& residual, LinearSolveResult& result);

/// A solver for A x = b with A symmetric positive definite.
///
/// Usage: setup(A) once per matrix, then solve() any number of times (warm starts: the
/// set-up is reused and x carries the previous solution in). Never prints, never exits.
class LinearSolver {
 public:
  virtual ~LinearSolver() = default;
  /// The kind actually used (never `automatic`).
  virtual LinearSolverKind kind() const = 0;
  /// Prepares for `A` (lent; must stay alive and unchanged until the next setup()).
  /// Returns the set-up wall time in seconds.
  virtual double setup(const SparseMatrix& A) = 0;
  /// setup(A) for an `A` that differs from the matrix of the last setup() on its diagonal
  /// only (the same pattern and off-diagonal values: a transient's A + γC for a new γ), which
  /// a solver may exploit (gmg_cg rebuilds only its diagonals). The same preconditioner as
  /// setup(A) would build. Default, and before any setup(): setup(A).
  virtual double update_diagonal(const SparseMatrix& A) { return setup(A); }
  /// Solves A x = b; x is the initial guess on entry and the solution on return.
  virtual LinearSolveResult solve(const Eigen::VectorXd& b, Eigen::VectorXd& x) = 0;
  /// True if apply_preconditioner() works: the preconditioner of the last setup() can serve
  /// a CG on another SPD matrix of the same pattern (solver/linear/stale_pcg.hpp).
  virtual bool has_preconditioner() const { return false; }
  /// z = B r with B the fixed SPD preconditioner of the last setup() (one multigrid cycle,
  /// D⁻¹, ...). Only if has_preconditioner(). Allocates nothing.
  virtual void apply_preconditioner(const Eigen::VectorXd& r, Eigen::VectorXd& z) {
    (void)r;
    (void)z;
  }
};

/// True if this build has hypre (amg_cg available).
bool has_amg();

}  // namespace cposim::solver
