// solver_scaling: setup + solve time, iterations and peak memory of every linear solver on
// generated CPO-like packages (solver-measurements.md §1 geometry) and on the flagship case.
//
//   solver_scaling [--sizes 0.1,1,4,10] [--solvers gmg_cg,amg_cg,pfmg_cg,jacobi_cg]
//                  [--reference-max-mcells 1.2] [--flagship CASE.toml] [--json FILE]
//
// Each (problem, solver) runs in a forked child so its peak RSS is its own. Prints a table and
// writes JSON (default solver_scaling.json). See benchmarks/README.md. "pfmg_cg" is hypre's
// Struct PFMG-PCG (benchmarks/hypre_pfmg.hpp), the external reference of issue 4; it exists
// only in builds with hypre.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#include "benchmarks/bench_args.hpp"
#include "benchmarks/generated_package.hpp"
#include "benchmarks/json_rows.hpp"
#include "cases/resolve/load_case.hpp"
#include "cases/run/build_problem.hpp"
#include "materials/material.hpp"
#include "mesh/units.hpp"
#include "solver/energy_balance.hpp"
#include "solver/linear_system.hpp"
#include "solver/steady.hpp"
#ifdef CPOSIM_WITH_HYPRE
#include "benchmarks/hypre_pfmg.hpp"
#endif

namespace {

using namespace cposim;
using bench::GeneratedPackage;
using bench::split_list;

/// The numbers of one run: plain doubles, so a child process can send them through a pipe.
struct Figures {
  double cells = 0, nonzeros = 0, assembly_s = 0, setup_s = 0, solve_s = 0, iterations = 0,
         peak_rss_MiB = 0, energy_relative = 0, T_max_K = 0, converged = 0, relative_residual = 0;
};

struct Measurement : Figures {
  std::string problem, solver;
};

double nonzeros(const mesh::RectilinearGrid& g) {
  const auto [nx, ny, nz] = g.cells_per_axis();
  return static_cast<double>(g.num_cells() +
                             2 * ((nx - 1) * ny * nz + nx * (ny - 1) * nz + nx * ny * (nz - 1)));
}

solver::LinearSolverKind kind_of(const std::string& name);

/// Solves in this process and fills everything but the peak RSS.
void measure(const solver::ThermalProblem& p, solver::LinearSolverKind kind, Figures& m) {
  solver::SteadyOptions o;
  o.linear.kind = kind;
  o.linear.relative_tolerance = 1e-8;  // as in solver-measurements.md
  o.linear.max_iterations = 20000;
  std::vector<double> T;
  solver::SteadySolver s(*p.grid, o);
  const auto r = s.solve(p, T);
  m.cells = static_cast<double>(p.grid->num_cells());
  m.nonzeros = nonzeros(*p.grid);
  m.assembly_s = r.assembly_s;
  m.setup_s = r.setup_s;
  m.solve_s = r.solve_s;
  m.iterations = r.linear_iterations;
  m.energy_relative = r.energy.relative;
  m.converged = r.converged ? 1 : 0;
  m.relative_residual = r.relative_residual;
  m.T_max_K = 0;
  for (double t : T) m.T_max_K = std::max(m.T_max_K, t);
}

#ifdef CPOSIM_WITH_HYPRE
/// measure() for hypre PFMG-PCG, which is not a product solver: the same steps as
/// SteadySolver::solve() (shift θ = T − T_shift with T_shift = boundary_reference_temperature,
/// initial T = T_shift, Picard on k(T) until max |ΔT| < 1e-6 K, at most 50 steps, set-up
/// skipped while the matrix is bitwise unchanged), with benchmarks::PfmgCgSolver.
void measure_pfmg(const solver::ThermalProblem& p, Figures& m) {
  p.validate();
  solver::LinearSolverOptions o;
  o.relative_tolerance = 1e-8;  // as in measure()
  o.max_iterations = 20000;
  const auto& g = *p.grid;
  const std::size_t n = g.num_cells();
  const double shift = solver::boundary_reference_temperature(p);
  std::vector<double> T(n, shift);
  Eigen::VectorXd theta = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(n));
  solver::LinearSystem system(g);
  benchmarks::PfmgCgSolver linear(o, g.cells_per_axis());
  solver::SparseMatrix last;
  const int max_steps = p.is_nonlinear() ? 50 : 1;
  using Clock = std::chrono::steady_clock;
  auto since = [](Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
  };
  for (int step = 1; step <= max_steps; ++step) {
    const auto t0 = Clock::now();
    system.assemble(p, T, shift);
    m.assembly_s += since(t0);
    const auto& A = system.matrix();
    if (A.nonZeros() != last.nonZeros() ||
        std::memcmp(A.valuePtr(), last.valuePtr(), sizeof(double) * A.nonZeros()) != 0) {
      m.setup_s += linear.setup(A);
      last = A;
    }
    const auto r = linear.solve(system.rhs(), theta);
    m.setup_s += r.setup_s;
    m.solve_s += r.solve_s;
    m.iterations += r.iterations;
    m.relative_residual = r.relative_residual;
    double change = 0.0;
    bool finite = true;
    for (std::size_t c = 0; c < n; ++c) {
      const double T_new = theta[static_cast<Eigen::Index>(c)] + shift;
      finite = finite && std::isfinite(T_new);
      change = std::max(change, std::fabs(T_new - T[c]));
      T[c] = T_new;
    }
    if (!finite || !r.converged) break;
    if (max_steps == 1 || change < 1e-6) {
      m.converged = 1;
      break;
    }
  }
  m.cells = static_cast<double>(n);
  m.nonzeros = nonzeros(g);
  m.energy_relative = solver::compute_energy_balance(p, T).relative;
  m.T_max_K = 0;
  for (double t : T) m.T_max_K = std::max(m.T_max_K, t);
}
#endif

