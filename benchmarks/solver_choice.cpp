// solver_choice: which linear solver should `auto` pick? Set-up + solve time of direct,
// gmg_cg and amg_cg on CPO-like cases from a few thousand to ~40 000 cells (issue 23: an
// 18,400-cell case spent 47 s in the direct solver's set-up against 0.09 s with gmg_cg).
//
//   solver_choice [--json FILE] [--direct-max-cells N]
//
// Two case families, each at several resolutions (about 1 000 to 75 000 cells), built with the real
// case reader and problem builder: "flat" (a 20 × 20 mm package: substrate, interposer, ASIC and 4
// engines; few cells in z, like most packages) and "deep" (the same with a 4-layer stack and finer
// z: more cells along z, where sparse Cholesky fills in fastest). Each solve is one steady solve of
// a linear problem (constant k) to relative residual 1e-10 from the boundary temperature; the time
// is the solver's set-up + solve (no assembly), one thread. Direct is skipped above
// --direct-max-cells (default 45 000; its set-up grows about as N²). Prints a table and writes
// JSON (default solver_choice.json). See benchmarks/README.md.
#ifdef _OPENMP
#include <omp.h>
#endif

#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "benchmarks/json_rows.hpp"
#include "cases/resolve/load_case.hpp"
#include "cases/run/build_problem.hpp"
#include "solver/steady.hpp"

namespace {

using namespace cposim;

/// A CPO-like case with cells of at most `xy_um` laterally and `z_um` vertically; `deep` adds
/// two thick layers (more cells along z).
std::string package_case(double xy_um, double z_um, bool deep) {
  std::string grid =
      fmt::format("[grid]\nmax_cell_xy_um = {:g}\nmax_cell_z_um = {:g}\n", xy_um, z_um);
  std::string text =
      "[package]\nfootprint_um = [20000, 20000]\nfill = \"air\"\n"
      "[materials.sub]\nk_W_per_mK = [30, 30, 0.5]\nrho_kg_per_m3 = 1900\ncp_J_per_kgK = 1000\n"
      "[materials.si]\nk_W_per_mK = 148\nrho_kg_per_m3 = 2330\ncp_J_per_kgK = 700\n"
      "[materials.cu]\nk_W_per_mK = 390\nrho_kg_per_m3 = 8900\ncp_J_per_kgK = 385\n"
      "[[layers]]\nname = \"substrate\"\nmaterial = \"sub\"\nthickness_um = 1000\n";
  if (deep)
    text +=
        "[[layers]]\nname = \"board\"\nmaterial = \"sub\"\nthickness_um = 1600\n"
        "[[layers]]\nname = \"core\"\nmaterial = \"sub\"\nthickness_um = 800\n";
  text +=
      "[[layers]]\nname = \"interposer\"\nmaterial = \"si\"\nthickness_um = 100\n"
      "[[blocks]]\nname = \"asic\"\nmaterial = \"si\"\norigin_um = [6000, 6000, Z]\n"
      "size_um = [8000, 8000, 775]\npower_W = 300\n";
  for (int e = 0; e < 4; ++e) {
    std::string block;
    const double x = e % 2 == 0 ? 1500.0 : 15500.0, y = e < 2 ? 3000.0 : 12000.0;
    block = fmt::format(
        "[[blocks]]\nname = \"oe{}\"\nmaterial = \"si\"\norigin_um = [{:g}, {:g}, Z]\n"
        "size_um = [3000, 5000, 775]\npower_W = 20\n",
        e, x, y);
    text += block;
  }
  text +=
      "[[blocks]]\nname = \"lid\"\nmaterial = \"cu\"\norigin_um = [1000, 1000, ZL]\n"
      "size_um = [18000, 18000, 1000]\n"
      "[boundary.top]\ntype = \"convection\"\nh_W_per_m2K = 20000\nT_ambient_K = 308.15\n"
      "[boundary.bottom]\ntype = \"convection\"\nh_W_per_m2K = 10\nT_ambient_K = 308.15\n";
  text += grid;
  const double z0 = deep ? 3500.0 : 1100.0;
  const auto replace_all = [&text](const std::string& from, const std::string& to) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
      text.replace(at, from.size(), to);
  };
  replace_all("ZL]", fmt::format("{:g}]", z0 + 775.0));
  replace_all("Z]", fmt::format("{:g}]", z0));
  return text;
}

