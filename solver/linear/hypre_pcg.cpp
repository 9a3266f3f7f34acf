/// \file
/// The shared hypre PCG settings (hypre_pcg.hpp).
#include "solver/linear/hypre_pcg.hpp"

#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>

#include "solver/linear/hypre_runtime.hpp"

namespace cposim::solver {

void check_hypre_pcg_options(const LinearSolverOptions& options, const char* who) {
  if (!(options.relative_tolerance >= 0.0) || !std::isfinite(options.relative_tolerance)) {
    throw std::invalid_argument(std::string(who) +
                                ": relative_tolerance must be finite and >= 0, got " +
                                std::to_string(options.relative_tolerance));
  }
  if (options.max_iterations < 1) {
    throw std::invalid_argument(std::string(who) + ": max_iterations must be >= 1, got " +
                                std::to_string(options.max_iterations));
  }
  ensure_hypre_runtime();
}

void configure_hypre_pcg(HYPRE_Solver pcg, const LinearSolverOptions& options, const char* who) {
  check_hypre(HYPRE_PCGSetTwoNorm(pcg, 1), who, "HYPRE_PCGSetTwoNorm");
  check_hypre(HYPRE_PCGSetTol(pcg, options.relative_tolerance), who, "HYPRE_PCGSetTol");
  check_hypre(HYPRE_PCGSetAbsoluteTol(pcg, 0.0), who, "HYPRE_PCGSetAbsoluteTol");
  check_hypre(HYPRE_PCGSetMaxIter(pcg, options.max_iterations), who, "HYPRE_PCGSetMaxIter");
  check_hypre(HYPRE_PCGSetPrintLevel(pcg, 0), who, "HYPRE_PCGSetPrintLevel");
  check_hypre(HYPRE_PCGSetLogging(pcg, 0), who, "HYPRE_PCGSetLogging");
}

void configure_boomeramg_preconditioner(HYPRE_Solver amg, const char* who) {
  // One V-cycle per application (MaxIter 1, Tol 0). solver-measurements.md §0: strong
  // threshold 0.5 and one aggressive-coarsening level were measured best (1.6 s set-up +
  // 0.75 s solve at 1M cells against 7.3 + 2.6 s with hypre's 0.25). The rest are hypre
  // 2.26's defaults, set explicitly so a newer hypre cannot change them: HMIS (10), ext+i (6)
  // with at most 4 entries per row, l1-Gauss-Seidel forward (13) down, backward (14) up,
  // Gaussian elimination (9) on the coarsest level.
  check_hypre(HYPRE_BoomerAMGSetPrintLevel(amg, 0), who, "HYPRE_BoomerAMGSetPrintLevel");
  check_hypre(HYPRE_BoomerAMGSetLogging(amg, 0), who, "HYPRE_BoomerAMGSetLogging");
  check_hypre(HYPRE_BoomerAMGSetMaxIter(amg, 1), who, "HYPRE_BoomerAMGSetMaxIter");
  check_hypre(HYPRE_BoomerAMGSetTol(amg, 0.0), who, "HYPRE_BoomerAMGSetTol");
  check_hypre(HYPRE_BoomerAMGSetStrongThreshold(amg, 0.5), who,
              "HYPRE_BoomerAMGSetStrongThreshold");
  check_hypre(HYPRE_BoomerAMGSetAggNumLevels(amg, 1), who, "HYPRE_BoomerAMGSetAggNumLevels");
  check_hypre(HYPRE_BoomerAMGSetCoarsenType(amg, 10), who, "HYPRE_BoomerAMGSetCoarsenType");
  check_hypre(HYPRE_BoomerAMGSetInterpType(amg, 6), who, "HYPRE_BoomerAMGSetInterpType");
  check_hypre(HYPRE_BoomerAMGSetPMaxElmts(amg, 4), who, "HYPRE_BoomerAMGSetPMaxElmts");
  check_hypre(HYPRE_BoomerAMGSetCycleRelaxType(amg, 13, 1), who,
              "HYPRE_BoomerAMGSetCycleRelaxType");
  check_hypre(HYPRE_BoomerAMGSetCycleRelaxType(amg, 14, 2), who,
              "HYPRE_BoomerAMGSetCycleRelaxType");
  check_hypre(HYPRE_BoomerAMGSetCycleRelaxType(amg, 9, 3), who, "HYPRE_BoomerAMGSetCycleRelaxType");
}

HypreParCsrPcg::~HypreParCsrPcg() {
  destroy_solver();
  if (x_ij != nullptr) HYPRE_IJVectorDestroy(x_ij);
  if (b_ij != nullptr) HYPRE_IJVectorDestroy(b_ij);
  if (A_ij != nullptr) HYPRE_IJMatrixDestroy(A_ij);
}

void HypreParCsrPcg::destroy_solver() {
  if (pcg != nullptr) HYPRE_ParCSRPCGDestroy(pcg);
  if (amg != nullptr) HYPRE_BoomerAMGDestroy(amg);
  pcg = nullptr;
  amg = nullptr;
}

void HypreParCsrPcg::assemble_matrix(const char* who) {
  check_hypre(HYPRE_IJMatrixAssemble(A_ij), who, "HYPRE_IJMatrixAssemble");
  void* object = nullptr;
  check_hypre(HYPRE_IJMatrixGetObject(A_ij, &object), who, "HYPRE_IJMatrixGetObject");
  A_par = static_cast<HYPRE_ParCSRMatrix>(object);
}

void HypreParCsrPcg::create_vectors(MPI_Comm comm, HYPRE_BigInt first, HYPRE_BigInt last,
                                    const char* who) {
  void* object = nullptr;
  for (auto [vector, par] : {std::pair{&b_ij, &b_par}, std::pair{&x_ij, &x_par}}) {
    check_hypre(HYPRE_IJVectorCreate(comm, first, last, vector), who, "HYPRE_IJVectorCreate");
    check_hypre(HYPRE_IJVectorSetObjectType(*vector, HYPRE_PARCSR), who,
                "HYPRE_IJVectorSetObjectType");
    check_hypre(HYPRE_IJVectorInitialize(*vector), who, "HYPRE_IJVectorInitialize");
    check_hypre(HYPRE_IJVectorAssemble(*vector), who, "HYPRE_IJVectorAssemble");
    check_hypre(HYPRE_IJVectorGetObject(*vector, &object), who, "HYPRE_IJVectorGetObject");
    *par = static_cast<HYPRE_ParVector>(object);
  }
}

void HypreParCsrPcg::setup_solver(MPI_Comm comm, const LinearSolverOptions& options,
                                  const char* who) {
  destroy_solver();
  // BoomerAMG with the measured settings, one V-cycle per PCG iteration.
  check_hypre(HYPRE_BoomerAMGCreate(&amg), who, "HYPRE_BoomerAMGCreate");
  configure_boomeramg_preconditioner(amg, who);
  // PCG with the two-norm criterion ‖r‖₂ ≤ rtol·‖b‖₂, as LinearSolverOptions defines it.
  check_hypre(HYPRE_ParCSRPCGCreate(comm, &pcg), who, "HYPRE_ParCSRPCGCreate");
  configure_hypre_pcg(pcg, options, who);
  check_hypre(HYPRE_ParCSRPCGSetPrecond(pcg, HYPRE_BoomerAMGSolve, HYPRE_BoomerAMGSetup, amg), who,
              "HYPRE_ParCSRPCGSetPrecond");
  check_hypre(HYPRE_ParCSRPCGSetup(pcg, A_par, b_par, x_par), who, "BoomerAMG set-up");
}

int HypreParCsrPcg::solve(int count, const HYPRE_BigInt* rows, const double* b, double* x,
                          int& iterations, const char* who) {
  HYPRE_ClearAllErrors();
  check_hypre(HYPRE_IJVectorSetValues(b_ij, count, rows, b), who, "HYPRE_IJVectorSetValues");
  check_hypre(HYPRE_IJVectorAssemble(b_ij), who, "HYPRE_IJVectorAssemble");
  check_hypre(HYPRE_IJVectorSetValues(x_ij, count, rows, x), who, "HYPRE_IJVectorSetValues");
  check_hypre(HYPRE_IJVectorAssemble(x_ij), who, "HYPRE_IJVectorAssemble");
  // A non-zero status is HYPRE_ERROR_CONV (max_iterations reached) or a breakdown flagged by
  // PCG (non-SPD matrix, NaN/Inf): reported as not converged, never thrown.
  const HYPRE_Int status = HYPRE_ParCSRPCGSolve(pcg, A_par, b_par, x_par);
  HYPRE_ClearAllErrors();
  HYPRE_Int n = 0;
  HYPRE_ParCSRPCGGetNumIterations(pcg, &n);
  iterations = static_cast<int>(n);
  check_hypre(HYPRE_IJVectorGetValues(x_ij, count, rows, x), who, "HYPRE_IJVectorGetValues");
  return static_cast<int>(status);
}

}  // namespace cposim::solver