/// Measures `solver_name` on `p`: a product LinearSolverKind through SteadySolver, or pfmg_cg.
void measure_named(const solver::ThermalProblem& p, const std::string& solver_name, Figures& m) {
#ifdef CPOSIM_WITH_HYPRE
  if (solver_name == "pfmg_cg") {
    measure_pfmg(p, m);
    return;
  }
#endif
  measure(p, kind_of(solver_name), m);
}

/// Runs `work` in a forked child; returns the measurement with the child's peak RSS.
template <class F>
Measurement in_child(const std::string& problem, const std::string& solver_name, F&& work) {
  int fd[2];
  if (pipe(fd) != 0) throw std::runtime_error("pipe failed");
  const pid_t pid = fork();
  if (pid == 0) {
    close(fd[0]);
    Figures m;
    try {
      work(m);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "  %s/%s failed: %s\n", problem.c_str(), solver_name.c_str(), e.what());
      _exit(1);
    }
    const ssize_t written = write(fd[1], &m, sizeof m);
    _exit(written == static_cast<ssize_t>(sizeof m) ? 0 : 1);
  }
  close(fd[1]);
  Measurement m;
  m.problem = problem;
  m.solver = solver_name;
  Figures figures;
  const ssize_t got = read(fd[0], &figures, sizeof figures);
  close(fd[0]);
  int status = 0;
  struct rusage usage {};
  wait4(pid, &status, 0, &usage);
  if (got == static_cast<ssize_t>(sizeof figures))
    static_cast<Figures&>(m) = figures;
  else
    m.converged = -1;  // the child failed
  m.peak_rss_MiB = static_cast<double>(usage.ru_maxrss) / 1024.0;
  return m;
}

solver::LinearSolverKind kind_of(const std::string& name) {
  if (name == "gmg_cg") return solver::LinearSolverKind::gmg_cg;
  if (name == "amg_cg") return solver::LinearSolverKind::amg_cg;
  if (name == "jacobi_cg") return solver::LinearSolverKind::jacobi_cg;
  if (name == "direct") return solver::LinearSolverKind::direct;
  throw std::invalid_argument("unknown solver " + name);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> sizes{"0.1", "1", "4", "10"};
  std::vector<std::string> solvers{"gmg_cg", "amg_cg", "pfmg_cg", "jacobi_cg"};
  double reference_max_mcells = 1.2;
  std::string flagship, json = "solver_scaling.json";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i], v = argv[i + 1];
    if (a == "--sizes")
      sizes = split_list(v);
    else if (a == "--solvers")
      solvers = split_list(v);
    else if (a == "--reference-max-mcells")
      reference_max_mcells = std::stod(v);
    else if (a == "--flagship")
      flagship = v;
    else if (a == "--json")
      json = v;
    else {
      std::fprintf(stderr, "unknown option %s\n", a.c_str());
      return 2;
    }
  }
