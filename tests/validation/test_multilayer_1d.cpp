/// \file
/// physics.md §5.1: 1-D multilayer with contact resistances and a convective sink.
/// Uniform flux over the full area, adiabatic sides: T(x) is piecewise linear and the
/// cell-centred FV scheme is exact, so every cell matches to round-off (tolerance 1e-9 of ΔT).
#include <doctest/doctest.h>

#include <cmath>

#include "tests/support/owned_problem.hpp"

using namespace cposim;
using solver::BoundaryKind;

TEST_CASE("validation §5.1: multilayer stack with contact R'' matches T∞ + Q·R to 1e-9") {
  // Layers bottom-up: Si 0.775 mm, AuSn 50 µm, Cu 2 mm; R''(Si|AuSn) = 1e-5, R''(AuSn|Cu) = 8e-6.
  const double A = 4e-3 * 3e-3;
  const std::vector<double> t{0.775e-3, 50e-6, 2e-3};
  const std::vector<double> k{148.0, 57.0, 398.0};
  const double R1 = 1e-5, R2 = 8e-6, h = 2e4, T_inf = 308.15, q = 5e5;  // q [W/m²]
  std::vector<double> z{0.0};
  std::vector<int> layer_of_cell;
  const std::vector<int> cells{7, 3, 9};
  for (int l = 0; l < 3; ++l) {  // non-uniform within each layer
    const auto nodes = testing::stretched_nodes(z.back(), z.back() + t[l], cells[l], 0.8);
    z.insert(z.end(), nodes.begin() + 1, nodes.end());
    layer_of_cell.insert(layer_of_cell.end(), cells[l], l);
  }
  for (auto kind : testing::all_solver_kinds()) {
    CAPTURE(solver::to_string(kind));
    testing::OwnedProblem p({0.0, 1e-3, 4e-3}, {0.0, 3e-3}, z);
    for (int l = 0; l < 3; ++l) p.materials.push_back(testing::make_material(k[l], k[l], k[l]));
    for (std::size_t c = 0; c < p.grid->num_cells(); ++c)
      p.regions[c] = layer_of_cell[p.grid->ijk(c)[2]];
    p.contacts = solver::ContactTable(3);
    p.contacts.set(0, 1, R1);
    p.contacts.set(1, 2, R2);
    p.boundaries[4] = {BoundaryKind::heat_flux, 0, 0, q};
    p.boundaries[5] = {BoundaryKind::convection, h, T_inf, 0};
    std::vector<double> T;
    const auto report = solver::solve_steady(p.view(), testing::options_for(kind), T);
    REQUIRE(report.converged);
    // Exact profile: T(z) = T_top + q·(resistance from z to the fluid).
    const double Q = q * A;
    const double R_total = (t[0] / k[0] + R1 + t[1] / k[1] + R2 + t[2] / k[2] + 1.0 / h) / A;
    auto exact = [&](double zc) {
      double r = 1.0 / h;  // per area, from the top surface to the fluid
      double top = t[0] + t[1] + t[2];
      const double bounds[3] = {t[0], t[0] + t[1], top};
      const double Rc[2] = {R1, R2};
      for (int l = 2; l >= 0; --l) {
        const double lo = l == 0 ? 0.0 : bounds[l - 1];
        if (zc >= lo) return T_inf + q * (r + (bounds[l] - zc) / k[l]);
        r += t[l] / k[l] + (l > 0 ? Rc[l - 1] : 0.0);
      }
      return 0.0;
    };
    const double dT = Q * R_total;
    double worst = 0.0;
    for (std::size_t c = 0; c < p.grid->num_cells(); ++c)
      worst = std::max(worst, std::fabs(T[c] - exact(p.grid->centre(2, p.grid->ijk(c)[2]))) / dT);
    MESSAGE(solver::to_string(kind) << ": max |T - exact| / ΔT = " << worst << ", energy balance "
                                    << report.energy.relative);
    CHECK(worst <= 1e-9);
    // Bottom-cell check of T_bottom = T∞ + Q·R_total (extrapolated by the half-cell).
    CHECK(exact(0.0) == doctest::Approx(T_inf + dT).epsilon(1e-14));
    CHECK(report.energy.relative <= 1e-8);
    CHECK(report.energy.heat_out_W == doctest::Approx(0.0).epsilon(1e-9));  // flux in = conv out
    CHECK(report.energy.face_heat_out_W[5] == doctest::Approx(Q).epsilon(1e-9));
  }
}
