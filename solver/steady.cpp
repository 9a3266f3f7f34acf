/// \file
/// Steady solve: assemble → (re)use the preconditioner → solve, with Picard iteration on k(T).
#include "solver/steady.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <stdexcept>

#include "solver/kernels/face_conductance.hpp"
#include "solver/linear/factory.hpp"

namespace cposim::solver {
namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

bool same_values(const SparseMatrix& a, const SparseMatrix& b) {
  return a.nonZeros() == b.nonZeros() && a.rows() == b.rows() &&
         std::memcmp(a.valuePtr(), b.valuePtr(), sizeof(double) * a.nonZeros()) == 0;
}

}  // namespace

double boundary_reference_temperature(const ThermalProblem& p) {
  // Weighted by each face cell's conductance to its fluid or fixed surface, with the
  // materials' base k: a face with tiny h and a far ambient (an imposed flux, a radiating
  // face) barely moves the reference, as it barely moves the field.
  const auto& g = *p.grid;
  const auto n = g.cells_per_axis();
  double weighted = 0.0, G_sum = 0.0;
  for (int f = 0; f < 6; ++f) {
    const auto& b = p.boundaries[static_cast<std::size_t>(f)];
    if (b.kind != BoundaryKind::convection && b.kind != BoundaryKind::fixed_temperature) continue;
    const auto [a, u, v] = face_axes(f);
    std::array<std::size_t, 3> idx{};
    idx[a] = (f % 2 == 0) ? 0 : n[a] - 1;
    const double d = g.width(a, idx[a]);
    for (std::size_t jv = 0; jv < n[v]; ++jv)
      for (std::size_t iu = 0; iu < n[u]; ++iu) {
        idx[u] = iu;
        idx[v] = jv;
        const std::size_t fc = iu + n[u] * jv;
        const auto r = (*p.region_of_cell)[g.cell(idx[0], idx[1], idx[2])];
        const double k = (*p.region_material)[static_cast<std::size_t>(r)].k_W_per_mK[a];
        const double area = g.width(u, iu) * g.width(v, jv);
        double G = 0.0;
        if (b.kind == BoundaryKind::fixed_temperature)
          G = fixed_face_conductance(area, d, k);
        else if (b.h_at(fc) > 0.0)
          G = convection_conductance(area, d, k, b.h_at(fc));
        weighted += G * (b.kind == BoundaryKind::convection ? b.T_at(fc) : b.T_K);
        G_sum += G;
      }
  }
  return G_sum > 0.0 ? weighted / G_sum : 0.0;
}

SteadySolver::SteadySolver(const mesh::RectilinearGrid& grid, SteadyOptions options)
    : options_(options), system_(grid) {}

SteadySolver::~SteadySolver() = default;