struct Row {
  std::string family;
  std::size_t cells = 0;
  std::string solver;
  double setup_s = 0.0, solve_s = 0.0;
  int iterations = 0;
  bool converged = false;
  double T_max_K = 0.0;
};

Row run(const std::string& family, const cases::BuiltProblem& built,
        solver::LinearSolverKind kind) {
  solver::SteadyOptions options;
  options.linear.kind = kind;
  options.linear.relative_tolerance = 1e-10;
  solver::SteadySolver steady(*built.grid, options);
  std::vector<double> T;
  const solver::SolveReport r = steady.solve(built.problem(), T);
  Row row;
  row.family = family;
  row.cells = built.grid->num_cells();
  row.solver = solver::to_string(kind);
  row.setup_s = r.setup_s;
  row.solve_s = r.solve_s;
  row.iterations = r.linear_iterations;
  row.converged = r.converged;
  row.T_max_K = r.max_T_K;
  return row;
}

}  // namespace

int main(int argc, char** argv) {
  std::string json_path = "solver_choice.json";
  std::size_t direct_max_cells = 45000;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--json") && i + 1 < argc) {
      json_path = argv[++i];
    } else if (!std::strcmp(argv[i], "--direct-max-cells") && i + 1 < argc) {
      direct_max_cells = static_cast<std::size_t>(std::atol(argv[++i]));
    } else {
      std::fprintf(stderr, "usage: solver_choice [--json FILE] [--direct-max-cells N]\n");
      return 2;
    }
  }
#ifdef _OPENMP
  omp_set_num_threads(1);
#endif
  struct Size {
    const char* family;
    double xy_um, z_um;
    bool deep;
  };
  const Size sizes[] = {{"flat", 5000, 800, false}, {"flat", 2000, 400, false},
                        {"flat", 1000, 250, false}, {"flat", 700, 150, false},
                        {"flat", 500, 100, false},  {"deep", 5000, 400, true},
                        {"deep", 2000, 200, true},  {"deep", 1200, 150, true},
                        {"deep", 900, 100, true},   {"deep", 700, 80, true}};
  std::vector<solver::LinearSolverKind> kinds = {solver::LinearSolverKind::direct,
                                                 solver::LinearSolverKind::gmg_cg};
  if (solver::has_amg()) kinds.push_back(solver::LinearSolverKind::amg_cg);
  std::vector<Row> rows;
  std::printf("%-6s %8s %-9s %10s %10s %10s %6s %10s\n", "family", "cells", "solver", "setup s",
              "solve s", "total s", "iter", "T_max K");
  for (const Size& size : sizes) {
    const cases::CaseSpec spec = cases::read_case_text(
        package_case(size.xy_um, size.z_um, size.deep), "solver_choice.toml", "");
    const cases::BuiltProblem built = cases::build_problem(spec);
    for (const auto kind : kinds) {
      if (kind == solver::LinearSolverKind::direct && built.grid->num_cells() > direct_max_cells)
        continue;
      const Row r = run(size.family, built, kind);
      std::printf("%-6s %8zu %-9s %10.4f %10.4f %10.4f %6d %10.4f%s\n", r.family.c_str(), r.cells,
                  r.solver.c_str(), r.setup_s, r.solve_s, r.setup_s + r.solve_s, r.iterations,
                  r.T_max_K, r.converged ? "" : "  NOT CONVERGED");
      std::fflush(stdout);
      rows.push_back(r);
    }
  }
  std::vector<cposim::bench::JsonRow> json_rows;
  for (const Row& r : rows)
    json_rows.push_back({{"family", r.family},
                         {"cells", r.cells},
                         {"solver", r.solver},
                         {"setup_s", cposim::bench::rounded(r.setup_s, "{:.6g}")},
                         {"solve_s", cposim::bench::rounded(r.solve_s, "{:.6g}")},
                         {"total_s", cposim::bench::rounded(r.setup_s + r.solve_s, "{:.6g}")},
                         {"iterations", r.iterations},
                         {"converged", r.converged},
                         {"T_max_K", cposim::bench::rounded(r.T_max_K, "{:.10g}")}});
  if (!cposim::bench::write_json_rows(json_path, {{"benchmark", "solver_choice"}, {"threads", 1}},
                                      "rows", json_rows)) {
    std::fprintf(stderr, "solver_choice: cannot write %s\n", json_path.c_str());
    return 1;
  }
  std::printf("written: %s\n", json_path.c_str());
  return 0;
}
