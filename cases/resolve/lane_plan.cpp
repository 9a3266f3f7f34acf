/// \file
/// Lane groups: resolution, routing (estimated or explicit), the cross-checks of
/// `[electrical]` and its resolved echo.
#include "cases/resolve/lane_plan.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "cases/read/toml_helpers.hpp"
#include "cases/spec/case_geometry.hpp"
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

constexpr double kBitsPerGigabit = 1e9;

void echo_medium(std::ostream& os, const postproc::Medium& m) {
  os << "\n[electrical.media." << m.name << "]\nmodel = " << quoted(postproc::to_string(m.model))
     << "\n";
  if (m.model == postproc::LossModel::physical) {
    os << "width_um = " << um(m.width_m) << "\nthickness_um = " << um(m.thickness_m)
       << "\nZ0_Ohm = " << format_number(m.Z0_Ohm)
       << "\nroughness_factor = " << format_number(m.roughness_factor)
       << "\nDk = " << format_number(m.Dk) << "\nDf = " << format_number(m.Df)
       << "\nreturn_plane_factor = " << format_number(m.return_plane_factor)
       << "\nrho20_Ohm_m = " << format_number(m.rho20_Ohm_m) << "\n";
  } else {
    // Back to the tabulated units; the round trip is exact to 15 digits.
    os << "a1_Np_per_mm_sqrtGHz = "
       << format_number(m.a1_Np_per_m_sqrtHz / postproc::com_a1_from_Np_per_mm_sqrtGHz(1.0))
       << "\na2_Np_per_mm_GHz = "
       << format_number(m.a2_Np_per_m_Hz / postproc::com_a2_from_Np_per_mm_GHz(1.0)) << "\n";
  }
  os << "Df_T_coefficient_per_K = " << format_number(m.Df_T_coefficient_per_K) << "\n";
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

void check_electrical(const CaseSpec& spec) {
  std::map<std::string, int> groups;
  for (const auto& g : spec.electrical.lane_groups) {
    const auto [it, inserted] = groups.emplace(g.name, g.name_where.line);
    if (!inserted)
      throw CaseError(g.name_where, "duplicate lane group name '" + g.name +
                                        "': already used at line " + std::to_string(it->second));
  }
  plan_lane_groups(spec);  // every other cross-check
}

void echo_electrical(std::ostream& os, const CaseSpec& spec) {
  const ElectricalSpec& e = spec.electrical;
  if (e.media.empty() && e.transitions.empty() && e.lane_groups.empty()) return;
  const auto media = resolve_media(e);
  for (const auto& m : e.media) echo_medium(os, media.at(m.name));
  for (const auto& t : e.transitions)
    os << "\n[electrical.transitions." << t.name
       << "]\nIL_28GHz_dB = " << format_number(t.IL_28GHz_dB)
       << "\nIL_53GHz_dB = " << format_number(t.IL_53GHz_dB) << "\n";
  const auto plans = plan_lane_groups(spec);
  for (std::size_t i = 0; i < e.lane_groups.size(); ++i) {
    const LaneGroupSpec& g = e.lane_groups[i];
    const LaneGroupPlan& p = plans[i];
    os << "\n[[electrical.lanes]]\nname = " << quoted(g.name) << "\ncount = " << g.count
       << "\nto = " << quoted(g.to)
       << "\ndata_rate_Gbps = " << format_number(g.data_rate_bps / kBitsPerGigabit)
       << "\nmodulation = " << quoted(postproc::to_string(g.modulation)) << "\n";
    if (g.budget_dB)
      os << "budget_dB = " << format_number(*g.budget_dB) << "\n";
    else
      os << "budget = " << quoted(g.budget) << "\n";
    os << "extra_loss_dB = " << format_number(g.extra_loss_dB) << "\n";
    if (g.from) {
      const auto& geo = p.geometry;
      os << "from = { block = " << quoted(g.from->block)
         << ", edge = " << quoted(postproc::to_string(geo.edge));
      if (g.from->region_m) {
        const auto& r = *g.from->region_m;
        os << ", region_um = [" << um(r[0]) << ", " << um(r[1]) << ", " << um(r[2]) << ", "
           << um(r[3]) << "]";
      } else {
        os << ", span_um = [" << um(geo.span_lo_m) << ", " << um(geo.span_hi_m) << "]";
      }
      os << " }\n";
      if (g.z_m) os << "z_um = " << um(*g.z_m) << "\n";
      os << "bump_pitch_um = " << um(g.bump_pitch_m) << "\nbumps_per_lane = " << g.bumps_per_lane
         << "\ndetour_factor = " << format_number(g.detour_factor)
         << "\nlanes_per_mm_per_layer = " << format_number(g.lanes_per_m_per_layer / 1e3) << "\n";
      if (g.routing_layers) os << "routing_layers = " << *g.routing_layers << "\n";
    } else {
      os << "route_um = [";
      for (std::size_t k = 0; k < g.route_m.size(); ++k)
        os << (k ? ", " : "") << "[" << um(g.route_m[k][0]) << ", " << um(g.route_m[k][1]) << ", "
           << um(g.route_m[k][2]) << "]";
      os << "]\n";
    }
    os << "path = [\n";
    for (const auto& step : g.path) {
      if (step.is_transition) {
        os << "  { transition = " << quoted(step.name) << ", count = " << step.count << " },\n";
        continue;
      }
      os << "  { medium = " << quoted(step.name);
      if (step.length_m) os << ", length_um = " << um(*step.length_m);
      if (step.z_m) os << ", z_um = " << um(*step.z_m);
      os << " },\n";
    }
    os << "]\n";
  }
}

}  // namespace cposim::cases
