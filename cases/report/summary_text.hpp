#pragma once
/// \file
/// The human summary `cposim run` prints after a run.

#include <string>

#include "cases/run/run_summary.hpp"

namespace cposim::cases {

/// The human summary printed after a run: per-region T_max/T_mean in °C, hottest point,
/// hot spots and thermal resistances, energy balance, solver figures, the photonic coupling (if
/// any), time per phase.
std::string format_summary(const RunSummary& summary);

}  // namespace cposim::cases
