/// \file
/// The worst lanes of each lane group for the run summary (cases/run/run_case.hpp).
#include "cases/run/lane_group_summaries.hpp"

#include <cmath>
#include <utility>

namespace cposim::cases {

std::vector<LaneGroupSummary> lane_group_summaries(const LaneEvaluation& lanes,
                                                   const CaseSpec& spec) {
  std::vector<LaneGroupSummary> out;
  std::vector<int> index_of(spec.electrical.lane_groups.size(), -1);
  std::vector<double> reach_limit_m(spec.electrical.lane_groups.size(), postproc::kNoLimit);
  for (const auto& p : lanes.plans) reach_limit_m[p.group] = p.budget.reach_m;
  // Per group: (pass, loss margin) of the worst lane so far.
  std::vector<std::pair<bool, double>> worst_key;
  for (const auto& r : lanes.lanes) {
    int& index = index_of[r.group];
    const bool loss_ok = r.margin.margin_dB >= 0.0;  // false for NaN
    if (index < 0) {
      index = static_cast<int>(out.size());
      LaneGroupSummary g;
      g.group = spec.electrical.lane_groups[r.group].name;
      g.engine = spec.electrical.lane_groups[r.group].to;
      g.worst_lane = g.worst_loss_lane = g.worst_reach_lane = r.lane;
      g.worst_margin_dB = r.margin.margin_dB;
      g.worst_margin_25C_dB = r.margin.margin_25C_dB;
      g.reach_limit_m = reach_limit_m[r.group];
      g.worst_reach_length_m = r.length_m;
      out.push_back(g);
      worst_key.emplace_back(r.margin.pass, r.margin.margin_dB);
    }
    LaneGroupSummary& g = out[static_cast<std::size_t>(index)];
    ++g.lanes;
    g.failing += r.margin.pass ? 0 : 1;
    g.failing_loss += loss_ok ? 0 : 1;
    g.failing_reach += r.length_m <= g.reach_limit_m ? 0 : 1;
    if (r.margin.margin_dB < g.worst_margin_dB || std::isnan(r.margin.margin_dB)) {
      g.worst_margin_dB = r.margin.margin_dB;
      g.worst_loss_lane = r.lane;
    }
    if (r.length_m > g.worst_reach_length_m) {
      g.worst_reach_length_m = r.length_m;
      g.worst_reach_lane = r.lane;
    }
    // The worst lane counts reach failures: a failing lane before any passing one.
    auto& key = worst_key[static_cast<std::size_t>(index)];
    if ((key.first && !r.margin.pass) ||
        (key.first == r.margin.pass && r.margin.margin_dB < key.second)) {
      key = {r.margin.pass, r.margin.margin_dB};
      g.worst_lane = r.lane;
    }
    g.worst_margin_25C_dB = std::min(g.worst_margin_25C_dB, r.margin.margin_25C_dB);
  }
  for (auto& g : out) g.reach_margin_m = g.reach_limit_m - g.worst_reach_length_m;
  return out;
}

}  // namespace cposim::cases
