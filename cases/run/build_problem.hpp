#pragma once
/// \file
/// CaseSpec → grid, region labels, materials, power and boundaries: a solvable problem.

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cases/resolve/case_check.hpp"
#include "cases/run/built_problem.hpp"
#include "cases/spec/case_spec.hpp"
#include "solver/steady.hpp"

namespace cposim::cases {

/// What build_problem may allocate. The estimate of the grid (estimate_grid) is checked
/// against both before the grid is built.
struct BuildLimits {
  /// Largest grid accepted, cells. Fuzzing sets far fewer, so inputs stay cheap.
  double max_cells = kMaxGridCells;
  /// Memory the run may use, bytes; 0 = what the machine has available now
  /// (available_memory_bytes(); no memory check if that is unknown).
  double memory_bytes = 0.0;
  /// false: no memory check (`cposim run --force-memory`); the cell limit still holds.
  bool check_memory = true;
  /// The solver the run will use if not the case's (`--solver`), for the memory estimate.
  std::optional<solver::LinearSolverKind> linear_solver;
};

/// MemAvailable from /proc/meminfo in bytes, or nothing if it cannot be read.
std::optional<double> available_memory_bytes();

/// Builds the problem. `spec` must have passed read_case (which validates it). Throws
/// CaseError at [grid], naming the estimated cells and bytes and the keys that coarsen it, if
/// the grid would exceed `limits`; a remaining user error (e.g. a block whose power is all
/// painted over) throws CaseError with the key's location.
BuiltProblem build_problem(const CaseSpec& spec, const BuildLimits& limits = {});

}  // namespace cposim::cases
