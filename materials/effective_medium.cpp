/// \file
/// Effective-medium rules, physics.md §1.4 (Graebner & Azar laminate rules; parallel and
/// Maxwell-Garnett mixing for cylinder arrays).
#include "materials/effective_medium.hpp"

#include <cmath>
#include <stdexcept>

namespace cposim::materials {
namespace {

/// Two-phase mix by volume fraction φ of `a`: rho by volume, cp by mass.
void mix_heat_capacity(Material& out, double phi, const Material& a, const Material& b) {
  out.rho_kg_per_m3 = phi * a.rho_kg_per_m3 + (1.0 - phi) * b.rho_kg_per_m3;
  out.cp_J_per_kgK =
      (phi * a.rho_kg_per_m3 * a.cp_J_per_kgK + (1.0 - phi) * b.rho_kg_per_m3 * b.cp_J_per_kgK) /
      out.rho_kg_per_m3;
}

}  // namespace

double square_array_fraction(double pitch_m, double diameter_m) {
  if (!(pitch_m > 0.0) || !(diameter_m > 0.0) || !(diameter_m < pitch_m))
    throw std::invalid_argument("cylinder array: need 0 < diameter < pitch");
  return M_PI * diameter_m * diameter_m / (4.0 * pitch_m * pitch_m);
}

Material laminate(const std::string& name, const std::vector<Lamina>& laminae) {
  if (laminae.empty()) throw std::invalid_argument("laminate '" + name + "': no laminae");
  double t_sum = 0.0, kt_x = 0.0, kt_y = 0.0, t_over_k = 0.0, rho_t = 0.0, rho_cp_t = 0.0;
  for (const auto& l : laminae) {
    if (l.material == nullptr || !(l.thickness_m > 0.0))
      throw std::invalid_argument("laminate '" + name + "': each lamina needs thickness > 0");
    const Material& m = *l.material;
    t_sum += l.thickness_m;
    kt_x += m.k_W_per_mK[0] * l.thickness_m;
    kt_y += m.k_W_per_mK[1] * l.thickness_m;
    t_over_k += l.thickness_m / m.k_W_per_mK[2];
    rho_t += m.rho_kg_per_m3 * l.thickness_m;
    rho_cp_t += m.rho_kg_per_m3 * m.cp_J_per_kgK * l.thickness_m;
  }
  Material out;
  out.name = name;
  out.k_W_per_mK = {kt_x / t_sum, kt_y / t_sum, t_sum / t_over_k};
  out.rho_kg_per_m3 = rho_t / t_sum;
  out.cp_J_per_kgK = rho_cp_t / rho_t;
  out.source = "laminate rule, physics.md §1.4 (S)";
  return out;
}

Material cylinder_array(const std::string& name, double pitch_m, double diameter_m,
                        const Material& cylinder, const Material& fill) {
  const double phi = square_array_fraction(pitch_m, diameter_m);
  Material out;
  out.name = name;
  for (int a = 0; a < 2; ++a) {
    const double kb = cylinder.k_W_per_mK[a], kf = fill.k_W_per_mK[a];
    out.k_W_per_mK[a] = kf * ((kb + kf) + phi * (kb - kf)) / ((kb + kf) - phi * (kb - kf));
  }
  out.k_W_per_mK[2] = phi * cylinder.k_W_per_mK[2] + (1.0 - phi) * fill.k_W_per_mK[2];
  mix_heat_capacity(out, phi, cylinder, fill);
  out.source = "cylinder array rule, physics.md §1.4 (D)";
  return out;
}

const char* to_string(ThroughPlaneRule rule) {
  return rule == ThroughPlaneRule::parallel ? "parallel" : "series";
}

Material metal_coverage(const std::string& name, double coverage, const Material& metal,
                        const Material& dielectric, ThroughPlaneRule kz) {
  if (!(coverage >= 0.0 && coverage <= 1.0))
    throw std::invalid_argument("metal coverage '" + name + "': need 0 <= coverage <= 1");
  Material out;
  out.name = name;
  for (int a = 0; a < 3; ++a)
    out.k_W_per_mK[a] =
        coverage * metal.k_W_per_mK[a] + (1.0 - coverage) * dielectric.k_W_per_mK[a];
  if (kz == ThroughPlaneRule::series)
    out.k_W_per_mK[2] =
        1.0 / (coverage / metal.k_W_per_mK[2] + (1.0 - coverage) / dielectric.k_W_per_mK[2]);
  mix_heat_capacity(out, coverage, metal, dielectric);
  out.source = std::string("metal coverage rule, physics.md §1.4 (S), kz ") + to_string(kz);
  return out;
}

}  // namespace cposim::materials
