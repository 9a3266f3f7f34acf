/// \file
/// Unit tests of the conductance kernels, the assembled system, the linear solvers and the
/// steady driver, on systems small enough to check by hand.
#include <doctest/doctest.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include <cmath>

#include "solver/energy_balance.hpp"
#include "solver/kernels/face_conductance.hpp"
#include "solver/linear/jacobi_cg.hpp"
#include "solver/linear_system.hpp"
#include "solver/steady.hpp"
#include "tests/support/owned_problem.hpp"

using namespace cposim;
using solver::BoundaryKind;

TEST_CASE("face_conductance: two equal cells reduce to k A / d") {
  // 1 mm cells of Si (148 W/mK) on a 1 mm² face: G = 148 · 1e-6 / 1e-3 = 0.148 W/K
  CHECK(solver::face_conductance(1e-6, 1e-3, 148.0, 1e-3, 148.0) ==
        doctest::Approx(0.148).epsilon(1e-14));
}

TEST_CASE("face_conductance: half-cells and contact resistance add in series") {
  const double G = solver::face_conductance(1e-6, 1e-3, 148.0, 2e-3, 398.0, 1e-5);
  CHECK(1e-6 / G == doctest::Approx(0.5e-3 / 148.0 + 1e-3 / 398.0 + 1e-5).epsilon(1e-14));
  CHECK(solver::convection_conductance(2e-6, 1e-3, 100.0, 1e4) ==
        doctest::Approx(2e-6 / (0.5e-3 / 100.0 + 1e-4)).epsilon(1e-14));
  CHECK(solver::fixed_face_conductance(2e-6, 1e-3, 100.0) == doctest::Approx(0.4).epsilon(1e-14));
}

namespace {

/// Two cells along x (1 mm and 2 mm, 1 mm² faces), k = 100 and 200, R'' = 1e-5 between,
/// convection h = 1000 at 300 K on x_max, 0.5 W in cell 0.
testing::OwnedProblem two_cells() {
  testing::OwnedProblem p({0.0, 1e-3, 3e-3}, {0.0, 1e-3}, {0.0, 1e-3});
  p.materials = {testing::make_material(100, 100, 100), testing::make_material(200, 200, 200)};
  p.regions = {0, 1};
  p.power_W = {0.5, 0.0};
  p.contacts = solver::ContactTable(2);
  p.contacts.set(0, 1, 1e-5);
  p.boundaries[1] = {BoundaryKind::convection, 1000.0, 300.0, 0.0};
  return p;
}

}  // namespace

TEST_CASE("LinearSystem: the 2-cell golden matrix") {
  const auto p = two_cells();
  solver::LinearSystem sys(*p.grid);
  sys.assemble(p.view(), std::vector<double>(2, 300.0), 300.0);
  const double A = 1e-6;
  const double G01 = A / (0.5e-3 / 100 + 1e-3 / 200 + 1e-5);  // = 1e-6 / 2e-5 = 0.05 W/K
  const double Gb = A / (1e-3 / 200 + 1e-3);                  // half-cell + 1/h
  const auto& M = sys.matrix();
  CHECK(G01 == doctest::Approx(0.05).epsilon(1e-14));
  CHECK(M.coeff(0, 0) == doctest::Approx(G01).epsilon(1e-14));
  CHECK(M.coeff(0, 1) == doctest::Approx(-G01).epsilon(1e-14));
  CHECK(M.coeff(1, 0) == M.coeff(0, 1));
  CHECK(M.coeff(1, 1) == doctest::Approx(G01 + Gb).epsilon(1e-14));
  CHECK(sys.rhs()[0] == 0.5);
  CHECK(sys.rhs()[1] == 0.0);  // T∞ − T_shift = 0
  // Hand solution: T1 = 300 + 0.5/Gb, T0 = T1 + 0.5/G01.
  std::vector<double> T;
  const auto rep = solver::solve_steady(p.view(), {}, T);
  CHECK(T[1] == doctest::Approx(300 + 0.5 / Gb).epsilon(1e-13));
  CHECK(T[0] == doctest::Approx(300 + 0.5 / Gb + 0.5 / G01).epsilon(1e-13));
  CHECK(rep.energy.face_heat_out_W[1] == doctest::Approx(0.5).epsilon(1e-12));
  CHECK(rep.energy.relative <= 1e-12);
}

