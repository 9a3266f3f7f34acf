#pragma once
/// \file
/// summary.json: the run's key numbers as one small JSON document for scripts and reports.

#include <string>

#include "cases/run/run_summary.hpp"

namespace cposim::cases {

/// Version of the summary.json layout below; bumped when a key changes meaning or goes away.
inline constexpr int summary_json_version = 4;

/// The JSON text of `summary` (UTF-8, one object, ending in a newline). Keys, in this order:
///
///     summary_version (int), program_version, title,
///     verdict {pass (bool), checks, failures,
///              classes [{key, title, pass (bool), checked, failed, margin_unit,
///                        binding {name, margin, pass (bool), detail}}]}
///             (cases/run/verdicts.hpp: one class per kind of design check the run has),
///     headline {package_power_W, T_max_K, T_max_C, hottest_region, heater_W,
///               heater_open_loop_W, worst_delta_lambda_nm, worst_delta_lambda_ring,
///               worst_lane_margin_dB, worst_lane, coolant_outlet_K, coolant_outlet_C,
///               coolant_outlet_plate, laser_T_junction_K, laser_T_junction_C,
///               laser_T_case_K, laser_T_case_C, hottest_laser (the laser with the hottest
///               junction, and its case)}
///              (null where the run has no rings, lanes or cold plates),
///     grid {cells_per_axis [nx, ny, nz], num_cells},
///     solver {linear_solver, converged (bool), linear_iterations, picard_iterations,
///             relative_residual, nonlinear_residual,
///             fallback ("" or why gmg_cg fell back to amg_cg), runaway (bool),
///             failure_reason ("" if none),
///             times_s {build, assembly, setup, solve, postprocess}},
///     energy_balance {basis ("steady" | "transient_cumulative"), relative (the run's figure:
///                     steady, |P − Q| / max(P, Σ|face flows|); transient, the cumulative
///                     |in − out − stored| / max(|in|, |out|, |stored|) over the run),
///                     power_in_W, heat_out_W, imbalance_W (at the last state),
///                     instantaneous_relative (the balance of the last state: for a transient,
///                     the rate at which it still stores heat, not an error),
///                     face_heat_out_W {x_min, x_max, y_min, y_max, z_min, z_max}},
///     regions [{name, num_cells, power_W, T_max_K, T_max_C, T_mean_K, T_mean_C, T_min_K,
///               T_min_C, T_max_at_m [x, y, z]}],
///     face_stats [{name, where, T_max_K, T_mean_K, T_min_K, T_max_at_m [x, y, z], heat_W,
///                  area_m2}]  ([[output.face_stats]]: face values, cases/run/face_stats.hpp),
///     hot_spots [{region, rank, x_m, y_m, z_m, T_K, T_C}],
///     coolant {face, T_K, T_C, heat_out_W} or null,
///     thermal_resistance [{region, power_W, T_max_K, T_mean_K, R_max_K_per_W,
///                          R_mean_K_per_W}],
///     probes [{name, at_m [x, y, z], T_K, T_C}],
///     limits {failures, regions [{region, role, basis, limit_K, T_max_K, margin_K,
///                                 pass (bool)}],
///             ring_banks [{bank, count, gradient_K, limit_K, margin_K, pass (bool)}]},
///     photonics {status, ok (bool), message, iterations, total_heater_W,
///                open_loop_heater_W, laser_heat_W} or null (no photonic devices),
///     rings [{name, entry, T_K, T_C, delta_lambda_nm (as /photonics/rings), heater_W,
///     heater_required_W, heater_max_W,
///             margin_nm, in_range (bool)}],
///     lasers [{name, placement ("package" | "external"), T_case_K, T_case_C, T_junction_K,
///              T_junction_C, lambda_nm, delta_lambda_nm (λ − λ0 at the junction),
///              heat_W, optical_W, lasing (bool), window_margin_nm (null: no window),
///              pass (bool: lasing and inside its window)}],
///     lane_engines [{engine, lanes, failing, failing_25C, failing_reach, worst_group, worst_lane,
///                    worst_margin_dB, worst_margin_25C_dB, T_max_K, pass (bool)}],
///     lane_groups [{group, engine, lanes, failing, failing_loss, failing_reach, worst_lane,
///                   worst_loss_lane, worst_margin_dB, reach_limit_m, reach_margin_m,
///                   worst_margin_25C_dB, pass (bool)}],
///     link_engines [{engine, channels, failing, worst_channel, worst_margin_dB,
///                    worst_laser_T_K, pass (bool)}]  ([[optics.links]], link_evaluation.hpp),
///     links [{name, link, engine, laser_T_K, modulator_detuning_nm, demux_detuning_nm,
///             source_dBm, loss_dB {laser_split, …, extra}, received_oma_dBm, sensitivity_dBm,
///             margin_dB, pass (bool)}],
///     leakage [{block, model ("leakage" | "power_table"), T_block ("mean" | "max"), T_K, T_C,
///               dynamic_W, leakage_W, total_W}]  (blocks with a power P(T); cases/run/leakage.hpp)
///     envelope {points [{name, T_max_K, photonics_status}], rings [{name, shift_min_nm,
///               shift_max_nm, span_nm, range_nm, heater_needed_W, heater_max_W,
///               binding_point, margin_nm, margin_mW, covers (bool)}]} or null (no
///               [[operating_points]]; cases/run/envelope.hpp),
///     transient {scheme, initial, adaptive (bool), completed (bool), failure, end_time_s,
///                t_reached_s, outputs, steps, rejected_steps, setups, picard_iterations,
///                dt_min_s, dt_max_s, tolerance_K, max_error_estimate_K, energy_in_J,
///                heat_out_J, stored_change_J, energy_imbalance_J, energy_relative,
///                probes [{name, T_start_K, T_end_K, T_peak_K, t_peak_s}]} or null (steady)
///
/// tests/data/summary.schema.json is the same list as a JSON schema (a test checks a real
/// run against it).
/// Written by nlohmann::ordered_json with two-space indentation. Numbers are written with the
/// shortest digits that read back bitwise (a whole double keeps a ".0"); a NaN or infinite
/// value is written as null. Strings are escaped per RFC 8259; invalid UTF-8 bytes become
/// U+FFFD.
std::string summary_json(const RunSummary& summary);

/// summary.json written in two steps around other files: the constructor writes
/// summary_json(summary) in full to `<path>.tmp-<pid>` in the same directory, commit() renames
/// it over `path`. Destroyed without a successful commit(), it removes its temporary and leaves
/// an existing `path` as it was. run_case uses it so that a summary.json that cannot be written
/// fails the run before results.h5 is touched, and a new summary.json appears only once
/// results.h5 has been written. Not copyable.
class PendingSummaryJson {
 public:
  /// Writes the temporary. Throws std::runtime_error naming the file if that fails (nothing
  /// is left behind then).
  PendingSummaryJson(std::string path, const RunSummary& summary);
  ~PendingSummaryJson();
  PendingSummaryJson(const PendingSummaryJson&) = delete;
  PendingSummaryJson& operator=(const PendingSummaryJson&) = delete;
  /// Renames the temporary over the final path. Throws std::runtime_error naming both files
  /// if the rename fails (the destructor then removes the temporary).
  void commit();

 private:
  std::string path_;
  std::string tmp_;
  bool committed_ = false;
};

/// Writes summary_json(summary) to `path`: first in full to `<path>.tmp-<pid>` in the same
/// directory, then renamed over `path`, so a reader never sees a half-written file. On failure
/// the temporary is removed, an existing `path` is left as it was, and std::runtime_error
/// names the file.
void write_summary_json(const std::string& path, const RunSummary& summary);

}  // namespace cposim::cases
