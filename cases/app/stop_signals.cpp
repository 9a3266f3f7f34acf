/// \file
/// The stop-request handlers (stop_signals.hpp).
#include "cases/app/stop_signals.hpp"

#include <csignal>

namespace cposim::cases {
namespace {

std::atomic<bool> g_stop{false};
volatile std::sig_atomic_t g_signal = 0;
static_assert(std::atomic<bool>::is_always_lock_free, "g_stop is set in a signal handler");

extern "C" void on_stop_signal(int signal_number) {
  g_signal = signal_number;
  g_stop.store(true, std::memory_order_relaxed);
}

}  // namespace

std::atomic<bool>& stop_requested() { return g_stop; }

int stop_signal() { return static_cast<int>(g_signal); }

const char* signal_name(int signal_number) {
  return signal_number == SIGTERM ? "SIGTERM" : "SIGINT";
}

void install_stop_handlers(bool second_ends_process) {
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = second_ends_process ? SA_RESETHAND : 0;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

}  // namespace cposim::cases
