/// \file
/// TransientSolver and its run: the time loop of BE / variable-step BDF2 with Milne-type error
/// control, in phases (initial state, step choice and landing, predictor, linear or Picard
/// solve, reject or accept, energy). The matrix A + γ C is rebuilt (and the preconditioner set
/// up) only when γ = a₀/Δt changes, which is why Δt is held for several steps and only grows by
/// a clear factor.
#include "solver/transient_run.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "solver/energy_balance.hpp"
#include "solver/linear/factory.hpp"
#include "solver/steady.hpp"

namespace cposim::solver {
namespace {

/// Variable-step BDF2 is zero-stable for step ratios below 1 + √2; stay well inside.
constexpr double kMaxBdf2Ratio = 2.0;
/// Landing times within this fraction of the run's span of the current time are merged.
constexpr double kLandingMergeRelative = 1e-12;
/// A rejected step shrinks by at most this factor.
constexpr double kMinShrink = 0.2;
/// k(T): the lagged set-up is kept while each Picard correction is at most this fraction of
/// the previous one; slower contraction means A(T) has moved too far from the set-up matrix.
constexpr double kMaxPicardContraction = 0.3;
/// k(T): a step whose first Picard iterate has an error estimate above this many tolerances is
/// rejected without converging the iteration (converging moves the estimate by far less).
constexpr double kEarlyRejectFactor = 2.0;

double max_abs_diff(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  return (a - b).cwiseAbs().maxCoeff();
}

}  // namespace

TransientSolver::TransientSolver(const mesh::RectilinearGrid& grid, TransientOptions options) {
  const auto& o = options;
  if (!(o.dt_initial_s > 0.0) || !(o.dt_min_s > 0.0) || !(o.dt_max_s >= o.dt_min_s))
    throw std::invalid_argument(
        "TransientOptions: need dt_initial_s > 0, dt_min_s > 0 and dt_max_s >= dt_min_s");
  if (!(o.tolerance_K > 0.0) || !(o.safety > 0.0 && o.safety <= 1.0) || !(o.min_growth >= 1.0) ||
      !(o.max_growth >= o.min_growth) || o.hold_steps < -1 || o.max_steps < 1 ||
      !(o.picard_tolerance_K > 0.0) || o.max_picard_iterations < 1 ||
      !(o.setup_reuse_ratio >= 1.0 || o.setup_reuse_ratio == 0.0) || !(o.ramp_factor >= 0.0))
    throw std::invalid_argument(
        "TransientOptions: need tolerance_K > 0, safety in (0, 1], 1 <= min_growth <= "
        "max_growth, hold_steps >= -1, max_steps >= 1, picard_tolerance_K > 0, "
        "max_picard_iterations >= 1, setup_reuse_ratio 0 or >= 1, ramp_factor >= 0");
  impl_ = std::make_unique<Impl>(grid, options);
}

TransientSolver::~TransientSolver() = default;
/// One run of TransientSolver::run: the state carried from step to step and the phases of a
/// step (choose h, predict, solve, reject or accept), each a member so that run() reads as the
/// loop it is.
struct TransientSolver::Impl::Run {
  /// What the next phase of a step does.
  enum class Next { proceed, retry, stop };

  /// The step being attempted: its size, landing, scheme coefficients and solve outcome.
  struct Step {
    bool bdf2 = false;
    double h = 0.0;
    bool nominal = false;  ///< h not shortened: the estimate may then set a new h_nom
    bool hits = false;     ///< lands on the next output time
    double t_new = 0.0;
    double a0 = 1.0, al1 = 1.0, al2 = 0.0;  ///< (a0 C/h + A) y_new = b + (C/h)(α1 y − α2 y1)
    double est_factor = 0.0;                ///< turns |y − pred| into the error estimate
    double gamma = 0.0;                     ///< a0 / h
    int iterations = 0;                     ///< Picard iterates of this step
    bool linear_ok = true, picard_ok = true, stop = false;
  };

