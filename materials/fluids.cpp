/// \file
/// Built-in coolants. k, ρ and cp come from physics.md §1.2; the viscosities are not in
/// physics.md and are tagged on their own.
#include "materials/fluids.hpp"

#include "materials/find_named.hpp"

namespace cposim::materials {

const std::vector<Fluid>& builtin_fluids() {
  static const std::vector<Fluid> fluids = {
      // Water: k, ρ, cp physics.md §1.2 (L, Incropera). μ = 0.72e-3 Pa·s at 35 °C
      // (L: saturated-water tables, e.g. Incropera Table A.6, 0.720e-3 at 308 K).
      {"water", 997.0, 4180.0, 0.60, 0.72e-3,
       "k, rho, cp physics.md §1.2 (L); mu at 35 °C (L, Incropera Table A.6)"},
      // 25 % propylene glycol: k, ρ, cp physics.md §1.2 (E). μ ≈ 2.0e-3 Pa·s near 35 °C (E:
      // glycol-water charts give about 1.5–2.5e-3 Pa·s at 25–40 °C; placeholder to override).
      {"PG25", 1020.0, 3900.0, 0.50, 2.0e-3, "k, rho, cp physics.md §1.2 (E); mu (E)"},
  };
  return fluids;
}

const Fluid* find_fluid(const std::string& name) { return find_named(builtin_fluids(), name); }

}  // namespace cposim::materials
