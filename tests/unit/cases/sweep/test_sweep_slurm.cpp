/// \file
/// Sweeps on Slurm (cases/sweep/sweep_slurm.hpp): the batch scripts and sbatch command lines
/// from a submission, Slurm's time and partition formats, sbatch's job id, the manifest round
/// trip, which points a task runs, the refusal when the sweep changed, the resubmit set (only
/// unfinished points) and the runner's shared lock.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "cases/sweep/sweep_runner.hpp"
#include "cases/sweep/sweep_slurm.hpp"
#include "tests/support/scratch_dir.hpp"

namespace fs = std::filesystem;
using namespace cposim::cases;
using cposim::testing::ScratchDir;

namespace {

SlurmSubmission submission(std::size_t to_run, int per_task) {
  SlurmSubmission s;
  s.cposim = "/opt/cposim/bin/cposim";
  s.sweep_path = "/home/u/study/sweep.toml";
  s.out_dir = "/scratch/u/study_sweep";
  s.submit_dir = "/scratch/u/study_sweep/slurm/submit-1";
  s.job_name = "cposim-sweep";
  for (std::size_t i = 0; i < to_run + 2; ++i) s.all_hashes.push_back("h" + std::to_string(i));
  for (std::size_t i = 0; i < to_run; ++i) s.to_run.push_back("h" + std::to_string(i + 2));
  s.options.points_per_task = per_task;
  return s;
}

/// Points carrying only their hashes (what the manifest checks look at).
std::vector<SweepPoint> points_with(const std::vector<std::string>& hashes) {
  std::vector<SweepPoint> points;
  for (const auto& h : hashes) {
    SweepPoint p;
    p.index = points.size();
    p.hash = h;
    points.push_back(p);
  }
  return points;
}

void write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

/// The line both scripts end with, for submission(): the point runner with `tail` after it.
std::string exec_line(const std::string& tail) {
  return "exec '/opt/cposim/bin/cposim' sweep '/home/u/study/sweep.toml' --out "
         "'/scratch/u/study_sweep' --manifest "
         "'/scratch/u/study_sweep/slurm/submit-1/manifest.json' " +
         tail + "\n";
}

}  // namespace

TEST_CASE("check_slurm_time: Slurm's --time formats pass, anything else is refused") {
  for (const char* ok : {"30", "30:00", "2:30:00", "1-0", "1-12", "1-12:30", "1-12:30:15",
                         "UNLIMITED", "INFINITE"}) {
    INFO(ok);
    CHECK(check_slurm_time(ok).empty());
  }
  for (const char* bad : {"", "1h", "1:2:3:4", "-1", "1-", "a-1", "1:", "1:x", "1.5", "1 0"}) {
    INFO(bad);
    CHECK(contains(check_slurm_time(bad), "D-H:M:S"));
  }
}

TEST_CASE("check_slurm_partition: names pass, shell and #SBATCH characters do not") {
  CHECK(check_slurm_partition("gpu-a100_long.v2").empty());
  CHECK(check_slurm_partition("debug,batch").empty());
  CHECK_FALSE(check_slurm_partition("").empty());
  CHECK(contains(check_slurm_partition("a b"), "'a b'"));
  CHECK_FALSE(check_slurm_partition("x;rm").empty());
}

TEST_CASE("shell_quote: single quotes, an embedded quote closed and reopened") {
  CHECK(shell_quote("/a b/c") == "'/a b/c'");
  CHECK(shell_quote("it's") == "'it'\\''s'");
  CHECK(shell_quote("") == "''");
}

