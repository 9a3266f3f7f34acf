// memory_use: peak RSS of `cposim run` against the memory estimate of its size guard
// (cases/resolve/memory_estimate.hpp; issue 18 item 6).
//
//   memory_use [--json FILE] [--cposim EXE] [--sizes 0.1,0.3,0.8] [--solvers gmg_cg,jacobi_cg]
//
// A 10 × 10 mm die on bumps and a substrate (as benchmarks/transient_cost) at about the given
// millions of cells, run steady and transient (20 steps' worth: 2 ms, 5 output times) by the
// real executable, one thread, each in its own process: its peak RSS (getrusage of the child,
// ru_maxrss) against estimate_run_bytes for the same case and solver. Prints a table and
// writes JSON (default memory_use.json). Not a test: a calibration of the estimate.
#include <fmt/format.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "benchmarks/bench_args.hpp"
#include "benchmarks/json_rows.hpp"
#include "cases/resolve/case_check.hpp"
#include "cases/resolve/load_case.hpp"
#include "cases/resolve/memory_estimate.hpp"

namespace {

using namespace cposim;
using bench::read_value_options;
using bench::split_list;
namespace fs = std::filesystem;

/// The die of transient_cost with lateral cells of `xy_um`, steady or transient.
std::string die_case(double xy_um, bool transient) {
  std::string grid = fmt::format("[grid]\nmax_cell_xy_um = {:g}\nmax_cell_z_um = 25\n", xy_um);
  std::string t =
      "[package]\nfootprint_um = [10000, 10000]\n"
      "[materials.sub]\nk_W_per_mK = [30, 30, 0.5]\nrho_kg_per_m3 = 1900\ncp_J_per_kgK = 1000\n"
      "[materials.si]\nk_W_per_mK = 148\nrho_kg_per_m3 = 2330\ncp_J_per_kgK = 700\n"
      "[materials.bumps]\nk_W_per_mK = [1, 1, 20]\nrho_kg_per_m3 = 4000\ncp_J_per_kgK = 600\n"
      "[[layers]]\nname = \"substrate\"\nmaterial = \"sub\"\nthickness_um = 1000\n"
      "[[layers]]\nname = \"bumps\"\nmaterial = \"bumps\"\nthickness_um = 60\n"
      "[[layers]]\nname = \"die\"\nmaterial = \"si\"\nthickness_um = 775\npower_W = 50\n"
      "[boundary.top]\ntype = \"convection\"\nh_W_per_m2K = 20000\nT_ambient_K = 308.15\n"
      "[boundary.bottom]\ntype = \"convection\"\nh_W_per_m2K = 10\nT_ambient_K = 308.15\n";
  t += grid;
  if (transient)
    t += "[transient]\nend_time_s = 0.002\noutput_interval_s = 0.0005\ndt_initial_s = 1e-4\n";
  return t;
}

struct Row {
  std::string mode, solver;
  double cells = 0, estimate_bytes = 0, peak_bytes = 0;
  int exit_code = -1;
};

/// Runs `exe run CASE --out DIR --threads 1 --quiet --solver S --force-memory`; peak RSS.
Row measure(const std::string& exe, const fs::path& dir, const std::string& text,
            const std::string& solver, bool transient) {
  fs::create_directories(dir);
  const fs::path case_path = dir / "case.toml";
  std::ofstream(case_path) << text;
  Row row;
  row.mode = transient ? "transient" : "steady";
  row.solver = solver;
  const cases::CaseSpec spec = cases::read_case_text(text, case_path.string(), dir.string());
  row.cells = cases::estimate_grid(spec).cells;
  const auto kind = solver == "jacobi_cg" ? solver::LinearSolverKind::jacobi_cg
                    : solver == "amg_cg"  ? solver::LinearSolverKind::amg_cg
                    : solver == "direct"  ? solver::LinearSolverKind::direct
                                          : solver::LinearSolverKind::gmg_cg;
  row.estimate_bytes = cases::estimate_run_bytes(spec, row.cells, kind);
  const std::string out = (dir / "out").string(), cp = case_path.string();
  const pid_t pid = fork();
  if (pid == 0) {
    if (std::freopen("/dev/null", "w", stdout) == nullptr) _exit(127);
    execl(exe.c_str(), exe.c_str(), "run", cp.c_str(), "--out", out.c_str(), "--threads", "1",
          "--quiet", "--solver", solver.c_str(), "--force-memory", static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  row.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  row.peak_bytes = 1024.0 * static_cast<double>(usage.ru_maxrss);  // KiB on Linux
  return row;
}

}  // namespace

int main(int argc, char** argv) {
  std::string json_path = "memory_use.json", exe = CPOSIM_BENCH_CPOSIM, sizes = "0.1,0.3,0.8",
              solvers = "gmg_cg,jacobi_cg";
  if (!read_value_options(argc, argv, "memory_use",
                          {{"--json", "FILE", &json_path},
                           {"--cposim", "EXE", &exe},
                           {"--sizes", "0.1,0.3,0.8", &sizes},
                           {"--solvers", "gmg_cg,jacobi_cg", &solvers}}))
    return 2;
  const fs::path work = fs::temp_directory_path() / ("memory_use_" + std::to_string(getpid()));
  std::vector<Row> rows;
  std::printf("%-9s %-9s %9s %11s %11s %9s %9s %5s\n", "mode", "solver", "cells", "estimate MB",
              "peak MB", "est B/c", "peak B/c", "exit");
  for (const std::string& size : split_list(sizes)) {
    // ~74 z cells; 10 mm square: xy cell = 10 mm / sqrt(cells / 74).
    const double xy_um = 1e4 / std::sqrt(std::atof(size.c_str()) * 1e6 / 74.0);
    for (const std::string& solver : split_list(solvers))
      for (bool transient : {false, true}) {
        const Row r = measure(exe, work / (size + solver + (transient ? "t" : "s")),
                              die_case(xy_um, transient), solver, transient);
        std::printf("%-9s %-9s %9.0f %11.1f %11.1f %9.0f %9.0f %5d\n", r.mode.c_str(),
                    r.solver.c_str(), r.cells, r.estimate_bytes / 1e6, r.peak_bytes / 1e6,
                    r.estimate_bytes / r.cells, r.peak_bytes / r.cells, r.exit_code);
        std::fflush(stdout);
        rows.push_back(r);
      }
  }
  fs::remove_all(work);
  std::vector<cposim::bench::JsonRow> json_rows;
  for (const Row& r : rows)
    json_rows.push_back(
        {{"mode", r.mode},
         {"solver", r.solver},
         {"cells", static_cast<long long>(r.cells)},
         {"estimate_bytes", static_cast<long long>(r.estimate_bytes)},
         {"peak_rss_bytes", static_cast<long long>(r.peak_bytes)},
         {"estimate_over_peak", cposim::bench::rounded(r.estimate_bytes / r.peak_bytes, "{:.3f}")},
         {"exit_code", r.exit_code}});
  if (!cposim::bench::write_json_rows(json_path, {{"benchmark", "memory_use"}, {"threads", 1}},
                                      "rows", json_rows))
    return 1;
  std::printf("written: %s\n", json_path.c_str());
  return 0;
}
