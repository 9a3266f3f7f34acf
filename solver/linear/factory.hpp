#pragma once
/// \file
/// The linear solver factory: a LinearSolverKind to its solver. Apart from the interface
/// (linear_solver.hpp), which every solver includes, so that it depends on none of them.

#include <array>
#include <cstddef>
#include <memory>

#include "solver/linear/linear_solver.hpp"

namespace cposim::solver {

/// Creates the solver for `options.kind` (resolving `automatic` to gmg_cg) for the
/// 7-point system of a grid with `cells_per_axis` cells (x fastest, then y, then z).
/// Throws std::invalid_argument if the kind is not available in this build.
std::unique_ptr<LinearSolver> make_linear_solver(const LinearSolverOptions& options,
                                                 const std::array<std::size_t, 3>& cells_per_axis);

}  // namespace cposim::solver
