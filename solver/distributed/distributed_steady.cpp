/// \file
/// DistributedSteadySolver: Picard on k(T) over the ranks, each step a halo exchange, the
/// window assembly, a hypre solve, and reductions of the change, the hottest cell and the
/// balance.
#include "solver/distributed/distributed_steady.hpp"

#include <chrono>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <utility>

namespace cposim::solver {
namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

/// The global reference temperature: boundary_reference_temperature's sums over the owned
/// cells, added over the ranks.
double global_reference(const ThermalProblem& p, const mesh::IndexBox& owned,
                        RankReduction& reduce) {
  const ReferenceSums s = boundary_reference_sums(p, &owned);
  double v[4] = {s.face_weighted, s.face_G, s.sink_weighted, s.sink_G};
  reduce.sum(v, 4);
  return reference_temperature({v[0], v[1], v[2], v[3]});
}

/// The global energy balance: energy_sums over the owned cells, added over the ranks.
EnergyBalance global_energy(const ThermalProblem& p, const std::vector<double>& T_K,
                            const mesh::IndexBox& owned, RankReduction& reduce) {
  const EnergySums s = energy_sums(p, T_K, &owned);
  double v[9] = {s.power_in_W, 0, 0, 0, 0, 0, 0, s.sink_heat_out_W, s.sink_abs_W};
  for (std::size_t f = 0; f < 6; ++f) v[1 + f] = s.face_heat_out_W[f];
  reduce.sum(v, 9);
  EnergySums total;
  total.power_in_W = v[0];
  for (std::size_t f = 0; f < 6; ++f) total.face_heat_out_W[f] = v[1 + f];
  total.sink_heat_out_W = v[7];
  total.sink_abs_W = v[8];
  return energy_balance_of(total);
}

/// max |θ + shift − T|, the hottest new T and whether all are finite, over the owned cells.
struct OwnedChange {
  double change = 0.0;
  double hottest = -std::numeric_limits<double>::infinity();
  bool finite = true;
};

OwnedChange owned_change(const std::vector<std::size_t>& owned, const std::vector<double>& theta,
                         double shift, const std::vector<double>& T_K) {
  OwnedChange m;
  for (std::size_t w : owned) {
    const double T_new = theta[w] + shift;
    if (!std::isfinite(T_new)) m.finite = false;
    m.change = std::max(m.change, std::fabs(T_new - T_K[w]));
    m.hottest = std::max(m.hottest, T_new);
  }
  return m;
}

}  // namespace

DistributedSteadySolver::DistributedSteadySolver(const mesh::Partition& partition, int comm,
                                                 const mesh::RectilinearGrid& window_grid,
                                                 SteadyOptions options)
    : options_(std::move(options)),
      window_grid_(&window_grid),
      halo_(partition, comm),
      reduce_(comm),
      system_(partition, comm, window_grid, options_.linear) {}

DistributedSteadySolver::~DistributedSteadySolver() = default;

ResidualNorms DistributedSteadySolver::global_norms() {
  std::array<double, 3> sq = system_.residual_squares(theta_);
  reduce_.sum(sq.data(), 3);
  ResidualNorms n;
  n.b = std::sqrt(sq[0]);
  n.r = std::sqrt(sq[1]);
  n.scale = std::sqrt(sq[2]);
  return n;
}

SolveReport DistributedSteadySolver::solve(const ThermalProblem& p, std::vector<double>& T_K,
                                           const IterateHook& hook) {
  p.validate();
  const mesh::IndexBox& owned = owned_in_window();
  const std::size_t n = p.grid->num_cells();
  if (reduce_.any(p.grid->cells_per_axis() != window_grid_->cells_per_axis()))
    throw std::invalid_argument("distributed steady solve: the problem is not on the window grid");
  if (!reduce_.any(p.has_heat_sink()))
    throw std::invalid_argument(
        "steady solve: no convection or fixed-temperature face, so no steady state exists");
  const double shift = global_reference(p, owned, reduce_);
  if (T_K.empty()) T_K.assign(n, shift);
  if (reduce_.any(T_K.size() != n))
    throw std::invalid_argument("steady solve: T_K needs one value per window cell");
  halo_.exchange(T_K);  // the caller's halo may be stale

  SolveReport report;
  report.linear_solver = "amg_cg";
  if (options_.on_solve_start) options_.on_solve_start();
  const bool nonlinear = reduce_.any(p.is_nonlinear() || static_cast<bool>(hook));
  const int max_steps = nonlinear ? std::max(1, options_.max_picard_iterations) : 1;
  theta_.resize(n);
  for (std::size_t c = 0; c < n; ++c) theta_[c] = T_K[c] - shift;
  const auto& owned_cells = system_.owned_cells();
  for (int step = 1; step <= max_steps; ++step) {
    if (reduce_.any(cancel_requested(options_.linear))) {
      report.cancelled = true;
      break;
    }
    if (options_.on_phase) options_.on_phase("assembly");
    auto t0 = Clock::now();
    const bool changed = system_.assemble(p, T_K, shift);
    report.assembly_s += seconds_since(t0);
    if (reduce_.any(changed)) {
      if (options_.on_phase) options_.on_phase("setup");
      report.setup_s += system_.setup();
    }
    if (options_.on_phase) options_.on_phase("solve");
    t0 = Clock::now();
    const ParCsrSystem::Solve s = system_.solve(theta_);
    halo_.exchange(theta_);
    const ResidualNorms norms = global_norms();
    report.solve_s += seconds_since(t0);
    report.linear_iterations += static_cast<int>(reduce_.max(s.iterations));
    ++report.linear_solves;
    const bool hypre_converged = !reduce_.any(!s.hypre_converged);
    report.relative_residual = norms.relative();
    report.roundoff_residual = norms.roundoff_relative();
    // hypre stops at max_iterations when its residual stagnates at the round-off floor.
    report.linear_at_roundoff = !hypre_converged && std::isfinite(report.relative_residual) &&
                                report.relative_residual <= report.roundoff_residual;
    report.linear_converged = hypre_converged || report.linear_at_roundoff;
    report.linear_restart_change_K = std::numeric_limits<double>::infinity();
    report.picard_iterations = step;

    const OwnedChange m = owned_change(owned_cells, theta_, shift, T_K);
    for (std::size_t c = 0; c < n; ++c) T_K[c] = theta_[c] + shift;
    report.last_change_K = reduce_.max(m.change);
    report.all_finite = !reduce_.any(!m.finite);
    report.max_T_K = reduce_.max(m.hottest);
    if (outer_loop_ends(options_, nonlinear, report)) break;
    if (hook) report.hook_note = hook(T_K);
    if (reduce_.any(options_.stop_after_hook && options_.stop_after_hook())) {
      report.stopped = true;
      break;
    }
  }
  if (nonlinear && report.all_finite && !report.cancelled) {
    // How far the returned iterate is from solving A(T) θ = b(T): one more assembly at it.
    system_.assemble(p, T_K, shift);
    for (std::size_t c = 0; c < n; ++c) theta_[c] = T_K[c] - shift;
    report.nonlinear_residual = global_norms().relative();
  }
  report.energy = global_energy(p, T_K, owned, reduce_);
  report.assembly_s = reduce_.max(report.assembly_s);
  report.setup_s = reduce_.max(report.setup_s);
  report.solve_s = reduce_.max(report.solve_s);
  return report;
}

}  // namespace cposim::solver
