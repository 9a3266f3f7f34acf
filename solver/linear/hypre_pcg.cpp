/// \file
/// The shared hypre PCG settings (hypre_pcg.hpp).
#include "solver/linear/hypre_pcg.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

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

}  // namespace cposim::solver