  Impl& s;
  const TransientOptions& o;
  const ThermalProblem& problem;
  std::vector<double>& T_K;
  const std::vector<double>& output_times_s;
  const PowerCallback& power;
  const OutputCallback& on_output;
  const IterateHook& hook;

  bool nonlinear = false;
  bool iterate = false;  ///< Picard loop per step (k(T) or a hook)
  std::size_t n = 0;
  Eigen::Index N = 0;
  std::vector<double> C;
  Eigen::VectorXd Cv;
  double shift = 0.0;
  std::vector<double> P;
  ThermalProblem p_t;
  SparseMatrix A;
  Eigen::VectorXd b_bc;
  TransientReport rep;
  Eigen::VectorXd y, y1, y2, x, pred, rhs, delta, residual, y_start, f0;
  std::vector<double> T_iter;  ///< the iterate in kelvin, for assembly and hook
  std::size_t next_out = 0;
  double t = 0.0;
  double h_nom = 0.0;
  int hold = 0;
  double h1 = 0.0, h2 = 0.0;  ///< previous two accepted steps
  long history = 0;           ///< accepted steps so far
  int since_change = 0;
  double WP_prev = 0.0, WQ_prev = 0.0;  ///< previous step's energy terms (BDF2 recursion)
  double merge_s = 0.0;
  bool m_holds_A = false;  ///< s.M is A + γ_s C of this run's A (its off-diagonal part is A's)

  Run(Impl& impl, const ThermalProblem& problem_, std::vector<double>& T_K_,
      const std::vector<double>& output_times, const PowerCallback& power_,
      const OutputCallback& on_output_, const IterateHook& hook_)
      : s(impl),
        o(impl.options),
        problem(problem_),
        T_K(T_K_),
        output_times_s(output_times),
        power(power_),
        on_output(on_output_),
        hook(hook_) {}

  void check_inputs(double t_start_s) {
    problem.validate();
    nonlinear = problem.is_nonlinear();
    iterate = nonlinear || static_cast<bool>(hook);
    n = problem.grid->num_cells();
    N = static_cast<Eigen::Index>(n);
    if (T_K.size() != n)
      throw std::invalid_argument("transient solve: T_K needs one value per cell");
    if (output_times_s.empty() || !(output_times_s.front() >= t_start_s))
      throw std::invalid_argument("transient solve: output times must be given and >= t_start_s");
    for (std::size_t i = 1; i < output_times_s.size(); ++i)
      if (!(output_times_s[i] > output_times_s[i - 1]))
        throw std::invalid_argument("transient solve: output times must be strictly increasing");
  }

  /// Heat capacities, the temperature shift, A and b_bc at the initial state and the set-up
  /// bookkeeping.
  void assemble_initial_system() {
    C = heat_capacity_J_per_K(problem);
    Cv.resize(N);
    for (std::size_t c = 0; c < n; ++c) Cv[static_cast<Eigen::Index>(c)] = C[c];
    if (problem.has_heat_sink()) {
      shift = boundary_reference_temperature(problem);
    } else {
      for (double T : T_K) shift += T;
      shift /= static_cast<double>(n);
    }
    // A and the boundary part of b at the initial state: b(t) = b_bc + P(t). With constant k
    // they hold for the whole run; with k(T) they serve the first step's predictor only.
    P.assign(n, 0.0);
    p_t = problem;
    p_t.cell_power_W = &P;
    s.system.assemble(p_t, T_K, shift);
    A = s.system.matrix();
    b_bc = s.system.rhs();
    if (s.diag_at.size() != n) {
      s.M = A;
      s.diag_at.assign(n, -1);
      for (Eigen::Index r = 0; r < N; ++r)
        for (Eigen::Index j = s.M.outerIndexPtr()[r]; j < s.M.outerIndexPtr()[r + 1]; ++j)
          if (s.M.innerIndexPtr()[j] == r) s.diag_at[static_cast<std::size_t>(r)] = j;
    }
    s.M = A;
    s.gamma = std::numeric_limits<double>::quiet_NaN();
    if (!s.linear) s.linear = make_linear_solver(o.linear, problem.grid->cells_per_axis());
  }

