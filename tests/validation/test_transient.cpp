/// \file
/// physics.md §5.5 transient benchmarks: lumped-capacitance decay, temporal convergence orders
/// of backward Euler and BDF2, the semi-infinite solid under constant surface flux, and the
/// adaptive driver's output times and stored-energy balance.
#include <doctest/doctest.h>

#include <cmath>

#include "solver/kernels/face_conductance.hpp"
#include "solver/transient.hpp"
#include "tests/support/owned_problem.hpp"

using namespace cposim;
using solver::BoundaryKind;

namespace {

using testing::OneThread;

constexpr double kPi = 3.14159265358979323846;

materials::Material copper() {
  auto m = testing::make_material(400, 400, 400);
  m.rho_kg_per_m3 = 8900;
  m.cp_J_per_kgK = 385;
  return m;
}

/// A 10 mm copper cube with h = 50 W/m²K on z_max: Bi = h (V/A) / k = 1.25e-3.
testing::OwnedProblem copper_cube(int cells) {
  const auto x = testing::stretched_nodes(0.0, 0.01, cells);
  testing::OwnedProblem p(x, x, x);
  p.materials.push_back(copper());
  p.boundaries[5] = {BoundaryKind::convection, 50.0, 300.0, 0.0};
  return p;
}

}  // namespace

TEST_CASE("validation §5.5: lumped-capacitance decay of a copper cube within 1 % (adaptive BDF2)") {
  const OneThread one_thread;
  const auto p = copper_cube(4);
  const double tau = 8900.0 * 385.0 * 1e-6 / (50.0 * 1e-4);  // ρ c V / (h A) = 685.3 s
  solver::TransientOptions o;
  o.tolerance_K = 1e-3;
  o.dt_initial_s = 1e-2;
  solver::TransientSolver ts(*p.grid, o);
  std::vector<double> T(p.grid->num_cells(), 400.0);
  double worst = 0.0;
  const auto rep = ts.run(p.view(), T, 0.0, {0.5 * tau, tau, 2 * tau, 3 * tau}, nullptr,
                          [&](double t, const std::vector<double>& TK) {
                            double mean = 0.0;  // uniform grid: the volume mean
                            for (double v : TK) mean += v / static_cast<double>(TK.size());
                            const double excess = 100.0 * std::exp(-t / tau);
                            worst = std::max(worst, std::fabs(mean - 300.0 - excess) / excess);
                          });
  REQUIRE(rep.completed);
  MESSAGE("lumped: max |θ - θ_exact| / θ_exact = " << worst << " (steps " << rep.steps
                                                   << ", rejected " << rep.rejected_steps
                                                   << ", setups " << rep.setups << ")");
  CHECK(worst <= 0.01);  // issue 5: 1 %; physics.md §5.6 asks 2 %
  CHECK(rep.energy_relative <= 1e-6);
}

TEST_CASE("validation §5.5: fixed-step orders, BE >= 0.9 and BDF2 >= 1.8") {
  const OneThread one_thread;
  // One cell: the semi-discrete solution is exactly T∞ + (T0 − T∞) e^{−G t / C}.
  const auto p = copper_cube(1);
  const double C = 8900.0 * 385.0 * 1e-6;
  const double G = solver::convection_conductance(1e-4, 0.01, 400.0, 50.0);
  const double tau = C / G;
  const double exact = 300.0 + 100.0 * std::exp(-1.0);
  for (auto scheme : {solver::TimeScheme::backward_euler, solver::TimeScheme::bdf2}) {
    std::vector<double> err;
    for (int steps : {10, 20, 40, 80}) {
      solver::TransientOptions o;
      o.linear.kind = solver::LinearSolverKind::direct;
      o.scheme = scheme;
      o.adaptive = false;
      o.dt_initial_s = tau / steps;
      solver::TransientSolver ts(*p.grid, o);
      std::vector<double> T(1, 400.0);
      const auto rep = ts.run(p.view(), T, 0.0, {tau}, nullptr, nullptr);
      REQUIRE(rep.completed);
      CHECK(rep.steps == steps);
      CHECK(rep.setups <= 2);  // BDF2: one BE start-up step, then one matrix
      err.push_back(std::fabs(T[0] - exact));
    }
    double min_order = 1e9;
    for (std::size_t i = 1; i < err.size(); ++i)
      min_order = std::min(min_order, std::log2(err[i - 1] / err[i]));
    MESSAGE(solver::to_string(scheme)
            << ": errors at t = τ (K) " << err[0] << " " << err[1] << " " << err[2] << " " << err[3]
            << ", min observed order " << min_order);
    CHECK(min_order >= (scheme == solver::TimeScheme::bdf2 ? 1.8 : 0.9));
  }
}

