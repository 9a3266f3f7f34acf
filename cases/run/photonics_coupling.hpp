#pragma once
/// \file
/// The photonic ↔ thermal coupling loop (aesthetics.md §2.1: it lives in cases/, neither the
/// solver nor postproc knows it exists): solve → evaluate rings, lasers, waveguides and MZIs on
/// the field → heater powers and laser heat become cell power in their footprints → solve
/// again, warm-started with the same SteadySolver, until the powers settle. Also the device
/// geometry shared with the checks, the results tables and the summary text.

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cases/run/built_problem.hpp"
#include "cases/run/photonics_device_results.hpp"
#include "cases/spec/case_spec.hpp"
#include "cases/spec/photonics_devices.hpp"
#include "cases/spec/photonics_spec.hpp"
#include "mesh/box.hpp"
#include "postproc/io/results_writer.hpp"
#include "postproc/photonics/laser.hpp"
#include "postproc/photonics/photonics.hpp"
#include "solver/steady.hpp"

namespace cposim::cases {

/// One pass of the coupling loop.
struct CouplingStep {
  int iteration = 0;          ///< 1-based; one thermal solve each
  double heater_W = 0.0;      ///< total heater power evaluated on this solve's field
  double laser_heat_W = 0.0;  ///< total on-package laser heat evaluated on it
  double change = 0.0;        ///< max |ΔP| / max |P| over heaters and laser heat
  double max_ring_T_K = 0.0;
  int linear_iterations = 0;
  int out_of_range = 0;  ///< rings whose re-lock needs more than heater_max
};

/// How the loop ended.
enum class CouplingStatus {
  converged,               ///< powers settled; every ring in range
  open_loop,               ///< [coupling] enabled = false: evaluated once, nothing fed back
  tuning_range_exhausted,  ///< powers settled, but some ring needs more than its heater_max
  oscillation,             ///< powers swing without settling, or a ring's order flips back
  diverging,               ///< the power change grows (positive feedback, e.g. laser heating)
  not_converged,           ///< max_iterations reached
  solver_failed,           ///< a thermal solve did not converge
};

/// "converged", "open_loop", … as written to the results.
std::string to_string(CouplingStatus status);

/// Everything the coupling produced.
struct PhotonicsReport {
  CouplingStatus status = CouplingStatus::converged;
  std::string message;  ///< one line saying why, for the summary and the results file
  int iterations = 0;   ///< thermal solves in the loop
  double tolerance = 0.0;
  double total_heater_W = 0.0;
  double open_loop_heater_W = 0.0;  ///< heater power on the field without heater heat
  double laser_heat_W = 0.0;        ///< on-package laser heat in the last solve
  std::vector<RingResult> rings;
  std::vector<BankResult> banks;
  std::vector<LaserResult> lasers;
  std::vector<PathResult> paths;
  std::vector<MziResult> mzis;
  std::vector<CouplingStep> history;
  /// ∂T_ring_i/∂P_heater_j in K/W, rings × rings row-major; empty unless [coupling] crosstalk.
  std::vector<double> crosstalk_K_per_W;
  /// Heater and laser heat per cell as used in the last solve, W.
  std::vector<double> device_cell_power_W;
  solver::SolveReport last_solve;                         ///< of the last thermal solve of the loop
  double assembly_s = 0.0, setup_s = 0.0, solve_s = 0.0;  ///< summed over all solves
  int linear_iterations = 0;                              ///< summed over all solves
  int linear_solves = 0;                                  ///< summed over all solves

  /// True for a run whose photonics is usable: converged, evaluated open loop, or settled
  /// with some ring out of its tuning range (a design verdict, cases/run/verdicts.hpp: the run
  /// exits 0 and reports the ring as FAIL).
  bool ok() const {
    return status == CouplingStatus::converged || status == CouplingStatus::open_loop ||
           status == CouplingStatus::tuning_range_exhausted;
  }
};

/// The device results of a PhotonicsDeviceSet `devices` into `report` (rings, banks, lasers,
/// paths, MZIs): moved out of an rvalue set, copied from an lvalue one.
template <class DeviceSet>
void take_device_results(DeviceSet&& devices, PhotonicsReport& report) {
  report.rings = std::forward<DeviceSet>(devices).rings;
  report.banks = std::forward<DeviceSet>(devices).banks;
  report.lasers = std::forward<DeviceSet>(devices).lasers;
  report.paths = std::forward<DeviceSet>(devices).paths;
  report.mzis = std::forward<DeviceSet>(devices).mzis;
}

/// Runs the coupling loop for the devices of `spec` on `built`. Each pass solves with
/// `steady` (one solver for all passes: the pattern and preconditioner are kept and `T_K` is
/// the warm start), evaluates lasers (their heat) and rings (their re-lock heater power) on
/// the field, and adds those powers to the cells of their footprints (volume-weighted over
/// partial overlaps). Stops when max |ΔP| ≤ tolerance · max P, or on a failure that the status
/// names. On return `T_K` is the last field, `built.cell_power_W` holds the power it was solved
/// with (base + devices), and, with [coupling] crosstalk, the crosstalk matrix is filled from
/// one extra solve per heater. `spec` must have passed read_case. `on_step` (may be empty) is
/// called after each pass with its CouplingStep (progress reports). `hook` (may be empty) goes
/// to every solve of the loop (not to the crosstalk solves, which keep its last state); device
/// heat changes the cell power by differences, so the hook's changes (leakage) are kept.
/// Throws std::exception only for internal errors.
PhotonicsReport run_photonics_coupling(const CaseSpec& spec, BuiltProblem& built,
                                       solver::SteadySolver& steady, std::vector<double>& T_K,
                                       const std::function<void(const CouplingStep&)>& on_step = {},
                                       const solver::IterateHook& hook = {});

/// Adds the photonic results to `content`: tables /photonics/{rings, banks, lasers,
/// waveguides, mzis, coupling[, crosstalk]}, the polyline set "waveguides" (waveguides and
/// MZI arms, per-piece T_K, delta_T_K and device index), the field
/// device_power_density_W_per_m3 (heater and laser heat) and root attributes
/// (photonics_status, coupling_iterations, total_heater_W, …). `grid` must be the grid the
/// report was computed on.
void add_photonics_results(const PhotonicsReport& report, const mesh::RectilinearGrid& grid,
                           postproc::ResultsContent& content);

/// Writes the crosstalk matrix as CSV (header row of heater names; one row per ring, K/W).
/// Throws std::runtime_error if the file cannot be written.
void write_crosstalk_csv(const std::string& path, const PhotonicsReport& report);

/// The human summary of the photonics: coupling outcome, worst Δλ, total heater power (with
/// and without feedback), bank gradients, tracking margins, lasers, waveguides and MZIs.
std::string format_photonics(const PhotonicsReport& report);

}  // namespace cposim::cases
