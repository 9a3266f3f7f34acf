/// \file
/// physics.md §6 item 5: the loss of a lane integrated along its route through a temperature
/// field. On synthetic fields with known integrals: a uniform field gives α(T)·L, scaling by the
/// ρ(T) factor for a film far below δ; a linear gradient gives the closed-form integral (exact
/// for such a film, to 1e-9 for the √ρ skin regime); the reported maximum reach has zero margin
/// (1e-9 dB).
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "mesh/cell_field.hpp"
#include "postproc/electrical/electrical.hpp"

using namespace cposim;
using namespace cposim::postproc;

namespace {

constexpr double kAlpha = kCopperTemperatureCoefficient_per_K;
constexpr double kF_Hz = 53.125e9;  // Nyquist of 212.5 Gb/s PAM4

/// Non-uniform nodes from lo to hi: widths growing geometrically by `ratio`.
std::vector<double> graded(double lo, double hi, int cells, double ratio) {
  std::vector<double> w(static_cast<std::size_t>(cells));
  double sum = 0.0, width = 1.0;
  for (auto& x : w) {
    x = width;
    sum += width;
    width *= ratio;
  }
  std::vector<double> nodes{lo};
  for (double x : w) nodes.push_back(nodes.back() + x / sum * (hi - lo));
  nodes.back() = hi;
  return nodes;
}

/// A 20 × 16 × 6 mm box (graded cells) with T = T0 + gx x + gy y + gz z at the cell centres.
struct Field {
  mesh::RectilinearGrid grid{graded(0, 20e-3, 23, 1.07), graded(0, 16e-3, 17, 0.95),
                             graded(0, 6e-3, 7, 1.2)};
  mesh::CellField T{&grid, "temperature_K", {}};
  Field(double T0, double gx, double gy, double gz) {
    T.values.resize(grid.num_cells());
    for (std::size_t c = 0; c < grid.num_cells(); ++c) {
      const auto ijk = grid.ijk(c);
      T.values[c] = T0 + gx * grid.centre(0, ijk[0]) + gy * grid.centre(1, ijk[1]) +
                    gz * grid.centre(2, ijk[2]);
    }
  }
};

RouteStep medium_step(const Medium& m, std::vector<std::array<double, 3>> points,
                      bool variable = false) {
  RouteStep s;
  s.medium = m;
  s.points_m = std::move(points);
  s.variable = variable;
  return s;
}

RouteStep transition_step(const char* name, std::array<double, 3> at, int count = 1) {
  RouteStep s;
  s.kind = RouteStep::Kind::transition;
  s.transition = *find_builtin_transition(name);
  s.count = count;
  s.points_m = {at};
  return s;
}

/// si_rdl without its dielectric and 1 nm thick, far below δ (x = t/δ ≈ 3.5e-3, so the finite-
/// thickness correction x⁴/180 is below 1e-15): the loss is ∝ ρ(T) to round-off.
Medium thin_rdl() {
  Medium m = *find_builtin_medium("si_rdl");
  m.Df = 0.0;
  m.thickness_m = 1e-9;
  return m;
}

/// A skin-regime strip (25 µm × 18 µm = 60 δ, smooth, planes p = 1) without dielectric: the
/// loss is R_s/w, ∝ √ρ(T) to e^{−60}. (A rough strip keeps R_dc out of K_r's reach, so it is
/// ∝ √ρ only to (K_r − 1) 2δ/t.)
Medium skin_strip() {
  Medium m;
  m.name = "strip";
  m.width_m = 25e-6;
  m.thickness_m = 18e-6;
  return m;
}

}  // namespace

