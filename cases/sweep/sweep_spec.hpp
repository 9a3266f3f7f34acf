#pragma once
/// \file
/// A co-design sweep as read from the `[sweep]` table of a case file (cases/README.md,
/// "Sweeps"): parameters that move case values by path, how their values combine into points,
/// and the question the sweep answers (`[sweep.best]`). Plain data; sweep_reader.hpp fills it.

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "cases/spec/case_error.hpp"

namespace cposim::cases {

/// One value of a parameter: a number, a boolean or a string (numbers may be mapped affinely,
/// the others are copied as they are).
using SweepValue = std::variant<double, bool, std::string>;

/// The value as a report prints it: 1000, 0.5, true, "gmg_cg" (strings unquoted).
std::string to_string(const SweepValue& value);

/// One case value a parameter drives: `path` (e.g. "blocks.oe_w*.origin_um[0]") is set to
/// base + scale·(v − reference) for a number v, or to v itself for a boolean or string. Without
/// `base`, base is the case's own value at the path if the parameter has a reference, else 0.
struct SweepTarget {
  std::string path;            ///< as written in the sweep
  double scale = 1.0;          ///< numbers only
  std::optional<double> base;  ///< none: see above
  SourceLocation where;        ///< the path string
};

/// How a parameter's values are given.
enum class SweepValueKind { list, range, lhs };

/// One `[[sweep.parameters]]` entry with its values already expanded.
struct SweepParameter {
  std::string name;
  SweepValueKind kind = SweepValueKind::list;
  std::vector<SweepValue> values;  ///< list or range; for lhs filled by expand_design
  double lhs_min = 0.0, lhs_max = 0.0;
  /// The value the case as written corresponds to: paths without `base` then move relative
  /// to the case's own values. None: paths are set to base + scale·v (base default 0).
  std::optional<double> reference;
  std::vector<SweepTarget> targets;
  SourceLocation where;  ///< the parameter's table
};

/// How the parameters' value lists combine into points.
enum class SweepCombine { product, zip };

/// One comparison of `[sweep.best] require`: `metric op value`.
struct SweepRequirement {
  std::string metric;
  std::string op;  ///< ">=", "<=", ">", "<", "=="
  double value = 0.0;
  std::string text;  ///< as written
  SourceLocation where;
};

/// `[sweep.best]`: the point that minimises (or maximises) one parameter or metric among the
/// points that ran and meet every requirement.
struct SweepBest {
  std::string objective;  ///< a parameter or metric name
  bool maximize = false;
  std::vector<SweepRequirement> requirements;
  SourceLocation where;
};

/// A fixed override of `[sweep.set]`, applied to every point before the parameters.
struct SweepSetting {
  std::string path;
  SweepValue value;
  SourceLocation where;
};

/// The whole sweep.
struct SweepSpec {
  std::string sweep_path;      ///< the file holding [sweep]
  std::string base_case_path;  ///< the case the points start from (may be sweep_path itself)
  std::string base_case_text;  ///< its text
  std::string base_dir;        ///< the folder relative paths of the base case start from
  SweepCombine combine = SweepCombine::product;
  int samples = 0;  ///< Latin-hypercube samples (0: no lhs parameter)
  std::uint64_t seed = 1;
  std::vector<SweepSetting> settings;
  std::vector<SweepParameter> parameters;
  std::optional<SweepBest> best;
  std::string plot_x;  ///< parameter on the plot's x axis ("" if none is numeric)
  /// Metrics of the plot's panels, top to bottom (`[sweep] plot = [...]` or `[sweep.plot] y`);
  /// empty: the binding constraints (sweep_report.hpp, default_plot_metrics).
  std::vector<std::string> plot_y;
  SourceLocation where;  ///< the [sweep] table
};

/// Metrics every point reports (besides `T_max_K.<region>` for each layer and block and the
/// binding margin of each verdict class, cases/run/verdicts.hpp verdict_margin_metric_names), in
/// the order of the sweep table's columns. Names a `[sweep.best]` query may use.
inline constexpr const char* kSweepMetricNames[] = {"T_max_K",
                                                    "total_heater_W",
                                                    "max_heater_W",
                                                    "open_loop_heater_W",
                                                    "rings",
                                                    "rings_in_range",
                                                    "rings_out_of_range",
                                                    "worst_ring_margin_nm",
                                                    "max_ring_T_K",
                                                    "worst_lane_margin_dB",
                                                    "worst_lane_margin_25C_dB",
                                                    "failing_lanes",
                                                    "power_in_W",
                                                    "energy_imbalance_relative",
                                                    "solve_time_s",
                                                    "run_time_s",
                                                    "limit_failures",
                                                    "verdict_failures",
                                                    "feasible",
                                                    "exit_code",
                                                    "pareto"};

/// Most panels a sweep plot draws (`[sweep] plot`).
inline constexpr std::size_t kMaxSweepPlotPanels = 4;

/// One point of the sweep, ready to run.
struct SweepPoint {
  std::size_t index = 0;           ///< in expansion order
  std::vector<SweepValue> values;  ///< one per parameter, in SweepSpec::parameters order
  std::string case_text;           ///< the point's case file (TOML), what the child runs
  std::string resolved_text;       ///< CaseSpec::resolved_text of case_text
  std::string hash;                ///< point_hash(resolved_text): the folder name
};

}  // namespace cposim::cases
