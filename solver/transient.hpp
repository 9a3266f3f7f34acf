#pragma once
/// \file
/// Implicit time stepping of C dT/dt + A T = b(t), C = diag(ρ c_p V) per cell, with backward
/// Euler or variable-step BDF2 and adaptive Δt controlled by a local error estimate.
///
/// Error control (per accepted step, max norm over cells, kelvin): the step's solution is
/// compared with an explicit predictor through the previous solutions (Milne's device).
/// Backward Euler: linear extrapolation through T_{n-1}, T_n (the first step: explicit Euler
/// with dT/dt = C⁻¹(b − A T₀)); local error ≈ h/(2h + h₁)·|T − T_pred|. BDF2: quadratic
/// extrapolation through T_{n-2}, T_{n-1}, T_n; local error ≈ h(h+h₁)/(2h+h₁) /
/// (h+h₁+h₂ − h(h+h₁)/(2h+h₁))·|T − T_pred| (2/7 of the difference at constant h). BDF2 takes
/// its first two steps (adaptive) or its first step (fixed Δt) with backward Euler, for lack
/// of history. A step whose estimate exceeds `tolerance_K` is rejected and retried with
/// Δt·max(0.2, min(0.9, safety·(tol/est)^{1/(p+1)})), p the order; an accepted step may grow
/// Δt by that factor (≤ max_growth) only if it is ≥ min_growth and Δt was held hold_steps
/// steps (or at once if it is ≥ ramp_factor·max_growth, when ramp_factor > 0).
/// BDF2 step ratios are kept ≤ 2 (zero-stability needs < 1 + √2).
///
/// Output times are hit exactly: within four steps of one, equal steps are taken, and a step
/// that lands on it up to round-off keeps its Δt (and matrix). Each Δt change costs one
/// set-up (BDF2: two, as the first step after a change has its own a₀), so set-ups grow with
/// the number of output times and of doublings of Δt over the run — unless the last set-up
/// is reused as the preconditioner of the new matrix (setup_reuse_ratio; by default only
/// with `direct`, whose factorisation costs far more than the CG iterations it saves).
///
/// Temperature-dependent conductivity k(T): each step solves the nonlinear system
/// (a₀C/Δt + A(T)) y = b(T) + P + history by a lagged-operator (Picard) iteration started
/// from the predictor: assemble A(T), b(T) at the latest iterate, compute the residual, and
/// correct with the matrix of the last set-up (M_s δ = r, y ← y + δ). The set-up is kept
/// across iterates and across steps while Δt is unchanged and the corrections contract by at
/// least kMaxPicardContraction per iterate; otherwise the current matrix is set up. A step
/// converges when max |δ| ≤ picard_tolerance_K; one that does not within
/// max_picard_iterations is rejected and retried with half the step (adaptive) or fails the
/// run (fixed Δt). At convergence the residual of the current A(T) vanishes, so the result is
/// the same as re-assembling and setting up at every iterate, only cheaper. An adaptive step
/// whose first iterate's error estimate exceeds twice tolerance_K is rejected at once.
///
/// Iterate hook (IterateHook, as in SteadySolver::solve): called after every Picard iterate
/// that is not yet converged, with that iterate in kelvin. It may change the data lent to the
/// problem (the cell power behind the power callback or `cell_power_W`, the boundary fluid
/// temperatures T_map of a cold plate), so that P(T) and coolant temperatures are consistent
/// with the step's own solution, not lagged by a step. With a hook every step runs the Picard
/// loop (also for constant k) until max |δ| ≤ picard_tolerance_K, re-assembling the boundary
/// data and re-evaluating the power (the power callback again, at the step's end time) after
/// each hook call. The converged iterate is not passed to the hook, so the data it was solved
/// with are the data of the energy accounting (power in, heat out through T_map) and the
/// accounting stays exact; they lag it by at most picard_tolerance_K.

#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "solver/linear/linear_solver.hpp"
#include "solver/linear_system.hpp"
#include "solver/steady.hpp"
#include "solver/thermal_problem.hpp"

