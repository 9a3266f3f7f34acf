#pragma once
/// \file
/// Half-cell conductivities for temperature-dependent k: the Kirchhoff (secant) mean of k over
/// the temperature range each half cell spans, k̄ = (1/(T_a − T_b)) ∫_{T_b}^{T_a} k dT. With it
/// the flux through a half cell, k̄ (T_a − T_b)/(d/2), is exact in 1-D, where the Kirchhoff
/// variable θ = ∫ k dT / k0 is linear in x (physics.md §5.1); cell-centred k in the harmonic
/// mean would only be second-order accurate. The face temperatures come from the current
/// iterate's cell temperatures, so the outer Picard loop converges them with everything else.
/// Pure and inline, like face_conductance.hpp; the loops live in linear_system.cpp and
/// energy_balance.cpp.

#include <cmath>

#include "materials/material.hpp"

namespace cposim::solver {

/// Effective conductivities [W/(m K)] of the two half cells of an interior face, to pass to
/// face_conductance() in place of k_lo and k_hi.
struct HalfCellK {
  double lo = 0.0;
  double hi = 0.0;
};

/// True if `a` and `b` have the same k(T) along `axis` (then the face temperature cancels).
inline bool same_conductivity(const materials::Material& a, const materials::Material& b,
                              int axis) {
  if (&a == &b) return true;
  return a.k_W_per_mK[axis] == b.k_W_per_mK[axis] && a.law == b.law && a.T_ref_K == b.T_ref_K &&
         a.exponent == b.exponent && a.table_T_K == b.table_T_K && a.table_factor == b.table_factor;
}

/// Half-cell conductivities of the face between cell `lo` (smaller index) and cell `hi` along
/// `axis`, at cell temperatures T_lo, T_hi [K], cell widths d_lo, d_hi [m] normal to the face
/// and contact resistance R'' [m²K/W]. One material on both sides without contact: the face
/// temperature cancels and both get the mean of k over [T_hi, T_lo]. Otherwise the face
/// temperatures are found by fixed-point iteration on the half-cell resistances (a few steps:
/// each changes k by the variation of k across half a cell). Symmetric: rows lo and hi call it
/// with the same arguments and get the same bits.
inline HalfCellK face_half_cell_k(const materials::Material& m_lo, const materials::Material& m_hi,
                                  int axis, double T_lo, double T_hi, double d_lo, double d_hi,
                                  double R_m2K_per_W) {
  if (R_m2K_per_W == 0.0 && same_conductivity(m_lo, m_hi, axis)) {
    const double k = m_lo.k_W_per_mK[axis] * m_lo.k_factor_mean(T_lo, T_hi);
    return {k, k};
  }
  HalfCellK k{m_lo.k_at(axis, T_lo), m_hi.k_at(axis, T_hi)};
  for (int step = 0; step < 50; ++step) {
    const double r_lo = 0.5 * d_lo / k.lo, r_hi = 0.5 * d_hi / k.hi;
    const double q = (T_lo - T_hi) / (r_lo + R_m2K_per_W + r_hi);  // W/m², lo → hi
    const HalfCellK next{m_lo.k_W_per_mK[axis] * m_lo.k_factor_mean(T_lo, T_lo - q * r_lo),
                         m_hi.k_W_per_mK[axis] * m_hi.k_factor_mean(T_hi + q * r_hi, T_hi)};
    const bool settled =
        std::fabs(next.lo - k.lo) <= 1e-14 * k.lo && std::fabs(next.hi - k.hi) <= 1e-14 * k.hi;
    k = next;
    if (settled) break;
  }
  return k;
}

/// Half-cell conductivity [W/(m K)] of a boundary cell at T_c [K] whose face is held at
/// T_face [K]: the mean of k over [T_face, T_c].
inline double fixed_half_cell_k(const materials::Material& m, int axis, double T_c, double T_face) {
  return m.k_W_per_mK[axis] * m.k_factor_mean(T_c, T_face);
}

/// Half-cell conductivity [W/(m K)] of a boundary cell at T_c [K] (width d [m] normal to the
/// face) cooled by a fluid at T_fluid [K] through h [W/(m² K)]: the mean of k over
/// [T_surface, T_c], with the surface temperature solved by Newton from
///   ∫_{T_s}^{T_c} k dT / (d/2) = h (T_s − T_fluid)
/// (left side falls and right side rises with T_s, so the root is unique).
inline double convection_half_cell_k(const materials::Material& m, int axis, double T_c, double d_m,
                                     double h_W_per_m2K, double T_fluid) {
  const double k_ref = m.k_W_per_mK[axis], r = 0.5 * d_m;
  const double k_c = m.k_at(axis, T_c);
  double T_s = (k_c / r * T_c + h_W_per_m2K * T_fluid) / (k_c / r + h_W_per_m2K);
  for (int step = 0; step < 50; ++step) {
    const double g =
        k_ref * m.k_factor_mean(T_c, T_s) * (T_c - T_s) / r - h_W_per_m2K * (T_s - T_fluid);
    const double dg = -m.k_at(axis, T_s) / r - h_W_per_m2K;
    const double delta = g / dg;
    T_s -= delta;
    if (std::fabs(delta) <= 1e-14 * std::fabs(T_s)) break;
  }
  return k_ref * m.k_factor_mean(T_c, T_s);
}

}  // namespace cposim::solver
