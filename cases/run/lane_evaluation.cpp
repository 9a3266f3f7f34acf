/// \file
/// Lane groups: resolution, routing (estimated or explicit), evaluation through the solved
/// temperature field, results tables, polylines and the stdout summary.
#include "cases/run/lane_evaluation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <sstream>

#include "cases/spec/case_geometry.hpp"
#include "mesh/units.hpp"

namespace cposim::cases {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
using mesh::kKelvinAtZeroCelsius;

}  // namespace

LaneEvaluation evaluate_lanes(const CaseSpec& spec, const mesh::CellField& T_K) {
  LaneEvaluation out;
  out.plans = plan_lane_groups(spec);
  out.routes.name = "lanes";
  std::vector<double> seg_T, seg_loss, seg_lane, seg_group, seg_margin, seg_transition;
  std::map<std::string, std::size_t> engine_index;

  for (const auto& plan : out.plans) {
    const LaneGroupSpec& g = spec.electrical.lane_groups[plan.group];
    for (std::size_t l = 0; l < plan.routes.size(); ++l) {
      LaneResult r;
      r.group = plan.group;
      r.lane = static_cast<int>(l);
      r.loss = postproc::integrate_route_loss(T_K, plan.routes[l], plan.nyquist_Hz);
      r.margin = postproc::evaluate_margin(r.loss, plan.budget);
      r.length_m = r.loss.length_m;
      if (plan.estimated) {
        r.asic_escape_m = plan.estimates[l].asic_escape_m * g.detour_factor;
        r.manhattan_m = plan.estimates[l].manhattan_m * g.detour_factor;
        r.engine_escape_m = plan.estimates[l].engine_escape_m * g.detour_factor;
      } else {
        r.asic_escape_m = r.manhattan_m = r.engine_escape_m = kNaN;
      }

      // Polyline segments; consecutive segments share their common point.
      const double lane_row = static_cast<double>(out.lanes.size());
      for (const auto& s : r.loss.segments) {
        auto& pts = out.routes.points_m;
        if (pts.empty() || out.routes.segments.empty() || pts.back() != s.a_m ||
            seg_lane.back() != lane_row)
          pts.push_back(s.a_m);
        const auto a = static_cast<std::int64_t>(pts.size() - 1);
        pts.push_back(s.b_m);
        out.routes.segments.push_back({a, a + 1});
        seg_T.push_back(s.T_K);
        seg_loss.push_back(s.loss_dB);
        seg_lane.push_back(lane_row);
        seg_group.push_back(static_cast<double>(plan.group));
        seg_margin.push_back(r.margin.margin_dB);
        seg_transition.push_back(
            plan.routes[l].steps[s.step].kind == postproc::RouteStep::Kind::transition ? 1.0 : 0.0);
      }
      r.loss.segments.clear();
      r.loss.segments.shrink_to_fit();

      // Per engine: the lane with the smallest margin at the solved temperature.
      auto [it, added] = engine_index.emplace(g.to, out.engines.size());
      if (added) {
        out.engines.push_back({});
        out.engines.back().engine = g.to;
      }
      LaneEngineSummary& e = out.engines[it->second];
      const bool first = e.lanes == 0;
      ++e.lanes;
      e.failing += r.margin.pass ? 0 : 1;
      e.failing_25C += r.margin.pass_25C ? 0 : 1;
      e.failing_reach += r.length_m <= plan.budget.reach_m ? 0 : 1;
      e.T_max_K = first ? r.loss.T_max_K : std::max(e.T_max_K, r.loss.T_max_K);
      e.worst_margin_25C_dB =
          first ? r.margin.margin_25C_dB : std::min(e.worst_margin_25C_dB, r.margin.margin_25C_dB);
      const bool same_verdict = r.margin.pass == e.worst_pass;
      if (first || (e.worst_pass && !r.margin.pass) ||
          (same_verdict && (r.margin.margin_dB < e.worst_margin_dB ||
                            (std::isinf(r.margin.margin_dB) && r.length_m > e.worst_length_m)))) {
        e.worst_pass = r.margin.pass;
        e.worst_group = g.name;
        e.worst_lane = r.lane;
        e.worst_length_m = r.length_m;
        e.worst_T_mean_K = r.loss.T_mean_K;
        e.worst_T_max_K = r.loss.T_max_K;
        e.worst_IL_25C_dB = r.loss.loss_25C_dB;
        e.worst_IL_dB = r.loss.loss_dB;
        e.worst_margin_dB = r.margin.margin_dB;
        e.worst_reach_m = r.margin.max_reach_m;
        e.budget_dB = plan.budget.loss_dB;
      }
      out.lanes.push_back(std::move(r));
    }
  }
  out.routes.segment_values = {{"T_K", std::move(seg_T)},
                               {"loss_dB", std::move(seg_loss)},
                               {"lane", std::move(seg_lane)},
                               {"group", std::move(seg_group)},
                               {"margin_dB", std::move(seg_margin)},
                               {"transition", std::move(seg_transition)}};
  return out;
}

