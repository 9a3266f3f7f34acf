/// \file
/// Solver names, the availability of hypre, and the residual norms.
#include "solver/linear/linear_solver.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "solver/linear/blocked_sum.hpp"

namespace cposim::solver {
using detail::blocked_sum;
using detail::kParallelMinRows;
using detail::num_reduction_blocks;

std::string to_string(LinearSolverKind kind) {
  const auto i = static_cast<std::size_t>(kind);
  return i < kLinearSolverNames.size() ? kLinearSolverNames[i] : "unknown";
}

bool has_amg() {
#ifdef CPOSIM_WITH_HYPRE
  return true;
#else
  return false;
#endif
}

double ResidualNorms::roundoff_relative() const {
  return kRoundoffUnits * std::numeric_limits<double>::epsilon() * scale / (b > 0.0 ? b : 1.0);
}

ResidualNorms residual_norms(const SparseMatrix& A, const Eigen::VectorXd& b,
                             const Eigen::VectorXd& x) {
  const int* outer = A.outerIndexPtr();
  const int* cols = A.innerIndexPtr();
  const double* vals = A.valuePtr();
  // Per row: r_i and (|b| + |A||x|)_i, kept for the ordered sums.
  Eigen::VectorXd r(b.size()), s(b.size());
#pragma omp parallel for schedule(static) if (b.size() > kParallelMinRows)
  for (Eigen::Index row = 0; row < b.size(); ++row) {
    double ri = b[row], si = std::abs(b[row]);
    for (int e = outer[row]; e < outer[row + 1]; ++e) {
      const double t = vals[e] * x[cols[e]];
      ri -= t;
      si += std::abs(t);
    }
    r[row] = ri;
    s[row] = si;
  }
  std::vector<double> sums(static_cast<std::size_t>(num_reduction_blocks(b.size())));
  ResidualNorms n;
  n.r = std::sqrt(blocked_sum(b.size(), sums, [&](Eigen::Index i) { return r[i] * r[i]; }));
  n.b = std::sqrt(blocked_sum(b.size(), sums, [&](Eigen::Index i) { return b[i] * b[i]; }));
  n.scale = std::sqrt(blocked_sum(b.size(), sums, [&](Eigen::Index i) { return s[i] * s[i]; }));
  return n;
}

bool settled_before_iterating(const char* who, const SparseMatrix& A, const Eigen::VectorXd& b,
                              Eigen::VectorXd& x, double relative_tolerance,
                              Eigen::VectorXd& residual, LinearSolveResult& result) {
  const Eigen::Index n = A.rows();
  if (b.size() != n || (x.size() != n && x.size() != 0))
    throw std::invalid_argument(std::string(who) + ": matrix has " + std::to_string(n) +
                                " rows, b has " + std::to_string(b.size()) + " entries, x has " +
                                std::to_string(x.size()));
  if (x.size() == 0) x.setZero(n);
  const double b_norm = b.norm();
  if (b_norm == 0.0) {
    x.setZero();
    result.converged = true;
    return true;
  }
  residual = b;
  residual.noalias() -= A * x;
  result.relative_residual = residual.norm() / b_norm;
  result.converged = result.relative_residual <= relative_tolerance;
  return result.converged;
}

}  // namespace cposim::solver
