#pragma once
/// \file
/// Conjugate gradients preconditioned by a geometric multigrid cycle built for layered package
/// grids: z-line smoothing and lateral (x–y) semi-coarsening. The algorithm is described in
/// gmg_cg.cpp.

#include <array>
#include <cstddef>
#include <memory>

#include "solver/linear/linear_solver.hpp"

namespace cposim::solver {

/// PCG with one geometric multigrid cycle per iteration as the preconditioner, for the 7-point
/// matrix that LinearSystem assembles on an nx × ny × nz rectilinear grid.
///
/// Preconditioner: a V(1,1) cycle of red–black z-line Gauss–Seidel (forward before, reverse
/// after the coarse correction, so the cycle is symmetric positive definite), lateral
/// aggregation of columns (pairs in x and/or y, chosen from the couplings; z kept) with 7-point
/// coarse operators, down to a single column, which the line solve inverts exactly. The
/// iteration count barely depends on cell aspect ratios, conductivity contrasts or grid size
/// (11–15 at rtol 1e-8 on package problems of 0.1–4 M cells; 21 at rtol 1e-10 on HotSpot's ev6
/// floorplan, 38 with its 1 µm gaps unsnapped); gmg_cg.cpp has the reasoning.
///
/// Deterministic: every loop writes each entry from one thread and every dot product is summed
/// over fixed blocks in a fixed order, so results are bitwise identical for any number of OpenMP
/// threads. All work storage is allocated by setup(); solve() allocates nothing. Never prints.
/// Memory: 88 bytes per cell on the finest level plus 56 per coarse-level cell, about 110–160
/// bytes per cell in all (grid_complexity() 1.33–2.2; up to ~3.1, ~210 bytes per cell, on
/// floorplan imports whose fine and coarse bands cross), on top of the caller's matrix.
class GmgCgSolver final : public LinearSolver {
 public:
  /// Keeps `options.relative_tolerance` (≥ 0) and `options.max_iterations` (≥ 1); `kind` is
  /// ignored. `cells_per_axis` = {nx, ny, nz} of the grid (each ≥ 1), cells ordered
  /// i + nx·(j + ny·k) as in mesh::RectilinearGrid.
  /// Throws std::invalid_argument for bad options or a zero cell count.
  GmgCgSolver(const LinearSolverOptions& options, std::array<std::size_t, 3> cells_per_axis);
  ~GmgCgSolver() override;
  GmgCgSolver(const GmgCgSolver&) = delete;
  GmgCgSolver& operator=(const GmgCgSolver&) = delete;

  /// Always LinearSolverKind::gmg_cg.
  LinearSolverKind kind() const override { return LinearSolverKind::gmg_cg; }

  /// Copies the stencil of `A` into the solver's own layout and builds the multigrid hierarchy.
  /// `A` (lent) must stay alive and unchanged until the next setup(), because solve() recomputes
  /// the final residual with it. `A` must be the symmetric positive definite 7-point matrix of
  /// the grid given to the constructor, with LinearSystem's pattern (n = nx·ny·nz rows, each
  /// with its diagonal and the couplings to existing x, y, z neighbours; explicit zeros are
  /// fine, so are missing couplings). A second call rebuilds the hierarchy for the new values.
  /// Returns the wall time in seconds.
  /// Throws std::invalid_argument if `A` does not have that shape, is not symmetric (relative
  /// 1e-12) or has a diagonal entry that is not positive and finite, std::runtime_error if a
  /// column of the hierarchy is not positive definite (A is not an M-matrix with a sink).
  double setup(const SparseMatrix& A) override;
  /// setup(A) for an `A` whose off-diagonal values and pattern are those of the last setup()'s
  /// matrix (not checked): keeps the hierarchy's plan and couplings and rebuilds the diagonals
  /// and the column factorisations, bit for bit what setup(A) builds (benchmarks/transient_cost:
  /// about a third of setup()'s time). setup(A) if there was none or the size differs.
  double update_diagonal(const SparseMatrix& A) override;

  /// Solves A x = b by PCG, starting from `x` (size n; an empty `x` means a zero guess).
  /// Stops when the recursively updated residual satisfies ‖r‖₂ ≤ rtol·‖b‖₂, then recomputes the
  /// true residual and, if it does not satisfy the criterion, restarts from it (at most twice).
  /// `converged` says whether the criterion holds for the residual recomputed from x;
  /// `relative_residual` is the true ‖b − A x‖₂/‖b‖₂ computed with `A` itself. If `x` already
  /// satisfies the criterion, returns with 0 iterations; if b = 0, sets x = 0.
  /// Never throws on non-convergence or breakdown (converged = false).
  /// Throws std::logic_error before setup(), std::invalid_argument on a size mismatch.
  LinearSolveResult solve(const Eigen::VectorXd& b, Eigen::VectorXd& x) override;

  /// True after setup(): one V(1,1) cycle of the hierarchy can precondition another matrix.
  bool has_preconditioner() const override { return A_ != nullptr; }
  /// z = one V(1,1) cycle of the last setup()'s hierarchy applied to r (natural order).
  void apply_preconditioner(const Eigen::VectorXd& r, Eigen::VectorXd& z) override;

  /// Number of grid levels built by the last setup() (0 before), the finest included.
  std::size_t num_levels() const;
  /// Cells on all levels / cells on the finest level, for the last setup() (0 before): the
  /// factor by which the hierarchy's memory and cycle work exceed the finest level's.
  double grid_complexity() const;

 private:
  struct Hierarchy;  ///< levels and PCG work vectors (defined in gmg_cg.cpp)

  LinearSolverOptions options_;
  std::array<std::size_t, 3> cells_per_axis_;
  const SparseMatrix* A_ = nullptr;  ///< lent by setup()
  std::unique_ptr<Hierarchy> hierarchy_;
};

/// The factory behind make_linear_solver() for LinearSolverKind::gmg_cg (same contract as the
/// GmgCgSolver constructor).
std::unique_ptr<LinearSolver> make_gmg_cg_solver(const LinearSolverOptions& options,
                                                 const std::array<std::size_t, 3>& cells_per_axis);

}  // namespace cposim::solver
