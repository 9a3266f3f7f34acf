/// \file
/// GmgCgSolver: PCG with a geometric multigrid preconditioner for layered package grids.
///
/// The problem. Package stacks have layers from 1 µm to mm on lateral cells of 100–1000 µm, so
/// the vertical couplings of a cell are often 1e2–1e6 times its lateral ones (cell aspect ratios
/// up to ~1000, plus k_z/k_x contrasts), sometimes weaker (organic substrate, k_z ≪ k_x). Lateral
/// cells differ less (aspect ≲ 10 where the grid builder grades towards box edges), and nz is
/// small (20–100) while nx, ny are large (100–1000).
///
/// Why z-lines. A point smoother cannot reduce error that is smooth along strong couplings but
/// rough across weak ones; with z-couplings 1e6 times the lateral ones that is almost all error.
/// Solving each (i, j) column exactly (a tridiagonal solve along z) removes the z-anisotropy,
/// whatever its size or sign of contrast, and leaves a smoother whose quality depends only on
/// the lateral couplings. Columns are coloured red/black by (i + j) mod 2, so a half sweep has
/// no dependencies between columns: it runs in parallel and gives the same bits for any thread
/// count. Pre-smoothing is red then black, post-smoothing black then red, so the cycle is a
/// symmetric positive definite operator and plain CG stays valid.
///
/// Why lateral semi-coarsening. Because the line smoother already handles z, the coarse grid
/// only needs to represent error that is smooth laterally: columns are aggregated in x and y,
/// z is kept (SMG's idea with a simpler smoother). The coarse operator stays a 7-point stencil
/// with the same layers, so every level uses the same kernels and storage. The lateral
/// aggregation of each axis is chosen per index (1-D pairs), from the matrix: a pair (i, i+1)
/// is merged only if, in every row j, the conductance between the two columns (Σ_k g_x) is at
/// least kStrongRatio times the largest y-conductance of either column; y likewise. This is
/// full 2 × 2 coarsening on uniform grids and semi-coarsening where the lateral cells are
/// anisotropic (graded strips, slivers next to box edges), where the red/black smoother only
/// smooths along the strong direction. The test is per index over all rows, so on a grid where
/// fine and coarse bands cross (floorplan imports: 67 µm columns through 1 mm rows and the
/// reverse) hardly any index passes it. If a level would keep more than kMaxColumnRatio of the
/// columns, the plan is redone with the ratio halved, merging first the indices whose worst
/// row is least anisotropic, and only below kFullPairingRatio is every index paired (bounded
/// cost on pathological grids). Pairing everything at once instead coarsens across the weak
/// direction where the smoother leaves rough error: HotSpot's ev6 example needed 99 iterations
/// that way, 21 with the ladder (gmg_hierarchy.cpp has the measurements).
///
/// Coarse operators. Piecewise-constant prolongation P (each fine column takes its aggregate's
/// value), restriction Pᵀ. Galerkin Pᵀ A P is a 7-point stencil, but with constant
/// interpolation its lateral couplings are too stiff: across a coarse face it sums the fine
/// couplings (area ×2 for a 2 × 2 aggregate) while the centre distance doubled, so it is twice
/// the rediscretised operator, and V-cycles degrade with depth (measured: 29 iterations at 1 M
/// cells, 20 at 0.1 M; over-correcting the whole correction by ω did not help, because the z
/// and boundary parts are right). So each lateral coupling is scaled by the ratio of centre
/// distances 2 / (m_left + m_right), m the aggregate widths in cells (1/2 for two pairs, 1 where
/// neither side was merged), and the diagonal is lowered by what was removed, which keeps every
/// row sum (the boundary terms). The coarse operator is again a symmetric, diagonally dominant
/// M-matrix, so the cycle stays SPD. With it the CPO problem of solver-measurements.md §1 needs
/// 11–13 iterations from 0.1 to 4 M cells (rtol 1e-8).
///
/// The cycle. V(1,1) from a zero guess, with three shortcuts that do not change the operator
/// (in exact arithmetic) but save memory passes: (1) red line solves without neighbours (they
/// are still zero), then black line solves; (2) the residual is then zero on black columns and
/// equals the lateral term Σ g x_black on red ones, so the restriction sums just that; (3) after
/// the coarse cycle, the black line solves read their red neighbours corrected on the fly
/// (x + P e), and the red line solves that follow overwrite the red columns without reading
/// them, so the correction is never written. Coarsening continues down to a single column,
/// where one line solve is the exact coarsest solve.
///
/// Layout. All levels store cells in column order c = k + nz·(i + nx·j): each column is
/// contiguous, so line solves stream through memory. PCG runs in this order too, with a
/// matrix-free product on the extracted stencil (diag, and the x+, y+, z+ couplings of each
/// cell; 32 bytes per cell instead of ~90 for the CSR). b and x are permuted once per solve,
/// and the reported residual is recomputed with the caller's CSR matrix.

