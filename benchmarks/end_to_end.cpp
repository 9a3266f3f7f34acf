// end_to_end: what a user waits for — `cposim run` of the shipped examples, every file it writes
// (issue 21).
//
//   end_to_end [--json FILE] [--cposim EXE] [--threads 1,2] [--repeat N] [--cases a,b,...]
//
// Runs the real executable on cases/examples/<case>.toml, each run in its own process with
// `--threads T`, and reads the per-phase wall and CPU times and the linear solves and
// iterations the run prints ("time per phase", cases/report/summary_text.cpp); the process's
// wall time, CPU time (user + system, getrusage of the child) and peak RSS come from wait4.
// With --repeat N each case runs N times per thread count: the table shows the run of median
// wall time, the JSON every run (and the best and median wall). The machine's load average is
// recorded with each run: timings on a shared machine are only comparable at a similar load.
// Not a test: a measurement.
#include <fmt/format.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "benchmarks/bench_args.hpp"
#include "benchmarks/json_rows.hpp"

namespace {

namespace fs = std::filesystem;
using cposim::bench::JsonRow;
using cposim::bench::read_value_options;
using cposim::bench::rounded;
using cposim::bench::split_list;

/// The phases of the "time per phase" table, in its order.
const char* const kPhases[] = {"build grid + problem",
                               "solve phase",
                               "  assembly",
                               "  solver set-up",
                               "  solve",
                               "statistics + probes",
                               "write results",
                               "  results.h5",
                               "  VTK",
                               "  maps",
                               "  reports"};

struct Run {
  std::string name;
  int threads = 1;
  int exit_code = -1;
  double wall_s = 0, cpu_s = 0, peak_rss_bytes = 0, load_1min = 0;
  std::map<std::string, std::pair<double, double>> phases;  ///< name → wall, cpu (NaN: none)
  long linear_solves = -1, linear_iterations = -1;
  bool counts_from_summary = false;  ///< summary.json's last solve (see read_summary_counts)
};

double load_average() {
  double load = 0;
  std::ifstream("/proc/loadavg") >> load;
  return load;
}

/// The "time per phase" lines of a run's standard output: a phase name, its wall time and
/// its CPU time ("-": not measured); the format before issue 21 ("wall time per phase",
/// `NAME  WALL s`) reads too, its phases by their names without the indent.
void read_phase_times(const fs::path& stdout_path, Run& run) {
  static const std::regex line_re(R"(^(\s*\S.*?)\s{2,}(-?[0-9.]+)(?:\s+(-|[0-9.]+|s))?\s*$)");
  std::ifstream in(stdout_path);
  bool in_table = false;
  for (std::string line; std::getline(in, line);) {
    in_table = in_table || line.find("time per phase") != std::string::npos;
    std::smatch m;
    if (!in_table || !std::regex_match(line, m, line_re)) continue;
    std::string name = m[1].str();
    if (name == "linear solves") {
      run.linear_solves = std::atol(m[2].str().c_str());
      continue;
    }
    if (name == "linear iterations") {
      run.linear_iterations = std::atol(m[2].str().c_str());
      continue;
    }
    const auto known = [](const std::string& x) {
      return std::find_if(std::begin(kPhases), std::end(kPhases),
                          [&x](const char* p) { return x == p; }) != std::end(kPhases);
    };
    if (!known(name) && known("  " + name)) name = "  " + name;  // the format before
    if (!known(name)) continue;
    const std::string cpu = m[3].str();
    const double c =
        cpu.empty() || cpu == "-" || cpu == "s" ? std::nan("") : std::atof(cpu.c_str());
    run.phases[name] = {std::atof(m[2].str().c_str()), c};
  }
}

/// Linear iterations and solves from summary.json where the output has no such lines (the
/// format before issue 21): the solver section's totals (a photonic run: its last solve
/// only) and Picard steps as solves.
void read_summary_counts(const fs::path& summary_path, Run& run) {
  if (run.linear_solves >= 0) return;
  std::ifstream in(summary_path);
  const auto j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.contains("solver")) return;
  run.linear_solves = j["solver"].value("picard_iterations", -1L);
  run.linear_iterations = j["solver"].value("linear_iterations", -1L);
  run.counts_from_summary = true;
}

