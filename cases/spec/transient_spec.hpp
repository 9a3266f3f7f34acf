#pragma once
/// \file
/// Plain structs of the transient parts of a case file (cases/README.md, "[transient]" and
/// "power_waveform"): the time integration and the per-block power over time. SI units;
/// optional keys take their default here.

#include <optional>
#include <string>
#include <vector>

#include "cases/spec/case_error.hpp"
#include "solver/transient.hpp"

namespace cposim::cases {

/// `power_waveform` of a block: its power over time, as a factor on power_W or in watts.
///
/// Between two points: `steps` holds the earlier point's value, `linear` interpolates. Before
/// the first point the first value holds, after the last point the last value. At a point's
/// time itself `steps` still has the earlier value (the limit from the left): an implicit step
/// that ends on a switch then integrates the power before it (the run lands on every point).
struct PowerWaveformSpec {
  enum class Kind { steps, linear };
  Kind kind = Kind::linear;
  /// false: `values` are factors on the block's power_W (`factor`); true: watts (a CSV with a
  /// `power_W` column), spread over the block's cells in the shape of its steady power.
  bool in_watts = false;
  std::vector<double> t_s;     ///< ≥ 1 point, strictly increasing
  std::vector<double> values;  ///< one per point, each finite and ≥ 0
  std::string csv_path;        ///< as written (empty for an inline waveform)
  std::string resolved_path;   ///< csv_path relative to the case file's folder
  SourceLocation where;        ///< the power_waveform value in the case file
};

/// How a transient run starts.
enum class InitialState {
  ambient,  ///< uniform initial_T_K
  steady,   ///< the steady solution with the powers at t = 0
};

/// `[transient]`: present ⇒ `cposim run` integrates in time instead of solving the steady state.
struct TransientSpec {
  solver::TimeScheme scheme = solver::TimeScheme::bdf2;
  double end_time_s = 0.0;  ///< > 0
  /// Output times, strictly increasing, each in [0, end_time_s]; resolved by the reader from
  /// output_times_s or output_interval_s, always with 0 first and end_time_s last.
  std::vector<double> output_times_s;
  double output_interval_s = 0.0;  ///< 0 when output_times_s was given
  InitialState initial = InitialState::ambient;
  /// Uniform initial temperature [K] for initial = ambient; unset: the conductance-weighted
  /// mean of the convection and fixed-temperature faces (solver::boundary_reference_temperature).
  std::optional<double> initial_T_K;
  /// Local error allowed per step, max over cells [K]: 0.05 K resolves a workload step's
  /// temperature history far below sensor accuracy (~0.5 K) at a modest step count.
  double tolerance_K = 0.05;
  double dt_initial_s = 1e-6;  ///< first step [s] (adaptive), the step (fixed); > 0
  bool dt_initial_given = false;
  /// Largest step [s]; unset: no limit (the run lands on every output time and every
  /// waveform point anyway, so no power change is stepped over).
  std::optional<double> dt_max_s;
  bool adaptive = true;  ///< false: fixed Δt = dt_initial_s (which must then be given)
  SourceLocation where;  ///< the [transient] table
};

}  // namespace cposim::cases
