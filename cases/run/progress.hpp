#pragma once
/// \file
/// Progress of a run as plain events (RunOptions::progress): main shows them on a terminal
/// or writes them as JSON lines (--log); the library only calls the callback.

#include <limits>
#include <string>

namespace cposim::cases {

/// One thing that happened during run_case.
///
/// Phases, in the order a run reports them: "build" (grid, labels, materials, power),
/// "assembly", "setup" (preconditioner or factorisation), "solve" (linear iterations),
/// "coupling" (photonic coupling loop, one event per thermal solve), "postprocess",
/// "write", "done". "assembly", "setup" and "solve" repeat for every Picard step and every
/// coupling iteration; "setup" is skipped when the matrix did not change.
struct ProgressEvent {
  /// Linear-solver iteration events come at most this often (plus the last of each solve).
  static constexpr double kMinInterval_s = 0.2;

  std::string phase;
  std::string message;  ///< one line for people, e.g. "grid 40 x 30 x 12 = 14400 cells"
  int iteration = -1;   ///< linear iteration ("solve") or coupling iteration; −1 = none
  /// Relative residual ("solve") or relative power change ("coupling"); NaN = none.
  double residual = std::numeric_limits<double>::quiet_NaN();
  /// Share of the run done, 0..1, where it is known (phase boundaries); NaN = unknown.
  double fraction = std::numeric_limits<double>::quiet_NaN();
};

}  // namespace cposim::cases
