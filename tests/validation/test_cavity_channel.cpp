/// \file
/// Inter-tier coolant cavities against closed forms: a channel heated by a uniform flux
/// (outlet = inlet + Q/(ṁ cp); wall = fluid + q (d/(2k) + 1/h) along the analytic line), the
/// energy balance of solver and coolant to 1e-9, mirror symmetry of the flow direction, the
/// 4rm side walls, the pin-fin correlation, a transient run settling on the steady field and
/// the coolant's own heat capacity in a transient (one-node exponential).
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <string>

#include "cases/resolve/load_case.hpp"
#include "cases/run/build_problem.hpp"
#include "cases/run/cavity_coupling.hpp"
#include "cases/run/leakage.hpp"
#include "cases/run/run_transient.hpp"
#include "materials/fluids.hpp"
#include "solver/cavity.hpp"
#include "solver/steady.hpp"
#include "tests/support/cavity_solve.hpp"

using namespace cposim;
using namespace cposim::cases;
namespace fs = std::filesystem;

namespace {

using Solved = test_support::SolvedCavityCase;

Solved solve(const std::string& text) {
  return test_support::solve_cavity_case(text, "cposim_test_cavities");
}

// A 20 × 1 mm heater 200 µm thick (k_z = 100 W/(m K), laterally 1e-9 so the columns are
// independent) under a 100 µm 2rm cavity of the same material at the top of the stack, 1 W
// in the heater, water at 0.01 L/min along `direction`, h_bottom = 2e4 W/(m² K).
std::string channel_case(const std::string& direction, const std::string& model = "2rm") {
  return "[package]\nfootprint_um = [20000, 1000]\n"
         "[materials.wall]\nk_W_per_mK = [1e-9, 1e-9, 100]\nrho_kg_per_m3 = 2330\n"
         "cp_J_per_kgK = 700\n"
         "[[layers]]\nname = \"heater\"\nmaterial = \"wall\"\nthickness_um = 200\npower_W = 1\n"
         "[[layers]]\nname = \"cavity\"\nmaterial = \"wall\"\nthickness_um = 100\n"
         "[grid]\nmax_cell_xy_um = 1000\nmax_cell_z_um = 200\n"
         "[solver]\nlinear_solver = \"direct\"\nrelative_tolerance = 1e-14\n"
         "picard_tolerance_K = 1e-12\nmax_picard_iterations = 200\n"
         "[[cavities]]\nlayer = \"cavity\"\nmodel = \"" +
         model +
         "\"\ncoolant = \"water\"\ninlet_T_K = 300\nflow_L_per_min = 0.01\n"
         "flow_direction = \"" +
         direction +
         "\"\nchannel_width_um = 50\nwall_width_um = 50\n"
         "h_top_W_per_m2K = 3e4\nh_bottom_W_per_m2K = 2e4\n" +
         (model == "4rm" ? "h_side_W_per_m2K = 1e4\n" : "");
}

struct TransientRun {
  TransientSummary summary;
  std::vector<double> T_K;
  CavityResult cavity;  ///< the case's one cavity at the end
};

/// Runs the transient case `spec` (one cavity) as cposim run does.
TransientRun run_transient_cavity(const CaseSpec& spec) {
  BuiltProblem built = build_problem(spec);
  CavityCoupling cavities(spec, built);
  BlockPowerModel block_power(spec, built);
  solver::SteadySolver solver(*built.grid, built.solver_options);
  TransientRun run;
  run.summary = run_transient(spec, built, built.solver_options, solver, run.T_K, {},
                              {&block_power, nullptr, &cavities});
  run.cavity = cavities.results(run.T_K).front();
  return run;
}

double water_capacity(double L_per_min) {
  const auto& w = *materials::find_fluid("water");
  return w.rho_kg_per_m3 * w.cp_J_per_kgK * L_per_min / 60000.0;
}

}  // namespace

