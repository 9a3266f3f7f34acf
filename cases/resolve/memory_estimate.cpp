/// \file
/// Memory estimate of a run (cases/resolve/memory_estimate.hpp).
#include "cases/resolve/memory_estimate.hpp"

#include <cstddef>

namespace cposim::cases {
namespace {

// Peak RSS of `cposim run`, one thread, measured by benchmarks/memory_use (results in
// benchmarks/results/memory_use_2026-12-07*.json, 0.1–0.8 M cells): a fixed part plus a part
// per cell, rounded up so the estimate stays 5–20 % above every measurement there. Fitted:
// gmg_cg steady 28 MB + 376 B/cell, transient (5 outputs) 23 MB + 707 B/cell; amg_cg steady
// 37 MB + 564 B/cell, transient 887 B/cell; jacobi_cg 59 MB steady at 0.1 M cells. `direct`
// is not measured (its fill-in grows faster than the cell count): a guess for small grids.
constexpr double kFixedBytes = 32e6;
/// Steady, per cell: the problem and its fields, the matrix, the solver's own storage.
constexpr double kSteadyGmg = 400;
constexpr double kSteadyJacobi = 350;
constexpr double kSteadyAmg = 650;      // hypre's copy of the matrix and its hierarchy
constexpr double kSteadyDirect = 3000;  // Cholesky fill-in; direct is for small grids only
/// Transient on top of steady, per cell: the step's vectors, the matrix copies and the time
/// series' buffers. Plus 8 bytes per cell per output time kept (the temperature series).
constexpr double kTransientExtra = 330;
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
