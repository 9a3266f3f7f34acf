#pragma once
/// \file
/// The hypre PCG settings every hypre-based solver shares (solver/linear/amg_cg.cpp,
/// benchmarks/hypre_pfmg.cpp), through hypre's generic Krylov interface (HYPRE_krylov.h), which
/// takes ParCSR and Struct PCG objects alike. For .cpp files of hypre-based solvers only: it
/// includes hypre's headers.

#include <chrono>

#include "solver/linear/hypre_headers.hpp"
#include "solver/linear/linear_solver.hpp"

namespace cposim::solver {

/// The clock of the set-up and solve times.
using HypreClock = std::chrono::steady_clock;

/// Seconds on HypreClock since `start`.
inline double hypre_seconds_since(HypreClock::time_point start) {
  return std::chrono::duration<double>(HypreClock::now() - start).count();
}

/// Throws std::invalid_argument naming `who` unless options.relative_tolerance is finite and
/// ≥ 0 and options.max_iterations ≥ 1; then makes sure the hypre runtime is up.
void check_hypre_pcg_options(const LinearSolverOptions& options, const char* who);

/// PCG with the two-norm criterion ‖r‖₂ ≤ rtol·‖b‖₂ as LinearSolverOptions defines it (no
/// absolute tolerance), at most options.max_iterations, silent. `pcg` is a created ParCSR or
/// Struct PCG solver (cast to HYPRE_Solver); `who` names the solver in errors. Throws
/// std::runtime_error when hypre refuses a setting.
void configure_hypre_pcg(HYPRE_Solver pcg, const LinearSolverOptions& options, const char* who);

}  // namespace cposim::solver
