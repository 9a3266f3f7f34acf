#pragma once
/// \file
/// A case whose steady state lies beyond any material (typically lengths in mm written as µm)
/// is stopped with an error before the solve would produce NaN (cases/README.md,
/// "Plausibility").

#include "cases/run/built_problem.hpp"
#include "cases/spec/case_spec.hpp"

namespace cposim::cases {

/// A steady state whose surfaces must be hotter than this is refused before the solve (no
/// material model holds there; the solve would end in NaN or an overflow).
inline constexpr double kSteadyBoundLimit_K = 1e6;

/// Throws CaseError at [package] when the steady state has no plausible solution: without a
/// fixed-temperature face all power (blocks, layers, inflowing flux) leaves through the
/// convective faces, so the hottest surface is at least T_ambient,min + P / Σ h·A; above
/// kSteadyBoundLimit_K the message gives P, Σ h·A and the bound and asks to check the units.
void check_steady_bound(const CaseSpec& spec, const BuiltProblem& built);

}  // namespace cposim::cases
