#pragma once
/// \file
/// A sweep as Slurm jobs (cases/README.md, "Sweeps on Slurm"): a job array whose tasks run the
/// resumable point runner (sweep_runner.hpp) on their share of the points, and a collect job,
/// dependent on the array (afterany), that writes the sweep's tables, report and plot. Every
/// submission gets its own folder OUT/slurm/submit-<k>/ with
///
///     manifest.json   the sweep file, the hashes of every point and of the points to run
///     array.sh        the job array: task i runs points [i·n, (i+1)·n) of the points to run
///     collect.sh      the collect job
///     *.log           what the tasks and the collect job print
///
/// Only points without a finished result are submitted, so a resubmission after a cancelled
/// or failed array runs nothing twice. A task and the collect job refuse (SweepChanged) when
/// the sweep no longer expands to the submitted points, i.e. the sweep or its base case was
/// edited after the submission: old and new results are never mixed. Pure text functions and
/// small file helpers; the app submits with sbatch and prints.

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "cases/sweep/sweep_spec.hpp"

namespace cposim::cases {

/// The sweep changed since it was submitted (or a manifest is unreadable, or has no such
/// task): a task or collect job must not run. The message says what differs and what to do.
class SweepChanged : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Options of `cposim sweep --slurm`.
struct SlurmOptions {
  std::string partition;      ///< "" : the cluster's default partition
  std::string time;           ///< per task, Slurm's format; "" : the partition's default
  int max_parallel = 0;       ///< array tasks running at once (%N); 0 : no limit
  int points_per_task = 1;    ///< points one array task runs, one after another
  int threads_per_point = 1;  ///< OpenMP threads of a point = the task's --cpus-per-task
  bool force_memory = false;  ///< pass --force-memory to every point's run
  /// MPI ranks of every point's run (`--ranks-per-point`): the array task asks Slurm for that
  /// many tasks and runs each point with `mpirun -np N` inside its allocation.
  int ranks_per_point = 1;
};

/// One submission: where everything is and what runs.
struct SlurmSubmission {
  std::string cposim;                   ///< absolute path of the cposim executable the jobs run
  std::string sweep_path;               ///< absolute path of the sweep file
  std::string out_dir;                  ///< absolute sweep folder
  std::string submit_dir;               ///< absolute OUT/slurm/submit-<k>
  std::string job_name;                 ///< "cposim-<sweep file stem>"
  std::vector<std::string> all_hashes;  ///< every distinct point of the sweep, in order
  std::vector<std::string> to_run;      ///< the distinct points without a finished result
  SlurmOptions options;
};

/// "" if `time` is a Slurm time limit (M, M:S, H:M:S, D-H, D-H:M, D-H:M:S, all digits, or
/// "UNLIMITED"/"INFINITE"), else why not.
std::string check_slurm_time(const std::string& time);

/// "" if `partition` can be a partition name (letters, digits, '-', '_', '.', ','), else why not.
std::string check_slurm_partition(const std::string& partition);

/// Array tasks of a submission: ceil(to_run / points_per_task).
std::size_t slurm_task_count(const SlurmSubmission& s);

/// `text` quoted for a POSIX shell: 'text' with every ' written '\''.
std::string shell_quote(const std::string& text);

/// The job array's batch script (array.sh).
std::string slurm_array_script(const SlurmSubmission& s);

/// The collect job's batch script (collect.sh).
std::string slurm_collect_script(const SlurmSubmission& s);

/// manifest.json of a submission.
std::string slurm_manifest_json(const SlurmSubmission& s);

/// The argv that submits the array: sbatch --parsable SUBMIT/array.sh.
std::vector<std::string> sbatch_array_command(const SlurmSubmission& s);

/// The argv that submits the collect job after the array `array_job_id` has ended:
/// sbatch --parsable --dependency=afterany:ID SUBMIT/collect.sh.
std::vector<std::string> sbatch_collect_command(const SlurmSubmission& s,
                                                const std::string& array_job_id);

/// The job id in what `sbatch --parsable` printed ("1234" or "1234;cluster", possibly after
/// warning lines); none if there is none.
std::optional<std::string> parse_sbatch_job_id(const std::string& output);

/// A submission's manifest as read back.
struct SlurmManifest {
  std::string path;
  std::string sweep_path;
  std::vector<std::string> all_hashes, to_run;
  int points_per_task = 1;
};

/// Reads manifest.json; throws SweepChanged if it is missing or not one.
SlurmManifest read_slurm_manifest(const std::string& path);

/// The points array task `task` runs, checked against the sweep as it expands now: throws
/// SweepChanged if a submitted point is no longer a point of the sweep or if `task` is not a
/// task of the manifest.
std::vector<SweepPoint> slurm_task_points(const SlurmManifest& manifest,
                                          const std::vector<SweepPoint>& points, long task);

/// Throws SweepChanged unless the sweep as it expands now has exactly the submitted points
/// (the collect job's check).
void check_slurm_manifest(const SlurmManifest& manifest, const std::vector<SweepPoint>& points);

/// The distinct hashes of `points` in order, and those without a finished result in `out_dir`.
std::vector<std::string> distinct_hashes(const std::vector<SweepPoint>& points);
std::vector<std::string> unfinished_hashes(const std::vector<SweepPoint>& points,
                                           const std::string& out_dir);

/// The folder of the next submission: OUT/slurm/submit-<k>, k one more than the largest there.
std::string next_submit_dir(const std::string& out_dir);

/// Finished point folders in OUT/points that are no point of the sweep (an earlier version of
/// the sweep or its base case): their hashes, sorted. The tables leave them out.
std::vector<std::string> foreign_point_folders(const std::vector<SweepPoint>& points,
                                               const std::string& out_dir);

}  // namespace cposim::cases
