#pragma once
/// \file
/// The 7-point finite-volume system A θ = b on a rectilinear grid, θ = T − T_shift.
/// The sparsity pattern is built once per grid; assembly only overwrites values.

#include <Eigen/SparseCore>
#include <vector>

#include "mesh/rectilinear_grid.hpp"
#include "solver/linear/sparse_matrix.hpp"
#include "solver/thermal_problem.hpp"

namespace cposim::solver {

/// Matrix and right-hand side for one grid. Rows are cells in the grid's order. Each row has
/// its own entries only (diagonal plus up to six neighbours, columns sorted).
class LinearSystem {
 public:
  /// Builds the pattern for `grid` (lent, must outlive this object).
  explicit LinearSystem(const mesh::RectilinearGrid& grid);

  /// Fills A and b for `problem` (same grid) with conductivities at temperatures `T_K`
  /// (one per cell; ignored for constant-k materials) and unknown θ = T − T_shift_K.
  /// OpenMP-parallel over rows; each row is written by one thread, so the result is bitwise
  /// identical for any thread count. Allocates nothing.
  void assemble(const ThermalProblem& problem, const std::vector<double>& T_K, double T_shift_K);

  const SparseMatrix& matrix() const { return A_; }
  const Eigen::VectorXd& rhs() const { return b_; }

 private:
  const mesh::RectilinearGrid* grid_;
  SparseMatrix A_;
  Eigen::VectorXd b_;
};

}  // namespace cposim::solver