#include "solver/linear/gmg_cg.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "solver/linear/gmg_hierarchy.hpp"
#include "solver/linear/gmg_level.hpp"

namespace cposim::solver {

using gmg::blocked_sum;
using gmg::for_each_block;
using gmg::has_colour;
using gmg::kBlockCells;
using gmg::kMinParallelCells;
using gmg::lateral;
using gmg::Level;
using gmg::line_solve;
using gmg::NeighbourColumns;
using gmg::neighbours;
using gmg::ordered_sum;

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// PCG restarts from the recomputed residual when the recursive one has drifted below it.
constexpr int kMaxRestarts = 2;

/// max |a − b| over n entries (once per PCG pass).
double max_abs_difference(const double* a, const double* b, std::size_t n) {
  double m = 0.0;
  for (std::size_t i = 0; i < n; ++i) m = std::max(m, std::fabs(a[i] - b[i]));
  return m;
}

/// One Gauss–Seidel half sweep: line solves of every column of `colour` ((i + j) mod 2).
/// Without neighbours (kWithNeighbours = false: the first sweep from a zero guess) the lateral
/// terms are zero.
template <bool kWithNeighbours>
void colour_sweep(const Level& L, const double* zeros, const double* b, double* x,
                  unsigned colour) {
  for_each_block(L, [&](std::size_t q0, std::size_t q1, std::size_t) {
    for (std::size_t q = q0; q < q1; ++q) {
      const std::size_t i = q % L.nx, j = q / L.nx;
      if (!has_colour(i, j, colour)) continue;
      const std::size_t c = q * L.nz;
      if constexpr (kWithNeighbours) {
        const NeighbourColumns n = neighbours(L, x, zeros, i, j);
        line_solve(L.nz, b + c, &L.gz[c], &L.inv_pivot[c], x + c,
                   [&](std::size_t k) { return lateral(n, k); });
      } else {
        line_solve(L.nz, b + c, &L.gz[c], &L.inv_pivot[c], x + c, [](std::size_t) { return 0.0; });
      }
    }
  });
}

/// (b − A x) at cell c + k of the column starting at c, given the column's neighbours.
inline double column_residual(const Level& L, std::size_t c, std::size_t k, const double* b,
                              const double* x, const NeighbourColumns& n) {
  double r = b[c + k] - L.diag[c + k] * x[c + k] + lateral(n, k);
  if (k > 0) r += L.gz[c + k - 1] * x[c + k - 1];
  if (k + 1 < L.nz) r += L.gz[c + k] * x[c + k + 1];
  return r;
}

/// y = b − A x on every cell of the level.
void residual(const Level& L, const double* zeros, const double* b, const double* x, double* y) {
  for_each_block(L, [&](std::size_t q0, std::size_t q1, std::size_t) {
    for (std::size_t q = q0; q < q1; ++q) {
      const std::size_t i = q % L.nx, j = q / L.nx, c = q * L.nz;
      const NeighbourColumns n = neighbours(L, x, zeros, i, j);
      for (std::size_t k = 0; k < L.nz; ++k) y[c + k] = column_residual(L, c, k, b, x, n);
    }
  });
}

/// coarse_rhs = Pᵀ (b − A x) right after the pre-smoothing half sweeps (red from a zero guess,
/// then black). The red line solves made T x = b on red columns and the black ones made the
/// residual zero on black columns, so the residual is the lateral term Σ g x of the red
/// columns' black neighbours. Computing it that way needs neither b nor the diagonal, and it
/// is exactly the residual of the operator the line solves invert (the cycle stays symmetric).
/// Each coarse value is summed by one thread in a fixed order.
void restrict_residual(const Level& L, const Level& C, const double* zeros, const double* x,
                       unsigned red, double* coarse_rhs) {
  for_each_block(C, [&](std::size_t q0, std::size_t q1, std::size_t) {
    for (std::size_t q = q0; q < q1; ++q) {
      const std::size_t I = q % C.nx, J = q / C.nx;
      double* out = coarse_rhs + q * C.nz;
      std::fill(out, out + C.nz, 0.0);
      for (std::size_t j = C.y_begin[J]; j < C.y_begin[J + 1]; ++j)
        for (std::size_t i = C.x_begin[I]; i < C.x_begin[I + 1]; ++i) {
          if (!has_colour(i, j, red)) continue;
          const NeighbourColumns n = neighbours(L, x, zeros, i, j);
          for (std::size_t k = 0; k < L.nz; ++k) out[k] += lateral(n, k);
        }
    }
  });
}

/// The black half sweep after the coarse correction e: line solves of the black columns with
/// the red neighbours corrected on the fly, x_n + (P e)_n. The red columns themselves are not
/// updated: the red half sweep that follows overwrites them without reading them.
void corrected_black_sweep(const Level& L, const Level& C, const double* e, const double* zeros,
                           const double* b, double* x, unsigned black) {
  for_each_block(L, [&](std::size_t q0, std::size_t q1, std::size_t) {
    for (std::size_t q = q0; q < q1; ++q) {
      const std::size_t i = q % L.nx, j = q / L.nx;
      if (!has_colour(i, j, black)) continue;
      const std::size_t c = q * L.nz;
      const NeighbourColumns n = neighbours(L, x, zeros, i, j);
      const std::array<const double*, 4> correction{
          i > 0 ? e + C.column_start(C.x_of[i - 1], C.y_of[j]) : zeros,
          i + 1 < L.nx ? e + C.column_start(C.x_of[i + 1], C.y_of[j]) : zeros,
          j > 0 ? e + C.column_start(C.x_of[i], C.y_of[j - 1]) : zeros,
          j + 1 < L.ny ? e + C.column_start(C.x_of[i], C.y_of[j + 1]) : zeros};
      line_solve(L.nz, b + c, &L.gz[c], &L.inv_pivot[c], x + c, [&](std::size_t k) {
        return n.g[0][k] * (n.v[0][k] + correction[0][k]) +
               n.g[1][k] * (n.v[1][k] + correction[1][k]) +
               n.g[2][k] * (n.v[2][k] + correction[2][k]) +
               n.g[3][k] * (n.v[3][k] + correction[3][k]);
      });
    }
  });
}
/// Copies between natural order (i + nx·(j + ny·k)) and column order (k + nz·(i + nx·j)).
template <bool kToColumns>
void permute(const Level& L, const double* from, double* to) {
  const std::size_t nx = L.nx, ny = L.ny, nz = L.nz, plane = nx * ny;
#pragma omp parallel for schedule(static) if (L.parallel())
  for (std::size_t j = 0; j < ny; ++j)
    for (std::size_t k = 0; k < nz; ++k)
      for (std::size_t i = 0; i < nx; ++i) {
        const std::size_t natural = i + nx * j + plane * k, column = k + nz * (i + nx * j);
        if constexpr (kToColumns)
          to[column] = from[natural];
        else
          to[natural] = from[column];
      }
}

/// Natural order → column order.
void to_columns(const Level& L, const double* natural, double* column) {
  permute<true>(L, natural, column);
}

/// Column order → natural order.
void to_natural(const Level& L, const double* column, double* natural) {
  permute<false>(L, column, natural);
}

/// q = A p on the level; returns p·q (block-ordered sum).
double apply_and_dot(const Level& L, const double* zeros, const double* p, double* q,
                     std::vector<double>& block_sums) {
  for_each_block(L, [&](std::size_t q0, std::size_t q1, std::size_t blk) {
    double s = 0.0;
    for (std::size_t col = q0; col < q1; ++col) {
      const std::size_t i = col % L.nx, j = col / L.nx, c = col * L.nz;
      const NeighbourColumns n = neighbours(L, p, zeros, i, j);
      for (std::size_t k = 0; k < L.nz; ++k) {
        double v = L.diag[c + k] * p[c + k] - lateral(n, k);
        if (k > 0) v -= L.gz[c + k - 1] * p[c + k - 1];
        if (k + 1 < L.nz) v -= L.gz[c + k] * p[c + k + 1];
        q[c + k] = v;
        s += p[c + k] * v;
      }
    }
    block_sums[blk] = s;
  });
  return ordered_sum(block_sums, L.num_blocks());
}

/// ‖b‖₂, ‖b − A x‖₂ and ‖|b| + |A||x|‖₂ with the CSR matrix (deterministic blocked sums).
ResidualNorms csr_norms(const SparseMatrix& A, const Eigen::VectorXd& b, const Eigen::VectorXd& x,
                        std::vector<double>& bb_blocks, std::vector<double>& rr_blocks,
                        std::vector<double>& ss_blocks) {
  const std::size_t n = static_cast<std::size_t>(A.rows());
  const std::size_t nb = (n + kBlockCells - 1) / kBlockCells;
  const int* outer = A.outerIndexPtr();
  const int* cols = A.innerIndexPtr();
  const double* vals = A.valuePtr();
#pragma omp parallel for schedule(static) if (n >= kMinParallelCells)
  for (std::size_t blk = 0; blk < nb; ++blk) {
    double bb = 0.0, rr = 0.0, ss = 0.0;
    const std::size_t end = std::min(n, (blk + 1) * kBlockCells);
    for (std::size_t row = blk * kBlockCells; row < end; ++row) {
      const double bi = b[static_cast<Eigen::Index>(row)];
      double r = bi, s = std::abs(bi);
      for (int e = outer[row]; e < outer[row + 1]; ++e) {
        const double t = vals[e] * x[cols[e]];
        r -= t;
        s += std::abs(t);
      }
      bb += bi * bi;
      rr += r * r;
      ss += s * s;
    }
    bb_blocks[blk] = bb;
    rr_blocks[blk] = rr;
    ss_blocks[blk] = ss;
  }
  ResidualNorms norms;
  norms.b = std::sqrt(ordered_sum(bb_blocks, nb));
  norms.r = std::sqrt(ordered_sum(rr_blocks, nb));
  norms.scale = std::sqrt(ordered_sum(ss_blocks, nb));
  return norms;
}

}  // namespace

