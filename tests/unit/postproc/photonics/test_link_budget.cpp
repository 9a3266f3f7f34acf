/// \file
/// The optical link budget (postproc/photonics/link_budget.hpp) against a chain computed by hand
/// and the Lorentzian line shape; PHYSICS-SUPPLEMENT.md §L.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>

#include "postproc/photonics/laser.hpp"
#include "postproc/photonics/link_budget.hpp"

using namespace cposim::postproc;

TEST_CASE("a hand-computed chain closes to 1e-9 dB") {
  LinkParameters p;
  p.laser_split = 4;
  p.laser_coupling_loss_dB = 1.2;
  p.pic_coupling_loss_dB = 1.7;
  p.pic_couplers = 2;
  p.modulator_insertion_loss_dB = 2.5;
  p.extinction_ratio_dB = 4.0;
  p.demux_drop_loss_dB = 0.8;
  p.connectors = 3;
  p.connector_loss_dB = 0.35;
  p.fiber_length_m = 2000.0;
  p.fiber_loss_dB_per_m = 0.45e-3;
  p.extra_loss_dB = 0.25;
  p.modulation = LinkModulation::nrz;
  p.data_rate_bps = 53.125e9;
  p.responsivity_A_per_W = 0.9;
  p.sensitivity_dBm = default_sensitivity_dBm(p.modulation, p.data_rate_bps, 0.9);
  LinkInputs in;
  in.source_power_W = 20e-3;
  in.waveguide_loss_dB = 0.35;
  in.modulator_detuning_m = 30e-12;
  in.modulator_fwhm_m = 0.26e-9;
  in.has_demux = true;
  in.demux_detuning_m = -12e-12;
  in.demux_fwhm_m = 0.065e-9;
  in.crosstalk_ratio = 0.01;
  const LinkBudget b = evaluate_link(p, in);
  // By hand (an independent Python evaluation of the same formulas, 17 digits):
  // split 10 log10 4; ER r = 10^0.4: 10 log10((r+1)/(2(r-1))); detuning 10 log10(1+(2δ/w)^2);
  // crosstalk -10 log10(1 - 0.01) (NRZ); sensitivity -11.5 + 5 log10(53.125/25.78125)
  // - 10 log10(0.9/0.8).
  const double tol = 1e-9;
  CHECK(std::abs(b.loss_dB[link_laser_split] - 6.020599913279624) < tol);
  CHECK(std::abs(b.loss_dB[link_pic_coupling] - 3.4) < tol);
  CHECK(std::abs(b.loss_dB[link_modulator_detuning] - 0.2253329769522046) < tol);
  CHECK(std::abs(b.loss_dB[link_extinction_ratio] - 0.6499129798722112) < tol);
  CHECK(std::abs(b.loss_dB[link_demux_detuning] - 0.5550499268345461) < tol);
  CHECK(std::abs(b.loss_dB[link_crosstalk] - 0.04364805402450088) < tol);
  CHECK(std::abs(b.loss_dB[link_connectors] - 1.05) < tol);
  CHECK(std::abs(b.loss_dB[link_fiber] - 0.9) < tol);
  CHECK(std::abs(b.total_loss_dB - 17.944543850963086) < tol);
  CHECK(std::abs(b.source_dBm - 13.010299956639813) < tol);
  CHECK(std::abs(b.received_oma_dBm - -4.934243894323274) < tol);
  CHECK(std::abs(b.received_dBm - -4.284330914451061) < tol);
  CHECK(std::abs(b.sensitivity_dBm - -10.441550360332068) < tol);
  CHECK(std::abs(b.margin_dB - 5.507306466008794) < tol);
  CHECK(std::abs(b.photocurrent_A - 0.0003355903143963585) < 1e-15);
  CHECK(b.pass);
  p.required_margin_dB = 5.6;  // above the margin: fails
  CHECK_FALSE(evaluate_link(p, in).pass);
}

