#pragma once
/// \file
/// Plain structs mirroring the `[electrical]` section of a case file (cases/README.md,
/// "Electrical lanes"): user media and transitions, and groups of ASIC ↔ optical-engine lanes.
/// SI units; optional keys take their default here, in the member initialisers.

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "cases/spec/case_error.hpp"
#include "postproc/electrical/electrical.hpp"

namespace cposim::cases {

/// `[electrical.media.NAME]`: a user medium, either a full definition (`model` plus its keys)
/// or `base` (a built-in medium) plus overrides. Unset optionals keep the base's value or the
/// postproc::Medium default.
struct MediumSpec {
  std::string name;
  std::string base;  ///< empty: none
  SourceLocation base_where;
  std::optional<postproc::LossModel> model;  ///< required without `base`, not allowed with it
  std::optional<double> width_m;
  std::optional<double> thickness_m;
  std::optional<double> Z0_Ohm;
  std::optional<double> roughness_factor;
  std::optional<double> Dk;
  std::optional<double> Df;
  std::optional<double> return_plane_factor;
  std::optional<double> rho20_Ohm_m;
  std::optional<double> a1_Np_per_m_sqrtHz;
  std::optional<double> a2_Np_per_m_Hz;
  std::optional<double> Df_T_coefficient_per_K;
  SourceLocation where;  ///< the [electrical.media.NAME] table
};

/// `[electrical.transitions.NAME]`: a user transition.
struct TransitionSpec {
  std::string name;
  double IL_28GHz_dB = 0.0;  ///< > 0
  double IL_53GHz_dB = 0.0;  ///< > 0
  SourceLocation where;
};

/// One element of a lane group's `path`: a medium (a stretch of trace) or a transition.
struct PathStepSpec {
  bool is_transition = false;
  std::string name;  ///< medium or transition name
  SourceLocation name_where;
  std::optional<double> length_m;  ///< media: fixed routed length; absent: takes the rest
  SourceLocation length_where;
  std::optional<double> z_m;  ///< media: height of the trace (estimated routes only)
  SourceLocation z_where;
  int count = 1;  ///< transitions: how many in series, ≥ 1
  SourceLocation where;
};

/// `from = {...}`: the ASIC SerDes region, an edge segment or a rectangle of a block.
struct SerdesRegionSpec {
  std::string block;
  SourceLocation block_where;
  std::optional<postproc::Edge> edge;  ///< required with span_um; with region_um: facing edge
  SourceLocation edge_where;
  std::optional<std::array<double, 2>> span_m;  ///< along the edge; default the whole edge
  SourceLocation span_where;
  std::optional<std::array<double, 4>> region_m;  ///< [x0, y0, x1, y1]
  SourceLocation region_where;
  SourceLocation where;
};

/// `[[electrical.lanes]]`: `count` identical lanes from an ASIC SerDes region to an optical
/// engine's EIC block.
struct LaneGroupSpec {
  std::string name;
  SourceLocation name_where;
  int count = 0;                         ///< ≥ 1
  std::optional<SerdesRegionSpec> from;  ///< the estimator's input; exclusive with route_m
  std::string to;                        ///< the engine (EIC) block
  SourceLocation to_where;
  double data_rate_bps = 0.0;  ///< > 0
  SourceLocation data_rate_where;
  postproc::Modulation modulation = postproc::Modulation::pam4;
  std::string budget;  ///< a built-in budget name; empty: budget_dB
  SourceLocation budget_where;
  std::optional<double> budget_dB;  ///< > 0; exclusive with budget
  std::vector<PathStepSpec> path;   ///< ASIC → engine; exactly one medium without length_m
  SourceLocation path_where;
  std::optional<double> z_m;  ///< default trace height of the path's media (estimated routes)
  SourceLocation z_where;
  std::vector<std::array<double, 3>> route_m;  ///< explicit polyline; empty: estimated
  std::vector<SourceLocation> route_point_where;
  SourceLocation route_where;
  // Estimator settings (with `from` only).
  double bump_pitch_m = 40e-6;                ///< > 0
  int bumps_per_lane = 3;                     ///< ≥ 1
  double detour_factor = 1.1;                 ///< ≥ 1
  double lanes_per_m_per_layer = 10.0 * 1e3;  ///< > 0 (10 lanes per mm per layer)
  std::optional<int> routing_layers;          ///< ≥ 1: layers available (reported against)
  double extra_loss_dB = 0.0;                 ///< ≥ 0, IL_pkg of physics.md §3.1
  SourceLocation where;
};

/// `[electrical]`.
struct ElectricalSpec {
  std::vector<MediumSpec> media;            ///< sorted by name
  std::vector<TransitionSpec> transitions;  ///< sorted by name
  std::vector<LaneGroupSpec> lane_groups;   ///< file order
  SourceLocation where;
};

}  // namespace cposim::cases