struct GmgCgSolver::Hierarchy {
  std::vector<Level> levels;             ///< finest first; the last one is a single column
  std::vector<double> zeros;             ///< one column of zeros (missing neighbours)
  std::vector<double> x, b, r, z, p, q;  ///< PCG vectors in the finest level's column order
  std::vector<double> x_pass;            ///< x at the start of the current PCG pass
  std::vector<double> block_sums;        ///< per block of the finest level's column partition
  std::vector<double> row_blocks_bb, row_blocks_rr, row_blocks_ss;  ///< per kBlockCells rows

  /// sol = M⁻¹ rhs on level l: one V(1,1) cycle from a zero guess (see the file comment).
  void cycle(std::size_t l, const double* rhs, double* sol) {
    const Level& L = levels[l];
    const double* zero = zeros.data();
    constexpr unsigned kRed = 0, kBlack = 1;
    if (l + 1 == levels.size()) {  // one column: the line solve is exact
      colour_sweep<false>(L, zero, rhs, sol, kRed);
      return;
    }
    Level& C = levels[l + 1];
    colour_sweep<false>(L, zero, rhs, sol, kRed);
    colour_sweep<true>(L, zero, rhs, sol, kBlack);
    restrict_residual(L, C, zero, sol, kRed, C.rhs.data());
    cycle(l + 1, C.rhs.data(), C.sol.data());
    corrected_black_sweep(L, C, C.sol.data(), zero, rhs, sol, kBlack);
    colour_sweep<true>(L, zero, rhs, sol, kRed);
  }
};

