/// \file
/// Trace-length estimator: lane routes from the SerDes shoreline to the engine, and the
/// routing layers they need (physics.md §6 item 5).
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "postproc/electrical/electrical.hpp"
#include "postproc/electrical/electrical_checks.hpp"

namespace cposim::postproc {

using namespace electrical_checks;  // the shared argument checks (electrical_checks.hpp)

// ---- Trace-length estimator ------------------------------------------------------------------

const char* to_string(Edge edge) {
  const auto i = static_cast<std::size_t>(edge);
  return i < kEdgeNames.size() ? kEdgeNames[i] : "?";
}

namespace {

/// One end of the lanes: bump rows parallel to an edge at coordinate `edge_m` on the normal
/// axis, bumps lying on the side `inward` (+1 or −1) of it.
struct Shoreline {
  int normal_axis = 0;  ///< 0: the edge is at constant x; 1: at constant y
  double edge_m = 0.0;
  double inward = 1.0;
  double span_lo_m = 0.0;
  double span_hi_m = 0.0;
  double inset_m = 0.0;
};

struct LaneEnd {
  std::array<double, 2> bump_m{};
  std::array<double, 2> edge_m{};
  double escape_m = 0.0;
};

LaneEnd lane_end(const Shoreline& s, int lane, int lanes, double pitch_m, int bumps_per_lane) {
  const double span = s.span_hi_m - s.span_lo_m;
  const double fit = std::floor(span / (bumps_per_lane * pitch_m));
  const int columns = std::max(1, std::min(lanes, fit > 1e9 ? lanes : static_cast<int>(fit)));
  const int row = lane / columns;
  const int column = lane % columns;
  const double along = s.span_lo_m + (column + 0.5) * span / columns;
  LaneEnd end;
  end.escape_m = s.inset_m + (row + 0.5) * pitch_m;
  const int a = s.normal_axis;
  end.edge_m[a] = s.edge_m;
  end.edge_m[1 - a] = along;
  end.bump_m = end.edge_m;
  end.bump_m[a] = s.edge_m + s.inward * end.escape_m;
  return end;
}

void push_distinct(std::vector<std::array<double, 2>>& path, const std::array<double, 2>& p) {
  if (path.empty() || path.back() != p) path.push_back(p);
}

}  // namespace

std::vector<LaneEstimate> estimate_lane_routes(const LaneEscapeGeometry& g, int lanes) {
  const char* fn = "estimate_lane_routes";
  require(lanes >= 1, std::string(fn) + ": lanes must be >= 1, got " + std::to_string(lanes));
  require_positive(g.bump_pitch_m, fn, "bump pitch");
  require(g.bumps_per_lane >= 1, std::string(fn) + ": bumps_per_lane must be >= 1");
  require(std::isfinite(g.detour_factor) && g.detour_factor >= 1.0,
          std::string(fn) + ": detour factor must be >= 1, got " + number(g.detour_factor));
  require_non_negative(g.inset_m, fn, "inset");
  require(g.span_hi_m > g.span_lo_m, std::string(fn) + ": the SerDes span is empty");
  for (int a = 0; a < 2; ++a)
    require(g.die_m.hi_m[a] > g.die_m.lo_m[a] && g.engine_m.hi_m[a] > g.engine_m.lo_m[a],
            std::string(fn) + ": the die or the engine has no area");

  // The ASIC shoreline and the engine's facing edge.
  Shoreline asic, engine;
  const int normal = (g.edge == Edge::x_min || g.edge == Edge::x_max) ? 0 : 1;
  const bool low_side = g.edge == Edge::x_min || g.edge == Edge::y_min;
  asic.normal_axis = engine.normal_axis = normal;
  asic.edge_m = low_side ? g.die_m.lo_m[normal] : g.die_m.hi_m[normal];
  asic.inward = low_side ? 1.0 : -1.0;
  asic.span_lo_m = g.span_lo_m;
  asic.span_hi_m = g.span_hi_m;
  asic.inset_m = g.inset_m;
  engine.edge_m = low_side ? g.engine_m.hi_m[normal] : g.engine_m.lo_m[normal];
  engine.inward = -asic.inward;
  engine.span_lo_m = g.engine_m.lo_m[1 - normal];
  engine.span_hi_m = g.engine_m.hi_m[1 - normal];
  const bool beyond = low_side ? engine.edge_m <= asic.edge_m : engine.edge_m >= asic.edge_m;
  require(beyond, std::string(fn) + ": the engine does not lie beyond the " + to_string(g.edge) +
                      " edge of the die");

  // Slot k of each end (row k div n, column k mod n); lanes pair the two ends' slots in order
  // along the edge, so no two lanes cross: lane i takes ASIC slot i and the engine slot of the
  // same rank along the edge.
  std::vector<LaneEnd> asic_slots, engine_slots;
  for (int k = 0; k < lanes; ++k) {
    asic_slots.push_back(lane_end(asic, k, lanes, g.bump_pitch_m, g.bumps_per_lane));
    engine_slots.push_back(lane_end(engine, k, lanes, g.bump_pitch_m, g.bumps_per_lane));
  }
  auto order_along = [&](const std::vector<LaneEnd>& slots) {
    std::vector<std::size_t> order(slots.size());
    for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return slots[a].edge_m[1 - normal] < slots[b].edge_m[1 - normal];
    });
    return order;
  };
  const std::vector<std::size_t> asic_order = order_along(asic_slots);
  const std::vector<std::size_t> engine_order = order_along(engine_slots);
  std::vector<std::size_t> engine_slot_of(static_cast<std::size_t>(lanes));
  for (std::size_t rank = 0; rank < asic_order.size(); ++rank)
    engine_slot_of[asic_order[rank]] = engine_order[rank];

  std::vector<LaneEstimate> out;
  out.reserve(static_cast<std::size_t>(lanes));
  for (std::size_t i = 0; i < asic_slots.size(); ++i) {
    const LaneEnd& a = asic_slots[i];
    const LaneEnd& e = engine_slots[engine_slot_of[i]];
    LaneEstimate lane;
    lane.asic_bump_m = a.bump_m;
    lane.asic_edge_m = a.edge_m;
    lane.engine_edge_m = e.edge_m;
    lane.engine_bump_m = e.bump_m;
    lane.asic_escape_m = a.escape_m;
    lane.engine_escape_m = e.escape_m;
    lane.manhattan_m = std::abs(e.edge_m[0] - a.edge_m[0]) + std::abs(e.edge_m[1] - a.edge_m[1]);
    lane.geometric_length_m = lane.asic_escape_m + lane.manhattan_m + lane.engine_escape_m;
    lane.routed_length_m = lane.geometric_length_m * g.detour_factor;
    // Z-shaped Manhattan path: out of the die, jog along the edge halfway across the gap, in.
    const double middle = 0.5 * (a.edge_m[normal] + e.edge_m[normal]);
    std::array<double, 2> jog_a = a.edge_m, jog_e = e.edge_m;
    jog_a[normal] = middle;
    jog_e[normal] = middle;
    for (const auto& p : {a.bump_m, a.edge_m, jog_a, jog_e, e.edge_m, e.bump_m})
      push_distinct(lane.path_m, p);
    out.push_back(std::move(lane));
  }
  return out;
}

int routing_layers_needed(int lanes, double shoreline_m, double lanes_per_m_per_layer) {
  require(lanes >= 0, "routing_layers_needed: lanes must be >= 0");
  require_positive(shoreline_m, "routing_layers_needed", "shoreline");
  require_positive(lanes_per_m_per_layer, "routing_layers_needed", "lane density");
  const double layers = std::ceil(lanes / (shoreline_m * lanes_per_m_per_layer) - 1e-12);
  return static_cast<int>(std::max(0.0, layers));
}

// ---- Routes ----------------------------------------------------------------------------------

}  // namespace cposim::postproc