TEST_CASE("LinearSystem: matrix is exactly symmetric on a graded, multi-material grid") {
  testing::OwnedProblem p(testing::stretched_nodes(0, 1e-3, 7, 1.2),
                          testing::stretched_nodes(0, 2e-3, 5, -0.4),
                          testing::stretched_nodes(0, 1e-4, 4, 0.9));
  p.materials = {testing::make_material(1, 2, 3), testing::make_material(148, 148, 30)};
  for (std::size_t c = 0; c < p.regions.size(); ++c) p.regions[c] = static_cast<int>(c % 3 == 0);
  p.contacts = solver::ContactTable(2);
  p.contacts.set(0, 1, 3e-6);
  p.boundaries[5] = {BoundaryKind::convection, 2e4, 308.15, 0};
  solver::LinearSystem sys(*p.grid);
  sys.assemble(p.view(), std::vector<double>(p.regions.size(), 300.0), 308.15);
  const solver::SparseMatrix At = sys.matrix().transpose();
  CHECK((sys.matrix() - At).norm() == 0.0);
}

TEST_CASE("jacobi_cg and direct agree, warm start reuses the set-up") {
  testing::OwnedProblem p(testing::stretched_nodes(0, 5e-3, 12, 0.7),
                          testing::stretched_nodes(0, 5e-3, 10),
                          testing::stretched_nodes(0, 1e-3, 6));
  p.materials = {testing::make_material(30, 30, 0.5)};
  for (std::size_t c = 0; c < p.power_W.size(); ++c) p.power_W[c] = (c % 17 == 0) ? 0.01 : 0.0;
  p.boundaries[5] = {BoundaryKind::convection, 1e4, 300.0, 0};
  p.boundaries[4] = {BoundaryKind::fixed_temperature, 0, 310.0, 0};
  std::vector<double> T_direct, T_cg;
  solver::solve_steady(p.view(), testing::options_for(solver::LinearSolverKind::direct), T_direct);
  solver::SteadySolver cg(*p.grid,
                          testing::options_for(solver::LinearSolverKind::jacobi_cg, 1e-12));
  const auto first = cg.solve(p.view(), T_cg);
  CHECK(first.converged);
  CHECK(first.linear_solver == "jacobi_cg");
  for (std::size_t c = 0; c < T_cg.size(); ++c)
    CHECK(T_cg[c] == doctest::Approx(T_direct[c]).epsilon(1e-9));
  // Same matrix, same power: the warm start is already converged.
  const auto second = cg.solve(p.view(), T_cg);
  CHECK(second.setup_s == 0.0);
  CHECK(second.linear_iterations <= 1);
}

TEST_CASE("non-convergence is reported, not thrown") {
  testing::OwnedProblem p(testing::stretched_nodes(0, 1e-3, 10),
                          testing::stretched_nodes(0, 1e-3, 10),
                          testing::stretched_nodes(0, 1e-3, 10));
  p.materials = {testing::make_material(1, 1, 1)};
  p.power_W.assign(p.power_W.size(), 1e-3);
  p.boundaries[5] = {BoundaryKind::convection, 10.0, 300.0, 0};
  auto opt = testing::options_for(solver::LinearSolverKind::jacobi_cg, 1e-12);
  opt.linear.max_iterations = 2;
  std::vector<double> T;
  const auto rep = solver::solve_steady(p.view(), opt, T);
  CHECK_FALSE(rep.converged);
  CHECK(rep.linear_iterations == 2);
  CHECK(rep.relative_residual > 1e-12);
}

TEST_CASE("no heat sink: the steady solver refuses with invalid_argument") {
  testing::OwnedProblem p({0, 1}, {0, 1}, {0, 1});
  p.materials = {testing::make_material(1, 1, 1)};
  std::vector<double> T;
  CHECK_THROWS_AS(solver::solve_steady(p.view(), {}, T), std::invalid_argument);
}

TEST_CASE("determinism: 1 and 2 threads give bitwise identical temperatures") {
  for (auto kind : testing::all_solver_kinds()) {
    CAPTURE(solver::to_string(kind));
    testing::OwnedProblem p(testing::stretched_nodes(0, 8e-3, 30, 0.5),
                            testing::stretched_nodes(0, 6e-3, 25),
                            testing::stretched_nodes(0, 2e-3, 12, 1.0));
    p.materials = {testing::make_material(30, 30, 0.5), testing::make_material(148, 148, 148)};
    for (std::size_t c = 0; c < p.regions.size(); ++c) {
      p.regions[c] = (c / 7) % 2 == 0 ? 0 : 1;
      p.power_W[c] = 1e-4 * static_cast<double>(c % 5);
    }
    p.boundaries[5] = {BoundaryKind::convection, 2e4, 308.15, 0};
    const auto opts = testing::options_for(kind, 1e-10);
    std::vector<double> T1, T2;
#ifdef _OPENMP  // without OpenMP both solves run on one thread: the check is then repeatability
    omp_set_num_threads(1);
#endif
    solver::solve_steady(p.view(), opts, T1);
#ifdef _OPENMP
    omp_set_num_threads(2);
#endif
    solver::solve_steady(p.view(), opts, T2);
    CHECK(T1 == T2);
  }
}
