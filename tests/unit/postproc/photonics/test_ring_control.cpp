/// \file
/// The discrete PI heater loop (postproc/photonics/ring_control.hpp) on a lumped ring whose
/// temperature follows a first-order step, against the closed-form step response of the
/// sampled loop (PHYSICS-SUPPLEMENT.md §R.2), and its limits, anti-windup and lock statistics.
#include <doctest/doctest.h>

#include <cmath>
#include <complex>
#include <stdexcept>
#include <vector>

#include "postproc/photonics/ring_control.hpp"

using namespace cposim::postproc;

namespace {

/// Closed form of the sampled loop: the disturbance detuning D_k = D_0 − A(1 − r^k) (the ring
/// warms by a first-order step, r = e^{−T_s/τ}), the heater acts at once through η, the loop
/// starts locked. With g_p = η k_p, g_i = η k_i T_s, the error obeys
///   e_{k+1} = (1 − g_p − g_i) e_k + g_p e_{k−1} − A (1 − r) r^k,  e_{−1} = e_0 = 0,
/// so e_k = c_1 z_1^k + c_2 z_2^k + B r^k with z_{1,2} the roots of z² − (1 − g_p − g_i) z − g_p
/// and B = −A (1 − r) r / (r² − (1 − g_p − g_i) r − g_p).
std::vector<double> closed_form(double A, double r, double g_p, double g_i, int n) {
  using C = std::complex<double>;
  const double a = 1.0 - g_p - g_i;
  const C disc = std::sqrt(C(a * a + 4.0 * g_p, 0.0));
  const C z1 = 0.5 * (a + disc), z2 = 0.5 * (a - disc);
  const double B = -A * (1.0 - r) * r / (r * r - a * r - g_p);
  const double e1 = -A * (1.0 - r);
  const C c1 = (e1 - B * r + B * z2) / (z1 - z2);
  const C c2 = -B - c1;
  std::vector<double> e;
  for (int k = 0; k <= n; ++k)
    e.push_back((c1 * std::pow(z1, k) + c2 * std::pow(z2, k)).real() + B * std::pow(r, k));
  return e;
}

}  // namespace

TEST_CASE(
    "PI loop on a first-order lumped ring: the closed-form step response to 1e-3 of the step") {
  const double eta = 0.25e-6;   // 0.25 nm/mW
  const double drift = 80e-12;  // 80 pm/K
  const double dT = 5.0;        // the ring warms by 5 K ...
  const double tau = 200e-6;    // ... with a 200 µs time constant
  const double A = drift * dT;  // the step, 0.4 nm
  // (g_p, g_i) pairs with both roots of z² − (1 − g_p − g_i) z − g_p inside the unit circle.
  for (const auto& [g_p, g_i] : {std::pair{0.3, 0.2}, std::pair{0.05, 0.5}, std::pair{0.6, 0.3}}) {
    PiSettings s;
    s.period_s = 20e-6;
    s.kp_W_per_m = g_p / eta;
    s.ki_W_per_m_s = g_i / (eta * s.period_s);
    s.max_W = 0.05;
    const double r = std::exp(-s.period_s / tau);
    const double D0 = 10e-3 * eta;  // locked at 10 mW
    PiController pi(s, 10e-3);
    const int n = 200;
    const auto reference = closed_form(A, r, g_p, g_i, n);
    double worst = 0.0;
    for (int k = 0; k <= n; ++k) {
      const double D = D0 - A * (1.0 - std::pow(r, k));
      const double e = D - eta * pi.power_W();  // the power held since the last sample
      worst = std::max(worst, std::fabs(e - reference[static_cast<std::size_t>(k)]));
      pi.update(e);
    }
    CAPTURE(g_p);
    CAPTURE(g_i);
    CHECK(worst <= 1e-3 * A);
    CHECK(worst <= 1e-12 * A);  // it is exact up to round-off
    // Locked again at the end: the heater gave back A/η.
    CHECK(pi.power_W() == doctest::Approx(10e-3 - A / eta).epsilon(1e-9));
  }
}

TEST_CASE("PI loop: limits, anti-windup and bumpless start") {
  PiSettings s;
  s.period_s = 1e-5;
  s.ki_W_per_m_s = default_pi_ki_W_per_m_s(0.25e-6, s.period_s);
  CHECK(s.ki_W_per_m_s * 0.25e-6 * s.period_s == doctest::Approx(0.5));
  s.max_W = 0.02;
  PiController pi(s, 0.019);
  CHECK(pi.update(0.0) == doctest::Approx(0.019));  // bumpless: e = 0 keeps the power
  for (int k = 0; k < 50; ++k) pi.update(1e-9);     // wants far more than max_W
  CHECK(pi.power_W() == 0.02);
  CHECK(pi.at_limit());
  CHECK(pi.integral_W() <= 0.02 + 1e-15);  // the integrator held: no wind-up
  // The first sample back below the limit leaves it at once.
  CHECK(pi.update(-1e-10) < 0.02);
  CHECK(!pi.at_limit());
  CHECK_THROWS_AS(PiController(PiSettings{-1.0, 0.0, 1e-5, 0.0, 0.05}, 0.0), std::invalid_argument);
  CHECK_THROWS_AS(PiController(PiSettings{0.0, 0.0, 0.0, 0.0, 0.05}, 0.0), std::invalid_argument);
}

TEST_CASE("measured detuning: the nearest resonance order") {
  const double fsr = 10e-9, eta = 0.25e-6;
  CHECK(measured_detuning_m(3e-9, eta, 0.0, fsr) == doctest::Approx(3e-9));
  CHECK(measured_detuning_m(3e-9, eta, 12e-3, fsr) == doctest::Approx(0.0).epsilon(1e-20));
  // Overshooting by more than FSR/2 is closest to the next order blue of it.
  CHECK(measured_detuning_m(2e-9, eta, 36e-3, fsr) == doctest::Approx(3e-9));
  CHECK(measured_detuning_m(2e-9, eta, 36e-3, 0.0) == doctest::Approx(-7e-9));
}

TEST_CASE("lock statistics: time out of lock, at the limit and heater energy") {
  LockStatistics s;
  s.add(0.0, 0.05e-9, 0.1e-9, 1e-3, false);  // the initial state
  s.add(1e-3, 0.2e-9, 0.1e-9, 2e-3, false);
  s.add(2e-3, -0.3e-9, 0.1e-9, 5e-3, true);
  s.add(1e-3, 0.01e-9, 0.1e-9, 4e-3, false);
  CHECK(s.max_abs_detuning_m == doctest::Approx(0.3e-9));
  CHECK(s.time_out_of_lock_s == doctest::Approx(3e-3));
  CHECK(s.time_at_limit_s == doctest::Approx(2e-3));
  CHECK(s.heater_energy_J == doctest::Approx(2e-6 + 10e-6 + 4e-6));
  CHECK(s.samples == 4);
}
