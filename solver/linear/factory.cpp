/// \file
/// The solver factory: a LinearSolverKind to its solver.
#include "solver/linear/factory.hpp"

#include <stdexcept>

#include "solver/linear/gmg_cg.hpp"
#include "solver/linear/jacobi_cg.hpp"
#ifdef CPOSIM_WITH_HYPRE
#include "solver/linear/amg_cg.hpp"
#endif

namespace cposim::solver {

std::unique_ptr<LinearSolver> make_linear_solver(const LinearSolverOptions& options,
                                                 const std::array<std::size_t, 3>& cells_per_axis) {
  LinearSolverKind kind = options.kind;
  if (kind == LinearSolverKind::automatic) {
    // Measured (benchmarks/solver_scaling, benchmarks/solver_choice): gmg_cg is 7–10× faster
    // than hypre AMG on CPO packages and needs no dependency, and from the smallest package
    // measured (4 760 cells) up it is 30–300× faster than sparse Cholesky, whose set-up grows
    // about as N² (15 s at 44 000 cells against 0.06 s; issue 23: 47 s at 18 400 cells). A
    // stagnating gmg_cg falls back to amg_cg in SteadySolver.
    kind = LinearSolverKind::gmg_cg;
  }
  switch (kind) {
    case LinearSolverKind::direct:
      return std::make_unique<DirectSolver>();
    case LinearSolverKind::jacobi_cg:
      return std::make_unique<JacobiCgSolver>(options);
    case LinearSolverKind::amg_cg:
#ifdef CPOSIM_WITH_HYPRE
      return make_amg_cg_solver(options);
#else
      throw std::invalid_argument("amg_cg needs a build with CPOSIM_WITH_HYPRE=ON");
#endif
    case LinearSolverKind::gmg_cg:
      return make_gmg_cg_solver(options, cells_per_axis);
    case LinearSolverKind::automatic:
      break;
  }
  throw std::invalid_argument("make_linear_solver: unknown kind");
}

}  // namespace cposim::solver
