#pragma once
/// \file
/// CaseSpec → grid, region labels, materials, power and boundaries: a solvable problem.

#include <array>
#include <functional>
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

/// One rank's share of a distributed run (issue 20): build_problem then builds the problem on
/// this rank's window of the grid (mesh::Partition::window: its own z columns plus one halo
/// layer), and the sums that span the whole grid (a block's power over its cells, the regions'
/// power) are completed by `sum_over_ranks`.
struct BuildWindow {
  int ranks = 1;
  int rank = 0;
  /// Ranks sharing this machine's memory (the memory check compares their share).
  int ranks_on_node = 1;
  /// Replaces every entry of `values` by its sum over all ranks (collective: every rank calls
  /// it the same number of times with the same size).
  std::function<void(std::vector<double>& values)> sum_over_ranks;
};

/// MemAvailable from /proc/meminfo in bytes, or nothing if it cannot be read.
std::optional<double> available_memory_bytes();

/// Builds the problem. `spec` must have passed read_case (which validates it). Throws
/// CaseError at [grid], naming the estimated cells and bytes and the keys that coarsen it, if
/// the grid would exceed `limits`; a remaining user error (e.g. a block whose power is all
/// painted over) throws CaseError with the key's location.
/// With `window` (not null), the problem of that rank's window (BuiltProblem::window); every
/// rank must call it alike. Cold plates, cavities, face statistics and face probes are not
/// built there (cases/run/run_distributed.hpp refuses them first).
BuiltProblem build_problem(const CaseSpec& spec, const BuildLimits& limits = {},
                           const BuildWindow* window = nullptr);

}  // namespace cposim::cases