namespace cposim::solver {

/// Time integration scheme.
enum class TimeScheme {
  backward_euler,  ///< first order, A- and L-stable
  bdf2,            ///< second order, variable-step formula; A- and L-stable at constant Δt
};

/// Name used in reports ("backward_euler", "bdf2").
std::string to_string(TimeScheme scheme);

/// Options of TransientSolver. Defaults in one place.
struct TransientOptions {
  LinearSolverOptions linear;            ///< for A + γC; set up once per distinct Δt
  TimeScheme scheme = TimeScheme::bdf2;  ///< integration scheme
  /// false: fixed Δt = dt_initial_s (shortened only to land on output times); no estimate
  /// is used and no step is rejected.
  bool adaptive = true;
  double dt_initial_s = 1e-6;  ///< first step [s], > 0
  double dt_min_s = 1e-15;     ///< the run fails when an adaptive step would go below this [s]
  double dt_max_s = std::numeric_limits<double>::infinity();  ///< [s], ≥ dt_min_s
  double tolerance_K = 1e-2;  ///< local error per step allowed, max over cells [K], > 0
  double safety = 0.8;        ///< factor on the optimal step from the estimate, in (0, 1]
  /// Δt grows only when the estimate allows at least this factor (fewer preconditioner
  /// set-ups: the matrix A + γC changes with Δt), and then by at most max_growth.
  double min_growth = 1.25;
  double max_growth = 2.0;
  /// Accepted steps at one Δt before it may grow again, unless the estimate allows at least
  /// ramp_factor·max_growth. Holding saves set-ups at the price of more, smaller steps.
  /// -1 = automatic: 1 (grow whenever the estimate allows min_growth) for gmg_cg and
  /// jacobi_cg, whose set-up costs less than two of their iterations, fewer than a step's
  /// (benchmarks/transient_cost: 0.74 M-cell die 63 → 39 steps, less cpu); 4 for direct and
  /// amg_cg, whose set-up costs more than a step's solve. ≥ -1.
  int hold_steps = -1;
  /// An accepted step whose estimate allows at least ramp_factor·max_growth grows Δt at once,
  /// without waiting hold_steps: Δt is then far below what the tolerance allows (the ramp from
  /// a small first step). Matters only with hold_steps > 1 (direct, amg_cg): 71 → 60 steps on
  /// a small slab. Off by default: on a smooth adiabatic power ramp with a kink
  /// (tests/unit/cases/run/test_transient_case.cpp) it doubled Δt up to the kink and the error
  /// accumulated over the run passed 1e-4 of the rise (0.017 K against 0.012 K held). 0 = off.
  double ramp_factor = 0.0;
  /// Preconditioner reuse across steps (constant k, no hook): the matrix A + γC is set up
  /// again only when γ = a₀/Δt leaves [γ_s / r, γ_s · r] of the last set-up's γ_s; in between,
  /// CG runs on the current matrix preconditioned by the last set-up (still SPD, so CG still
  /// converges to the tolerance on its true residual; it may need a few more iterations).
  /// 1 = a set-up for every distinct γ (amg_cg, whose hypre preconditioner cannot be applied
  /// alone, always sets up). 0 = automatic: 4 for `direct` (a factorisation costs far more
  /// than the few CG iterations it then saves; benchmarks/transient_cost: half the cpu), 1 for
  /// gmg_cg and jacobi_cg (a set-up costs ~2 iterations, fewer than reuse adds). 0 or ≥ 1.
  double setup_reuse_ratio = 0.0;
  /// Filtered error estimate: an adaptive step whose raw (Milne) estimate e limits Δt is
  /// judged on (A + γC)⁻¹ γC e instead, one loose extra solve with the step's set-up
  /// (the filter of Radau5's estimate, Hairer & Wanner, Solving ODEs II, §IV.8). It damps the
  /// components of e in stiff modes (µm cells next to a convective face, which settle within
  /// microseconds and whose predictor error does not propagate) and leaves the smooth ones.
  /// Off: benchmarks/transient_cost (filter) saves 8–12 % of the steps at 25–37 % more cpu.
  bool filter_estimate = false;
  long max_steps = 10000000;  ///< accepted + rejected steps before the run fails
  /// k(T) or a hook: a step's Picard iteration stops when max |T_new − T_old| between
  /// iterates is ≤ this [K], > 0 (the steady solver's default, SteadyOptions::picard_tolerance_K).
  double picard_tolerance_K = 1e-6;
  int max_picard_iterations = 30;  ///< k(T) or a hook: per step, ≥ 1
  /// Inexact Picard corrections (gmg_cg): a step's Picard correction is first solved to the
  /// forcing term of SteadyOptions::inexact_picard only; one that may end the iteration
  /// (≤ picard_tolerance_K) is continued to linear.relative_tolerance. Every iterate's residual
  /// is the true one, so a loose correction's error is removed by the next. false: every
  /// correction to the full tolerance.
  bool inexact_picard = true;
  /// Thermal-runaway limit [K]: an accepted state hotter than this anywhere stops the run
  /// with TransientReport::runaway set (T_K holds that state). Infinite = off.
  double runaway_T_K = std::numeric_limits<double>::infinity();
};

/// What happened. Filled on every return, completed or not.
struct TransientReport {
  bool completed = false;     ///< reached the last output time
  std::string failure;        ///< why not completed (empty if completed)
  std::string linear_solver;  ///< e.g. "gmg_cg"
  std::string scheme;         ///< "backward_euler" or "bdf2"
  double t_reached_s = 0.0;   ///< time of the last accepted state (T_K holds it)
  long steps = 0;             ///< accepted steps
  long rejected_steps = 0;    ///< by the error estimate or a failed linear solve
  long linear_iterations = 0;
  long picard_iterations = 0;          ///< k(T) or hook: iterates summed over all steps
  int max_step_picard_iterations = 0;  ///< k(T) or hook: most per accepted step
  /// Preconditioner / factorisation set-ups: one per distinct matrix, fewer with
  /// TransientOptions::setup_reuse_ratio.
  int setups = 0;
  /// Landing times (outputs, waveform points) reached without a step because they lie within
  /// 1e-12 of the run's span of the previous one (round-off twins, not real events).
  long merged_landings = 0;
  long filtered_estimates = 0;        ///< extra solves of TransientOptions::filter_estimate
  double dt_smallest_s = 0.0;         ///< smallest accepted step
  double dt_largest_s = 0.0;          ///< largest accepted step
  double max_error_estimate_K = 0.0;  ///< largest estimate of an accepted step (0 if fixed Δt)
  bool linear_converged = true;       ///< every accepted step's linear solve met its tolerance
  bool all_finite = true;
  bool cancelled = false;  ///< stopped by TransientOptions::linear.cancel
  /// Thermal runaway: an accepted state exceeded TransientOptions::runaway_T_K (T_K holds
  /// it), or the step size collapsed while the hottest cell heated fast enough to pass the
  /// limit before the end at its last rate (a finite-time blow-up such as e^{βT} leakage).
  bool runaway = false;
  double max_T_K = 0.0;   ///< hottest cell of the last accepted state
  std::string hook_note;  ///< what the IterateHook returned last (empty without a hook)
  /// Energy over the run [J]: power in, heat out through the faces (from the same half-cell
  /// conductances as compute_energy_balance), change of Σ C T. The time integrals use the
  /// quadrature the scheme implies (BE: right end point; BDF2: its own recursive weights),
  /// so the balance is exact up to the linear-solver tolerance: it checks discrete
  /// conservation, not the time-discretisation error.
  double energy_in_J = 0.0;
  double heat_out_J = 0.0;
  double stored_change_J = 0.0;
  double energy_imbalance_J = 0.0;  ///< energy_in − heat_out − stored_change
  double energy_relative = 0.0;     ///< |imbalance| / max(|in|, |out|, |stored|), 0 if all 0
  double setup_s = 0.0;
  double solve_s = 0.0;
};

/// Fills the heat generated in each cell at time t_s [W]; the vector arrives with one zero
/// per cell. Called once per attempted step (at its end time) and once at the start, and with
/// an IterateHook again after every hook call (same t_s). `T_K` is the last accepted state
/// (the initial state at the start); a temperature-dependent power that should not lag by a
/// step belongs in the hook (see the file comment).
using PowerCallback = std::function<void(double t_s, const std::vector<double>& T_K,
                                         std::vector<double>& cell_power_W)>;
/// Receives the state at each requested output time, exactly at that time.
using OutputCallback = std::function<void(double t_s, const std::vector<double>& T_K)>;

/// Transient solver bound to one grid: keeps the matrix pattern and reuses the
/// preconditioner while the step size (hence A + γC) is unchanged. Never prints, never exits.
class TransientSolver {
 public:
  /// `grid` is lent and must outlive the solver. Throws std::invalid_argument for bad options.
  TransientSolver(const mesh::RectilinearGrid& grid, TransientOptions options);
  ~TransientSolver();
  TransientSolver(const TransientSolver&) = delete;
  TransientSolver& operator=(const TransientSolver&) = delete;

