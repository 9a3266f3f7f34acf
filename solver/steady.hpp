#pragma once
/// \file
/// Steady-state solve, with Picard iteration when any conductivity depends on temperature.

#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "mesh/partition.hpp"
#include "solver/energy_balance.hpp"
#include "solver/linear/linear_solver.hpp"
#include "solver/linear/stale_pcg.hpp"
#include "solver/linear_system.hpp"
#include "solver/thermal_problem.hpp"

namespace cposim::solver {

struct SteadyOptions {
  LinearSolverOptions linear;
  double picard_tolerance_K = 1e-6;  ///< stop when max |T_new − T_old| is below this
  int max_picard_iterations = 50;
  /// Inexact Picard steps: a step of a nonlinear solve (k(T) or a hook) whose field only sets
  /// the next step's matrix is solved to a forcing term tied to the outer change, not to
  /// linear.relative_tolerance; the step that ends the loop is continued to
  /// linear.relative_tolerance before its change is judged, so the field returned meets the
  /// same tolerances (steady.cpp, picard_forcing). false: every step to the full tolerance.
  bool inexact_picard = true;
  /// Thermal-runaway limit [K]: an iterate hotter than this anywhere stops the solve with
  /// SolveReport::runaway set (a fixed point above it is treated as none). Infinite = off.
  double runaway_T_K = std::numeric_limits<double>::infinity();
  /// Phase observer (may be empty): called with "assembly", "setup" or "solve" as each
  /// starts, once per outer iterate ("setup" only when the matrix changed). Must not throw.
  std::function<void(const char* phase)> on_phase;
  /// Makes the linear solver (empty: make_linear_solver). A seam for tests, e.g. a solver that
  /// stagnates, to exercise the gmg_cg → amg_cg fallback.
  std::function<std::unique_ptr<LinearSolver>(const LinearSolverOptions&,
                                              const std::array<std::size_t, 3>&)>
      make_solver;
  /// Called once as every solve() starts (may be empty), e.g. to let an IterateHook forget the
  /// iterates of a previous solve whose data (heater power) has changed since.
  std::function<void()> on_solve_start;
  /// Asked after every IterateHook call (may be empty): true ends the outer loop there with
  /// SolveReport::stopped set, e.g. when the hook has decided that no fixed point exists.
  std::function<bool()> stop_after_hook;
};

/// Forcing term η of the next inexact Picard step from the last two outer changes (the one
/// before and the last; 0 or growing: the first steps' 1e-3): its linear residual is cut to
/// η of its starting residual (SteadyOptions::inexact_picard, TransientOptions::inexact_picard).
double picard_forcing(double change_before, double change_last);

/// Called after every outer iterate with the new temperatures. It may change data the
/// caller lent to the ThermalProblem (cell power for leakage P(T), boundary fluid
/// temperatures for a cold plate), which the next assembly then sees. The outer loop runs
/// until max |ΔT| between iterates is below picard_tolerance_K, so a hook that keeps moving
/// its data keeps the loop going. Returns a one-line note for the report (may be empty).
using IterateHook = std::function<std::string(const std::vector<double>& T_K)>;

/// What happened. Filled on every return, converged or not.
struct SolveReport {
  bool converged = false;
  std::string linear_solver;  ///< e.g. "amg_cg"
  int picard_iterations = 0;  ///< outer iterations; 1 for a linear problem without hook
  int linear_iterations = 0;  ///< summed over Picard steps
  /// One per Picard step, plus a fallback's retry and the continuation of an inexact step
  /// to the full tolerance (SteadyOptions::inexact_picard).
  int linear_solves = 0;
  double relative_residual = 0.0;  ///< of the last linear solve
  bool linear_converged = true;    ///< the last linear solve met its tolerance
  /// The last linear solve: its attainable relative residual (LinearSolveResult), whether it
  /// converged at that round-off floor above the tolerance, or stagnated above both.
  double roundoff_residual = 0.0;
  bool linear_at_roundoff = false;
  bool linear_stagnated = false;
  /// The last linear solve stagnated above the tolerance and the round-off floor but had
  /// settled: its last restart moved T by linear_restart_change_K ≤ settled_change
  /// (LinearSolveResult::settled), so the field is converged for every purpose.
  bool linear_settled = false;
  double linear_restart_change_K = 0.0;
  /// Non-empty when gmg_cg stagnated and the solver fell back to amg_cg (kept for the
  /// following solves): one line saying so. `linear_solver` then names amg_cg.
  std::string linear_fallback;
  double last_change_K = 0.0;  ///< max |T_new − T_old| of the last Picard step
  /// Nonlinear problems (k(T) or a hook) only, else 0: ||A(T) θ − b(T)|| / ||b(T)|| of the
  /// returned iterate, re-assembled at it (2-norms; ||b|| = 0 counts as 1). Not computed (0)
  /// for an intermediate field (SteadySolver::set_intermediate_fields): no one reads it.
  double nonlinear_residual = 0.0;
  double assembly_s = 0.0;
  double setup_s = 0.0;
  double solve_s = 0.0;
  EnergyBalance energy;    ///< always computed
  bool all_finite = true;  ///< false if any temperature is NaN or infinite
  /// An iterate exceeded SteadyOptions::runaway_T_K (T_K holds it): thermal runaway.
  bool runaway = false;
  std::string hook_note;  ///< what the IterateHook returned last
  /// SteadyOptions::stop_after_hook ended the loop (T_K holds the last iterate).
  bool stopped = false;
  double max_T_K = 0.0;  ///< hottest cell of the last iterate
  /// Stopped by SteadyOptions::linear.cancel (checked before every Picard step and by the
  /// iterative solvers each iteration); T_K then holds the last iterate, not converged.
  bool cancelled = false;
};

/// Steady solver bound to one grid. Keeps the matrix pattern and the preconditioner between
/// calls, so repeated solves (coupling loops, sweeps) reuse them: if the assembled matrix is
/// bitwise unchanged (only the power moved), set-up is skipped; the T_K passed in (e.g. the
/// previous solution) is the initial guess. Never prints, never exits.
class SteadySolver {
 public:
  SteadySolver(const mesh::RectilinearGrid& grid, SteadyOptions options);
  ~SteadySolver();
  SteadySolver(const SteadySolver&) = delete;
  SteadySolver& operator=(const SteadySolver&) = delete;

