#pragma once
/// \file
/// Thermal boundary conditions on the six outer faces of the domain.

#include <array>
#include <cstddef>
#include <string>
#include <vector>

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

/// The axes of face `f`: normal a = f / 2, then the in-plane axes u = (a + 1) mod 3 and
/// v = (a + 2) mod 3, i.e. (y, z) on x faces, (z, x) on y faces, (x, y) on z faces.
/// Per-face-cell arrays (FaceBoundary::h_map, T_map) are indexed iu + n_u · jv: u fastest.
struct FaceAxes {
  int normal = 0, u = 1, v = 2;
};
inline constexpr FaceAxes face_axes(int f) { return {f / 2, (f / 2 + 1) % 3, (f / 2 + 2) % 3}; }

/// Condition on one outer face: uniform over the face, or (convection only) per face cell
/// through the optional lent maps. Fields not used by `kind` are ignored.
struct FaceBoundary {
  BoundaryKind kind = BoundaryKind::adiabatic;
  double h_W_per_m2K = 0.0;    ///< convection: > 0 (ignored where h_map is set)
  double T_K = 0.0;            ///< convection: ambient; fixed_temperature: the surface value
  double q_in_W_per_m2 = 0.0;  ///< heat_flux: positive heats the domain
  /// Convection only, optional, lent (must outlive the problem; may be changed between solves,
  /// e.g. by a cold plate's fluid march). One value per face cell in FaceAxes order.
  /// h_map: film coefficient [W/(m² K)] of each face cell, ≥ 0 (0: that cell is adiabatic);
  /// T_map: fluid temperature [K] each face cell sees. Null: h_W_per_m2K or T_K everywhere.
  const std::vector<double>* h_map = nullptr;
  const std::vector<double>* T_map = nullptr;
  /// Optional, lent, any kind but fixed_temperature: an imposed heat flux [W/m²] into the
  /// domain per face cell (FaceAxes order), added to the face's own condition (flux maps and
  /// patches). Counted in the energy balance as inflow through the face.
  const std::vector<double>* q_map = nullptr;

  /// h and fluid temperature of face cell `fc` (convection).
  double h_at(std::size_t fc) const { return h_map != nullptr ? (*h_map)[fc] : h_W_per_m2K; }
  double T_at(std::size_t fc) const { return T_map != nullptr ? (*T_map)[fc] : T_K; }
  bool has_map() const { return h_map != nullptr || T_map != nullptr; }
  /// Imposed flux into the domain [W/m²] at face cell `fc` from q_map (0 without one).
  double q_map_at(std::size_t fc) const { return q_map != nullptr ? (*q_map)[fc] : 0.0; }
};

}  // namespace cposim::solver