#ifndef CPOSIM_WITH_HYPRE
  for (auto it = solvers.begin(); it != solvers.end();)
    if (*it == "pfmg_cg") {
      std::printf("pfmg_cg skipped: this build has no hypre (CPOSIM_WITH_HYPRE off)\n");
      it = solvers.erase(it);
    } else {
      ++it;
    }
#endif
  std::vector<Measurement> results;
  std::printf("%-18s %-10s %10s %8s %8s %8s %5s %9s %9s %9s %10s\n", "problem", "solver", "cells",
              "asm s", "setup s", "solve s", "iter", "s/Mcell", "RSS MiB", "energy", "T_max °C");
  auto report = [&](const Measurement& m) {
    results.push_back(m);
    std::printf("%-18s %-10s %10.0f %8.3f %8.3f %8.3f %5.0f %9.3f %9.0f %9.1e %10.4f%s\n",
                m.problem.c_str(), m.solver.c_str(), m.cells, m.assembly_s, m.setup_s, m.solve_s,
                m.iterations, (m.setup_s + m.solve_s) / (m.cells / 1e6), m.peak_rss_MiB,
                m.energy_relative, m.T_max_K - cposim::mesh::kKelvinAtZeroCelsius,
                m.converged == 1 ? "" : "  NOT CONVERGED");
    std::fflush(stdout);
  };
  for (const auto& size : sizes) {
    const double mcells = std::stod(size);
    // n × n × 21·zref cells: zref = 1 below 0.5 M cells, else 2 (nz = 42).
    const int zref = mcells < 0.5 ? 1 : 2;
    const int nz = 21 * zref;
    const int n = static_cast<int>(std::lround(std::sqrt(mcells * 1e6 / nz)));
    for (const auto& s : solvers) {
      if (s == "jacobi_cg" && mcells > reference_max_mcells) continue;
      report(in_child("cpo_" + size + "M", s, [&](Figures& m) {
        const GeneratedPackage pkg(n, zref);
        measure_named(pkg.problem(), s, m);
      }));
    }
  }
  if (!flagship.empty()) {
    for (const auto& s : solvers)
      report(in_child("flagship", s, [&](Figures& m) {
        const auto spec = cases::read_case(flagship);
        const auto built = cases::build_problem(spec);
        measure_named(built.problem(), s, m);
      }));
  }
  // Ratios to the reference (jacobi_cg) and to hypre AMG and PFMG on the same problem.
  using cposim::bench::rounded;
  std::vector<cposim::bench::JsonRow> json_rows;
  for (const auto& m : results) {
    auto ratio_to = [&](const char* other) {
      for (const auto& o : results)
        if (o.problem == m.problem && o.solver == other && o.converged == 1)
          return (o.setup_s + o.solve_s) / (m.setup_s + m.solve_s);
      return std::nan("");
    };
    json_rows.push_back({{"problem", m.problem},
                         {"solver", m.solver},
                         {"cells", static_cast<long long>(m.cells)},
                         {"nonzeros", static_cast<long long>(m.nonzeros)},
                         {"assembly_s", rounded(m.assembly_s, "{:.4f}")},
                         {"setup_s", rounded(m.setup_s, "{:.4f}")},
                         {"solve_s", rounded(m.solve_s, "{:.4f}")},
                         {"iterations", static_cast<long long>(m.iterations)},
                         {"peak_rss_MiB", rounded(m.peak_rss_MiB, "{:.1f}")},
                         {"energy_balance_relative", rounded(m.energy_relative, "{:.3e}")},
                         {"T_max_K", rounded(m.T_max_K, "{:.6f}")},
                         {"converged", m.converged == 1},
                         {"relative_residual", rounded(m.relative_residual, "{:.3e}")},
                         {"speedup_vs_jacobi_cg", rounded(ratio_to("jacobi_cg"), "{:.6f}")},
                         {"speedup_vs_amg_cg", rounded(ratio_to("amg_cg"), "{:.6f}")},
                         {"speedup_vs_pfmg_cg", rounded(ratio_to("pfmg_cg"), "{:.6f}")}});
  }
  const cposim::bench::JsonRow head = {{"benchmark", "solver_scaling"}, {"rtol", 1e-8}};
  if (!cposim::bench::write_json_rows(json, head, "runs", json_rows)) {
    std::fprintf(stderr, "cannot write %s\n", json.c_str());
    return 4;
  }
  std::printf("saved %s\n", json.c_str());
  return 0;
}
