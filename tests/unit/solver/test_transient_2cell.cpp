/// \file
/// Unit tests of the transient driver on a 2-cell system: the step formulas against hand-made
/// linear algebra, and adaptive BDF2 against the exact matrix-exponential solution.
#include <doctest/doctest.h>

#include <Eigen/Dense>
#include <cmath>
#include <stdexcept>

#include "solver/linear_system.hpp"
#include "solver/transient.hpp"
#include "tests/support/owned_problem.hpp"

using namespace cposim;
using solver::BoundaryKind;

namespace {

using testing::OneThread;

/// Two cells along x (1 mm and 2 mm), different materials, convection on x_max, 0.5 W in
/// cell 0. Time constants ≈ 0.1 s and ≈ 1.4 s.
testing::OwnedProblem two_cells() {
  testing::OwnedProblem p({0.0, 1e-3, 3e-3}, {0.0, 1e-3}, {0.0, 1e-3});
  p.materials.push_back(testing::make_material(10, 10, 10));
  p.materials.push_back(testing::make_material(50, 50, 50));
  p.materials[0].rho_kg_per_m3 = 2000;
  p.materials[0].cp_J_per_kgK = 800;
  p.materials[1].rho_kg_per_m3 = 8000;
  p.materials[1].cp_J_per_kgK = 400;
  p.regions = {0, 1};
  p.power_W = {0.5, 0.0};
  p.boundaries[1] = {BoundaryKind::convection, 5000.0, 300.0, 0.0};
  return p;
}

struct Dense2 {
  Eigen::Matrix2d A;
  Eigen::Vector2d b, C;
};

Dense2 dense_system(const testing::OwnedProblem& p) {
  solver::LinearSystem sys(*p.grid);
  const std::vector<double> T(2, 300.0);
  sys.assemble(p.view(), T, 0.0);
  Dense2 d;
  d.A = Eigen::Matrix2d(sys.matrix());
  d.b = sys.rhs();
  const auto C = solver::heat_capacity_J_per_K(p.view());
  d.C << C[0], C[1];
  return d;
}

solver::TransientOptions fixed_options(solver::TimeScheme scheme, double dt_s) {
  solver::TransientOptions o;
  o.linear.kind = solver::LinearSolverKind::direct;
  o.scheme = scheme;
  o.adaptive = false;
  o.dt_initial_s = dt_s;
  return o;
}

}  // namespace

TEST_CASE("transient: heat capacity is rho cp V per cell") {
  const auto p = two_cells();
  const auto C = solver::heat_capacity_J_per_K(p.view());
  CHECK(C[0] == doctest::Approx(2000.0 * 800.0 * 1e-9).epsilon(1e-14));
  CHECK(C[1] == doctest::Approx(8000.0 * 400.0 * 2e-9).epsilon(1e-14));
}

TEST_CASE("transient: one BE step and one BDF2 step match the formulas to 1e-12 relative") {
  const auto p = two_cells();
  const Dense2 d = dense_system(p);
  const double h = 0.05;
  const Eigen::Vector2d y0(300.0, 300.0);
  const Eigen::Matrix2d Ch = (d.C / h).asDiagonal();
  const Eigen::Vector2d y1 = (Ch + d.A).lu().solve(d.b + Ch * y0);  // backward Euler
  const Eigen::Vector2d y2 =                                        // BDF2, ω = 1
      (1.5 * Ch + d.A).lu().solve(d.b + Ch * (2.0 * y1 - 0.5 * y0));
  for (auto scheme : {solver::TimeScheme::backward_euler, solver::TimeScheme::bdf2}) {
    CAPTURE(solver::to_string(scheme));
    solver::TransientSolver ts(*p.grid, fixed_options(scheme, h));
    std::vector<double> T{300.0, 300.0};
    std::vector<std::vector<double>> out;
    const auto rep = ts.run(p.view(), T, 0.0, {h, 2 * h}, nullptr,
                            [&](double, const std::vector<double>& TK) { out.push_back(TK); });
    REQUIRE(rep.completed);
    REQUIRE(out.size() == 2);
    CHECK(rep.steps == 2);
    for (int i = 0; i < 2; ++i) CHECK(out[0][i] == doctest::Approx(y1[i]).epsilon(1e-12));
    if (scheme == solver::TimeScheme::bdf2)
      for (int i = 0; i < 2; ++i) CHECK(out[1][i] == doctest::Approx(y2[i]).epsilon(1e-12));
    CHECK(rep.energy_relative <= 1e-10);
  }
}

