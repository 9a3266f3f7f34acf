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

#include "solver/face_cells.hpp"
#include "solver/kernels/face_conductance.hpp"
#include "solver/linear/blocked_sum.hpp"
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

/// A matrix whose every entry is within this relative distance of the last set-up's is
/// solved with that set-up (lagged): the Picard steps after the first, and coupling solves
/// whose heater power moved the field by a few kelvin, change k(T) by well under 1 % and
/// cost a set-up each otherwise. CG with any fixed SPD preconditioner converges, a nearby
/// one costs at most a few iterations, and the stopping test is the residual of the new
/// matrix (stale_pcg.hpp): the answer meets the same tolerance.
constexpr double kLaggedSetupChange = 0.05;
/// A lagged solve that has not converged after this many iterations is abandoned for a new
/// set-up (a good one needs 10–25 from a cold start).
constexpr int kLaggedMaxIterations = 60;

/// Whether a and b have one pattern and every value of a lies within kLaggedSetupChange of
/// b's (relative to b's entry; a zero entry must stay zero).
bool near_values(const SparseMatrix& a, const SparseMatrix& b) {
  if (a.nonZeros() != b.nonZeros() || a.rows() != b.rows() || b.nonZeros() == 0) return false;
  const double* x = a.valuePtr();
  const double* y = b.valuePtr();
  const Eigen::Index n = a.nonZeros();
  bool near = true;
#pragma omp parallel for schedule(static) reduction(&& : near)
  for (Eigen::Index e = 0; e < n; ++e)
    near = near && std::fabs(x[e] - y[e]) <= kLaggedSetupChange * std::fabs(y[e]);
  return near;
}

LinearSolverOptions lagged_options(LinearSolverOptions options) {
  options.max_iterations = std::min(options.max_iterations, kLaggedMaxIterations);
  return options;
}

/// Adds one linear solve's times and iterations to `report`.
void count_solve(const LinearSolveResult& r, SolveReport& report) {
  report.setup_s += r.setup_s;
  report.solve_s += r.solve_s;
  report.linear_iterations += r.iterations;
  ++report.linear_solves;
}

/// max |θ + shift − T|, the hottest and whether all are finite, of an iterate θ against T.
struct IterateChange {
  double change = 0.0;
  double hottest = -std::numeric_limits<double>::infinity();
  bool finite = true;
};

IterateChange measure_change(const Eigen::VectorXd& theta, double shift,
                             const std::vector<double>& T_K) {
  IterateChange m;
  for (std::size_t c = 0; c < T_K.size(); ++c) {
    const double T_new = theta[static_cast<Eigen::Index>(c)] + shift;
    if (!std::isfinite(T_new)) m.finite = false;
    m.change = std::max(m.change, std::fabs(T_new - T_K[c]));
    m.hottest = std::max(m.hottest, T_new);
  }
  return m;
}

/// Forcing term of an inexact Picard step without a measured contraction (the first two
/// steps): its linear residual is cut to this fraction of its starting residual.
constexpr double kFirstForcing = 1e-3;
/// Otherwise the forcing term is this fraction of the contraction ρ = Δ_k / Δ_{k−1} of the
/// last two outer changes: the step's linear error, ~η Δ, stays a tenth of the change ρ Δ the
/// next step is expected to make, so it neither adds outer steps nor moves the fixed point
/// (the step that ends the loop is solved to the full tolerance).
constexpr double kForcingPerContraction = 0.1;
constexpr double kMaxForcing = 0.1;
}  // namespace

double picard_forcing(double change_before, double change_last) {
  if (!(change_before > 0.0) || !(change_last > 0.0) || !(change_last < change_before))
    return kFirstForcing;
  return std::min(kMaxForcing, kForcingPerContraction * change_last / change_before);
}

