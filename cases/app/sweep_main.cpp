/// \file
/// `cposim sweep`: read and expand the sweep, run its points as child processes, rebuild the
/// table, report, plot, and print the report.
#include "cases/app/sweep_main.hpp"

#include <signal.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "cases/app/exit_codes.hpp"
#include "cases/spec/case_error.hpp"
#include "cases/sweep/sweep_reader.hpp"
#include "cases/sweep/sweep_report.hpp"
#include "cases/sweep/sweep_runner.hpp"
#include "cases/sweep/sweep_table.hpp"
#include "postproc/io/atomic_file.hpp"

namespace cposim::cases {
namespace {

namespace fs = std::filesystem;

std::atomic<bool> g_sweep_cancel{false};
volatile std::sig_atomic_t g_sweep_signal = 0;

extern "C" void on_sweep_signal(int signal_number) {
  g_sweep_signal = signal_number;
  g_sweep_cancel.store(true, std::memory_order_relaxed);
}

/// SIGINT/SIGTERM stop starting points and end the running ones (which stay unfinished).
void install_sweep_handlers() {
  struct sigaction action {};
  action.sa_handler = on_sweep_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

struct SweepCommandLine {
  std::string sweep_path, out_dir;
  int jobs = 1;
  int threads = 0;
  bool list = false;
  bool force_memory = false;
};

/// Reads a count from 1 to 1024 (jobs, threads) into `out`; false if `text` is not one.
bool parse_count(const std::string& text, int& out) {
  char* end = nullptr;
  const long n = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || n < 1 || n > 1024) return false;
  out = static_cast<int>(n);
  return true;
}

/// Parses `cposim sweep SWEEP.toml [options]` (argv[1] is "sweep"); returns an error message
/// (empty if fine). CLI11 checks the shape (one sweep file, known options, a value after each
/// option that takes one; the last of a repeated option wins); the values are checked here.
std::string parse(int argc, char** argv, SweepCommandLine& cl) {
  if (argc < 3) return "expected a sweep file after 'sweep'";
  CLI::App app("", "cposim sweep");
  app.set_help_flag();
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  std::string jobs, threads;
  app.add_option("sweep", cl.sweep_path);
  app.add_option("--out", cl.out_dir);
  const CLI::Option* jobs_option = app.add_option("--jobs", jobs);
  const CLI::Option* threads_option = app.add_option("--threads", threads);
  app.add_flag("--list", cl.list);
  app.add_flag("--force-memory", cl.force_memory);
  try {
    app.parse(argc - 1, argv + 1);
  } catch (const CLI::ParseError& e) {
    return e.what();
  }
  if (cl.sweep_path.empty()) return "expected a sweep file after 'sweep'";
  if (jobs_option->count() > 0 && !parse_count(jobs, cl.jobs))
    return "--jobs must be an integer from 1 to 1024, got '" + jobs + "'";
  if (threads_option->count() > 0 && !parse_count(threads, cl.threads))
    return "--threads must be an integer from 1 to 1024, got '" + threads + "'";
  if (cl.out_dir.empty()) cl.out_dir = fs::path(cl.sweep_path).stem().string() + "_sweep";
  return "";
}

void print_event(const SweepEvent& e, const std::vector<SweepPoint>& points,
                 const SweepSpec& spec) {
  const std::string what = "point " + std::to_string(e.point) + " (" +
                           describe_point(spec, points[e.point].values) + ", " + e.hash + ")";
  const std::string progress = "[" + std::to_string(e.done) + "/" + std::to_string(e.total) + "] ";
  switch (e.kind) {
    case SweepEvent::Kind::skipped:
      std::fprintf(stderr, "%s%s: finished earlier, skipped\n", progress.c_str(), what.c_str());
      break;
    case SweepEvent::Kind::started:
      std::fprintf(stderr, "%s%s: started (%d running)\n", progress.c_str(), what.c_str(),
                   e.running);
      break;
    case SweepEvent::Kind::finished:
      if (e.exit_code == 0)
        std::fprintf(stderr, "%s%s: ok in %.1f s\n", progress.c_str(), what.c_str(), e.wall_s);
      else
        std::fprintf(stderr, "%s%s: FAILED, exit code %d in %.1f s: %s\n", progress.c_str(),
                     what.c_str(), e.exit_code, e.wall_s, e.error.c_str());
      break;
    case SweepEvent::Kind::unfinished:
      std::fprintf(stderr, "%s%s: not finished (%s %d after %.1f s); it runs again next time\n",
                   progress.c_str(), what.c_str(), e.signal != 0 ? "signal" : "exit code",
                   e.signal != 0 ? e.signal : e.exit_code, e.wall_s);
      break;
  }
  std::fflush(stderr);
}

}  // namespace

void print_sweep_usage(std::FILE* out) {
  std::fprintf(out,
               "       cposim sweep SWEEP.toml [--out DIR] [--jobs N] [--threads N] [--list]\n"
               "                    [--force-memory]\n");
}

int run_sweep_command(int argc, char** argv) {
  SweepCommandLine cl;
  if (const std::string err = parse(argc, argv, cl); !err.empty()) {
    std::fprintf(stderr, "cposim sweep: error: %s\n\n", err.c_str());
    std::fprintf(stderr, "usage:\n");
    print_sweep_usage(stderr);
    std::fprintf(stderr,
                 "\n  --out DIR     sweep folder (default <sweep name>_sweep); a sweep run again\n"
                 "                in the same folder skips the points already finished\n"
                 "  --jobs N      points run at once (default 1)\n"
                 "  --threads N   OpenMP threads per point (default max(1, cores / jobs))\n"
                 "  --list        list the points and their hashes; run nothing\n"
                 "  --force-memory  pass --force-memory to every point's run\n");
    return exit_bad_input;
  }
  try {
    const SweepSpec spec = read_sweep(cl.sweep_path);
    const std::vector<SweepPoint> points = expand_sweep(spec);
    if (cl.list) {
      for (const auto& p : points) {
        const bool done = fs::exists(fs::path(point_dir(cl.out_dir, p.hash)) / "point.json");
        std::printf("%4zu  %s  %-9s  %s\n", p.index, p.hash.c_str(), done ? "finished" : "to run",
                    describe_point(spec, p.values).c_str());
      }
      return exit_ok;
    }
    std::fprintf(stderr, "cposim sweep: %s: %zu points -> %s/ (%d jobs)\n", cl.sweep_path.c_str(),
                 points.size(), cl.out_dir.c_str(), cl.jobs);
    install_sweep_handlers();
    SweepRunOptions options;
    options.out_dir = cl.out_dir;
    options.jobs = cl.jobs;
    options.threads_per_job = cl.threads;
    options.force_memory = cl.force_memory;
    options.executable = "/proc/self/exe";
    options.cancel = &g_sweep_cancel;
    options.on_event = [&](const SweepEvent& e) { print_event(e, points, spec); };
    const SweepRunReport run = run_sweep_points(points, options);

    SweepTable table = collect_sweep_table(spec, points, cl.out_dir);
    std::optional<SweepBestAnswer> best;
    if (spec.best) best = answer_best(table, *spec.best, spec);
    const fs::path out(cl.out_dir);
    write_sweep_csv(table, (out / "sweep.csv").string());
    write_sweep_h5(table, spec, best ? best->text : "", (out / "sweep.h5").string());
    std::string plot;
    if (!spec.plot_x.empty()) {
      write_sweep_plot(spec, table, best, (out / "sweep_plot.png").string());
      plot = "sweep_plot.png";
    }
    const std::string report = sweep_report_markdown(spec, table, best, plot);
    postproc::write_file_atomically((out / "sweep_report.md").string(), report);
    std::printf("%s\n", report.c_str());
    std::printf(
        "sweep: %zu points: %zu finished earlier, %zu now (%zu failed), %zu not finished; "
        "%d threads per point\n",
        run.points, run.skipped, run.finished, run.failed, run.unfinished, run.threads_per_job);
    std::printf("sweep: table %s/sweep.csv (+ sweep.h5), report %s/sweep_report.md%s\n",
                cl.out_dir.c_str(), cl.out_dir.c_str(),
                plot.empty() ? "" : (", plot " + cl.out_dir + "/" + plot).c_str());
    if (best) std::printf("best: %s\n", best->text.c_str());
    std::printf("%s", sweep_verdict_lines(spec, table).c_str());
    if (run.cancelled) {
      const int sig = g_sweep_signal != 0 ? static_cast<int>(g_sweep_signal) : SIGINT;
      std::fprintf(stderr,
                   "cposim sweep: interrupted; run it again to finish the %zu points left\n",
                   run.unfinished);
      return 128 + sig;
    }
    if (run.unfinished > 0) return exit_io_error;
    // Infeasible points (a design verdict fails) are answers, not errors: only a point whose
    // run failed (an untrustworthy or unwritten result) makes the sweep exit non-zero.
    for (const auto& r : table.rows)
      if (r.status == "failed") return exit_not_converged;
    return exit_ok;
  } catch (const CaseError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return exit_bad_input;
  } catch (const std::runtime_error& e) {
    std::fprintf(stderr, "cposim sweep: error: %s\n", e.what());
    return exit_io_error;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cposim sweep: internal error: %s (please report)\n", e.what());
    return exit_internal_error;
  }
}

}  // namespace cposim::cases