TEST_CASE("cavity: uniform flux into a channel follows the analytic line to 1e-9 K") {
  const Solved s = solve(channel_case("+x"));
  REQUIRE(s.report.converged);
  REQUIRE(s.cavities.size() == 1);
  const auto& c = s.cavities.front();
  const double C = water_capacity(0.01), Q = 1.0;
  // Outlet: inlet + Q/(ṁ cp) (the heater's whole watt goes into the coolant).
  MESSAGE("outlet " << c.outlet_T_K << " K, heat " << c.heat_W << " W, closure "
                    << c.energy_mismatch << ", " << s.report.picard_iterations << " iterates");
  CHECK(std::fabs(c.heat_W - Q) <= 1e-9 * Q);
  CHECK(std::fabs(c.outlet_T_K - (300.0 + Q / C)) <= 1e-9 * (Q / C));
  // Heater cell centres: T = T_in + q W x / (ṁ cp) + q (d/(2 k) + 1/h).
  const double q = Q / (0.02 * 0.001), W = 0.001, d = 200e-6;
  const auto& g = *s.built.grid;
  double worst = 0.0;
  for (std::size_t i = 0; i < g.cells_per_axis()[0]; ++i) {
    const double x = g.centre(0, i);
    const double exact = 300.0 + q * W * x / C + q * (d / (2.0 * 100.0) + 1.0 / 2e4);
    worst = std::max(worst, std::fabs(s.T_K[g.cell(i, 0, 0)] - exact));
  }
  MESSAGE("max |T - analytic| over the heater: " << worst << " K");
  CHECK(worst <= 1e-9);
  // The fluid the solid saw in each cell: the analytic line at the cell centre.
  for (std::size_t i = 0; i < c.fluid_T_K[0].size(); ++i)
    CHECK(std::fabs(c.fluid_T_K[0][i] - (300.0 + q * W * g.centre(0, i) / C)) <= 1e-9);
}

TEST_CASE("cavity: solver energy balance and coolant closure to 1e-9") {
  for (const std::string model : {"2rm", "4rm"}) {
    CAPTURE(model);
    const Solved s = solve(channel_case("+x", model));
    REQUIRE(s.report.converged);
    const auto& c = s.cavities.front();
    // Solver side: power in = heat into the sinks (all faces adiabatic).
    CHECK(s.report.energy.relative <= 1e-9);
    CHECK(std::fabs(s.report.energy.sink_heat_out_W - 1.0) <= 1e-9);
    // Coolant side: ṁ cp (T_out − T_in) = heat the solid gave up.
    CHECK(c.energy_mismatch <= 1e-9);
  }
}

TEST_CASE("cavity: reversing the flow mirrors the field") {
  const Solved fwd = solve(channel_case("+x"));
  const Solved back = solve(channel_case("-x"));
  const auto& g = *fwd.built.grid;
  const std::size_t n = g.cells_per_axis()[0];
  for (std::size_t i = 0; i < n; ++i)
    CHECK(fwd.T_K[g.cell(i, 0, 0)] ==
          doctest::Approx(back.T_K[g.cell(n - 1 - i, 0, 0)]).epsilon(1e-12));
}

TEST_CASE("cavity: 4rm side walls add to the heat path (cooler heater than without)") {
  const Solved two = solve(channel_case("+x", "2rm"));
  const Solved four = solve(channel_case("+x", "4rm"));
  // 4rm: floor h on φ A only (half), but the walls' 2 H per pitch of h_side take the rest
  // through the wall conduction; the outlet is the same (same Q), the heater differs.
  CHECK(four.cavities.front().outlet_T_K ==
        doctest::Approx(two.cavities.front().outlet_T_K).epsilon(1e-9));
  CHECK(four.cavities.front().film.porosity == doctest::Approx(0.5).epsilon(1e-15));
}

TEST_CASE("cavity: pin-fin correlation and porosity (3D-ICE 2RM fit)") {
  // u = 1.1066 m/s (3D-ICE's pf2rm test): h = 1/(2.527e-5/2.4566^0.64 + 1.533e-6).
  const double inline_h = 1.0 / (2.527e-5 / std::pow(2.4566, 0.64) + 1.533e-6);
  CHECK(solver::pin_fin_h_W_per_m2K(1.1066, false) == doctest::Approx(inline_h).epsilon(1e-14));
  CHECK(solver::pin_fin_h_W_per_m2K(1.1066, true) > inline_h);  // staggered mixes more
  CHECK(solver::pin_fin_porosity(50e-6, 100e-6) ==
        doctest::Approx(1.0 - 3.14159265358979323846 / 16.0).epsilon(1e-15));
  CHECK(solver::channel_porosity(50e-6, 50e-6) == doctest::Approx(0.5).epsilon(1e-15));
}

TEST_CASE("cavity: a transient run settles on the steady solution with exact energy accounting") {
  const Solved steady = solve(channel_case("+x"));
  REQUIRE(steady.report.converged);
  // Heater time constant ≈ ρ cp V R ≈ 6.5e-3 J/K × 2.6 K/W ≈ 0.02 s: 1 s is ~50 of them.
  const fs::path dir = fs::temp_directory_path() / "cposim_test_cavities";
  const CaseSpec spec =
      read_case_text(channel_case("+x") +
                         "[transient]\nend_time_s = 1\noutput_times_s = [0.01, 1]\n"
                         "tolerance_K = 1e-2\ndt_initial_s = 1e-4\n"
                         "initial = \"ambient\"\ninitial_T_K = 300\n",
                     "transient.toml", dir.string());
  const TransientRun run = run_transient_cavity(spec);
  const TransientSummary& s = run.summary;
  const std::vector<double>& T_K = run.T_K;
  REQUIRE(s.report.completed);
  double worst = 0.0;
  for (std::size_t c = 0; c < T_K.size(); ++c)
    worst = std::max(worst, std::fabs(T_K[c] - steady.T_K[c]));
  MESSAGE("|T(1 s) − T_steady| ≤ " << worst << " K; " << s.report.steps << " steps, energy "
                                   << s.report.energy_relative);
  CHECK(worst <= 1e-6);
  CHECK(s.report.energy_relative <= 1e-9);  // in − out (faces + cavities) − stored
  CHECK(std::fabs(run.cavity.heat_W - 1.0) <= 1e-6);
}

