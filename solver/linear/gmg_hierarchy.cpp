/// \file
/// GmgCgSolver's hierarchy: finest-level extraction, lateral coarsening (plan and Galerkin
/// operator with scaled couplings), column factorisation. gmg_cg.cpp has the reasoning.
#include "solver/linear/gmg_hierarchy.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>

namespace cposim::solver::gmg {
namespace {

/// A lateral pair is merged if its coupling is at least this times the couplings of both
/// columns in the other lateral direction. Measured on graded and sliver grids (1–2 M cells):
/// 0.25 keeps 14–15 iterations with grid complexity 1.4–2.2; 0.5 gives 12–16 iterations with
/// grid complexity up to 3.0; without the test (always 2 × 2) sliver grids need 44.
constexpr double kStrongRatio = 0.25;

/// Largest fraction of columns a level may keep. A plan that keeps more is redone with the
/// ratio halved (merging the indices whose weakest coupling is least anisotropic first), and
/// below kFullPairingRatio every index is paired. Measured on HotSpot's ev6 example (104 × 91
/// columns where 67 µm and 1 mm cells cross: cells laterally anisotropic both ways, so no
/// index passes 0.25 in every row): pairing everything at once (the former fallback) needed
/// 99 iterations (grid complexity 1.45), the halving ladder 21 (complexity 3.1); a limit of 0.7
/// instead of 0.85 gives 33 (complexity 2.05).
constexpr double kMaxColumnRatio = 0.85;

/// Below this ratio the ladder stops and pairs every index (8 halvings of kStrongRatio).
constexpr double kFullPairingRatio = 1e-3;

/// Position of column `col` in CSR row `row`, or −1.
int find_entry(const int* outer, const int* cols, std::size_t row, std::size_t col) {
  for (int e = outer[row]; e < outer[row + 1]; ++e)
    if (static_cast<std::size_t>(cols[e]) == col) return e;
  return -1;
}

/// Thomas pivots of every column of the level. Returns false if a pivot is not positive (the
/// level's operator is then not positive definite).
bool factor_columns(Level& L) {
  std::vector<char> block_ok(L.num_blocks(), 1);
  for_each_block(L, [&](std::size_t q0, std::size_t q1, std::size_t blk) {
    for (std::size_t q = q0; q < q1; ++q) {
      const std::size_t c = q * L.nz;
      double inv_prev = 0.0, g_prev = 0.0;
      for (std::size_t k = 0; k < L.nz; ++k) {
        const double pivot = L.diag[c + k] - g_prev * g_prev * inv_prev;
        if (!(pivot > 0.0) || !std::isfinite(pivot)) block_ok[blk] = 0;
        inv_prev = 1.0 / pivot;
        L.inv_pivot[c + k] = inv_prev;
        g_prev = L.gz[c + k];
      }
    }
  });
  return std::all_of(block_ok.begin(), block_ok.end(), [](char ok) { return ok != 0; });
}

/// 1-D aggregation of an axis of n indices: i and i + 1 are merged when face i may be coarsened
/// (greedy from 0), every other index stays alone. Returns the aggregate boundaries.
std::vector<std::size_t> pair_up(const std::vector<char>& mergeable_face, std::size_t n) {
  std::vector<std::size_t> begin{0};
  for (std::size_t i = 0; i < n;) {
    i += (i + 1 < n && mergeable_face[i]) ? 2 : 1;
    begin.push_back(i);
  }
  return begin;
}

/// Chooses the lateral aggregation of level F (see the file comment) and sizes C for it.
void plan_coarsening(const Level& F, Level& C) {
  const std::size_t nx = F.nx, ny = F.ny, ncol = F.num_columns();
  // Column conductances: Σ_k of each column's x+ and y+ couplings.
  std::vector<double> column_gx(ncol, 0.0), column_gy(ncol, 0.0);
  for_each_block(F, [&](std::size_t q0, std::size_t q1, std::size_t) {
    for (std::size_t q = q0; q < q1; ++q) {
      double sx = 0.0, sy = 0.0;
      for (std::size_t k = 0; k < F.nz; ++k) {
        sx += F.gx[q * F.nz + k];
        sy += F.gy[q * F.nz + k];
      }
      column_gx[q] = sx;
      column_gy[q] = sy;
    }
  });
  // Strongest coupling of each column in each lateral direction.
  std::vector<double> strongest_x(ncol), strongest_y(ncol);
  for (std::size_t j = 0; j < ny; ++j)
    for (std::size_t i = 0; i < nx; ++i) {
      const std::size_t q = i + nx * j;
      strongest_x[q] = std::max(column_gx[q], i > 0 ? column_gx[q - 1] : 0.0);
      strongest_y[q] = std::max(column_gy[q], j > 0 ? column_gy[q - nx] : 0.0);
    }
  // Weakest ratio of each index over all rows: the coupling across face i (j) over the
  // strongest coupling of its two columns in the other direction.
  constexpr double kInf = std::numeric_limits<double>::infinity();
  std::vector<double> weakest_x(nx, kInf), weakest_y(ny, kInf);
  const auto ratio = [](double g, double a, double b) {
    const double other = std::max(a, b);
    return other > 0.0 ? g / other : kInf;
  };
  for (std::size_t j = 0; j < ny; ++j)
    for (std::size_t i = 0; i < nx; ++i) {
      const std::size_t q = i + nx * j;
      if (i + 1 < nx)
        weakest_x[i] =
            std::min(weakest_x[i], ratio(column_gx[q], strongest_y[q], strongest_y[q + 1]));
      if (j + 1 < ny)
        weakest_y[j] =
            std::min(weakest_y[j], ratio(column_gy[q], strongest_x[q], strongest_x[q + nx]));
    }
  std::vector<char> merge_x(nx), merge_y(ny);
  std::vector<std::size_t> xb, yb;
  for (double strong = kStrongRatio;; strong *= 0.5) {
    const bool all = strong < kFullPairingRatio;
    for (std::size_t i = 0; i < nx; ++i) merge_x[i] = all || weakest_x[i] >= strong;
    for (std::size_t j = 0; j < ny; ++j) merge_y[j] = all || weakest_y[j] >= strong;
    xb = pair_up(merge_x, nx);
    yb = pair_up(merge_y, ny);
    const double kept = static_cast<double>((xb.size() - 1) * (yb.size() - 1));
    if (all || kept <= kMaxColumnRatio * static_cast<double>(ncol)) break;
  }
  C.resize(xb.size() - 1, yb.size() - 1, F.nz, true);
  C.x_of.assign(nx, 0);
  C.y_of.assign(ny, 0);
  for (std::size_t I = 0; I < C.nx; ++I)
    for (std::size_t i = xb[I]; i < xb[I + 1]; ++i) C.x_of[i] = I;
  for (std::size_t J = 0; J < C.ny; ++J)
    for (std::size_t j = yb[J]; j < yb[J + 1]; ++j) C.y_of[j] = J;
  C.x_begin = std::move(xb);
  C.y_begin = std::move(yb);
}

/// Coarse operator of level F on the aggregation planned in C (see the file comment): Galerkin
/// sums, then lateral couplings scaled by 2 / (m_left + m_right) with the diagonal lowered by
/// what the scaling removed.
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
        C.inside2[cc + k] = 2.0 * inside;
        C.diag[cc + k] = diag - C.inside2[cc + k];
        C.gx[cc + k] = gx;
        C.gy[cc + k] = gy;
        C.gz[cc + k] = gz;
      }
    }
  });
  // Scale of the coupling between aggregates I and I + 1 (1 past the last aggregate).
  const auto scale = [](const std::vector<std::size_t>& begin, std::size_t I) {
    return I + 2 < begin.size() ? 2.0 / static_cast<double>(begin[I + 2] - begin[I]) : 1.0;
  };
  // Two passes: the diagonal needs the unscaled couplings of the neighbours.
  for_each_block(C, [&](std::size_t q0, std::size_t q1, std::size_t) {
    for (std::size_t q = q0; q < q1; ++q) {
      const std::size_t I = q % C.nx, J = q / C.nx, cc = q * C.nz;
      const double rx = 1.0 - scale(C.x_begin, I), ry = 1.0 - scale(C.y_begin, J);
      const double rx_lo = I > 0 ? 1.0 - scale(C.x_begin, I - 1) : 0.0;
      const double ry_lo = J > 0 ? 1.0 - scale(C.y_begin, J - 1) : 0.0;
      for (std::size_t k = 0; k < C.nz; ++k) {
        const std::size_t c = cc + k;
        double removed = rx * C.gx[c] + ry * C.gy[c];
        if (I > 0) removed += rx_lo * C.gx[c - C.nz];
        if (J > 0) removed += ry_lo * C.gy[c - C.nz * C.nx];
        C.removed[c] = removed;
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

/// The diagonal of coarse level C from the finer level F's, as build_coarse computes it.
void coarse_diagonal(const Level& F, Level& C) {
  for_each_block(C, [&](std::size_t q0, std::size_t q1, std::size_t) {
    for (std::size_t q = q0; q < q1; ++q) {
      const std::size_t I = q % C.nx, J = q / C.nx, cc = q * C.nz;
      for (std::size_t k = 0; k < C.nz; ++k) {
        double diag = 0.0;
        for (std::size_t j = C.y_begin[J]; j < C.y_begin[J + 1]; ++j)
          for (std::size_t i = C.x_begin[I]; i < C.x_begin[I + 1]; ++i)
            diag += F.diag[F.column_start(i, j) + k];
        C.diag[cc + k] = diag - C.inside2[cc + k];
        C.diag[cc + k] -= C.removed[cc + k];
      }
    }
  });
}

/// Factors the columns of every level; throws if one is not positive definite.
void factor_all(std::vector<Level>& levels) {
  for (Level& L : levels)
    if (!factor_columns(L))
      throw std::runtime_error(
          "GmgCgSolver: a column of the multigrid hierarchy is not positive "
          "definite (is A a symmetric M-matrix with a heat sink?)");
}

}  // namespace

void extract_finest_level(const SparseMatrix& A, Level& F) {
  const std::size_t nx = F.nx, ny = F.ny, nz = F.nz;
  // Symmetry: each lower entry against the matching upper entry of the neighbour's row.
  const int* outer = A.outerIndexPtr();
  const int* cols = A.innerIndexPtr();
  const double* vals = A.valuePtr();
  const std::size_t plane = nx * ny;
  long bad_pattern = 0, bad_diag = 0, asymmetric = 0;
  // Rows j in fixed chunks, each chunk in order on one thread: within a chunk, the y− mirror
  // of every row but the chunk's first has been extracted already.
  constexpr std::size_t kRowsPerChunk = 8;
  const std::size_t chunks = (ny + kRowsPerChunk - 1) / kRowsPerChunk;
#pragma omp parallel for schedule(static) reduction(+ : bad_pattern, bad_diag, asymmetric)
  for (std::size_t chunk = 0; chunk < chunks; ++chunk)
    for (std::size_t j = chunk * kRowsPerChunk; j < std::min(ny, (chunk + 1) * kRowsPerChunk); ++j)
      for (std::size_t k = 0; k < nz; ++k)
        for (std::size_t i = 0; i < nx; ++i) {
          const std::size_t row = i + nx * j + plane * k, c = F.column_start(i, j) + k;
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
            } else if ((col + plane == row && k > 0) || (col + nx == row && j > 0) ||
                       (col + 1 == row && i > 0)) {
              // The x− and z− neighbours were extracted earlier by this thread, and so was the
              // y− one except in a chunk's first row (its entry is then looked up in the CSR).
              double upper = 0.0;
              if (col + 1 == row && i > 0) {
                upper = -F.gx[c - nz];
              } else if (col + plane == row && k > 0) {
                upper = -F.gz[c - 1];
              } else if (j % kRowsPerChunk != 0) {
                upper = -F.gy[c - nz * nx];
              } else {
                const int mirror = find_entry(outer, cols, col, row);
                upper = mirror < 0 ? 0.0 : vals[mirror];
              }
              if (!(std::fabs(upper - v) <= 1e-12 * std::fabs(v))) ++asymmetric;
            } else {
              ++bad_pattern;
            }
          }
        }
  if (bad_pattern > 0)
    throw std::invalid_argument("GmgCgSolver: matrix has " + std::to_string(bad_pattern) +
                                " entries outside the 7-point stencil of the grid");
  if (bad_diag > 0)
    throw std::invalid_argument("GmgCgSolver: matrix has " + std::to_string(bad_diag) +
                                " diagonal entries that are not positive and finite");
  if (asymmetric > 0)
    throw std::invalid_argument("GmgCgSolver: matrix is not symmetric (" +
                                std::to_string(asymmetric) + " couplings differ)");
}

void update_diagonals(const SparseMatrix& A, std::vector<Level>& levels) {
  Level& F = levels[0];
  const int* outer = A.outerIndexPtr();
  const int* cols = A.innerIndexPtr();
  const double* vals = A.valuePtr();
  const std::size_t plane = F.nx * F.ny;
  long bad_diag = 0;
#pragma omp parallel for schedule(static) reduction(+ : bad_diag)
  for (std::size_t j = 0; j < F.ny; ++j)
    for (std::size_t k = 0; k < F.nz; ++k)
      for (std::size_t i = 0; i < F.nx; ++i) {
        const std::size_t row = i + F.nx * j + plane * k;
        const int e = find_entry(outer, cols, row, row);
        const double v = e < 0 ? 0.0 : vals[e];
        F.diag[F.column_start(i, j) + k] = v;
        if (!(v > 0.0) || !std::isfinite(v)) ++bad_diag;
      }
  if (bad_diag > 0)
    throw std::invalid_argument("GmgCgSolver: matrix has " + std::to_string(bad_diag) +
                                " diagonal entries that are not positive and finite");
  for (std::size_t l = 1; l < levels.size(); ++l) coarse_diagonal(levels[l - 1], levels[l]);
  factor_all(levels);
}

void build_coarse_levels(std::vector<Level>& levels) {
  // Coarse levels of a previous set-up are reused (their storage), then the surplus dropped.
  std::size_t num = 1;
  while (levels[num - 1].num_columns() > 1) {
    if (levels.size() == num) levels.emplace_back();
    plan_coarsening(levels[num - 1], levels[num]);
    build_coarse(levels[num - 1], levels[num]);
    ++num;
  }
  levels.resize(num);
  factor_all(levels);
}

}  // namespace cposim::solver::gmg
