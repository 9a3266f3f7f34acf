#pragma once
/// \file
/// The exit codes of `cposim` (documented in README.md) and the outcome of a run they map to.
/// Only the app decides exit codes; the library reports outcomes and throws.

#include <cstdio>
#include <exception>
#include <string>

#include "cases/run/run_summary.hpp"
#include "cases/spec/case_error.hpp"

namespace cposim::cases {

/// Exit codes of `cposim` (documented in README.md).
enum ExitCode : int {
  exit_ok = 0,
  exit_internal_error = 1,  ///< a bug: please report
  exit_bad_input = 2,       ///< bad command line or case file; nothing written
  exit_not_converged = 3,   ///< results written but flagged converged = 0
  exit_io_error = 4,        ///< results could not be written
  /// Thermal runaway of a block power P(T): results of the last iterate written, flagged
  /// runaway = 1, converged = 0 (see cases/run/leakage.hpp).
  exit_thermal_runaway = 5,
  exit_interrupted = 130,  ///< stopped by SIGINT (128 + 2; SIGTERM gives 143); nothing written
};

/// The exit code of a run that returned: exit_ok, exit_not_converged or exit_thermal_runaway.
inline int exit_code(const RunSummary& summary) {
  switch (summary.outcome()) {
    case RunOutcome::ok:
      return exit_ok;
    case RunOutcome::thermal_runaway:
      return exit_thermal_runaway;
    case RunOutcome::not_converged:
      break;
  }
  return exit_not_converged;
}

/// Prints a case error (its text is already "file:line:col: error: …") to stderr and returns
/// exit_bad_input.
inline int bad_input_exit(const CaseError& e) {
  std::fprintf(stderr, "%s\n", e.what());
  return exit_bad_input;
}

/// Prints "<who>: internal error: <what> (please report)" to stderr and returns
/// exit_internal_error: what escaped is a bug.
inline int internal_error_exit(const std::string& who, const std::exception& e) {
  std::fprintf(stderr, "%s: internal error: %s (please report)\n", who.c_str(), e.what());
  return exit_internal_error;
}

}  // namespace cposim::cases
