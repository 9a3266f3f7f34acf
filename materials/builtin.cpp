/// \file
/// Built-in materials. Every number comes from shared/design/physics.md; the tag after the
/// section is its confidence there: S sourced, L literature, D derived, E estimate.
#include "materials/builtin.hpp"

#include <algorithm>

#include "materials/find_named.hpp"

namespace cposim::materials {
namespace {

Material iso(const char* name, double k, double rho, double cp, const char* source) {
  Material m;
  m.name = name;
  m.k_W_per_mK = {k, k, k};
  m.rho_kg_per_m3 = rho;
  m.cp_J_per_kgK = cp;
  m.source = source;
  return m;
}

Material ortho(const char* name, double k_inplane, double k_through, double rho, double cp,
               const char* source) {
  Material m = iso(name, k_inplane, rho, cp, source);
  m.k_W_per_mK[2] = k_through;
  return m;
}

Material power_law(Material m, double exponent) {
  m.law = ConductivityLaw::power_law;
  m.T_ref_K = 300.0;
  m.exponent = exponent;
  return m;
}

std::vector<Material> make_library() {
  std::vector<Material> lib = {
      // Si: k(T) = 148 (T/300)^-1.3, physics.md §1.1 (L/D).
      power_law(iso("Si", 148.0, 2330.0, 700.0, "physics.md §1.1 (L/D)"), -1.3),
      // Thin SOI device layer: boundary scattering lowers in-plane k; 80 W/mK default (E).
      ortho("Si_device_layer", 80.0, 148.0, 2330.0, 700.0, "physics.md §1.1 (E)"),
      iso("SiO2", 1.38, 2200.0, 740.0, "physics.md §1.2 (L)"),
      iso("Si3N4_film", 3.0, 3100.0, 700.0, "physics.md §1.2 (E)"),
      ortho("BEOL", 10.0, 1.5, 3000.0, 700.0, "physics.md §1.2 (E)"),
      iso("Cu", 398.0, 8930.0, 385.0, "physics.md §1.2 (S)"),
      iso("SAC305", 58.0, 7400.0, 230.0, "physics.md §1.2 (S/L)"),
      iso("SnPb", 50.0, 8400.0, 180.0, "physics.md §1.2 (S)"),
      iso("AuSn", 57.0, 14500.0, 150.0, "physics.md §1.2 (S/L)"),
      iso("underfill", 0.6, 1800.0, 1000.0, "physics.md §1.2 (E)"),
      iso("EMC", 0.97, 1990.0, 880.0, "physics.md §1.2 (S)"),
      iso("ABF", 0.3, 1500.0, 1000.0, "physics.md §1.2 (E)"),
      ortho("core_laminate", 0.75, 0.3, 1800.0, 1000.0, "physics.md §1.2 (S)"),
      // Organic package substrate with Cu planes, homogenised: §1.4 typical 20–60 / 0.3–1.0 (E).
      ortho("organic_substrate", 30.0, 0.5, 2000.0, 900.0, "physics.md §1.4 (E)"),
      iso("glass", 1.1, 2450.0, 790.0, "physics.md §1.2 (E)"),
      power_law(iso("InP", 68.0, 4810.0, 310.0, "physics.md §1.2 (S/L)"), -1.4),
      power_law(iso("GaAs", 50.0, 5320.0, 330.0, "physics.md §1.2 (S/L)"), -1.25),
      iso("AlN", 180.0, 3260.0, 740.0, "physics.md §1.2 (S/L)"),
      iso("alumina", 25.0, 3900.0, 880.0, "physics.md §1.2 (S/L)"),
      iso("AlSiC", 180.0, 2950.0, 740.0, "physics.md §1.2 (S)"),
      iso("CuMo", 170.0, 10000.0, 250.0, "physics.md §1.2 (S/L)"),
      iso("CuW", 175.0, 15000.0, 190.0, "physics.md §1.2 (S/L)"),
      iso("diamond", 1500.0, 3520.0, 510.0, "physics.md §1.2 (S/L)"),
      iso("water", 0.60, 997.0, 4180.0, "physics.md §1.2 (L)"),
      iso("PG25", 0.50, 1020.0, 3900.0, "physics.md §1.2 (E)"),
      iso("air", 0.026, 1.16, 1007.0, "physics.md §1.3 (S)"),
      iso("epoxy", 0.2, 1200.0, 1100.0, "physics.md §1.3 (S)"),
      iso("TIM_grease", 5.0, 3000.0, 700.0, "physics.md §1.3 (S/E)"),
      iso("TIM_gel", 5.0, 2500.0, 900.0, "physics.md §1.3 (E)"),
      iso("indium", 84.0, 7310.0, 233.0, "physics.md §1.3 (L)"),
      iso("liquid_metal", 20.0, 6400.0, 300.0, "physics.md §1.3 (S/L)"),
  };
  std::sort(lib.begin(), lib.end(),
            [](const Material& a, const Material& b) { return a.name < b.name; });
  return lib;
}

}  // namespace

const std::vector<Material>& builtin_materials() {
  static const std::vector<Material> library = make_library();
  return library;
}

const Material* find_builtin(const std::string& name) {
  return find_named(builtin_materials(), name);
}

}  // namespace cposim::materials
