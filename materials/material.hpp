#pragma once
/// \file
/// Material: orthotropic conductivity with an optional temperature law, density and heat capacity.

#include <array>
#include <string>
#include <vector>

namespace cposim::materials {

/// How conductivity changes with temperature. The same factor k(T)/k(T_ref) scales all axes.
enum class ConductivityLaw {
  constant,   ///< k(T) = k_ref
  power_law,  ///< k(T) = k_ref · (T / T_ref)^exponent            (physics.md §1.1)
  table,      ///< k(T) = k_ref · f(T), f linear in T between table points, flat outside
};

/// A material. Conductivities are W/(m·K) per axis (x, y, z) at T_ref_K.
struct Material {
  std::string name;
  std::array<double, 3> k_W_per_mK{};  ///< kx, ky, kz at T_ref_K, each > 0
  double rho_kg_per_m3 = 0.0;
  double cp_J_per_kgK = 0.0;
  ConductivityLaw law = ConductivityLaw::constant;
  double T_ref_K = 300.0;
  double exponent = 0.0;             ///< power_law only
  std::vector<double> table_T_K;     ///< table only: strictly increasing
  std::vector<double> table_factor;  ///< table only: k(T)/k_ref at table_T_K, each > 0
  std::string source;                ///< provenance, e.g. "physics.md §1.2 (S)"

  /// Conductivity factor k(T)/k_ref at temperature T_K (> 0).
  double k_factor(double T_K) const;
  /// Conductivity along `axis` (0 = x, 1 = y, 2 = z) at T_K, W/(m·K).
  double k_at(int axis, double T_K) const { return k_W_per_mK[axis] * k_factor(T_K); }
  /// Kirchhoff (secant) mean of the factor over [T1, T2] (either order, both > 0):
  ///   (1/(T2 − T1)) ∫_{T1}^{T2} k_factor(T) dT,  k_factor(T1) if T1 == T2.
  /// Symmetric in its arguments; free of cancellation for close temperatures. It makes the
  /// finite-volume flux through a half cell exact in 1-D (physics.md §5.1).
  double k_factor_mean(double T1_K, double T2_K) const;
  /// True if k depends on temperature.
  bool is_nonlinear() const { return law != ConductivityLaw::constant; }
};

/// Checks the invariants above; throws std::invalid_argument naming the material and field.
void validate(const Material& m);

}  // namespace cposim::materials
