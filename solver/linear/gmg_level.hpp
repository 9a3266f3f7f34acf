#pragma once
/// \file
/// The level of GmgCgSolver's multigrid hierarchy (a 7-point operator stored by z-columns) and
/// the column kernels every phase of the solver shares: the fixed block partition and its
/// ordered sums, lateral neighbours, the tridiagonal line solve. Internal to solver/linear;
/// gmg_cg.cpp describes the algorithm.

#include <algorithm>
#include <array>
#include <cstddef>
#include <vector>

namespace cposim::solver::gmg {

/// Loops over fewer cells than this run on one thread: below it an OpenMP fork costs more than
/// the work. Results do not depend on it, because no loop's result depends on the thread count.
constexpr std::size_t kMinParallelCells = 20000;

/// Cells per block of the fixed partition that dot products are summed over.
constexpr std::size_t kBlockCells = 4096;

/// One grid level: a symmetric 7-point operator on nx × ny × nz cells stored per cell in
/// column order c = k + nz·(i + nx·j), so that every (i, j) column is contiguous in z.
struct Level {
  std::size_t nx = 0, ny = 0, nz = 0;
  std::vector<double> diag;       ///< A(c, c)
  std::vector<double> gx;         ///< −A(c, c + x̂); 0 where i = nx − 1
  std::vector<double> gy;         ///< −A(c, c + ŷ); 0 where j = ny − 1
  std::vector<double> gz;         ///< −A(c, c + ẑ); 0 where k = nz − 1
  std::vector<double> inv_pivot;  ///< 1 / pivots of each column's tridiagonal LU (Thomas)
  std::vector<double> rhs, sol;   ///< coarse levels only: restricted residual and correction
  /// Coarse levels only: what build_coarse took off the sum of the finer diagonals (twice the
  /// couplings inside the aggregate, then what the coupling scaling removed), kept so that a
  /// change of the finest diagonal alone rebuilds the diagonals bit for bit (update_diagonals).
  std::vector<double> inside2, removed;
  /// Coarse levels only: aggregate I covers the finer level's i ∈ [x_begin[I], x_begin[I + 1])
  /// (1 or 2 indices), and x_of[i] is the aggregate of finer index i; the same for y.
  std::vector<std::size_t> x_begin, y_begin, x_of, y_of;

  std::size_t num_columns() const { return nx * ny; }
  std::size_t num_cells() const { return nx * ny * nz; }
  std::size_t column_start(std::size_t i, std::size_t j) const { return nz * (i + nx * j); }
  bool parallel() const { return num_cells() >= kMinParallelCells; }
  /// Columns per block of the level's fixed column partition.
  std::size_t block_columns() const { return std::max<std::size_t>(1, kBlockCells / nz); }
  std::size_t num_blocks() const { return (num_columns() + block_columns() - 1) / block_columns(); }

