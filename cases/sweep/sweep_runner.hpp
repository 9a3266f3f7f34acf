#pragma once
/// \file
/// Runs the points of a sweep, each as its own `cposim run` child process, into one folder per
/// point keyed by the point's hash:
///
///     OUT/points/<hash>/            a finished point (renamed into place when its run ended)
///         case.toml                 the point's case file
///         point.json                exit code, signal, wall time, error text, threads
///         stdout.log, stderr.log    the child's output
///         results.h5, summary.json, ...   what `cposim run` wrote
///     OUT/points/.tmp-<hash>-<pid>/ a point being run (removed when a later sweep starts)
///     OUT/.lock                     held (flock) while a sweep runs in OUT
///
/// A point is finished only once its folder has been renamed into place, so a sweep killed at
/// any moment (kill -9 included) loses nothing finished, and the next run in the same folder
/// skips finished points and redoes the rest. A child that fails for a reason of its case (bad
/// input, not converged, a temperature runaway, an internal error) is finished with its exit
/// code; a child stopped by a signal, interrupted (130/143) or unable to write its results (4)
/// is not, so it is retried next time. Prints nothing: progress goes through a callback.

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "cases/sweep/sweep_spec.hpp"

namespace cposim::cases {

/// Something that happened to one point.
struct SweepEvent {
  enum class Kind { skipped, started, finished, unfinished };
  Kind kind = Kind::started;
  std::size_t point = 0;  ///< SweepPoint::index
  std::string hash;
  int exit_code = 0;      ///< finished / unfinished: the child's exit code (−1: signal)
  int signal = 0;         ///< the signal that ended the child, 0 if none
  double wall_s = 0.0;    ///< finished / unfinished
  std::string error;      ///< the child's last error line, if it failed
  int running = 0;        ///< children running after this event
  std::size_t done = 0;   ///< points finished so far, this run or earlier
  std::size_t total = 0;  ///< distinct points of the sweep
};

struct SweepRunOptions {
  std::string out_dir;
  int jobs = 1;               ///< children run at once, ≥ 1
  int threads_per_job = 0;    ///< OpenMP threads per child; 0: max(1, cores / jobs)
  std::string executable;     ///< the cposim to run (main passes /proc/self/exe)
  bool force_memory = false;  ///< pass --force-memory to every point's `cposim run`
  /// > 1: every point's run is `mpirun -np N --bind-to none cposim run …` (MPI ranks of one
  /// distributed run; inside a Slurm allocation mpirun takes its hosts from Slurm).
  int ranks_per_point = 1;
  /// An array task of a Slurm sweep (sweep_slurm.hpp): OUT/.lock is taken shared, so tasks run
  /// side by side while a local sweep in OUT excludes them, and only the temporaries of its
  /// own points are removed (other tasks' are running).
  bool shared_lock = false;
  /// Checked while waiting: once set, no new point starts and running children get SIGTERM
  /// (they end as "unfinished"). Lent; may be null.
  const std::atomic<bool>* cancel = nullptr;
  /// Called for every event, on the calling thread (may be empty). Must not throw.
  std::function<void(const SweepEvent&)> on_event;
};

/// What run_sweep_points did.
struct SweepRunReport {
  std::size_t points = 0;      ///< distinct points (equal hashes run once)
  std::size_t skipped = 0;     ///< finished before this run
  std::size_t finished = 0;    ///< finished by this run (successfully or not)
  std::size_t failed = 0;      ///< of those, with a non-zero exit code
  std::size_t unfinished = 0;  ///< stopped, interrupted or not started (cancel)
  bool cancelled = false;
  int threads_per_job = 0;
};

/// The folder of a finished point: OUT/points/<hash>.
std::string point_dir(const std::string& out_dir, const std::string& hash);

/// True if OUT/points/<hash> holds a readable point.json (a finished point).
bool point_finished(const std::string& out_dir, const std::string& hash);

/// Runs every point not yet finished in `options.out_dir`, at most `jobs` at a time. Creates
/// the folders it needs, takes OUT/.lock (throws std::runtime_error if another sweep holds it
/// or a folder cannot be made) and removes temporaries an earlier, killed sweep left behind.
/// Children die with the sweep (PR_SET_PDEATHSIG), so a killed sweep leaves no orphans.
SweepRunReport run_sweep_points(const std::vector<SweepPoint>& points,
                                const SweepRunOptions& options);

}  // namespace cposim::cases
