// transient_cost: what an adaptive BDF2 transient costs (issue 18 item 5, issue 22 §4).
//
//   transient_cost [--json FILE] [--quick] [--sweep] [--cases die,thin,thick]
//                  [--case-file CASE.toml]
//                  [--variants before,after,reuse4,raw,filter,ref] [--ref-dt S] [--hold N]
//                  [--solver gmg_cg|direct|jacobi_cg]
//
// Cases, built with the real case reader and problem builder, solved by TransientSolver with
// the options `cposim run` uses for a [transient] table with its defaults (BDF2, adaptive,
// tolerance_K = 0.05, dt_initial_s = 1e-6), gmg_cg, one thread, from the ambient temperature
// with the power switched on at t = 0 and one output at the end (*_pwm: at every switch):
//   die    a 10 × 10 mm Si die (775 µm, 50 W, with a 2 × 2 mm 10 W hot spot) on bumps and an
//          organic substrate, h = 2e4 W/m²K on top: about 0.8 M cells, to 100 ms.
//   thin   a 4 × 4 mm die under a 1 µm oxide film on its convective top face (cells of 0.5 µm
//          next to the face), to 100 ms.
//   thick  the same die without the film (the reference of `thin`).
//   thin_pwm, thick_pwm  the same with the power alternating between 100 % and 20 % every
//          5 ms (20 switches, each a landing time).
// --quick: coarser grids (the ctest benchmark entry). Each case runs in each variant, side by
// side in one run: `before` (hold_steps 4 and ramp_factor 0: Δt always held 4 steps before it
// grows, the step policy before issue 18 item 5), `after` (the TransientOptions defaults) and
// `reuse4` (the defaults with setup_reuse_ratio 4: the last set-up preconditions γ within a
// factor 4), and reports steps, rejected steps, set-ups, linear iterations, set-up and solve
// seconds, the process cpu seconds of the run and the largest difference between its final
// field and the first variant's (the `ref` variant's, if it ran). On request: `raw` and
// `filter` (the defaults without and with TransientOptions::filter_estimate) and `ref` (fixed
// BDF2 steps of --ref-dt, default 1e-5 s: the accuracy reference). --case-file runs a case
// file of one's own (as case "file"; its [transient] table is not read). --sweep runs the
// thin-cell sweep of run_sweep() (only it, unless --cases names more). Prints a table and writes
// JSON (default transient_cost.json). Not a test: never asserts a time.
#ifdef _OPENMP
#include <omp.h>
#endif
#include <fmt/format.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "benchmarks/json_rows.hpp"
#include "cases/resolve/load_case.hpp"
#include "cases/run/build_problem.hpp"
#include "solver/transient.hpp"