TEST_CASE("the detuning penalty is the Lorentzian line of FWHM lambda/Q") {
  const double lambda = 1310e-9, Q = 5000.0, w = lambda / Q;
  for (double delta : {0.0, 1e-12, 0.05e-9, w / 2, -w / 2, 0.5e-9, 3e-9}) {
    const double L = 1.0 / (1.0 + std::pow(2.0 * delta / w, 2));  // the line, by hand
    CAPTURE(delta);
    CHECK(std::abs(lorentzian(delta, w) - L) < 1e-15);
    CHECK(std::abs(detuning_penalty_dB(delta, w) + 10.0 * std::log10(L)) < 1e-12);
  }
  // Half width at half maximum: exactly half the power, 10 log10 2 dB.
  CHECK(std::abs(lorentzian(w / 2, w) - 0.5) < 1e-15);
  CHECK(std::abs(detuning_penalty_dB(w / 2, w) - 10.0 * std::log10(2.0)) < 1e-12);
  CHECK_THROWS_AS(lorentzian(0.0, 0.0), std::invalid_argument);
}

TEST_CASE("extinction ratio, crosstalk and sensitivity limits") {
  // OMA = 2 P_avg (r - 1)/(r + 1): large ER tends to -3.01 dB (OMA = 2 P_avg).
  CHECK(std::abs(extinction_ratio_penalty_dB(40.0) + 10.0 * std::log10(2.0)) < 1e-3);
  CHECK(extinction_ratio_penalty_dB(3.5) > extinction_ratio_penalty_dB(6.0));
  CHECK_THROWS_AS(extinction_ratio_penalty_dB(0.0), std::invalid_argument);
  // PAM4's eye is three times smaller: the same crosstalk costs more; closed at X = 1/3.
  CHECK(crosstalk_penalty_dB(0.05, LinkModulation::pam4) >
        crosstalk_penalty_dB(0.05, LinkModulation::nrz));
  CHECK(std::isinf(crosstalk_penalty_dB(1.0 / 3.0, LinkModulation::pam4)));
  CHECK(crosstalk_penalty_dB(0.0, LinkModulation::pam4) == 0.0);
  // Crosstalk ratio of symmetric neighbours at ±Δ with the own signal on resonance.
  const double w = 0.1e-9, d = 0.4e-9;
  CHECK(std::abs(crosstalk_ratio(0.0, {-d, d}, w) - 2.0 / (1.0 + std::pow(2 * d / w, 2))) < 1e-15);
  // The reference points of the sensitivity table.
  CHECK(default_sensitivity_dBm(LinkModulation::pam4, 106.25e9, 0.8) == -4.4);
  CHECK(default_sensitivity_dBm(LinkModulation::nrz, 25.78125e9, 0.8) == -11.5);
  CHECK(std::abs(default_sensitivity_dBm(LinkModulation::pam4, 212.5e9, 0.8) -
                 (-4.4 + 5.0 * std::log10(2.0))) < 1e-12);
}

TEST_CASE("no light: the margin is minus infinity and the channel fails") {
  LinkParameters p;
  LinkInputs in;
  in.source_power_W = 0.0;
  const LinkBudget b = evaluate_link(p, in);
  CHECK(std::isinf(b.margin_dB));
  CHECK(b.margin_dB < 0);
  CHECK_FALSE(b.pass);
  in.source_power_W = -1.0;
  CHECK_THROWS_AS(evaluate_link(p, in), std::invalid_argument);
}

TEST_CASE("the margin falls monotonically as the laser heats (tracking rings)") {
  // Rings locked to the laser (zero residual detuning): only the laser's power moves, and
  // I_th rises and the slope falls with T (physics.md §2.4), so the margin must fall.
  LaserModel laser;
  LinkParameters p;
  p.sensitivity_dBm = default_sensitivity_dBm(p.modulation, p.data_rate_bps, 0.8);
  double previous = INFINITY;
  for (double T = 280.0; T <= 380.0; T += 5.0) {
    LinkInputs in;
    in.source_power_W = evaluate_laser(laser, T).optical_W;
    const double margin = evaluate_link(p, in).margin_dB;
    CAPTURE(T);
    CHECK(margin < previous);
    previous = margin;
  }
}
