// cposim_bench: the regression suite. Runs the real `cposim run` on every reference case of
// benchmarks/regression/references/, compares the metrics of each run's summary.json and
// results.h5 with the reference values, prints a pass/fail table and appends the run to a
// history file (JSON lines).
//
//   cposim_bench [--quick] [--only NAME[,NAME...]] [--update NAME] [--list]
//                [--history FILE | --no-history] [--cposim PATH] [--suite DIR]
//                [--threads N] [--work DIR] [--keep]
//
// Exit codes: 0 every metric passed (or the reference was updated); 1 a metric or a run failed;
// 2 bad command line or reference file. Reference format and workflow: benchmarks/README.md.
#include <fmt/format.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "benchmarks/bench_json.hpp"
#include "benchmarks/bench_reference.hpp"
#include "benchmarks/bench_results_h5.hpp"
#include "cases/report/json_line.hpp"
#include "postproc/io/atomic_file.hpp"

namespace {

namespace fs = std::filesystem;
using namespace cposim::bench;
using cposim::cases::JsonValue;
using cposim::cases::parse_json;

constexpr int kExitPass = 0, kExitFail = 1, kExitUsage = 2;
constexpr const char* kH5Prefix = "h5:";

int usage(FILE* out, int code) {
  std::fprintf(
      out,
      "usage: cposim_bench [--quick] [--only NAME[,NAME...]] [--update NAME] [--list]\n"
      "                    [--history FILE | --no-history] [--cposim PATH] [--suite DIR]\n"
      "                    [--threads N] [--work DIR] [--keep]\n\n"
      "Runs the regression cases (one reference file each in the suite folder) through\n"
      "`cposim run`, compares their metrics with the references and prints a table.\n\n"
      "  --quick          only the cases marked quick = true (seconds; what CI runs)\n"
      "  --only NAMES     only these cases (reference file stems, comma-separated)\n"
      "  --update NAME    run NAME and rewrite its reference values and provenance\n"
      "                   (metrics marked fixed = true, theory values, are kept)\n"
      "  --list           list the cases and exit\n"
      "  --history FILE   append one JSON line per case run (default\n"
      "                   %s)\n"
      "  --no-history     append nothing\n"
      "  --cposim PATH    the cposim executable (default %s)\n"
      "  --suite DIR      folder of reference files (default %s)\n"
      "  --threads N      passed to cposim run --threads\n"
      "  --work DIR       folder for the runs' outputs (default: a new folder in $TMPDIR)\n"
      "  --keep           keep the outputs even if every metric passed\n\n"
      "exit codes: 0 all passed (or reference updated), 1 a metric or run failed,\n"
      "            2 bad command line or reference file\n",
      CPOSIM_BENCH_HISTORY, CPOSIM_BENCH_CPOSIM, CPOSIM_BENCH_SUITE);
  return code;
}

struct Options {
  bool quick = false, list = false, keep = false, history_enabled = true;
  std::vector<std::string> only;
  std::string update;
  std::string history = CPOSIM_BENCH_HISTORY;
  std::string cposim = CPOSIM_BENCH_CPOSIM;
  std::string suite = CPOSIM_BENCH_SUITE;
  std::string work;
  int threads = 0;
};

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::stringstream in(text);
  for (std::string part; std::getline(in, part, separator);)
    if (!part.empty()) parts.push_back(part);
  return parts;
}

/// Parses argv into `o`; returns an error message ("" if fine).
std::string parse(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--quick") {
      o.quick = true;
    } else if (arg == "--list") {
      o.list = true;
    } else if (arg == "--keep") {
      o.keep = true;
    } else if (arg == "--no-history") {
      o.history_enabled = false;
    } else if (arg == "--only" && has_value) {
      for (auto& name : split(argv[++i], ',')) o.only.push_back(name);
    } else if (arg == "--update" && has_value) {
      o.update = argv[++i];
    } else if (arg == "--history" && has_value) {
      o.history = argv[++i];
    } else if (arg == "--cposim" && has_value) {
      o.cposim = argv[++i];
    } else if (arg == "--suite" && has_value) {
      o.suite = argv[++i];
    } else if (arg == "--work" && has_value) {
      o.work = argv[++i];
    } else if (arg == "--threads" && has_value) {
      char* end = nullptr;
      const long n = std::strtol(argv[++i], &end, 10);
      if (*end != '\0' || n < 1 || n > 1024)
        return std::string("--threads must be an integer from 1 to 1024, got '") + argv[i] + "'";
      o.threads = static_cast<int>(n);
    } else {
      return "unknown or incomplete option '" + arg + "'";
    }
  }
  if (!o.update.empty() && (o.quick || !o.only.empty()))
    return "--update NAME runs only NAME: do not combine it with --quick or --only";
  return "";
}

