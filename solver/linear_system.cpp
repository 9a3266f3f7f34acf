/// \file
/// Direct CSR assembly of the 7-point finite-volume operator.
///
/// Row of cell c (θ = T − T_shift):
///   Σ_n G_cn (θ_c − θ_n) + Σ_b G_b (θ_c − θ_b) + G_s (θ_c − θ_s)
///     = P_c + Σ_flux q A + Σ_q_map q_fc A
/// with G_cn from face_conductance(), G_b the half-cell boundary conductances and G_s, θ_s a
/// cell sink (ThermalProblem::cell_sinks: coolant cavities).
#include "solver/linear_system.hpp"

#include <array>

#include "solver/kernels/face_conductance.hpp"
#include "solver/kernels/kirchhoff.hpp"

namespace cposim::solver {
namespace {

/// Base conductivities and temperature-independent data of one cell, gathered once per row.
/// With k(T) the faces take Kirchhoff means (kirchhoff.hpp) and never `k`: no k(T) evaluation
/// here (it was seven pow() calls per row whose results went unused).
struct CellK {
  std::array<double, 3> k;
  mesh::RegionId region;
  const materials::Material* material;
};

inline CellK cell_k(const ThermalProblem& p, std::size_t c) {
  const mesh::RegionId r = (*p.region_of_cell)[c];
  const auto& m = (*p.region_material)[static_cast<std::size_t>(r)];
  return {m.k_W_per_mK, r, &m};
}

}  // namespace

LinearSystem::LinearSystem(const mesh::RectilinearGrid& grid) : grid_(&grid) {
  const auto [nx, ny, nz] = grid.cells_per_axis();
  const std::size_t n = grid.num_cells();
  // Row lengths are known in closed form: 1 + number of existing neighbours.
  std::vector<int> outer(n + 1, 0);
  for (std::size_t k = 0; k < nz; ++k)
    for (std::size_t j = 0; j < ny; ++j)
      for (std::size_t i = 0; i < nx; ++i) {
        const int len =
            1 + (i > 0) + (i + 1 < nx) + (j > 0) + (j + 1 < ny) + (k > 0) + (k + 1 < nz);
        outer[grid.cell(i, j, k) + 1] = len;
      }
  for (std::size_t c = 0; c < n; ++c) outer[c + 1] += outer[c];
  A_.resize(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(n));
  A_.resizeNonZeros(outer[n]);
  std::copy(outer.begin(), outer.end(), A_.outerIndexPtr());
  int* cols = A_.innerIndexPtr();
  const std::size_t sx = 1, sy = nx, sz = nx * ny;
#pragma omp parallel for collapse(2) schedule(static)
  for (std::size_t k = 0; k < nz; ++k)
    for (std::size_t j = 0; j < ny; ++j)
      for (std::size_t i = 0; i < nx; ++i) {
        const std::size_t c = grid.cell(i, j, k);
        int pos = outer[c];
        // Columns in increasing order: z−, y−, x−, self, x+, y+, z+.
        if (k > 0) cols[pos++] = static_cast<int>(c - sz);
        if (j > 0) cols[pos++] = static_cast<int>(c - sy);
        if (i > 0) cols[pos++] = static_cast<int>(c - sx);
        cols[pos++] = static_cast<int>(c);
        if (i + 1 < nx) cols[pos++] = static_cast<int>(c + sx);
        if (j + 1 < ny) cols[pos++] = static_cast<int>(c + sy);
        if (k + 1 < nz) cols[pos++] = static_cast<int>(c + sz);
      }
  std::fill(A_.valuePtr(), A_.valuePtr() + outer[n], 0.0);
  b_.setZero(static_cast<Eigen::Index>(n));
}

void LinearSystem::assemble(const ThermalProblem& p, const std::vector<double>& T_K,
                            double T_shift_K) {
  const auto& g = *grid_;
  const auto [nx, ny, nz] = g.cells_per_axis();
  const bool nonlinear = p.is_nonlinear();
  const ContactTable* contacts =
      (p.contacts != nullptr && !p.contacts->empty()) ? p.contacts : nullptr;
  const CellSinks* sinks =
      (p.cell_sinks != nullptr && !p.cell_sinks->empty()) ? p.cell_sinks : nullptr;
  const int* outer = A_.outerIndexPtr();
  double* values = A_.valuePtr();
  const std::array<std::size_t, 3> n_axis{nx, ny, nz};
  const std::array<std::size_t, 3> stride{1, nx, nx * ny};

#pragma omp parallel for collapse(2) schedule(static)
  for (std::size_t k = 0; k < nz; ++k)
    for (std::size_t j = 0; j < ny; ++j)
      for (std::size_t i = 0; i < nx; ++i) {
        const std::size_t c = g.cell(i, j, k);
        const std::array<std::size_t, 3> idx{i, j, k};
        const std::array<double, 3> d{g.width(0, i), g.width(1, j), g.width(2, k)};
        const CellK me = cell_k(p, c);
        // Off-diagonals in column order z−, y−, x−, (diag), x+, y+, z+.
        std::array<double, 6> off{};  // [axis][lo=0 / hi=1]
        double diag = 0.0, rhs = (*p.cell_power_W)[c];
        for (int a = 0; a < 3; ++a) {
          const double area = d[(a + 1) % 3] * d[(a + 2) % 3];
          for (int side = 0; side < 2; ++side) {
            const bool at_edge = side == 0 ? idx[a] == 0 : idx[a] + 1 == n_axis[a];
            if (!at_edge) {
              const std::size_t nb = side == 0 ? c - stride[a] : c + stride[a];
              const std::size_t nb_index = side == 0 ? idx[a] - 1 : idx[a] + 1;
              const double d_nb = g.width(a, nb_index);
              const CellK other = cell_k(p, nb);
              const double R = contacts ? contacts->get(me.region, other.region) : 0.0;
              // Lower cell index first, so rows c and nb compute identical bits. k(T): the
              // Kirchhoff mean over each half cell (kirchhoff.hpp).
              const CellK& lo = side == 0 ? other : me;
              const CellK& hi = side == 0 ? me : other;
              const std::size_t c_lo = side == 0 ? nb : c, c_hi = side == 0 ? c : nb;
              const double d_lo = side == 0 ? d_nb : d[a], d_hi = side == 0 ? d[a] : d_nb;
              const HalfCellK kk = nonlinear ? face_half_cell_k(*lo.material, *hi.material, a,
                                                                T_K[c_lo], T_K[c_hi], d_lo, d_hi, R)
                                             : HalfCellK{lo.k[a], hi.k[a]};
              const double G = face_conductance(area, d_lo, kk.lo, d_hi, kk.hi, R);
              off[2 * a + side] = -G;
              diag += G;
              continue;
            }
            const FaceBoundary& b = p.boundaries[2 * a + side];
            if (b.q_map != nullptr)  // imposed flux map / patches, on top of the condition
              rhs += (*b.q_map)[idx[(a + 1) % 3] + n_axis[(a + 1) % 3] * idx[(a + 2) % 3]] * area;
            if (b.kind == BoundaryKind::convection && !b.has_map()) {
              const double k_half = nonlinear ? convection_half_cell_k(*me.material, a, T_K[c],
                                                                       d[a], b.h_W_per_m2K, b.T_K)
                                              : me.k[a];
              const double G = convection_conductance(area, d[a], k_half, b.h_W_per_m2K);
              diag += G;
              rhs += G * (b.T_K - T_shift_K);
            } else if (b.kind == BoundaryKind::convection) {
              // Per face cell (FaceAxes order); h = 0 leaves the cell adiabatic.
              const int u = (a + 1) % 3, v = (a + 2) % 3;
              const std::size_t fc = idx[u] + n_axis[u] * idx[v];
              const double h = b.h_at(fc);
              if (h > 0.0) {
                const double k_half =
                    nonlinear ? convection_half_cell_k(*me.material, a, T_K[c], d[a], h, b.T_at(fc))
                              : me.k[a];
                const double G = convection_conductance(area, d[a], k_half, h);
                diag += G;
                rhs += G * (b.T_at(fc) - T_shift_K);
              }
            } else if (b.kind == BoundaryKind::fixed_temperature) {
              const double k_half =
                  nonlinear ? fixed_half_cell_k(*me.material, a, T_K[c], b.T_K) : me.k[a];
              const double G = fixed_face_conductance(area, d[a], k_half);
              diag += G;
              rhs += G * (b.T_K - T_shift_K);
            } else if (b.kind == BoundaryKind::heat_flux) {
              rhs += b.q_in_W_per_m2 * area;
            }
          }
        }
        if (sinks != nullptr && sinks->G_W_per_K[c] > 0.0) {  // coolant cavity (cell_sinks)
          diag += sinks->G_W_per_K[c];
          rhs += sinks->G_W_per_K[c] * (sinks->T_K[c] - T_shift_K);
        }
        int pos = outer[c];
        if (k > 0) values[pos++] = off[4];
        if (j > 0) values[pos++] = off[2];
        if (i > 0) values[pos++] = off[0];
        values[pos++] = diag;
        if (i + 1 < nx) values[pos++] = off[1];
        if (j + 1 < ny) values[pos++] = off[3];
        if (k + 1 < nz) values[pos++] = off[5];
        b_[static_cast<Eigen::Index>(c)] = rhs;
      }
}

}  // namespace cposim::solver
