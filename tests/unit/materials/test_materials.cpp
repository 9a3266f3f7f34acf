/// \file
/// Unit tests of conductivity laws, the built-in library and effective-medium rules.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "materials/builtin.hpp"
#include "materials/effective_medium.hpp"

using namespace cposim::materials;

TEST_CASE("Si power law: k(300 K) = 148, k(350 K) = 148 (350/300)^-1.3 ≈ 121 (physics.md §1.1)") {
  const Material* si = find_builtin("Si");
  REQUIRE(si != nullptr);
  CHECK(si->k_at(0, 300.0) == doctest::Approx(148.0).epsilon(1e-14));
  CHECK(si->k_at(2, 350.0) ==
        doctest::Approx(148.0 * std::pow(350.0 / 300.0, -1.3)).epsilon(1e-14));
  CHECK(si->k_at(2, 350.0) == doctest::Approx(121.0).epsilon(5e-3));
}

TEST_CASE("table law: linear between points, flat outside") {
  Material m;
  m.name = "t";
  m.k_W_per_mK = {10, 10, 10};
  m.rho_kg_per_m3 = 1;
  m.cp_J_per_kgK = 1;
  m.law = ConductivityLaw::table;
  m.table_T_K = {300, 400};
  m.table_factor = {1.0, 0.5};
  validate(m);
  CHECK(m.k_at(0, 350) == doctest::Approx(7.5).epsilon(1e-14));
  CHECK(m.k_at(0, 250) == 10.0);
  CHECK(m.k_at(0, 500) == 5.0);
  m.table_T_K = {400, 300};
  CHECK_THROWS_AS(validate(m), std::invalid_argument);
}

TEST_CASE("every built-in material is valid, named uniquely and has a source") {
  const auto& lib = builtin_materials();
  CHECK(lib.size() >= 25);
  for (std::size_t i = 0; i < lib.size(); ++i) {
    CAPTURE(lib[i].name);
    CHECK_NOTHROW(validate(lib[i]));
    CHECK(lib[i].source.find("physics.md") != std::string::npos);
    if (i > 0) CHECK(lib[i - 1].name < lib[i].name);
  }
  for (const char* name :
       {"Si",    "SiO2", "Si3N4_film",    "Cu",    "SAC305", "AuSn",  "InP",  "underfill",
        "EMC",   "ABF",  "core_laminate", "glass", "AlN",    "AlSiC", "CuMo", "diamond",
        "water", "air",  "TIM_grease",    "indium"})
    CHECK_MESSAGE(find_builtin(name) != nullptr, name);
}

TEST_CASE("C4 bump array reproduces physics.md §1.4: phi 0.283, kz 16.8, kxy ≈ 0.89") {
  Material bump = *find_builtin("SAC305");
  Material fill = *find_builtin("underfill");
  fill.k_W_per_mK = {0.5, 0.5, 0.5};  // the §1.4 example uses UF 0.5
  const Material c4 = cylinder_array("c4", 150e-6, 90e-6, bump, fill);
  const double phi = M_PI * 90.0 * 90.0 / (4.0 * 150.0 * 150.0);
  CHECK(phi == doctest::Approx(0.2827).epsilon(1e-3));
  CHECK(c4.k_W_per_mK[2] == doctest::Approx(phi * 58 + (1 - phi) * 0.5).epsilon(1e-14));
  CHECK(c4.k_W_per_mK[2] == doctest::Approx(16.8).epsilon(3e-3));
  // Full Maxwell-Garnett is slightly below the k_b ≫ k_f limit 0.5 (1+φ)/(1−φ) = 0.894.
  CHECK(c4.k_W_per_mK[0] < 0.5 * (1 + phi) / (1 - phi));
  CHECK(c4.k_W_per_mK[0] == doctest::Approx(0.5 * (1 + phi) / (1 - phi)).epsilon(1e-2));
  CHECK(c4.rho_kg_per_m3 == doctest::Approx(phi * 7400 + (1 - phi) * 1800).epsilon(1e-14));
  CHECK_THROWS_AS(cylinder_array("bad", 50e-6, 60e-6, bump, fill), std::invalid_argument);
}

TEST_CASE("laminate: parallel in-plane, series through-plane") {
  Material a, b;
  a.k_W_per_mK = {400, 400, 400};
  a.rho_kg_per_m3 = 8000;
  a.cp_J_per_kgK = 400;
  b.k_W_per_mK = {0.3, 0.3, 0.3};
  b.rho_kg_per_m3 = 1500;
  b.cp_J_per_kgK = 1000;
  const Material m = laminate("stack", {{&a, 10e-6}, {&b, 30e-6}});
  CHECK(m.k_W_per_mK[0] == doctest::Approx((400 * 10 + 0.3 * 30) / 40.0).epsilon(1e-14));
  CHECK(m.k_W_per_mK[2] == doctest::Approx(40.0 / (10 / 400.0 + 30 / 0.3)).epsilon(1e-14));
  CHECK(m.cp_J_per_kgK ==
        doctest::Approx((8000 * 400 * 10 + 1500 * 1000 * 30.0) / (8000 * 10 + 1500 * 30.0))
            .epsilon(1e-14));
}

TEST_CASE("metal coverage: parallel in plane, kz by the explicit parallel or series rule") {
  const auto& cu = *find_builtin("Cu");
  const auto& oxide = *find_builtin("SiO2");
  const Material p = metal_coverage("m1", 0.3, cu, oxide, ThroughPlaneRule::parallel);
  CHECK(p.k_W_per_mK[0] == doctest::Approx(0.3 * 398 + 0.7 * 1.38).epsilon(1e-14));
  CHECK(p.k_W_per_mK[2] == doctest::Approx(0.3 * 398 + 0.7 * 1.38).epsilon(1e-14));
  // Series through the thickness (issue 23): 1 / (0.3/398 + 0.7/1.38) = 1.968 W/mK.
  const Material s = metal_coverage("m2", 0.3, cu, oxide, ThroughPlaneRule::series);
  CHECK(s.k_W_per_mK[0] == doctest::Approx(0.3 * 398 + 0.7 * 1.38).epsilon(1e-14));
  CHECK(s.k_W_per_mK[1] == doctest::Approx(0.3 * 398 + 0.7 * 1.38).epsilon(1e-14));
  CHECK(s.k_W_per_mK[2] == doctest::Approx(1.0 / (0.3 / 398 + 0.7 / 1.38)).epsilon(1e-14));
  CHECK(s.k_W_per_mK[2] == doctest::Approx(1.968).epsilon(1e-3));
  CHECK(std::string(to_string(ThroughPlaneRule::series)) == "series");
  CHECK_THROWS_AS(metal_coverage("m", 1.5, cu, oxide, ThroughPlaneRule::parallel),
                  std::invalid_argument);
}
