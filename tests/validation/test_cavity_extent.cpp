/// \file
/// A cavity over part of the footprint (`origin_um`, `size_um`): the channels only in the
/// rectangle, the rest of the layer solid wall. Against closed forms: outlet = inlet + P/(ṁ cp),
/// the uniform-flux channel line with the capacity split over the extent's width, the energy
/// balance to 1e-9, no sinks outside, and an extent of the whole footprint equal to none.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "cases/resolve/load_case.hpp"
#include "cases/run/build_problem.hpp"
#include "cases/run/cavity_coupling.hpp"
#include "materials/fluids.hpp"
#include "solver/steady.hpp"
#include "tests/support/cavity_solve.hpp"

using namespace cposim;
using namespace cposim::cases;

namespace {

using Solved = test_support::SolvedCavityCase;

Solved solve(const std::string& text) {
  return test_support::solve_cavity_case(text, "cposim_test_cavity_extent");
}

// A 20 × 2 mm footprint: a 200 µm base (k_z = 100 W/(m K), laterally 1e-9 so the columns are
// independent) whose half y > 1 mm is a 1 W heater, under a 100 µm 2rm cavity of the same
// material at the top; water at 0.01 L/min along +x, h_bottom = 2e4 W/(m² K). `extent` is
// appended to the [[cavities]] entry.
std::string half_case(const std::string& extent, const std::string& model = "2rm") {
  return "[package]\nfootprint_um = [20000, 2000]\n"
         "[materials.wall]\nk_W_per_mK = [1e-9, 1e-9, 100]\nrho_kg_per_m3 = 2330\n"
         "cp_J_per_kgK = 700\n"
         "[[layers]]\nname = \"base\"\nmaterial = \"wall\"\nthickness_um = 200\n"
         "[[layers]]\nname = \"cavity\"\nmaterial = \"wall\"\nthickness_um = 100\n"
         "[[blocks]]\nname = \"heater\"\nmaterial = \"wall\"\norigin_um = [0, 1000, 0]\n"
         "size_um = [20000, 1000, 200]\npower_W = 1\n"
         "[grid]\nmax_cell_xy_um = 1000\nmax_cell_z_um = 200\n"
         "[solver]\nlinear_solver = \"direct\"\nrelative_tolerance = 1e-14\n"
         "picard_tolerance_K = 1e-12\nmax_picard_iterations = 200\n"
         "[[cavities]]\nlayer = \"cavity\"\nmodel = \"" +
         model +
         "\"\ncoolant = \"water\"\n"
         "inlet_T_K = 300\nflow_L_per_min = 0.01\nflow_direction = \"+x\"\n"
         "channel_width_um = 50\nwall_width_um = 50\n"
         "h_top_W_per_m2K = 3e4\nh_bottom_W_per_m2K = 2e4\n" +
         (model == "4rm" ? "h_side_W_per_m2K = 1e4\n" : "") + extent;
}

double water_capacity(double L_per_min) {
  const auto& w = *materials::find_fluid("water");
  return w.rho_kg_per_m3 * w.cp_J_per_kgK * L_per_min / 60000.0;
}

}  // namespace