GmgCgSolver::GmgCgSolver(const LinearSolverOptions& options,
                         std::array<std::size_t, 3> cells_per_axis)
    : options_(options), cells_per_axis_(cells_per_axis) {
  if (!(options.relative_tolerance >= 0.0))
    throw std::invalid_argument("GmgCgSolver: relative_tolerance must be >= 0");
  if (options.max_iterations < 1)
    throw std::invalid_argument("GmgCgSolver: max_iterations must be >= 1");
  for (std::size_t n : cells_per_axis)
    if (n == 0) throw std::invalid_argument("GmgCgSolver: every axis needs at least one cell");
}

GmgCgSolver::~GmgCgSolver() = default;

std::size_t GmgCgSolver::num_levels() const { return hierarchy_ ? hierarchy_->levels.size() : 0; }

double GmgCgSolver::grid_complexity() const {
  if (!hierarchy_ || hierarchy_->levels.empty()) return 0.0;
  double cells = 0.0;
  for (const Level& L : hierarchy_->levels) cells += static_cast<double>(L.num_cells());
  return cells / static_cast<double>(hierarchy_->levels[0].num_cells());
}
double GmgCgSolver::setup(const SparseMatrix& A) {
  const auto start = Clock::now();
  const auto [nx, ny, nz] = cells_per_axis_;
  const std::size_t n = nx * ny * nz;
  if (static_cast<std::size_t>(A.rows()) != n || static_cast<std::size_t>(A.cols()) != n)
    throw std::invalid_argument("GmgCgSolver: matrix is " + std::to_string(A.rows()) + " x " +
                                std::to_string(A.cols()) + ", the grid has " + std::to_string(n) +
                                " cells");
  if (!A.isCompressed())
    throw std::invalid_argument("GmgCgSolver: matrix must be compressed (makeCompressed())");
  A_ = nullptr;
  if (!hierarchy_) hierarchy_ = std::make_unique<Hierarchy>();
  Hierarchy& H = *hierarchy_;
  if (H.levels.empty()) H.levels.resize(1);
  H.levels[0].resize(nx, ny, nz, false);
  H.zeros.assign(nz, 0.0);
  // Every PCG vector is written in full before it is read (solve() and apply_preconditioner()),
  // so a repeated set-up (a transient's new Δt) keeps them as they are.
  for (auto* v : {&H.x, &H.b, &H.r, &H.z, &H.p, &H.q, &H.x_pass}) v->resize(n);
  H.block_sums.assign(H.levels[0].num_blocks(), 0.0);
  H.row_blocks_bb.assign((n + kBlockCells - 1) / kBlockCells, 0.0);
  H.row_blocks_rr.assign(H.row_blocks_bb.size(), 0.0);
  H.row_blocks_ss.assign(H.row_blocks_bb.size(), 0.0);

  extract_finest_level(A, H.levels[0]);
  build_coarse_levels(H.levels);
  A_ = &A;
  return seconds_since(start);
}

