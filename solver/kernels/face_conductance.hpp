#pragma once
/// \file
/// Pointwise conductance kernels of the finite-volume scheme. Pure and inline; the loops that
/// call them live in linear_system.cpp and energy_balance.cpp.

namespace cposim::solver {

/// Thermal conductance [W/K] between the centres of two neighbouring cells through their
/// shared face, half-cells and contact resistance in series:
///   G = A / (d_lo/(2 k_lo) + d_hi/(2 k_hi) + R'')
/// `lo` is always the cell with the smaller index, so both rows that use a face compute the
/// same bits and the matrix is exactly symmetric.
/// \param area_m2  face area;  d_*: cell widths normal to the face [m];  k_*: [W/(m K)]
/// \param R_contact_m2K_per_W  interface resistance on the face (0 = perfect contact)
inline double face_conductance(double area_m2, double d_lo_m, double k_lo, double d_hi_m,
                               double k_hi, double R_contact_m2K_per_W = 0.0) {
  return area_m2 / (0.5 * d_lo_m / k_lo + 0.5 * d_hi_m / k_hi + R_contact_m2K_per_W);
}

/// Conductance [W/K] from a boundary cell's centre to the fluid through a convective face:
///   G = A / (d/(2k) + 1/h)
inline double convection_conductance(double area_m2, double d_m, double k, double h_W_per_m2K) {
  return area_m2 / (0.5 * d_m / k + 1.0 / h_W_per_m2K);
}

/// Conductance [W/K] from a boundary cell's centre to a face held at fixed temperature:
///   G = A / (d/(2k)) = 2 k A / d
inline double fixed_face_conductance(double area_m2, double d_m, double k) {
  return area_m2 / (0.5 * d_m / k);
}

}  // namespace cposim::solver
