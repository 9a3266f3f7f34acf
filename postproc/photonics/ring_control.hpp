#pragma once
/// \file
/// Ring heater control in time (PHYSICS-SUPPLEMENT.md §R): the discrete PI loop on a ring's
/// measured detuning, the detuning a loop measures (the nearest resonance order), and the lock
/// statistics of a run (max |detuning|, time out of lock, time at the heater limit, heater
/// energy). Pure functions and small value types on plain numbers, SI throughout: nothing here
/// knows about the grid, the solver or case files.

#include <cstddef>

namespace cposim::postproc {

/// Settings of a discrete PI heater loop (PHYSICS-SUPPLEMENT.md §R.1).
struct PiSettings {
  double kp_W_per_m = 0.0;    ///< proportional gain, W per m of detuning, ≥ 0
  double ki_W_per_m_s = 0.0;  ///< integral gain, W per (m·s), ≥ 0
  double period_s = 10e-6;    ///< sample period, > 0
  double min_W = 0.0;         ///< heater power limits, 0 ≤ min_W ≤ max_W
  double max_W = 0.05;
};

/// Default integral gain: half the measured detuning corrected per sample through the heater's
/// tuning efficiency, η·k_i·T_s = 1/2 (PHYSICS-SUPPLEMENT.md §R.1, D).
double default_pi_ki_W_per_m_s(double heater_efficiency_m_per_W, double period_s);

/// A discrete PI loop in position form with a clamped integrator (anti-windup): at each sample
/// k, with measured detuning e_k (target − resonance, > 0: the resonance sits blue of the
/// target and needs more heat),
///   I_k = clamp(I_{k−1} + k_i·T_s·e_k, min_W, max_W),   u_k = clamp(k_p·e_k + I_k, min_W, max_W),
/// so the integrator never winds up beyond the heater's range and the loop leaves a limit on
/// the first sample whose error points back. u_k is held until the next sample (zero-order
/// hold).
class PiController {
 public:
  /// Starts bumpless at `initial_W` (clamped to the limits): the integrator holds it, so the
  /// first sample with e = 0 keeps it. Throws std::invalid_argument for bad settings.
  PiController(const PiSettings& settings, double initial_W);

  /// One sample: the new held power for measured detuning `detuning_m`.
  double update(double detuning_m);

  double power_W() const { return power_W_; }
  double integral_W() const { return integral_W_; }
  const PiSettings& settings() const { return settings_; }
  /// True if the held power sits at min_W or max_W.
  bool at_limit() const;

 private:
  PiSettings settings_;
  double integral_W_ = 0.0;
  double power_W_ = 0.0;
};

/// The detuning a ring's lock loop measures: target − (λ_r(T) + η·P), with λ_r the heater-off
/// resonance on the order the re-tune rule picks (physics.md §2.3) and P the power in the
/// heater, moved by whole FSRs into [−FSR/2, FSR/2) (the nearest resonance) when fsr_m > 0.
/// `shift_m` is that order's red shift needed (RingState::shift_m).
double measured_detuning_m(double shift_m, double heater_efficiency_m_per_W, double heater_W,
                           double fsr_m);

/// A ring's lock over a run, accumulated interval by interval.
struct LockStatistics {
  double max_abs_detuning_m = 0.0;
  double time_out_of_lock_s = 0.0;  ///< |detuning| > tolerance
  double time_at_limit_s = 0.0;     ///< heater at its min or max power (saturated)
  double heater_energy_J = 0.0;     ///< ∫ P dt
  std::size_t samples = 0;

  /// Adds an interval of `dt_s` ≥ 0 ending at a sample with `detuning_m`, over which the heater
  /// held `heater_W` (`at_limit`: at a power limit); out of lock when |detuning| > tolerance_m.
  /// The first sample (the initial state) comes with dt_s = 0 and counts only in the maximum.
  void add(double dt_s, double detuning_m, double tolerance_m, double heater_W, bool at_limit);
};

}  // namespace cposim::postproc