TEST_CASE("validation §5.5: semi-infinite solid, constant surface flux, T_s within 1 %") {
  const OneThread one_thread;
  // Si-like column 3 mm deep (≥ 10 diffusion lengths at 1 ms), flux q0 on z_min, graded grid.
  const double k = 150.0, rho = 2330.0, cp = 700.0, q0 = 1e6, Ti = 300.0;
  const double alpha = k / (rho * cp);
  testing::OwnedProblem p({0.0, 1e-4}, {0.0, 1e-4}, testing::stretched_nodes(0.0, 3e-3, 200, 6.0));
  auto m = testing::make_material(k, k, k);
  m.rho_kg_per_m3 = rho;
  m.cp_J_per_kgK = cp;
  p.materials.push_back(m);
  p.boundaries[4] = {BoundaryKind::heat_flux, 0.0, 0.0, q0};
  solver::TransientOptions o;
  o.tolerance_K = 1e-4;
  o.dt_initial_s = 1e-10;
  solver::TransientSolver ts(*p.grid, o);
  std::vector<double> T(p.grid->num_cells(), Ti);
  const double d0 = p.grid->width(2, 0);
  double worst = 0.0;
  const auto rep = ts.run(p.view(), T, 0.0, {1e-5, 1e-4, 3e-4, 1e-3}, nullptr,
                          [&](double t, const std::vector<double>& TK) {
                            const double Ts = TK[0] + q0 * 0.5 * d0 / k;  // to the surface
                            const double exact = 2.0 * q0 / k * std::sqrt(alpha * t / kPi);
                            worst = std::max(worst, std::fabs(Ts - Ti - exact) / exact);
                          });
  REQUIRE(rep.completed);
  MESSAGE("semi-infinite flux: max |ΔT_s - exact| / exact = "
          << worst << " (steps " << rep.steps << ", rejected " << rep.rejected_steps << ", setups "
          << rep.setups << ", energy " << rep.energy_relative << ")");
  CHECK(worst <= 0.01);  // issue 5: 1 %; physics.md §5.6 asks 2 %
  CHECK(rep.energy_relative <= 1e-6);
}

TEST_CASE(
    "validation §5.5: semi-infinite solid, step surface temperature, erf profile within 1 %") {
  const OneThread one_thread;
  const double k = 150.0, rho = 2330.0, cp = 700.0, Ts = 400.0, Ti = 300.0, t_end = 1e-3;
  const double alpha = k / (rho * cp);
  testing::OwnedProblem p({0.0, 1e-4}, {0.0, 1e-4}, testing::stretched_nodes(0.0, 3e-3, 200, 4.0));
  auto m = testing::make_material(k, k, k);
  m.rho_kg_per_m3 = rho;
  m.cp_J_per_kgK = cp;
  p.materials.push_back(m);
  p.boundaries[4] = {BoundaryKind::fixed_temperature, 0.0, Ts, 0.0};
  solver::TransientOptions o;
  o.tolerance_K = 1e-3;
  o.dt_initial_s = 1e-10;
  solver::TransientSolver ts(*p.grid, o);
  std::vector<double> T(p.grid->num_cells(), Ti);
  double worst = 0.0;
  const auto rep = ts.run(p.view(), T, 0.0, {1e-4, t_end}, nullptr,
                          [&](double t, const std::vector<double>& TK) {
                            const double ell = 2.0 * std::sqrt(alpha * t);
                            for (std::size_t c = 0; c < TK.size(); ++c) {
                              const double z = p.grid->centre(2, c);
                              if (z > 2.0 * ell) break;
                              const double exact = Ts + (Ti - Ts) * std::erf(z / ell);
                              worst = std::max(worst, std::fabs(TK[c] - exact) / (Ts - Ti));
                            }
                          });
  REQUIRE(rep.completed);
  MESSAGE("semi-infinite step T_s: max |T - exact| / (T_s - T_i) = "
          << worst << " (steps " << rep.steps << ", rejected " << rep.rejected_steps << ", setups "
          << rep.setups << ", energy " << rep.energy_relative << ")");
  CHECK(worst <= 0.01);
  CHECK(rep.energy_relative <= 1e-6);
}

