// cposim: solve or check one CPO package case file.
//
//   cposim run   CASE.toml [--out DIR] [--threads N] [--solver KIND] [--quiet] [--log FILE]
//                [--format hdf5,vtk]
//   cposim check CASE.toml
//   cposim --help | --version
//
// Exit codes: 0 done; 2 bad command line or case file (nothing written); 3 solver or photonic
// coupling did not converge (results written and flagged); 4 results (or the --log file) could
// not be written, or another run holds the output folder;
// 1 internal error; 130 interrupted by SIGINT (143 by SIGTERM; nothing written).
#include <fmt/format.h>
#ifdef _OPENMP
#include <omp.h>
#else  // CPOSIM_WITH_OPENMP=OFF: one thread, --threads has no effect
[[maybe_unused]] static int omp_get_max_threads() { return 1; }
[[maybe_unused]] static void omp_set_num_threads(int) {}
#endif
#include <signal.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "cases/app/cli_options.hpp"
#include "cases/app/exit_codes.hpp"
#include "cases/app/import_main.hpp"
#include "cases/app/stop_signals.hpp"
#include "cases/app/sweep_main.hpp"
#include "cases/read/output_maps_reader.hpp"
#include "cases/report/json_line.hpp"
#include "cases/report/run_and_report.hpp"
#include "cases/report/summary_text.hpp"
#include "cases/resolve/load_case.hpp"
#include "cases/run/build_problem.hpp"
#include "cases/run/ranks.hpp"
#include "cases/run/run_case.hpp"
#include "cases/run/verdicts.hpp"
#include "cases/spec/case_error.hpp"
#include "cases/sweep/sweep_reader.hpp"
#include "cposim_version.hpp"
#include "mesh/units.hpp"