  /// Integrates from t_start_s to output_times_s.back().
  ///
  /// - `problem`: on the grid given at construction, every material with ρ > 0 and c_p > 0;
  ///   k may depend on T (Picard iteration per step, see the file comment). Its cell_power_W
  ///   is used when `power` is empty (constant power).
  /// - `T_K`: in, the initial state (one value per cell, e.g. ambient or a steady solution);
  ///   out, the state at t_reached_s.
  /// - `output_times_s`: strictly increasing, all ≥ t_start_s, not empty; steps are shortened
  ///   to land on each exactly. A time equal to t_start_s outputs the initial state. A time
  ///   within 1e-12 of the span of the one before is output with that state (no sliver step).
  /// - `power`: may be empty; `on_output`: may be empty.
  /// - `hook`: may be empty; called after every unconverged Picard iterate (file comment).
  ///
  /// Throws std::invalid_argument for a malformed problem, non-positive ρ c_p, a wrong
  /// T_K size or bad output times. Step-size collapse, linear failure and cancellation are
  /// reported, not thrown.
  TransientReport run(const ThermalProblem& problem, std::vector<double>& T_K, double t_start_s,
                      const std::vector<double>& output_times_s, const PowerCallback& power,
                      const OutputCallback& on_output, const IterateHook& hook = {});

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// C = ρ c_p V per cell [J/K] for `problem`. Throws std::invalid_argument if some cell's
/// material has ρ ≤ 0 or c_p ≤ 0.
std::vector<double> heat_capacity_J_per_K(const ThermalProblem& problem);

}  // namespace cposim::solver