namespace {

/// /electrical/lanes: one row per lane.
postproc::ResultsTable lanes_table(const LaneEvaluation& ev,
                                   const std::vector<LaneGroupSpec>& groups) {
  std::vector<std::string> group, engine, media;
  std::vector<std::int64_t> lane;
  std::vector<std::int32_t> pass, pass_25C;
  std::vector<double> length, asic_escape, manhattan, engine_escape, T_mean, T_max, IL_25C, IL,
      transitions, budget, margin_25C, margin, reach_25C, reach;
  for (const auto& r : ev.lanes) {
    const LaneGroupSpec& g = groups[r.group];
    const LaneGroupPlan& p = ev.plans[r.group];
    group.push_back(g.name);
    engine.push_back(g.to);
    media.push_back(p.path_text);
    lane.push_back(r.lane);
    length.push_back(r.length_m);
    asic_escape.push_back(r.asic_escape_m);
    manhattan.push_back(r.manhattan_m);
    engine_escape.push_back(r.engine_escape_m);
    T_mean.push_back(r.loss.T_mean_K);
    T_max.push_back(r.loss.T_max_K);
    IL_25C.push_back(r.loss.loss_25C_dB);
    IL.push_back(r.loss.loss_dB);
    transitions.push_back(r.loss.transition_loss_dB);
    budget.push_back(p.budget.loss_dB);
    margin_25C.push_back(r.margin.margin_25C_dB);
    margin.push_back(r.margin.margin_dB);
    pass_25C.push_back(r.margin.pass_25C ? 1 : 0);
    pass.push_back(r.margin.pass ? 1 : 0);
    reach_25C.push_back(r.margin.max_reach_25C_m);
    reach.push_back(r.margin.max_reach_m);
  }
  return {"electrical",
          "lanes",
          {{"group", group},
           {"engine", engine},
           {"lane", lane},
           {"path", media},
           {"length_m", length},
           {"asic_escape_m", asic_escape},
           {"manhattan_m", manhattan},
           {"engine_escape_m", engine_escape},
           {"T_mean_K", T_mean},
           {"T_max_K", T_max},
           {"IL_25C_dB", IL_25C},
           {"IL_dB", IL},
           {"transition_IL_dB", transitions},
           {"budget_dB", budget},
           {"margin_25C_dB", margin_25C},
           {"margin_dB", margin},
           {"pass_25C", pass_25C},
           {"pass", pass},
           {"max_reach_25C_m", reach_25C},
           {"max_reach_m", reach}}};
}

/// /electrical/lane_groups: one row per group.
postproc::ResultsTable lane_groups_table(const LaneEvaluation& ev,
                                         const std::vector<LaneGroupSpec>& groups) {
  std::vector<std::string> names, engines, modulation, budget_name, routing;
  std::vector<std::int64_t> count, layers_needed, layers, failing, failing_25C;
  std::vector<double> rate, baud, nyquist, budget_dB, reach_limit, shoreline, length_min,
      length_max, T_hot, worst, worst_25C, reach_min;
  for (const auto& p : ev.plans) {
    const LaneGroupSpec& g = groups[p.group];
    names.push_back(g.name);
    engines.push_back(g.to);
    count.push_back(g.count);
    rate.push_back(g.data_rate_bps);
    modulation.push_back(postproc::to_string(g.modulation));
    baud.push_back(p.baud_Bd);
    nyquist.push_back(p.nyquist_Hz);
    budget_name.push_back(p.budget.name);
    budget_dB.push_back(p.budget.loss_dB);
    reach_limit.push_back(p.budget.reach_m);
    routing.push_back(p.estimated ? "estimated" : "explicit");
    shoreline.push_back(p.estimated ? p.shoreline_m : kNaN);
    layers_needed.push_back(p.routing_layers_needed);
    layers.push_back(g.routing_layers.value_or(0));
    double lo = kNaN, hi = kNaN, hot = kNaN, w = kNaN, w25 = kNaN, rmin = kNaN;
    std::int64_t f = 0, f25 = 0;
    bool first = true;
    for (const auto& r : ev.lanes) {
      if (r.group != p.group) continue;
      lo = first ? r.length_m : std::min(lo, r.length_m);
      hi = first ? r.length_m : std::max(hi, r.length_m);
      hot = first ? r.loss.T_max_K : std::max(hot, r.loss.T_max_K);
      w = first ? r.margin.margin_dB : std::min(w, r.margin.margin_dB);
      w25 = first ? r.margin.margin_25C_dB : std::min(w25, r.margin.margin_25C_dB);
      rmin = first ? r.margin.max_reach_m : std::min(rmin, r.margin.max_reach_m);
      f += r.margin.pass ? 0 : 1;
      f25 += r.margin.pass_25C ? 0 : 1;
      first = false;
    }
    length_min.push_back(lo);
    length_max.push_back(hi);
    T_hot.push_back(hot);
    worst.push_back(w);
    worst_25C.push_back(w25);
    reach_min.push_back(rmin);
    failing.push_back(f);
    failing_25C.push_back(f25);
  }
  return {"electrical",
          "lane_groups",
          {{"name", names},
           {"engine", engines},
           {"lanes", count},
           {"data_rate_bps", rate},
           {"modulation", modulation},
           {"baud_Bd", baud},
           {"nyquist_Hz", nyquist},
           {"budget", budget_name},
           {"budget_dB", budget_dB},
           {"reach_limit_m", reach_limit},
           {"routing", routing},
           {"shoreline_m", shoreline},
           {"routing_layers_needed", layers_needed},
           {"routing_layers", layers},
           {"length_min_m", length_min},
           {"length_max_m", length_max},
           {"T_max_K", T_hot},
           {"worst_margin_25C_dB", worst_25C},
           {"worst_margin_dB", worst},
           {"lanes_failing_25C", failing_25C},
           {"lanes_failing", failing},
           {"min_max_reach_m", reach_min}}};
}

}  // namespace