  /// The initial state: report header, y, dT/dt for the first predictor, outputs at t_start.
  void start(double t_start_s) {
    rep.linear_solver = to_string(s.linear->kind());
    rep.scheme = to_string(o.scheme);
    rep.t_reached_s = t_start_s;
    for (auto* v : {&y, &y1, &y2, &x, &pred, &rhs, &delta, &residual}) v->resize(N);
    T_iter.resize(iterate ? n : 0);
    for (Eigen::Index c = 0; c < N; ++c) y[c] = T_K[static_cast<std::size_t>(c)] - shift;
    y_start = y;
    rep.max_T_K = *std::max_element(T_K.begin(), T_K.end());
    // dT/dt at the start, for the first step's explicit-Euler predictor.
    fill_power(t_start_s);
    f0 = b_bc;
    for (Eigen::Index c = 0; c < N; ++c) f0[c] += P[static_cast<std::size_t>(c)];
    f0 = (f0 - A * y).cwiseQuotient(Cv);

    t = t_start_s;
    while (next_out < output_times_s.size() && output_times_s[next_out] == t) {
      if (on_output) on_output(t, T_K);
      ++next_out;
    }
    h_nom = std::min(o.dt_initial_s, o.dt_max_s);
    hold = s.hold_steps();
    // Landing times closer than this to the current time are reached already: a waveform
    // point and an output time that differ by round-off (k·slot summed vs multiplied) would
    // otherwise cost a step of ~1e-16 s (and a new matrix). 1e-12 of the run's span moves no
    // result.
    merge_s = kLandingMergeRelative * (output_times_s.back() - t_start_s);
  }

  void fill_power(double time_s) {
    if (power) {
      std::fill(P.begin(), P.end(), 0.0);
      power(time_s, T_K, P);
      if (P.size() != n)
        throw std::invalid_argument("transient solve: power callback changed the vector size");
    } else {
      P = *problem.cell_power_W;
    }
  }

  double sum_power() const {
    double w = 0.0;
    for (double p : P) w += p;
    return w;
  }

  void fail(std::string why) { rep.failure = std::move(why); }

  /// A runaway that blows up in finite time (leakage e^{βT}) collapses the step size before
  /// an accepted state passes runaway_T_K: it is one if the hottest cell was heating so fast
  /// that at its last rate it would pass the limit before the end of the run.
  void flag_blow_up() {
    if (!std::isfinite(o.runaway_T_K) || history < 2) return;
    const double rate = (y - y1).maxCoeff() / h1;  // K/s, fastest-heating cell
    const double left = output_times_s.back() - t;
    if (!(rate > 0.0) || !(rate * left > o.runaway_T_K - rep.max_T_K)) return;
    rep.runaway = true;
    std::string text = fmt::format(
        "thermal runaway: the step size collapsed at t = {:.6g} s with the hottest cell "
        "at {:.6g} K, heating at up to {:.3g} K/s, heading above runaway_T_K = {:.6g} K",
        t, rep.max_T_K, rate, o.runaway_T_K);
    fail(text);
  }

  /// The next output time is reached already (within merge_s): report it without a step.
  bool merge_landing() {
    if (!(output_times_s[next_out] - t <= merge_s)) return false;
    t = output_times_s[next_out];
    rep.t_reached_s = t;
    ++rep.merged_landings;
    if (on_output) on_output(t, T_K);
    ++next_out;
    return true;
  }

  /// False (with the failure set) when the step budget is spent or the run is cancelled.
  bool may_step() {
    if (rep.steps + rep.rejected_steps >= o.max_steps) {
      fail("more than max_steps steps");
      return false;
    }
    if (cancel_requested(o.linear)) {
      rep.cancelled = true;
      fail("cancelled");
      return false;
    }
    return true;
  }

