#pragma once
/// \file
/// Thermal boundary conditions on the six outer faces of the domain.

#include <array>
#include <string>

namespace cposim::solver {

/// The six outer faces, in the order used by every per-face array.
enum class DomainFace { x_min = 0, x_max = 1, y_min = 2, y_max = 3, z_min = 4, z_max = 5 };
inline constexpr std::array<const char*, 6> kDomainFaceNames = {"x_min", "x_max", "y_min",
                                                                "y_max", "z_min", "z_max"};

enum class BoundaryKind {
  adiabatic,          ///< no heat crosses the face
  convection,         ///< q_out = h (T_surface − T_K)                    (Robin)
  fixed_temperature,  ///< T_surface = T_K                                 (Dirichlet)
  heat_flux,          ///< q_in = q_in_W_per_m2 into the domain, uniform   (Neumann)
};

/// Condition on one outer face, uniform over the face. Fields not used by `kind` are ignored.
struct FaceBoundary {
  BoundaryKind kind = BoundaryKind::adiabatic;
  double h_W_per_m2K = 0.0;    ///< convection: > 0
  double T_K = 0.0;            ///< convection: ambient; fixed_temperature: the surface value
  double q_in_W_per_m2 = 0.0;  ///< heat_flux: positive heats the domain
};

}  // namespace cposim::solver
