#pragma once
/// \file
/// Temperatures and heat flows on cell faces, reconstructed from the cell values and the face
/// flux the finite-volume scheme itself uses, so they are second-order accurate (exact where T
/// is piecewise linear, e.g. a 1-D stack) instead of the q·Δ/2k error of a cell-centre value.
///
/// Internal face between cells lo and hi along an axis (flux F from lo to hi through area A,
/// F = G (T_lo − T_hi) with the assembly's G, contact R'' included):
///   T_face,lo = T_lo − (F/A) d_lo/(2 k_lo),   T_face,hi = T_hi + (F/A) d_hi/(2 k_hi)
/// (equal without contact resistance). Outer face of a boundary cell: fixed_temperature gives
/// its T; a convection face cell with h > 0 gives T_fluid + q_conv/h (q_conv the film flux of
/// the energy balance); otherwise (adiabatic, heat_flux, h = 0, flux maps) the imposed inflow q
/// gives T_c + q d/(2k).

#include <array>
#include <cstddef>
#include <vector>

#include "solver/thermal_problem.hpp"

namespace cposim::solver {

/// One face of one cell.
struct FaceValue {
  double T_K = 0.0;      ///< surface temperature on the cell's side of the face
  double heat_W = 0.0;   ///< heat leaving the cell through the face (into the neighbour or out)
  double area_m2 = 0.0;  ///< face area
};

/// The face of cell `ijk` normal to `axis` on its low (side 0) or high (side 1) end, for the
/// field `T_K` (one value per cell) of `problem`. O(1) for an internal face, O(face cells)
/// for an outer one (see outer_face_values to do a whole face at once).
FaceValue face_value(const ThermalProblem& problem, const std::vector<double>& T_K,
                     const std::array<std::size_t, 3>& ijk, int axis, int side);

/// Every cell of outer face `f` (DomainFace index), in FaceAxes order (boundary.hpp).
std::vector<FaceValue> outer_face_values(const ThermalProblem& problem,
                                         const std::vector<double>& T_K, int f);

}  // namespace cposim::solver
