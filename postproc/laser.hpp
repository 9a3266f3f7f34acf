#pragma once
/// \file
/// Semiconductor lasers on the temperature field: wavelength drift, threshold and slope
/// efficiency versus temperature, emitted optical power and the heat left in the package
/// (physics.md §2.4 and §6 item 6). Pure functions of plain SI data.

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

/// The default drift of a cavity type, m/K.
double default_drift_m_per_K(LaserKind kind);

/// One laser at a fixed drive current, SI units.
struct LaserModel {
  double lambda0_m = 1310e-9;  ///< emission wavelength at T_ref_K, > 0
  double T_ref_K = 300.0;      ///< > 0
  double drift_m_per_K = kDfbDrift_m_per_K;
  double threshold_A = 0.02;    ///< I_th at T_ref_K, ≥ 0
  double T0_K = kDefaultT0_K;   ///< > 0
  double slope_W_per_A = 0.35;  ///< η_d at T_ref_K, ≥ 0
  double T1_K = kDefaultT1_K;   ///< > 0
  double current_A = 0.3;       ///< drive current, ≥ 0
  double voltage_V = 1.6;       ///< forward voltage at the drive current, ≥ 0
};

/// A laser evaluated at one (active-region) temperature.
struct LaserState {
  double T_K = 0.0;
  double lambda_m = 0.0;       ///< λ(T) = λ0 + drift·(T − T_ref)
  double threshold_A = 0.0;    ///< I_th(T) = I_th0·exp((T − T_ref)/T0)
  double slope_W_per_A = 0.0;  ///< η_d(T) = η_d0·exp(−(T − T_ref)/T1)
  bool lasing = false;         ///< current > I_th(T)
  double optical_W = 0.0;      ///< η_d(T)·(I − I_th(T)) above threshold (≤ I·V), else 0
  double electrical_W = 0.0;   ///< I·V
  double heat_W = 0.0;         ///< I·V − P_opt: what stays in the package
  double wall_plug = 0.0;      ///< P_opt / (I·V), 0 without drive
};

/// Evaluates `laser` at `T_K` (physics.md §2.4: I_th(T) S, η_d(T) E, P_heat = I·V − P_opt S).
/// Throws std::invalid_argument for a non-finite T, λ0 ≤ 0, T0 or T1 ≤ 0, or a negative
/// threshold, slope, current or voltage. P_opt is capped at I·V (energy conservation), so the
/// heat is never negative.
LaserState evaluate_laser(const LaserModel& laser, double T_K);

}  // namespace cposim::postproc
