#pragma once
/// \file
/// Semiconductor lasers on the temperature field: wavelength drift, threshold and slope
/// efficiency versus temperature, emitted optical power and the heat left in the package
/// (physics.md §2.4 and §6 item 6). The laser is evaluated at its junction (active-region)
/// temperature, T_j = T_case + R_th,jc · P_heat(T_j): the case temperature comes from the
/// thermal model (the grid average over the stripe) or from an external source's set point.
/// Pure functions of plain SI data.

namespace cposim::postproc {

/// The cavity type; it sets the default wavelength drift.
enum class LaserKind {
  dfb,          ///< distributed feedback: drift set by the cavity dn/dT
  fabry_perot,  ///< Fabry-Perot: drift follows the gain peak (band gap)
};

/// DFB drift 0.09 nm/K (physics.md §2.4 S: ≈ 0.1 nm/K, use 0.08–0.10; §6 item 6).
inline constexpr double kDfbDrift_m_per_K = 0.09e-9;
/// Fabry-Perot gain-peak drift 0.4 nm/K (physics.md §2.4, L: 0.3–0.5 nm/K).
inline constexpr double kFabryPerotDrift_m_per_K = 0.4e-9;
/// Characteristic temperature T0 = 60 K (physics.md §2.4, S: InGaAsP/InP 50–70 K).
inline constexpr double kDefaultT0_K = 60.0;
/// Slope-efficiency temperature T1 = 200 K (physics.md §2.4, E: 150–300 K).
inline constexpr double kDefaultT1_K = 200.0;

/// Junction-to-case thermal resistance R_th,jc = 40 K/W: physics.md §4.4 (E) puts the active
/// region 10–20 K above the case; the default laser (300 mA × 1.6 V, 98 mW out) dissipates
/// 0.382 W, so 40 K/W puts its junction 15.3 K above its case, the centre of that range.
inline constexpr double kDefaultJunctionResistance_K_per_W = 40.0;

/// The default drift of a cavity type, m/K.
double default_drift_m_per_K(LaserKind kind);

/// One laser at a fixed drive current, SI units. λ0, I_th and η_d are given at the junction
/// temperature T_ref_K.
struct LaserModel {
  double lambda0_m = 1310e-9;  ///< emission wavelength at junction temperature T_ref_K, > 0
  double T_ref_K = 300.0;      ///< > 0
  double drift_m_per_K = kDfbDrift_m_per_K;
  double threshold_A = 0.02;    ///< I_th at T_ref_K, ≥ 0
  double T0_K = kDefaultT0_K;   ///< > 0
  double slope_W_per_A = 0.35;  ///< η_d at T_ref_K, ≥ 0
  double T1_K = kDefaultT1_K;   ///< > 0
  double current_A = 0.3;       ///< drive current, ≥ 0
  double voltage_V = 1.6;       ///< forward voltage at the drive current, ≥ 0
  /// Junction-to-case thermal resistance, ≥ 0 (0: the junction is at the case temperature).
  double R_th_jc_K_per_W = kDefaultJunctionResistance_K_per_W;
};

/// A laser evaluated at one case temperature.
struct LaserState {
  double T_case_K = 0.0;       ///< the case (package side) temperature it was evaluated at
  double T_junction_K = 0.0;   ///< T_case + R_th,jc · heat: every quantity below is at it
  double lambda_m = 0.0;       ///< λ(T) = λ0 + drift·(T − T_ref)
  double threshold_A = 0.0;    ///< I_th(T) = I_th0·exp((T − T_ref)/T0)
  double slope_W_per_A = 0.0;  ///< η_d(T) = η_d0·exp(−(T − T_ref)/T1)
  bool lasing = false;         ///< current > I_th(T)
  double optical_W = 0.0;      ///< η_d(T)·(I − I_th(T)) above threshold (≤ I·V), else 0
  double electrical_W = 0.0;   ///< I·V
  double heat_W = 0.0;         ///< I·V − P_opt: what stays in the package
  double wall_plug = 0.0;      ///< P_opt / (I·V), 0 without drive
};

/// Evaluates `laser` at junction temperature `T_junction_K` (physics.md §2.4: I_th(T) S,
/// η_d(T) E, P_heat = I·V − P_opt S); T_case_K is set to T_junction_K − R_th,jc · heat.
/// Throws std::invalid_argument for a non-finite T, λ0 ≤ 0, T0 or T1 ≤ 0, or a negative
/// threshold, slope, current, voltage or R_th,jc. P_opt is capped at I·V (energy
/// conservation), so the heat is never negative.
LaserState evaluate_laser_at_junction(const LaserModel& laser, double T_junction_K);

/// Evaluates `laser` with its case at `T_case_K`: solves T_j = T_case + R_th,jc · heat(T_j).
/// The heat grows with T_j (less light), so the iteration T ← T_case + R_th,jc · heat(T),
/// started at the case, rises monotonically to the lowest (stable) junction temperature, which
/// lies in [T_case, T_case + R_th,jc · I·V] because 0 ≤ heat ≤ I·V. After 200 iterations (a
/// loop gain R_th,jc · dheat/dT near 1) bisection on the rest of that bracket finishes. The
/// result satisfies the equation to 1e-9 K. Throws as evaluate_laser_at_junction.
LaserState evaluate_laser(const LaserModel& laser, double T_case_K);

}  // namespace cposim::postproc
