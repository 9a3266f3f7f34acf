/// \file
/// Unit tests of the coolant model (solver/coolant.hpp): the channel correlations against
/// hand-computed numbers, the lane split and the segment march against closed forms.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "materials/fluids.hpp"
#include "solver/coolant.hpp"

using namespace cposim;

TEST_CASE("fluids: water and PG25 carry the physics.md §1.2 values") {
  const auto* water = materials::find_fluid("water");
  const auto* pg25 = materials::find_fluid("PG25");
  REQUIRE(water != nullptr);
  REQUIRE(pg25 != nullptr);
  CHECK(materials::find_fluid("glycol") == nullptr);
  CHECK(water->rho_kg_per_m3 == 997.0);
  CHECK(water->cp_J_per_kgK == 4180.0);
  CHECK(water->k_W_per_mK == 0.60);
  CHECK(pg25->cp_J_per_kgK == 3900.0);
  // Pr = cp μ / k = 4180 · 0.72e-3 / 0.6 = 5.016
  CHECK(water->prandtl() == doctest::Approx(5.016).epsilon(1e-14));
}

TEST_CASE("laminar_nusselt_rectangular: Shah & London H1 limits") {
  // Parallel plates (α → 0): 8.235; square duct (α = 1): 8.235 · 0.4384 = 3.6102.
  CHECK(solver::laminar_nusselt_rectangular(0.0) == doctest::Approx(8.235).epsilon(1e-14));
  CHECK(solver::laminar_nusselt_rectangular(1.0) == doctest::Approx(3.6102).epsilon(1e-4));
}

TEST_CASE("channel_heat_transfer: laminar channels, hand-computed") {
  // Water, 1.5 L/min = 2.5e-5 m³/s through 60 channels of 300 × 1500 µm under a plate 100 mm
  // wide:  u = 2.5e-5 / (60 · 4.5e-7) = 0.925926 m/s,  D_h = 2·300·1500/1800 µm = 500 µm,
  //        Re = 997 · 0.925926 · 5e-4 / 0.72e-3 = 641.075  (laminar),  Pr = 5.016,
  //        α = 0.2: Nu = 8.235 (1 − 0.40842 + 0.123412 − 0.019812 + 0.00169248 − 5.9552e-5)
  //                    = 5.738254,
  //        h_channel = 5.738254 · 0.6 / 5e-4 = 6885.905 W/(m² K),
  //        h_footprint = 6885.905 · 60 · 2 · 1800e-6 / 0.1 = 14873.56 W/(m² K).
  const auto& water = *materials::find_fluid("water");
  const auto c = solver::channel_heat_transfer(water, 2.5e-5, {60, 300e-6, 1500e-6}, 0.1);
  const double tol = 1e-6;  // the hand values above carry 7 digits
  CHECK(c.laminar);
  CHECK(c.hydraulic_diameter_m == doctest::Approx(5e-4).epsilon(1e-14));
  CHECK(c.velocity_m_per_s == doctest::Approx(0.925926).epsilon(tol));
  CHECK(c.reynolds == doctest::Approx(641.075).epsilon(tol));
  CHECK(c.prandtl == doctest::Approx(5.016).epsilon(1e-14));
  CHECK(c.nusselt == doctest::Approx(5.738254).epsilon(tol));
  CHECK(c.h_channel_W_per_m2K == doctest::Approx(6885.905).epsilon(tol));
  CHECK(c.h_footprint_W_per_m2K == doctest::Approx(14873.56).epsilon(tol));
}