  void resize(std::size_t nx_new, std::size_t ny_new, std::size_t nz_new, bool coarse) {
    nx = nx_new;
    ny = ny_new;
    nz = nz_new;
    const std::size_t n = num_cells();
    // Finest level: zero couplings where a neighbour or a matrix entry is missing (a missing
    // diagonal stays 0 and fails the factorisation). Every other entry of a level (a coarse
    // operator, the pivots, rhs and sol) is written before it is read, so a repeated set-up
    // (a transient's new Δt) reuses the storage without filling it.
    for (auto* v : {&diag, &gx, &gy, &gz}) {
      if (coarse)
        v->resize(n);
      else
        v->assign(n, 0.0);
    }
    inv_pivot.resize(n);
    for (auto* v : {&rhs, &sol, &inside2, &removed}) v->resize(coarse ? n : 0);
  }
};

/// Runs f(first_column, end_column, block) for every block of the level's fixed column
/// partition, in parallel over blocks when the level is large enough.
template <class F>
void for_each_block(const Level& L, F&& f) {
  const std::size_t nb = L.num_blocks(), bc = L.block_columns(), ncol = L.num_columns();
#pragma omp parallel for schedule(static) if (L.parallel())
  for (std::size_t blk = 0; blk < nb; ++blk) f(blk * bc, std::min(ncol, (blk + 1) * bc), blk);
}

/// Sum of the first `num_blocks` block sums in block order: the thread-count-independent
/// reduction.
inline double ordered_sum(const std::vector<double>& block_sums, std::size_t num_blocks) {
  double total = 0.0;
  for (std::size_t b = 0; b < num_blocks; ++b) total += block_sums[b];
  return total;
}

/// Σ f(c) over the cells of the level: per block in parallel, then over blocks in order.
template <class F>
double blocked_sum(const Level& L, std::vector<double>& block_sums, F&& f) {
  for_each_block(L, [&](std::size_t q0, std::size_t q1, std::size_t blk) {
    double s = 0.0;
    for (std::size_t c = q0 * L.nz; c < q1 * L.nz; ++c) s += f(c);
    block_sums[blk] = s;
  });
  return ordered_sum(block_sums, L.num_blocks());
}

/// The four lateral neighbour columns (x−, x+, y−, y+) of one column: where the couplings to
/// them start and where their values start. A missing neighbour points at a column of zeros,
/// so the kernels need no branches.
struct NeighbourColumns {
  std::array<const double*, 4> g;
  std::array<const double*, 4> v;
};

inline NeighbourColumns neighbours(const Level& L, const double* v, const double* zeros,
                                   std::size_t i, std::size_t j) {
  const std::size_t c = L.column_start(i, j), sx = L.nz, sy = L.nz * L.nx;
  NeighbourColumns n;
  n.g[0] = i > 0 ? &L.gx[c - sx] : zeros;
  n.v[0] = i > 0 ? v + (c - sx) : zeros;
  n.g[1] = i + 1 < L.nx ? &L.gx[c] : zeros;
  n.v[1] = i + 1 < L.nx ? v + (c + sx) : zeros;
  n.g[2] = j > 0 ? &L.gy[c - sy] : zeros;
  n.v[2] = j > 0 ? v + (c - sy) : zeros;
  n.g[3] = j + 1 < L.ny ? &L.gy[c] : zeros;
  n.v[3] = j + 1 < L.ny ? v + (c + sy) : zeros;
  return n;
}

/// Σ_n g_n,k v_n,k over the four lateral neighbours at layer k.
inline double lateral(const NeighbourColumns& n, std::size_t k) {
  return n.g[0][k] * n.v[0][k] + n.g[1][k] * n.v[1][k] + n.g[2][k] * n.v[2][k] +
         n.g[3][k] * n.v[3][k];
}

/// Line solve of one column: x = T⁻¹ (b + f), f_k = lateral_term(k) the neighbours' part,
/// T = tridiag(−gz_{k−1}, diag_k, −gz_k) factored by Thomas without pivoting (T is diagonally
/// dominant):  y_k = (b_k + f_k + gz_{k−1} y_{k−1}) / p_k,   x_k = y_k + (gz_k / p_k) x_{k+1}.
template <class LateralTerm>
inline void line_solve(std::size_t nz, const double* b, const double* gz, const double* inv_pivot,
                       double* x, LateralTerm&& lateral_term) {
  double y_prev = 0.0, g_prev = 0.0;
  for (std::size_t k = 0; k < nz; ++k) {
    const double y = (b[k] + lateral_term(k) + g_prev * y_prev) * inv_pivot[k];
    x[k] = y;
    y_prev = y;
    g_prev = gz[k];
  }
  for (std::size_t k = nz - 1; k > 0; --k) x[k - 1] += gz[k - 1] * inv_pivot[k - 1] * x[k];
}

inline bool has_colour(std::size_t i, std::size_t j, unsigned colour) {
  return ((i + j) & 1U) == colour;
}

}  // namespace cposim::solver::gmg