TEST_CASE("cavity extent: half the footprint follows the channel line, no sinks outside") {
  const Solved s = solve(half_case("origin_um = [0, 1000]\nsize_um = [20000, 1000]\n"));
  REQUIRE(s.report.converged);
  REQUIRE(s.cavities.size() == 1);
  const auto& c = s.cavities.front();
  const auto& g = *s.built.grid;
  const auto n = g.cells_per_axis();
  CHECK(c.lanes == 1);  // one grid row in y = 1 … 2 mm (its edge y = 1 mm is a grid plane)
  CHECK(static_cast<std::size_t>(c.steps) == n[0]);
  const double C = water_capacity(0.01), Q = 1.0;
  MESSAGE("outlet " << c.outlet_T_K << " K, heat " << c.heat_W << " W, closure "
                    << c.energy_mismatch << ", balance " << s.report.energy.relative);
  // Adiabatic faces: all of the heater's watt goes into the coolant.
  CHECK(s.report.energy.relative <= 1e-9);
  CHECK(std::fabs(s.report.energy.sink_heat_out_W - Q) <= 1e-9 * Q);
  CHECK(c.energy_mismatch <= 1e-9);
  CHECK(std::fabs(c.outlet_T_K - (300.0 + Q / C)) <= 1e-9 * (Q / C));
  // Heater cells: T = T_in + q W x / (ṁ cp) + q (d/(2 k) + 1/h), W the extent's width (1 mm).
  const double q = Q / (0.02 * 0.001), W = 0.001, d = 200e-6;
  double worst = 0.0;
  std::size_t outside_sinks = 0, inside_sinks = 0;
  for (std::size_t cell = 0; cell < g.num_cells(); ++cell) {
    const auto ijk = g.ijk(cell);
    const bool inside = g.centre(1, ijk[1]) > 1e-3;
    if (s.built.cell_sinks.G_W_per_K[cell] > 0.0) ++(inside ? inside_sinks : outside_sinks);
    if (!inside || ijk[2] != 0) continue;
    const double x = g.centre(0, ijk[0]);
    const double exact = 300.0 + q * W * x / C + q * (d / (2.0 * 100.0) + 1.0 / 2e4);
    worst = std::max(worst, std::fabs(s.T_K[cell] - exact));
  }
  MESSAGE("max |T - analytic| over the heater: " << worst << " K; sinks inside " << inside_sinks
                                                 << ", outside " << outside_sinks);
  CHECK(worst <= 1e-9);
  CHECK(outside_sinks == 0);
  CHECK(inside_sinks > 0);
  // The cavity layer outside the extent is the solid wall (k_z 100), inside the homogenised
  // walls ((1 − φ) k_z = 50).
  for (std::size_t j = 0; j < n[1]; ++j) {
    const std::size_t cell = g.cell(0, j, n[2] - 1);
    const auto& m = s.built.region_material[static_cast<std::size_t>(s.built.region_of_cell[cell])];
    CHECK(m.k_W_per_mK[2] == doctest::Approx(g.centre(1, j) > 1e-3 ? 50.0 : 100.0).epsilon(1e-15));
  }
}

TEST_CASE("cavity extent: the whole footprint written out equals no extent") {
  const Solved none = solve(half_case(""));
  const Solved whole = solve(half_case("origin_um = [0, 0]\nsize_um = [20000, 2000]\n"));
  REQUIRE(none.T_K.size() == whole.T_K.size());
  double worst = 0.0;
  for (std::size_t i = 0; i < none.T_K.size(); ++i)
    worst = std::max(worst, std::fabs(none.T_K[i] - whole.T_K[i]));
  MESSAGE("max |T(no extent) - T(whole footprint)| = " << worst << " K");
  CHECK(worst <= 1e-12);
  CHECK(none.cavities.front().outlet_T_K ==
        doctest::Approx(whole.cavities.front().outlet_T_K).epsilon(1e-14));
}

TEST_CASE("cavity extent: 4rm (walls split only under the extent) balances to 1e-9") {
  const Solved s = solve(half_case("origin_um = [0, 1000]\nsize_um = [20000, 1000]\n", "4rm"));
  REQUIRE(s.report.converged);
  const auto& c = s.cavities.front();
  const double C = water_capacity(0.01), Q = 1.0;
  CHECK(s.report.energy.relative <= 1e-9);
  CHECK(c.energy_mismatch <= 1e-9);
  CHECK(std::fabs(c.outlet_T_K - (300.0 + Q / C)) <= 1e-9 * (Q / C));
  // The wall/channel contact of the split is set between the cavity and the heater under it,
  // not between the solid outside the extent and the base.
  const auto& g = *s.built.grid;
  const auto n = g.cells_per_axis();
  const auto inside = s.built.region_of_cell[g.cell(0, n[1] - 1, n[2] - 1)];
  const auto outside = s.built.region_of_cell[g.cell(0, 0, n[2] - 1)];
  const auto base = s.built.region_of_cell[g.cell(0, 0, 0)];
  const auto heater = s.built.region_of_cell[g.cell(0, n[1] - 1, 0)];
  REQUIRE(inside != outside);
  CHECK(s.built.contacts.get(inside, heater) > 0.0);
  CHECK(s.built.contacts.get(outside, base) == 0.0);
  CHECK(s.built.contacts.get(outside, heater) == 0.0);
  CHECK(s.built.regions[static_cast<std::size_t>(outside)].name == "cavity (outside the cavity)");
}
