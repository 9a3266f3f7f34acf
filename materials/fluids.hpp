#pragma once
/// \file
/// Coolants for cold plates: constant properties near the coolant temperature (about 35 °C),
/// each with its source tag (physics.md conventions: S sourced, L literature, E estimate).

#include <string>
#include <vector>

namespace cposim::materials {

/// A coolant's properties, SI units, taken as constant over the coolant's temperature rise.
struct Fluid {
  std::string name;
  double rho_kg_per_m3 = 0.0;
  double cp_J_per_kgK = 0.0;
  double k_W_per_mK = 0.0;
  double mu_Pa_s = 0.0;  ///< dynamic viscosity
  std::string source;    ///< provenance of each value

  /// Prandtl number cp μ / k.
  double prandtl() const { return cp_J_per_kgK * mu_Pa_s / k_W_per_mK; }
};

/// The built-in coolants ("water", "PG25"), in that order.
const std::vector<Fluid>& builtin_fluids();

/// The built-in coolant called `name` (exact, case-sensitive), or nullptr.
const Fluid* find_fluid(const std::string& name);

}  // namespace cposim::materials
