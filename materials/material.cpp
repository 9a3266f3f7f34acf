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

double Material::k_factor_mean(double T1_K, double T2_K) const {
  const double a = std::min(T1_K, T2_K), b = std::max(T1_K, T2_K);
  if (law == ConductivityLaw::constant) return 1.0;
  if (!(b > a)) return k_factor(a);
  if (law == ConductivityLaw::power_law) {
    if (exponent == 0.0) return 1.0;
    // Close temperatures: the mean of (m (1 + x))^e over x in [−δ, δ], m the midpoint and
    // δ = (b − a)/(2m) ≤ 5e-4, as its series 1 + e(e−1)δ²/6 + e(e−1)(e−2)(e−3)δ⁴/120 (next
    // term ~δ⁶ < 1e-19) instead of a difference of two nearly equal powers; one pow, too.
    if (b - a <= 1e-3 * b) {
      const double m = 0.5 * (a + b), d = (b - a) / (2.0 * m), d2 = d * d;
      const double e = exponent, c2 = e * (e - 1.0) / 6.0;
      const double c4 = e * (e - 1.0) * (e - 2.0) * (e - 3.0) / 120.0;
      return k_factor(m) * (1.0 + c2 * d2 + c4 * d2 * d2);
    }
    const double p = exponent + 1.0;
    if (std::fabs(p) < 1e-12) return T_ref_K * std::log(b / a) / (b - a);
    return T_ref_K / p * (std::pow(b / T_ref_K, p) - std::pow(a / T_ref_K, p)) / (b - a);
  }
  // Table: the factor is piecewise linear (flat outside), so trapezoids between the table
  // points inside (a, b) integrate it exactly; every term is positive, so nothing cancels.
  double integral = 0.0, t_prev = a, f_prev = k_factor(a);
  for (std::size_t i = 0; i < table_T_K.size(); ++i) {
    if (table_T_K[i] <= a) continue;
    if (table_T_K[i] >= b) break;
    integral += 0.5 * (f_prev + table_factor[i]) * (table_T_K[i] - t_prev);
    t_prev = table_T_K[i];
    f_prev = table_factor[i];
  }
  integral += 0.5 * (f_prev + k_factor(b)) * (b - t_prev);
  return integral / (b - a);
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