TEST_CASE("validation §5.5: adaptive stepping hits output times exactly, energy closes to 1e-6") {
  // 8×8×4 copper-on-silicon block, a 2 ms power pulse in a corner, convection below; gmg_cg.
  testing::OwnedProblem p(testing::stretched_nodes(0.0, 4e-3, 8),
                          testing::stretched_nodes(0.0, 4e-3, 8),
                          testing::stretched_nodes(0.0, 1e-3, 4));
  p.materials.push_back(copper());
  auto si = testing::make_material(148, 148, 148);
  si.rho_kg_per_m3 = 2330;
  si.cp_J_per_kgK = 700;
  p.materials.push_back(si);
  for (std::size_t c = 0; c < p.grid->num_cells(); ++c)
    p.regions[c] = p.grid->ijk(c)[2] >= 2 ? 1 : 0;
  p.boundaries[4] = {BoundaryKind::convection, 1e4, 300.0, 0.0};
  const std::vector<double> times{0.0, 0.5e-3, 1e-3, 2e-3, 3.7e-3, 5e-3, 1.3e-2};
  solver::TransientOptions o;
  o.linear.kind = solver::LinearSolverKind::gmg_cg;
  o.linear.relative_tolerance = 1e-12;
  o.tolerance_K = 1e-3;
  o.dt_initial_s = 1e-6;
  solver::TransientSolver ts(*p.grid, o);
  std::vector<double> T(p.grid->num_cells(), 300.0);
  const auto& g = *p.grid;
  auto power = [&](double t, const std::vector<double>&, std::vector<double>& P) {
    if (t > 2e-3) return;  // on during [0, 2 ms]
    for (std::size_t c = 0; c < P.size(); ++c) {
      const auto ijk = g.ijk(c);
      if (ijk[0] < 2 && ijk[1] < 2 && ijk[2] == 3) P[c] = 0.25;  // 1 W in 4 cells
    }
  };
  std::vector<double> seen;
  const auto rep = ts.run(p.view(), T, 0.0, times, power,
                          [&](double t, const std::vector<double>&) { seen.push_back(t); });
  REQUIRE(rep.completed);
  MESSAGE("adaptive pulse: steps "
          << rep.steps << ", rejected " << rep.rejected_steps << ", setups " << rep.setups
          << ", linear iterations " << rep.linear_iterations << ", dt " << rep.dt_smallest_s
          << " .. " << rep.dt_largest_s << " s, energy relative " << rep.energy_relative << " (in "
          << rep.energy_in_J << " J, out " << rep.heat_out_J << " J, stored " << rep.stored_change_J
          << " J)");
  REQUIRE(seen.size() == times.size());
  for (std::size_t i = 0; i < times.size(); ++i) CHECK(seen[i] == times[i]);  // exact
  CHECK(rep.energy_relative <= 1e-6);
  CHECK(rep.energy_in_J == doctest::Approx(2e-3).epsilon(0.05));  // 1 W for 2 ms
  CHECK(rep.setups < rep.steps);
  CHECK(rep.max_error_estimate_K <= o.tolerance_K);
  CHECK(rep.rejected_steps >= 1);  // the first step after the pulse ends is too long
}