/// `exe run CASE --out DIR --threads T`, standard output into DIR.txt.
Run run_case(const std::string& exe, const fs::path& case_path, const fs::path& out_dir,
             int threads) {
  Run run;
  run.name = case_path.stem().string();
  run.threads = threads;
  run.load_1min = load_average();
  const std::string cp = case_path.string(), out = out_dir.string(), log = out + ".txt",
                    t = std::to_string(threads);
  const auto t0 = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    if (std::freopen(log.c_str(), "w", stdout) == nullptr) _exit(127);
    if (std::freopen("/dev/null", "w", stderr) == nullptr) _exit(127);
    execl(exe.c_str(), exe.c_str(), "run", cp.c_str(), "--out", out.c_str(), "--threads", t.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  run.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const auto seconds = [](const timeval& tv) {
    return static_cast<double>(tv.tv_sec) + 1e-6 * static_cast<double>(tv.tv_usec);
  };
  run.cpu_s = seconds(usage.ru_utime) + seconds(usage.ru_stime);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.peak_rss_bytes = 1024.0 * static_cast<double>(usage.ru_maxrss);  // KiB on Linux
  read_phase_times(log, run);
  read_summary_counts(out_dir / "summary.json", run);
  return run;
}

std::string source_commit() {
  std::string commit = "unknown";
  const std::string cmd =
      std::string("git -C ") + CPOSIM_BENCH_SOURCE_DIR + " rev-parse --short HEAD 2>/dev/null";
  if (FILE* p = popen(cmd.c_str(), "r")) {
    char text[64] = {};
    if (std::fgets(text, sizeof text, p) != nullptr)
      commit = std::string(text, strcspn(text, "\n"));
    pclose(p);
  }
  return commit;
}

void print_run(const Run& r) {
  std::printf("\n%s, %d thread(s): exit %d, wall %.3f s, cpu %.3f s, peak RSS %.0f MB, load %.2f\n",
              r.name.c_str(), r.threads, r.exit_code, r.wall_s, r.cpu_s, r.peak_rss_bytes / 1e6,
              r.load_1min);
  for (const char* phase : kPhases) {
    const auto it = r.phases.find(phase);
    if (it == r.phases.end()) continue;
    std::printf(
        "  %-24s %9.3f %9s\n", phase, it->second.first,
        std::isnan(it->second.second) ? "-" : fmt::format("{:.3f}", it->second.second).c_str());
  }
  std::printf("  %-24s %9ld\n  %-24s %9ld\n", "linear solves", r.linear_solves, "linear iterations",
              r.linear_iterations);
  std::fflush(stdout);
}

JsonRow json_of(const Run& r) {
  JsonRow phases = JsonRow::object();
  for (const char* phase : kPhases) {
    const auto it = r.phases.find(phase);
    if (it == r.phases.end()) continue;
    std::string key = phase;
    key.erase(0, key.find_first_not_of(' '));
    phases[key] = {{"wall_s", rounded(it->second.first, "{:.3f}")},
                   {"cpu_s", rounded(it->second.second, "{:.3f}")}};
  }
  return {{"case", r.name},
          {"threads", r.threads},
          {"exit_code", r.exit_code},
          {"wall_s", rounded(r.wall_s, "{:.3f}")},
          {"cpu_s", rounded(r.cpu_s, "{:.3f}")},
          {"peak_rss_bytes", static_cast<long long>(r.peak_rss_bytes)},
          {"load_1min", rounded(r.load_1min, "{:.2f}")},
          {"linear_solves", r.linear_solves},
          {"linear_iterations", r.linear_iterations},
          {"counts_from_summary", r.counts_from_summary},
          {"phases", phases}};
}

}  // namespace

int main(int argc, char** argv) {
  std::string json_path = "end_to_end.json", exe = CPOSIM_BENCH_CPOSIM, threads = "1,2",
              repeat_text = "1",
              names =
                  "cpo_102t_2p5d,cpo_102t_coldplate,cpo_workload_step,pic_ring_bank,small_stack";
  if (!read_value_options(argc, argv, "end_to_end",
                          {{"--json", "FILE", &json_path},
                           {"--cposim", "EXE", &exe},
                           {"--threads", "1,2", &threads},
                           {"--repeat", "N", &repeat_text},
                           {"--cases", "a,b,...", &names}}))
    return 2;
  const int repeat = std::max(1, std::atoi(repeat_text.c_str()));
  const fs::path work = fs::temp_directory_path() / ("end_to_end_" + std::to_string(getpid()));
  fs::create_directories(work);
  const fs::path examples = fs::path(CPOSIM_BENCH_SOURCE_DIR) / "cases" / "examples";
  std::vector<JsonRow> rows;
  int failures = 0;
  for (const std::string& name : split_list(names))
    for (const std::string& t : split_list(threads)) {
      std::vector<Run> runs;
      for (int k = 0; k < repeat; ++k) {
        const fs::path out = work / fmt::format("{}_{}_{}", name, t, k);
        runs.push_back(run_case(exe, examples / (name + ".toml"), out, std::atoi(t.c_str())));
        if (runs.back().exit_code != 0) ++failures;
        JsonRow row = json_of(runs.back());
        row["repeat"] = k;
        rows.push_back(std::move(row));
      }
      std::vector<double> walls;
      for (const Run& r : runs) walls.push_back(r.wall_s);
      std::vector<double> sorted = walls;
      std::sort(sorted.begin(), sorted.end());
      const double median = sorted[(sorted.size() - 1) / 2];
      print_run(runs[static_cast<std::size_t>(std::find(walls.begin(), walls.end(), median) -
                                              walls.begin())]);
      if (repeat > 1)
        std::printf("  wall over %d runs: best %.3f s, median %.3f s\n", repeat, sorted.front(),
                    median);
      std::fflush(stdout);  // before the next child is forked: it must not inherit this text
    }
  fs::remove_all(work);
  if (!cposim::bench::write_json_rows(json_path,
                                      {{"benchmark", "end_to_end"},
                                       {"commit", source_commit()},
                                       {"cposim", exe},
                                       {"repeat", repeat}},
                                      "runs", rows))
    return 4;
  std::printf("written: %s\n", json_path.c_str());
  return failures == 0 ? 0 : 1;
}
