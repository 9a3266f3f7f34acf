#pragma once
/// \file
/// Conjugate gradients preconditioned by hypre BoomerAMG (solver-measurements.md §0).

#include <memory>

#include "solver/linear/linear_solver.hpp"

namespace cposim::solver {

/// hypre PCG (two-norm criterion) preconditioned by one BoomerAMG V-cycle per iteration, on
/// one MPI rank through the IJ/ParCSR interface.
///
/// AMG settings are the measured ones (solver-measurements.md §0, recommendation 1): strong
/// threshold 0.5, one level of aggressive coarsening, HMIS coarsening, ext+i interpolation
/// truncated to 4 entries per row, l1-Gauss-Seidel down/up and Gaussian elimination on the
/// coarsest level. They give 19–25 iterations at rtol 1e-8 on the CPO package from 0.1 to 10 M
/// cells.
///
/// MPI and hypre lifetime: the first AmgCgSolver constructed in a process calls MPI_Init_thread
/// (MPI_THREAD_FUNNELED, no argc/argv) if MPI_Initialized says MPI is not running, then
/// HYPRE_Init. A function-local static guard undoes both at normal process exit: HYPRE_Finalize,
/// then MPI_Finalize only if this module initialised MPI. Hence: construct and use solvers on
/// one thread (MPI_THREAD_FUNNELED); if the application initialises MPI itself, it must destroy
/// every AmgCgSolver before its own MPI_Finalize. Each solver works on MPI_COMM_SELF, so a
/// program started under mpirun solves its whole system on every rank instead of mixing ranks.
///
/// Not copyable. Never prints; hypre's print levels are 0.
class AmgCgSolver final : public LinearSolver {
 public:
  /// Keeps `options.relative_tolerance` (≥ 0) and `options.max_iterations` (≥ 1); `kind` is
  /// ignored. Initialises MPI and hypre on first use (see the class comment).
  /// Throws std::invalid_argument for bad options and std::runtime_error if MPI cannot be
  /// initialised (e.g. it was already finalised).
  explicit AmgCgSolver(const LinearSolverOptions& options);
  /// Frees every hypre object this solver created.
  ~AmgCgSolver() override;
  AmgCgSolver(const AmgCgSolver&) = delete;
  AmgCgSolver& operator=(const AmgCgSolver&) = delete;

  /// Always LinearSolverKind::amg_cg.
  LinearSolverKind kind() const override;

  /// Copies `A` (square, SPD, lent: must stay alive and unchanged until the next setup(), because
  /// solve() recomputes the residual with it) into a hypre IJ/ParCSR matrix and builds the AMG
  /// hierarchy. A second call discards everything built for the previous matrix.
  /// Returns the wall time in seconds (copy plus AMG set-up).
  /// Throws std::invalid_argument if `A` is empty or not square, std::runtime_error if hypre
  /// fails (e.g. out of memory).
  double setup(const SparseMatrix& A) override;

  /// Solves A x = b by PCG, starting from `x` (size n; an empty `x` means a zero guess).
  /// Stops when the PCG residual satisfies ‖r‖₂ ≤ rtol·‖b‖₂ or after max_iterations.
  /// `converged` is hypre's verdict on that criterion; `relative_residual` is the true
  /// ‖b − A x‖₂/‖b‖₂, recomputed here, and may exceed rtol slightly through rounding.
  /// If `x` already satisfies the criterion, returns it with 0 iterations. If b = 0, sets x = 0.
  /// Never throws on non-convergence or breakdown (converged = false).
  /// Throws std::logic_error before setup(), std::invalid_argument on size mismatch.
  LinearSolveResult solve(const Eigen::VectorXd& b, Eigen::VectorXd& x) override;

 private:
  struct Hypre;  ///< hypre handles and work arrays; keeps hypre's headers out of this one

  LinearSolverOptions options_;
  const SparseMatrix* A_ = nullptr;  ///< lent by setup()
  std::unique_ptr<Hypre> hypre_;
};

/// The factory behind make_linear_solver() for LinearSolverKind::amg_cg (same contract as the
/// AmgCgSolver constructor).
std::unique_ptr<LinearSolver> make_amg_cg_solver(const LinearSolverOptions& options);

}  // namespace cposim::solver
