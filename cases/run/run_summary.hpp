#pragma once
/// \file
/// RunSummary: everything a run found, as plain data. run_case (run_case.hpp) fills it; the
/// report writers (cases/report/) and main read it.

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "cases/run/built_problem.hpp"
#include "cases/run/cavity_coupling.hpp"
#include "cases/run/cold_plate_coupling.hpp"
#include "cases/run/envelope.hpp"
#include "cases/run/face_stats.hpp"
#include "cases/run/lane_evaluation.hpp"
#include "cases/run/lane_group_summaries.hpp"
#include "cases/run/leakage.hpp"
#include "cases/run/link_evaluation.hpp"
#include "cases/run/photonics_coupling.hpp"
#include "cases/run/run_transient.hpp"
#include "cases/run/temperature_limits.hpp"
#include "cases/run/thermal_resistance.hpp"
#include "postproc/fields/hot_spots.hpp"
#include "postproc/fields/probes.hpp"
#include "postproc/fields/region_statistics.hpp"
#include "solver/steady.hpp"

namespace cposim::cases {

/// Hot spots kept per region in the results and summaries.
inline constexpr std::size_t kHotSpotsPerRegion = 5;
/// Minimum distance between two hot spots of one region, metres: finer than a die's features
/// worth telling apart (hundreds of µm), coarser than a grid cell of a power-map hot spot.
inline constexpr double kHotSpotMinSeparation_m = 100e-6;

/// How a run ended, as far as its results go (the design verdicts aside).
enum class RunOutcome {
  ok,              ///< converged, and the photonic coupling (if any) succeeded
  not_converged,   ///< results written but flagged converged = 0 (or photonics_ok = 0)
  thermal_runaway  ///< a block power P(T) ran away: results of the last iterate, flagged
};

/// Wall time per phase, seconds; the *_cpu_s members are the process's CPU time (all threads)
/// in the same phase.
struct PhaseTimes {
  double build_s = 0.0;  ///< grid, labels, materials, power
  double assembly_s = 0.0;
  double setup_s = 0.0;
  double solve_s = 0.0;
  double postprocess_s = 0.0;
  double write_s = 0.0;
  /// The whole solve phase: assembly, set-up, solves and what runs between them (device
  /// evaluation of a photonic coupling, iterate hooks, energy balance).
  double solve_phase_s = 0.0;
  double build_cpu_s = 0.0, solve_phase_cpu_s = 0.0, postprocess_cpu_s = 0.0, write_cpu_s = 0.0;
  /// Shares of write_s: results.h5 (+ .xmf), temperature maps, report files (summary.json,
  /// report.html, plots); the VTK share is RunSummary::vtk_write_s.
  double results_h5_s = 0.0, maps_s = 0.0, reports_s = 0.0;
};

/// Linear solves and their iterations of the run's solve phase (every Picard step of every
/// coupling iteration and crosstalk solve; a transient run: its outer iterates; not the solves
/// of [[operating_points]], which belong to the post-processing).
struct SolveWork {
  long linear_solves = 0;
  long linear_iterations = 0;
};

struct RunSummary {
  std::string title;
  std::array<std::size_t, 3> cells_per_axis{};
  std::size_t num_cells = 0;
  solver::SolveReport solve;
  std::vector<postproc::RegionStatistics> regions;
  std::vector<postproc::ProbeReading> probes;
  /// `[[output.face_stats]]` on the final field (face values, cases/run/face_stats.hpp).
  std::vector<FaceStatsResult> face_stats;
  /// Top local maxima per region (postproc::find_hot_spots, 26-neighbour, at most
  /// kHotSpotsPerRegion per region, kHotSpotMinSeparation_m apart).
  std::vector<postproc::HotSpot> hot_spots;
  /// The face whose temperature the resistances are referred to; empty if no convection or
  /// fixed_temperature face carries heat out (then `resistances` is empty too).
  std::optional<CoolantReference> coolant;
  /// Junction-to-coolant resistance of each region with power > 0 (self + crosstalk).
  std::vector<SourceResistance> resistances;
  std::vector<PowerMapReport> power_maps;
  PhaseTimes times;
  SolveWork work;
  std::string results_path;  ///< the .h5 written
  std::string xdmf_path;
  std::string summary_json_path;  ///< summary.json beside results.h5 (see summary_json.hpp)
  /// Photonic devices and the coupling loop; empty for a case without devices.
  std::optional<PhotonicsReport> photonics;
  std::string crosstalk_csv_path;  ///< written with [coupling] crosstalk = true
  /// Electrical lanes: the worst lane of each optical engine; empty for a case without lanes.
  std::vector<LaneEngineSummary> lane_engines;
  /// Cold plates: outlet, heat, ΔT, h (and Re/Nu from channels); empty without plates.
  std::vector<ColdPlateResult> cold_plates;
  std::vector<CavityResult> cavities;  ///< [[cavities]] (cavity_coupling.hpp)
  /// Electrical lanes: the worst lane of each lane group, in file order.
  std::vector<LaneGroupSummary> lane_groups;
  /// [[optics.links]] per channel at the solved temperatures (cases/run/link_evaluation.hpp).
  std::vector<LinkChannelResult> links;
  /// [[operating_points]] with the case as written as "nominal" (cases/run/envelope.hpp).
  std::optional<EnvelopeReport> envelope;
  /// Temperature limits of layers and blocks, ring-bank spreads (a design verdict: a failure
  /// does not change outcome()).
  LimitReport limits;
  /// PNG temperature maps written beside results.h5 (embedded in report.html): one per
  /// [[output.maps]], or map_hottest.png (cases/run/temperature_maps.hpp).
  /// After them, coolant_<plate>.png per cold plate (cases/report/report_plots.hpp).
  std::vector<std::string> map_png_paths;
  /// history.png beside results.h5 for a [transient] run (cases/report/report_plots.hpp); else
  /// empty.
  std::string history_png_path;
  /// photonics_history.png (ring detuning and heater power) of a transient run with rings.
  std::string photonics_history_png_path;
  /// [solver] max_energy_imbalance of the run: report.html colours the energy closures
  /// (transient accounting, cold-plate coolant) against it.
  double max_energy_imbalance = 1e-6;
  /// VTK XML files (results.vtr, results_<set>.vtp, results.pvd last) with [output] formats
  /// "vtk" or --format vtk; empty otherwise. vtk_write_s: their share of times.write_s.
  std::vector<std::string> vtk_paths;
  double vtk_write_s = 0.0;
  std::string report_html_path;  ///< report.html beside results.h5 (see report_html.hpp)
  /// Why the thermal solve is a failure, one line naming the [solver] key to change: not
  /// converged, temperatures not finite, or an energy imbalance above max_energy_imbalance.
  /// Empty if it is none of these. Written to the results as the failure_reason attribute.
  std::string thermal_failure;
  /// Blocks with a temperature-dependent power (leakage, power_table); empty if there are none.
  std::optional<LeakageReport> leakage;
  /// A [transient] run: its report, histories and probes.csv; empty for a steady run. `solve`
  /// then holds TransientSummary::final_state.
  std::optional<TransientSummary> transient;

