/// \file
/// Transient solve: BE / variable-step BDF2 with Milne-type error control. The matrix
/// A + γ C is rebuilt (and the preconditioner set up) only when γ = a₀/Δt changes, which is
/// why Δt is held for several steps and only grows by a clear factor.
#include "solver/transient.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "solver/energy_balance.hpp"
#include "solver/linear/factory.hpp"
#include "solver/linear/stale_pcg.hpp"
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
/// hold_steps -1 with a solver whose set-up costs more than a step's solve (direct, amg_cg).
constexpr int kHoldCostlySetup = 4;
/// setup_reuse_ratio 0 with `direct`: γ within this factor of the factorised one reuses it.
constexpr double kAutoReuseDirect = 4.0;

double max_abs_diff(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  return (a - b).cwiseAbs().maxCoeff();
}

}  // namespace

std::string to_string(TimeScheme scheme) {
  return scheme == TimeScheme::backward_euler ? "backward_euler" : "bdf2";
}

std::vector<double> heat_capacity_J_per_K(const ThermalProblem& p) {
  p.validate();
  const auto& g = *p.grid;
  std::vector<double> C(g.num_cells());
  for (std::size_t c = 0; c < C.size(); ++c) {
    const auto& m = (*p.region_material)[static_cast<std::size_t>((*p.region_of_cell)[c])];
    if (!(m.rho_kg_per_m3 > 0.0) || !(m.cp_J_per_kgK > 0.0))
      throw std::invalid_argument("transient solve: material '" + m.name +
                                  "' needs rho_kg_per_m3 > 0 and cp_J_per_kgK > 0");
    const auto ijk = g.ijk(c);
    C[c] = m.rho_kg_per_m3 * m.cp_J_per_kgK * g.volume_m3(ijk[0], ijk[1], ijk[2]);
  }
  return C;
}

struct TransientSolver::Impl {
  TransientOptions options;
  LinearSystem system;
  std::unique_ptr<LinearSolver> linear;
  SparseMatrix M;                     ///< A + γ C, the matrix the preconditioner was set up for
  std::vector<Eigen::Index> diag_at;  ///< position of each diagonal entry in M's values
  double gamma = std::numeric_limits<double>::quiet_NaN();  ///< γ of the current set-up
  SparseMatrix M_op;  ///< A + γ_op C for a CG preconditioned by the set-up of γ (stale_pcg)
  double gamma_op = std::numeric_limits<double>::quiet_NaN();
  std::unique_ptr<StalePcg> stale;

  Impl(const mesh::RectilinearGrid& grid, TransientOptions o) : options(o), system(grid) {}

  /// TransientOptions::hold_steps, resolved (-1: by the cost of a set-up of the solver).
  int hold_steps() const {
    if (options.hold_steps >= 0) return options.hold_steps;
    const LinearSolverKind k = linear->kind();
    return k == LinearSolverKind::gmg_cg || k == LinearSolverKind::jacobi_cg ? 1 : kHoldCostlySetup;
  }
  /// Constant k: γ may use the set-up of s.gamma (TransientOptions::setup_reuse_ratio).
  bool can_reuse(double g) const {
    double ratio = options.setup_reuse_ratio;
    if (ratio == 0.0) ratio = linear->kind() == LinearSolverKind::direct ? kAutoReuseDirect : 1.0;
    return ratio > 1.0 && std::isfinite(gamma) && linear->has_preconditioner() &&
           std::max(g / gamma, gamma / g) <= ratio;
  }
  /// Solves (A + g C) x = rhs by CG preconditioned with the set-up of `gamma`.
  LinearSolveResult solve_stale(const SparseMatrix& A, const std::vector<double>& C, double g,
                                const Eigen::VectorXd& rhs, Eigen::VectorXd& x) {
    if (!(g == gamma_op) || M_op.nonZeros() != A.nonZeros()) {
      if (M_op.nonZeros() != A.nonZeros()) M_op = A;
      std::copy(A.valuePtr(), A.valuePtr() + A.nonZeros(), M_op.valuePtr());
      for (std::size_t c = 0; c < C.size(); ++c) M_op.valuePtr()[diag_at[c]] += g * C[c];
      gamma_op = g;
    }
    if (!stale) stale = std::make_unique<StalePcg>(options.linear);
    // A reused factorisation iterates to round-off, as accurate as a direct solve.
    const bool exact = linear->kind() == LinearSolverKind::direct;
    return stale->solve(M_op, *linear, rhs, x, exact ? 0.0 : options.linear.relative_tolerance);
  }
};

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