void add_lane_results(const LaneEvaluation& ev, const CaseSpec& spec,
                      postproc::ResultsContent& content) {
  if (ev.plans.empty()) return;
  const auto& groups = spec.electrical.lane_groups;
  content.tables.push_back(lanes_table(ev, groups));
  content.tables.push_back(lane_groups_table(ev, groups));
  content.polylines.push_back(ev.routes);
}

std::string format_lane_summary(const std::vector<LaneEngineSummary>& engines) {
  if (engines.empty()) return "";
  std::ostringstream out;
  std::string line;
  auto C = [](double T_K) { return T_K - kKelvinAtZeroCelsius; };
  int lanes = 0, failing = 0, failing_25C = 0;
  for (const auto& e : engines) {
    lanes += e.lanes;
    failing += e.failing;
    failing_25C += e.failing_25C;
  }
  line = fmt::format(
      "\nelectrical lanes: {} to {} engines; failing: {} at the solved temperature, {} "
      "at 25 °C\n",
      lanes, engines.size(), failing, failing_25C);
  out << line;
  out << "engine               worst lane      lanes  length  T mean/max      IL 25°C/T     "
         "margin 25°C/T  reach@T  fail  reach\n"
         "                                                mm          °C             dB     "
         "           dB       mm        fail\n";
  for (const auto& e : engines) {
    const std::string worst = e.worst_group + " #" + std::to_string(e.worst_lane);
    line = fmt::format(
        "{:<20.20} {:<15.15} {:5} {:7.2f} {:5.1f} / {:5.1f} {:6.2f} / {:5.2f} {:6.2f} / {:6.2f} "
        "{:8.2f} {:5} {:6}\n",
        e.engine, worst, e.lanes, e.worst_length_m * 1e3, C(e.worst_T_mean_K), C(e.worst_T_max_K),
        e.worst_IL_25C_dB, e.worst_IL_dB, e.worst_margin_25C_dB, e.worst_margin_dB,
        e.worst_reach_m * 1e3, e.failing, e.failing_reach);
    out << line;
  }
  return out.str();
}

}  // namespace cposim::cases
