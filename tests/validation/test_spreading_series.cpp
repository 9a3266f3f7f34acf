/// \file
/// physics.md §5.4: centred isoflux source on a plate with a convective bottom, against the
/// exact rectangular series of Muzychka, Culham & Yovanovich (2003). Case from §5.4: Cu plate
/// 16.3 × 16.3 × 1.3 mm, k = 386, source 1.75 × 1.75 mm, h = 1.5e4 W/m²K, Q = 15 W.
/// Acceptance: mean source rise within 1 % on the finest grid, and the observed order of
/// convergence over three grids refined by 2 (Roache: p = log2((f1 − f2)/(f2 − f3))) ≥ 1.8.
#include <doctest/doctest.h>

#include <cmath>

#include "mesh/grid_builder.hpp"
#include "tests/support/owned_problem.hpp"

using namespace cposim;

namespace {

constexpr double kPlate = 16.3e-3, kThick = 1.3e-3, kSource = 1.75e-3, kK = 386.0, kH = 1.5e4,
                 kQ = 15.0;

double phi(double zeta) {
  const double th = std::tanh(zeta * kThick);
  // [ζ cosh(ζt) + (h/k) sinh(ζt)] / [ζ sinh(ζt) + (h/k) cosh(ζt)], divided through by cosh
  return (zeta + (kH / kK) * th) / (zeta * th + kH / kK);
}

/// Mean source temperature rise θ̄ = Q (R_1D + R_s), physics.md §5.4 with M = N terms.
double series_mean_rise(int terms) {
  const double a = kSource / 2, b = kSource / 2, c = kPlate / 2, d = kPlate / 2;
  const double R1d = kThick / (4 * c * d * kK) + 1.0 / (4 * c * d * kH);
  double s1 = 0.0, s2 = 0.0, s3 = 0.0;
  for (int m = 1; m <= terms; ++m) {
    const double dm = m * M_PI / c;
    s1 += std::pow(std::sin(a * dm), 2) * phi(dm) / std::pow(dm, 3);
  }
  for (int n = 1; n <= terms; ++n) {
    const double ln = n * M_PI / d;
    s2 += std::pow(std::sin(b * ln), 2) * phi(ln) / std::pow(ln, 3);
  }
  for (int m = 1; m <= terms; ++m)
    for (int n = 1; n <= terms; ++n) {
      const double dm = m * M_PI / c, ln = n * M_PI / d, beta = std::hypot(dm, ln);
      s3 +=
          std::pow(std::sin(a * dm) * std::sin(b * ln), 2) * phi(beta) / (dm * dm * ln * ln * beta);
    }
  const double Rs = s1 / (2 * a * a * c * d * kK) + s2 / (2 * b * b * c * d * kK) +
                    s3 / (a * a * b * b * c * d * kK);
  return kQ * (R1d + Rs);
}

/// FV mean source rise with `n` cells per source edge (uniform-ish cells of size source/n).
double fv_mean_rise(int n, std::size_t& cells) {
  const double h = kSource / n;
  const double lo = (kPlate - kSource) / 2, hi = lo + kSource;
  mesh::GridRequest req;
  req.domain = {{0, 0, 0}, {kPlate, kPlate, kThick}};
  // The source is a thin heated sheet at the top surface (thickness h/8): its volumetric
  // power differs from a surface flux by q·t/k ≈ 1e-5 of the rise.
  const double sheet = h / 8;
  req.conforming_boxes = {{{lo, lo, kThick - sheet}, {hi, hi, kThick}}};
  req.max_cell_m = {h, h, h};
  req.max_neighbour_ratio = 1.3;
  req.min_cells_per_interval = {1, 1, 1};
  testing::OwnedProblem p({0, 1}, {0, 1}, {0, 1});
  p.grid = std::make_unique<mesh::RectilinearGrid>(mesh::build_grid(req));
  const auto& g = *p.grid;
  cells = g.num_cells();
  p.regions.assign(cells, 0);
  p.power_W.assign(cells, 0.0);
  p.materials = {testing::make_material(kK, kK, kK)};
  double V = 0.0;
  std::vector<std::size_t> source;
  for (std::size_t c = 0; c < cells; ++c) {
    const auto ijk = g.ijk(c);
    const double x = g.centre(0, ijk[0]), y = g.centre(1, ijk[1]), z = g.centre(2, ijk[2]);
    if (x > lo && x < hi && y > lo && y < hi && z > kThick - sheet) {
      source.push_back(c);
      V += g.volume_m3(ijk[0], ijk[1], ijk[2]);
    }
  }
  for (auto c : source) {
    const auto ijk = g.ijk(c);
    p.power_W[c] = kQ * g.volume_m3(ijk[0], ijk[1], ijk[2]) / V;
  }
  p.boundaries[4] = {solver::BoundaryKind::convection, kH, 300.0, 0};
  std::vector<double> T;
  const auto report = solver::solve_steady(
      p.view(), testing::options_for(solver::LinearSolverKind::automatic, 1e-12), T);
  REQUIRE(report.converged);
  CHECK(report.energy.relative <= 1e-8);
  double mean = 0.0;
  for (auto c : source) {
    const auto ijk = g.ijk(c);
    mean += T[c] * g.volume_m3(ijk[0], ijk[1], ijk[2]) / V;
  }
  return mean - 300.0;
}

}  // namespace

TEST_CASE("validation §5.4: rectangular spreading series, 1 % and order ≥ 1.8") {
  const double exact = series_mean_rise(400);
  CHECK(std::fabs(series_mean_rise(200) - exact) / exact < 1e-4);  // the series has converged
  std::size_t c1 = 0, c2 = 0, c3 = 0;
  const double t1 = fv_mean_rise(4, c1), t2 = fv_mean_rise(8, c2), t3 = fv_mean_rise(16, c3);
  const double e1 = std::fabs(t1 - exact), e2 = std::fabs(t2 - exact), e3 = std::fabs(t3 - exact);
  MESSAGE("series θ̄ = " << exact << " K; FV " << t1 << " (" << c1 << " cells), " << t2 << " (" << c2
                        << "), " << t3 << " (" << c3 << ")");
  const double observed_order = std::log2((t1 - t2) / (t2 - t3));
  const double extrapolated = t3 + (t3 - t2) / (std::pow(2.0, observed_order) - 1.0);
  MESSAGE("relative errors " << e1 / exact << ", " << e2 / exact << ", " << e3 / exact
                             << "; observed order " << observed_order << "; Richardson limit "
                             << extrapolated << " K (" << (extrapolated - exact) / exact
                             << " from the series)");
  CHECK(e3 / exact < 0.01);
  CHECK(e2 / exact < 0.01);
  CHECK(observed_order >= 1.8);
  CHECK(std::fabs(extrapolated - exact) / exact < 0.01);
}
