/// \file
/// Unit tests of GmgCgSolver (z-line multigrid PCG) against Eigen's sparse Cholesky on small
/// package-like systems assembled by the real LinearSystem: µm-thin layers under mm-thick ones,
/// air next to copper, an orthotropic substrate, graded lateral cells and odd grid sizes.
#include <doctest/doctest.h>

#include <Eigen/SparseCholesky>
#include <cmath>
#include <stdexcept>
#include <vector>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "mesh/grid_builder.hpp"
#include "solver/linear/gmg_cg.hpp"
#include "solver/linear_system.hpp"
#include "tests/support/owned_problem.hpp"

using namespace cposim;
using solver::BoundaryKind;

namespace {

/// Region ids of small_package().
enum Region { substrate, air, copper, underfill, beol, silicon, mold };

/// A package on an x × y footprint (nodes given, metres), bottom to top: organic substrate
/// (k = 30, 30, 0.5), a C4 layer (underfill in the central half, air around it, a copper
/// post in one corner), a 1 µm BEOL layer (the power, 2 W, in the die footprint; mold around
/// it), the die (silicon; air around it) and a copper lid. `cells_per_layer` gives the z cells
/// of each of the 5 layers. Top: convection h = 2e4 W/m²K (cold plate); bottom: h = 10.
testing::OwnedProblem small_package(std::vector<double> x_nodes, std::vector<double> y_nodes,
                                    const std::vector<int>& cells_per_layer) {
  const std::vector<double> thickness_m{400e-6, 100e-6, 1e-6, 300e-6, 1e-3};
  std::vector<double> z_nodes{0.0};
  std::vector<int> layer_of_k;
  for (std::size_t layer = 0; layer < thickness_m.size(); ++layer) {
    const double z0 = z_nodes.back();
    const int n = cells_per_layer[layer];
    for (int c = 1; c <= n; ++c) {
      z_nodes.push_back(z0 + thickness_m[layer] * c / n);
      layer_of_k.push_back(static_cast<int>(layer));
    }
  }
  testing::OwnedProblem p(std::move(x_nodes), std::move(y_nodes), std::move(z_nodes));
  p.materials = {testing::make_material(30, 30, 0.5),   testing::make_material(0.026, 0.026, 0.026),
                 testing::make_material(400, 400, 400), testing::make_material(0.9, 0.9, 17),
                 testing::make_material(10, 10, 1.5),   testing::make_material(148, 148, 148),
                 testing::make_material(1, 1, 1)};
  const auto& g = *p.grid;
  const auto [nx, ny, nz] = g.cells_per_axis();
  const double Lx = g.nodes(0).back(), Ly = g.nodes(1).back();
  double beol_volume = 0.0;
  for (std::size_t k = 0; k < nz; ++k)
    for (std::size_t j = 0; j < ny; ++j)
      for (std::size_t i = 0; i < nx; ++i) {
        const double u = g.centre(0, i) / Lx, v = g.centre(1, j) / Ly;
        const bool centre = u > 0.25 && u < 0.75 && v > 0.25 && v < 0.75;
        const bool corner = u < 0.2 && v < 0.2;
        int region = copper;
        switch (layer_of_k[k]) {
          case 0:
            region = substrate;
            break;
          case 1:
            region = centre ? underfill : (corner ? copper : air);
            break;
          case 2:
            region = centre ? beol : mold;
            break;
          case 3:
            region = centre ? silicon : air;
            break;
          default:
            region = copper;
            break;
        }
        p.regions[g.cell(i, j, k)] = region;
        if (region == beol) beol_volume += g.volume_m3(i, j, k);
      }
  for (std::size_t c = 0; c < g.num_cells(); ++c)
    if (p.regions[c] == beol) {
      const auto [i, j, k] = g.ijk(c);
      p.power_W[c] = 2.0 * g.volume_m3(i, j, k) / beol_volume;
    }
  p.boundaries[static_cast<int>(solver::DomainFace::z_max)] = {BoundaryKind::convection, 2e4,
                                                               308.15, 0.0};
  p.boundaries[static_cast<int>(solver::DomainFace::z_min)] = {BoundaryKind::convection, 10.0,
                                                               308.15, 0.0};
  return p;
}

/// The assembled system of a problem (θ = T − 308.15 K).
struct System {
  testing::OwnedProblem problem;
  solver::LinearSystem system;
  explicit System(testing::OwnedProblem p) : problem(std::move(p)), system(*problem.grid) {
    system.assemble(problem.view(), std::vector<double>(problem.grid->num_cells(), 308.15), 308.15);
  }
  std::array<std::size_t, 3> cells() const { return problem.grid->cells_per_axis(); }
};

solver::LinearSolverOptions options(double rtol, int max_iterations = 1000) {
  solver::LinearSolverOptions o;
  o.kind = solver::LinearSolverKind::gmg_cg;
  o.relative_tolerance = rtol;
  o.max_iterations = max_iterations;
  return o;
}

Eigen::VectorXd direct_solve(const solver::SparseMatrix& A, const Eigen::VectorXd& b) {
  const Eigen::SparseMatrix<double> A_col = A;
  Eigen::SimplicialLDLT<Eigen::SparseMatrix<double>> ldlt(A_col);
  REQUIRE(ldlt.info() == Eigen::Success);
  return ldlt.solve(b);
}

/// Solves with gmg_cg at rtol 1e-12 and checks the solution against the Cholesky one.
void check_against_direct(const System& s) {
  solver::GmgCgSolver gmg(options(1e-12), s.cells());
  gmg.setup(s.system.matrix());
  Eigen::VectorXd x;  // empty: zero initial guess
  const auto result = gmg.solve(s.system.rhs(), x);
  const Eigen::VectorXd reference = direct_solve(s.system.matrix(), s.system.rhs());
  CHECK(result.converged);
  CHECK(result.relative_residual <= 1e-12 * (1 + 1e-6));
  CHECK((x - reference).norm() <= 1e-8 * reference.norm());
}

}  // namespace