namespace {

using namespace cposim;

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         1e-6 * static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

const char* kMaterials =
    "[materials.sub]\nk_W_per_mK = [30, 30, 0.5]\nrho_kg_per_m3 = 1900\ncp_J_per_kgK = 1000\n"
    "[materials.si]\nk_W_per_mK = 148\nrho_kg_per_m3 = 2330\ncp_J_per_kgK = 700\n"
    "[materials.bumps]\nk_W_per_mK = [1, 1, 20]\nrho_kg_per_m3 = 4000\ncp_J_per_kgK = 600\n"
    "[materials.ox]\nk_W_per_mK = 1.4\nrho_kg_per_m3 = 2200\ncp_J_per_kgK = 730\n";

std::string die_case(bool quick) {
  std::string t = "[package]\nfootprint_um = [10000, 10000]\n";
  t += kMaterials;
  t += "[[layers]]\nname = \"substrate\"\nmaterial = \"sub\"\nthickness_um = 1000\n"
       "[[layers]]\nname = \"bumps\"\nmaterial = \"bumps\"\nthickness_um = 60\n"
       "[[layers]]\nname = \"die\"\nmaterial = \"si\"\nthickness_um = 775\npower_W = 50\n"
       "[[blocks]]\nname = \"hot\"\nmaterial = \"si\"\norigin_um = [2000, 5000, 1060]\n"
       "size_um = [2000, 2000, 775]\npower_W = 10\n"
       "[boundary.top]\ntype = \"convection\"\nh_W_per_m2K = 20000\nT_ambient_K = 308.15\n"
       "[boundary.bottom]\ntype = \"convection\"\nh_W_per_m2K = 10\nT_ambient_K = 308.15\n";
  t += quick ? "[grid]\nmax_cell_xy_um = 400\nmax_cell_z_um = 100\n"
             : "[grid]\nmax_cell_xy_um = 100\nmax_cell_z_um = 25\n";
  return t;
}

std::string film_case(bool film, bool quick) {
  std::string t = "[package]\nfootprint_um = [4000, 4000]\n";
  t += kMaterials;
  t += "[[layers]]\nname = \"die\"\nmaterial = \"si\"\nthickness_um = 500\npower_W = 5\n";
  if (film) t += "[[layers]]\nname = \"film\"\nmaterial = \"ox\"\nthickness_um = 1\npower_W = 5\n";
  t += "[[blocks]]\nname = \"hot\"\nmaterial = \"si\"\norigin_um = [1000, 1000, 0]\n"
       "size_um = [1000, 1000, 500]\npower_W = 5\n"
       "[boundary.top]\ntype = \"convection\"\nh_W_per_m2K = 20000\nT_ambient_K = 308.15\n";
  t += quick ? "[grid]\nmax_cell_xy_um = 400\nmax_cell_z_um = 100\n"
             : "[grid]\nmax_cell_xy_um = 100\nmax_cell_z_um = 50\n";
  return t;
}

/// One point of the thin-cell sweep (--sweep, issue 18 item 5): where the thin cells are, how
/// thin, the top face's h (0: a fixed-temperature face) and whether the power switches.
struct SweepPoint {
  std::string where;  ///< "film" (oxide on the die's top face; "pfilm": with 5 W in it),
                      ///< "tim" (die / TIM / Cu lid),
                      ///< "grade" (a refinement zone of cells `thickness_um` thick at the face)
  double thickness_um = 0.0;  ///< 0: the control, without the thin cells
  double h_W_per_m2K = 0.0;   ///< 0: fixed_temperature
  bool pwm = false;

