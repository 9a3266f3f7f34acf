/// \file
/// Material conductivity laws and invariants.
#include "materials/material.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace cposim::materials {

double Material::k_factor(double T_K) const {
  switch (law) {
    case ConductivityLaw::constant:
      return 1.0;
    case ConductivityLaw::power_law:
      return std::pow(T_K / T_ref_K, exponent);
    case ConductivityLaw::table: {
      if (T_K <= table_T_K.front()) return table_factor.front();
      if (T_K >= table_T_K.back()) return table_factor.back();
      const auto it = std::upper_bound(table_T_K.begin(), table_T_K.end(), T_K);
      const auto i = static_cast<std::size_t>(it - table_T_K.begin());
      const double t = (T_K - table_T_K[i - 1]) / (table_T_K[i] - table_T_K[i - 1]);
      return table_factor[i - 1] + t * (table_factor[i] - table_factor[i - 1]);
    }
  }
  return 1.0;
}

void validate(const Material& m) {
  const std::string who = "material '" + m.name + "': ";
  for (double k : m.k_W_per_mK)
    if (!(k > 0.0) || !std::isfinite(k)) throw std::invalid_argument(who + "k must be > 0");
  if (!(m.rho_kg_per_m3 > 0.0) || !(m.cp_J_per_kgK > 0.0))
    throw std::invalid_argument(who + "rho and cp must be > 0");
  if (!(m.T_ref_K > 0.0)) throw std::invalid_argument(who + "T_ref must be > 0");
  if (m.law == ConductivityLaw::table) {
    if (m.table_T_K.size() < 2 || m.table_T_K.size() != m.table_factor.size())
      throw std::invalid_argument(who + "table needs >= 2 points of equal length");
    for (std::size_t i = 0; i < m.table_T_K.size(); ++i) {
      if (!(m.table_factor[i] > 0.0)) throw std::invalid_argument(who + "table k must be > 0");
      if (i > 0 && !(m.table_T_K[i] > m.table_T_K[i - 1]))
        throw std::invalid_argument(who + "table temperatures must increase");
    }
  }
}

}  // namespace cposim::materials
