/// \file
/// The filtered error estimate (TransientOptions::filter_estimate, issue 18 item 5): on a die
/// under a powered 1 µm film on its convective face, the run with the filter stays as close to
/// a fine fixed-step reference as the raw estimate's run, takes no more steps, and keeps the
/// energy accounting exact.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "solver/transient.hpp"
#include "tests/support/owned_problem.hpp"

using namespace cposim;

namespace {

/// A 2 × 2 mm Si die, 500 µm in 10 cells graded towards a 1 µm oxide film (2 cells of
/// 0.5 µm) on the top face (h = 2e4); 1 W in the film, 1 W in one corner column of the die.
testing::OwnedProblem film_die() {
  std::vector<double> z{501e-6, 500.5e-6, 500e-6};  // built downwards, reversed below
  double dz = 0.75e-6;
  while (z.back() - dz > 50e-6) {  // graded by 1.5 from the film down
    z.push_back(z.back() - dz);
    dz = std::min(1.5 * dz, 100e-6);
  }
  z.push_back(0.0);
  std::reverse(z.begin(), z.end());
  testing::OwnedProblem p(testing::stretched_nodes(0, 2e-3, 6),
                          testing::stretched_nodes(0, 2e-3, 6), z);
  p.materials.push_back(testing::make_material(148, 148, 148));
  p.materials[0].rho_kg_per_m3 = 2330;
  p.materials[0].cp_J_per_kgK = 700;
  p.materials.push_back(testing::make_material(1.4, 1.4, 1.4));
  p.materials[1].rho_kg_per_m3 = 2200;
  p.materials[1].cp_J_per_kgK = 730;
  const auto& g = *p.grid;
  const auto [nx, ny, nz] = g.cells_per_axis();
  for (std::size_t k = 0; k < nz; ++k)
    for (std::size_t j = 0; j < ny; ++j)
      for (std::size_t i = 0; i < nx; ++i) {
        const std::size_t c = g.cell(i, j, k);
        if (k + 2 >= nz) {
          p.regions[c] = 1;
          p.power_W[c] = 1.0 / static_cast<double>(2 * nx * ny);
        } else if (i == 0 && j == 0) {
          p.power_W[c] = 1.0 / static_cast<double>(nz - 2);
        }
      }
  p.boundaries[5] = {solver::BoundaryKind::convection, 2e4, 300.0, 0.0};
  return p;
}

struct Run {
  solver::TransientReport report;
  std::vector<double> T;
};

Run run(bool adaptive, bool filter, double dt_s) {
  const auto p = film_die();
  solver::TransientOptions o;
  o.linear.kind = solver::LinearSolverKind::gmg_cg;
  o.adaptive = adaptive;
  o.dt_initial_s = dt_s;
  o.tolerance_K = 0.01;
  o.filter_estimate = filter;
  solver::TransientSolver ts(*p.grid, o);
  Run r;
  r.T.assign(p.grid->num_cells(), 300.0);
  r.report = ts.run(p.view(), r.T, 0.0, {0.02}, nullptr, nullptr);
  return r;
}

/// max |T − T_ref| over the cells.
double distance_K(const std::vector<double>& T, const std::vector<double>& T_ref) {
  double d = 0.0;
  for (std::size_t c = 0; c < T.size(); ++c) d = std::max(d, std::fabs(T[c] - T_ref[c]));
  return d;
}

}  // namespace

TEST_CASE("filtered estimate: as accurate as the raw one against a fixed-step reference") {
  const Run ref = run(false, false, 2e-6);  // 10 000 BDF2 steps of 2 µs
  const Run raw = run(true, false, 1e-6);
  const Run filtered = run(true, true, 1e-6);
  REQUIRE(ref.report.completed);
  REQUIRE(raw.report.completed);
  REQUIRE(filtered.report.completed);
  const double rise = *std::max_element(ref.T.begin(), ref.T.end()) - 300.0;
  const double e_raw = distance_K(raw.T, ref.T), e_filtered = distance_K(filtered.T, ref.T);
  MESSAGE("rise " << rise << " K; steps raw " << raw.report.steps << " ("
                  << raw.report.rejected_steps << " rejected), filtered " << filtered.report.steps
                  << " (" << filtered.report.rejected_steps << " rejected, "
                  << filtered.report.filtered_estimates << " filter solves); error raw " << e_raw
                  << " K, filtered " << e_filtered << " K");
  CHECK(rise > 1.0);
  // The local tolerance is 0.01 K per step; the global error at 20 ms stays within 5 of them.
  CHECK(e_raw <= 0.05);
  CHECK(e_filtered <= 0.05);
  CHECK(filtered.report.filtered_estimates > 0);
  CHECK(raw.report.filtered_estimates == 0);
  CHECK(filtered.report.steps + filtered.report.rejected_steps <=
        raw.report.steps + raw.report.rejected_steps);
  CHECK(filtered.report.energy_relative <= 1e-9);
}
