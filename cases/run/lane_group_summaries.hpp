#pragma once
/// \file
/// The worst lanes of each lane group, for the run summary, summary.json and report.html.

#include <string>
#include <vector>

#include "cases/run/lane_evaluation.hpp"
#include "cases/spec/case_spec.hpp"

namespace cposim::cases {

/// The worst lane of one lane group (summary.json and report.html).
struct LaneGroupSummary {
  std::string group;
  std::string engine;  ///< the EIC block the group lands on
  int lanes = 0;
  int failing = 0;  ///< at the solved temperature, over loss budget or reach limit
  /// The worst lane: a failing one (loss or reach) before any passing one, then the smallest
  /// loss margin at the solved temperature.
  int worst_lane = 0;
  int failing_loss = 0;               ///< lanes over the loss budget (or NaN loss)
  int worst_loss_lane = 0;            ///< the lane with the smallest loss margin
  double worst_margin_dB = 0.0;       ///< its margin; kNoLimit (infinite) without a loss budget
  double worst_margin_25C_dB = 0.0;   ///< smallest margin at 25 °C
  double reach_limit_m = 0.0;         ///< the budget's routed-length limit; kNoLimit: none
  int failing_reach = 0;              ///< lanes routed longer than reach_limit_m
  int worst_reach_lane = 0;           ///< the longest lane
  double worst_reach_length_m = 0.0;  ///< its routed length
  double reach_margin_m = 0.0;        ///< reach_limit_m − worst_reach_length_m
};

/// The worst lanes of each lane group of `lanes` (evaluated for `spec`), in group order.
std::vector<LaneGroupSummary> lane_group_summaries(const LaneEvaluation& lanes,
                                                   const CaseSpec& spec);

}  // namespace cposim::cases
