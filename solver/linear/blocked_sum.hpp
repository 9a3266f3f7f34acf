#pragma once
/// \file
/// Deterministic parallel reductions over the rows of a linear system: fixed-size blocks summed
/// in parallel, then the block sums in order, so a sum is bitwise the same for any thread count.

#include <Eigen/Core>
#include <algorithm>
#include <vector>

namespace cposim::solver::detail {

/// Rows per reduction block. Fixed, so the summation order never depends on the thread count.
constexpr Eigen::Index kReductionBlock = 4096;
/// Below this many rows a parallel region costs more than it saves (and on a loaded machine a
/// waiting thread can cost milliseconds per region), so small systems run on one thread.
constexpr Eigen::Index kParallelMinRows = 20000;

/// Reduction blocks for n rows: the size a caller gives the `block_sums` scratch vector.
inline Eigen::Index num_reduction_blocks(Eigen::Index n) {
  return (n + kReductionBlock - 1) / kReductionBlock;
}

/// Σ_i f(i) for i in [0, n): per fixed block in parallel, then over the blocks in order.
/// `block_sums` must hold num_reduction_blocks(n) values (scratch, overwritten; no allocation).
template <class F>
double blocked_sum(Eigen::Index n, std::vector<double>& block_sums, F&& f) {
  const Eigen::Index nb = num_reduction_blocks(n);
#pragma omp parallel for schedule(static) if (n > kParallelMinRows)
  for (Eigen::Index blk = 0; blk < nb; ++blk) {
    const Eigen::Index end = std::min(n, (blk + 1) * kReductionBlock);
    double s = 0.0;
    for (Eigen::Index i = blk * kReductionBlock; i < end; ++i) s += f(i);
    block_sums[static_cast<std::size_t>(blk)] = s;
  }
  double total = 0.0;
  for (Eigen::Index blk = 0; blk < nb; ++blk) total += block_sums[static_cast<std::size_t>(blk)];
  return total;
}

/// The CG direction update of a preconditioned residual z: rz ← r·z (returned as the new
/// value), p ← z + (r·z_new / r·z_old) p. `rz` holds the previous r·z on entry.
inline void update_cg_direction(const Eigen::VectorXd& r, const Eigen::VectorXd& z,
                                Eigen::VectorXd& p, double& rz, std::vector<double>& block_sums) {
  const Eigen::Index n = r.size();
  const double rz_new = blocked_sum(n, block_sums, [&](Eigen::Index i) { return r[i] * z[i]; });
  const double beta = rz_new / rz;
  rz = rz_new;
#pragma omp parallel for schedule(static) if (n > kParallelMinRows)
  for (Eigen::Index i = 0; i < n; ++i) p[i] = z[i] + beta * p[i];
}

}  // namespace cposim::solver::detail
