/// \file
/// Issue 23 item 5: when gmg_cg stagnates the run falls back to amg_cg and says so (stdout,
/// summary.json, report.html); a stagnated solve's message does not ask for more iterations.
#include <doctest/doctest.h>

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "cases/report/report_html.hpp"
#include "cases/report/summary_json.hpp"
#include "cases/report/summary_text.hpp"
#include "cases/resolve/load_case.hpp"
#include "cases/run/build_problem.hpp"
#include "cases/run/run_case.hpp"
#include "solver/linear/linear_solver.hpp"
#include "solver/steady.hpp"

using namespace cposim;
using namespace cposim::cases;

namespace {

/// A small package with a thin 4 µm-refined layer (cells of aspect ratio 60).
std::string small_case() {
  return "[package]\nfootprint_um = [4000, 4000]\nfill = \"air\"\n"
         "[materials.kc]\nk_W_per_mK = 150\nrho_kg_per_m3 = 2300\ncp_J_per_kgK = 700\n"
         "[materials.ks]\nk_W_per_mK = 0.5\nrho_kg_per_m3 = 2300\ncp_J_per_kgK = 700\n"
         "[[layers]]\nname = \"substrate\"\nmaterial = \"ks\"\nthickness_um = 500\n"
         "[[layers]]\nname = \"die\"\nmaterial = \"kc\"\nthickness_um = 300\n"
         "[[blocks]]\nname = \"hot\"\nmaterial = \"kc\"\norigin_um = [1900, 1990, 790]\n"
         "size_um = [200, 20, 10]\npower_W = 1\n"
         "[[grid.refine]]\norigin_um = [0, 0, 790]\nsize_um = [4000, 4000, 10]\n"
         "max_cell_um = [250, 250, 4]\n"
         "[grid]\nmax_cell_xy_um = 250\nmax_cell_z_um = 100\n"
         "[boundary.top]\ntype = \"convection\"\nh_W_per_m2K = 20000\nT_ambient_K = 308.15\n";
}

/// A gmg_cg that stagnates: it leaves x as it is and reports stagnation after 21 iterations
/// at a relative residual of 0.3 (what gmg_cg reported on the 4 µm refinement case).
class StagnatingGmg : public solver::LinearSolver {
 public:
  solver::LinearSolverKind kind() const override { return solver::LinearSolverKind::gmg_cg; }
  double setup(const solver::SparseMatrix&) override { return 0.0; }
  solver::LinearSolveResult solve(const Eigen::VectorXd&, Eigen::VectorXd&) override {
    solver::LinearSolveResult r;
    r.iterations = 21;
    r.relative_residual = 0.3;
    r.stagnated = true;
    return r;
  }
};

}  // namespace

TEST_CASE("gmg_cg stagnates: SteadySolver falls back to amg_cg, which solves the case") {
  if (!solver::has_amg()) return;  // a build without hypre has no amg_cg to fall back to
  const BuiltProblem built = build_problem(read_case_text(small_case(), "stall.toml", ""));
  solver::SteadyOptions options = built.solver_options;
  options.make_solver = [](const solver::LinearSolverOptions&, const std::array<std::size_t, 3>&) {
    return std::unique_ptr<solver::LinearSolver>(new StagnatingGmg);
  };
  solver::SteadySolver steady(*built.grid, options);
  std::vector<double> T;
  const solver::SolveReport r = steady.solve(built.problem(), T);
  CHECK(r.converged);
  CHECK(r.linear_solver == "amg_cg");
  CHECK(r.linear_fallback ==
        "gmg_cg stagnated at relative residual 0.3 after 21 iterations; fell back to amg_cg");
  // The reference: the same case with amg_cg from the start.
  solver::SteadyOptions amg = built.solver_options;
  amg.linear.kind = solver::LinearSolverKind::amg_cg;
  std::vector<double> T_ref;
  const solver::SolveReport ref =
      solver::SteadySolver(*built.grid, amg).solve(built.problem(), T_ref);
  REQUIRE(ref.converged);
  CHECK(r.max_T_K == doctest::Approx(ref.max_T_K).epsilon(1e-9));
  CHECK(r.energy.relative < 1e-8);
  // A second solve keeps amg_cg (no new stagnation round).
  const solver::SolveReport again = steady.solve(built.problem(), T);
  CHECK(again.linear_solver == "amg_cg");
  CHECK(again.linear_fallback.empty());
}

TEST_CASE("the fallback is said in stdout, summary.json and report.html") {
  RunSummary s;
  s.title = "fallback";
  s.solve.converged = true;
  s.solve.linear_solver = "amg_cg";
  s.solve.linear_fallback =
      "gmg_cg stagnated at relative residual 0.3 after 21 iterations; fell back to amg_cg";
  CHECK(format_summary(s).find("solver fallback: gmg_cg stagnated") != std::string::npos);
  CHECK(summary_json(s).find("\"fallback\": \"gmg_cg stagnated") != std::string::npos);
  const std::string html = report_html(s, "now");
  CHECK(html.find("<td>solver fallback</td><td>gmg_cg stagnated") != std::string::npos);
  CHECK(html.find("<p class=\"note\">Solver: gmg_cg stagnated") < html.find("</section>"));
}

TEST_CASE("thermal_failure: a stagnated solve is not told to raise max_iterations") {
  solver::SolveReport s;
  s.linear_solver = "gmg_cg";
  s.linear_converged = false;
  s.linear_stagnated = true;
  s.linear_iterations = 21;
  s.relative_residual = 9e-14;
  solver::SteadyOptions options;
  options.linear.max_iterations = 20000;
  options.linear.relative_tolerance = 1e-14;
  const SolverSpec spec;
  std::string text = thermal_failure(s, spec, options);
  CHECK(text.find("the linear solver gmg_cg stagnated: relative residual 9e-14 after 21 "
                  "iterations") == 0);
  CHECK(text.find("more iterations would not help") != std::string::npos);
  CHECK(text.find("raise [solver] max_iterations") == std::string::npos);
  // Out of iterations: then raising max_iterations is the advice.
  s.linear_stagnated = false;
  s.linear_iterations = 20000;
  text = thermal_failure(s, spec, options);
  CHECK(text.find("did not converge") != std::string::npos);
  CHECK(text.find("raise [solver] max_iterations") != std::string::npos);
}
