/// \file
/// Route integration of the lane loss over a temperature field, reach and margins
/// (physics.md §3).
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "mesh/segment_cuts.hpp"
#include "postproc/electrical/electrical.hpp"
#include "postproc/electrical/electrical_checks.hpp"
#include "postproc/fields/probes.hpp"

namespace cposim::postproc {

using namespace electrical_checks;  // the shared argument checks (electrical_checks.hpp)

namespace {

using Point = std::array<double, 3>;

double distance_m(const Point& a, const Point& b) {
  const double dx = b[0] - a[0], dy = b[1] - a[1], dz = b[2] - a[2];
  return std::sqrt(dx * dx + dy * dy + dz * dz);
}

Point lerp(const Point& a, const Point& b, double t) {
  return {a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]), a[2] + t * (b[2] - a[2])};
}

}  // namespace

RouteLoss integrate_route_loss(const mesh::CellField& T_K, const Route& route, double f_Hz) {
  require_positive(f_Hz, "integrate_route_loss", "frequency");
  require(T_K.grid != nullptr, "integrate_route_loss: the temperature field has no grid");
  require_non_negative(route.extra_loss_dB, "integrate_route_loss", "extra loss");
  const auto& grid = *T_K.grid;
  int variables = 0;
  for (const auto& step : route.steps) {
    require(!step.points_m.empty(), "integrate_route_loss: a route step has no points");
    require(std::isfinite(step.length_scale) && step.length_scale > 0.0,
            "integrate_route_loss: length_scale must be > 0");
    if (step.kind == RouteStep::Kind::transition) {
      require(step.points_m.size() == 1,
              "integrate_route_loss: transition '" + step.transition.name + "' needs one point");
      require(step.count >= 1, "integrate_route_loss: transition count must be >= 1");
    } else {
      validate(step.medium);
      if (step.variable) ++variables;
    }
  }
  require(variables <= 1, "integrate_route_loss: more than one variable medium");

  RouteLoss out;
  double T_length_integral = 0.0;
  bool have_T = false;
  auto sample = [&](const Point& p) {
    ++out.num_samples;
    const double T = sample_at(T_K, p).value;
    out.T_max_K = have_T ? std::max(out.T_max_K, T) : T;
    out.T_min_K = have_T ? std::min(out.T_min_K, T) : T;
    have_T = true;
    return T;
  };
  auto point_T = [&](const Point& p) {
    ++out.num_samples;
    return sample_at(T_K, p).value;
  };

  for (std::size_t s = 0; s < route.steps.size(); ++s) {
    const RouteStep& step = route.steps[s];
    if (step.kind == RouteStep::Kind::transition) {
      const double loss = step.count * transition_loss_dB(step.transition, f_Hz);
      out.transition_loss_dB += loss;
      // Drawn from the end of the previous medium to the start of the next one.
      Point a = step.points_m.front(), b = a;
      for (std::size_t k = s; k-- > 0;)
        if (route.steps[k].kind == RouteStep::Kind::medium) {
          a = route.steps[k].points_m.back();
          break;
        }
      for (std::size_t k = s + 1; k < route.steps.size(); ++k)
        if (route.steps[k].kind == RouteStep::Kind::medium) {
          b = route.steps[k].points_m.front();
          break;
        }
      out.segments.push_back({a, b, point_T(step.points_m.front()), loss, s});
      continue;
    }
    const double alpha25 = medium_loss_dB_per_m(step.medium, f_Hz, kLossReference_K);
    double step_length = 0.0, step_loss = 0.0;
    for (std::size_t k = 0; k + 1 < step.points_m.size(); ++k) {
      const Point& a = step.points_m[k];
      const Point& b = step.points_m[k + 1];
      const double length = distance_m(a, b) * step.length_scale;
      if (length == 0.0) continue;
      // Simpson on each half-cell piece: T is smooth between cell-centre and face planes.
      const auto ts = mesh::segment_cuts(grid, a, b, mesh::CutPlanes::nodes_and_centres, 1e-12);
      Point p0 = a;
      double T0 = sample(p0);
      for (std::size_t j = 1; j < ts.size(); ++j) {
        const Point pm = lerp(a, b, 0.5 * (ts[j - 1] + ts[j]));
        const Point p1 = lerp(a, b, ts[j]);
        const double Tm = sample(pm), T1 = sample(p1);
        const double piece = length * (ts[j] - ts[j - 1]);
        const double loss = piece *
                            (medium_loss_dB_per_m(step.medium, f_Hz, T0) +
                             4.0 * medium_loss_dB_per_m(step.medium, f_Hz, Tm) +
                             medium_loss_dB_per_m(step.medium, f_Hz, T1)) /
                            6.0;
        const double T_mean = (T0 + 4.0 * Tm + T1) / 6.0;
        out.segments.push_back({p0, p1, T_mean, loss, s});
        T_length_integral += T_mean * piece;
        step_length += piece;
        step_loss += loss;
        p0 = p1;
        T0 = T1;
      }
    }
    out.length_m += step_length;
    out.loss_dB += step_loss;
    out.loss_25C_dB += alpha25 * step_length;
    if (step.variable) {
      out.has_variable_medium = true;
      out.variable_length_m = step_length;
      out.variable_loss_dB = step_loss;
      out.variable_loss_25C_dB = alpha25 * step_length;
      out.variable_25C_dB_per_m = alpha25;
      // A zero-length variable medium still has a loss per metre: at its point's temperature.
      out.variable_dB_per_m =
          step_length > 0.0
              ? step_loss / step_length
              : medium_loss_dB_per_m(step.medium, f_Hz, point_T(step.points_m.front()));
    }
  }
  out.loss_dB += out.transition_loss_dB + route.extra_loss_dB;
  out.loss_25C_dB += out.transition_loss_dB + route.extra_loss_dB;
  if (out.length_m > 0.0) {
    out.T_mean_K = T_length_integral / out.length_m;
  } else {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    out.T_mean_K = out.T_max_K = out.T_min_K = nan;
  }
  return out;
}