TEST_CASE("validation: a route in a uniform field has the 25 °C loss times the ρ(T) factor") {
  const double T = 358.15;  // 85 °C
  const Field field(T, 0.0, 0.0, 0.0);
  const double factor = (1 + kAlpha * (T - 293.15)) / (1 + kAlpha * 5.0);  // ρ(T)/ρ(25 °C)
  Route route;
  route.steps = {transition_step("ubump", {2e-3, 3e-3, 3e-3}),
                 medium_step(*find_builtin_medium("si_rdl"),
                             {{2e-3, 3e-3, 3e-3}, {9e-3, 3e-3, 3e-3}, {9e-3, 11e-3, 3e-3}}, true),
                 transition_step("ubump", {9e-3, 11e-3, 3e-3}, 2)};
  route.extra_loss_dB = 0.25;
  const RouteLoss loss = integrate_route_loss(field.T, route, kF_Hz);
  const Medium& rdl = *find_builtin_medium("si_rdl");
  const MediumLoss at25 = medium_loss(rdl, kF_Hz, 298.15);
  const double transitions = 3 * transition_loss_dB(*find_builtin_transition("ubump"), kF_Hz);
  CHECK(loss.length_m == doctest::Approx(15e-3).epsilon(1e-14));
  CHECK(loss.transition_loss_dB == doctest::Approx(transitions).epsilon(1e-14));
  CHECK(loss.T_mean_K == doctest::Approx(T).epsilon(1e-14));
  CHECK(loss.T_max_K == doctest::Approx(T).epsilon(1e-14));
  const double media_25C = at25.total_dB_per_m() * 15e-3;
  const double media_T = medium_loss_dB_per_m(rdl, kF_Hz, T) * 15e-3;
  CHECK(loss.loss_25C_dB == doctest::Approx(media_25C + transitions + 0.25).epsilon(1e-12));
  CHECK(loss.loss_dB == doctest::Approx(media_T + transitions + 0.25).epsilon(1e-12));
  // si_rdl (1 µm = 3.5 δ at 53 GHz) rises far less than the ρ of DC.
  const double rise = medium_loss(rdl, kF_Hz, T).conductor_dB_per_m / at25.conductor_dB_per_m;
  CHECK(rise > 1.0);
  CHECK(rise < factor);
  // A film far below δ is ∝ ρ: +0.385 %/K at 25 °C, 60 K → +23.1 %.
  Route film;
  film.steps = {medium_step(thin_rdl(), {{2e-3, 3e-3, 3e-3}, {17e-3, 3e-3, 3e-3}}, true)};
  const RouteLoss f = integrate_route_loss(field.T, film, kF_Hz);
  CHECK(f.loss_dB / f.loss_25C_dB == doctest::Approx(factor).epsilon(1e-12));
  CHECK(factor - 1 == doctest::Approx(0.2313).epsilon(1e-3));

  // Skin regime: ∝ √ρ, about +0.19 %/K.
  Route skin;
  skin.steps = {medium_step(skin_strip(), {{2e-3, 3e-3, 3e-3}, {17e-3, 3e-3, 3e-3}}, true)};
  const RouteLoss s = integrate_route_loss(field.T, skin, kF_Hz);
  CHECK(s.loss_dB / s.loss_25C_dB == doctest::Approx(std::sqrt(factor)).epsilon(1e-12));
}

