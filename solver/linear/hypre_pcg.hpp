#pragma once
/// \file
/// The hypre PCG settings every hypre-based solver shares (solver/linear/amg_cg.cpp,
/// solver/distributed/, benchmarks/hypre_pfmg.cpp), through hypre's generic Krylov interface
/// (HYPRE_krylov.h), which takes ParCSR and Struct PCG objects alike. For .cpp files of hypre-based
/// solvers only: it includes hypre's headers.

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

/// BoomerAMG as a PCG preconditioner with the measured settings (solver-measurements.md §0,
/// recommendation 1), shared by amg_cg and the distributed solver (solver/distributed/):
/// one V-cycle per application, strong threshold 0.5, one level of aggressive coarsening, HMIS
/// coarsening, ext+i interpolation truncated to 4 entries per row, l1-Gauss-Seidel down/up and
/// Gaussian elimination on the coarsest level; silent. `amg` is a created BoomerAMG solver;
/// `who` names the solver in errors. Throws std::runtime_error when hypre refuses a setting.
void configure_boomeramg_preconditioner(HYPRE_Solver amg, const char* who);

/// The hypre objects of one IJ/ParCSR matrix solved by PCG + BoomerAMG (amg_cg on one rank,
/// solver/distributed/ over many), destroyed in reverse order of creation. The caller creates
/// and fills A_ij; the rest is made here. `who` names the solver in errors (std::runtime_error).
struct HypreParCsrPcg {
  HYPRE_IJMatrix A_ij = nullptr;
  HYPRE_IJVector b_ij = nullptr;
  HYPRE_IJVector x_ij = nullptr;
  HYPRE_ParCSRMatrix A_par = nullptr;  ///< views into the IJ objects, not owned
  HYPRE_ParVector b_par = nullptr;
  HYPRE_ParVector x_par = nullptr;
  HYPRE_Solver amg = nullptr;
  HYPRE_Solver pcg = nullptr;

  HypreParCsrPcg() = default;
  HypreParCsrPcg(const HypreParCsrPcg&) = delete;
  HypreParCsrPcg& operator=(const HypreParCsrPcg&) = delete;
  ~HypreParCsrPcg();

  /// Assembles A_ij (after its values were set) and takes its ParCSR view into A_par.
  void assemble_matrix(const char* who);
  /// Creates b and x on this rank's rows [first, last] of `comm`, allocated once.
  void create_vectors(MPI_Comm comm, HYPRE_BigInt first, HYPRE_BigInt last, const char* who);
  /// Replaces amg and pcg by new ones with the shared settings (configure_boomeramg_
  /// preconditioner, configure_hypre_pcg) and builds the hierarchy of A_par.
  void setup_solver(MPI_Comm comm, const LinearSolverOptions& options, const char* who);
  /// Frees amg and pcg (the old hierarchy goes before a new one is built).
  void destroy_solver();
  /// PCG from x on this rank's `count` rows `rows`: b and x copied in, x copied back.
  /// Returns hypre's status (non-zero: max_iterations or a breakdown; not thrown) and sets
  /// `iterations`.
  int solve(int count, const HYPRE_BigInt* rows, const double* b, double* x, int& iterations,
            const char* who);
};

}  // namespace cposim::solver
