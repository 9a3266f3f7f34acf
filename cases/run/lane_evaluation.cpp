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

#include "cases/resolve/case_check.hpp"
#include "mesh/units.hpp"

namespace cposim::cases {
namespace {

using Point = std::array<double, 3>;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
using mesh::kKelvinAtZeroCelsius;

std::string um(double metres) { return format_number(metres * 1e6); }

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

template <typename Map>
std::string known_names(const Map& map) {
  std::vector<std::string> names;
  for (const auto& [name, value] : map) names.push_back(name);
  return join(names);
}

std::string group_path(std::size_t i) { return "electrical.lanes[" + std::to_string(i) + "]"; }

/// Arc-length positions of the points of a polyline, starting at 0.
std::vector<double> cumulative_length(const std::vector<Point>& points) {
  std::vector<double> s(points.size(), 0.0);
  for (std::size_t k = 1; k < points.size(); ++k) {
    double d2 = 0.0;
    for (int a = 0; a < 3; ++a)
      d2 += (points[k][a] - points[k - 1][a]) * (points[k][a] - points[k - 1][a]);
    s[k] = s[k - 1] + std::sqrt(d2);
  }
  return s;
}

/// The point at arc length `s` (clamped to the polyline).
Point point_at(const std::vector<Point>& points, const std::vector<double>& cum, double s) {
  if (s <= 0.0) return points.front();
  if (s >= cum.back()) return points.back();
  const auto it = std::upper_bound(cum.begin(), cum.end(), s);
  const std::size_t k = static_cast<std::size_t>(it - cum.begin());  // cum[k-1] <= s < cum[k]
  const double t = (s - cum[k - 1]) / (cum[k] - cum[k - 1]);
  Point p;
  for (int a = 0; a < 3; ++a) p[a] = points[k - 1][a] + t * (points[k][a] - points[k - 1][a]);
  return p;
}

/// The part of a polyline between arc lengths s0 ≤ s1: the point at s0, the vertices strictly
/// between, the point at s1 (a single point if s0 == s1).
std::vector<Point> sub_polyline(const std::vector<Point>& points, const std::vector<double>& cum,
                                double s0, double s1) {
  std::vector<Point> out = {point_at(points, cum, s0)};
  for (std::size_t k = 0; k < points.size(); ++k)
    if (cum[k] > s0 && cum[k] < s1) out.push_back(points[k]);
  if (s1 > s0) out.push_back(point_at(points, cum, s1));
  return out;
}

const BlockSpec* find_block(const CaseSpec& spec, const std::string& name) {
  for (const auto& b : spec.blocks)
    if (b.name == name) return &b;
  return nullptr;
}

std::string block_names(const CaseSpec& spec) {
  std::vector<std::string> names;
  for (const auto& b : spec.blocks) names.push_back(b.name);
  std::sort(names.begin(), names.end());
  return join(names);
}

postproc::Rectangle footprint(const BlockSpec& b) {
  postproc::Rectangle r;
  for (int a = 0; a < 2; ++a) {
    r.lo_m[a] = b.origin_m[a];
    r.hi_m[a] = b.origin_m[a] + b.size_m[a];
  }
  return r;
}

bool is_x_edge(postproc::Edge e) {
  return e == postproc::Edge::x_min || e == postproc::Edge::x_max;
}

/// How far the engine lies beyond `edge` of the die (negative: not beyond).
double gap_beyond(const postproc::Rectangle& die, const postproc::Rectangle& engine,
                  postproc::Edge edge) {
  switch (edge) {
    case postproc::Edge::x_min:
      return die.lo_m[0] - engine.hi_m[0];
    case postproc::Edge::x_max:
      return engine.lo_m[0] - die.hi_m[0];
    case postproc::Edge::y_min:
      return die.lo_m[1] - engine.hi_m[1];
    case postproc::Edge::y_max:
      return engine.lo_m[1] - die.hi_m[1];
  }
  return -1.0;
}

std::string describe_rectangle(const postproc::Rectangle& r) {
  return "x from " + um(r.lo_m[0]) + " to " + um(r.hi_m[0]) + " µm, y from " + um(r.lo_m[1]) +
         " to " + um(r.hi_m[1]) + " µm";
}

/// The estimator's input for an estimated group: die, edge, span and inset from `from`.
postproc::LaneEscapeGeometry escape_geometry(const CaseSpec& spec, const LaneGroupSpec& g,
                                             std::size_t index, const BlockSpec& engine) {
  const SerdesRegionSpec& f = *g.from;
  const std::string path = group_path(index) + ".from";
  const BlockSpec* die_block = find_block(spec, f.block);
  if (die_block == nullptr)
    throw CaseError(f.block_where, "unknown block '" + f.block + "' in " + path +
                                       "; known blocks: " + block_names(spec));
  postproc::LaneEscapeGeometry geo;
  geo.die_m = footprint(*die_block);
  geo.engine_m = footprint(engine);
  geo.bump_pitch_m = g.bump_pitch_m;
  geo.bumps_per_lane = g.bumps_per_lane;
  geo.detour_factor = g.detour_factor;

  if (f.edge) {
    geo.edge = *f.edge;
  } else {  // a rectangle without an edge: the die edge the engine lies farthest beyond
    double best = -1.0;
    for (auto e : {postproc::Edge::x_min, postproc::Edge::x_max, postproc::Edge::y_min,
                   postproc::Edge::y_max}) {
      const double gap = gap_beyond(geo.die_m, geo.engine_m, e);
      if (gap >= -kGeometryTolerance_m && gap > best) {
        best = gap;
        geo.edge = e;
      }
    }
    if (best < -kGeometryTolerance_m)
      throw CaseError(g.to_where, "engine block '" + g.to + "' (" +
                                      describe_rectangle(geo.engine_m) +
                                      ") does not lie beyond any edge of block '" + f.block +
                                      "' (" + describe_rectangle(geo.die_m) + ")");
  }
  const int normal = is_x_edge(geo.edge) ? 0 : 1;
  const int along = 1 - normal;
  const char* along_name = along == 0 ? "x" : "y";
  if (gap_beyond(geo.die_m, geo.engine_m, geo.edge) < -kGeometryTolerance_m)
    throw CaseError(g.to_where, "engine block '" + g.to + "' does not lie beyond the " +
                                    postproc::to_string(geo.edge) + " edge of block '" + f.block +
                                    "': engine " + describe_rectangle(geo.engine_m) + ", die " +
                                    describe_rectangle(geo.die_m));
  if (f.region_m) {
    const auto& r = *f.region_m;
    const postproc::Rectangle region{{r[0], r[1]}, {r[2], r[3]}};
    for (int a = 0; a < 2; ++a)
      if (region.lo_m[a] < geo.die_m.lo_m[a] - kGeometryTolerance_m ||
          region.hi_m[a] > geo.die_m.hi_m[a] + kGeometryTolerance_m)
        throw CaseError(f.region_where, "'" + path + ".region_um' (" + describe_rectangle(region) +
                                            ") is not inside block '" + f.block + "' (" +
                                            describe_rectangle(geo.die_m) + ")");
    geo.span_lo_m = region.lo_m[along];
    geo.span_hi_m = region.hi_m[along];
    const bool low = geo.edge == postproc::Edge::x_min || geo.edge == postproc::Edge::y_min;
    geo.inset_m = std::max(0.0, low ? region.lo_m[normal] - geo.die_m.lo_m[normal]
                                    : geo.die_m.hi_m[normal] - region.hi_m[normal]);
  } else if (f.span_m) {
    geo.span_lo_m = (*f.span_m)[0];
    geo.span_hi_m = (*f.span_m)[1];
    if (geo.span_lo_m < geo.die_m.lo_m[along] - kGeometryTolerance_m ||
        geo.span_hi_m > geo.die_m.hi_m[along] + kGeometryTolerance_m)
      throw CaseError(f.span_where,
                      "'" + path + ".span_um' [" + um(geo.span_lo_m) + ", " + um(geo.span_hi_m) +
                          "] µm leaves the " + postproc::to_string(geo.edge) + " edge of block '" +
                          f.block + "', which runs from " + along_name + " = " +
                          um(geo.die_m.lo_m[along]) + " to " + um(geo.die_m.hi_m[along]) + " µm");
  } else {
    geo.span_lo_m = geo.die_m.lo_m[along];
    geo.span_hi_m = geo.die_m.hi_m[along];
  }
  return geo;
}

/// Throws at `where` if z is outside the package's height.
void check_height(double z_m, const mesh::Box& package, const SourceLocation& where,
                  const std::string& key) {
  if (z_m < package.lo_m[2] - kGeometryTolerance_m || z_m > package.hi_m[2] + kGeometryTolerance_m)
    throw CaseError(where, "'" + key + "' = " + um(z_m) + " µm is outside the package: z from " +
                               um(package.lo_m[2]) + " to " + um(package.hi_m[2]) + " µm");
}

/// The route of one lane along `points` (routed length = path length · scale), laid out step by
/// step; for estimated routes each medium lies at its own height.
postproc::Route lay_out_route(const LaneGroupSpec& g, const std::vector<Point>& points,
                              double scale, bool estimated,
                              const std::map<std::string, postproc::Medium>& media,
                              const std::map<std::string, postproc::Transition>& transitions) {
  const std::vector<double> cum = cumulative_length(points);
  const double total_m = cum.back() * scale;
  double fixed_m = 0.0;
  for (const auto& step : g.path)
    if (!step.is_transition && step.length_m) fixed_m += *step.length_m;
  const double rest_m = std::max(0.0, total_m - fixed_m);

  // The height of each medium step (estimated routes), and for transitions the height of the
  // medium before them (or after them, for leading transitions).
  std::vector<double> z(g.path.size(), 0.0);
  if (estimated) {
    for (std::size_t k = 0; k < g.path.size(); ++k)
      if (!g.path[k].is_transition) z[k] = g.path[k].z_m ? *g.path[k].z_m : *g.z_m;
    double current = kNaN;
    for (std::size_t k = 0; k < g.path.size(); ++k) {
      if (!g.path[k].is_transition) current = z[k];
      z[k] = g.path[k].is_transition ? current : z[k];
    }
    for (std::size_t k = g.path.size(); k-- > 0;) {
      if (!g.path[k].is_transition) current = z[k];
      if (std::isnan(z[k])) z[k] = current;
    }
  }

  postproc::Route route;
  route.extra_loss_dB = g.extra_loss_dB;
  double s_m = 0.0;  // routed length so far
  for (std::size_t k = 0; k < g.path.size(); ++k) {
    const PathStepSpec& step = g.path[k];
    postproc::RouteStep r;
    r.length_scale = scale;
    if (step.is_transition) {
      r.kind = postproc::RouteStep::Kind::transition;
      r.transition = transitions.at(step.name);
      r.count = step.count;
      Point p = point_at(points, cum, s_m / scale);
      if (estimated) p[2] = z[k];
      r.points_m = {p};
    } else {
      r.medium = media.at(step.name);
      const double length_m = step.length_m ? *step.length_m : rest_m;
      r.variable = !step.length_m;
      r.points_m =
          sub_polyline(points, cum, s_m / scale, std::min(total_m, s_m + length_m) / scale);
      if (estimated)
        for (auto& p : r.points_m) p[2] = z[k];
      s_m += length_m;
    }
    route.steps.push_back(std::move(r));
  }
  return route;
}

std::string path_text(const LaneGroupSpec& g) {
  std::string out;
  for (const auto& step : g.path) {
    if (!out.empty()) out += " > ";
    out += step.name;
    if (step.is_transition && step.count > 1) out += " x" + std::to_string(step.count);
    if (!step.is_transition && step.length_m) out += "[" + um(*step.length_m) + "um]";
  }
  return out;
}

}  // namespace

std::map<std::string, postproc::Medium> resolve_media(const ElectricalSpec& electrical) {
  std::map<std::string, postproc::Medium> out;
  for (const auto& m : postproc::builtin_media()) out[m.name] = m;
  for (const auto& s : electrical.media) {
    postproc::Medium m;
    if (!s.base.empty()) {
      m = *postproc::find_builtin_medium(s.base);  // the reader checked the name
      m.source = "case file, based on " + s.base;
    } else {
      m.model = *s.model;
      m.source = "case file";
    }
    m.name = s.name;
    if (s.width_m) m.width_m = *s.width_m;
    if (s.thickness_m) m.thickness_m = *s.thickness_m;
    if (s.Z0_Ohm) m.Z0_Ohm = *s.Z0_Ohm;
    if (s.roughness_factor) m.roughness_factor = *s.roughness_factor;
    if (s.Dk) m.Dk = *s.Dk;
    if (s.Df) m.Df = *s.Df;
    if (s.return_plane_factor) m.return_plane_factor = *s.return_plane_factor;
    if (s.rho20_Ohm_m) m.rho20_Ohm_m = *s.rho20_Ohm_m;
    if (s.a1_Np_per_m_sqrtHz) m.a1_Np_per_m_sqrtHz = *s.a1_Np_per_m_sqrtHz;
    if (s.a2_Np_per_m_Hz) m.a2_Np_per_m_Hz = *s.a2_Np_per_m_Hz;
    if (s.Df_T_coefficient_per_K) m.Df_T_coefficient_per_K = *s.Df_T_coefficient_per_K;
    try {
      postproc::validate(m);
    } catch (const std::invalid_argument& e) {
      throw CaseError(s.where, e.what());
    }
    out[m.name] = m;
  }
  return out;
}

std::map<std::string, postproc::Transition> resolve_transitions(const ElectricalSpec& electrical) {
  std::map<std::string, postproc::Transition> out;
  for (const auto& t : postproc::builtin_transitions()) out[t.name] = t;
  for (const auto& t : electrical.transitions)
    out[t.name] = {t.name, t.IL_28GHz_dB, t.IL_53GHz_dB, "case file"};
  return out;
}

std::vector<LaneGroupPlan> plan_lane_groups(const CaseSpec& spec) {
  const auto media = resolve_media(spec.electrical);
  const auto transitions = resolve_transitions(spec.electrical);
  const mesh::Box package = package_box(spec);
  std::vector<LaneGroupPlan> plans;
  for (std::size_t i = 0; i < spec.electrical.lane_groups.size(); ++i) {
    const LaneGroupSpec& g = spec.electrical.lane_groups[i];
    const std::string path = group_path(i);
    LaneGroupPlan plan;
    plan.group = i;
    plan.path_text = path_text(g);

    for (std::size_t k = 0; k < g.path.size(); ++k) {
      const PathStepSpec& step = g.path[k];
      const std::string where = path + ".path[" + std::to_string(k) + "]";
      if (step.is_transition && transitions.count(step.name) == 0)
        throw CaseError(step.name_where, "unknown transition '" + step.name + "' in " + where +
                                             "; known: " + known_names(transitions));
      if (!step.is_transition && media.count(step.name) == 0)
        throw CaseError(step.name_where, "unknown medium '" + step.name + "' in " + where +
                                             "; known: " + known_names(media));
    }

    // Budget and symbol rate.
    if (g.budget_dB) {
      plan.budget.name = "user";
      plan.budget.loss_dB = *g.budget_dB;
      plan.budget.source = "case file";
    } else {
      plan.budget = *postproc::find_builtin_budget(g.budget);  // the reader checked the name
    }
    plan.baud_Bd = postproc::baud_rate_Bd(g.data_rate_bps, g.modulation);
    plan.nyquist_Hz = postproc::nyquist_frequency_Hz(plan.baud_Bd);
    if (plan.baud_Bd < plan.budget.baud_min_Bd * (1 - 1e-12) ||
        plan.baud_Bd > plan.budget.baud_max_Bd * (1 + 1e-12))
      throw CaseError(g.data_rate_where,
                      "'" + path + ".data_rate_Gbps' = " + format_number(g.data_rate_bps / 1e9) +
                          " Gb/s " + postproc::to_string(g.modulation) + " is " +
                          format_number(plan.baud_Bd / 1e9) + " GBd, outside the " +
                          format_number(plan.budget.baud_min_Bd / 1e9) + " to " +
                          format_number(plan.budget.baud_max_Bd / 1e9) + " GBd of budget '" +
                          plan.budget.name + "'; choose a matching standard or give budget_dB");

    const BlockSpec* engine = find_block(spec, g.to);
    if (engine == nullptr)
      throw CaseError(g.to_where, "unknown engine block '" + g.to + "' in " + path +
                                      ".to; known blocks: " + block_names(spec));

    double fixed_m = 0.0;
    const PathStepSpec* first_fixed = nullptr;
    for (const auto& step : g.path)
      if (!step.is_transition && step.length_m) {
        fixed_m += *step.length_m;
        if (first_fixed == nullptr) first_fixed = &step;
      }
    auto check_fixed = [&](double shortest_m, const std::string& which) {
      if (fixed_m > shortest_m * (1 + 1e-12) + kGeometryTolerance_m)
        throw CaseError(first_fixed->length_where,
                        "the fixed lengths in " + path + ".path add up to " + um(fixed_m) +
                            " µm, more than " + which + " (" + um(shortest_m) + " µm)");
    };

    plan.estimated = g.from.has_value();
    if (plan.estimated) {
      if (g.z_m) check_height(*g.z_m, package, g.z_where, path + ".z_um");
      for (std::size_t k = 0; k < g.path.size(); ++k)
        if (g.path[k].z_m)
          check_height(*g.path[k].z_m, package, g.path[k].z_where,
                       path + ".path[" + std::to_string(k) + "].z_um");
      plan.geometry = escape_geometry(spec, g, i, *engine);
      plan.shoreline_m = plan.geometry.span_hi_m - plan.geometry.span_lo_m;
      plan.routing_layers_needed =
          postproc::routing_layers_needed(g.count, plan.shoreline_m, g.lanes_per_m_per_layer);
      plan.estimates = postproc::estimate_lane_routes(plan.geometry, g.count);
      std::size_t shortest = 0;
      for (std::size_t l = 0; l < plan.estimates.size(); ++l)
        if (plan.estimates[l].routed_length_m < plan.estimates[shortest].routed_length_m)
          shortest = l;
      check_fixed(plan.estimates[shortest].routed_length_m,
                  "the shortest estimated lane, lane " + std::to_string(shortest));
      for (const auto& e : plan.estimates) {
        std::vector<Point> points;
        for (const auto& p : e.path_m) points.push_back({p[0], p[1], 0.0});
        plan.routes.push_back(lay_out_route(g, points, g.detour_factor, true, media, transitions));
      }
    } else {
      for (std::size_t k = 0; k < g.route_m.size(); ++k) {
        const Point& p = g.route_m[k];
        for (int a = 0; a < 3; ++a)
          if (p[a] < package.lo_m[a] - kGeometryTolerance_m ||
              p[a] > package.hi_m[a] + kGeometryTolerance_m) {
            const char* axis = a == 0 ? "x" : a == 1 ? "y" : "z";
            throw CaseError(g.route_point_where[k], "'" + path + ".route_um[" + std::to_string(k) +
                                                        "]' leaves the package: " + axis + " = " +
                                                        um(p[a]) + " µm, package " + axis +
                                                        " from " + um(package.lo_m[a]) + " to " +
                                                        um(package.hi_m[a]) + " µm");
          }
      }
      const double length_m = cumulative_length(g.route_m).back();
      if (!(length_m > kGeometryTolerance_m))
        throw CaseError(g.route_where, "'" + path + ".route_um' has zero length");
      check_fixed(length_m, "the route's length");
      const auto route = lay_out_route(g, g.route_m, 1.0, false, media, transitions);
      plan.routes.assign(static_cast<std::size_t>(g.count), route);
    }
    plans.push_back(std::move(plan));
  }
  return plans;
}

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

void add_lane_results(const LaneEvaluation& ev, const CaseSpec& spec,
                      postproc::ResultsContent& content) {
  if (ev.plans.empty()) return;
  const auto& groups = spec.electrical.lane_groups;

  // /electrical/lanes: one row per lane.
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
  content.tables.push_back({"electrical",
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
                             {"max_reach_m", reach}}});

  // /electrical/lane_groups: one row per group.
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
  content.tables.push_back({"electrical",
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
                             {"min_max_reach_m", reach_min}}});
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