TEST_CASE("validation: a linear temperature gradient gives the closed-form integral") {
  // T = T0 + g·x along x (plus a y and z gradient the route sees as constants). Trilinear
  // interpolation between centres reproduces a linear field exactly away from the boundary
  // half-cells, so T(s) along the route is exactly linear.
  const double T0 = 300.0, gx = 3000.0, gy = -1500.0, gz = 500.0;  // K/m: 60 K over 20 mm in x
  const Field field(T0, gx, gy, gz);
  const double y = 5e-3, z = 2.5e-3, xa = 1.5e-3, xb = 18.5e-3;  // inside the outer centres
  const double Tc = T0 + gy * y + gz * z;                        // T(x) = Tc + gx x
  const Medium rdl = thin_rdl();
  const double alpha20 = medium_loss_dB_per_m(rdl, kF_Hz, 293.15);

  // Thin RDL: α(T) = α20 (1 + a (T − 293.15)), linear in T, so the integral is α at the
  // midpoint temperature times the length; Simpson's rule is exact (tolerance 1e-12).
  Route route;
  route.steps = {medium_step(rdl, {{xa, y, z}, {xb, y, z}}, true)};
  const RouteLoss loss = integrate_route_loss(field.T, route, kF_Hz);
  const double L = xb - xa;
  const double T_mid = Tc + gx * 0.5 * (xa + xb);
  CHECK(loss.length_m == doctest::Approx(L).epsilon(1e-14));
  CHECK(loss.T_mean_K == doctest::Approx(T_mid).epsilon(1e-13));
  CHECK(loss.T_max_K == doctest::Approx(Tc + gx * xb).epsilon(1e-13));
  CHECK(loss.T_min_K == doctest::Approx(Tc + gx * xa).epsilon(1e-13));
  CHECK(loss.loss_dB ==
        doctest::Approx(alpha20 * L * (1 + kAlpha * (T_mid - 293.15))).epsilon(1e-12));
  // Cut at cell faces and centres: every piece lies in one half of one cell.
  const std::size_t cells = field.grid.locate(0, xb) - field.grid.locate(0, xa) + 1;
  CHECK(loss.segments.size() >= 2 * (cells - 1));
  for (const auto& piece : loss.segments) {
    const double mid = 0.5 * (piece.a_m[0] + piece.b_m[0]);
    CHECK(piece.b_m[0] - piece.a_m[0] <=
          0.5 * field.grid.width(0, field.grid.locate(0, mid)) * (1 + 1e-12));
  }

  // Skin regime: α ∝ √(1 + a (T − 293.15)); ∫ over x = α20 · 2 [u^{3/2}] / (3 a gx), u = 1 +
  // a(T−293.15).
  Route skin;
  skin.steps = {medium_step(skin_strip(), {{xa, y, z}, {xb, y, z}}, true)};
  const RouteLoss s = integrate_route_loss(field.T, skin, kF_Hz);
  const double skin20 = medium_loss_dB_per_m(skin_strip(), kF_Hz, 293.15);
  auto u = [&](double x) { return 1 + kAlpha * (Tc + gx * x - 293.15); };
  const double exact =
      skin20 * 2.0 * (std::pow(u(xb), 1.5) - std::pow(u(xa), 1.5)) / (3 * kAlpha * gx);
  CHECK(s.loss_dB == doctest::Approx(exact).epsilon(1e-9));

  // A diagonal route (x and y at once) through the same field: T is linear along it too.
  const std::array<double, 3> a{2e-3, 2e-3, z}, b{17e-3, 13e-3, z};
  Route diagonal;
  diagonal.steps = {medium_step(rdl, {a, b}, true)};
  const RouteLoss d = integrate_route_loss(field.T, diagonal, kF_Hz);
  const double Ld = std::hypot(b[0] - a[0], b[1] - a[1]);
  const double Td = T0 + gx * 0.5 * (a[0] + b[0]) + gy * 0.5 * (a[1] + b[1]) + gz * z;
  CHECK(d.loss_dB == doctest::Approx(alpha20 * Ld * (1 + kAlpha * (Td - 293.15))).epsilon(1e-12));
  CHECK(d.T_mean_K == doctest::Approx(Td).epsilon(1e-13));

  // A route with a detour factor: the same temperatures, 1.25 × the length and loss.
  route.steps[0].length_scale = 1.25;
  const RouteLoss scaled = integrate_route_loss(field.T, route, kF_Hz);
  CHECK(scaled.length_m == doctest::Approx(1.25 * L).epsilon(1e-14));
  CHECK(scaled.loss_dB == doctest::Approx(1.25 * loss.loss_dB).epsilon(1e-13));
}

