/// \file
/// One channel's optical power budget (link_budget.hpp; PHYSICS-SUPPLEMENT.md §L).
#include "postproc/photonics/link_budget.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace cposim::postproc {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

void require(bool condition, const char* message) {
  if (!condition) throw std::invalid_argument(message);
}

}  // namespace

const std::array<const char*, link_element_count> kLinkElementNames = {
    "laser_split",    "laser_coupling",     "pic_coupling",     "waveguides",
    "modulator_il",   "modulator_detuning", "extinction_ratio", "demux_drop",
    "demux_detuning", "crosstalk",          "connectors",       "fiber",
    "extra"};

double watts_to_dBm(double watts) {
  return watts > 0.0 ? 10.0 * std::log10(watts / 1e-3) : -kInfinity;
}

double lorentzian(double detuning_m, double fwhm_m) {
  require(fwhm_m > 0.0 && std::isfinite(fwhm_m), "lorentzian: the FWHM must be > 0");
  require(std::isfinite(detuning_m), "lorentzian: the detuning must be finite");
  const double x = 2.0 * detuning_m / fwhm_m;
  return 1.0 / (1.0 + x * x);
}

double detuning_penalty_dB(double detuning_m, double fwhm_m) {
  require(fwhm_m > 0.0 && std::isfinite(fwhm_m), "detuning_penalty_dB: the FWHM must be > 0");
  require(std::isfinite(detuning_m), "detuning_penalty_dB: the detuning must be finite");
  const double x = 2.0 * detuning_m / fwhm_m;
  return 10.0 * std::log10(1.0 + x * x);
}

double extinction_ratio_penalty_dB(double extinction_ratio_dB) {
  require(extinction_ratio_dB > 0.0 && std::isfinite(extinction_ratio_dB),
          "extinction_ratio_penalty_dB: the extinction ratio must be > 0 dB");
  const double r = std::pow(10.0, extinction_ratio_dB / 10.0);
  return 10.0 * std::log10((r + 1.0) / (2.0 * (r - 1.0)));
}

double crosstalk_ratio(double own_m, const std::vector<double>& neighbours_m, double fwhm_m) {
  const double own = lorentzian(own_m, fwhm_m);
  double sum = 0.0;
  for (double d : neighbours_m) sum += lorentzian(d, fwhm_m);
  return sum / own;
}

double crosstalk_penalty_dB(double ratio, LinkModulation modulation) {
  require(ratio >= 0.0, "crosstalk_penalty_dB: the crosstalk ratio must be >= 0");
  const double eye = modulation == LinkModulation::pam4 ? 3.0 : 1.0;
  const double closed = eye * ratio;
  return closed >= 1.0 ? kInfinity : -10.0 * std::log10(1.0 - closed);
}

double default_sensitivity_dBm(LinkModulation modulation, double rate_bps,
                               double responsivity_A_per_W) {
  require(rate_bps > 0.0 && std::isfinite(rate_bps), "default_sensitivity_dBm: rate must be > 0");
  require(responsivity_A_per_W > 0.0 && std::isfinite(responsivity_A_per_W),
          "default_sensitivity_dBm: responsivity must be > 0");
  const bool pam4 = modulation == LinkModulation::pam4;
  const double reference = pam4 ? kPam4Sensitivity_dBm : kNrzSensitivity_dBm;
  const double reference_rate = pam4 ? kPam4ReferenceRate_bps : kNrzReferenceRate_bps;
  return reference + 5.0 * std::log10(rate_bps / reference_rate) -
         10.0 * std::log10(responsivity_A_per_W / kReferenceResponsivity_A_per_W);
}

LinkBudget evaluate_link(const LinkParameters& p, const LinkInputs& in) {
  require(in.source_power_W >= 0.0 && std::isfinite(in.source_power_W),
          "evaluate_link: the source power must be finite and >= 0");
  require(p.laser_split >= 1, "evaluate_link: laser_split must be >= 1");
  require(p.responsivity_A_per_W > 0.0, "evaluate_link: responsivity must be > 0");
  require(in.modulator_fwhm_m >= 0.0 && in.demux_fwhm_m >= 0.0,
          "evaluate_link: a ring FWHM must be >= 0");
  LinkBudget b;
  auto& l = b.loss_dB;
  l[link_laser_split] = 10.0 * std::log10(static_cast<double>(p.laser_split));
  l[link_laser_coupling] = p.laser_coupling_loss_dB;
  l[link_pic_coupling] = p.pic_couplers * p.pic_coupling_loss_dB;
  l[link_waveguides] = in.waveguide_loss_dB;
  l[link_modulator_il] = p.modulator_insertion_loss_dB;
  l[link_modulator_detuning] =
      in.modulator_fwhm_m > 0.0 ? detuning_penalty_dB(in.modulator_detuning_m, in.modulator_fwhm_m)
                                : 0.0;
  l[link_extinction_ratio] = extinction_ratio_penalty_dB(p.extinction_ratio_dB);
  if (in.has_demux) {
    l[link_demux_drop] = p.demux_drop_loss_dB;
    l[link_demux_detuning] =
        in.demux_fwhm_m > 0.0 ? detuning_penalty_dB(in.demux_detuning_m, in.demux_fwhm_m) : 0.0;
    l[link_crosstalk] = crosstalk_penalty_dB(in.crosstalk_ratio, p.modulation);
  }
  l[link_connectors] = p.connectors * p.connector_loss_dB;
  l[link_fiber] = p.fiber_length_m * p.fiber_loss_dB_per_m;
  l[link_extra] = p.extra_loss_dB;
  b.source_dBm = watts_to_dBm(in.source_power_W);
  for (double x : l) b.total_loss_dB += x;
  const double average_loss_dB = b.total_loss_dB - l[link_extinction_ratio];
  b.received_dBm = b.source_dBm - average_loss_dB;
  b.received_oma_dBm = b.source_dBm - b.total_loss_dB;
  b.photocurrent_A = std::isfinite(b.received_dBm)
                         ? p.responsivity_A_per_W * 1e-3 * std::pow(10.0, b.received_dBm / 10.0)
                         : 0.0;
  b.sensitivity_dBm = p.sensitivity_dBm;
  b.margin_dB = b.received_oma_dBm - b.sensitivity_dBm;
  if (std::isnan(b.margin_dB)) b.margin_dB = -kInfinity;  // no light and an infinite loss
  b.pass = b.margin_dB >= p.required_margin_dB;
  return b;
}

}  // namespace cposim::postproc