TEST_CASE("gmg_cg: matches Cholesky on a layered high-contrast package, odd sizes") {
  using testing::stretched_nodes;
  SUBCASE("13 x 7 x 5") {
    check_against_direct(System(
        small_package(stretched_nodes(0, 8e-3, 13), stretched_nodes(0, 6e-3, 7), {1, 1, 1, 1, 1})));
  }
  SUBCASE("37 x 23 x 10: several levels, odd at each") {
    check_against_direct(System(small_package(stretched_nodes(0, 8e-3, 37),
                                              stretched_nodes(0, 6e-3, 23), {2, 2, 1, 2, 3})));
  }
  SUBCASE("1 x 1 x 9: one column, solved by the coarsest factor") {
    check_against_direct(System(
        small_package(stretched_nodes(0, 1e-3, 1), stretched_nodes(0, 1e-3, 1), {2, 2, 1, 2, 2})));
  }
  SUBCASE("1 x 31 x 5 and 29 x 1 x 5: lateral lines") {
    check_against_direct(System(
        small_package(stretched_nodes(0, 1e-3, 1), stretched_nodes(0, 6e-3, 31), {1, 1, 1, 1, 1})));
    check_against_direct(System(
        small_package(stretched_nodes(0, 8e-3, 29), stretched_nodes(0, 1e-3, 1), {1, 1, 1, 1, 1})));
  }
  SUBCASE("graded lateral cells (aspect up to ~15): semi-coarsening paths") {
    check_against_direct(System(small_package(
        stretched_nodes(0, 8e-3, 30, 3.0), stretched_nodes(0, 6e-3, 21, -2.5), {2, 1, 1, 2, 2})));
  }
}

TEST_CASE("gmg_cg: a bar along x (41 x 1 x 1), copper and air segments") {
  testing::OwnedProblem p(testing::stretched_nodes(0, 20e-3, 41), {0.0, 1e-3}, {0.0, 1e-3});
  p.materials = {testing::make_material(400, 400, 400), testing::make_material(0.026, 1, 1)};
  for (std::size_t c = 0; c < p.regions.size(); ++c) p.regions[c] = (c / 5) % 2 == 1;
  p.power_W[0] = 1.0;
  p.power_W[22] = 0.5;
  // A cold plate on top of every cell keeps θ = O(P/G), so rtol 1e-12 is above round-off.
  p.boundaries[static_cast<int>(solver::DomainFace::z_max)] = {BoundaryKind::convection, 1e4, 300.0,
                                                               0.0};
  check_against_direct(System(std::move(p)));
}

