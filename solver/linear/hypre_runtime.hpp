#pragma once
/// \file
/// Process-wide MPI + hypre lifetime and hypre error checking, shared by every hypre-based
/// solver (solver/linear/amg_cg.cpp, benchmarks/hypre_pfmg.cpp). Only in builds with
/// CPOSIM_WITH_HYPRE. Includes no MPI or hypre header.

namespace cposim::solver {

/// Starts MPI (as a singleton, MPI_THREAD_FUNNELED, only if nobody started it) and hypre on
/// first call; both are stopped at normal process exit, after every object constructed later
/// than the first call is destroyed, so all hypre objects are gone before HYPRE_Finalize.
/// MPI is finalised only if this function started it. Thread-safe first call.
/// Throws std::runtime_error if MPI was already finalised or cannot start.
void ensure_hypre_runtime();

/// Throws std::runtime_error "<who>: <what> failed: <hypre's description>" if `status` (a
/// hypre error flag) is non-zero, after clearing hypre's sticky global error state.
void check_hypre(int status, const char* who, const char* what);

}  // namespace cposim::solver
