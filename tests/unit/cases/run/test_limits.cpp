/// \file
/// Hardening (issue 10): the grid estimate and the size and memory limits checked before
/// anything is allocated, the power-map CSV parser on its own, inputs that are not regular
/// files, the [solver] max_energy_imbalance key, and cancellation of a solve.
#include <doctest/doctest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>

#include "cases/read/power_map_csv.hpp"
#include "cases/resolve/case_check.hpp"
#include "cases/resolve/load_case.hpp"
#include "cases/resolve/memory_estimate.hpp"
#include "cases/run/build_problem.hpp"
#include "mesh/grid_builder.hpp"
#include "solver/steady.hpp"
#include "tests/support/owned_problem.hpp"

using namespace cposim;
using cases::CaseError;
namespace fs = std::filesystem;

namespace {

/// A 1 × 1 mm Si slab, 100 µm thick, under a convective top; `extra` is appended.
std::string slab(const std::string& extra) {
  return "[package]\nfootprint_um = [1000, 1000]\n"
         "[[layers]]\nname = \"slab\"\nmaterial = \"Si\"\nthickness_um = 100\n"
         "[boundary.top]\ntype = \"convection\"\nh_W_per_m2K = 1000\nT_ambient_K = 300\n" +
         extra;
}

cases::CaseSpec read(const std::string& text) {
  return cases::read_case_text(text, "case.toml", "");
}

}  // namespace

TEST_CASE("estimate_cells_per_axis: a lower bound within a few % of the grid built") {
  for (const char* example : {"small_stack.toml", "cpo_102t_2p5d.toml"}) {
    CAPTURE(example);
    const auto spec =
        cases::read_case((fs::path(CPOSIM_SOURCE_DIR) / "cases" / "examples" / example).string());
    const auto estimate = cases::estimate_grid(spec);
    const auto built = cases::build_problem(spec);
    const auto n = built.grid->cells_per_axis();
    for (int a = 0; a < 3; ++a) {
      CHECK(estimate.cells_per_axis[a] <= static_cast<double>(n[a]));
      CHECK(estimate.cells_per_axis[a] >= 0.95 * static_cast<double>(n[a]));
    }
    CHECK(estimate.bytes == doctest::Approx(cases::estimate_run_bytes(spec, estimate.cells)));
  }
  // Graded cells around a thin box and a refinement zone, a ratio close to 1.
  mesh::GridRequest request;
  request.domain.hi_m = {0.02, 0.01, 0.002};
  mesh::Box thin;
  thin.lo_m = {0.005, 0.002, 0.001};
  thin.hi_m = {0.00501, 0.008, 0.00101};
  request.conforming_boxes = {thin};
  request.max_cell_m = {1e-3, 1e-3, 2e-4};
  request.max_neighbour_ratio = 1.05;
  request.refinements.push_back({{{0.012, 0.0, 0.0}, {0.016, 0.01, 0.002}}, {5e-5, 1e-3, 1e-4}});
  const auto estimate = mesh::estimate_cells_per_axis(request);
  const auto grid = mesh::build_grid(request);
  for (int a = 0; a < 3; ++a) {
    CAPTURE(a);
    const auto n = static_cast<double>(grid.cells_per_axis()[a]);
    CHECK(estimate[a] <= n);
    CHECK(estimate[a] >= 0.9 * n);
  }
}

TEST_CASE("grids beyond the solver's limit are rejected when read, refinement and z included") {
  // 0.001 µm cells in a 100 µm refinement zone: 1e5 per axis, 1e15 cells.
  CHECK_THROWS_WITH_AS(
      read(slab("[[grid.refine]]\norigin_um = [0, 0, 0]\nsize_um = [100, 100, 100]\n"
                "max_cell_um = [0.001, 0.001, 0.001]\n")),
      doctest::Contains("error: the grid would have at least 1.0"), CaseError);
  // A refinement zone of 1e-300 µm cells must not hang the grid builder.
  CHECK_THROWS_WITH_AS(
      read(slab("[[grid.refine]]\norigin_um = [0, 0, 0]\nsize_um = [100, 100, 100]\n"
                "max_cell_um = [1e-300, 1, 1]\n")),
      doctest::Contains("more than the solver's limit of 300000000"), CaseError);
  // 1e9 cells per layer along z.
  CHECK_THROWS_WITH_AS(read(slab("[grid]\nmin_cells_per_layer = 1000000000\n")),
                       doctest::Contains("min_cells_per_layer"), CaseError);
  // A footprint thinner than the plane-merging tolerance.
  CHECK_THROWS_WITH_AS(read("[package]\nfootprint_um = [1e-5, 1000]\n" +
                            slab("").substr(slab("").find("[[layers]]"))),
                       doctest::Contains("footprint along x is not larger than"), CaseError);
}