TEST_CASE("transient: adaptive BDF2 on 2 cells matches the matrix exponential to 1e-3 K") {
  const OneThread one_thread;
  const auto p = two_cells();
  const Dense2 d = dense_system(p);
  // y(t) = y∞ + C^{-1/2} V e^{-Λt} Vᵀ C^{1/2} (y0 − y∞), with S = C^{-1/2} A C^{-1/2} = V Λ Vᵀ.
  const Eigen::Vector2d y_inf = d.A.lu().solve(d.b);
  const Eigen::Vector2d cs = d.C.cwiseSqrt();
  const Eigen::Matrix2d S = cs.cwiseInverse().asDiagonal() * d.A * cs.cwiseInverse().asDiagonal();
  const Eigen::SelfAdjointEigenSolver<Eigen::Matrix2d> eig(S);
  const Eigen::Vector2d y0(300.0, 300.0);
  auto exact = [&](double t) -> Eigen::Vector2d {
    const Eigen::Vector2d decay = (-eig.eigenvalues() * t).array().exp();
    const Eigen::Vector2d z0 = eig.eigenvectors().transpose() * cs.cwiseProduct(y0 - y_inf);
    return y_inf + cs.cwiseInverse().cwiseProduct(eig.eigenvectors() * decay.cwiseProduct(z0));
  };
  solver::TransientOptions o;
  o.linear.kind = solver::LinearSolverKind::direct;
  o.tolerance_K = 1e-5;
  o.dt_initial_s = 1e-5;
  solver::TransientSolver ts(*p.grid, o);
  std::vector<double> T{300.0, 300.0};
  const std::vector<double> times{0.1, 0.5, 1.0, 3.0};
  double worst = 0.0;
  const auto rep =
      ts.run(p.view(), T, 0.0, times, nullptr, [&](double t, const std::vector<double>& TK) {
        const auto e = exact(t);
        for (int i = 0; i < 2; ++i)
          worst = std::max(worst, std::fabs(TK[static_cast<std::size_t>(i)] - e[i]));
      });
  REQUIRE(rep.completed);
  MESSAGE("2-cell adaptive BDF2: max |T - exact| = " << worst << " K, steps " << rep.steps
                                                     << ", rejected " << rep.rejected_steps
                                                     << ", setups " << rep.setups);
  CHECK(worst <= 1e-3);  // rise ≈ 100 K
  CHECK(rep.energy_relative <= 1e-10);
  CHECK(rep.setups < rep.steps);
}

TEST_CASE("transient: bad input throws") {
  const auto p = two_cells();
  solver::TransientSolver ts(*p.grid, solver::TransientOptions{});
  std::vector<double> T{300.0, 300.0};
  CHECK_THROWS_AS(ts.run(p.view(), T, 0.0, {}, nullptr, nullptr), std::invalid_argument);
  CHECK_THROWS_AS(ts.run(p.view(), T, 0.0, {0.2, 0.1}, nullptr, nullptr), std::invalid_argument);
  std::vector<double> wrong(3, 300.0);
  CHECK_THROWS_AS(ts.run(p.view(), wrong, 0.0, {0.1}, nullptr, nullptr), std::invalid_argument);
  solver::TransientOptions bad;
  bad.dt_initial_s = 0.0;
  CHECK_THROWS_AS(solver::TransientSolver(*p.grid, bad), std::invalid_argument);
}

TEST_CASE("transient: an unreachable tolerance is reported as a failure, not thrown") {
  const auto p = two_cells();
  solver::TransientOptions o;
  o.linear.kind = solver::LinearSolverKind::direct;
  o.tolerance_K = 1e-12;
  o.dt_initial_s = 1e-2;
  o.dt_min_s = 1e-3;
  solver::TransientSolver ts(*p.grid, o);
  std::vector<double> T{300.0, 300.0};
  int outputs = 0;
  const auto rep = ts.run(p.view(), T, 0.0, {1.0}, nullptr,
                          [&](double, const std::vector<double>&) { ++outputs; });
  CHECK_FALSE(rep.completed);
  CHECK(rep.failure.find("dt_min_s") != std::string::npos);
  CHECK(rep.rejected_steps >= 1);
  CHECK(outputs == 0);
  CHECK(T[0] == 300.0);  // no step accepted: T_K is still the initial state
}