  std::string name() const {
    return fmt::format("{}_d{}_h{}{}", where, thickness_um,
                       h_W_per_m2K > 0.0 ? fmt::format("{:.0e}", h_W_per_m2K) : "fix",
                       pwm ? "_pwm" : "");
  }
};

/// The case of a sweep point: a 4 × 4 mm, 500 µm Si die (5 W, and a 1 × 1 mm 5 W hot spot)
/// with the thin cells of `p` next to its cooled top face.
std::string sweep_case(const SweepPoint& p, bool quick) {
  std::string t = "[package]\nfootprint_um = [4000, 4000]\n";
  t += kMaterials;
  t += "[materials.tim]\nk_W_per_mK = 3\nrho_kg_per_m3 = 2500\ncp_J_per_kgK = 800\n"
       "[[layers]]\nname = \"die\"\nmaterial = \"si\"\nthickness_um = 500\npower_W = 5\n"
       "[[blocks]]\nname = \"hot\"\nmaterial = \"si\"\norigin_um = [1000, 1000, 0]\n"
       "size_um = [1000, 1000, 500]\npower_W = 5\n";
  const bool thin = p.thickness_um > 0.0;
  double top_um = 500.0;
  if ((p.where == "film" || p.where == "pfilm") && thin) {
    t += fmt::format("[[layers]]\nname = \"film\"\nmaterial = \"ox\"\nthickness_um = {}\n{}",
                     p.thickness_um, p.where == "pfilm" ? "power_W = 5\n" : "");
    top_um += p.thickness_um;
  } else if (p.where == "tim") {
    if (thin)
      t += fmt::format("[[layers]]\nname = \"tim\"\nmaterial = \"tim\"\nthickness_um = {}\n",
                       p.thickness_um);
    t += "[[layers]]\nname = \"lid\"\nmaterial = \"Cu\"\nthickness_um = 1000\n";
    top_um += p.thickness_um + 1000.0;
  }
  t += p.h_W_per_m2K > 0.0 ? fmt::format(
                                 "[boundary.top]\ntype = \"convection\"\nh_W_per_m2K = {}\n"
                                 "T_ambient_K = 308.15\n",
                                 p.h_W_per_m2K)
                           : "[boundary.top]\ntype = \"fixed_temperature\"\nT_K = 308.15\n";
  t += quick ? "[grid]\nmax_cell_xy_um = 400\nmax_cell_z_um = 100\n"
             : "[grid]\nmax_cell_xy_um = 200\nmax_cell_z_um = 50\n";
  if (p.where == "grade" && thin)
    t += fmt::format(
        "[[grid.refine]]\norigin_um = [0, 0, {}]\nsize_um = [4000, 4000, {}]\n"
        "max_cell_um = [4000, 4000, {}]\n",
        top_um - 4.0 * p.thickness_um, 4.0 * p.thickness_um, p.thickness_um);
  return t;
}

/// One way of running a case: TransientOptions that differ from the defaults.
struct Variant {
  std::string label;
  double setup_reuse_ratio = 0.0;  ///< 0: automatic
  double ramp_factor = solver::TransientOptions{}.ramp_factor;
  int hold_steps = solver::TransientOptions{}.hold_steps;
  bool filter_estimate = solver::TransientOptions{}.filter_estimate;
  double fixed_dt_s = 0.0;  ///< > 0: fixed steps of this size (the accuracy reference)
};

struct Row {
  std::string name;
  std::size_t cells = 0;
  Variant variant;
  solver::TransientReport report;
  double cpu_s = 0.0, wall_s = 0.0, T_max_K = 0.0, max_diff_vs_reference_K = -1.0;
  std::vector<double> T;
};

std::string g_case_file;   // --case-file: a case of one's own, run as case "file"
double g_ref_dt_s = 1e-5;  // --ref-dt: the step of the fixed-step reference variant `ref`
int g_hold_steps = -2;     // --hold: TransientOptions::hold_steps of every variant (-2: theirs)
auto g_solver = cposim::solver::LinearSolverKind::gmg_cg;  // --solver gmg_cg|direct|jacobi_cg

Row run(const std::string& name, const cases::BuiltProblem& built, const Variant& v) {
  solver::TransientOptions o;  // as cases/run/run_transient.cpp for [transient] defaults
  o.linear = built.solver_options.linear;
  o.linear.kind = g_solver;
  o.scheme = solver::TimeScheme::bdf2;
  o.adaptive = true;
  o.dt_initial_s = 1e-6;
  o.dt_min_s = std::min(o.dt_min_s, o.dt_initial_s);
  o.tolerance_K = 0.05;
  o.setup_reuse_ratio = v.setup_reuse_ratio;
  o.ramp_factor = v.ramp_factor;
  o.hold_steps = v.hold_steps;
  o.filter_estimate = v.filter_estimate;
  if (v.fixed_dt_s > 0.0) {
    o.adaptive = false;
    o.dt_initial_s = v.fixed_dt_s;
  }
  if (g_hold_steps >= -1) o.hold_steps = g_hold_steps;
  Row row;
  row.name = name;
  row.cells = built.grid->num_cells();
  row.variant = v;
  row.T.assign(row.cells, 308.15);
  solver::TransientSolver solver(*built.grid, o);
  const double cpu0 = cpu_seconds();
  const auto wall0 = std::chrono::steady_clock::now();
  // *_pwm: the power alternates between 100 % and 20 % every 5 ms (as a `steps` waveform:
  // a step ending on a switch integrates the power before it); the run lands on every switch.
  const bool pwm = name.size() > 4 && name.compare(name.size() - 4, 4, "_pwm") == 0;
  std::vector<double> times{0.0};
  for (int k = 1; k <= (pwm ? 20 : 1); ++k) times.push_back(0.1 * k / (pwm ? 20 : 1));
  solver::PowerCallback power;
  if (pwm)
    power = [&](double t, const std::vector<double>&, std::vector<double>& P) {
      const double slot = std::ceil(t / 0.005 - 1e-9) - 1.0;  // (k·5 ms, (k+1)·5 ms] → k
      const double factor = static_cast<long>(std::max(slot, 0.0)) % 2 == 0 ? 1.0 : 0.2;
      for (std::size_t c = 0; c < P.size(); ++c) P[c] = factor * built.cell_power_W[c];
    };
  row.report = solver.run(built.problem(), row.T, 0.0, times, power, {});
  row.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  row.cpu_s = cpu_seconds() - cpu0;
  row.T_max_K = *std::max_element(row.T.begin(), row.T.end());
  return row;
}

void print(const Row& r) {
  const auto& p = r.report;
  std::printf("%-9s %-6s %8zu %6ld %5ld %6d %7ld %8.2f %8.2f %8.2f %10.4f %10.2e%s\n",
              r.name.c_str(), r.variant.label.c_str(), r.cells, p.steps, p.rejected_steps, p.setups,
              p.linear_iterations, p.setup_s, p.solve_s, r.cpu_s, r.T_max_K,
              r.max_diff_vs_reference_K, p.completed ? "" : "  NOT COMPLETED");
  std::fflush(stdout);
}

void write_json(const std::string& path, const std::vector<Row>& rows, bool quick) {
  using cposim::bench::rounded;
  std::vector<cposim::bench::JsonRow> json_rows;
  for (const Row& r : rows) {
    const auto& p = r.report;
    json_rows.push_back({{"case", r.name},
                         {"variant", r.variant.label},
                         {"cells", r.cells},
                         {"setup_reuse_ratio", rounded(r.variant.setup_reuse_ratio, "{:.6g}")},
                         {"ramp_factor", rounded(r.variant.ramp_factor, "{:.6g}")},
                         {"completed", p.completed},
                         {"steps", p.steps},
                         {"rejected_steps", p.rejected_steps},
                         {"setups", p.setups},
                         {"filtered_estimates", p.filtered_estimates},
                         {"linear_iterations", p.linear_iterations},
                         {"setup_s", rounded(p.setup_s, "{:.6g}")},
                         {"solve_s", rounded(p.solve_s, "{:.6g}")},
                         {"cpu_s", rounded(r.cpu_s, "{:.6g}")},
                         {"wall_s", rounded(r.wall_s, "{:.6g}")},
                         {"dt_smallest_s", rounded(p.dt_smallest_s, "{:.6g}")},
                         {"dt_largest_s", rounded(p.dt_largest_s, "{:.6g}")},
                         {"max_error_estimate_K", rounded(p.max_error_estimate_K, "{:.6g}")},
                         {"T_max_K", rounded(r.T_max_K, "{:.10g}")},
                         {"max_diff_vs_reference_K", rounded(r.max_diff_vs_reference_K, "{:.6g}")},
                         {"energy_relative", rounded(p.energy_relative, "{:.3g}")}});
  }
  const cposim::bench::JsonRow head = {{"benchmark", "transient_cost"},
                                       {"threads", 1},
                                       {"quick", quick},
                                       {"tolerance_K", 0.05},
                                       {"end_time_s", 0.1}};
  if (!cposim::bench::write_json_rows(path, head, "rows", json_rows)) {
    std::fprintf(stderr, "transient_cost: cannot write %s\n", path.c_str());
    return;
  }
  std::printf("written: %s\n", path.c_str());
}

/// Runs `spec` in every chosen variant and appends the rows, with their final fields'
/// differences against the fixed-step reference if it ran, else against the first variant.
void run_variants(const std::string& name, const cases::CaseSpec& spec,
                  const std::vector<Variant>& chosen, std::vector<Row>& rows) {
  const cases::BuiltProblem built = cases::build_problem(spec);
  std::vector<Row> group;
  for (const Variant& v : chosen) group.push_back(run(name, built, v));
  const Row* base = &group[0];
  for (const Row& r : group)
    if (r.variant.fixed_dt_s > 0.0) base = &r;
  for (Row& r : group) {
    double d = 0.0;
    for (std::size_t c = 0; c < r.T.size(); ++c) d = std::max(d, std::fabs(r.T[c] - base->T[c]));
    r.max_diff_vs_reference_K = d;
  }
  for (Row& r : group) {
    print(r);
    r.T.clear();
    rows.push_back(std::move(r));
  }
}

/// --sweep (issue 18 item 5): thin cells (an oxide film, a TIM under a lid, graded cells) of
/// 0.1–25 µm next to the cooled top face, h from 2e3 to 2e6 W/m²K and a fixed temperature,
/// power on at t = 0 or switching; each against its control without the thin cells. Prints
/// the largest ratio of steps (and of rejected steps) to the control's.
void run_sweep(bool quick, const std::vector<Variant>& chosen, std::vector<Row>& rows) {
  double worst = 0.0;
  std::string worst_name;
  for (const char* where : {"film", "pfilm", "tim", "grade"})
    for (bool pwm : {false, true})
      for (double h : {2e3, 2e4, 2e5, 2e6, 0.0}) {
        const std::size_t control = rows.size();
        for (double d : {0.0, 0.1, 1.0, 5.0, 25.0}) {
          const SweepPoint p{where, d, h, pwm};
          run_variants(p.name(),
                       cases::read_case_text(sweep_case(p, quick), p.name() + ".toml", ""), chosen,
                       rows);
        }
        for (std::size_t i = control; i < rows.size(); ++i) {
          const double ratio = static_cast<double>(rows[i].report.steps) /
                               static_cast<double>(rows[control].report.steps);
          if (ratio > worst) {
            worst = ratio;
            worst_name = rows[i].name;
          }
        }
      }
  std::printf("sweep: largest steps / control steps = %.3f (%s)\n", worst, worst_name.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  const std::string kDefaultCases = "die,thin,thick,thin_pwm,thick_pwm";
  std::string json_path = "transient_cost.json", which = kDefaultCases, variants = "before,after";
  bool quick = false, sweep = false;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--json") && i + 1 < argc) {
      json_path = argv[++i];
    } else if (!std::strcmp(argv[i], "--case-file") && i + 1 < argc) {
      g_case_file = argv[++i];
      which = "file";
    } else if (!std::strcmp(argv[i], "--cases") && i + 1 < argc) {
      which = argv[++i];
    } else if (!std::strcmp(argv[i], "--variants") && i + 1 < argc) {
      variants = argv[++i];
    } else if (!std::strcmp(argv[i], "--ref-dt") && i + 1 < argc) {
      g_ref_dt_s = std::atof(argv[++i]);
    } else if (!std::strcmp(argv[i], "--hold") && i + 1 < argc) {
      g_hold_steps = std::atoi(argv[++i]);
    } else if (!std::strcmp(argv[i], "--solver") && i + 1 < argc) {
      const std::string k = argv[++i];
      g_solver = k == "direct"      ? solver::LinearSolverKind::direct
                 : k == "jacobi_cg" ? solver::LinearSolverKind::jacobi_cg
                                    : solver::LinearSolverKind::gmg_cg;
    } else if (!std::strcmp(argv[i], "--quick")) {
      quick = true;
    } else if (!std::strcmp(argv[i], "--sweep")) {
      sweep = true;
      if (which == kDefaultCases) which.clear();  // only the sweep, unless --cases names more
    } else {
      std::fprintf(
          stderr,
          "usage: transient_cost [--json FILE] [--quick] [--sweep] [--cases die,thin,thick] "
          "[--variants before,after,reuse4] [--hold N] "
          "[--solver gmg_cg|direct|jacobi_cg]\n");
      return 2;
    }
  }
#ifdef _OPENMP
  omp_set_num_threads(1);
#endif
  std::vector<Variant> chosen;
  for (const Variant& v :
       {Variant{"before", 0.0, 0.0, 4}, Variant{"after"}, Variant{"reuse4", 4.0},
        Variant{"raw", 0.0, 0.0, -1, false}, Variant{"filter", 0.0, 0.0, -1, true},
        Variant{"ref", 0.0, 0.0, -1, false, g_ref_dt_s}})
    if (("," + variants + ",").find("," + v.label + ",") != std::string::npos) chosen.push_back(v);
  std::printf("%-9s %-6s %8s %6s %5s %6s %7s %8s %8s %8s %10s %10s\n", "case", "variant", "cells",
              "steps", "rej", "setups", "lin_it", "setup_s", "solve_s", "cpu_s", "T_max_K",
              "diff_K");
  std::vector<Row> rows;
  for (const std::string name : {"die", "thin", "thick", "thin_pwm", "thick_pwm", "file"}) {
    if (("," + which + ",").find("," + name + ",") == std::string::npos) continue;
    run_variants(name,
                 name == "file" ? cases::read_case(g_case_file)
                                : cases::read_case_text(
                                      name == "die" ? die_case(quick)
                                                    : film_case(name.rfind("thin", 0) == 0, quick),
                                      name + ".toml", ""),
                 chosen, rows);
  }
  if (sweep) run_sweep(quick, chosen, rows);
  write_json(json_path, rows, quick);
  return 0;
}