  /// Solves `problem` (on the grid given at construction). T_K: in, initial guess (or empty
  /// for the mean boundary temperature); out, the last iterate. `hook` (may be empty) is
  /// called after every iterate (see IterateHook); with a hook or k(T) the outer (Picard)
  /// loop runs to picard_tolerance_K. Throws std::invalid_argument for a malformed problem;
  /// non-convergence and runaway are reported, not thrown.
  SolveReport solve(const ThermalProblem& problem, std::vector<double>& T_K,
                    const IterateHook& hook = {});

  /// The outer (Picard) tolerance of the following solves (SteadyOptions::picard_tolerance_K):
  /// a coupling loop loosens it for iterates whose device power changes again after them.
  void set_picard_tolerance(double picard_tolerance_K) {
    options_.picard_tolerance_K = picard_tolerance_K;
  }
  double picard_tolerance() const { return options_.picard_tolerance_K; }
  /// Whether the fields of the following solves only set the caller's next iterate (a
  /// coupling loop's loose iterate): an inexact step that ends the loop then stays inexact
  /// when its estimated linear error is below a tenth of the Picard tolerance, instead of
  /// being continued to linear.relative_tolerance (SteadyOptions::inexact_picard).
  void set_intermediate_fields(bool intermediate) { intermediate_ = intermediate; }

 private:
  /// One linear solve of the assembled system into theta_: with the set-up of a nearby matrix
  /// (lagged, see kLaggedSetupChange) or after a new set-up; counts into `report`.
  LinearSolveResult solve_linear(const ThermalProblem& problem, SolveReport& report);
  /// One linear solve of the assembled system into theta_ to `relative_tolerance` (looser
  /// than the options'), by CG with the set-up of a nearby matrix or a new one; counts into
  /// `report`. Needs linear_->has_preconditioner().
  LinearSolveResult solve_inexact(double relative_tolerance, SolveReport& report);
  /// ‖b − A θ‖₂ / ‖b‖₂ of the assembled system at theta_ (‖b‖ = 0 counts as 1).
  double start_residual();

  SteadyOptions options_;
  bool intermediate_ = false;  ///< set_intermediate_fields
  LinearSystem system_;
  std::unique_ptr<LinearSolver> linear_;
  SparseMatrix last_matrix_;        ///< values used at the last setup, to detect reuse
  Eigen::VectorXd theta_;           ///< unknown θ = T − T_shift, reused storage
  Eigen::VectorXd theta_start_;     ///< theta_ before a lagged solve, to restart from
  StalePcg lagged_;                 ///< CG on the new matrix with the last set-up
  std::vector<double> block_sums_;  ///< scratch of start_residual()
};

/// Whether the outer loop ends after an iterate whose report fields all_finite,
/// linear_converged, max_T_K and last_change_K are filled: on a non-finite field or a failed
/// linear solve, on runaway (sets report.runaway), or converged (sets report.converged: a
/// linear problem after one step, else the change below picard_tolerance_K). Shared by the
/// serial and the distributed solver.
bool outer_loop_ends(const SteadyOptions& options, bool nonlinear, SolveReport& report);

/// One-shot convenience wrapper around SteadySolver.
SolveReport solve_steady(const ThermalProblem& problem, const SteadyOptions& options,
                         std::vector<double>& T_K);

/// The reference temperature the unknown is shifted by, and the default initial field: the
/// mean of the convection and fixed-temperature boundary temperatures weighted by each face
/// cell's conductance to them (half cell at the material's base k plus film, A/(d/2k + 1/h);
/// fixed faces 2kA/d). A face with tiny h and a far ambient thus barely moves it. A problem
/// with no such face but internal sinks (coolant cavities) takes their fluid temperatures,
/// weighted by G; 0 if there is neither.
double boundary_reference_temperature(const ThermalProblem& problem);

/// The sums behind boundary_reference_temperature: Σ G T_b and Σ G over the convection and
/// fixed face cells, and Σ G_s T_s and Σ G_s over the cell sinks.
struct ReferenceSums {
  double face_weighted = 0.0, face_G = 0.0;  ///< [W] and [W/K]
  double sink_weighted = 0.0, sink_G = 0.0;  ///< [W] and [W/K]
};

/// boundary_reference_temperature's sums over the cells in `cells` (null: all; on a rank's
/// window, its owned cells, so that sums added over the ranks are the global problem's).
ReferenceSums boundary_reference_sums(const ThermalProblem& problem,
                                      const mesh::IndexBox* cells = nullptr);

/// The reference temperature of (possibly rank-summed) sums: face-weighted, else
/// sink-weighted, else 0.
double reference_temperature(const ReferenceSums& sums);

}  // namespace cposim::solver
