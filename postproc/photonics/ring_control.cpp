/// \file
/// The discrete PI heater loop, the measured detuning and the lock statistics
/// (ring_control.hpp).
#include "postproc/photonics/ring_control.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace cposim::postproc {

double default_pi_ki_W_per_m_s(double heater_efficiency_m_per_W, double period_s) {
  if (!(heater_efficiency_m_per_W > 0.0) || !(period_s > 0.0))
    throw std::invalid_argument("default_pi_ki: need efficiency > 0 and period > 0");
  return 0.5 / (heater_efficiency_m_per_W * period_s);
}

PiController::PiController(const PiSettings& s, double initial_W) : settings_(s) {
  if (!(s.kp_W_per_m >= 0.0) || !(s.ki_W_per_m_s >= 0.0) || !(s.period_s > 0.0) ||
      !(s.min_W >= 0.0) || !(s.max_W >= s.min_W) || !std::isfinite(s.max_W) ||
      !std::isfinite(initial_W))
    throw std::invalid_argument(
        "PiController: need kp >= 0, ki >= 0, period > 0, 0 <= min_W <= max_W (finite) and a "
        "finite initial power");
  power_W_ = std::clamp(initial_W, s.min_W, s.max_W);
  integral_W_ = power_W_;
}

double PiController::update(double detuning_m) {
  const auto& s = settings_;
  // Anti-windup: the integrator stays within the power limits.
  integral_W_ =
      std::clamp(integral_W_ + s.ki_W_per_m_s * s.period_s * detuning_m, s.min_W, s.max_W);
  power_W_ = std::clamp(s.kp_W_per_m * detuning_m + integral_W_, s.min_W, s.max_W);
  return power_W_;
}

bool PiController::at_limit() const {
  return power_W_ <= settings_.min_W || power_W_ >= settings_.max_W;
}

double measured_detuning_m(double shift_m, double heater_efficiency_m_per_W, double heater_W,
                           double fsr_m) {
  double e = shift_m - heater_efficiency_m_per_W * heater_W;
  if (fsr_m > 0.0) e -= fsr_m * std::floor(e / fsr_m + 0.5);
  return e;
}

void LockStatistics::add(double dt_s, double detuning_m, double tolerance_m, double heater_W,
                         bool at_limit) {
  max_abs_detuning_m = std::max(max_abs_detuning_m, std::fabs(detuning_m));
  if (std::fabs(detuning_m) > tolerance_m) time_out_of_lock_s += dt_s;
  if (at_limit) time_at_limit_s += dt_s;
  heater_energy_J += heater_W * dt_s;
  ++samples;
}

}  // namespace cposim::postproc