SolveReport SteadySolver::solve(const ThermalProblem& problem, std::vector<double>& T_K,
                                const IterateHook& hook) {
  problem.validate();
  if (!problem.has_heat_sink())
    throw std::invalid_argument(
        "steady solve: no convection or fixed-temperature face, so no steady state exists");
  const std::size_t n = problem.grid->num_cells();
  const double shift = boundary_reference_temperature(problem);
  if (T_K.empty()) T_K.assign(n, shift);
  if (T_K.size() != n) throw std::invalid_argument("steady solve: T_K needs one value per cell");
  if (!linear_)
    linear_ = options_.make_solver
                  ? options_.make_solver(options_.linear, problem.grid->cells_per_axis())
                  : make_linear_solver(options_.linear, problem.grid->cells_per_axis());

  SolveReport report;
  report.linear_solver = to_string(linear_->kind());
  if (options_.on_solve_start) options_.on_solve_start();
  const bool nonlinear = problem.is_nonlinear() || static_cast<bool>(hook);
  const int max_steps = nonlinear ? std::max(1, options_.max_picard_iterations) : 1;
  // Warm start: the caller's T_K (after a previous solve, its solution) is the initial guess.
  theta_.resize(static_cast<Eigen::Index>(n));
  for (std::size_t c = 0; c < n; ++c) theta_[static_cast<Eigen::Index>(c)] = T_K[c] - shift;
  bool linear_ok = true;
  for (int step = 1; step <= max_steps; ++step) {
    if (cancel_requested(options_.linear)) {
      report.cancelled = true;
      break;
    }
    if (options_.on_phase) options_.on_phase("assembly");
    auto t0 = Clock::now();
    system_.assemble(problem, T_K, shift);
    report.assembly_s += seconds_since(t0);
    if (!same_values(system_.matrix(), last_matrix_)) {
      if (options_.on_phase) options_.on_phase("setup");
      report.setup_s += linear_->setup(system_.matrix());
      last_matrix_ = system_.matrix();
    }
    if (options_.on_phase) options_.on_phase("solve");
    LinearSolveResult r = linear_->solve(system_.rhs(), theta_);
    if (r.stagnated && linear_->kind() == LinearSolverKind::gmg_cg && has_amg()) {
      // gmg_cg stopped making progress (e.g. cells of extreme aspect ratio): fall back to
      // BoomerAMG for this and every later solve, from where gmg_cg stopped.
      std::string note = fmt::format(
          "gmg_cg stagnated at relative residual {:.3g} after {} iterations; fell back "
          "to amg_cg",
          r.relative_residual, r.iterations);
      report.linear_fallback = note;
      report.linear_iterations += r.iterations;
      report.setup_s += r.setup_s;
      report.solve_s += r.solve_s;
      LinearSolverOptions amg = options_.linear;
      amg.kind = LinearSolverKind::amg_cg;
      linear_ = make_linear_solver(amg, problem.grid->cells_per_axis());
      report.linear_solver = to_string(linear_->kind());
      report.setup_s += linear_->setup(system_.matrix());
      r = linear_->solve(system_.rhs(), theta_);
    }
    report.setup_s += r.setup_s;
    report.solve_s += r.solve_s;
    report.linear_iterations += r.iterations;
    report.relative_residual = r.relative_residual;
    report.picard_iterations = step;
    report.cancelled = r.cancelled;
    report.linear_converged = r.converged;
    report.roundoff_residual = r.roundoff_residual;
    report.linear_at_roundoff = r.at_roundoff;
    report.linear_stagnated = r.stagnated;
    report.linear_settled = r.settled;
    report.linear_restart_change_K = r.restart_change;
    linear_ok = r.converged;
    double change = 0.0, hottest = -std::numeric_limits<double>::infinity();
    bool finite = true;
    for (std::size_t c = 0; c < n; ++c) {
      const double T_new = theta_[static_cast<Eigen::Index>(c)] + shift;
      if (!std::isfinite(T_new)) finite = false;
      change = std::max(change, std::fabs(T_new - T_K[c]));
      hottest = std::max(hottest, T_new);
      T_K[c] = T_new;
    }
    report.last_change_K = change;
    report.all_finite = finite;
    report.max_T_K = hottest;
    if (!finite || !linear_ok) break;
    if (hottest > options_.runaway_T_K) {
      report.runaway = true;
      break;
    }
    if (!nonlinear || change < options_.picard_tolerance_K) {
      report.converged = true;
      break;
    }
    if (hook) report.hook_note = hook(T_K);
    if (options_.stop_after_hook && options_.stop_after_hook()) {
      report.stopped = true;
      break;
    }
  }
  if (nonlinear && report.all_finite && !report.cancelled) {
    // How far the returned iterate is from solving A(T) θ = b(T): one more assembly at it.
    system_.assemble(problem, T_K, shift);
    for (std::size_t c = 0; c < n; ++c) theta_[static_cast<Eigen::Index>(c)] = T_K[c] - shift;
    const double b_norm = system_.rhs().norm();
    report.nonlinear_residual =
        (system_.matrix() * theta_ - system_.rhs()).norm() / (b_norm > 0.0 ? b_norm : 1.0);
  }
  report.energy = compute_energy_balance(problem, T_K);
  return report;
}

SolveReport solve_steady(const ThermalProblem& problem, const SteadyOptions& options,
                         std::vector<double>& T_K) {
  SteadySolver solver(*problem.grid, options);
  return solver.solve(problem, T_K);
}

}  // namespace cposim::solver