TEST_CASE("build_problem checks the grid against the memory and a cell limit first") {
  const auto spec = read(slab("[grid]\nmax_cell_xy_um = 10\nmax_cell_z_um = 10\n"));  // 1e5 cells
  cases::BuildLimits memory;
  memory.memory_bytes = 1e7;
  CHECK_THROWS_WITH_AS(
      cases::build_problem(spec, memory),
      doctest::Contains(
          "case.toml:11:1: error: the grid would have at least 100000 cells (100 x 100 x "
          "10) and need about 0.07 GB (400 bytes per cell, steady, auto), more than the 0.01 GB "
          "of memory available; coarsen it with larger [grid] max_cell_xy_um"),
      CaseError);
  CHECK_THROWS_WITH_AS(cases::build_problem(spec, memory),
                       doctest::Contains("(or run with --force-memory to try anyway)"), CaseError);
  // --force-memory: the same limit, no memory check.
  cases::BuildLimits forced = memory;
  forced.check_memory = false;
  CHECK(cases::build_problem(spec, forced).grid->num_cells() == 100000);
  // The estimate follows the mode and the solver (issue 18 item 6).
  const auto transient =
      read(slab("[grid]\nmax_cell_xy_um = 10\nmax_cell_z_um = 10\n[transient]\nend_time_s = "
                "1\noutput_interval_s = 0.5\n"));
  CHECK(cases::bytes_per_cell(transient) > cases::bytes_per_cell(spec));
  CHECK(cases::bytes_per_cell(spec, solver::LinearSolverKind::amg_cg) >
        cases::bytes_per_cell(spec, solver::LinearSolverKind::gmg_cg));
  cases::BuildLimits amg = memory;
  amg.memory_bytes = 0.08e9;  // enough for gmg_cg's estimate (72 MB), not for amg_cg's (97 MB)
  CHECK(cases::build_problem(spec, amg).grid->num_cells() == 100000);
  amg.linear_solver = solver::LinearSolverKind::amg_cg;
  CHECK_THROWS_WITH_AS(cases::build_problem(spec, amg),
                       doctest::Contains("bytes per cell, steady, amg_cg)"), CaseError);
  cases::BuildLimits cells;
  cells.max_cells = 5e4;
  CHECK_THROWS_WITH_AS(cases::build_problem(spec, cells),
                       doctest::Contains("more than the limit of 50000"), CaseError);
  CHECK(cases::build_problem(spec).grid->num_cells() == 100000);
  const auto available = cases::available_memory_bytes();
  REQUIRE(available.has_value());  // Linux
  CHECK(*available > 1e8);
}

TEST_CASE("parse_power_map_csv: rows, comments, CRLF, and located errors") {
  const auto tiles = cases::parse_power_map_csv("# lowest y first\r\n1, 2 ,3\r\n\n 4,5,6", "m.csv");
  REQUIRE(tiles.size() == 2);
  CHECK(tiles[0] == std::vector<double>{1, 2, 3});
  CHECK(tiles[1] == std::vector<double>{4, 5, 6});
  CHECK(cases::parse_power_map_csv("# nothing\n\n", "m.csv").empty());
  CHECK_THROWS_WITH_AS(cases::parse_power_map_csv("1,2\n3,1e999\n", "m.csv"),
                       "m.csv:2:3: error: power map value must be finite, got inf", CaseError);
  CHECK_THROWS_WITH_AS(cases::parse_power_map_csv("1,,2\n", "m.csv"),
                       "m.csv:1:3: error: power map value must be a number, got ''", CaseError);
  CHECK_THROWS_WITH_AS(cases::parse_power_map_csv("1,2\n3\n", "m.csv"),
                       doctest::Contains("m.csv:2:1: error: power map row 2 has 1 values"),
                       CaseError);
  CHECK_THROWS_WITH_AS(cases::parse_power_map_csv("nan", "m.csv"),
                       "m.csv:1:1: error: power map value must be finite, got nan", CaseError);
}

TEST_CASE("a case file or power map that is a device is refused, not read forever") {
  CHECK_THROWS_WITH_AS(
      cases::read_case("/dev/zero"),
      "/dev/zero: error: cannot read case file: it is not a regular file (a character device)",
      CaseError);
  CHECK_THROWS_WITH_AS(
      read(slab("[[blocks]]\nname = \"b\"\nmaterial = \"Si\"\norigin_um = [0, 0, 0]\n"
                "size_um = [100, 100, 50]\npower_map = \"/dev/zero\"\n")),
      doctest::Contains("cannot read power map '/dev/zero': it is not a regular file"), CaseError);
}

TEST_CASE("[solver] max_energy_imbalance: default, range and echo") {
  CHECK(read(slab("")).solver.max_energy_imbalance == 1e-6);
  const auto spec = read(slab("[solver]\nmax_energy_imbalance = 1e-8\n"));
  CHECK(spec.solver.max_energy_imbalance == 1e-8);
  CHECK(spec.resolved_text.find("max_energy_imbalance = 1e-08") != std::string::npos);
  CHECK(read(spec.resolved_text).solver.max_energy_imbalance == 1e-8);
  CHECK_THROWS_WITH_AS(read(slab("[solver]\nmax_energy_imbalance = -1\n")),
                       doctest::Contains("'solver.max_energy_imbalance' must be > 0 and < 1"),
                       CaseError);
}

TEST_CASE("a cancelled steady solve stops, reports it and is not converged") {
  testing::OwnedProblem p(testing::stretched_nodes(0, 1e-2, 20),
                          testing::stretched_nodes(0, 1e-2, 20),
                          testing::stretched_nodes(0, 1e-3, 10));
  p.materials = {testing::make_material(100, 100, 100)};
  p.power_W.assign(p.grid->num_cells(), 1e-3);
  p.boundaries[5].kind = solver::BoundaryKind::convection;
  p.boundaries[5].h_W_per_m2K = 1000;
  p.boundaries[5].T_K = 300;
  std::atomic<bool> cancel{true};
  auto options = testing::options_for(solver::LinearSolverKind::jacobi_cg, 1e-12);
  options.linear.cancel = &cancel;
  std::vector<double> T_K;
  const auto stopped = solver::solve_steady(p.view(), options, T_K);
  CHECK(stopped.cancelled);
  CHECK_FALSE(stopped.converged);
  CHECK(stopped.linear_iterations == 0);
  cancel = false;
  const auto finished = solver::solve_steady(p.view(), options, T_K);
  CHECK_FALSE(finished.cancelled);
  CHECK(finished.converged);
  CHECK(finished.linear_iterations > 0);
}