TEST_CASE("gmg_cg: a single layer (17 x 11 x 1), lines of one cell") {
  testing::OwnedProblem p(testing::stretched_nodes(0, 8e-3, 17, 1.5),
                          testing::stretched_nodes(0, 6e-3, 11), {0.0, 50e-6});
  p.materials = {testing::make_material(148, 148, 148), testing::make_material(1, 1, 1)};
  for (std::size_t c = 0; c < p.regions.size(); ++c) p.regions[c] = (c % 7) < 3;
  p.power_W[40] = 0.3;
  p.boundaries[static_cast<int>(solver::DomainFace::x_min)] = {BoundaryKind::fixed_temperature, 0.0,
                                                               300.0, 0.0};
  check_against_direct(System(std::move(p)));
}

TEST_CASE("gmg_cg: iteration count stays small on a CPO-like layered problem") {
  // 64 x 64 lateral cells of 125 µm, 1 µm BEOL under 1 mm of copper: off-diagonal range ~1e6.
  const System s(small_package(testing::stretched_nodes(0, 8e-3, 64),
                               testing::stretched_nodes(0, 8e-3, 64), {3, 2, 1, 3, 3}));
  solver::GmgCgSolver gmg(options(1e-8), s.cells());
  CHECK(gmg.kind() == solver::LinearSolverKind::gmg_cg);
  CHECK(gmg.num_levels() == 0);
  gmg.setup(s.system.matrix());
  CHECK(gmg.num_levels() >= 4);
  CHECK(gmg.grid_complexity() >= 1.0);
  CHECK(gmg.grid_complexity() <= 2.0);
  Eigen::VectorXd x = Eigen::VectorXd::Zero(s.system.rhs().size());
  const auto result = gmg.solve(s.system.rhs(), x);
  CHECK(result.converged);
  CHECK(result.relative_residual <= 1e-8);
  // Measured: 10 iterations on 6 levels (grid complexity 1.33).
  CHECK(result.iterations <= 15);
}

TEST_CASE("gmg_cg: warm start from a converged solution takes at most one iteration") {
  const System s(small_package(testing::stretched_nodes(0, 8e-3, 20),
                               testing::stretched_nodes(0, 6e-3, 15), {2, 1, 1, 2, 2}));
  solver::GmgCgSolver gmg(options(1e-10), s.cells());
  gmg.setup(s.system.matrix());
  Eigen::VectorXd x = Eigen::VectorXd::Zero(s.system.rhs().size());
  const auto first = gmg.solve(s.system.rhs(), x);
  REQUIRE(first.converged);
  CHECK(first.iterations > 1);
  const auto second = gmg.solve(s.system.rhs(), x);
  CHECK(second.converged);
  CHECK(second.iterations <= 1);
  CHECK(second.relative_residual <= 1e-10);
}

#ifdef _OPENMP
TEST_CASE("gmg_cg: results are bitwise identical for 1 and 2 threads") {
  // 40 x 40 x 16 = 25600 cells: above the size at which the loops run in parallel.
  const System s(small_package(testing::stretched_nodes(0, 8e-3, 40, 1.0),
                               testing::stretched_nodes(0, 8e-3, 40), {4, 3, 1, 4, 4}));
  const int threads_before = omp_get_max_threads();
  auto run = [&](int threads) {
    omp_set_num_threads(threads);
    solver::GmgCgSolver gmg(options(1e-10), s.cells());
    gmg.setup(s.system.matrix());
    Eigen::VectorXd x = Eigen::VectorXd::Zero(s.system.rhs().size());
    const auto result = gmg.solve(s.system.rhs(), x);
    CHECK(result.converged);
    return std::make_pair(x, result);
  };
  const auto [x1, r1] = run(1);
  const auto [x2, r2] = run(2);
  omp_set_num_threads(threads_before);
  CHECK(r1.iterations == r2.iterations);
  CHECK(r1.relative_residual == r2.relative_residual);
  CHECK((x1.array() == x2.array()).all());
}
#endif

