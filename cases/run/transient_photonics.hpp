#pragma once
/// \file
/// Photonic devices in a [transient] run (cases/README.md "Photonics in a transient run";
/// PHYSICS-SUPPLEMENT.md §R): the heaters and the on-package laser heat are sources of the
/// transient grid; each ring's heater follows its control (`ideal`: re-solved between the
/// Picard iterates of every step, as the steady coupling does per solve; `pi`: a discrete PI
/// loop sampling the ring's detuning every pi_period_s, zero-order hold between samples, the
/// samples being landing times of the integration); lasers, waveguides and MZIs follow the
/// field. Every landing time adds to each ring's lock statistics and each laser's time outside
/// its window; every output time records the devices' histories. Plain data; prints nothing.

#include <optional>
#include <string>
#include <vector>

#include "cases/run/built_problem.hpp"
#include "cases/run/photonics_coupling.hpp"
#include "cases/run/photonics_device_set.hpp"
#include "cases/spec/case_spec.hpp"
#include "postproc/io/results_writer.hpp"
#include "postproc/photonics/ring_control.hpp"
#include "solver/steady.hpp"

namespace cposim::cases {

/// A ring's lock over a transient run.
struct RingLockResult {
  std::string name;
  std::string control;  ///< "ideal" or "pi"
  double lock_tolerance_m = 0.0;
  double heater_max_W = 0.0;
  double period_s = 0.0;  ///< PI sample period (0 for ideal)
  postproc::LockStatistics stats;
  bool pass() const { return stats.time_out_of_lock_s == 0.0; }
};

/// A laser's window over a transient run.
struct LaserWindowResult {
  std::string name;
  bool has_window = false;
  double time_outside_s = 0.0;  ///< outside its grid window, or not lasing
  double worst_margin_m = 0.0;  ///< smallest window margin at a landing time
  bool pass() const { return time_outside_s == 0.0; }
};

/// The devices' histories (one value per output time) and their lock over the run.
struct TransientPhotonicsSeries {
  std::vector<std::string> ring_names;
  std::vector<std::vector<double>> ring_T_K;         ///< [ring][output], footprint (sampled)
  std::vector<std::vector<double>> ring_detuning_m;  ///< measured: target − tuned resonance
  std::vector<std::vector<double>> ring_heater_W;    ///< held in the heater at that time
  std::vector<std::string> laser_names;
  std::vector<std::vector<double>> laser_junction_T_K, laser_lambda_m, laser_optical_W,
      laser_window_margin_m;
  std::vector<std::vector<double>> laser_heat_W;  ///< held in the stripe (0 for external)
  std::vector<std::string> path_names;            ///< waveguides and MZI arms
  std::vector<std::vector<double>> path_T_mean_K, path_phase_rad;
  std::vector<std::string> mzi_names;
  std::vector<std::vector<double>> mzi_imbalance_rad;
  std::vector<RingLockResult> rings;
  std::vector<LaserWindowResult> lasers;
  /// Heater + on-package laser heat per cell [W/m³] held at each output time (for
  /// ResultsContent::time_series: its volume integral is Σ heater_W + Σ laser heat_W there).
  postproc::TimeSeriesField device_power{"device_power_W_per_m3", {}};
};

/// The photonic devices of a transient run, bound to `built` (lent, must outlive this).
class TransientPhotonics {
 public:
  TransientPhotonics(const CaseSpec& spec, BuiltProblem& built);
  TransientPhotonics(const TransientPhotonics&) = delete;
  TransientPhotonics& operator=(const TransientPhotonics&) = delete;

  bool empty() const { return empty_; }

  /// Before the initial state: each ring's own near-field response on `T_K` (the uniform
  /// start; k(T) frozen there), the lasers' heat at their reference temperature, and that
  /// device heat added to built.cell_power_W.
  void prepare(const solver::ThermalProblem& problem, const std::vector<double>& T_K);
  /// The hook for the initial steady solve: every ring locked (as `ideal`), laser heat
  /// quasi-steady; changes built.cell_power_W by difference.
  solver::IterateHook initial_hook();
  /// On the initial state: every heater at the power that locks its ring on `T_K` (the
  /// steady start has them so already), device heat updated, PI loops started there.
  void start(const std::vector<double>& T_K);
  /// The hook of the transient steps: `ideal` heaters and laser heat from the iterate (empty
  /// if there are neither: PI heaters change only at their samples).
  solver::IterateHook step_hook();
  /// Adds the device heat held now to `cell_power_W` (after the base power was rewritten).
  void add_power(std::vector<double>& cell_power_W) const;
  /// The PI sample times in (0, end_s], sorted, without repeats.
  std::vector<double> sample_times(double end_s) const;
  /// At every landing time t (the state T reached there; `output`: t is an output time): lock
  /// statistics, the PI samples due at t, and the histories if `output`.
  void on_landing(double t, const std::vector<double>& T, bool output);

  TransientPhotonicsSeries& series() { return series_; }
  /// The devices on the final state `T_K` as a steady PhotonicsReport (the tables, link
  /// budget and verdicts of a steady run): each ring's state is what locks it there; its
  /// applied heater power is in the series. The heater power "without feedback" (on a field
  /// without heater heat) has no meaning after a history of heater heat: NaN (n/a) there.
  PhotonicsReport final_report(const std::vector<double>& T_K);

 private:
  /// Evaluates the devices on `T`; ideal rings (all if `lock_all`) take the power that
  /// locks them; laser heat updated; device heat changed in built.cell_power_W by difference.
  void follow(const std::vector<double>& T, bool lock_all);
  void update_device_power();
  void record(double t);

  const CaseSpec& spec_;
  BuiltProblem& built_;
  bool empty_ = true;
  PhotonicsDeviceSet devices_;
  std::vector<const RingSpec*> ring_spec_;
  std::vector<double> heater_W_, laser_heat_W_, required_W_, new_laser_W_;
  std::vector<double> device_cells_W_;
  std::vector<std::optional<postproc::PiController>> pi_;
  std::vector<long> next_sample_;  ///< index k of each PI ring's next sample k·T_s
  std::vector<double> T_scratch_;
  double t_last_ = 0.0;
  bool started_ = false;
  bool any_ideal_ = false, any_laser_heat_ = false;
  TransientPhotonicsSeries series_;
};

/// Adds /transient/rings, /transient/lasers, /transient/waveguides, /transient/ring_lock and
/// /transient/laser_windows (postproc/LAYOUT.md) to `content`.
void add_transient_photonics_results(const TransientPhotonicsSeries& s,
                                     const std::vector<double>& times_s,
                                     postproc::ResultsContent& content);

/// Writes photonics.csv: t_s, then per ring <ring>_T_K, <ring>_detuning_nm, <ring>_heater_mW,
/// per laser <laser>_junction_T_K, <laser>_lambda_nm, <laser>_window_margin_nm, per
/// waveguide / MZI arm <path>_phase_rad; one row per output time (temp file + rename).
/// Throws std::runtime_error naming the file.
void write_transient_photonics_csv(const std::string& path, const TransientPhotonicsSeries& s,
                                   const std::vector<double>& times_s);

/// The printed lock summary: one line per ring (control, max |detuning| against its tolerance,
/// time out of lock, time at the heater limit, heater energy) and per laser with a window.
std::string format_transient_photonics(const TransientPhotonicsSeries& s);

}  // namespace cposim::cases
