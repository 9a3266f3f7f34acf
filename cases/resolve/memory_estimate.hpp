#pragma once
/// \file
/// Peak memory of a run, estimated before anything is allocated, from the mode (steady or
/// transient) and the linear solver. Calibrated by benchmarks/memory_use (peak RSS of
/// `cposim run` at several sizes, steady and transient); see the constants in the .cpp.

#include <optional>

#include "cases/spec/case_spec.hpp"
#include "solver/linear/linear_solver.hpp"

namespace cposim::cases {

/// Bytes a run of `spec` needs per grid cell at its peak, with `solver` if given (the command
/// line's --solver), else the case's [solver] linear_solver.
double bytes_per_cell(const CaseSpec& spec,
                      std::optional<solver::LinearSolverKind> solver = std::nullopt);

/// The estimated peak of a run of `spec` on `cells` cells, bytes: a fixed part (the program,
/// its libraries) plus bytes_per_cell × cells.
double estimate_run_bytes(const CaseSpec& spec, double cells,
                          std::optional<solver::LinearSolverKind> solver = std::nullopt);

}  // namespace cposim::cases