  bool runaway() const { return leakage && leakage->runaway; }
  /// The run's energy-balance figure: a transient run's cumulative accounting
  /// (|in − out − stored| / max(|in|, |out|, |stored|) over the run), else the steady
  /// balance. solve.energy.relative stays the balance of the last state (instantaneous).
  double energy_relative() const {
    return transient ? transient->report.energy_relative : solve.energy.relative;
  }
  /// ok if the thermal solve converged and the photonic coupling (if any) succeeded,
  /// thermal_runaway for a runaway, else not_converged. What an outcome means for the exit code
  /// of `cposim` is decided in cases/app/exit_codes.hpp.
  RunOutcome outcome() const {
    if (runaway()) return RunOutcome::thermal_runaway;
    const bool photonics_ok = !photonics || photonics->ok();
    return solve.converged && solve.all_finite && thermal_failure.empty() && photonics_ok
               ? RunOutcome::ok
               : RunOutcome::not_converged;
  }
  /// Why outcome() is not ok, in one line ("" when it is ok).
  std::string failure_reason() const {
    if (runaway())
      return leakage->message + "; results written and flagged (runaway = 1, converged = 0)";
    if (!thermal_failure.empty())
      return thermal_failure + "; results written and flagged (converged = 0)";
    if (!solve.converged || !solve.all_finite)
      return "solver did not converge; results written and flagged (converged = 0)";
    if (photonics && !photonics->ok())
      return "photonic coupling failed (" + to_string(photonics->status) +
             "): " + photonics->message + "; results written and flagged (photonics_ok = 0)";
    return "";
  }
};

}  // namespace cposim::cases