TEST_CASE("gmg_cg: a repeated set-up (other values, other hierarchy) equals a fresh one bitwise") {
  // set-up reuses the storage of the previous hierarchy without refilling it; a matrix with
  // weak x couplings (×1e-3: other coarsening, other number of levels) and a diagonal shift
  // (a transient's new Δt) in turn must give exactly what a new solver gives.
  const System s(small_package(testing::stretched_nodes(0, 8e-3, 37),
                               testing::stretched_nodes(0, 6e-3, 23), {2, 2, 1, 2, 3}));
  const solver::SparseMatrix& A = s.system.matrix();
  solver::SparseMatrix weak_x = A, shifted = A;
  for (int row = 0; row < weak_x.outerSize(); ++row)
    for (solver::SparseMatrix::InnerIterator e(weak_x, row); e; ++e)
      if (std::abs(e.col() - row) == 1) e.valueRef() *= 1e-3;
  for (int row = 0; row < shifted.outerSize(); ++row) shifted.coeffRef(row, row) *= 1.5;
  const auto solve = [&](solver::GmgCgSolver& gmg, const solver::SparseMatrix& M) {
    gmg.setup(M);
    Eigen::VectorXd x;
    const auto result = gmg.solve(s.system.rhs(), x);
    CHECK(result.converged);
    return std::make_pair(x, gmg.num_levels());
  };
  solver::GmgCgSolver reused(options(1e-10), s.cells());
  for (const solver::SparseMatrix* M :
       std::vector<const solver::SparseMatrix*>{&A, &weak_x, &A, &shifted, &weak_x}) {
    solver::GmgCgSolver fresh(options(1e-10), s.cells());
    const auto [x_fresh, levels_fresh] = solve(fresh, *M);
    const auto [x_reused, levels_reused] = solve(reused, *M);
    CHECK(levels_reused == levels_fresh);
    CHECK((x_reused.array() == x_fresh.array()).all());
  }
  solver::GmgCgSolver a(options(1e-10), s.cells()), b(options(1e-10), s.cells());
  CHECK(solve(a, A).second != solve(b, weak_x).second);  // the hierarchies really differ
}

TEST_CASE("gmg_cg: update_diagonal (a new diagonal only) equals a fresh set-up bitwise") {
  // A transient's A + γC for a new γ: only the diagonal changes. update_diagonal keeps the
  // plan and couplings and rebuilds the diagonals (finest, then each coarse level from the
  // finer one and the kept coupling terms) and the column pivots: it must give exactly what a
  // fresh set-up gives, for a larger and a smaller shift, and fall back to setup() first.
  const System s(small_package(testing::stretched_nodes(0, 8e-3, 37),
                               testing::stretched_nodes(0, 6e-3, 23), {2, 2, 1, 2, 3}));
  solver::SparseMatrix M = s.system.matrix();
  const Eigen::VectorXd d0 = M.diagonal();
  solver::GmgCgSolver updated(options(1e-10), s.cells());
  for (double shift : {0.0, 1e3, 1e-2, 50.0}) {
    for (int row = 0; row < M.outerSize(); ++row) M.coeffRef(row, row) = d0[row] * (1.0 + shift);
    updated.update_diagonal(M);  // the first call has no set-up to update: a full one
    solver::GmgCgSolver fresh(options(1e-10), s.cells());
    fresh.setup(M);
    Eigen::VectorXd x_fresh, x_updated;
    const auto r_fresh = fresh.solve(s.system.rhs(), x_fresh);
    const auto r_updated = updated.solve(s.system.rhs(), x_updated);
    CHECK(r_fresh.converged);
    CHECK(r_updated.iterations == r_fresh.iterations);
    CHECK((x_updated.array() == x_fresh.array()).all());
  }
  CHECK(updated.num_levels() > 2);  // coarse levels were updated, not just the finest
  for (int row = 0; row < M.outerSize(); ++row) M.coeffRef(row, row) = row == 5 ? -1.0 : d0[row];
  CHECK_THROWS_AS(updated.update_diagonal(M), std::invalid_argument);
}

