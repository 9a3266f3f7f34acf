#pragma once
/// \file
/// SIGINT and SIGTERM as a stop request: `cposim run` and `cposim sweep` install the same
/// handlers; the solver (LinearSolverOptions::cancel) and the sweep runner poll the flag.

#include <atomic>

namespace cposim::cases {

/// Set by the first SIGINT or SIGTERM.
std::atomic<bool>& stop_requested();

/// The signal that asked to stop, or 0.
int stop_signal();

/// "SIGTERM" or "SIGINT" for `signal_number`.
const char* signal_name(int signal_number);

/// Installs the handlers. With `second_ends_process` the first signal only asks to stop and
/// SA_RESETHAND restores the default, so a second one ends the process at once (temporaries
/// may then remain, never a partial file under a final name).
void install_stop_handlers(bool second_ends_process);

}  // namespace cposim::cases