TEST_CASE("slurm_array_script: one task per chunk of points, throttle, limits, the runner") {
  SlurmSubmission s = submission(7, 3);
  s.options.partition = "batch";
  s.options.time = "0-02:00:00";
  s.options.max_parallel = 2;
  s.options.threads_per_point = 4;
  CHECK(slurm_task_count(s) == 3);  // ceil(7 / 3)
  const std::string text = slurm_array_script(s);
  CHECK(text.rfind("#!/bin/bash\n", 0) == 0);
  CHECK(contains(text, "#SBATCH --job-name=cposim-sweep\n"));
  CHECK(contains(text, "#SBATCH --array=0-2%2\n"));
  CHECK(contains(text, "#SBATCH --ntasks=1\n"));
  CHECK(contains(text, "#SBATCH --cpus-per-task=4\n"));
  CHECK(contains(text, "#SBATCH --partition=batch\n"));
  CHECK(contains(text, "#SBATCH --time=0-02:00:00\n"));
  CHECK(contains(text, "#SBATCH --output=/scratch/u/study_sweep/slurm/submit-1/task-%A_%a.log\n"));
  CHECK(contains(text, exec_line("--array-task \"$SLURM_ARRAY_TASK_ID\" --threads 4")));
  CHECK_FALSE(contains(text, "--force-memory"));

  SlurmSubmission plain = submission(6, 1);
  plain.options.force_memory = true;
  const std::string text1 = slurm_array_script(plain);
  CHECK(slurm_task_count(plain) == 6);
  CHECK(contains(text1, "#SBATCH --array=0-5\n"));  // no throttle
  CHECK(contains(text1, "#SBATCH --cpus-per-task=1\n"));
  CHECK_FALSE(contains(text1, "--partition"));
  CHECK_FALSE(contains(text1, "--time"));
  CHECK(contains(text1, "--threads 1 --force-memory\n"));
}

TEST_CASE("slurm_collect_script and the sbatch command lines") {
  SlurmSubmission s = submission(4, 1);
  s.options.partition = "batch";
  s.options.threads_per_point = 8;
  const std::string text = slurm_collect_script(s);
  CHECK(contains(text, "#SBATCH --job-name=cposim-sweep-collect\n"));
  CHECK(contains(text, "#SBATCH --cpus-per-task=1\n"));  // the collect job needs one
  CHECK(contains(text, "#SBATCH --partition=batch\n"));
  CHECK_FALSE(contains(text, "--array"));
  CHECK(contains(text, "#SBATCH --output=/scratch/u/study_sweep/slurm/submit-1/collect-%j.log\n"));
  CHECK(contains(text, exec_line("--collect")));
  CHECK(sbatch_array_command(s) ==
        std::vector<std::string>{"sbatch", "--parsable",
                                 "/scratch/u/study_sweep/slurm/submit-1/array.sh"});
  CHECK(sbatch_collect_command(s, "4711") ==
        std::vector<std::string>{"sbatch", "--parsable", "--dependency=afterany:4711",
                                 "/scratch/u/study_sweep/slurm/submit-1/collect.sh"});
}

TEST_CASE("parse_sbatch_job_id: --parsable output, with a cluster name or after warnings") {
  CHECK(parse_sbatch_job_id("1234\n") == "1234");
  CHECK(parse_sbatch_job_id("1234;cluster_a\n") == "1234");
  CHECK(parse_sbatch_job_id("sbatch: warning: x\n567\n") == "567");
  CHECK_FALSE(parse_sbatch_job_id("sbatch: error: invalid partition specified: y\n"));
  CHECK_FALSE(parse_sbatch_job_id(""));
}

TEST_CASE("manifest: round trip, the points of each task, a task out of range") {
  ScratchDir dir("sweep_slurm_manifest");
  const SlurmSubmission s = submission(5, 2);
  write(dir.path / "manifest.json", slurm_manifest_json(s));
  const SlurmManifest m = read_slurm_manifest((dir.path / "manifest.json").string());
  CHECK(m.sweep_path == s.sweep_path);
  CHECK(m.all_hashes == s.all_hashes);
  CHECK(m.to_run == s.to_run);
  CHECK(m.points_per_task == 2);
  const std::vector<SweepPoint> points = points_with(s.all_hashes);
  const auto hashes = [&](long task) {
    std::vector<std::string> out;
    for (const auto& p : slurm_task_points(m, points, task)) out.push_back(p.hash);
    return out;
  };
  CHECK(hashes(0) == std::vector<std::string>{"h2", "h3"});
  CHECK(hashes(1) == std::vector<std::string>{"h4", "h5"});
  CHECK(hashes(2) == std::vector<std::string>{"h6"});
  CHECK_THROWS_WITH_AS(slurm_task_points(m, points, 3), doctest::Contains("is not a task of"),
                       SweepChanged);
  CHECK_THROWS_AS(slurm_task_points(m, points, -1), SweepChanged);

  write(dir.path / "bad.json", "{\"points\": 3}");
  CHECK_THROWS_AS(read_slurm_manifest((dir.path / "bad.json").string()), SweepChanged);
  CHECK_THROWS_AS(read_slurm_manifest((dir.path / "none.json").string()), SweepChanged);
}