ReferenceSums boundary_reference_sums(const ThermalProblem& p, const mesh::IndexBox* cells) {
  // Weighted by each face cell's conductance to its fluid or fixed surface, with the
  // materials' base k: a face with tiny h and a far ambient (an imposed flux, a radiating
  // face) barely moves the reference, as it barely moves the field.
  const auto& g = *p.grid;
  ReferenceSums s;
  for (int f = 0; f < 6; ++f) {
    const auto& b = p.boundaries[static_cast<std::size_t>(f)];
    if (b.kind != BoundaryKind::convection && b.kind != BoundaryKind::fixed_temperature) continue;
    const int a = face_axes(f).normal;
    const double d = face_layer_width(g, f);
    for_each_face_cell(g, f, [&](const FaceCell& fc) {
      if (!face_cell_in(cells, g, f, fc)) return;
      const auto r = (*p.region_of_cell)[fc.cell];
      const double k = (*p.region_material)[static_cast<std::size_t>(r)].k_W_per_mK[a];
      double G = 0.0;
      if (b.kind == BoundaryKind::fixed_temperature)
        G = fixed_face_conductance(fc.area_m2, d, k);
      else if (b.h_at(fc.fc) > 0.0)
        G = convection_conductance(fc.area_m2, d, k, b.h_at(fc.fc));
      s.face_weighted += G * (b.kind == BoundaryKind::convection ? b.T_at(fc.fc) : b.T_K);
      s.face_G += G;
    });
  }
  if (p.cell_sinks != nullptr && !p.cell_sinks->empty()) {
    const auto& sinks = *p.cell_sinks;
    for_each_cell_in(g, cells, [&](std::size_t c) {
      s.sink_weighted += sinks.G_W_per_K[c] * sinks.T_K[c];
      s.sink_G += sinks.G_W_per_K[c];
    });
  }
  return s;
}

double reference_temperature(const ReferenceSums& s) {
  if (s.face_G > 0.0) return s.face_weighted / s.face_G;
  // Cooled only from inside (coolant cavities): the coolant sets the level.
  return s.sink_G > 0.0 ? s.sink_weighted / s.sink_G : 0.0;
}

double boundary_reference_temperature(const ThermalProblem& p) {
  return reference_temperature(boundary_reference_sums(p));
}

bool outer_loop_ends(const SteadyOptions& options, bool nonlinear, SolveReport& report) {
  if (!report.all_finite || !report.linear_converged) return true;
  if (report.max_T_K > options.runaway_T_K) {
    report.runaway = true;
    return true;
  }
  if (!nonlinear || report.last_change_K < options.picard_tolerance_K) {
    report.converged = true;
    return true;
  }
  return false;
}

