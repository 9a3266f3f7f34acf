/// \file
/// Laser drift, threshold, slope efficiency and dissipated heat (physics.md §2.4), evaluated at
/// the junction temperature T_j = T_case + R_th,jc · heat(T_j).
#include "postproc/photonics/laser.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace cposim::postproc {

double default_drift_m_per_K(LaserKind kind) {
  return kind == LaserKind::dfb ? kDfbDrift_m_per_K : kFabryPerotDrift_m_per_K;
}

LaserState evaluate_laser_at_junction(const LaserModel& laser, double T_junction_K) {
  if (!std::isfinite(T_junction_K)) throw std::invalid_argument("evaluate_laser: T is not finite");
  if (!(laser.lambda0_m > 0.0) || !(laser.T0_K > 0.0) || !(laser.T1_K > 0.0) ||
      !(laser.threshold_A >= 0.0) || !(laser.slope_W_per_A >= 0.0) || !(laser.current_A >= 0.0) ||
      !(laser.voltage_V >= 0.0) || !std::isfinite(laser.drift_m_per_K) ||
      !(laser.R_th_jc_K_per_W >= 0.0) || !std::isfinite(laser.R_th_jc_K_per_W))
    throw std::invalid_argument("evaluate_laser: bad laser model");
  LaserState s;
  s.T_junction_K = T_junction_K;
  const double dT = T_junction_K - laser.T_ref_K;
  s.lambda_m = laser.lambda0_m + laser.drift_m_per_K * dT;
  s.threshold_A = laser.threshold_A * std::exp(dT / laser.T0_K);
  s.slope_W_per_A = laser.slope_W_per_A * std::exp(-dT / laser.T1_K);
  s.lasing = laser.current_A > s.threshold_A;
  s.optical_W = s.lasing ? s.slope_W_per_A * (laser.current_A - s.threshold_A) : 0.0;
  s.electrical_W = laser.current_A * laser.voltage_V;
  // Energy conservation: a slope efficiency extrapolated far below T_ref must not emit more
  // than the electrical input.
  s.optical_W = std::min(s.optical_W, s.electrical_W);
  s.heat_W = s.electrical_W - s.optical_W;
  s.wall_plug = s.electrical_W > 0.0 ? s.optical_W / s.electrical_W : 0.0;
  s.T_case_K = T_junction_K - laser.R_th_jc_K_per_W * s.heat_W;
  return s;
}

LaserState evaluate_laser(const LaserModel& laser, double T_case_K) {
  if (!std::isfinite(T_case_K)) throw std::invalid_argument("evaluate_laser: T is not finite");
  constexpr double kTolerance_K = 1e-9;
  const double R = laser.R_th_jc_K_per_W;
  auto next = [&](double T_j) {
    return T_case_K + R * evaluate_laser_at_junction(laser, T_j).heat_W;
  };
  // Monotone fixed-point iteration from the case (heat grows with T_j).
  double T = T_case_K;
  for (int k = 0; k < 200; ++k) {
    const double T_next = next(T);
    if (std::fabs(T_next - T) <= kTolerance_K) {
      LaserState s = evaluate_laser_at_junction(laser, T_next);
      s.T_case_K = T_case_K;
      return s;
    }
    T = T_next;
  }
  // Slow (loop gain near 1): bisect g(T) = next(T) − T, ≥ 0 at T (below the lowest root) and
  // ≤ 0 at T_case + R·I·V (heat ≤ I·V).
  double lo = T, hi = T_case_K + R * laser.current_A * laser.voltage_V;
  // Bounded: about 1100 halvings take any double interval below the tolerance, and far from 0 K
  // (a bracket above ~10^7 K) the interval stops shrinking at one ulp, above the tolerance.
  for (int k = 0; k < 1100 && hi - lo > kTolerance_K; ++k) {
    const double mid = 0.5 * (lo + hi);
    (next(mid) - mid >= 0.0 ? lo : hi) = mid;
  }
  LaserState s = evaluate_laser_at_junction(laser, 0.5 * (lo + hi));
  s.T_case_K = T_case_K;
  return s;
}

}  // namespace cposim::postproc