double reach_at_zero_margin_m(double budget_dB, double fixed_length_m, double fixed_loss_dB,
                              double variable_dB_per_m) {
  require(!std::isnan(budget_dB) && !std::isnan(fixed_loss_dB) && !std::isnan(variable_dB_per_m),
          "reach_at_zero_margin_m: NaN argument");
  require_non_negative(fixed_length_m, "reach_at_zero_margin_m", "fixed length");
  if (budget_dB == kNoLimit || !(variable_dB_per_m > 0.0)) return kNoLimit;
  if (fixed_loss_dB >= budget_dB) return fixed_length_m;
  return fixed_length_m + (budget_dB - fixed_loss_dB) / variable_dB_per_m;
}

LaneMargin evaluate_margin(const RouteLoss& loss, const Budget& budget) {
  LaneMargin out;
  out.margin_dB = budget.loss_dB - loss.loss_dB;
  out.margin_25C_dB = budget.loss_dB - loss.loss_25C_dB;
  const bool within_reach = loss.length_m <= budget.reach_m;
  out.pass = out.margin_dB >= 0.0 && within_reach;
  out.pass_25C = out.margin_25C_dB >= 0.0 && within_reach;
  const double fixed_length = loss.length_m - loss.variable_length_m;
  if (!loss.has_variable_medium || std::isnan(loss.loss_dB) || std::isnan(loss.loss_25C_dB)) {
    out.max_reach_m = out.max_reach_25C_m = std::numeric_limits<double>::quiet_NaN();
    return out;
  }
  out.max_reach_m =
      std::min(budget.reach_m, reach_at_zero_margin_m(budget.loss_dB, std::max(0.0, fixed_length),
                                                      loss.loss_dB - loss.variable_loss_dB,
                                                      loss.variable_dB_per_m));
  out.max_reach_25C_m =
      std::min(budget.reach_m, reach_at_zero_margin_m(budget.loss_dB, std::max(0.0, fixed_length),
                                                      loss.loss_25C_dB - loss.variable_loss_25C_dB,
                                                      loss.variable_25C_dB_per_m));
  return out;
}

}  // namespace cposim::postproc
