/// \file
/// `cposim sweep`: read and expand the sweep, run its points as child processes (all of them, or
/// one Slurm array task's share), rebuild the table, report, plot, and print the report. The
/// Slurm submission and collect job are in sweep_slurm_main.cpp.
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
#include <tuple>
#include <utility>
#include <vector>

#include "cases/app/cli_options.hpp"
#include "cases/app/exit_codes.hpp"
#include "cases/app/stop_signals.hpp"
#include "cases/app/sweep_commands.hpp"
#include "cases/spec/case_error.hpp"
#include "cases/sweep/sweep_reader.hpp"
#include "cases/sweep/sweep_report.hpp"
#include "cases/sweep/sweep_runner.hpp"
#include "cases/sweep/sweep_slurm.hpp"
#include "cases/sweep/sweep_table.hpp"
#include "postproc/io/atomic_file.hpp"

namespace cposim::cases {
namespace {

namespace fs = std::filesystem;

/// The options that only go with --slurm, given without it: the first one's name, or "".
std::string slurm_only_option(const CLI::App& app) {
  for (const char* name :
       {"--partition", "--time", "--max-parallel", "--points-per-task", "--dry-run"})
    if (app.count(name) > 0) return name;
  return "";
}

/// Checks the Slurm options and the mode combinations; returns an error message (or "").
std::string check_modes(const CLI::App& app, SweepCommandLine& cl, const std::string& max_parallel,
                        const std::string& per_task, const std::string& ranks,
                        const std::string& array_task) {
  const int modes = (cl.slurm ? 1 : 0) + (cl.collect ? 1 : 0) + (cl.list ? 1 : 0) +
                    (app.count("--array-task") > 0 ? 1 : 0);
  if (modes > 1) return "--slurm, --collect, --list and --array-task go one at a time";
  if (!cl.slurm && !slurm_only_option(app).empty())
    return slurm_only_option(app) + " goes with --slurm only";
  for (const auto& [name, text, out] :
       {std::tuple{"--max-parallel", &max_parallel, &cl.max_parallel},
        std::tuple{"--points-per-task", &per_task, &cl.points_per_task},
        std::tuple{"--ranks-per-point", &ranks, &cl.ranks_per_point}})
    if (std::string err = read_count_option(app, name, *text, *out); !err.empty()) return err;
  if (app.count("--partition") > 0)
    if (const std::string why = check_slurm_partition(cl.partition); !why.empty())
      return "--partition: " + why;
  if (app.count("--time") > 0)
    if (const std::string why = check_slurm_time(cl.time); !why.empty()) return "--time: " + why;
  if (app.count("--array-task") > 0) {
    char* end = nullptr;
    cl.array_task = std::strtol(array_task.c_str(), &end, 10);
    if (array_task.empty() || *end != '\0' || cl.array_task < 0)
      return "--array-task must be a task index (0, 1, ...), got '" + array_task +
             "' (it is set by the array script from SLURM_ARRAY_TASK_ID)";
    if (cl.manifest.empty()) return "--array-task needs --manifest";
  }
  if (!cl.manifest.empty() && app.count("--array-task") == 0 && !cl.collect)
    return "--manifest goes with --array-task or --collect only";
  return "";
}

/// Parses `cposim sweep SWEEP.toml [options]` (argv[1] is "sweep"); returns an error message
/// (empty if fine). CLI11 checks the shape (one sweep file, known options, a value after each
/// option that takes one; the last of a repeated option wins); the values are checked here.
std::string parse(int argc, char** argv, SweepCommandLine& cl) {
  if (argc < 3) return "expected a sweep file after 'sweep'";
  CLI::App app("", "cposim sweep");
  configure_parser(app);
  std::string jobs, threads, max_parallel, per_task, ranks, array_task;
  app.add_option("sweep", cl.sweep_path);
  const std::pair<const char*, std::string*> options[] = {{"--out", &cl.out_dir},
                                                          {"--jobs", &jobs},
                                                          {"--threads", &threads},
                                                          {"--partition", &cl.partition},
                                                          {"--time", &cl.time},
                                                          {"--max-parallel", &max_parallel},
                                                          {"--points-per-task", &per_task},
                                                          {"--ranks-per-point", &ranks},
                                                          {"--manifest", &cl.manifest},
                                                          {"--array-task", &array_task}};
  for (const auto& [name, value] : options) app.add_option(name, *value);
  const std::pair<const char*, bool*> flags[] = {{"--list", &cl.list},
                                                 {"--force-memory", &cl.force_memory},
                                                 {"--slurm", &cl.slurm},
                                                 {"--dry-run", &cl.dry_run},
                                                 {"--collect", &cl.collect}};
  for (const auto& [name, flag] : flags) app.add_flag(name, *flag);
  if (std::string err = run_parser(app, argc, argv, 1); !err.empty()) return err;
  if (cl.sweep_path.empty()) return "expected a sweep file after 'sweep'";
  for (const auto& [name, text, out] :
       {std::tuple{"--jobs", &jobs, &cl.jobs}, std::tuple{"--threads", &threads, &cl.threads}})
    if (std::string err = read_count_option(app, name, *text, *out); !err.empty()) return err;
  if (const std::string err = check_modes(app, cl, max_parallel, per_task, ranks, array_task);
      !err.empty())
    return err;
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

void print_options_help() {
  std::fprintf(stderr,
               "\n  --out DIR     sweep folder (default <sweep name>_sweep); a sweep run again\n"
               "                in the same folder skips the points already finished\n"
               "  --jobs N      points run at once (default 1)\n"
               "  --threads N   OpenMP threads per point (default max(1, cores / jobs); with\n"
               "                --slurm 1, and each task asks for N CPUs)\n"
               "  --list        list the points and their hashes; run nothing\n"
               "  --force-memory  pass --force-memory to every point's run\n"
               "  --ranks-per-point N  run every point on N MPI ranks (mpirun -np N; with\n"
               "                --slurm each array task asks for N tasks)\n"
               "  --slurm       submit the points not yet finished as a Slurm job array and a\n"
               "                collect job (sbatch); see cases/README.md, Sweeps on Slurm\n"
               "  --partition P, --time T   the jobs' partition and per-task time limit\n"
               "  --max-parallel N  array tasks running at once (%%N)\n"
               "  --points-per-task N  points one array task runs (default 1)\n"
               "  --dry-run     write the scripts and print the sbatch commands; submit nothing\n"
               "  --collect     rebuild the table, report and plot from the finished points\n");
}

/// The point runner on `points` (all of a local sweep, or one array task's share of `all`).
/// Prints the events; returns what it did.
SweepRunReport run_points(const SweepCommandLine& cl, const SweepSpec& spec,
                          const std::vector<SweepPoint>& points, const std::vector<SweepPoint>& all,
                          bool array_task) {
  // SIGINT/SIGTERM stop starting points and end the running ones (which stay unfinished).
  install_stop_handlers(/*second_ends_process=*/false);
  SweepRunOptions options;
  options.out_dir = cl.out_dir;
  options.jobs = array_task ? 1 : cl.jobs;
  options.threads_per_job = array_task && cl.threads == 0 ? 1 : cl.threads;
  options.force_memory = cl.force_memory;
  options.ranks_per_point = cl.ranks_per_point;
  options.shared_lock = array_task;
  options.executable = "/proc/self/exe";
  options.cancel = &stop_requested();
  options.on_event = [&](const SweepEvent& e) { print_event(e, all, spec); };  // by index
  return run_sweep_points(points, options);
}

/// The exit code of a run of points: interrupted 128 + signal, unfinished 4, else `otherwise`.
int run_exit_code(const SweepRunReport& run, int otherwise) {
  if (run.cancelled) {
    const int sig = stop_signal() != 0 ? stop_signal() : SIGINT;
    std::fprintf(stderr, "cposim sweep: interrupted; run it again to finish the %zu points left\n",
                 run.unfinished);
    return 128 + sig;
  }
  return run.unfinished > 0 ? exit_io_error : otherwise;
}

std::string run_line(const SweepRunReport& run) {
  char line[256];
  std::snprintf(line, sizeof line,
                "sweep: %zu points: %zu finished earlier, %zu now (%zu failed), %zu not finished; "
                "%d threads per point",
                run.points, run.skipped, run.finished, run.failed, run.unfinished,
                run.threads_per_job);
  return line;
}

/// One array task: its share of the manifest's points, no tables (the collect job writes them).
int run_array_task(const SweepCommandLine& cl, const SweepSpec& spec,
                   const std::vector<SweepPoint>& all) {
  const SlurmManifest manifest = read_slurm_manifest(cl.manifest);
  const std::vector<SweepPoint> points = slurm_task_points(manifest, all, cl.array_task);
  std::fprintf(stderr, "cposim sweep: array task %ld of %s: %zu points -> %s/\n", cl.array_task,
               cl.manifest.c_str(), points.size(), cl.out_dir.c_str());
  const SweepRunReport run = run_points(cl, spec, points, all, true);
  std::printf("%s\n", run_line(run).c_str());
  return run_exit_code(run, run.failed > 0 ? exit_not_converged : exit_ok);
}

/// A local sweep: every point, then the tables and the report.
int run_local_sweep(const SweepCommandLine& cl, const SweepSpec& spec,
                    const std::vector<SweepPoint>& points) {
  std::fprintf(stderr, "cposim sweep: %s: %zu points -> %s/ (%d jobs)\n", cl.sweep_path.c_str(),
               points.size(), cl.out_dir.c_str(), cl.jobs);
  const SweepRunReport run = run_points(cl, spec, points, points, false);
  note_foreign_points(points, cl.out_dir);
  const SweepTable table = publish_sweep_results(spec, points, cl.out_dir, run_line(run));
  // Infeasible points (a design verdict fails) are answers, not errors: only a point whose
  // run failed (an untrustworthy or unwritten result) makes the sweep exit non-zero.
  int code = exit_ok;
  for (const auto& r : table.rows)
    if (r.status == "failed") code = exit_not_converged;
  return run_exit_code(run, code);
}

}  // namespace

SweepTable publish_sweep_results(const SweepSpec& spec, const std::vector<SweepPoint>& points,
                                 const std::string& out_dir, const std::string& run_line) {
  SweepTable table = collect_sweep_table(spec, points, out_dir);
  std::optional<SweepBestAnswer> best;
  if (spec.best) best = answer_best(table, *spec.best, spec);
  const fs::path out(out_dir);
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
  if (!run_line.empty()) std::printf("%s\n", run_line.c_str());
  std::printf("sweep: table %s/sweep.csv (+ sweep.h5), report %s/sweep_report.md%s\n",
              out_dir.c_str(), out_dir.c_str(),
              plot.empty() ? "" : (", plot " + out_dir + "/" + plot).c_str());
  if (best) std::printf("best: %s\n", best->text.c_str());
  std::printf("%s", sweep_verdict_lines(spec, table).c_str());
  return table;
}

void note_foreign_points(const std::vector<SweepPoint>& points, const std::string& out_dir) {
  const std::vector<std::string> foreign = foreign_point_folders(points, out_dir);
  if (foreign.empty()) return;
  std::fprintf(stderr,
               "cposim sweep: note: %zu finished point folders in %s/points are no point of "
               "this sweep (an earlier version of it or of its base case, e.g. %s); the tables "
               "leave them out\n",
               foreign.size(), out_dir.c_str(), foreign.front().c_str());
}

void print_sweep_usage(std::FILE* out) {
  std::fprintf(out,
               "       cposim sweep SWEEP.toml [--out DIR] [--jobs N] [--threads N] [--list]\n"
               "                    [--force-memory] [--ranks-per-point N]\n"
               "       cposim sweep SWEEP.toml --slurm [--partition P] [--time T]\n"
               "                    [--max-parallel N] [--points-per-task N]\n"
               "                    [--ranks-per-point N] [--dry-run]\n"
               "       cposim sweep SWEEP.toml --collect [--out DIR]\n");
}

int run_sweep_command(int argc, char** argv) {
  SweepCommandLine cl;
  if (const std::string err = parse(argc, argv, cl); !err.empty()) {
    print_usage_error("cposim sweep", err);
    print_sweep_usage(stderr);
    print_options_help();
    return exit_bad_input;
  }
  try {
    const SweepSpec spec = read_sweep(cl.sweep_path);
    const std::vector<SweepPoint> points = expand_sweep(spec);
    if (cl.list) {
      for (const auto& p : points) {
        const bool done = point_finished(cl.out_dir, p.hash);
        std::printf("%4zu  %s  %-9s  %s\n", p.index, p.hash.c_str(), done ? "finished" : "to run",
                    describe_point(spec, p.values).c_str());
      }
      return exit_ok;
    }
    if (cl.slurm) return submit_sweep_to_slurm(cl, points);
    if (cl.collect) return collect_sweep(cl, spec, points);
    if (cl.array_task >= 0) return run_array_task(cl, spec, points);
    return run_local_sweep(cl, spec, points);
  } catch (const CaseError& e) {
    return bad_input_exit(e);
  } catch (const SweepChanged& e) {
    std::fprintf(stderr, "cposim sweep: error: %s\n", e.what());
    return exit_bad_input;
  } catch (const std::runtime_error& e) {
    std::fprintf(stderr, "cposim sweep: error: %s\n", e.what());
    return exit_io_error;
  } catch (const std::exception& e) {
    return internal_error_exit("cposim sweep", e);
  }
}

}  // namespace cposim::cases
