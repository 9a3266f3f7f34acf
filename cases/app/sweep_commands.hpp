#pragma once
/// \file
/// What the parts of `cposim sweep` share (app-internal): the parsed command line, the tables
/// and report of a sweep folder, and the Slurm subcommands (sweep_slurm_main.cpp).

#include <string>
#include <vector>

#include "cases/sweep/sweep_spec.hpp"
#include "cases/sweep/sweep_table.hpp"

namespace cposim::cases {

/// `cposim sweep SWEEP.toml [options]` as parsed.
struct SweepCommandLine {
  std::string sweep_path, out_dir;
  int jobs = 1;
  int threads = 0;  ///< 0: not given
  bool list = false;
  bool force_memory = false;
  bool slurm = false, dry_run = false, collect = false;
  std::string partition, time;
  int max_parallel = 0;
  int points_per_task = 1;
  int ranks_per_point = 1;  ///< --ranks-per-point: each point's run on this many MPI ranks
  std::string manifest;     ///< --manifest (array tasks and the collect job)
  long array_task = -1;     ///< --array-task (≥ 0 in an array task)
};

/// Writes OUT/sweep.csv, sweep.h5, the plot and sweep_report.md from the point folders, then
/// prints the report, `run_line` (if not empty), where the files are, the best answer and the
/// verdict lines. Returns the table.
SweepTable publish_sweep_results(const SweepSpec& spec, const std::vector<SweepPoint>& points,
                                 const std::string& out_dir, const std::string& run_line);

/// `--slurm`: writes the submission folder and submits (or, with --dry-run, prints the sbatch
/// command lines). Returns the exit code.
int submit_sweep_to_slurm(const SweepCommandLine& cl, const std::vector<SweepPoint>& points);

/// `--collect [--manifest M]`: checks the manifest (if given) and publishes the results.
/// Returns 0, 3 if a point failed, 4 if points are not finished.
int collect_sweep(const SweepCommandLine& cl, const SweepSpec& spec,
                  const std::vector<SweepPoint>& points);

/// Notes on stderr the finished point folders that are no point of this sweep (left out).
void note_foreign_points(const std::vector<SweepPoint>& points, const std::string& out_dir);

}  // namespace cposim::cases