double GmgCgSolver::update_diagonal(const SparseMatrix& A) {
  if (A_ == nullptr || A.rows() != A_->rows() || A.nonZeros() != A_->nonZeros() ||
      !A.isCompressed())
    return setup(A);
  const auto start = Clock::now();
  A_ = nullptr;
  gmg::update_diagonals(A, hierarchy_->levels);
  A_ = &A;
  return seconds_since(start);
}

LinearSolveResult GmgCgSolver::solve(const Eigen::VectorXd& b, Eigen::VectorXd& x) {
  if (A_ == nullptr) throw std::logic_error("GmgCgSolver: solve() before setup()");
  const auto start = Clock::now();
  Hierarchy& H = *hierarchy_;
  const Level& F = H.levels[0];
  const std::size_t n = F.num_cells();
  if (static_cast<std::size_t>(b.size()) != n)
    throw std::invalid_argument("GmgCgSolver: b has " + std::to_string(b.size()) +
                                " entries, the grid " + std::to_string(n) + " cells");
  if (x.size() == 0) x.setZero(b.size());
  if (static_cast<std::size_t>(x.size()) != n)
    throw std::invalid_argument("GmgCgSolver: x has " + std::to_string(x.size()) +
                                " entries, the grid " + std::to_string(n) + " cells");
  LinearSolveResult result;
  const double* zeros = H.zeros.data();
  double* xs = H.x.data();
  double* bs = H.b.data();
  double* r = H.r.data();
  double* z = H.z.data();
  double* p = H.p.data();
  double* q = H.q.data();
  to_columns(F, b.data(), bs);
  const double bb = blocked_sum(F, H.block_sums, [&](std::size_t c) { return bs[c] * bs[c]; });
  if (bb == 0.0) {
    x.setZero();
    result.converged = true;
    result.solve_s = seconds_since(start);
    return result;
  }
  to_columns(F, x.data(), xs);
  const double target = options_.relative_tolerance * std::sqrt(bb);
  int iterations = 0;
  bool converged = false;
  IterationObserver observer(options_);
  // Each pass starts from the true residual; a pass ends when the recursive residual meets the
  // target, so the next check catches drift between the two (then PCG restarts).
  // A restart means the true residual stayed above the target while the recursive one met it:
  // if the true residual is at the round-off floor, no further pass can lower it.
  bool at_roundoff = false;
  // A restart pass that met the recursive target solved A δ = r_true for the error δ of x
  // (up to round-off): its largest |δ| is what further iterations could still change.
  double restart_change = std::numeric_limits<double>::infinity();
  for (int pass = 0;; ++pass) {
    residual(F, zeros, bs, xs, r);
    double rr = blocked_sum(F, H.block_sums, [&](std::size_t c) { return r[c] * r[c]; });
    if (std::sqrt(rr) <= target) {
      converged = true;
      break;
    }
    if (pass > 0) {
      to_natural(F, xs, x.data());
      const ResidualNorms norms =
          csr_norms(*A_, b, x, H.row_blocks_bb, H.row_blocks_rr, H.row_blocks_ss);
      if (norms.r <= kRoundoffUnits * std::numeric_limits<double>::epsilon() * norms.scale) {
        at_roundoff = true;
        break;
      }
    }
    if (pass > kMaxRestarts || iterations >= options_.max_iterations || !std::isfinite(rr)) break;
    H.cycle(0, r, z);
    double rz = blocked_sum(F, H.block_sums, [&](std::size_t c) { return r[c] * z[c]; });
    std::copy(z, z + n, p);
    std::copy(xs, xs + n, H.x_pass.data());
    bool breakdown = false, met = false;
    while (iterations < options_.max_iterations) {
      if (cancel_requested(options_)) {
        result.cancelled = true;
        break;
      }
      const double pq = apply_and_dot(F, zeros, p, q, H.block_sums);
      if (!(pq > 0.0) || !(rz > 0.0) || !std::isfinite(pq)) {
        breakdown = true;
        break;
      }
      const double alpha = rz / pq;
      rr = blocked_sum(F, H.block_sums, [&](std::size_t c) {
        xs[c] += alpha * p[c];
        r[c] -= alpha * q[c];
        return r[c] * r[c];
      });
      ++iterations;
      observer.iteration(iterations, std::sqrt(rr / bb));
      met = std::sqrt(rr) <= target;
      if (met || !std::isfinite(rr)) break;
      H.cycle(0, r, z);
      const double rz_new =
          blocked_sum(F, H.block_sums, [&](std::size_t c) { return r[c] * z[c]; });
      const double beta = rz_new / rz;
      rz = rz_new;
      for_each_block(F, [&](std::size_t q0, std::size_t q1, std::size_t) {
        for (std::size_t c = q0 * F.nz; c < q1 * F.nz; ++c) p[c] = z[c] + beta * p[c];
      });
    }
    if (breakdown || result.cancelled) break;
    if (pass > 0 && met) restart_change = max_abs_difference(xs, H.x_pass.data(), n);
  }
  to_natural(F, xs, x.data());
  const ResidualNorms norms =
      csr_norms(*A_, b, x, H.row_blocks_bb, H.row_blocks_rr, H.row_blocks_ss);
  result.iterations = iterations;
  result.relative_residual = norms.relative();
  result.roundoff_residual = norms.roundoff_relative();
  // Converged by the pass's own check (true residual ≤ target), or at the round-off floor
  // (checked again on the final x: the passes may have ended on the restart limit).
  result.at_roundoff = !converged && !result.cancelled &&
                       (at_roundoff || result.relative_residual <= result.roundoff_residual);
  result.restart_change = restart_change;
  result.settled = !converged && !result.at_roundoff && !result.cancelled &&
                   restart_change <= options_.settled_change;
  result.converged = (converged || result.at_roundoff || result.settled) &&
                     std::isfinite(result.relative_residual);
  result.stagnated = !result.converged && !result.cancelled &&
                     iterations < options_.max_iterations &&
                     std::isfinite(result.relative_residual);
  result.solve_s = seconds_since(start);
  observer.finish(iterations, result.relative_residual);
  return result;
}

void GmgCgSolver::apply_preconditioner(const Eigen::VectorXd& r, Eigen::VectorXd& z) {
  if (A_ == nullptr) throw std::logic_error("GmgCgSolver: apply_preconditioner() before setup()");
  Hierarchy& H = *hierarchy_;
  const Level& F = H.levels[0];
  to_columns(F, r.data(), H.r.data());
  H.cycle(0, H.r.data(), H.z.data());
  to_natural(F, H.z.data(), z.data());
}

std::unique_ptr<LinearSolver> make_gmg_cg_solver(const LinearSolverOptions& options,
                                                 const std::array<std::size_t, 3>& cells_per_axis) {
  return std::make_unique<GmgCgSolver>(options, cells_per_axis);
}

}  // namespace cposim::solver