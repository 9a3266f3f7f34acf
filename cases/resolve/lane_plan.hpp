#pragma once
/// \file
/// The electrical lanes of a case resolved against the package: media, transitions and budgets
/// by name, each lane's route estimated from the placement or taken as given
/// (plan_lane_groups); the cross-checks of `[electrical]` (they are the planning) and its echo
/// with the resolved SerDes edges and spans.

#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "cases/spec/case_spec.hpp"
#include "postproc/electrical/electrical.hpp"

namespace cposim::cases {

/// Every medium a case can name: the built-ins of postproc::builtin_media() with the case's
/// user media added (a user medium with a built-in's name replaces it). Keyed by name.
std::map<std::string, postproc::Medium> resolve_media(const ElectricalSpec& electrical);

/// Every transition a case can name: the built-ins with the user transitions added.
std::map<std::string, postproc::Transition> resolve_transitions(const ElectricalSpec& electrical);

/// One lane group, resolved and routed: everything evaluate_lanes needs.
struct LaneGroupPlan {
  std::size_t group = 0;  ///< index into ElectricalSpec::lane_groups
  postproc::Budget budget;
  double baud_Bd = 0.0;
  double nyquist_Hz = 0.0;
  bool estimated = false;                         ///< routes from the placement (else route_um)
  postproc::LaneEscapeGeometry geometry;          ///< estimated only: the estimator's input
  double shoreline_m = 0.0;                       ///< estimated only: the SerDes span
  int routing_layers_needed = 0;                  ///< estimated only, else 0
  std::vector<postproc::LaneEstimate> estimates;  ///< estimated only, one per lane
  std::vector<postproc::Route> routes;            ///< one per lane
  std::string path_text;  ///< the path as one line, e.g. "ubump > si_rdl > ubump"
};

/// Resolves and routes every lane group of `spec` (in file order). Throws CaseError at the
/// referencing node for an unknown medium, transition, budget or block, a SerDes region off
/// its block, an engine not beyond the SerDes edge, a symbol rate outside the budget's range,
/// a trace height or route point outside the package, a route of zero length, or fixed path
/// lengths longer than a lane. `spec` must have passed the thermal checks.
std::vector<LaneGroupPlan> plan_lane_groups(const CaseSpec& spec);

/// Cross-checks the lane groups against each other and the package: unique group names, known
/// media, transitions and blocks, the SerDes region on its block's edge, the engine beyond
/// that edge, the data rate inside the budget's symbol-rate range, trace heights and explicit
/// routes inside the package, and fixed path lengths shorter than every lane. Throws CaseError
/// at the referencing node. `spec` must have passed the thermal checks.
void check_electrical(const CaseSpec& spec);

/// Writes `[electrical]` back as TOML with every default filled in (part of
/// CaseSpec::resolved_text): user media as full definitions, each group's SerDes edge and span
/// resolved. Nothing for a case without an `[electrical]` section. `spec` must have passed
/// check_electrical.
void echo_electrical(std::ostream& os, const CaseSpec& spec);

}  // namespace cposim::cases