TEST_CASE("validation: the margin at the reported maximum reach is zero (1e-9 dB)") {
  // Fixed RDL + transitions + a variable stripline in a uniform 70 °C field: extending the
  // stripline to the reported reach and integrating again gives margin 0.
  const Field field(343.15, 0.0, 0.0, 0.0);
  const Medium rdl = *find_builtin_medium("si_rdl");
  const Medium abf = *find_builtin_medium("abf_stripline");
  auto route_with = [&](double variable_m) {
    Route r;
    r.steps = {transition_step("ubump", {1e-3, 8e-3, 3e-3}),
               medium_step(rdl, {{1e-3, 8e-3, 3e-3}, {2e-3, 8e-3, 3e-3}}),
               transition_step("c4", {2e-3, 8e-3, 3e-3}, 2),
               medium_step(abf, {{2e-3, 8e-3, 3e-3}, {2e-3 + variable_m, 8e-3, 3e-3}}, true)};
    r.extra_loss_dB = 7.8;  // brings the reach inside the 20 mm box
    return r;
  };
  Budget budget = *find_builtin_budget("CEI-224G-XSR");
  const RouteLoss loss = integrate_route_loss(field.T, route_with(6e-3), kF_Hz);
  const LaneMargin margin = evaluate_margin(loss, budget);
  CHECK(margin.pass);
  CHECK(margin.margin_dB == doctest::Approx(budget.loss_dB - loss.loss_dB).epsilon(1e-15));
  const double reach = margin.max_reach_m;
  REQUIRE(reach > 7e-3);
  REQUIRE(reach < 19e-3);  // the field box is 20 mm long
  const RouteLoss at_reach = integrate_route_loss(field.T, route_with(reach - 1e-3), kF_Hz);
  CHECK(at_reach.length_m == doctest::Approx(reach).epsilon(1e-13));
  CHECK(std::abs(evaluate_margin(at_reach, budget).margin_dB) < 1e-9);

  // At 25 °C the reach is longer; in a non-uniform field the formula still has zero margin by
  // construction: budget − (IL_fixed + α_var (reach − L_fixed)) = 0.
  CHECK(margin.max_reach_25C_m > reach);
  const Field hot(300.0, 2000.0, 0.0, 0.0);
  const RouteLoss l2 = integrate_route_loss(hot.T, route_with(6e-3), kF_Hz);
  const LaneMargin m2 = evaluate_margin(l2, budget);
  const double fixed_length = l2.length_m - l2.variable_length_m;
  const double fixed_loss = l2.loss_dB - l2.variable_loss_dB;
  CHECK(std::abs(budget.loss_dB -
                 (fixed_loss + l2.variable_dB_per_m * (m2.max_reach_m - fixed_length))) < 1e-9);
}

TEST_CASE("validation: route bookkeeping: segments, transitions, errors") {
  const Field field(320.0, 1000.0, 0.0, 0.0);
  Route route;
  route.steps = {transition_step("tsv", {3e-3, 4e-3, 1e-3}, 3),
                 medium_step(thin_rdl(), {{3e-3, 4e-3, 2e-3}, {10e-3, 4e-3, 2e-3}}, true)};
  const RouteLoss loss = integrate_route_loss(field.T, route, kF_Hz);
  REQUIRE(!loss.segments.empty());
  // The transition is drawn first, up to the start of the medium.
  CHECK(loss.segments.front().step == 0);
  CHECK(loss.segments.front().b_m == route.steps[1].points_m.front());
  CHECK(loss.segments.front().loss_dB ==
        doctest::Approx(3 * transition_loss_dB(*find_builtin_transition("tsv"), kF_Hz))
            .epsilon(1e-14));
  // The media segments are contiguous and their losses add up.
  double sum = 0.0;
  for (std::size_t k = 1; k < loss.segments.size(); ++k) {
    sum += loss.segments[k].loss_dB;
    if (k > 1) CHECK(loss.segments[k].a_m == loss.segments[k - 1].b_m);
  }
  CHECK(sum + loss.transition_loss_dB == doctest::Approx(loss.loss_dB).epsilon(1e-13));

  Route outside = route;
  outside.steps[1].points_m.back()[0] = 25e-3;  // beyond the 20 mm box
  CHECK_THROWS_AS(integrate_route_loss(field.T, outside, kF_Hz), std::out_of_range);
  Route two_variables = route;
  two_variables.steps.push_back(two_variables.steps[1]);
  CHECK_THROWS_AS(integrate_route_loss(field.T, two_variables, kF_Hz), std::invalid_argument);
}