  /// The step size: h_nom within the limits, adjusted to land on the next output time.
  Step choose_step() const {
    Step st;
    st.bdf2 = o.scheme == TimeScheme::bdf2 && history >= (o.adaptive ? 2 : 1);
    double h = std::min(h_nom, o.dt_max_s);
    if (st.bdf2) h = std::min(h, kMaxBdf2Ratio * h1);
    st.nominal = h == h_nom;
    const double t_target = output_times_s[next_out];
    const double remaining = t_target - t;
    // Land exactly on t_target without a sliver step: within a few steps of it, take equal
    // steps (one new matrix, then kept; the step after the output may return to h_nom, a
    // ratio ≤ 2). A step that lands on t_target up to round-off keeps its h (and matrix);
    // t_new is then set to t_target exactly.
    bool hits = false;
    auto lands = [&](double step) { return std::fabs(remaining - step) <= 1e-10 * step; };
    auto divides = [&](double step) {  // remaining is a small whole number of these steps
      const double m = remaining / step;
      return m < 4.5 && std::fabs(m - std::round(m)) <= 1e-9 * m;
    };
    const bool can_repeat = history > 0 && h1 <= h;  // the last step, same matrix if not BE→BDF2
    if (lands(h)) {
      hits = true;
    } else if (can_repeat && lands(h1)) {
      h = h1;
      hits = true;
    } else if (h > remaining) {
      h = remaining;
      hits = true;
    } else if (remaining < 4.0 * h) {
      if (can_repeat && divides(h1))
        h = h1;
      else if (!divides(h))
        h = remaining / std::ceil(remaining / h);
    }
    st.h = h;
    st.hits = hits;
    st.t_new = hits ? t_target : t + h;
    return st;
  }

  /// Scheme coefficients, the predictor (also the initial guess) and the estimate factor.
  void predict(Step& st) {
    const double h = st.h;
    if (st.bdf2) {
      const double w = h / h1;
      st.a0 = (1.0 + 2.0 * w) / (1.0 + w);
      st.al1 = 1.0 + w;
      st.al2 = w * w / (1.0 + w);
    }
    if (history == 0) {
      pred = y + h * f0;
      st.est_factor = 0.5;
    } else if (!st.bdf2 || history < 2) {
      pred = y + (h / h1) * (y - y1);
      st.est_factor = h / (2.0 * h + h1);
    } else {
      const double L0 = (h + h1) * (h + h1 + h2) / (h1 * (h1 + h2));
      const double L1 = -h * (h + h1 + h2) / (h1 * h2);
      const double L2 = h * (h + h1) / ((h1 + h2) * h2);
      pred = L0 * y + L1 * y1 + L2 * y2;
      const double c = h * (h + h1) / (2.0 * h + h1);
      st.est_factor = c / (h + h1 + h2 - c);
    }
    st.gamma = st.a0 / h;
  }

  void count(Step& st, const LinearSolveResult& r) {
    rep.setup_s += r.setup_s;
    rep.solve_s += r.solve_s;
    rep.linear_iterations += r.iterations;
    st.linear_ok = r.converged;
    if (r.cancelled) {
      rep.cancelled = true;
      fail("cancelled");
      st.stop = true;
    }
  }

  /// Sets the linear solver up for A_now + γ C. With constant k (A_now is A, whose off-diagonal
  /// part M holds) only M's diagonal changes: LinearSolver::update_diagonal, same bits.
  void set_up(const SparseMatrix& A_now, double gamma) {
    const bool diagonal_only = &A_now == &A && m_holds_A && std::isfinite(s.gamma);
    if (!diagonal_only) s.M = A_now;
    const double* a = A_now.valuePtr();
    double* m = s.M.valuePtr();
    for (std::size_t c = 0; c < n; ++c) m[s.diag_at[c]] = a[s.diag_at[c]] + gamma * C[c];
    rep.setup_s += diagonal_only ? s.linear->update_diagonal(s.M) : s.linear->setup(s.M);
    m_holds_A = &A_now == &A;
    ++rep.setups;
    s.gamma = gamma;
  }