struct ProcessResult {
  int exit_code = -1;  ///< the child's exit status, or 128 + signal
  double wall_s = 0.0;
  bool timed_out = false;
};

/// Runs `argv` with stdout and stderr sent to `log_path`, waiting at most `timeout_s` (then
/// SIGTERM, and SIGKILL 10 s later). Throws std::runtime_error if it cannot start.
ProcessResult run_process(const std::vector<std::string>& argv, const std::string& log_path,
                          double timeout_s) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::FILE* log = std::fopen(log_path.c_str(), "w");
  if (!log) throw std::runtime_error("cannot create " + log_path + ": " + std::strerror(errno));
  const auto t0 = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid < 0) {
    std::fclose(log);
    throw std::runtime_error(std::string("fork failed: ") + std::strerror(errno));
  }
  if (pid == 0) {
    dup2(fileno(log), STDOUT_FILENO);
    dup2(fileno(log), STDERR_FILENO);
    execvp(args[0], args.data());
    std::fprintf(stderr, "cposim_bench: cannot execute %s: %s\n", args[0], std::strerror(errno));
    _exit(127);
  }
  std::fclose(log);
  ProcessResult result;
  int status = 0;
  double killed_at = -1.0;
  for (;;) {
    const pid_t done = waitpid(pid, &status, WNOHANG);
    result.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (done == pid) break;
    if (done < 0 && errno != EINTR) throw std::runtime_error("waitpid failed");
    if (killed_at < 0 && result.wall_s > timeout_s) {
      result.timed_out = true;
      kill(pid, SIGTERM);
      killed_at = result.wall_s;
    } else if (killed_at >= 0 && result.wall_s > killed_at + 10.0) {
      kill(pid, SIGKILL);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// First line of the output of `argv`, or "unknown".
std::string first_line_of(const std::vector<std::string>& argv, const std::string& scratch) {
  try {
    const ProcessResult r = run_process(argv, scratch, 30.0);
    std::string line;
    std::ifstream in(scratch);
    std::getline(in, line);
    std::error_code ignored;
    fs::remove(scratch, ignored);
    if (r.exit_code == 0 && !line.empty()) return line;
  } catch (const std::exception&) {
    // Provenance is best effort: "unknown" says what happened.
  }
  return "unknown";
}

std::string utc_now(const char* format) {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[64];
  std::strftime(text, sizeof text, format, &utc);
  return text;
}

std::string machine_description() {
  std::string model = "unknown CPU";
  std::ifstream cpuinfo("/proc/cpuinfo");
  for (std::string line; std::getline(cpuinfo, line);)
    if (line.rfind("model name", 0) == 0 && line.find(':') != std::string::npos) {
      model = line.substr(line.find(':') + 1);
      model.erase(0, model.find_first_not_of(" \t"));
      break;
    }
  cpu_set_t set;
  CPU_ZERO(&set);
  const int cores = sched_getaffinity(0, sizeof set, &set) == 0
                        ? CPU_COUNT(&set)
                        : static_cast<int>(std::thread::hardware_concurrency());
  return model + ", nproc " + std::to_string(cores);
}

/// `git rev-parse --short HEAD` of the source tree, "-dirty" appended if tracked files differ.
std::string source_commit(const std::string& scratch) {
  const std::string git = "git";
  std::string commit =
      first_line_of({git, "-C", CPOSIM_BENCH_SOURCE_DIR, "rev-parse", "--short", "HEAD"}, scratch);
  if (commit == "unknown") return commit;
  const std::string dirty = first_line_of(
      {git, "-C", CPOSIM_BENCH_SOURCE_DIR, "status", "--porcelain", "--untracked-files=no"},
      scratch);
  return dirty == "unknown" ? commit : commit + "-dirty";
}

using Json = nlohmann::ordered_json;

/// A JSON number, or null when absent or not finite.
Json json_number(std::optional<double> x) { return x && std::isfinite(*x) ? Json(*x) : Json(); }

/// The outcome of one case.
struct CaseOutcome {
  ProcessResult process;
  std::vector<std::pair<const MetricReference*, MetricLookup>> metrics;
  std::string run_error;  ///< why the run itself failed (exit code, no summary.json, ...)
  Json times;             ///< summary.json's solver.times_s (null if absent)
  std::optional<double> num_cells;
  int failures = 0;
};

std::string format_value(std::optional<double> x) {
  if (!x) return "-";
  return fmt::format("{:.12g}", *x);
}

void print_row(const char* result, const std::string& metric, const std::string& value,
               const std::string& reference, const std::string& difference,
               const std::string& tolerance) {
  std::printf("  %-5s %-44s %20s %20s %11s %10s\n", result, metric.c_str(), value.c_str(),
              reference.c_str(), difference.c_str(), tolerance.c_str());
}

CaseOutcome run_case(const CaseReference& ref, const Options& o, const fs::path& work) {
  CaseOutcome outcome;
  const fs::path out = work / ref.name;
  std::error_code ignored;
  fs::remove_all(out, ignored);
  std::vector<std::string> argv = {o.cposim, "run", ref.case_path, "--out", out.string()};
  if (o.threads > 0) {
    argv.push_back("--threads");
    argv.push_back(std::to_string(o.threads));
  }
  argv.insert(argv.end(), ref.args.begin(), ref.args.end());
  const std::string log = (work / (ref.name + ".log")).string();
  outcome.process = run_process(argv, log, ref.timeout_s);

  std::optional<JsonValue> summary;
  if (outcome.process.timed_out) {
    outcome.run_error = "killed after timeout_s = " + format_value(ref.timeout_s) + " s";
  } else if (outcome.process.exit_code != ref.expect_exit) {
    outcome.run_error = "cposim run exited with " + std::to_string(outcome.process.exit_code) +
                        ", expected " + std::to_string(ref.expect_exit) + " (log: " + log + ")";
  }
  try {
    summary = parse_json(read_text((out / "summary.json").string()));
    if (const JsonValue* solver = summary->find("solver"))
      if (const JsonValue* times = solver->find("times_s")) {
        outcome.times = Json::object();
        for (const auto& [key, value] : times->members)
          outcome.times[key] = json_number(value.kind == JsonValue::Kind::number
                                               ? std::optional<double>(value.number)
                                               : std::nullopt);
      }
    outcome.num_cells = lookup_number(*summary, "grid.num_cells").value;
  } catch (const std::exception& e) {
    if (outcome.run_error.empty()) outcome.run_error = std::string("summary.json: ") + e.what();
  }
  const std::string h5 = (out / "results.h5").string();
  for (const auto& m : ref.metrics) {
    MetricLookup found;
    if (m.path.rfind(kH5Prefix, 0) == 0)
      found = lookup_h5_metric(h5, m.path.substr(std::strlen(kH5Prefix)));
    else if (summary)
      found = lookup_number(*summary, m.path);
    else
      found.error = "no summary.json";
    outcome.metrics.emplace_back(&m, found);
  }
  return outcome;
}

/// Prints the table of one case and counts its failures.
void report_case(const CaseReference& ref, CaseOutcome& outcome) {
  std::printf("\n== %s%s: %s, exit %d, %.2f s%s\n", ref.name.c_str(), ref.quick ? " (quick)" : "",
              ref.case_path.c_str(), outcome.process.exit_code, outcome.process.wall_s,
              outcome.num_cells ? (", " + format_value(outcome.num_cells) + " cells").c_str() : "");
  print_row("", "metric", "value", "reference", "difference", "tolerance");
  if (!outcome.run_error.empty()) {
    print_row("FAIL", "run", outcome.run_error, "", "", "");
    ++outcome.failures;
  }
  for (const auto& [m, found] : outcome.metrics) {
    const std::string tolerance = fmt::format("{:.3g}", m->tolerance());
    if (!found.value) {
      print_row("FAIL", m->path, "missing", format_value(m->value), "-", tolerance);
      std::printf("        %s\n", found.error.c_str());
      ++outcome.failures;
      continue;
    }
    const std::string difference = fmt::format("{:+.3g}", *found.value - m->value);
    const bool pass = m->accepts(*found.value);
    print_row(pass ? "PASS" : "FAIL", m->path, format_value(found.value), format_value(m->value),
              difference, tolerance);
    if (!pass) ++outcome.failures;
  }
}

std::string history_line(const CaseReference& ref, const CaseOutcome& outcome,
                         const Provenance& now, int threads) {
  Json metrics = Json::object();
  for (const auto& [m, found] : outcome.metrics) metrics[m->path] = json_number(found.value);
  const Json line = {{"date", utc_now("%Y-%m-%dT%H:%M:%SZ")},
                     {"case", ref.name},
                     {"commit", now.commit},
                     {"cposim", now.cposim},
                     {"machine", now.machine},
                     {"threads", threads > 0 ? Json(threads) : Json()},
                     {"exit_code", outcome.process.exit_code},
                     {"pass", outcome.failures == 0},
                     {"wall_s", json_number(outcome.process.wall_s)},
                     {"num_cells", json_number(outcome.num_cells)},
                     {"times_s", outcome.times},
                     {"metrics", metrics}};
  return cposim::cases::json_line(line);
}

void append_history(const std::string& path, const std::vector<std::string>& lines) {
  std::string text;
  if (fs::exists(path)) text = read_text(path);
  if (!text.empty() && text.back() != '\n') text += '\n';
  for (const auto& l : lines) text += l + "\n";
  const fs::path parent = fs::path(path).parent_path();
  if (!parent.empty()) fs::create_directories(parent);
  cposim::postproc::write_file_atomically(path, text);
}

/// Rewrites the reference of `ref` with the values of `outcome`. Returns an error message, or
/// "" once the file is written.
std::string update_reference(const CaseReference& ref, const CaseOutcome& outcome,
                             const Provenance& now) {
  if (!outcome.run_error.empty()) return "the run failed: " + outcome.run_error;
  std::map<std::string, double> values;
  for (const auto& [m, found] : outcome.metrics) {
    if (!found.value) return "metric " + m->path + " is missing: " + found.error;
    if (m->fixed && !m->accepts(*found.value))
      return "metric " + m->path +
             " is fixed (a theory value) and fails: fix the code, or the "
             "reference by hand";
    if (!m->fixed) values[m->path] = *found.value;
  }
  const std::string text = updated_reference_text(read_text(ref.file), now, values);
  // Check the new text before it replaces the file: it must read back with the new values.
  const std::string check = ref.file + ".check-" + std::to_string(static_cast<long long>(getpid()));
  cposim::postproc::write_file_atomically(check, text);
  std::string problem;
  try {
    const CaseReference reread = read_reference(check);
    for (const auto& m : reread.metrics)
      if (auto it = values.find(m.path); it != values.end() && m.value != it->second)
        problem = "metric " + m.path + " does not read back";
  } catch (const std::exception& e) {
    problem = e.what();
  }
  std::error_code ignored;
  fs::remove(check, ignored);
  if (!problem.empty()) return "the rewritten reference is wrong (" + problem + "); not written";
  cposim::postproc::write_file_atomically(ref.file, text);
  return "";
}

int run_suite(const Options& o) {
  std::vector<CaseReference> refs;
  for (const auto& file : list_references(o.suite)) refs.push_back(read_reference(file));
  std::vector<std::string> wanted = o.only;
  if (!o.update.empty()) wanted = {o.update};
  for (const auto& name : wanted)
    if (std::none_of(refs.begin(), refs.end(), [&](const auto& r) { return r.name == name; })) {
      std::fprintf(stderr, "cposim_bench: error: no reference '%s' in %s\n", name.c_str(),
                   o.suite.c_str());
      return kExitUsage;
    }
  for (const auto& r : refs)
    if (r.name == o.update && !r.todo.empty()) {
      std::fprintf(stderr,
                   "cposim_bench: error: '%s' is a placeholder (todo = \"%s\"): give it a case "
                   "and metrics first\n",
                   r.name.c_str(), r.todo.c_str());
      return kExitUsage;
    }
  std::vector<const CaseReference*> selected;
  for (const auto& r : refs)
    if ((wanted.empty() || std::find(wanted.begin(), wanted.end(), r.name) != wanted.end()) &&
        (!o.quick || r.quick))
      selected.push_back(&r);

  if (o.list) {
    for (const auto* r : selected)
      std::printf("%-24s %-6s %3zu metrics  %s%s\n", r->name.c_str(), r->quick ? "quick" : "",
                  r->metrics.size(),
                  r->todo.empty() ? r->case_path.c_str() : "TODO: ", r->todo.c_str());
    return kExitPass;
  }
  if (access(o.cposim.c_str(), X_OK) != 0) {
    std::fprintf(stderr, "cposim_bench: error: cannot execute '%s' (use --cposim PATH)\n",
                 o.cposim.c_str());
    return kExitUsage;
  }

  fs::path work = o.work;
  if (work.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/cposim_bench.XXXXXX";
    if (!mkdtemp(pattern.data())) {
      std::fprintf(stderr, "cposim_bench: error: cannot create a work folder\n");
      return kExitFail;
    }
    work = pattern;
  }
  fs::create_directories(work);
  const std::string scratch = (work / "scratch.txt").string();
  Provenance now{utc_now("%Y-%m-%d"), source_commit(scratch), machine_description(),
                 first_line_of({o.cposim, "--version"}, scratch)};
  std::printf("cposim_bench: %s; %s; commit %s; %s\n", now.cposim.c_str(), now.machine.c_str(),
              now.commit.c_str(), now.date.c_str());

  int failures = 0, metrics = 0, cases_run = 0, todos = 0;
  std::vector<std::string> history;
  std::string update_error;
  for (const auto* ref : selected) {
    if (!ref->todo.empty()) {
      std::printf("\n== %s: TODO, not run: %s\n", ref->name.c_str(), ref->todo.c_str());
      ++todos;
      continue;
    }
    CaseOutcome outcome = run_case(*ref, o, work);
    report_case(*ref, outcome);
    ++cases_run;
    failures += outcome.failures;
    metrics += static_cast<int>(outcome.metrics.size());
    if (!o.update.empty()) {
      update_error = update_reference(*ref, outcome, now);
      if (update_error.empty()) {
        std::printf("\nupdated %s (commit %s, %s)\n", ref->file.c_str(), now.commit.c_str(),
                    now.date.c_str());
        failures = outcome.failures = 0;  // the table above compared with the old values
      } else {
        update_error = ref->file + " not updated: " + update_error;
      }
    }
    history.push_back(history_line(*ref, outcome, now, o.threads));
  }
  if (o.history_enabled && !history.empty()) append_history(o.history, history);
  if (!update_error.empty()) {
    std::fprintf(stderr, "cposim_bench: error: %s\n", update_error.c_str());
    return kExitFail;
  }
  std::printf("\n%d case%s run%s, %d metrics, %d failure%s\n", cases_run, cases_run == 1 ? "" : "s",
              todos > 0 ? (" (" + std::to_string(todos) + " TODO)").c_str() : "", metrics, failures,
              failures == 1 ? "" : "s");
  if (failures == 0 && !o.keep && o.work.empty()) {
    std::error_code ignored;
    fs::remove_all(work, ignored);
  } else {
    std::printf("outputs and logs kept in %s\n", work.c_str());
  }
  return failures == 0 ? kExitPass : kExitFail;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 2 && (!std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h")))
    return usage(stdout, kExitPass);
  Options options;
  if (const std::string err = parse(argc, argv, options); !err.empty()) {
    std::fprintf(stderr, "cposim_bench: error: %s\n\n", err.c_str());
    return usage(stderr, kExitUsage);
  }
  try {
    return run_suite(options);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cposim_bench: error: %s\n", e.what());
    return kExitUsage;
  }
}
