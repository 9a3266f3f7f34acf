/// \file
/// physics.md §5.1 with k(T): 1-D slabs whose conductivity depends on temperature, against the
/// exact Kirchhoff solution. Uniform flux q enters at the bottom, the sides are adiabatic, so
/// θ = ∫ k dT / k0 is linear in z. The half-cell Kirchhoff means of kirchhoff.hpp make the
/// finite-volume scheme exact in 1-D, so every cell must match to 1e-6 of the temperature rise
/// on a coarse, stretched grid (measured: ~1e-12); what is left is the Picard and linear
/// tolerance.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <functional>

#include "tests/support/owned_problem.hpp"

using namespace cposim;
using solver::BoundaryKind;

namespace {

constexpr double kT0 = 300.0;  // reference temperature of k0 [K]
constexpr double kK0 = 148.0;  // Si k(300 K) [W/(m K)], physics.md §1.1
constexpr double kN = 1.3;     // k = k0 (T/T0)^-n, physics.md §1.1

materials::Material silicon_kt() {
  auto m = testing::make_material(kK0, kK0, kK0);
  m.law = materials::ConductivityLaw::power_law;
  m.T_ref_K = kT0;
  m.exponent = -kN;
  return m;
}

/// Exact inverse Kirchhoff transform of the power law: T with ∫_{T0}^{T} k dT / k0 = θ.
double power_law_T(double theta) {
  return kT0 * std::pow(1.0 + (1.0 - kN) * theta / kT0, 1.0 / (1.0 - kN));
}
double power_law_theta(double T) { return kT0 / (1.0 - kN) * (std::pow(T / kT0, 1.0 - kN) - 1.0); }

/// A piecewise-linear k(T) table (values chosen freely, not from the power law).
const std::vector<double> kTableT{250.0, 320.0, 380.0, 450.0};
const std::vector<double> kTableK{160.0, 130.0, 95.0, 80.0};

materials::Material table_material() {
  auto m = testing::make_material(kTableK[0], kTableK[0], kTableK[0]);
  m.law = materials::ConductivityLaw::table;
  m.T_ref_K = kTableT[0];
  m.table_T_K = kTableT;
  for (double k : kTableK) m.table_factor.push_back(k / kTableK[0]);
  return m;
}

/// ∫_{T_a}^{T_b} k dT of the table (trapezoids on a fine uniform subdivision: exact for a
/// piecewise-linear k up to the kinks, which the subdivision resolves to ~1e-12 W/m).
double table_integral(double T_a, double T_b) {
  const auto k = [](double T) {
    if (T <= kTableT.front()) return kTableK.front();
    if (T >= kTableT.back()) return kTableK.back();
    std::size_t i = 1;
    while (kTableT[i] < T) ++i;
    const double t = (T - kTableT[i - 1]) / (kTableT[i] - kTableT[i - 1]);
    return kTableK[i - 1] + t * (kTableK[i] - kTableK[i - 1]);
  };
  // Split at the table points so each piece is linear and one trapezoid is exact.
  std::vector<double> points{T_a};
  for (double t : kTableT)
    if ((t - T_a) * (t - T_b) < 0.0) points.push_back(t);
  points.push_back(T_b);
  std::sort(points.begin(), points.end());
  double sum = 0.0;
  for (std::size_t i = 1; i < points.size(); ++i)
    sum += 0.5 * (k(points[i - 1]) + k(points[i])) * (points[i] - points[i - 1]);
  return T_b >= T_a ? sum : -sum;
}

/// T with ∫_{T_base}^{T} k dT = J [W/m] for the table material (bisection to 1e-13 K).
double table_T(double T_base, double J) {
  double lo = 100.0, hi = 1000.0;
  for (int i = 0; i < 200 && hi - lo > 1e-13; ++i) {
    const double mid = 0.5 * (lo + hi);
    (table_integral(T_base, mid) < J ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

struct Slab {
  testing::OwnedProblem p;
  std::vector<double> z;
  explicit Slab(std::vector<double> z_nodes)
      : p({0.0, 2e-3}, {0.0, 3e-3}, z_nodes), z(std::move(z_nodes)) {}
};

/// Solves and returns max |T − exact(z_centre)| / rise over the cells.
double max_relative_error(Slab& s, const std::function<double(double)>& exact, double rise,
                          solver::SolveReport* report_out = nullptr) {
  auto options = testing::options_for(solver::LinearSolverKind::direct);
  options.picard_tolerance_K = 1e-10;
  options.max_picard_iterations = 100;
  std::vector<double> T;
  const auto report = solver::solve_steady(s.p.view(), options, T);
  REQUIRE(report.converged);
  if (report_out) *report_out = report;
  double worst = 0.0;
  for (std::size_t c = 0; c < s.p.grid->num_cells(); ++c) {
    const double zc = s.p.grid->centre(2, s.p.grid->ijk(c)[2]);
    worst = std::max(worst, std::fabs(T[c] - exact(zc)) / rise);
  }
  MESSAGE("max |T - exact| / rise = "
          << worst << " after " << report.picard_iterations << " Picard steps, nonlinear residual "
          << report.nonlinear_residual << ", energy balance " << report.energy.relative);
  CHECK(report.energy.relative <= 1e-9);
  return worst;
}

}  // namespace

TEST_CASE("validation §5.1: Si slab with k = k0 (T/T0)^-1.3, flux in, convection out, exact") {
  const testing::OneThread one_thread;
  const double L = 5e-3, q = 1.5e6, h = 5e4, T_a = 300.0;  // ~80 K rise
  Slab s(testing::stretched_nodes(0.0, L, 12, 1.0));
  s.p.materials.push_back(silicon_kt());
  s.p.boundaries[4] = {BoundaryKind::heat_flux, 0, 0, q};
  s.p.boundaries[5] = {BoundaryKind::convection, h, T_a, 0};
  const double T_surface = T_a + q / h;
  const auto exact = [&](double z) {
    return power_law_T(power_law_theta(T_surface) + q * (L - z) / kK0);
  };
  const double rise = exact(0.0) - T_a;
  MESSAGE("rise " << rise << " K, bottom " << exact(0.0) << " K");
  solver::SolveReport report;
  CHECK(max_relative_error(s, exact, rise, &report) <= 1e-6);
  CHECK(report.nonlinear_residual <= 1e-10);
  CHECK(report.picard_iterations > 1);
}

TEST_CASE("validation §5.1: Si slab with k(T), flux in, fixed temperature out, exact") {
  const testing::OneThread one_thread;
  const double L = 3e-3, q = 3e6, T_top = 320.0;
  Slab s(testing::stretched_nodes(0.0, L, 9, -0.7));
  s.p.materials.push_back(silicon_kt());
  s.p.boundaries[4] = {BoundaryKind::heat_flux, 0, 0, q};
  s.p.boundaries[5] = {BoundaryKind::fixed_temperature, 0, T_top, 0};
  const auto exact = [&](double z) {
    return power_law_T(power_law_theta(T_top) + q * (L - z) / kK0);
  };
  CHECK(max_relative_error(s, exact, exact(0.0) - T_top) <= 1e-6);
}

TEST_CASE("validation §5.1: tabulated k(T) under power-law Si with a contact R'', exact") {
  // Bottom: the table material (1 mm), R'' = 2e-6 m²K/W, top: Si k(T) (2 mm), convection.
  const testing::OneThread one_thread;
  const double t1 = 1e-3, t2 = 2e-3, R = 2e-6, q = 1.2e6, h = 3e4, T_a = 310.0;
  std::vector<double> z = testing::stretched_nodes(0.0, t1, 5, 0.6);
  const auto upper = testing::stretched_nodes(t1, t1 + t2, 7, -0.9);
  z.insert(z.end(), upper.begin() + 1, upper.end());
  Slab s(z);
  s.p.materials = {table_material(), silicon_kt()};
  for (std::size_t c = 0; c < s.p.grid->num_cells(); ++c)
    s.p.regions[c] = s.p.grid->ijk(c)[2] < 5 ? 0 : 1;
  s.p.contacts = solver::ContactTable(2);
  s.p.contacts.set(0, 1, R);
  s.p.boundaries[4] = {BoundaryKind::heat_flux, 0, 0, q};
  s.p.boundaries[5] = {BoundaryKind::convection, h, T_a, 0};
  const double T_surface = T_a + q / h;
  const double T_si_bottom = power_law_T(power_law_theta(T_surface) + q * t2 / kK0);
  const double T_table_top = T_si_bottom + q * R;
  const auto exact = [&](double zc) {
    if (zc > t1) return power_law_T(power_law_theta(T_surface) + q * (t1 + t2 - zc) / kK0);
    return table_T(T_table_top, q * (t1 - zc));
  };
  const double rise = exact(0.0) - T_a;
  MESSAGE("rise " << rise << " K; table layer spans " << T_table_top << " to " << exact(0.0)
                  << " K");
  CHECK(exact(0.0) > kTableT[1]);  // the table's kinks lie inside the solution's range
  CHECK(max_relative_error(s, exact, rise) <= 1e-6);
}

TEST_CASE("Kirchhoff mean of k: power law and table against direct quadrature") {
  const auto si = silicon_kt();
  // ∫_{300}^{400} (T/300)^-1.3 dT / 100, closed form.
  CHECK(si.k_factor_mean(300.0, 400.0) ==
        doctest::Approx((power_law_theta(400.0) - power_law_theta(300.0)) / 100.0).epsilon(1e-14));
  CHECK(si.k_factor_mean(400.0, 300.0) == si.k_factor_mean(300.0, 400.0));
  // Close temperatures (series branch) against the closed form at 1e-12 relative.
  const double a = 350.0, b = 350.0 + 0.2;
  CHECK(si.k_factor_mean(a, b) ==
        doctest::Approx((power_law_theta(b) - power_law_theta(a)) / (b - a)).epsilon(1e-12));
  CHECK(si.k_factor_mean(a, a) == si.k_factor(a));
  const auto table = table_material();
  CHECK(table.k_factor_mean(200.0, 500.0) * kTableK[0] ==
        doctest::Approx(table_integral(200.0, 500.0) / 300.0).epsilon(1e-13));
}