  /// rhs = (C/h)(α1 y − α2 y1) plus b_bc + P (constant k) or b(T), which holds P (k(T),
  /// assembled at every iterate), then the solve into x.
  void solve_step(Step& st) {
    fill_power(st.t_new);
    for (Eigen::Index c = 0; c < N; ++c)
      rhs[c] = Cv[c] / st.h * (st.al1 * y[c] - (st.bdf2 ? st.al2 * y1[c] : 0.0));
    x = pred;
    if (iterate)
      solve_picard(st);
    else
      solve_linear(st);
  }

  /// Constant k: one linear solve, with the last set-up as a preconditioner if it may serve.
  void solve_linear(Step& st) {
    for (Eigen::Index c = 0; c < N; ++c) rhs[c] += b_bc[c] + P[static_cast<std::size_t>(c)];
    bool solved = false;
    if (!(st.gamma == s.gamma) && s.can_reuse(st.gamma)) {  // the last set-up preconditions
      const LinearSolveResult r = s.solve_stale(A, C, st.gamma, rhs, x);
      count(st, r);
      solved = r.converged || r.cancelled;
      if (!solved) x = pred;  // not converged with the stale set-up: set up and solve again
    }
    if (!solved) {
      if (!(st.gamma == s.gamma)) set_up(A, st.gamma);
      count(st, s.linear->solve(rhs, x));
    }
  }

  /// Lagged-operator Picard: residual of A(T_k) at the iterate, correction with the set-up.
  /// A hook moves only b (power, fluid temperatures), so with constant k the set-up holds.
  void solve_picard(Step& st) {
    bool need_setup = !(st.gamma == s.gamma);
    double previous_change = std::numeric_limits<double>::infinity(), change_before = 0.0;
    st.picard_ok = false;
    for (int it = 1; it <= o.max_picard_iterations; ++it) {
      for (std::size_t c = 0; c < n; ++c) T_iter[c] = x[static_cast<Eigen::Index>(c)] + shift;
      s.system.assemble(p_t, T_iter, shift);
      if (std::exchange(need_setup, false)) set_up(s.system.matrix(), st.gamma);
      residual = s.system.rhs() + rhs - st.gamma * Cv.cwiseProduct(x);
      residual.noalias() -= s.system.matrix() * x;
      const double eta = picard_forcing(change_before, it > 1 ? previous_change : 0.0);
      count(st, s.correct(residual, delta, eta, o.picard_tolerance_K));
      ++st.iterations;
      ++rep.picard_iterations;
      if (st.stop || !st.linear_ok) break;
      x += delta;
      const double change = delta.cwiseAbs().maxCoeff();
      if (!std::isfinite(change)) break;
      if (change <= o.picard_tolerance_K) {
        st.picard_ok = true;
        break;
      }
      // A step whose first iterate already misses the error tolerance by far will be
      // rejected: stop iterating and let the estimate reject it at once.
      if (o.adaptive && it == 1 &&
          st.est_factor * max_abs_diff(x, pred) > kEarlyRejectFactor * o.tolerance_K) {
        st.picard_ok = true;
        break;
      }
      if (nonlinear && change > kMaxPicardContraction * previous_change) need_setup = true;
      change_before = it > 1 ? previous_change : 0.0;
      previous_change = change;
      if (hook) {
        for (std::size_t c = 0; c < n; ++c) T_iter[c] = x[static_cast<Eigen::Index>(c)] + shift;
        rep.hook_note = hook(T_iter);
        fill_power(st.t_new);
      }
    }
  }