TEST_CASE("channel_heat_transfer: turbulent channels use Dittus-Boelter") {
  // Water, 6 L/min = 1e-4 m³/s through 4 channels of 2 × 2 mm, plate 20 mm wide:
  //   u = 1e-4 / (4 · 4e-6) = 6.25 m/s, D_h = 2 mm, Re = 997 · 6.25 · 2e-3 / 0.72e-3 = 17309.03,
  //   Nu = 0.023 · 17309.03^0.8 · 5.016^0.4 = 107.7678,
  //   h_channel = 107.7678 · 0.6 / 2e-3 = 32330.34, h_footprint = 32330.34 · 4 · 8e-3 / 0.02
  //   = 51728.54 W/(m² K).
  const auto& water = *materials::find_fluid("water");
  const auto c = solver::channel_heat_transfer(water, 1e-4, {4, 2e-3, 2e-3}, 0.02);
  const double tol = 1e-6;
  CHECK_FALSE(c.laminar);
  CHECK(c.reynolds == doctest::Approx(17309.03).epsilon(tol));
  CHECK(c.nusselt == doctest::Approx(107.7678).epsilon(tol));
  CHECK(c.h_channel_W_per_m2K == doctest::Approx(32330.34).epsilon(tol));
  CHECK(c.h_footprint_W_per_m2K == doctest::Approx(51728.54).epsilon(tol));
}

TEST_CASE("plate_lanes: one lane per row across the flow, flow split by width, flow order") {
  // 4 × 3 × 1 cells on the top face: x widths 1,1,2,2 mm; y widths 1,2,1 mm. The plate covers
  // x in [0, 6] mm (all columns) and y in [1, 4] mm (rows 1 and 2), flowing −x.
  mesh::RectilinearGrid grid({0, 1e-3, 2e-3, 4e-3, 6e-3}, {0, 1e-3, 3e-3, 4e-3}, {0, 1e-3});
  solver::ColdPlateGeometry plate;
  plate.face = 5;
  plate.lo_m = {0.0, 1e-3, 0.0};
  plate.hi_m = {6e-3, 4e-3, 0.0};
  plate.flow_axis = 0;
  plate.flow_sign = -1;
  const auto lanes = solver::plate_lanes(grid, plate, 3.0);
  REQUIRE(lanes.size() == 2);
  // Widths 2 and 1 mm of 3 mm: capacities 2 and 1 W/K, exactly.
  CHECK(lanes[0].capacity_W_per_K == doctest::Approx(2.0).epsilon(1e-15));
  CHECK(lanes[1].capacity_W_per_K == doctest::Approx(1.0).epsilon(1e-15));
  // Top face cells are indexed i + 4 j; row 1 flowing −x: i = 3, 2, 1, 0.
  CHECK(lanes[0].face_cells == std::vector<std::size_t>{7, 6, 5, 4});
  CHECK(lanes[1].face_cells == std::vector<std::size_t>{11, 10, 9, 8});
}

TEST_CASE("march_plate: the segment balance against its closed form, any NTU") {
  // One lane of n cells over a solid at T_s with G per cell and capacity C. Per cell the
  // scheme multiplies T_s − T_in by r = (1 − g)/(1 + g), g = G/(2C), and Q_seg is what the
  // solid loses at the fluid's segment mean: Q = G (T_s − T_fluid). Outlet = inlet + ΣQ/C.
  for (const double G : {0.01, 1.0, 50.0}) {  // NTU per cell 0.01 … 50: no blow-up
    CAPTURE(G);
    const std::size_t n = 6;
    const double C = 1.0, T_s = 350.0, T_in = 300.0;
    solver::CoolantLane lane;
    lane.capacity_W_per_K = C;
    for (std::size_t i = 0; i < n; ++i) lane.face_cells.push_back(i);
    std::vector<double> Gv(n, G), Ts(n, T_s), Tf(n, 0.0), Q(n, 0.0);
    const auto m = solver::march_plate({lane}, T_in, Gv, Ts, Tf, Q);
    const double g = G / (2 * C), r = (1 - g) / (1 + g);
    const double expected_out = T_s - (T_s - T_in) * std::pow(r, static_cast<double>(n));
    CHECK(m.outlet_T_K == doctest::Approx(expected_out).epsilon(1e-13));
    CHECK(m.heat_W == doctest::Approx(C * (m.outlet_T_K - T_in)).epsilon(1e-13));
    for (std::size_t i = 0; i < n; ++i) {
      CHECK(Q[i] == doctest::Approx(G * (T_s - Tf[i])).epsilon(1e-12));
      if (g > 1.0) continue;  // cell NTU > 2: |r| < 1 still, but the sign of r alternates
      CHECK(Tf[i] <= T_s + 1e-12);
      CHECK(Tf[i] >= T_in - 1e-12);
    }
  }
}