TransientReport TransientSolver::run(const ThermalProblem& problem, std::vector<double>& T_K,
                                     double t_start_s, const std::vector<double>& output_times_s,
                                     const PowerCallback& power, const OutputCallback& on_output,
                                     const IterateHook& hook) {
  Impl& s = *impl_;
  const TransientOptions& o = s.options;
  problem.validate();
  const bool nonlinear = problem.is_nonlinear();
  const bool iterate = nonlinear || static_cast<bool>(hook);  // Picard loop per step
  const std::size_t n = problem.grid->num_cells();
  const auto N = static_cast<Eigen::Index>(n);
  if (T_K.size() != n) throw std::invalid_argument("transient solve: T_K needs one value per cell");
  if (output_times_s.empty() || !(output_times_s.front() >= t_start_s))
    throw std::invalid_argument("transient solve: output times must be given and >= t_start_s");
  for (std::size_t i = 1; i < output_times_s.size(); ++i)
    if (!(output_times_s[i] > output_times_s[i - 1]))
      throw std::invalid_argument("transient solve: output times must be strictly increasing");
  const std::vector<double> C = heat_capacity_J_per_K(problem);
  Eigen::VectorXd Cv(N);
  for (std::size_t c = 0; c < n; ++c) Cv[static_cast<Eigen::Index>(c)] = C[c];

  double shift = 0.0;
  if (problem.has_heat_sink()) {
    shift = boundary_reference_temperature(problem);
  } else {
    for (double t : T_K) shift += t;
    shift /= static_cast<double>(n);
  }

  // A and the boundary part of b at the initial state: b(t) = b_bc + P(t). With constant k
  // they hold for the whole run; with k(T) they serve the first step's predictor only.
  std::vector<double> P(n, 0.0);
  ThermalProblem p_t = problem;
  p_t.cell_power_W = &P;
  s.system.assemble(p_t, T_K, shift);
  const SparseMatrix A = s.system.matrix();
  const Eigen::VectorXd b_bc = s.system.rhs();
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

  auto fill_power = [&](double t) {
    if (power) {
      std::fill(P.begin(), P.end(), 0.0);
      power(t, T_K, P);
      if (P.size() != n)
        throw std::invalid_argument("transient solve: power callback changed the vector size");
    } else {
      P = *problem.cell_power_W;
    }
  };
  auto sum_power = [&] {
    double w = 0.0;
    for (double x : P) w += x;
    return w;
  };

  TransientReport rep;
  rep.linear_solver = to_string(s.linear->kind());
  rep.scheme = to_string(o.scheme);
  rep.t_reached_s = t_start_s;

  Eigen::VectorXd y(N), y1(N), y2(N), x(N), pred(N), rhs(N), delta(N), residual(N);
  std::vector<double> T_iter(iterate ? n : 0);  // the iterate in kelvin, for assembly and hook
  for (Eigen::Index c = 0; c < N; ++c) y[c] = T_K[static_cast<std::size_t>(c)] - shift;
  const Eigen::VectorXd y_start = y;
  rep.max_T_K = *std::max_element(T_K.begin(), T_K.end());
  // dT/dt at the start, for the first step's explicit-Euler predictor.
  fill_power(t_start_s);
  Eigen::VectorXd f0 = b_bc;
  for (Eigen::Index c = 0; c < N; ++c) f0[c] += P[static_cast<std::size_t>(c)];
  f0 = (f0 - A * y).cwiseQuotient(Cv);

  std::size_t next_out = 0;
  double t = t_start_s;
  while (next_out < output_times_s.size() && output_times_s[next_out] == t) {
    if (on_output) on_output(t, T_K);
    ++next_out;
  }

  double h_nom = std::min(o.dt_initial_s, o.dt_max_s);
  const int hold = s.hold_steps();
  double h1 = 0.0, h2 = 0.0;  // previous two accepted steps
  long history = 0;           // accepted steps so far
  int since_change = 0;
  double WP_prev = 0.0, WQ_prev = 0.0;  // previous step's energy terms (BDF2 recursion)
  auto fail = [&](std::string why) { rep.failure = std::move(why); };
  // A runaway that blows up in finite time (leakage e^{βT}) collapses the step size before
  // an accepted state passes runaway_T_K: it is one if the hottest cell was heating so fast
  // that at its last rate it would pass the limit before the end of the run.
  auto flag_blow_up = [&] {
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
  };

  // Landing times closer than this to the current time are reached already: a waveform point
  // and an output time that differ by round-off (k·slot summed vs multiplied) would otherwise
  // cost a step of ~1e-16 s (and a new matrix). 1e-12 of the run's span moves no result.
  const double merge_s = kLandingMergeRelative * (output_times_s.back() - t_start_s);
  while (next_out < output_times_s.size()) {
    if (output_times_s[next_out] - t <= merge_s) {
      t = output_times_s[next_out];
      rep.t_reached_s = t;
      ++rep.merged_landings;
      if (on_output) on_output(t, T_K);
      ++next_out;
      continue;
    }
    if (rep.steps + rep.rejected_steps >= o.max_steps) {
      fail("more than max_steps steps");
      break;
    }
    if (cancel_requested(o.linear)) {
      rep.cancelled = true;
      fail("cancelled");
      break;
    }
    const bool bdf2 = o.scheme == TimeScheme::bdf2 && history >= (o.adaptive ? 2 : 1);
    double h = std::min(h_nom, o.dt_max_s);
    if (bdf2) h = std::min(h, kMaxBdf2Ratio * h1);
    const bool nominal = h == h_nom;  // not shortened: the estimate may then set a new h_nom
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
    const double t_new = hits ? t_target : t + h;
    if (!(t_new > t)) {
      fail("step size below the resolution of the time value");
      break;
    }

    // Coefficients: (a0 C/h + A) y_new = b + (C/h)(α1 y − α2 y1).
    double a0 = 1.0, al1 = 1.0, al2 = 0.0;
    if (bdf2) {
      const double w = h / h1;
      a0 = (1.0 + 2.0 * w) / (1.0 + w);
      al1 = 1.0 + w;
      al2 = w * w / (1.0 + w);
    }
    // Predictor (also the initial guess) and the factor turning |y − pred| into the estimate.
    double est_factor = 0.0;
    if (history == 0) {
      pred = y + h * f0;
      est_factor = 0.5;
    } else if (!bdf2 || history < 2) {
      pred = y + (h / h1) * (y - y1);
      est_factor = h / (2.0 * h + h1);
    } else {
      const double L0 = (h + h1) * (h + h1 + h2) / (h1 * (h1 + h2));
      const double L1 = -h * (h + h1 + h2) / (h1 * h2);
      const double L2 = h * (h + h1) / ((h1 + h2) * h2);
      pred = L0 * y + L1 * y1 + L2 * y2;
      const double c = h * (h + h1) / (2.0 * h + h1);
      est_factor = c / (h + h1 + h2 - c);
    }

    const double gamma = a0 / h;
    fill_power(t_new);
    // rhs = (C/h)(α1 y − α2 y1) plus b_bc + P (constant k) or b(T), which holds P (k(T),
    // assembled at every iterate).
    for (Eigen::Index c = 0; c < N; ++c)
      rhs[c] = Cv[c] / h * (al1 * y[c] - (bdf2 ? al2 * y1[c] : 0.0));
    x = pred;
    bool linear_ok = true, picard_ok = true, stop = false;
    auto count = [&](const LinearSolveResult& r) {
      rep.setup_s += r.setup_s;
      rep.solve_s += r.solve_s;
      rep.linear_iterations += r.iterations;
      linear_ok = r.converged;
      if (r.cancelled) {
        rep.cancelled = true;
        fail("cancelled");
        stop = true;
      }
    };
    auto set_up = [&](const SparseMatrix& A_now) {
      s.M = A_now;
      for (std::size_t c = 0; c < n; ++c) s.M.valuePtr()[s.diag_at[c]] += gamma * C[c];
      rep.setup_s += s.linear->setup(s.M);
      ++rep.setups;
      s.gamma = gamma;
    };
    int step_iterations = 0;
    if (!iterate) {
      for (Eigen::Index c = 0; c < N; ++c) rhs[c] += b_bc[c] + P[static_cast<std::size_t>(c)];
      bool solved = false;
      if (!(gamma == s.gamma) && s.can_reuse(gamma)) {  // the last set-up preconditions
        const LinearSolveResult r = s.solve_stale(A, C, gamma, rhs, x);
        count(r);
        solved = r.converged || r.cancelled;
        if (!solved) x = pred;  // not converged with the stale set-up: set up and solve again
      }
      if (!solved) {
        if (!(gamma == s.gamma)) set_up(A);
        count(s.linear->solve(rhs, x));
      }
    } else {
      // Lagged-operator Picard: residual of A(T_k) at the iterate, correction with the set-up.
      // A hook moves only b (power, fluid temperatures), so with constant k the set-up holds.
      bool need_setup = !(gamma == s.gamma);
      double previous_change = std::numeric_limits<double>::infinity();
      picard_ok = false;
      for (int it = 1; it <= o.max_picard_iterations; ++it) {
        for (std::size_t c = 0; c < n; ++c) T_iter[c] = x[static_cast<Eigen::Index>(c)] + shift;
        s.system.assemble(p_t, T_iter, shift);
        if (need_setup) set_up(s.system.matrix());
        need_setup = false;
        residual = s.system.rhs() + rhs - gamma * Cv.cwiseProduct(x);
        residual.noalias() -= s.system.matrix() * x;
        delta.setZero();
        count(s.linear->solve(residual, delta));
        ++step_iterations;
        ++rep.picard_iterations;
        if (stop || !linear_ok) break;
        x += delta;
        const double change = delta.cwiseAbs().maxCoeff();
        if (!std::isfinite(change)) break;
        if (change <= o.picard_tolerance_K) {
          picard_ok = true;
          break;
        }
        // A step whose first iterate already misses the error tolerance by far will be
        // rejected: stop iterating and let the estimate below reject it at once.
        if (o.adaptive && it == 1 &&
            est_factor * max_abs_diff(x, pred) > kEarlyRejectFactor * o.tolerance_K) {
          picard_ok = true;
          break;
        }
        if (nonlinear && change > kMaxPicardContraction * previous_change) need_setup = true;
        previous_change = change;
        if (hook) {
          for (std::size_t c = 0; c < n; ++c) T_iter[c] = x[static_cast<Eigen::Index>(c)] + shift;
          rep.hook_note = hook(T_iter);
          fill_power(t_new);
        }
      }
    }
    if (stop) break;
    const bool finite = x.allFinite();
    if (!linear_ok || !finite || !picard_ok) {
      const char* why = !finite      ? "non-finite temperature"
                        : !linear_ok ? "linear solve did not converge"
                                     : "Picard iteration (k(T) or iterate hook) did not converge "
                                       "within max_picard_iterations";
      if (!o.adaptive) {
        rep.linear_converged = linear_ok;
        rep.all_finite = finite;
        fail(why);
        break;
      }
      ++rep.rejected_steps;
      h_nom = 0.5 * h;
      since_change = 0;
      if (h_nom < o.dt_min_s) {
        rep.linear_converged = linear_ok;
        rep.all_finite = finite;
        fail(std::string("step size below dt_min_s after a failed step: ") + why);
        flag_blow_up();
        break;
      }
      continue;
    }

    double ratio = o.max_growth;
    double estimate = 0.0;
    if (o.adaptive) {
      estimate = est_factor * max_abs_diff(x, pred);
      const double order = bdf2 ? 2.0 : 1.0;
      if (estimate > 0.0)
        ratio = o.safety * std::pow(o.tolerance_K / estimate, 1.0 / (order + 1.0));
      if (estimate > o.tolerance_K) {
        ++rep.rejected_steps;
        h_nom = h * std::max(std::min(ratio, 0.9), kMinShrink);
        since_change = 0;
        if (h_nom < o.dt_min_s) {
          fail("step size below dt_min_s: the error tolerance cannot be met");
          flag_blow_up();
          break;
        }
        continue;
      }
    }

    // Accept.
    y2 = y1;
    y1 = y;
    y = x;
    h2 = h1;
    h1 = h;
    t = t_new;
    ++history;
    ++rep.steps;
    ++since_change;
    rep.t_reached_s = t;
    rep.max_error_estimate_K = std::max(rep.max_error_estimate_K, estimate);
    rep.max_step_picard_iterations = std::max(rep.max_step_picard_iterations, step_iterations);
    rep.dt_smallest_s = rep.steps == 1 ? h : std::min(rep.dt_smallest_s, h);
    rep.dt_largest_s = std::max(rep.dt_largest_s, h);
    for (Eigen::Index c = 0; c < N; ++c) T_K[static_cast<std::size_t>(c)] = y[c] + shift;

    // Energy with the scheme's own quadrature: a0 ΔE_{n+1} = h F_{n+1} + α2 ΔE_n.
    const double P_in = sum_power();
    const double Q_out = compute_energy_balance(p_t, T_K).heat_out_W;
    const double WP = (h * P_in + (bdf2 ? al2 * WP_prev : 0.0)) / a0;
    const double WQ = (h * Q_out + (bdf2 ? al2 * WQ_prev : 0.0)) / a0;
    rep.energy_in_J += WP;
    rep.heat_out_J += WQ;
    WP_prev = WP;
    WQ_prev = WQ;

    rep.max_T_K = y.maxCoeff() + shift;
    if (rep.max_T_K > o.runaway_T_K) {
      rep.runaway = true;
      std::string text = fmt::format(
          "thermal runaway: the hottest cell reached {:.6g} K at t = {:.6g} s, above "
          "runaway_T_K = {:.6g} K",
          rep.max_T_K, t, o.runaway_T_K);
      fail(text);
      break;
    }
    const bool ramp = o.ramp_factor > 0.0 && ratio >= o.ramp_factor * o.max_growth;
    if (o.adaptive && nominal && !hits && (since_change >= hold || ramp) && ratio >= o.min_growth) {
      h_nom = std::min(h * std::min(ratio, o.max_growth), o.dt_max_s);
      since_change = 0;
    }
    if (hits) {
      if (on_output) on_output(t, T_K);
      ++next_out;
    }
  }

  rep.completed = next_out == output_times_s.size() && rep.failure.empty();
  double stored = 0.0;
  for (Eigen::Index c = 0; c < N; ++c) stored += Cv[c] * (y[c] - y_start[c]);
  rep.stored_change_J = stored;
  rep.energy_imbalance_J = rep.energy_in_J - rep.heat_out_J - stored;
  const double scale =
      std::max({std::fabs(rep.energy_in_J), std::fabs(rep.heat_out_J), std::fabs(stored)});
  rep.energy_relative = scale > 0.0 ? std::fabs(rep.energy_imbalance_J) / scale : 0.0;
  return rep;
}

}  // namespace cposim::solver
