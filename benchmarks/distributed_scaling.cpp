// distributed_scaling: the steady solve across MPI ranks (solver/distributed/) on the generated
// CPO package (solver-measurements.md §1), against the serial gmg_cg and amg_cg, issue 20.
//
//   mpirun -np R distributed_scaling --mcells 1 --solver distributed|gmg_cg|amg_cg
//                                    [--json-append FILE]
//
// One measurement per process (so that its peak RSS is its own): set-up and solve seconds,
// PCG iterations, VmHWM of every rank, the fine-level halo bytes each rank sends per exchange
// (= per matrix-vector product), and BoomerAMG's levels (rows, nonzeros) for the coarse-grid
// cost. gmg_cg and amg_cg run on one rank only. Threads: OMP_NUM_THREADS. Every rank builds
// the global problem and slices its window from it (a benchmark shortcut: the run layer builds
// the window directly), so VmHWM includes ~12 bytes per global cell of replicated input.
// Rank 0 prints one line and appends one JSON line to --json-append. See benchmarks/README.md.
#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "benchmarks/generated_package.hpp"
#include "mesh/partition.hpp"
#include "solver/distributed/distributed_steady.hpp"
#include "solver/linear/hypre_headers.hpp"
#include "solver/linear/hypre_runtime.hpp"
#include "solver/steady.hpp"
#include "tests/support/window_problem.hpp"

namespace {

using namespace cposim;

/// This process's peak resident set [MiB] (VmHWM of /proc/self/status).
double vm_hwm_MiB() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  return std::nan("");
}

solver::SteadyOptions options(solver::LinearSolverKind kind) {
  solver::SteadyOptions o;
  o.linear.kind = kind;
  o.linear.relative_tolerance = 1e-8;  // as in solver-measurements.md
  o.linear.max_iterations = 20000;
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  double mcells = 1.0;
  std::string mode = "distributed", json;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i], v = argv[i + 1];
    if (a == "--mcells")
      mcells = std::stod(v);
    else if (a == "--solver")
      mode = v;
    else if (a == "--json-append")
      json = v;
    else {
      std::fprintf(stderr, "unknown option %s\n", a.c_str());
      return 2;
    }
  }
  solver::ensure_hypre_runtime();
  int rank = 0, ranks = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &ranks);
  const int zref = 2, nz = 21 * zref;  // as solver_scaling above 0.5 M cells
  const int n = static_cast<int>(std::lround(std::sqrt(mcells * 1e6 / nz)));
  const bench::GeneratedPackage pkg(n, zref);
  const solver::ThermalProblem global = pkg.problem();
  nlohmann::ordered_json row = {
      {"benchmark", "distributed_scaling"},
      {"solver", mode},
      {"cells", global.grid->num_cells()},
      {"ranks", ranks},
      {"threads", std::getenv("OMP_NUM_THREADS") ? std::getenv("OMP_NUM_THREADS") : "default"}};
  solver::SolveReport r;
  if (mode == "distributed") {
    const mesh::Partition partition(global.grid->cells_per_axis(), ranks);
    const testing::WindowProblem window(global, partition.window(rank));
    solver::DistributedSteadySolver solver(partition, MPI_Comm_c2f(MPI_COMM_WORLD), *window.grid,
                                           options(solver::LinearSolverKind::amg_cg));
    std::vector<double> T;
    r = solver.solve(window.problem, T);
    const auto levels = solver.system().hierarchy();
    const double hwm = vm_hwm_MiB();
    const double halo = static_cast<double>(solver.halo().bytes_sent());
    const auto blocks = solver.system().block_nonzeros();
    const double mine[4] = {hwm, halo, static_cast<double>(blocks[0]),
                            static_cast<double>(blocks[1])};
    std::vector<double> all(4 * static_cast<std::size_t>(ranks));
    MPI_Gather(mine, 4, MPI_DOUBLE, all.data(), 4, MPI_DOUBLE, 0, MPI_COMM_WORLD);
    nlohmann::ordered_json per_rank = nlohmann::ordered_json::array();
    for (int q = 0; q < ranks; ++q)
      per_rank.push_back({{"VmHWM_MiB", std::round(all[4 * q] * 10) / 10},
                          {"halo_bytes_per_exchange", all[4 * q + 1]},
                          {"diag_nonzeros", all[4 * q + 2]},
                          {"offd_nonzeros", all[4 * q + 3]}});
    nlohmann::ordered_json amg = nlohmann::ordered_json::array();
    double complexity = 0.0;
    for (const auto& l : levels) {
      amg.push_back({l.rows, l.nonzeros});
      complexity += l.nonzeros / levels.front().nonzeros;
    }
    row["per_rank"] = per_rank;
    row["amg_levels_rows_nonzeros"] = amg;
    row["operator_complexity"] = std::round(complexity * 1000) / 1000;
  } else {
    if (ranks != 1) {
      if (rank == 0) std::fprintf(stderr, "%s runs on one rank\n", mode.c_str());
      return 2;
    }
    solver::SteadySolver solver(*global.grid,
                                options(mode == "gmg_cg" ? solver::LinearSolverKind::gmg_cg
                                                         : solver::LinearSolverKind::amg_cg));
    std::vector<double> T;
    r = solver.solve(global, T);
    row["per_rank"] = {{{"VmHWM_MiB", std::round(vm_hwm_MiB() * 10) / 10}}};
  }
  row["assembly_s"] = std::round(r.assembly_s * 1e4) / 1e4;
  row["setup_s"] = std::round(r.setup_s * 1e4) / 1e4;
  row["solve_s"] = std::round(r.solve_s * 1e4) / 1e4;
  row["iterations"] = r.linear_iterations;
  row["converged"] = r.converged;
  row["T_max_K"] = std::round(r.max_T_K * 1e6) / 1e6;
  row["energy_relative"] = r.energy.relative;
  double load[1] = {0.0};
  if (getloadavg(load, 1) == 1) row["load_1min"] = load[0];
  if (rank == 0) {
    std::printf("%s\n", row.dump().c_str());
    if (!json.empty()) {
      std::ofstream out(json, std::ios::app);
      out << row.dump() << "\n";
      if (!out) return 4;
    }
  }
  return 0;
}
