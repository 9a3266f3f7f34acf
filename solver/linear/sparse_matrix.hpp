#pragma once
/// \file
/// The matrix type every linear solver here consumes.

#include <Eigen/SparseCore>

namespace cposim::solver {

/// Row-major CSR with 32-bit indices: the layout every linear solver here consumes.
using SparseMatrix = Eigen::SparseMatrix<double, Eigen::RowMajor, int>;

}  // namespace cposim::solver