TEST_CASE("gmg_cg: non-convergence is reported, not thrown") {
  const System s(small_package(testing::stretched_nodes(0, 8e-3, 16),
                               testing::stretched_nodes(0, 6e-3, 12), {2, 1, 1, 2, 2}));
  solver::GmgCgSolver gmg(options(1e-14, 1), s.cells());
  gmg.setup(s.system.matrix());
  Eigen::VectorXd x = Eigen::VectorXd::Zero(s.system.rhs().size());
  solver::LinearSolveResult result;
  CHECK_NOTHROW(result = gmg.solve(s.system.rhs(), x));
  CHECK_FALSE(result.converged);
  CHECK(result.iterations == 1);
  CHECK(std::isfinite(result.relative_residual));
  CHECK(result.relative_residual > 1e-14);
  CHECK(result.relative_residual < 1.0);  // one preconditioned step still helps a lot
}

TEST_CASE("gmg_cg: zero right-hand side gives x = 0 without iterating") {
  const System s(small_package(testing::stretched_nodes(0, 8e-3, 5),
                               testing::stretched_nodes(0, 6e-3, 4), {1, 1, 1, 1, 1}));
  solver::GmgCgSolver gmg(options(1e-10), s.cells());
  gmg.setup(s.system.matrix());
  Eigen::VectorXd x = Eigen::VectorXd::Constant(s.system.rhs().size(), 3.0);
  const auto result = gmg.solve(Eigen::VectorXd::Zero(s.system.rhs().size()), x);
  CHECK(result.converged);
  CHECK(result.iterations == 0);
  CHECK(x.isZero(0.0));
}

TEST_CASE("gmg_cg: misuse throws") {
  const System s(small_package(testing::stretched_nodes(0, 8e-3, 5),
                               testing::stretched_nodes(0, 6e-3, 4), {1, 1, 1, 1, 1}));
  const auto n = s.system.rhs().size();
  CHECK_THROWS_AS(solver::GmgCgSolver(options(-1.0), s.cells()), std::invalid_argument);
  CHECK_THROWS_AS(solver::GmgCgSolver(options(1e-8, 0), s.cells()), std::invalid_argument);
  CHECK_THROWS_AS(solver::GmgCgSolver(options(1e-8), {5, 0, 5}), std::invalid_argument);

  solver::GmgCgSolver gmg(options(1e-8), s.cells());
  Eigen::VectorXd x = Eigen::VectorXd::Zero(n);
  CHECK_THROWS_AS(gmg.solve(s.system.rhs(), x), std::logic_error);

  solver::GmgCgSolver wrong_grid(options(1e-8), {5, 4, 4});
  CHECK_THROWS_AS(wrong_grid.setup(s.system.matrix()), std::invalid_argument);
  // Same number of cells, other axes: the couplings fall outside that grid's stencil.
  solver::GmgCgSolver transposed(options(1e-8), {4, 5, 5});
  CHECK_THROWS_AS(transposed.setup(s.system.matrix()), std::invalid_argument);

  gmg.setup(s.system.matrix());
  Eigen::VectorXd short_x = Eigen::VectorXd::Zero(n - 1);
  CHECK_THROWS_AS(gmg.solve(s.system.rhs(), short_x), std::invalid_argument);
  CHECK_THROWS_AS(gmg.solve(Eigen::VectorXd::Zero(n - 1), x), std::invalid_argument);

  // Not symmetric: a 2-cell grid along x with A(0,1) ≠ A(1,0).
  solver::SparseMatrix A(2, 2);
  A.insert(0, 0) = 2.0;
  A.insert(0, 1) = -1.0;
  A.insert(1, 0) = -0.5;
  A.insert(1, 1) = 2.0;
  A.makeCompressed();
  solver::GmgCgSolver two(options(1e-8), {2, 1, 1});
  CHECK_THROWS_AS(two.setup(A), std::invalid_argument);
  // Not positive on the diagonal.
  A.coeffRef(1, 0) = -1.0;
  A.coeffRef(1, 1) = 0.0;
  CHECK_THROWS_AS(two.setup(A), std::invalid_argument);
}

