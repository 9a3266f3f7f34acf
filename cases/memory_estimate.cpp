/// \file
/// Memory estimate of a run (cases/memory_estimate.hpp).
#include "cases/memory_estimate.hpp"

#include <cstddef>

namespace cposim::cases {
namespace {

// Peak RSS of `cposim run`, one thread, measured by benchmarks/memory_use (results in
// benchmarks/results/memory_use_*.json): a fixed part plus a part per cell, rounded up so the
// estimate stays above every measurement there.
constexpr double kFixedBytes = 64e6;
/// Steady, per cell: the problem and its fields, the matrix, the solver's own storage.
constexpr double kSteadyGmg = 450;
constexpr double kSteadyJacobi = 400;
constexpr double kSteadyAmg = 900;      // hypre's copy of the matrix and its hierarchy
constexpr double kSteadyDirect = 3000;  // Cholesky fill-in; direct is for small grids only
/// Transient on top of steady, per cell: the step's vectors, the matrix copies and the time
/// series' buffers. Plus 8 bytes per cell per output time kept (the temperature series).
constexpr double kTransientExtra = 350;
constexpr double kPerOutputTime = 8;

}  // namespace

double bytes_per_cell(const CaseSpec& spec, std::optional<solver::LinearSolverKind> solver) {
  using K = solver::LinearSolverKind;
  const K kind = solver ? *solver : spec.solver.linear_solver;
  double b = kSteadyGmg;  // automatic is gmg_cg (and amg_cg only on a stagnating fallback)
  if (kind == K::jacobi_cg) b = kSteadyJacobi;
  if (kind == K::amg_cg) b = kSteadyAmg;
  if (kind == K::direct) b = kSteadyDirect;
  if (spec.transient)
    b += kTransientExtra +
         kPerOutputTime * static_cast<double>(spec.transient->output_times_s.size());
  return b;
}

double estimate_run_bytes(const CaseSpec& spec, double cells,
                          std::optional<solver::LinearSolverKind> solver) {
  return kFixedBytes + bytes_per_cell(spec, solver) * cells;
}

}  // namespace cposim::cases