SteadySolver::SteadySolver(const mesh::RectilinearGrid& grid, SteadyOptions options)
    : options_(options), system_(grid), lagged_(lagged_options(options.linear)) {}

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
  // Inexact steps with gmg_cg (a few multigrid-preconditioned iterations each); the other
  // kinds solve every step to the full tolerance.
  const auto inexact = [&] {
    return nonlinear && options_.inexact_picard && linear_->kind() == LinearSolverKind::gmg_cg;
  };
  double change_before = 0.0;
  for (int step = 1; step <= max_steps; ++step) {
    if (cancel_requested(options_.linear)) {
      report.cancelled = true;
      break;
    }
    if (options_.on_phase) options_.on_phase("assembly");
    auto t0 = Clock::now();
    system_.assemble(problem, T_K, shift);
    report.assembly_s += seconds_since(t0);
    // An inexact step first: to η of its starting residual, never below the full tolerance.
    const double eta =
        inexact() && step < max_steps ? picard_forcing(change_before, report.last_change_K) : 0.0;
    const double loose_tolerance = eta > 0.0 ? eta * start_residual() : 0.0;
    const bool loose = loose_tolerance > options_.linear.relative_tolerance;
    LinearSolveResult r =
        loose ? solve_inexact(loose_tolerance, report) : solve_linear(problem, report);
    IterateChange m = measure_change(theta_, shift, T_K);
    // A step that may end the loop is continued to the full tolerance and judged again;
    // for an intermediate field only if its linear error, ~η times its change, may reach a
    // tenth of the Picard tolerance.
    const bool may_end = m.change < options_.picard_tolerance_K &&
                         !(intermediate_ && eta * m.change <= 0.1 * options_.picard_tolerance_K);
    if (loose && !r.cancelled &&
        (!r.converged || !m.finite || may_end || m.hottest > options_.runaway_T_K)) {
      r = solve_linear(problem, report);
      m = measure_change(theta_, shift, T_K);
    }
    report.relative_residual = r.relative_residual;
    report.picard_iterations = step;
    report.cancelled = r.cancelled;
    report.linear_converged = r.converged;
    report.roundoff_residual = r.roundoff_residual;
    report.linear_at_roundoff = r.at_roundoff;
    report.linear_stagnated = r.stagnated;
    report.linear_settled = r.settled;
    report.linear_restart_change_K = r.restart_change;
    for (std::size_t c = 0; c < n; ++c) T_K[c] = theta_[static_cast<Eigen::Index>(c)] + shift;
    change_before = report.last_change_K;
    report.last_change_K = m.change;
    report.all_finite = m.finite;
    report.max_T_K = m.hottest;
    if (outer_loop_ends(options_, nonlinear, report)) break;
    if (hook) report.hook_note = hook(T_K);
    if (options_.stop_after_hook && options_.stop_after_hook()) {
      report.stopped = true;
      break;
    }
  }
  if (nonlinear && report.all_finite && !report.cancelled && !intermediate_) {
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

double SteadySolver::start_residual() {
  const SparseMatrix& A = system_.matrix();
  const Eigen::VectorXd& b = system_.rhs();
  const Eigen::Index n = b.size();
  block_sums_.resize(static_cast<std::size_t>(detail::num_reduction_blocks(n)));
  const int* outer = A.outerIndexPtr();
  const int* cols = A.innerIndexPtr();
  const double* vals = A.valuePtr();
  const double rr = detail::blocked_sum(n, block_sums_, [&](Eigen::Index row) {
    double s = b[row];
    for (int e = outer[row]; e < outer[row + 1]; ++e) s -= vals[e] * theta_[cols[e]];
    return s * s;
  });
  const double bb =
      detail::blocked_sum(n, block_sums_, [&](Eigen::Index i) { return b[i] * b[i]; });
  return std::sqrt(rr) / (bb > 0.0 ? std::sqrt(bb) : 1.0);
}

LinearSolveResult SteadySolver::solve_inexact(double relative_tolerance, SolveReport& report) {
  if (!same_values(system_.matrix(), last_matrix_) &&
      !near_values(system_.matrix(), last_matrix_)) {
    if (options_.on_phase) options_.on_phase("setup");
    report.setup_s += linear_->setup(system_.matrix());
    last_matrix_ = system_.matrix();
  }
  if (options_.on_phase) options_.on_phase("solve");
  const LinearSolveResult r =
      lagged_.solve(system_.matrix(), *linear_, system_.rhs(), theta_, relative_tolerance);
  count_solve(r, report);
  return r;
}

LinearSolveResult SteadySolver::solve_linear(const ThermalProblem& problem, SolveReport& report) {
  LinearSolveResult r;
  const auto count = [&report](const LinearSolveResult& x) { count_solve(x, report); };
  const bool same = same_values(system_.matrix(), last_matrix_);
  if (!same && linear_->has_preconditioner() && near_values(system_.matrix(), last_matrix_)) {
    if (options_.on_phase) options_.on_phase("solve");
    theta_start_ = theta_;
    r = lagged_.solve(system_.matrix(), *linear_, system_.rhs(), theta_,
                      options_.linear.relative_tolerance);
    count(r);
    if (r.converged || r.cancelled) return r;
    theta_ = theta_start_;  // set up for this matrix and solve again from the same start
  }
  if (!same) {
    if (options_.on_phase) options_.on_phase("setup");
    report.setup_s += linear_->setup(system_.matrix());
    last_matrix_ = system_.matrix();
  }
  if (options_.on_phase) options_.on_phase("solve");
  r = linear_->solve(system_.rhs(), theta_);
  count(r);
  if (r.stagnated && linear_->kind() == LinearSolverKind::gmg_cg && has_amg()) {
    // gmg_cg stopped making progress (e.g. cells of extreme aspect ratio): fall back to
    // BoomerAMG for this and every later solve, from where gmg_cg stopped.
    std::string note = fmt::format(
        "gmg_cg stagnated at relative residual {:.3g} after {} iterations; fell back "
        "to amg_cg",
        r.relative_residual, r.iterations);
    report.linear_fallback = note;
    LinearSolverOptions amg = options_.linear;
    amg.kind = LinearSolverKind::amg_cg;
    linear_ = make_linear_solver(amg, problem.grid->cells_per_axis());
    report.linear_solver = to_string(linear_->kind());
    report.setup_s += linear_->setup(system_.matrix());
    r = linear_->solve(system_.rhs(), theta_);
    count(r);
  }
  return r;
}

SolveReport solve_steady(const ThermalProblem& problem, const SteadyOptions& options,
                         std::vector<double>& T_K) {
  SteadySolver solver(*problem.grid, options);
  return solver.solve(problem, T_K);
}

}  // namespace cposim::solver
