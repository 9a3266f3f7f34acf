/// \file
/// Transient runs with temperature-dependent conductivity k(T) (issue 5): the fixed-step
/// orders of backward Euler and BDF2 against an independent ODE integration, and a long run
/// that must settle on the steady k(T) solution.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "solver/energy_balance.hpp"
#include "solver/steady.hpp"
#include "solver/transient.hpp"
#include "tests/support/owned_problem.hpp"

using namespace cposim;
using solver::BoundaryKind;

namespace {

using testing::OneThread;

/// Copper-like, with a strong power law k = 400 (T / 300 K)^-1.3 W/(m K).
materials::Material nonlinear_copper() {
  auto m = testing::make_material(400, 400, 400);
  m.rho_kg_per_m3 = 8900;
  m.cp_J_per_kgK = 385;
  m.law = materials::ConductivityLaw::power_law;
  m.exponent = -1.3;
  m.T_ref_K = 300;
  return m;
}

}  // namespace

TEST_CASE("transient k(T): fixed-step orders on a one-cell cube, BE >= 0.9 and BDF2 >= 1.8") {
  const OneThread one_thread;
  // One 10 mm cell, h = 1e5 W/m²K on z_max: the cell's half-width resistance d/(2k(T)) is
  // comparable to 1/h, so the conductance to the fluid changes by ~2× over the decay.
  // The semi-discrete system is the ODE  C dT/dt = −Q(T), Q the heat the cell at T loses to
  // the fluid (the production half-cell conductance, through compute_energy_balance); it is
  // integrated independently here by classical RK4 with 20000 steps.
  testing::OwnedProblem p({0.0, 0.01}, {0.0, 0.01}, {0.0, 0.01});
  p.materials.push_back(nonlinear_copper());
  p.boundaries[5] = {BoundaryKind::convection, 1e5, 300.0, 0.0};
  const double C = 8900.0 * 385.0 * 1e-6;
  auto dTdt = [&](double T) {
    return -solver::compute_energy_balance(p.view(), {T}).heat_out_W / C;
  };
  const double t_end = 1.0, T0 = 600.0;
  double reference = T0;
  const int rk_steps = 20000;
  const double hr = t_end / rk_steps;
  for (int i = 0; i < rk_steps; ++i) {
    const double k1 = dTdt(reference), k2 = dTdt(reference + 0.5 * hr * k1);
    const double k3 = dTdt(reference + 0.5 * hr * k2), k4 = dTdt(reference + hr * k3);
    reference += hr / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4);
  }
  REQUIRE(reference - 300.0 < 0.5 * (T0 - 300.0));  // a real decay, not a flat line
  for (auto scheme : {solver::TimeScheme::backward_euler, solver::TimeScheme::bdf2}) {
    std::vector<double> err;
    long picard = 0;
    for (int steps : {10, 20, 40, 80}) {
      solver::TransientOptions o;
      o.linear.kind = solver::LinearSolverKind::direct;
      o.scheme = scheme;
      o.adaptive = false;
      o.dt_initial_s = t_end / steps;
      o.picard_tolerance_K = 1e-12;
      solver::TransientSolver ts(*p.grid, o);
      std::vector<double> T(1, T0);
      const auto rep = ts.run(p.view(), T, 0.0, {t_end}, nullptr, nullptr);
      REQUIRE(rep.completed);
      CHECK(rep.steps == steps);
      picard += rep.picard_iterations;
      err.push_back(std::fabs(T[0] - reference));
    }
    double min_order = 1e9;
    for (std::size_t i = 1; i < err.size(); ++i)
      min_order = std::min(min_order, std::log2(err[i - 1] / err[i]));
    MESSAGE("k(T) " << solver::to_string(scheme) << ": errors at t = 1 s (K) " << err[0] << " "
                    << err[1] << " " << err[2] << " " << err[3] << ", min observed order "
                    << min_order << ", Picard iterates " << picard);
    CHECK(min_order >= (scheme == solver::TimeScheme::bdf2 ? 1.8 : 0.9));
    CHECK(picard > 2 * (10 + 20 + 40 + 80));  // it really iterated on k(T)
  }
}

TEST_CASE("transient k(T): a long run settles on the steady k(T) solution within 1e-6") {
  // 8×8×4: Si with k(T) over copper, 2 W in a corner of the Si, convection below; gmg_cg.
  testing::OwnedProblem p(testing::stretched_nodes(0.0, 4e-3, 8),
                          testing::stretched_nodes(0.0, 4e-3, 8),
                          testing::stretched_nodes(0.0, 1e-3, 4));
  p.materials.push_back(nonlinear_copper());
  auto si = testing::make_material(148, 148, 148);
  si.rho_kg_per_m3 = 2330;
  si.cp_J_per_kgK = 700;
  si.law = materials::ConductivityLaw::power_law;
  si.exponent = -1.3;
  si.T_ref_K = 300;
  p.materials.push_back(si);
  const auto& g = *p.grid;
  for (std::size_t c = 0; c < g.num_cells(); ++c) {
    const auto ijk = g.ijk(c);
    p.regions[c] = ijk[2] >= 2 ? 1 : 0;
    if (ijk[0] < 2 && ijk[1] < 2 && ijk[2] == 3) p.power_W[c] = 0.5;  // 2 W in 4 cells
  }
  p.boundaries[4] = {BoundaryKind::convection, 1e3, 300.0, 0.0};

  solver::SteadyOptions so;
  so.linear.kind = solver::LinearSolverKind::direct;
  so.picard_tolerance_K = 1e-11;
  std::vector<double> T_steady;
  const auto steady = solver::solve_steady(p.view(), so, T_steady);
  REQUIRE(steady.converged);
  REQUIRE(steady.picard_iterations > 2);

  solver::TransientOptions o;
  o.linear.kind = solver::LinearSolverKind::gmg_cg;
  o.linear.relative_tolerance = 1e-12;
  o.tolerance_K = 1e-3;
  o.dt_initial_s = 1e-5;
  o.picard_tolerance_K = 1e-10;
  solver::TransientSolver ts(g, o);
  std::vector<double> T(g.num_cells(), 300.0);
  // τ = C/(hA) ≈ 0.04 J/K / 0.016 W/K ≈ 2.5 s; 400 s is about 160 τ.
  const auto rep = ts.run(p.view(), T, 0.0, {1.0, 400.0}, nullptr, nullptr);
  REQUIRE(rep.completed);
  double diff = 0.0, rise = 0.0;
  for (std::size_t c = 0; c < T.size(); ++c) {
    diff = std::max(diff, std::fabs(T[c] - T_steady[c]));
    rise = std::max(rise, T_steady[c] - 300.0);
  }
  MESSAGE("k(T) long run: max |T - T_steady| = "
          << diff << " K of a " << rise << " K rise; steps " << rep.steps << ", rejected "
          << rep.rejected_steps << ", Picard iterates " << rep.picard_iterations << " (max "
          << rep.max_step_picard_iterations << " per step), setups " << rep.setups
          << ", energy relative " << rep.energy_relative);
  CHECK(rise > 50.0);  // hot enough for k(T) to matter: k falls by > 20 %
  CHECK(diff <= 1e-6 * rise);
  CHECK(rep.energy_relative <= 1e-6);
  CHECK(rep.setups < rep.picard_iterations);  // the set-up is reused across iterates
}