namespace {

using namespace cposim;
using cases::install_stop_handlers;
using cases::signal_name;
using cases::stop_requested;
using cases::stop_signal;

/// The linear solver names (solver::kLinearSolverKinds) joined by `separator`.
std::string solver_names(const char* separator) {
  std::string names;
  for (const auto k : solver::kLinearSolverKinds)
    names += (names.empty() ? "" : separator) + solver::to_string(k);
  return names;
}

int usage(FILE* out, int code) {
  std::fprintf(
      out,
      "usage: cposim run   CASE.toml [--out DIR] [--threads N] [--solver KIND]\n"
      "                    [--quiet] [--log FILE] [--format hdf5,vtk]\n"
      "       cposim check CASE.toml\n"
      "       cposim import hotspot|3dice ...  (HotSpot or 3D-ICE model -> case file)\n"
      "       cposim sweep SWEEP.toml [--out DIR] [--jobs N] [--threads N] [--list]\n"
      "                    (run every point of a [sweep] as its own run; resumable)\n"
      "       cposim sweep SWEEP.toml --slurm [--partition P] [--time T] [--max-parallel N]\n"
      "                    [--dry-run]   (the points as a Slurm job array; --collect after)\n"
      "       cposim --help | --version\n\n"
      "  run     solve the case and write DIR/results.h5 + DIR/results.xmf\n"
      "          (DIR defaults to <case name>_results in the current folder)\n"
      "  check   validate the case file and build its grid, without solving (a sweep\n"
      "          file: every point is read)\n\n"
      "  --out DIR      output folder (created if missing)\n"
      "  --threads N    OpenMP threads (default: all cores)\n"
      "  --solver KIND  %s (overrides [solver])\n"
      "  --quiet        print only errors and a one-line verdict\n"
      "  --force-memory build and run even if the estimated memory exceeds what is\n"
      "                 available (the estimate: README, Size limits)\n"
      "  --log FILE     write progress as JSON lines (time_s, phase, message, iteration,\n"
      "                 residual, fraction) to FILE, flushed per line\n"
      "  --format LIST  hdf5 | hdf5,vtk: also write the VTK XML set results.vtr/.vtp/.pvd\n"
      "                 (overrides [output] formats; HDF5 + XDMF are always written)\n\n"
      "exit codes: 0 ok, 2 bad input, 3 not converged (results flagged),\n"
      "            4 results not written, 1 internal error,\n"
      "            130 interrupted by SIGINT (143 by SIGTERM; nothing written)\n",
      solver_names(" | ").c_str());
  return code;
}

struct CommandLine {
  std::string command, case_path, out_dir;
  int threads = 0;
  std::optional<solver::LinearSolverKind> linear_solver;
  bool quiet = false;         ///< --quiet
  bool force_memory = false;  ///< --force-memory: no memory check before building
  std::string log_path;       ///< --log FILE; empty = none
  std::optional<bool> vtk;    ///< --format with or without vtk; none: [output] formats decides
};

/// The linear solver named `name`, or none if no kind has that name.
std::optional<solver::LinearSolverKind> solver_kind(const std::string& name) {
  for (const auto k : solver::kLinearSolverKinds)
    if (solver::to_string(k) == name) return k;
  return std::nullopt;
}

/// Parses `cposim run|check CASE.toml [options]` (argv[1] is the command); returns an error
/// message (empty if fine). CLI11 checks the shape (one case file, known options, a value after
/// each option that takes one; the last of a repeated option wins); the values are checked here.
std::string parse(int argc, char** argv, CommandLine& cl) {
  if (argc < 3) return "expected a command and a case file";
  cl.command = argv[1];
  if (cl.command != "run" && cl.command != "check") return "unknown command '" + cl.command + "'";
  CLI::App app("", "cposim " + cl.command);
  cases::configure_parser(app);
  std::string threads, solver, format;
  app.add_option("case", cl.case_path);
  app.add_option("--out", cl.out_dir);
  app.add_option("--threads", threads);
  const CLI::Option* solver_option = app.add_option("--solver", solver);
  app.add_flag("--quiet", cl.quiet);
  app.add_flag("--force-memory", cl.force_memory);
  app.add_option("--log", cl.log_path);
  const CLI::Option* format_option = app.add_option("--format", format);
  if (std::string err = cases::run_parser(app, argc, argv, 1); !err.empty()) return err;
  if (cl.case_path.empty()) return "expected a command and a case file";
  if (std::string err = cases::read_count_option(app, "--threads", threads, cl.threads);
      !err.empty())
    return err;
  if (solver_option->count() > 0) {
    cl.linear_solver = solver_kind(solver);
    if (!cl.linear_solver)
      return "--solver must be one of " + solver_names(", ") + "; got '" + solver + "'";
  }
  if (format_option->count() > 0) {
    bool vtk = false;
    if (std::string err = cases::parse_format_option(format, vtk); !err.empty()) return err;
    cl.vtk = vtk;
  }
  if (cl.out_dir.empty()) {
    std::string stem = cl.case_path.substr(cl.case_path.find_last_of('/') + 1);
    stem = stem.substr(0, stem.rfind(".toml"));
    cl.out_dir = stem + "_results";
  }
  return "";
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Why the --log file could not be written ("" while it can); set by ProgressDisplay.
std::string g_log_failure;
/// A rank other than 0 of a distributed run: it prints nothing but an internal error.
bool g_silent = false;

/// A JSON number with the digits `spec` keeps (e.g. "{:.6f}"), or null when not finite.
nlohmann::json json_number(double value, const char* spec = "{:.9g}") {
  if (!std::isfinite(value)) return nullptr;
  return std::stod(fmt::format(fmt::runtime(spec), value));
}

/// Run progress for people and batch systems: one updating line on stderr when it is a
/// terminal (and not --quiet), one JSON object per event in the --log file.
class ProgressDisplay {
 public:
  ProgressDisplay(bool terminal, FILE* log) : terminal_(terminal), log_(log) {}
  void operator()(const cases::ProgressEvent& e) {
    const double t = seconds_since(start_);
    if (log_ != nullptr) {
      const nlohmann::ordered_json line = {
          {"time_s", json_number(t, "{:.6f}")},
          {"phase", e.phase},
          {"message", e.message},
          {"iteration", e.iteration >= 0 ? nlohmann::json(e.iteration) : nlohmann::json()},
          {"residual", json_number(e.residual, "{:.6e}")},
          {"fraction", json_number(e.fraction)}};
      std::fprintf(log_, "%s\n", cases::json_line(line).c_str());
      if (std::ferror(log_) != 0 || std::fflush(log_) != 0) {
        // A log that cannot be written is an error, not silence: stop the run (nothing is
        // written) and let main report it.
        g_log_failure = std::strerror(errno);
        log_ = nullptr;
        stop_requested().store(true, std::memory_order_relaxed);
      }
    }
    if (!terminal_) return;
    if (e.iteration >= 0 && std::isfinite(e.residual))
      std::fprintf(stderr, "\r\033[K%7.1f s  %-11s iteration %6d  residual %.2e", t,
                   e.phase.c_str(), e.iteration, e.residual);
    else
      std::fprintf(stderr, "\r\033[K%7.1f s  %-11s %.90s", t, e.phase.c_str(), e.message.c_str());
    std::fflush(stderr);
    shown_ = true;
  }
  /// Clears the progress line before other output.
  void clear() {
    if (shown_) std::fprintf(stderr, "\r\033[K");
    shown_ = false;
  }

 private:
  bool terminal_;
  FILE* log_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

/// The one-line verdict of --quiet: solve status, hottest region, design verdicts.
std::string verdict_line(const std::string& case_path, const cases::RunSummary& s) {
  const cases::Headline h = cases::make_headline(s);
  std::string text = fmt::format("{}: {}: T_max {:.2f} °C in '{}'; ", case_path,
                                 s.outcome() == cases::RunOutcome::ok ? "ok" : "NOT CONVERGED",
                                 h.T_max_K - mesh::kKelvinAtZeroCelsius, h.hottest_region);
  std::string line = text;
  const cases::Verdicts v = cases::collect_verdicts(s);
  if (v.classes.empty()) {
    line += "no design checks";
  } else if (v.pass()) {
    line += "design checks: all " + std::to_string(v.checked()) + " pass";
  } else {
    line += "FAIL: " + std::to_string(v.failures()) + " of " + std::to_string(v.checked()) +
            " design checks fail (";
    bool first = true;
    for (const auto& c : v.classes)
      if (!c.pass()) {
        line += (first ? "" : ", ") + c.title + " " + std::to_string(c.failed);
        first = false;
      }
    line += ")";
  }
  return line + "; results in " + s.results_path + "\n";
}

/// Prints the case's warnings (plausibility) on stderr.
void print_warnings(const cases::CaseSpec& spec) {
  if (g_silent) return;
  for (const auto& w : spec.warnings) std::fprintf(stderr, "%s\n", to_string(w).c_str());
}

/// The limits of building the problem that the command line sets.
cases::BuildLimits build_limits(const CommandLine& cl) {
  cases::BuildLimits limits;
  limits.check_memory = !cl.force_memory;
  limits.linear_solver = cl.linear_solver;
  return limits;
}

/// `cposim check SWEEP.toml`: every point is expanded and read exactly like a case file.
int check_sweep(const std::string& sweep_path, std::chrono::steady_clock::time_point t0) {
  const cases::SweepSpec sweep = cases::read_sweep(sweep_path);
  const auto points = cases::expand_sweep(sweep);
  // Exactly what each point's run does before it solves: read its case.toml (already done by
  // expand_sweep, from a folder of its own) and build the problem.
  for (const auto& p : points) {
    try {
      cases::build_problem(cases::read_case_text(p.case_text, sweep.base_case_path, ""));
    } catch (const cases::CaseError& e) {
      throw cases::CaseError(sweep.where, "point " + std::to_string(p.index) + " (" +
                                              cases::describe_point(sweep, p.values) +
                                              "): " + e.message());
    }
  }
  std::printf(
      "%s: ok: a sweep of %zu points, each a valid case with its grid built (%.3f s); "
      "`cposim sweep %s --list` lists them\n",
      sweep_path.c_str(), points.size(), seconds_since(t0), sweep_path.c_str());
  return cases::exit_ok;
}

/// `cposim check`: reads the case (or every point of a sweep file) and builds its grid.
int check_command(const CommandLine& cl) {
  const auto t0 = std::chrono::steady_clock::now();
  if (cases::is_sweep_only_file(cl.case_path)) return check_sweep(cl.case_path, t0);
  const cases::CaseSpec spec = cases::read_case(cl.case_path);
  const double read_s = seconds_since(t0);
  print_warnings(spec);
  const cases::BuiltProblem built = cases::build_problem(spec, build_limits(cl));
  const auto n = built.grid->cells_per_axis();
  std::printf("%s: ok: %zu regions, grid %zu x %zu x %zu = %zu cells (read %.3f s, built %.3f s)\n",
              cl.case_path.c_str(), built.regions.size(), n[0], n[1], n[2], built.grid->num_cells(),
              read_s, seconds_since(t0) - read_s);
  return cases::exit_ok;
}

/// `cposim run`: reads, solves and reports the case; the exit code of its outcome.
int run_command(const CommandLine& cl, const std::optional<cases::Ranks>& ranks) {
  const auto t0 = std::chrono::steady_clock::now();
  const cases::CaseSpec spec = cases::read_case(cl.case_path);
  const double read_s = seconds_since(t0);
  print_warnings(spec);
  cases::RunOptions options;
  options.out_dir = cl.out_dir;
  options.linear_solver = cl.linear_solver;
  options.vtk = cl.vtk;
  options.limits = build_limits(cl);
  options.cancel = &stop_requested();
  std::unique_ptr<FILE, int (*)(FILE*)> log(nullptr, &std::fclose);
  if (!cl.log_path.empty()) {
    // Written as it goes (not via a temporary) so that a batch system can follow it.
    log.reset(std::fopen(cl.log_path.c_str(), "w"));
    if (!log) {
      std::fprintf(stderr, "cposim: error: cannot write --log file '%s': %s\n", cl.log_path.c_str(),
                   std::strerror(errno));
      return cases::exit_bad_input;
    }
  }
  const bool terminal = !cl.quiet && isatty(fileno(stderr)) == 1;
  ProgressDisplay progress(terminal, log.get());
  if (log || terminal)
    options.progress = [&progress](const cases::ProgressEvent& e) { progress(e); };
  install_stop_handlers(/*second_ends_process=*/true);
  if (!cl.quiet && ranks)
    std::fprintf(stderr, "cposim %s: %s -> %s/ (%d MPI ranks x %d threads)\n", CPOSIM_VERSION,
                 cl.case_path.c_str(), cl.out_dir.c_str(), ranks->size, omp_get_max_threads());
  else if (!cl.quiet)
    std::fprintf(stderr, "cposim %s: %s -> %s/ (%d threads)\n", CPOSIM_VERSION,
                 cl.case_path.c_str(), cl.out_dir.c_str(), omp_get_max_threads());
  const cases::RunSummary summary = [&] {
    struct ClearLine {  // also when run_case throws, so an error starts on its own line
      ProgressDisplay& p;
      ~ClearLine() { p.clear(); }
    } clear_line{progress};
    return cases::run_and_report(spec, options, ranks ? &*ranks : nullptr);
  }();
  if (cl.quiet) {
    std::printf("%s", verdict_line(cl.case_path, summary).c_str());
  } else {
    std::printf("%s", cases::format_summary(summary).c_str());
    std::printf("read case            %8.3f s\n", read_s);
  }
  if (!g_log_failure.empty()) {  // failed at the last event: the results are complete
    std::fprintf(stderr, "%s: error: cannot write --log file '%s': %s\n", cl.case_path.c_str(),
                 cl.log_path.c_str(), g_log_failure.c_str());
    return cases::exit_io_error;
  }
  if (stop_signal() != 0 && !g_silent)
    std::fprintf(stderr, "%s: note: %s arrived while the results were written; they are complete\n",
                 cl.case_path.c_str(), signal_name(stop_signal()));
  if (summary.outcome() != cases::RunOutcome::ok && !g_silent)
    std::fprintf(stderr, "%s: error: %s\n", cl.case_path.c_str(), summary.failure_reason().c_str());
  return cases::exit_code(summary);
}

}  // namespace

int main(int argc, char** argv) {
  const std::string command = argc >= 2 ? argv[1] : "";
  if (command == "--help" || command == "-h") return usage(stdout, 0);
  if (command == "--version") {
    std::printf("cposim %s (git %s)\n", CPOSIM_VERSION, CPOSIM_GIT_HASH);
    return 0;
  }
  if (command == "import") return cases::run_import_command(argc, argv);
  if (command == "sweep") return cases::run_sweep_command(argc, argv);
  CommandLine cl;
  if (const std::string err = parse(argc, argv, cl); !err.empty()) {
    std::fprintf(stderr, "cposim: error: %s\n\n", err.c_str());
    return usage(stderr, cases::exit_bad_input);
  }
  if (cl.threads > 0) omp_set_num_threads(cl.threads);
  // Under mpirun (more than one rank): MPI starts now, and only rank 0 speaks; the others run
  // quietly (stdout to /dev/null) and print only an internal error of their own.
  std::optional<cases::Ranks> ranks;
  if (cl.command == "run" && cases::launched_ranks() > 1) {
    try {
      ranks = cases::start_ranks();
    } catch (const std::exception& e) {
      return cases::internal_error_exit(cl.case_path, e);
    }
    if (!ranks->root()) {
      cl.quiet = true;
      g_silent = true;
      if (std::freopen("/dev/null", "w", stdout) == nullptr) return cases::exit_io_error;
    }
  }
  try {
    return cl.command == "check" ? check_command(cl) : run_command(cl, ranks);
  } catch (const cases::CaseError& e) {
    if (g_silent) return cases::exit_bad_input;
    return cases::bad_input_exit(e);
  } catch (const cases::Interrupted& e) {
    if (g_silent) return 128 + (stop_signal() != 0 ? stop_signal() : SIGINT);
    if (!g_log_failure.empty()) {
      std::fprintf(stderr,
                   "%s: error: cannot write --log file '%s': %s; stopped, nothing written\n",
                   cl.case_path.c_str(), cl.log_path.c_str(), g_log_failure.c_str());
      return cases::exit_io_error;
    }
    std::fprintf(stderr, "%s: %s: %s\n", cl.case_path.c_str(), signal_name(stop_signal()),
                 e.what());
    return 128 + (stop_signal() != 0 ? stop_signal() : SIGINT);
  } catch (const cases::OutputError& e) {
    if (!g_silent) std::fprintf(stderr, "%s: error: %s\n", cl.case_path.c_str(), e.what());
    return cases::exit_io_error;
  } catch (const std::exception& e) {
    return cases::internal_error_exit(cl.case_path, e);
  }
}
