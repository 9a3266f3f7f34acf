/// \file
/// GmgCgSolver: PCG with a geometric multigrid preconditioner for layered package grids.
///
/// DEV VERSION (tuning knobs) -- the file comment is written at the end.

#include "solver/gmg_cg.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace cposim::solver {

namespace gmg_dev {
struct Tuning {
  double omega = 1.0;
  std::size_t max_coarsest_columns = 4;
  double theta = 0.5;
};
Tuning tuning;
}  // namespace gmg_dev

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// Loops over fewer cells than this run on one thread: below it an OpenMP fork costs more than
/// the work. Results do not depend on it, because no loop's result depends on the thread count.
constexpr std::size_t kMinParallelCells = 20000;

/// PCG restarts from the recomputed residual when the recursive one has drifted below it.
constexpr int kMaxRestarts = 2;

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
  /// Coarse levels only: aggregate I covers the finer level's i ∈ [x_begin[I], x_begin[I + 1])
  /// (1 or 2 indices), and x_of[i] is the aggregate of finer index i; the same for y.
  std::vector<std::size_t> x_begin, y_begin, x_of, y_of;

  std::size_t num_columns() const { return nx * ny; }
  std::size_t num_cells() const { return nx * ny * nz; }
  std::size_t column_start(std::size_t i, std::size_t j) const { return nz * (i + nx * j); }
  bool parallel() const { return num_cells() >= kMinParallelCells; }
  /// Columns per block of the level's fixed column partition.
  std::size_t block_columns() const { return std::max<std::size_t>(1, kBlockCells / nz); }
  std::size_t num_blocks() const {
    return (num_columns() + block_columns() - 1) / block_columns();
  }

  void resize(std::size_t nx_new, std::size_t ny_new, std::size_t nz_new, bool coarse) {
    nx = nx_new;
    ny = ny_new;
    nz = nz_new;
    const std::size_t n = num_cells();
    for (auto* v : {&diag, &gx, &gy, &gz, &inv_pivot}) v->assign(n, 0.0);
    rhs.assign(coarse ? n : 0, 0.0);
    sol.assign(coarse ? n : 0, 0.0);
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

/// Sum of block_sums in block order: the thread-count-independent reduction.
double ordered_sum(const std::vector<double>& block_sums, std::size_t num_blocks) {
  double total = 0.0;
  for (std::size_t b = 0; b < num_blocks; ++b) total += block_sums[b];
  return total;
}

/// Pointers into `v` for the neighbour columns of column (i, j), zeros where none exists.
struct NeighbourValues {
  std::array<const double*, 4> g;
  std::array<const double*, 4> v;
};

inline NeighbourValues neighbours(const Level& L, const double* v, const double* zeros,
                                  std::size_t i, std::size_t j) {
  const std::size_t c = L.column_start(i, j), sx = L.nz, sy = L.nz * L.nx;
  NeighbourValues n;
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
inline double lateral(const NeighbourValues& n, std::size_t k) {
  return n.g[0][k] * n.v[0][k] + n.g[1][k] * n.v[1][k] + n.g[2][k] * n.v[2][k] +
         n.g[3][k] * n.v[3][k];
}

/// Line solve of one column: x = T⁻¹ (b + lateral neighbour terms), T the column's tridiagonal
/// tridiag(−gz_{k−1}, diag_k, −gz_k) with Thomas pivots 1/inv_pivot (no pivoting is needed:
/// T is diagonally dominant). Without neighbours (kWithNeighbours = false) they count as zero.
template <bool kWithNeighbours>
inline void line_solve(std::size_t nz, const double* b, const double* gz, const double* inv_pivot,
                       const NeighbourValues& n, double* x) {
  double y_prev = 0.0, g_prev = 0.0;
  for (std::size_t k = 0; k < nz; ++k) {
    double f = b[k];
    if constexpr (kWithNeighbours) f += lateral(n, k);
    const double y = (f + g_prev * y_prev) * inv_pivot[k];
    x[k] = y;
    y_prev = y;
    g_prev = gz[k];
  }
  for (std::size_t k = nz - 1; k > 0; --k) x[k - 1] += gz[k - 1] * inv_pivot[k - 1] * x[k];
}

/// One Gauss–Seidel half sweep: line solves of every column of `colour` ((i + j) mod 2).
template <bool kWithNeighbours>
void colour_sweep(const Level& L, const double* zeros, const double* b, double* x, int colour) {
  for_each_block(L, [&](std::size_t q0, std::size_t q1, std::size_t) {
    for (std::size_t q = q0; q < q1; ++q) {
      const std::size_t i = q % L.nx, j = q / L.nx;
      if (static_cast<int>((i + j) & 1U) != colour) continue;
      const std::size_t c = q * L.nz;
      const NeighbourValues n = kWithNeighbours ? neighbours(L, x, zeros, i, j)
                                                : NeighbourValues{};
      line_solve<kWithNeighbours>(L.nz, b + c, &L.gz[c], &L.inv_pivot[c], n, x + c);
    }
  });
}

/// Residual b − A x of one column, at layer k, given the column's neighbours.
inline double column_residual(const Level& L, std::size_t c, std::size_t k, const double* b,
                              const double* x, const NeighbourValues& n) {
  double r = b[c + k] - L.diag[c + k] * x[c + k] + lateral(n, k);
  if (k > 0) r += L.gz[c + k - 1] * x[c + k - 1];
  if (k + 1 < L.nz) r += L.gz[c + k] * x[c + k + 1];
  return r;
}

/// coarse_rhs = Pᵀ (b − A x), summing only the columns of `colour`: after a Gauss–Seidel sweep
/// of the other colour, the residual there is zero.
void restrict_residual(const Level& L, const Level& C, const double* zeros, const double* b,
                       const double* x, int colour, double* coarse_rhs) {
  for_each_block(C, [&](std::size_t q0, std::size_t q1, std::size_t) {
    for (std::size_t q = q0; q < q1; ++q) {
      const std::size_t I = q % C.nx, J = q / C.nx;
      double* out = coarse_rhs + q * C.nz;
      std::fill(out, out + C.nz, 0.0);
      for (std::size_t j = C.y_begin[J]; j < C.y_begin[J + 1]; ++j)
        for (std::size_t i = C.x_begin[I]; i < C.x_begin[I + 1]; ++i) {
          if (static_cast<int>((i + j) & 1U) != colour) continue;
          const std::size_t c = L.column_start(i, j);
          const NeighbourValues n = neighbours(L, x, zeros, i, j);
          for (std::size_t k = 0; k < L.nz; ++k) out[k] += column_residual(L, c, k, b, x, n);
        }
    }
  });
}

/// x += ω P e on the columns of `colour` only (the other colour is overwritten by the next
/// half sweep, which does not read its old values).
void prolong_add(const Level& L, const Level& C, const double* e, double omega, double* x,
                 int colour) {
  for_each_block(L, [&](std::size_t q0, std::size_t q1, std::size_t) {
    for (std::size_t q = q0; q < q1; ++q) {
      const std::size_t i = q % L.nx, j = q / L.nx;
      if (static_cast<int>((i + j) & 1U) != colour) continue;
      const double* ec = e + C.column_start(C.x_of[i], C.y_of[j]);
      double* xc = x + q * L.nz;
      for (std::size_t k = 0; k < L.nz; ++k) xc[k] += omega * ec[k];
    }
  });
}

/// y = b − A x on every cell of the level.
void residual(const Level& L, const double* zeros, const double* b, const double* x, double* y) {
  for_each_block(L, [&](std::size_t q0, std::size_t q1, std::size_t) {
    for (std::size_t q = q0; q < q1; ++q) {
      const std::size_t i = q % L.nx, j = q / L.nx, c = q * L.nz;
      const NeighbourValues n = neighbours(L, x, zeros, i, j);
      for (std::size_t k = 0; k < L.nz; ++k) y[c + k] = column_residual(L, c, k, b, x, n);
    }
  });
}

/// Thomas pivots of every column of the level.
void factor_columns(Level& L) {
  for_each_block(L, [&](std::size_t q0, std::size_t q1, std::size_t) {
    for (std::size_t q = q0; q < q1; ++q) {
      const std::size_t c = q * L.nz;
      double inv_prev = 0.0, g_prev = 0.0;
      for (std::size_t k = 0; k < L.nz; ++k) {
        const double pivot = L.diag[c + k] - g_prev * g_prev * inv_prev;
        inv_prev = 1.0 / pivot;
        L.inv_pivot[c + k] = inv_prev;
        g_prev = L.gz[c + k];
      }
    }
  });
}

/// 1-D aggregation of one axis of n indices: neighbouring indices that may both be coarsened
/// are paired, every other index stays alone. Returns the aggregate boundaries (size m + 1).
std::vector<std::size_t> pair_up(const std::vector<char>& coarsenable) {
  const std::size_t n = coarsenable.size();
  std::vector<std::size_t> begin{0};
  for (std::size_t i = 0; i < n;) {
    i += (i + 1 < n && coarsenable[i] && coarsenable[i + 1]) ? 2 : 1;
    begin.push_back(i);
  }
  return begin;
}

/// Chooses the lateral aggregation of level F into C (fills C's maps and sizes).
void plan_coarsening(const Level& F, Level& C, double theta) {
  const std::size_t ncol = F.num_columns();
  std::vector<double> col_gx(ncol, 0.0), col_gy(ncol, 0.0);
  for_each_block(F, [&](std::size_t q0, std::size_t q1, std::size_t) {
    for (std::size_t q = q0; q < q1; ++q) {
      double sx = 0.0, sy = 0.0;
      for (std::size_t k = 0; k < F.nz; ++k) {
        sx += F.gx[q * F.nz + k];
        sy += F.gy[q * F.nz + k];
      }
      col_gx[q] = sx;
      col_gy[q] = sy;
    }
  });
  std::vector<char> x_ok(F.nx, F.nx > 1 ? 1 : 0), y_ok(F.ny, F.ny > 1 ? 1 : 0);
  for (std::size_t j = 0; j < F.ny; ++j)
    for (std::size_t i = 0; i < F.nx; ++i) {
      const std::size_t q = i + F.nx * j;
      double gx = 0.0, gy = 0.0;
      int faces_x = 0, faces_y = 0;
      if (i > 0) gx += col_gx[q - 1], ++faces_x;
      if (i + 1 < F.nx) gx += col_gx[q], ++faces_x;
      if (j > 0) gy += col_gy[q - F.nx], ++faces_y;
      if (j + 1 < F.ny) gy += col_gy[q], ++faces_y;
      if (faces_x > 0) gx /= faces_x;
      if (faces_y > 0) gy /= faces_y;
      if (gx < theta * gy) x_ok[i] = 0;
      if (gy < theta * gx) y_ok[j] = 0;
    }
  std::vector<std::size_t> xb = pair_up(x_ok), yb = pair_up(y_ok);
  if (4 * (xb.size() - 1) * (yb.size() - 1) > 3 * ncol) {
    std::fill(x_ok.begin(), x_ok.end(), 1);
    std::fill(y_ok.begin(), y_ok.end(), 1);
    xb = pair_up(x_ok);
    yb = pair_up(y_ok);
  }
  C.resize(xb.size() - 1, yb.size() - 1, F.nz, true);
  C.x_of.assign(F.nx, 0);
  C.y_of.assign(F.ny, 0);
  for (std::size_t I = 0; I < C.nx; ++I)
    for (std::size_t i = xb[I]; i < xb[I + 1]; ++i) C.x_of[i] = I;
  for (std::size_t J = 0; J < C.ny; ++J)
    for (std::size_t j = yb[J]; j < yb[J + 1]; ++j) C.y_of[j] = J;
  C.x_begin = std::move(xb);
  C.y_begin = std::move(yb);
}

/// Coarse operator for piecewise-constant lateral aggregation (z kept). Galerkin Pᵀ A P is again
/// a 7-point stencil: a coarse coupling is the sum of the fine couplings across the coarse
/// face, the coarse diagonal the sum of the fine diagonals minus twice the couplings inside
/// the aggregate. The lateral couplings are then scaled by (fine centre distance) / (coarse
/// centre distance) = 2 / (m_left + m_right), m the aggregate widths in cells, and the diagonal
/// is lowered by what the scaling removed, so row sums (the boundary terms) are kept.
void build_coarse(const Level& F, Level& C) {
  for_each_block(C, [&](std::size_t q0, std::size_t q1, std::size_t) {
    for (std::size_t q = q0; q < q1; ++q) {
      const std::size_t I = q % C.nx, J = q / C.nx, cc = q * C.nz;
      const std::size_t i0 = C.x_begin[I], i1 = C.x_begin[I + 1] - 1;
      const std::size_t j0 = C.y_begin[J], j1 = C.y_begin[J + 1] - 1;
      for (std::size_t k = 0; k < C.nz; ++k) {
        double diag = 0.0, gx = 0.0, gy = 0.0, gz = 0.0, inside = 0.0;
        for (std::size_t j = j0; j <= j1; ++j)
          for (std::size_t i = i0; i <= i1; ++i) {
            const std::size_t f = F.column_start(i, j) + k;
            diag += F.diag[f];
            gz += F.gz[f];
            if (i == i1)
              gx += F.gx[f];
            else
              inside += F.gx[f];
            if (j == j1)
              gy += F.gy[f];
            else
              inside += F.gy[f];
          }
        C.diag[cc + k] = diag - 2.0 * inside;
        C.gx[cc + k] = gx;
        C.gy[cc + k] = gy;
        C.gz[cc + k] = gz;
      }
    }
  });
  const auto scale = [](const std::vector<std::size_t>& begin, std::size_t I) {
    return I + 2 < begin.size()
               ? 2.0 / static_cast<double>(begin[I + 2] - begin[I]) : 1.0;
  };
  for_each_block(C, [&](std::size_t q0, std::size_t q1, std::size_t) {
    for (std::size_t q = q0; q < q1; ++q) {
      const std::size_t I = q % C.nx, J = q / C.nx, cc = q * C.nz;
      for (std::size_t k = 0; k < C.nz; ++k) {
        const std::size_t c = cc + k;
        double removed = (1.0 - scale(C.x_begin, I)) * C.gx[c] +
                         (1.0 - scale(C.y_begin, J)) * C.gy[c];
        if (I > 0) removed += (1.0 - scale(C.x_begin, I - 1)) * C.gx[c - C.nz];
        if (J > 0) removed += (1.0 - scale(C.y_begin, J - 1)) * C.gy[c - C.nz * C.nx];
        C.diag[c] -= removed;
      }
    }
  });
  for_each_block(C, [&](std::size_t q0, std::size_t q1, std::size_t) {
    for (std::size_t q = q0; q < q1; ++q) {
      const std::size_t I = q % C.nx, J = q / C.nx, cc = q * C.nz;
      const double sx = scale(C.x_begin, I), sy = scale(C.y_begin, J);
      for (std::size_t k = 0; k < C.nz; ++k) {
        C.gx[cc + k] *= sx;
        C.gy[cc + k] *= sy;
      }
    }
  });
}

/// Dense-band Cholesky factor of the coarsest level, in its column order (bandwidth nz·nx).
class BandCholesky {
 public:
  /// Throws std::runtime_error if the level's operator is not positive definite.
  void factor(const Level& L) {
    n_ = L.num_cells();
    bw_ = L.ny > 1 ? L.nz * L.nx : (L.nx > 1 ? L.nz : 1);
    band_.assign(n_ * (bw_ + 1), 0.0);
    inv_diag_.assign(n_, 0.0);
    const std::size_t sx = L.nz, sy = L.nz * L.nx;
    for (std::size_t j = 0; j < L.ny; ++j)
      for (std::size_t i = 0; i < L.nx; ++i)
        for (std::size_t k = 0; k < L.nz; ++k) {
          const std::size_t c = L.column_start(i, j) + k;
          at(c, c) = L.diag[c];
          if (k > 0) at(c, c - 1) = -L.gz[c - 1];
          if (i > 0) at(c, c - sx) = -L.gx[c - sx];
          if (j > 0) at(c, c - sy) = -L.gy[c - sy];
        }
    for (std::size_t r = 0; r < n_; ++r) {
      const std::size_t first = r > bw_ ? r - bw_ : 0;
      for (std::size_t c = first; c <= r; ++c) {
        double s = at(r, c);
        for (std::size_t m = first; m < c; ++m) s -= at(r, m) * at(c, m);
        if (c < r) {
          at(r, c) = s * inv_diag_[c];
        } else {
          if (!(s > 0.0))
            throw std::runtime_error("GmgCgSolver: coarsest level is not positive definite");
          at(r, r) = std::sqrt(s);
          inv_diag_[r] = 1.0 / at(r, r);
        }
      }
    }
  }

  /// x = A⁻¹ b (both of the coarsest level's size; may alias).
  void solve(const double* b, double* x) const {
    for (std::size_t r = 0; r < n_; ++r) {
      const std::size_t first = r > bw_ ? r - bw_ : 0;
      double s = b[r];
      for (std::size_t m = first; m < r; ++m) s -= at(r, m) * x[m];
      x[r] = s * inv_diag_[r];
    }
    for (std::size_t r = n_; r-- > 0;) {
      double s = x[r];
      for (std::size_t m = r + 1; m < std::min(n_, r + bw_ + 1); ++m) s -= at(m, r) * x[m];
      x[r] = s * inv_diag_[r];
    }
  }

 private:
  double& at(std::size_t r, std::size_t c) { return band_[r * (bw_ + 1) + (c + bw_ - r)]; }
  double at(std::size_t r, std::size_t c) const { return band_[r * (bw_ + 1) + (c + bw_ - r)]; }

  std::size_t n_ = 0, bw_ = 0;
  std::vector<double> band_;  ///< row r holds L(r, r − bw … r)
  std::vector<double> inv_diag_;
};

}  // namespace

struct GmgCgSolver::Hierarchy {
  std::vector<Level> levels;
  BandCholesky coarsest;
  std::vector<double> zeros;       ///< one column of zeros (missing neighbours)
  std::vector<double> x, b, r, z, p, q;  ///< PCG vectors in the finest level's column order
  std::vector<double> block_sums;  ///< per block of the finest level's column partition
  std::vector<double> row_block_sums;  ///< per block of kBlockCells rows (final CSR residual)

  /// sol = M⁻¹ rhs on level l: one cycle from a zero guess.
  void cycle(std::size_t l, const double* rhs, double* sol) {
    if (l + 1 == levels.size()) {
      coarsest.solve(rhs, sol);
      return;
    }
    const Level& L = levels[l];
    Level& C = levels[l + 1];
    const double* zero = zeros.data();
    constexpr int kFirst = 0, kSecond = 1;
    colour_sweep<false>(L, zero, rhs, sol, kFirst);
    colour_sweep<true>(L, zero, rhs, sol, kSecond);
    restrict_residual(L, C, zero, rhs, sol, kFirst, C.rhs.data());
    cycle(l + 1, C.rhs.data(), C.sol.data());
    prolong_add(L, C, C.sol.data(), gmg_dev::tuning.omega, sol, kFirst);
    colour_sweep<true>(L, zero, rhs, sol, kSecond);
    colour_sweep<true>(L, zero, rhs, sol, kFirst);
  }
};

GmgCgSolver::GmgCgSolver(const LinearSolverOptions& options,
                         std::array<std::size_t, 3> cells_per_axis)
    : options_(options), cells_per_axis_(cells_per_axis) {
  if (!(options.relative_tolerance >= 0.0))
    throw std::invalid_argument("GmgCgSolver: relative_tolerance must be ≥ 0");
  if (options.max_iterations < 1)
    throw std::invalid_argument("GmgCgSolver: max_iterations must be ≥ 1");
  for (std::size_t n : cells_per_axis)
    if (n == 0) throw std::invalid_argument("GmgCgSolver: every axis needs at least one cell");
}

GmgCgSolver::~GmgCgSolver() = default;

std::size_t GmgCgSolver::num_levels() const {
  return hierarchy_ ? hierarchy_->levels.size() : 0;
}

double GmgCgSolver::setup(const SparseMatrix& A) {
  const auto start = Clock::now();
  const auto [nx, ny, nz] = cells_per_axis_;
  const std::size_t n = nx * ny * nz;
  if (static_cast<std::size_t>(A.rows()) != n || static_cast<std::size_t>(A.cols()) != n)
    throw std::invalid_argument("GmgCgSolver: matrix size " + std::to_string(A.rows()) + " × " +
                                std::to_string(A.cols()) + " does not match the grid's " +
                                std::to_string(n) + " cells");
  if (!A.isCompressed())
    throw std::invalid_argument("GmgCgSolver: matrix must be compressed (makeCompressed())");
  A_ = nullptr;
  if (!hierarchy_) hierarchy_ = std::make_unique<Hierarchy>();
  Hierarchy& H = *hierarchy_;

  H.levels.resize(1);
  H.levels[0].resize(nx, ny, nz, false);
  H.zeros.assign(nz, 0.0);
  for (auto* v : {&H.x, &H.b, &H.r, &H.z, &H.p, &H.q}) v->assign(n, 0.0);
  H.block_sums.assign(H.levels[0].num_blocks(), 0.0);
  H.row_block_sums.assign((n + kBlockCells - 1) / kBlockCells, 0.0);

  // Finest level: the stencil of A in column order; check shape, symmetry and diagonal.
  Level& F = H.levels[0];
  const int* outer = A.outerIndexPtr();
  const int* cols = A.innerIndexPtr();
  const double* vals = A.valuePtr();
  const std::size_t plane = nx * ny;
  long bad_pattern = 0, bad_diag = 0;
#pragma omp parallel for schedule(static) reduction(+ : bad_pattern, bad_diag)
  for (std::size_t row = 0; row < n; ++row) {
    const std::size_t i = row % nx, j = (row / nx) % ny, k = row / plane;
    const std::size_t c = k + nz * (i + nx * j);
    for (int e = outer[row]; e < outer[row + 1]; ++e) {
      const std::size_t col = static_cast<std::size_t>(cols[e]);
      const double v = vals[e];
      if (col == row) {
        F.diag[c] = v;
        if (!(v > 0.0) || !std::isfinite(v)) ++bad_diag;
      } else if (col == row + plane && k + 1 < nz) {
        F.gz[c] = -v;
      } else if (col == row + nx && j + 1 < ny) {
        F.gy[c] = -v;
      } else if (col == row + 1 && i + 1 < nx) {
        F.gx[c] = -v;
      } else if (!((col + plane == row && k > 0) || (col + nx == row && j > 0) ||
                   (col + 1 == row && i > 0))) {
        ++bad_pattern;
      }
    }
  }
  if (bad_pattern > 0)
    throw std::invalid_argument("GmgCgSolver: matrix has " + std::to_string(bad_pattern) +
                                " entries outside the 7-point stencil of the grid");
  if (bad_diag > 0)
    throw std::invalid_argument("GmgCgSolver: matrix has " + std::to_string(bad_diag) +
                                " diagonal entries that are not positive");
  long asymmetric = 0;
#pragma omp parallel for schedule(static) reduction(+ : asymmetric)
  for (std::size_t row = 0; row < n; ++row) {
    const std::size_t i = row % nx, j = (row / nx) % ny, k = row / plane;
    const std::size_t c = k + nz * (i + nx * j);
    for (int e = outer[row]; e < outer[row + 1]; ++e) {
      const std::size_t col = static_cast<std::size_t>(cols[e]);
      double upper = 0.0;
      if (col + plane == row && k > 0)
        upper = F.gz[c - 1];
      else if (col + nx == row && j > 0)
        upper = F.gy[c - nz * nx];
      else if (col + 1 == row && i > 0)
        upper = F.gx[c - nz];
      else
        continue;
      if (std::fabs(upper + vals[e]) > 1e-12 * std::fabs(upper)) ++asymmetric;
    }
  }
  if (asymmetric > 0)
    throw std::invalid_argument("GmgCgSolver: matrix is not symmetric (" +
                                std::to_string(asymmetric) + " entries differ)");

  while (H.levels.back().num_columns() > gmg_dev::tuning.max_coarsest_columns) {
    H.levels.emplace_back();
    Level& C = H.levels.back();
    const Level& L = H.levels[H.levels.size() - 2];
    plan_coarsening(L, C, gmg_dev::tuning.theta);
    build_coarse(L, C);
  }
  for (Level& L : H.levels) factor_columns(L);
  H.coarsest.factor(H.levels.back());
  A_ = &A;
  return seconds_since(start);
}

namespace {

/// Natural order (i + nx·(j + ny·k)) → column order (k + nz·(i + nx·j)).
void to_columns(const Level& L, const double* natural, double* column) {
  const std::size_t nx = L.nx, ny = L.ny, nz = L.nz, plane = nx * ny;
#pragma omp parallel for schedule(static) if (L.parallel())
  for (std::size_t j = 0; j < ny; ++j)
    for (std::size_t k = 0; k < nz; ++k)
      for (std::size_t i = 0; i < nx; ++i) column[k + nz * (i + nx * j)] = natural[i + nx * j + plane * k];
}

/// Column order → natural order.
void to_natural(const Level& L, const double* column, double* natural) {
  const std::size_t nx = L.nx, ny = L.ny, nz = L.nz, plane = nx * ny;
#pragma omp parallel for schedule(static) if (L.parallel())
  for (std::size_t j = 0; j < ny; ++j)
    for (std::size_t k = 0; k < nz; ++k)
      for (std::size_t i = 0; i < nx; ++i) natural[i + nx * j + plane * k] = column[k + nz * (i + nx * j)];
}

/// q = A p on the finest level; returns p·q (block-ordered sum).
double apply_and_dot(const Level& L, const double* zeros, const double* p, double* q,
                     std::vector<double>& block_sums) {
  for_each_block(L, [&](std::size_t q0, std::size_t q1, std::size_t blk) {
    double s = 0.0;
    for (std::size_t col = q0; col < q1; ++col) {
      const std::size_t i = col % L.nx, j = col / L.nx, c = col * L.nz;
      const NeighbourValues n = neighbours(L, p, zeros, i, j);
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

/// Σ f(c) over the cells of the level, summed per block in parallel, then over blocks in order.
template <class F>
double blocked_sum(const Level& L, std::vector<double>& block_sums, F&& f) {
  for_each_block(L, [&](std::size_t q0, std::size_t q1, std::size_t blk) {
    double s = 0.0;
    for (std::size_t c = q0 * L.nz; c < q1 * L.nz; ++c) s += f(c);
    block_sums[blk] = s;
  });
  return ordered_sum(block_sums, L.num_blocks());
}

/// ‖b − A x‖₂² and ‖b‖₂² with the CSR matrix in natural order, blocks of kBlockCells rows.
std::pair<double, double> csr_residual_norms(const SparseMatrix& A, const Eigen::VectorXd& b,
                                             const Eigen::VectorXd& x,
                                             std::vector<double>& block_sums) {
  const std::size_t n = static_cast<std::size_t>(A.rows());
  const std::size_t nb = (n + kBlockCells - 1) / kBlockCells;
  const int* outer = A.outerIndexPtr();
  const int* cols = A.innerIndexPtr();
  const double* vals = A.valuePtr();
  double rr = 0.0;
  for (int pass = 0; pass < 2; ++pass) {
#pragma omp parallel for schedule(static) if (n >= kMinParallelCells)
    for (std::size_t blk = 0; blk < nb; ++blk) {
      double s = 0.0;
      for (std::size_t row = blk * kBlockCells; row < std::min(n, (blk + 1) * kBlockCells);
           ++row) {
        const Eigen::Index r = static_cast<Eigen::Index>(row);
        double v = b[r];
        if (pass == 0)
          for (int e = outer[row]; e < outer[row + 1]; ++e) v -= vals[e] * x[cols[e]];
        s += v * v;
      }
      block_sums[blk] = s;
    }
    const double total = ordered_sum(block_sums, nb);
    if (pass == 1) return {total, rr};
    rr = total;
  }
  return {0.0, rr};
}

}  // namespace

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
  double *xs = H.x.data(), *bs = H.b.data(), *r = H.r.data(), *z = H.z.data(), *p = H.p.data(),
         *q = H.q.data();
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
  for (int run = 0;; ++run) {
    residual(F, zeros, bs, xs, r);
    double rr = blocked_sum(F, H.block_sums, [&](std::size_t c) { return r[c] * r[c]; });
    if (std::sqrt(rr) <= target) {
      converged = true;
      break;
    }
    if (run > kMaxRestarts || iterations >= options_.max_iterations || !std::isfinite(rr)) break;
    H.cycle(0, r, z);
    double rz = blocked_sum(F, H.block_sums, [&](std::size_t c) { return r[c] * z[c]; });
    std::copy(z, z + n, p);
    bool breakdown = false;
    while (iterations < options_.max_iterations) {
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
      if (std::sqrt(rr) <= target || !std::isfinite(rr)) break;
      H.cycle(0, r, z);
      const double rz_new =
          blocked_sum(F, H.block_sums, [&](std::size_t c) { return r[c] * z[c]; });
      const double beta = rz_new / rz;
      rz = rz_new;
      for_each_block(F, [&](std::size_t q0, std::size_t q1, std::size_t) {
        for (std::size_t c = q0 * F.nz; c < q1 * F.nz; ++c) p[c] = z[c] + beta * p[c];
      });
    }
    if (breakdown) break;
  }
  to_natural(F, xs, x.data());
  result.iterations = iterations;
  result.solve_s = seconds_since(start);
  const auto [b_norm2, r_norm2] = csr_residual_norms(*A_, b, x, H.row_block_sums);
  result.relative_residual = std::sqrt(r_norm2 / b_norm2);
  result.converged = converged && std::isfinite(result.relative_residual);
  return result;
}

std::unique_ptr<LinearSolver> make_gmg_cg_solver(const LinearSolverOptions& options,
                                                 const std::array<std::size_t, 3>& cells_per_axis) {
  return std::make_unique<GmgCgSolver>(options, cells_per_axis);
}

}  // namespace cposim::solver