TEST_CASE("gmg_cg: the factory makes a GmgCgSolver") {
  auto solver = solver::make_gmg_cg_solver(options(1e-8), {3, 2, 2});
  REQUIRE(solver != nullptr);
  CHECK(solver->kind() == solver::LinearSolverKind::gmg_cg);
  CHECK(dynamic_cast<solver::GmgCgSolver*>(solver.get()) != nullptr);
}

namespace {

/// `nodes` with a cell of `width` metres inserted at the node nearest `at` (a µm sliver).
std::vector<double> with_sliver(std::vector<double> nodes, double at, double width) {
  std::size_t i = 1;
  while (i + 1 < nodes.size() && nodes[i] < at) ++i;
  nodes.insert(nodes.begin() + static_cast<std::ptrdiff_t>(i) + 1, nodes[i] + width);
  for (std::size_t j = i + 2; j < nodes.size(); ++j) nodes[j] += width;
  return nodes;
}

int gmg_iterations(const System& s) {
  solver::GmgCgSolver gmg(options(1e-10), s.cells());
  gmg.setup(s.system.matrix());
  Eigen::VectorXd x = Eigen::VectorXd::Zero(s.system.rhs().size());
  const auto result = gmg.solve(s.system.rhs(), x);
  CHECK(result.converged);
  return result.iterations;
}

}  // namespace

TEST_CASE("gmg_cg: µm slivers and aspect ratios up to 1e4 cost at most twice the iterations") {
  // Issue 18 item 7 / 22 §4: 1 µm (and 0.1 µm) lateral slivers next to 125 µm and 1.25 mm
  // cells, under the 1 µm BEOL layer (aspect ratios 1e3–1e4). Measured (rtol 1e-10): regular
  // 13; slivers 16–19; 1.25 mm cells 13, with slivers 16; 1.25 mm × 12.5 µm cells 16.
  const auto x = testing::stretched_nodes(0, 8e-3, 64), y = testing::stretched_nodes(0, 8e-3, 64);
  const int regular = gmg_iterations(System(small_package(x, y, {3, 2, 1, 3, 3})));
  const int sliver_x =
      gmg_iterations(System(small_package(with_sliver(x, 4e-3, 1e-6), y, {3, 2, 1, 3, 3})));
  const int sliver_xy =
      gmg_iterations(System(small_package(with_sliver(with_sliver(x, 4e-3, 1e-6), 2e-3, 1e-6),
                                          with_sliver(y, 3e-3, 1e-6), {3, 2, 1, 3, 3})));
  const auto X = testing::stretched_nodes(0, 80e-3, 64), Y = testing::stretched_nodes(0, 80e-3, 64);
  const int wide = gmg_iterations(System(small_package(X, Y, {3, 2, 1, 3, 3})));
  const int wide_sliver =
      gmg_iterations(System(small_package(with_sliver(with_sliver(X, 40e-3, 1e-6), 20e-3, 1e-6),
                                          with_sliver(Y, 30e-3, 1e-6), {3, 2, 1, 3, 3})));
  const int wide_thin_sliver =
      gmg_iterations(System(small_package(with_sliver(with_sliver(X, 40e-3, 1e-7), 20e-3, 1e-7),
                                          with_sliver(Y, 30e-3, 1e-7), {3, 2, 1, 3, 3})));
  const int lateral_aniso = gmg_iterations(
      System(small_package(X, testing::stretched_nodes(0, 0.8e-3, 64), {3, 2, 1, 3, 3})));
  MESSAGE("regular " << regular << ", slivers " << sliver_x << " / " << sliver_xy << ", wide "
                     << wide << " / " << wide_sliver << " / " << wide_thin_sliver
                     << ", lateral aspect 100: " << lateral_aniso);
  CHECK(regular <= 15);
  for (int n : {sliver_x, sliver_xy, wide, wide_sliver, wide_thin_sliver, lateral_aniso})
    CHECK(n <= 2 * regular);
}