TEST_CASE("cavity: the coolant's own heat capacity in a transient follows the one-node solution") {
  // One 1 × 1 mm cell of footprint, a heater (0.1 W) under a 2rm cavity, solids of negligible
  // heat capacity (ρ cp = 1e-3 J/(m³ K), 1e-9 of the coolant's): the heat goes straight into the
  // coolant of the one lane step, whose mean T_f obeys S dT_f/dt = P − 2 C (T_f − T_in),
  // S = ρ cp φ V of the water in the cavity, C = ρ cp V̇. From T_f = T_in at t = 0:
  //   T_out − T_in = 2 (T_f − T_in) = (P / C) (1 − e^(−t/τ)),  τ = S / (2 C),
  // and backward Euler at a fixed step dt gives exactly (P / C) (1 − (1 + dt/τ)^(−n)).
  const auto& water = *materials::find_fluid("water");
  const double rho_cp = water.rho_kg_per_m3 * water.cp_J_per_kgK;
  const double S = rho_cp * 0.5 * 1e-3 * 1e-3 * 100e-6;  // φ = 0.5, 1 mm² × 100 µm
  const double C = water_capacity(1e-4);
  const double tau = S / (2.0 * C), P = 0.1;
  const int steps = 500;
  const double dt = tau / steps;
  const fs::path dir = fs::temp_directory_path() / "cposim_test_cavities";
  const std::string text = fmt::format(
      "[package]\nfootprint_um = [1000, 1000]\n"
      "[materials.wall]\nk_W_per_mK = 100\nrho_kg_per_m3 = 1\ncp_J_per_kgK = 1e-3\n"
      "[[layers]]\nname = \"heater\"\nmaterial = \"wall\"\nthickness_um = 200\npower_W = {}\n"
      "[[layers]]\nname = \"cavity\"\nmaterial = \"wall\"\nthickness_um = 100\n"
      "[grid]\nmax_cell_xy_um = 1000\nmax_cell_z_um = 200\n"
      "[solver]\nlinear_solver = \"direct\"\nrelative_tolerance = 1e-14\n"
      "picard_tolerance_K = 1e-11\nmax_picard_iterations = 200\n"
      "[[cavities]]\nlayer = \"cavity\"\nmodel = \"2rm\"\ncoolant = \"water\"\ninlet_T_K = 300\n"
      "flow_L_per_min = 1e-4\nflow_direction = \"+x\"\nchannel_width_um = 50\n"
      "wall_width_um = 50\nh_top_W_per_m2K = 3e4\nh_bottom_W_per_m2K = 2e4\n"
      "[transient]\nend_time_s = {:.17g}\noutput_times_s = [{:.17g}]\nscheme = "
      "\"backward_euler\"\nadaptive = false\ndt_initial_s = {:.17g}\ninitial = \"ambient\"\n"
      "initial_T_K = 300\n",
      P, tau, tau, dt);
  const TransientRun run = run_transient_cavity(read_case_text(text, "storage.toml", dir.string()));
  REQUIRE(run.summary.report.completed);
  CHECK(run.summary.report.steps == steps);
  const CavityResult& c = run.cavity;
  const double rise = c.outlet_T_K - 300.0;
  const double backward_euler = P / C * (1.0 - std::pow(1.0 + dt / tau, -steps));
  const double exact = P / C * (1.0 - std::exp(-1.0));
  MESSAGE("outlet rise " << rise << " K; backward Euler " << backward_euler << " K, exact " << exact
                         << " K; stored " << c.stored_W << " W of " << c.heat_W << " W");
  CHECK(rise == doctest::Approx(backward_euler).epsilon(1e-6));  // the scheme, to round-off
  CHECK(rise == doctest::Approx(exact).epsilon(2e-3));  // its error ≈ dt / (2 τ) · 0.58 = 6e-4
  // Quasi-steady coolant would already be at the full rise P / C: 58 % above.
  CHECK(rise < 0.7 * P / C);
  CHECK(c.stored_W == doctest::Approx(P - C * rise).epsilon(1e-6));  // P = ṁ cp ΔT + stored
  CHECK(c.energy_mismatch <= 1e-9);
}
