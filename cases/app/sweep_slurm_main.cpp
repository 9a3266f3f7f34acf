/// \file
/// `cposim sweep --slurm` (write the submission folder, submit the array and the collect job
/// with sbatch) and `cposim sweep --collect` (cases/app/sweep_commands.hpp).
#include <sys/wait.h>

#include <cctype>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "cases/app/exit_codes.hpp"
#include "cases/app/sweep_commands.hpp"
#include "cases/sweep/sweep_runner.hpp"
#include "cases/sweep/sweep_slurm.hpp"
#include "postproc/io/atomic_file.hpp"

namespace cposim::cases {
namespace {

namespace fs = std::filesystem;

/// The argv as one shell command line.
std::string command_line(const std::vector<std::string>& argv) {
  std::string line;
  for (const auto& a : argv) line += (line.empty() ? "" : " ") + shell_quote(a);
  return line;
}

/// Runs `argv` through the shell and returns its exit code with its stdout and stderr in `out`.
int run_capture(const std::vector<std::string>& argv, std::string& out) {
  out.clear();
  std::FILE* pipe = ::popen((command_line(argv) + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return -1;
  char buffer[4096];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  const int status = ::pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/// Submits with sbatch; the job id, or "" after printing why not.
std::string sbatch(const std::vector<std::string>& argv) {
  std::string out;
  const int code = run_capture(argv, out);
  const auto id = parse_sbatch_job_id(out);
  if (code == 0 && id) return *id;
  std::fprintf(stderr, "cposim sweep: error: `%s` failed (exit code %d)%s%s\n",
               command_line(argv).c_str(), code, out.empty() ? "" : ": ", out.c_str());
  if (code == 127)
    std::fprintf(stderr, "cposim sweep: sbatch is not on PATH (is this a Slurm login node?)\n");
  return "";
}

/// The submission: absolute paths, the points to run and the options.
SlurmSubmission make_submission(const SweepCommandLine& cl, const std::vector<SweepPoint>& points) {
  SlurmSubmission s;
  s.cposim = fs::canonical("/proc/self/exe").string();
  s.sweep_path = fs::absolute(cl.sweep_path).lexically_normal().string();
  s.out_dir = fs::absolute(cl.out_dir).lexically_normal().string();
  if (!s.out_dir.empty() && s.out_dir.back() == '/') s.out_dir.pop_back();
  s.submit_dir = next_submit_dir(s.out_dir);
  s.job_name = "cposim-" + fs::path(cl.sweep_path).stem().string();
  for (char& c : s.job_name)  // #SBATCH --job-name takes one plain word
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '-' && c != '_' && c != '.')
      c = '_';
  s.all_hashes = distinct_hashes(points);
  s.to_run = unfinished_hashes(points, s.out_dir);
  s.options.partition = cl.partition;
  s.options.time = cl.time;
  s.options.max_parallel = cl.max_parallel;
  s.options.points_per_task = cl.points_per_task;
  s.options.threads_per_point = cl.threads > 0 ? cl.threads : 1;
  s.options.force_memory = cl.force_memory;
  s.options.ranks_per_point = cl.ranks_per_point;
  return s;
}

/// Writes manifest.json, array.sh and collect.sh into a temporary folder and renames it to
/// s.submit_dir: the submission folder appears complete or not at all.
void write_submission(const SlurmSubmission& s) {
  const fs::path final_dir(s.submit_dir);
  const fs::path temp = final_dir.parent_path() / (".tmp-" + final_dir.filename().string());
  std::error_code ec;
  fs::remove_all(temp, ec);
  fs::create_directories(temp, ec);
  if (ec) throw std::runtime_error("cannot create '" + temp.string() + "': " + ec.message());
  try {
    postproc::write_file_atomically((temp / "manifest.json").string(), slurm_manifest_json(s));
    postproc::write_file_atomically((temp / "array.sh").string(), slurm_array_script(s));
    postproc::write_file_atomically((temp / "collect.sh").string(), slurm_collect_script(s));
    fs::rename(temp, final_dir);
  } catch (const std::exception&) {
    fs::remove_all(temp, ec);
    throw;
  }
}

/// True if `path` can stand unquoted in an #SBATCH line.
bool plain_path(const std::string& path) {
  return path.find_first_of(" \t\n'\"\\$`") == std::string::npos;
}

}  // namespace

int submit_sweep_to_slurm(const SweepCommandLine& cl, const std::vector<SweepPoint>& points) {
  const SlurmSubmission s = make_submission(cl, points);
  if (!plain_path(s.out_dir)) {
    std::fprintf(stderr,
                 "cposim sweep: error: --out '%s': a Slurm sweep folder's path must not hold "
                 "spaces, quotes, '\\', '$' or '`' (it is written into #SBATCH lines)\n",
                 s.out_dir.c_str());
    return exit_bad_input;
  }
  note_foreign_points(points, s.out_dir);
  if (s.to_run.empty()) {
    std::printf(
        "sweep: all %zu points are finished in %s; nothing to submit (`cposim sweep %s --out %s "
        "--collect` rewrites the table)\n",
        s.all_hashes.size(), s.out_dir.c_str(), cl.sweep_path.c_str(), cl.out_dir.c_str());
    return exit_ok;
  }
  write_submission(s);
  std::error_code ec;
  const fs::path dir(s.submit_dir);
  const std::size_t tasks = slurm_task_count(s);
  std::printf("sweep: %zu of %zu points to run as %zu array tasks; scripts in %s/\n",
              s.to_run.size(), s.all_hashes.size(), tasks, s.submit_dir.c_str());
  if (cl.dry_run) {
    std::printf("%s\n%s\n", command_line(sbatch_array_command(s)).c_str(),
                command_line(sbatch_collect_command(s, "<ARRAY_JOB_ID>")).c_str());
    std::printf("sweep: --dry-run: nothing submitted\n");
    return exit_ok;
  }
  const std::string array_id = sbatch(sbatch_array_command(s));
  if (array_id.empty()) {
    fs::remove_all(s.submit_dir, ec);  // nothing submitted: no submission folder either
    return exit_io_error;
  }
  const std::string collect_id = sbatch(sbatch_collect_command(s, array_id));
  if (collect_id.empty()) {
    std::fprintf(stderr,
                 "cposim sweep: the array (job %s) runs; collect by hand after it: cposim sweep "
                 "%s --out %s --collect\n",
                 array_id.c_str(), cl.sweep_path.c_str(), cl.out_dir.c_str());
    return exit_io_error;
  }
  std::printf(
      "sweep: submitted array job %s (%zu tasks) and collect job %s (after it); "
      "squeue -j %s,%s\n",
      array_id.c_str(), tasks, collect_id.c_str(), array_id.c_str(), collect_id.c_str());
  postproc::write_file_atomically((dir / "jobs.txt").string(),
                                  "array " + array_id + "\ncollect " + collect_id + "\n");
  return exit_ok;
}

int collect_sweep(const SweepCommandLine& cl, const SweepSpec& spec,
                  const std::vector<SweepPoint>& points) {
  if (!cl.manifest.empty()) check_slurm_manifest(read_slurm_manifest(cl.manifest), points);
  note_foreign_points(points, cl.out_dir);
  const SweepTable table = publish_sweep_results(spec, points, cl.out_dir, "");
  std::size_t pending = 0, failed = 0;
  for (const auto& r : table.rows) {
    pending += r.status == "pending" ? 1 : 0;
    failed += r.status == "failed" ? 1 : 0;
  }
  std::printf("sweep: collected %zu points: %zu not finished, %zu failed\n", table.rows.size(),
              pending, failed);
  if (pending > 0) {
    std::fprintf(stderr,
                 "cposim sweep: %zu points have no finished result; submit again (--slurm) to "
                 "run only those\n",
                 pending);
    return exit_io_error;
  }
  return failed > 0 ? exit_not_converged : exit_ok;
}

}  // namespace cposim::cases