  /// A failed solve (linear, Picard or non-finite): halve the step, or stop.
  Next reject_failed_solve(const Step& st) {
    const bool finite = x.allFinite();
    if (st.linear_ok && finite && st.picard_ok) return Next::proceed;
    const char* why = !finite         ? "non-finite temperature"
                      : !st.linear_ok ? "linear solve did not converge"
                                      : "Picard iteration (k(T) or iterate hook) did not "
                                        "converge within max_picard_iterations";
    if (!o.adaptive) {
      rep.linear_converged = st.linear_ok;
      rep.all_finite = finite;
      fail(why);
      return Next::stop;
    }
    ++rep.rejected_steps;
    h_nom = 0.5 * st.h;
    since_change = 0;
    if (h_nom < o.dt_min_s) {
      rep.linear_converged = st.linear_ok;
      rep.all_finite = finite;
      fail(std::string("step size below dt_min_s after a failed step: ") + why);
      flag_blow_up();
      return Next::stop;
    }
    return Next::retry;
  }

  /// max |(M_s)⁻¹ γ_s C e| for the raw estimate e = est_factor (x − pred), M_s = A + γ_s C the
  /// matrix of the last set-up (TransientOptions::filter_estimate): two digits suffice.
  double filtered_estimate(const Step& st) {
    constexpr double kFilterTolerance = 1e-2;
    residual = (s.gamma * st.est_factor) * Cv.cwiseProduct(x - pred);
    delta.setZero();
    LinearSolveResult r;
    if (s.linear->has_preconditioner()) {
      if (!s.stale) s.stale = std::make_unique<StalePcg>(o.linear);
      r = s.stale->solve(s.M, *s.linear, residual, delta, kFilterTolerance);
    } else {
      r = s.linear->solve(residual, delta);  // amg_cg: set up for M_s, to its own tolerance
    }
    rep.solve_s += r.solve_s;
    rep.linear_iterations += r.iterations;
    ++rep.filtered_estimates;
    return delta.cwiseAbs().maxCoeff();
  }

  /// The error estimate and the growth ratio it allows; rejects the step above tolerance.
  Next estimate_error(const Step& st, double& estimate, double& ratio) {
    ratio = o.max_growth;
    estimate = 0.0;
    if (!o.adaptive) return Next::proceed;
    estimate = st.est_factor * max_abs_diff(x, pred);
    const double order = st.bdf2 ? 2.0 : 1.0;
    if (o.filter_estimate && estimate > 0.0 &&
        o.safety * std::pow(o.tolerance_K / estimate, 1.0 / (order + 1.0)) < o.max_growth)
      estimate = filtered_estimate(st);
    if (estimate > 0.0) ratio = o.safety * std::pow(o.tolerance_K / estimate, 1.0 / (order + 1.0));
    if (!(estimate > o.tolerance_K)) return Next::proceed;
    ++rep.rejected_steps;
    h_nom = st.h * std::max(std::min(ratio, 0.9), kMinShrink);
    since_change = 0;
    if (h_nom < o.dt_min_s) {
      fail("step size below dt_min_s: the error tolerance cannot be met");
      flag_blow_up();
      return Next::stop;
    }
    return Next::retry;
  }