TEST_CASE("manifest: an edited sweep or base case is refused, never mixed in") {
  const SlurmSubmission s = submission(3, 1);
  SlurmManifest m;
  m.path = "m.json";
  m.all_hashes = s.all_hashes;
  m.to_run = s.to_run;
  CHECK_NOTHROW(check_slurm_manifest(m, points_with(s.all_hashes)));
  std::vector<std::string> edited = s.all_hashes;
  edited[4] = "h4-new";  // one point's case changed
  try {
    slurm_task_points(m, points_with(edited), 0);  // a task whose own point did not change
    FAIL("no SweepChanged");
  } catch (const SweepChanged& e) {
    const std::string what = e.what();
    CHECK(contains(what, "the sweep changed since it was submitted (m.json)"));
    CHECK(contains(what, "1 of its 5 submitted points are no longer points of it and 1 are new"));
    CHECK(contains(what, "Submit it again with --slurm"));
  }
  std::vector<std::string> fewer(s.all_hashes.begin(), s.all_hashes.end() - 1);
  CHECK_THROWS_AS(check_slurm_manifest(m, points_with(fewer)), SweepChanged);
}

TEST_CASE("resubmit: only distinct unfinished points, foreign folders, submission folders") {
  ScratchDir dir("sweep_slurm_resubmit");
  const std::string out = dir.path.string();
  const std::vector<SweepPoint> points = points_with({"a1", "b2", "a1", "c3", "d4"});
  CHECK(distinct_hashes(points) == std::vector<std::string>{"a1", "b2", "c3", "d4"});
  CHECK(unfinished_hashes(points, out) == std::vector<std::string>{"a1", "b2", "c3", "d4"});
  write(dir.path / "points/a1/point.json", "{\"exit_code\": 0}\n");
  write(dir.path / "points/c3/point.json", "{\"exit_code\": 3}\n");  // failed: finished too
  write(dir.path / "points/d4/point.json", "{\"exit_co");            // damaged: runs again
  write(dir.path / "points/.tmp-b2-77/case.toml", "");               // a killed run of b2
  write(dir.path / "points/e5/point.json", "{\"exit_code\": 0}\n");  // an earlier version's
  CHECK(unfinished_hashes(points, out) == std::vector<std::string>{"b2", "d4"});
  CHECK(foreign_point_folders(points, out) == std::vector<std::string>{"e5"});

  CHECK(next_submit_dir(out) == (dir.path / "slurm/submit-1").string());
  fs::create_directories(dir.path / "slurm/submit-1");
  fs::create_directories(dir.path / "slurm/submit-12");
  fs::create_directories(dir.path / "slurm/submit-x");
  CHECK(next_submit_dir(out) == (dir.path / "slurm/submit-13").string());
}

TEST_CASE("run_sweep_points, shared lock: beside other tasks, not beside a local sweep") {
  ScratchDir dir("sweep_slurm_lock");
  const std::string out = dir.path.string();
  write(dir.path / "points/a1/point.json", "{\"exit_code\": 0}\n");
  write(dir.path / "points/.tmp-a1-5/case.toml", "");
  write(dir.path / "points/.tmp-b2-6/case.toml", "");  // another task's running point
  SweepRunOptions options;
  options.out_dir = out;
  options.shared_lock = true;
  const int fd = ::open((dir.path / ".lock").c_str(), O_CREAT | O_RDWR, 0644);
  REQUIRE(fd >= 0);
  REQUIRE(::flock(fd, LOCK_SH) == 0);  // another array task holds it
  const SweepRunReport report = run_sweep_points(points_with({"a1"}), options);
  CHECK(report.skipped == 1);
  CHECK_FALSE(fs::exists(dir.path / "points/.tmp-a1-5"));  // its own temporary: removed
  CHECK(fs::exists(dir.path / "points/.tmp-b2-6"));        // another point's: kept
  options.shared_lock = false;                             // a local sweep
  CHECK_THROWS_AS(run_sweep_points(points_with({"a1"}), options), std::runtime_error);
  REQUIRE(::flock(fd, LOCK_UN) == 0);
  REQUIRE(::flock(fd, LOCK_EX) == 0);  // a local sweep holds it
  options.shared_lock = true;
  CHECK_THROWS_AS(run_sweep_points(points_with({"a1"}), options), std::runtime_error);
  ::close(fd);
}
