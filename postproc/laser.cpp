/// \file
/// Laser drift, threshold, slope efficiency and dissipated heat (physics.md §2.4).
#include "postproc/laser.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace cposim::postproc {

double default_drift_m_per_K(LaserKind kind) {
  return kind == LaserKind::dfb ? kDfbDrift_m_per_K : kFabryPerotDrift_m_per_K;
}

LaserState evaluate_laser(const LaserModel& laser, double T_K) {
  if (!std::isfinite(T_K)) throw std::invalid_argument("evaluate_laser: T is not finite");
  if (!(laser.lambda0_m > 0.0) || !(laser.T0_K > 0.0) || !(laser.T1_K > 0.0) ||
      !(laser.threshold_A >= 0.0) || !(laser.slope_W_per_A >= 0.0) || !(laser.current_A >= 0.0) ||
      !(laser.voltage_V >= 0.0) || !std::isfinite(laser.drift_m_per_K))
    throw std::invalid_argument("evaluate_laser: bad laser model");
  LaserState s;
  s.T_K = T_K;
  const double dT = T_K - laser.T_ref_K;
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
  return s;
}

}  // namespace cposim::postproc