  /// Takes x as the new state: history, statistics, energy, runaway check, next h_nom and the
  /// output. False if the run stops (runaway).
  bool accept(const Step& st, double estimate, double ratio) {
    const double h = st.h;
    y2 = y1;
    y1 = y;
    y = x;
    h2 = h1;
    h1 = h;
    t = st.t_new;
    ++history;
    ++rep.steps;
    ++since_change;
    rep.t_reached_s = t;
    rep.max_error_estimate_K = std::max(rep.max_error_estimate_K, estimate);
    rep.max_step_picard_iterations = std::max(rep.max_step_picard_iterations, st.iterations);
    rep.dt_smallest_s = rep.steps == 1 ? h : std::min(rep.dt_smallest_s, h);
    rep.dt_largest_s = std::max(rep.dt_largest_s, h);
    for (Eigen::Index c = 0; c < N; ++c) T_K[static_cast<std::size_t>(c)] = y[c] + shift;
    add_step_energy(st);
    rep.max_T_K = y.maxCoeff() + shift;
    if (rep.max_T_K > o.runaway_T_K) {
      rep.runaway = true;
      std::string text = fmt::format(
          "thermal runaway: the hottest cell reached {:.6g} K at t = {:.6g} s, above "
          "runaway_T_K = {:.6g} K",
          rep.max_T_K, t, o.runaway_T_K);
      fail(text);
      return false;
    }
    const bool ramp = o.ramp_factor > 0.0 && ratio >= o.ramp_factor * o.max_growth;
    if (o.adaptive && st.nominal && !st.hits && (since_change >= hold || ramp) &&
        ratio >= o.min_growth) {
      h_nom = std::min(h * std::min(ratio, o.max_growth), o.dt_max_s);
      since_change = 0;
    }
    if (st.hits) {
      if (on_output) on_output(t, T_K);
      ++next_out;
    }
    return true;
  }

  /// Energy with the scheme's own quadrature: a0 ΔE_{n+1} = h F_{n+1} + α2 ΔE_n.
  void add_step_energy(const Step& st) {
    const double P_in = sum_power();
    const double Q_out = compute_energy_balance(p_t, T_K).heat_out_W;
    const double WP = (st.h * P_in + (st.bdf2 ? st.al2 * WP_prev : 0.0)) / st.a0;
    const double WQ = (st.h * Q_out + (st.bdf2 ? st.al2 * WQ_prev : 0.0)) / st.a0;
    rep.energy_in_J += WP;
    rep.heat_out_J += WQ;
    WP_prev = WP;
    WQ_prev = WQ;
  }

  /// Completion and the energy balance of the run.
  void finish() {
    rep.completed = next_out == output_times_s.size() && rep.failure.empty();
    double stored = 0.0;
    for (Eigen::Index c = 0; c < N; ++c) stored += Cv[c] * (y[c] - y_start[c]);
    rep.stored_change_J = stored;
    rep.energy_imbalance_J = rep.energy_in_J - rep.heat_out_J - stored;
    const double scale =
        std::max({std::fabs(rep.energy_in_J), std::fabs(rep.heat_out_J), std::fabs(stored)});
    rep.energy_relative = scale > 0.0 ? std::fabs(rep.energy_imbalance_J) / scale : 0.0;
  }

  /// One step attempt; Next::stop ends the run.
  Next attempt_step() {
    Step st = choose_step();
    if (!(st.t_new > t)) {
      fail("step size below the resolution of the time value");
      return Next::stop;
    }
    predict(st);
    solve_step(st);
    if (st.stop) return Next::stop;
    Next next = reject_failed_solve(st);
    if (next != Next::proceed) return next;
    double estimate = 0.0, ratio = 0.0;
    next = estimate_error(st, estimate, ratio);
    if (next != Next::proceed) return next;
    return accept(st, estimate, ratio) ? Next::proceed : Next::stop;
  }
};

TransientReport TransientSolver::run(const ThermalProblem& problem, std::vector<double>& T_K,
                                     double t_start_s, const std::vector<double>& output_times_s,
                                     const PowerCallback& power, const OutputCallback& on_output,
                                     const IterateHook& hook) {
  Impl::Run r(*impl_, problem, T_K, output_times_s, power, on_output, hook);
  r.check_inputs(t_start_s);
  r.assemble_initial_system();
  r.start(t_start_s);
  while (r.next_out < output_times_s.size()) {
    if (r.merge_landing()) continue;
    if (!r.may_step() || r.attempt_step() == Impl::Run::Next::stop) break;
  }
  r.finish();
  return r.rep;
}

}  // namespace cposim::solver