namespace {

/// An axis built as the grid builder builds a HotSpot ev6 floorplan import: 1 mm cells outside
/// the 16 mm chip, at most 410 µm inside it, grid planes at the unit edges (µm).
std::vector<double> floorplan_axis(const std::vector<double>& unit_edges_um) {
  std::vector<double> planes{0.0, 22e-3};
  for (double e : unit_edges_um) planes.push_back(e * 1e-6);
  planes.push_back(38e-3);
  planes.push_back(60e-3);
  std::vector<double> max_cell(planes.size() - 1, 410.25641e-6);
  max_cell.front() = max_cell.back() = 1e-3;
  return mesh::build_axis(planes, max_cell, 1.5, 1);
}

}  // namespace

TEST_CASE("gmg_cg: a floorplan grid whose fine bands cross costs at most twice the iterations") {
  // Issue 22 §4: HotSpot's ev6 example imported (unit edges as grid planes, 410 µm cells on
  // the chip, 1 mm outside) needed 99 iterations: its 67–350 µm columns cross 1 mm rows and
  // its 134–350 µm rows cross 1 mm columns, so the cells are laterally anisotropic both ways,
  // no index passed the strength test in every row, and the level fell back to pairing every
  // index. Measured on this grid (103 × 91 × 12, rtol 1e-10): 89 iterations with that fallback,
  // 19 with the halving ladder (grid complexity 3.1); with ev6's 1 µm gaps kept (225 × 170
  // × 5) 1000 (the limit, not converged) against 21. Bounds: twice the regular grid's 13, and
  // twice the ~20 of a regular import for the gaps.
  const auto x = floorplan_axis(
      {26900, 27933, 28000, 28967, 29100, 30000, 30650, 31033, 31300, 32067, 32200, 33100});
  const auto y = floorplan_axis({31800, 34400, 35100, 35700, 36000, 36380, 36650, 37330});
  const int n = gmg_iterations(System(small_package(x, y, {3, 2, 1, 3, 3})));
  // The same floorplan with ev6's 1 µm gaps between abutting units kept (an import without
  // edge snapping): 1 µm columns and rows through the whole grid.
  const auto xg = floorplan_axis({26900, 26901, 27933, 27934, 28000, 28967, 28968, 29100, 30000,
                                  30001, 30650, 31033, 31300, 32067, 32200, 32201, 33100});
  const auto yg =
      floorplan_axis({31800, 31801, 34400, 34401, 35100, 35700, 36000, 36001, 36380, 36650, 37330});
  const int gaps = gmg_iterations(System(small_package(xg, yg, {1, 1, 1, 1, 1})));
  MESSAGE("floorplan grid " << x.size() - 1 << " x " << y.size() - 1 << ": " << n << ", with gaps "
                            << xg.size() - 1 << " x " << yg.size() - 1 << ": " << gaps);
  CHECK(n <= 26);
  CHECK(gaps <= 40);
}

TEST_CASE("gmg_cg: slivers through steeply graded µm cells stay within twice the iterations") {
  // Issue 18 item 7 (benchmarks/gmg_aspect, case slivers_graded: 15 iterations against 11):
  // under the 1 µm BEOL layer, a 100 µm hot spot meshed with 2 µm cells graded by 3 up to
  // 1 mm cells, and 1 µm slivers next to its edges in x and y (lateral aspect ratios up to
  // 1e3, vertical 1e3). Measured (rtol 1e-10): regular 13, this grid 14.
  const auto axis = [](double hot_m) {
    return mesh::build_axis({0.0, hot_m - 1e-6, hot_m, hot_m + 100e-6, hot_m + 101e-6, 8e-3},
                            {1e-3, 1e-3, 2e-6, 1e-3, 1e-3}, 3.0, 1);
  };
  const auto x = testing::stretched_nodes(0, 8e-3, 64), y = testing::stretched_nodes(0, 8e-3, 64);
  const int regular = gmg_iterations(System(small_package(x, y, {3, 2, 1, 3, 3})));
  const int graded =
      gmg_iterations(System(small_package(axis(3.95e-3), axis(3.1e-3), {3, 2, 1, 3, 3})));
  MESSAGE("regular " << regular << ", slivers through graded 2 µm cells " << graded);
  CHECK(graded <= 2 * regular);
}
