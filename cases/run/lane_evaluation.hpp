#pragma once
/// \file
/// The electrical lanes of a case, from plan to results (the media, transitions, budgets and
/// routes are resolved by plan_lane_groups, cases/resolve/lane_plan.hpp): integrate each route's
/// loss through the solved temperature field and compare it with the budget (evaluate_lanes,
/// postproc/electrical/electrical.hpp does the physics); and put the results into the results file
/// and the run summary.

#include <map>
#include <string>
#include <vector>

#include "cases/resolve/lane_plan.hpp"
#include "cases/spec/case_spec.hpp"
#include "mesh/cell_field.hpp"
#include "postproc/electrical/electrical.hpp"
#include "postproc/io/results_writer.hpp"

namespace cposim::cases {

/// One evaluated lane (a row of /electrical/lanes).
struct LaneResult {
  std::size_t group = 0;         ///< index into ElectricalSpec::lane_groups
  int lane = 0;                  ///< index within the group
  double length_m = 0.0;         ///< routed length
  double asic_escape_m = 0.0;    ///< estimated routes; NaN for explicit ones
  double manhattan_m = 0.0;      ///< estimated routes; NaN for explicit ones
  double engine_escape_m = 0.0;  ///< estimated routes; NaN for explicit ones
  postproc::RouteLoss loss;      ///< segments moved out into the polyline set
  postproc::LaneMargin margin;
};

/// The worst lanes of one optical engine (the stdout summary; all groups landing on it).
struct LaneEngineSummary {
  std::string engine;
  int lanes = 0;
  int failing = 0;        ///< at the solved temperature
  int failing_25C = 0;    ///< at 25 °C
  int failing_reach = 0;  ///< routed longer than their budget's reach limit
  /// The worst lane: a failing one (over the loss budget or the reach limit) before any
  /// passing one, then the smallest margin at the solved temperature.
  std::string worst_group;
  int worst_lane = 0;
  bool worst_pass = true;  ///< the worst lane passes (so every lane of the engine does)
  double worst_length_m = 0.0;
  double worst_T_mean_K = 0.0;
  double worst_T_max_K = 0.0;
  double worst_IL_25C_dB = 0.0;
  double worst_IL_dB = 0.0;
  double worst_margin_dB = 0.0;      ///< the worst lane's margin, solved T
  double worst_margin_25C_dB = 0.0;  ///< smallest margin over the engine's lanes, 25 °C
  double worst_reach_m = 0.0;        ///< the worst lane's maximum reach at the solved T
  double budget_dB = 0.0;            ///< the worst lane's budget
  double T_max_K = 0.0;              ///< hottest point on any of the engine's routes
};

/// Everything the lanes of a run produce.
struct LaneEvaluation {
  std::vector<LaneGroupPlan> plans;
  std::vector<LaneResult> lanes;           ///< group by group, lane by lane
  std::vector<LaneEngineSummary> engines;  ///< in order of first appearance
  postproc::PolylineSet routes;            ///< "lanes": every route, per-segment values
};

/// Plans every lane group and integrates each lane's loss at its Nyquist frequency through
/// `T_K` (kelvin, on the case's grid, which must contain the package). Throws CaseError as
/// plan_lane_groups and std::invalid_argument / std::out_of_range for internal errors.
LaneEvaluation evaluate_lanes(const CaseSpec& spec, const mesh::CellField& T_K);

/// Adds /electrical/lanes, /electrical/lane_groups and the polyline set "lanes" to `content`;
/// nothing for a case without lanes.
void add_lane_results(const LaneEvaluation& evaluation, const CaseSpec& spec,
                      postproc::ResultsContent& content);

/// The stdout section: per engine, its worst lane at the solved temperature and at 25 °C
/// (°C, mm, dB); "" without lanes.
std::string format_lane_summary(const std::vector<LaneEngineSummary>& engines);

}  // namespace cposim::cases
