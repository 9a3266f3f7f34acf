/// \file
/// Issue 23 item 6: implausible but legal values get a located warning; a steady state beyond
/// any material (µm typed for mm) is refused before the solve instead of ending in NaN.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "cases/resolve/load_case.hpp"
#include "cases/run/build_problem.hpp"

using namespace cposim::cases;

namespace {

std::string slab_case(const std::string& footprint, const std::string& thickness,
                      const std::string& power, const std::string& h, const std::string& T,
                      const std::string& k) {
  return "[package]\nfootprint_um = " + footprint +
         "\n"  // line 2
         "[materials.m]\nk_W_per_mK = " +
         k +                                                // line 4
         "\nrho_kg_per_m3 = 2000\ncp_J_per_kgK = 800\n"     // lines 5-6
         "[[layers]]\nname = \"slab\"\nmaterial = \"m\"\n"  // lines 7-9
         "thickness_um = " +
         thickness + "\npower_W = " + power +                             // lines 10-11
         "\n[boundary.top]\ntype = \"convection\"\nh_W_per_m2K = " + h +  // line 14
         "\nT_ambient_K = " + T + "\n";                                   // line 15
}

}  // namespace

TEST_CASE("plausibility: values outside their physical ranges warn at their location") {
  const CaseSpec ok = read_case_text(
      slab_case("[10000, 10000]", "500", "10", "20000", "308.15", "150"), "ok.toml", "");
  CHECK(ok.warnings.empty());
  // T_ambient_K = 35 (meant °C): ran and printed T_max −191 °C as "ok" before.
  const CaseSpec spec =
      read_case_text(slab_case("[10000, 2e6]", "0.005", "2e4", "2e6", "35", "1e4"), "odd.toml", "");
  REQUIRE(spec.warnings.size() == 6);
  CHECK(to_string(spec.warnings[0]) ==
        "odd.toml:2:24: warning: 'package.footprint_um[1]' = 2000000 µm is more than 1 m; lengths "
        "are in µm (1 mm = 1000 µm)");
  CHECK(to_string(spec.warnings[1])
            .find("odd.toml:4:14: warning: 'materials.m.k_W_per_mK' = "
                  "10000 W/(m K) is outside the plausible range") == 0);
  CHECK(to_string(spec.warnings[2])
            .find("odd.toml:10:16: warning: 'layers[0].thickness_um' = "
                  "0.005 µm is thinner than 10 nm") == 0);
  CHECK(to_string(spec.warnings[3])
            .find("odd.toml:11:11: warning: 'layers[0].power_W' = 20000 W "
                  "is more than 10 kW") == 0);
  CHECK(to_string(spec.warnings[4])
            .find("odd.toml:14:15: warning: 'boundary.top.h_W_per_m2K' = "
                  "2000000 W/(m² K) is above 1e6") == 0);
  CHECK(to_string(spec.warnings[5]) ==
        "odd.toml:15:15: warning: 'boundary.top.T_ambient_K' = 35 K (-238.15 °C) is outside the "
        "plausible range 200 to 1000 K; temperatures are in kelvin (35 °C is 308.15 K)");
}

TEST_CASE("plausibility: the example cases are plausible") {
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(CPOSIM_SOURCE_DIR) + "/cases/examples")) {
    if (entry.path().extension() != ".toml") continue;
    CAPTURE(entry.path().string());
    try {
      const CaseSpec spec = read_case(entry.path().string());
      CHECK(spec.warnings.empty());
    } catch (const CaseError&) {  // a sweep-only file is not a case
    }
  }
}

TEST_CASE("a steady state beyond any material is refused before the solve (µm typed for mm)") {
  // 100 W through a 20 × 20 µm top face at h = 2e4: at least 1.25e7 K above ambient. It used to
  // end in NaN temperatures and "the linear solve diverged".
  const CaseSpec spec = read_case_text(
      slab_case("[20, 20]", "0.775", "100", "20000", "308.15", "150"), "mm.toml", "");
  try {
    build_problem(spec);
    FAIL("expected a CaseError");
  } catch (const CaseError& e) {
    const std::string what = e.what();
    CHECK(what.find("mm.toml:1:1: error: no plausible steady state: the 100 W of the case can "
                    "leave only through the convective faces, h·A = 8e-06 W/K") == 0);
    CHECK(what.find("check the units: lengths are in µm (footprint 20 × 20 µm)") !=
          std::string::npos);
  }
  // The same power through 20 × 20 mm is fine.
  CHECK_NOTHROW(build_problem(read_case_text(
      slab_case("[20000, 20000]", "775", "100", "20000", "308.15", "150"), "ok.toml", "")));
}

TEST_CASE("the steady bound counts the cavities' coolant (a flow typed 1e6 times too small)") {
  // 1 W into a 2rm cavity, every face adiabatic: the coolant is the only way out and it warms
  // by P / (ρ cp V̇). At 1e-12 L/min (ρ cp V̇ ≈ 7e-11 W/K) that is ≈ 1.4e10 K: refused before the
  // solve, naming the cavities; at 0.01 L/min (ΔT ≈ 1.4 K) the case builds.
  const auto cavity_case = [](const std::string& flow) {
    return "[package]\nfootprint_um = [10000, 1000]\n"
           "[[layers]]\nname = \"heater\"\nmaterial = \"Si\"\nthickness_um = 200\npower_W = 1\n"
           "[[layers]]\nname = \"cavity\"\nmaterial = \"Si\"\nthickness_um = 100\n"
           "[grid]\nmax_cell_xy_um = 1000\nmax_cell_z_um = 200\n"
           "[[cavities]]\nlayer = \"cavity\"\nmodel = \"2rm\"\ncoolant = \"water\"\n"
           "inlet_T_K = 300\nflow_L_per_min = " +
           flow +
           "\nflow_direction = \"+x\"\nchannel_width_um = 50\nwall_width_um = 50\n"
           "h_top_W_per_m2K = 3e4\nh_bottom_W_per_m2K = 2e4\n";
  };
  try {
    build_problem(read_case_text(cavity_case("1e-12"), "slow.toml", ""));
    FAIL("expected a CaseError");
  } catch (const CaseError& e) {
    const std::string what = e.what();
    CHECK(what.find("slow.toml:1:1: error: no plausible steady state: the 1 W of the case can "
                    "leave only through the convective faces (h·A = 0 W/K in all) and the "
                    "cavities' coolant (inlet 300.00 K") == 0);
    CHECK(what.find("flows in L/min") != std::string::npos);
  }
  CHECK_NOTHROW(build_problem(read_case_text(cavity_case("0.01"), "ok.toml", "")));
}
