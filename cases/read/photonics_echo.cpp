/// \file
/// The resolved echo of the photonic sections (every key with its value in the file's units).
#include <ostream>

#include "cases/read/photonics_device_reader.hpp"
#include "cases/read/photonics_reader.hpp"
#include "cases/spec/photonics_devices.hpp"
#include "postproc/photonics/photonics.hpp"

namespace cposim::cases {
namespace {

using photonics_read::kMilli;
using photonics_read::kNmPerMetre;
using photonics_read::kPmPerMetre;
using photonics_read::um;

std::string nm_of(double metres) { return format_number(metres * kNmPerMetre); }
std::string um_list(const std::array<double, 3>& m) {
  return "[" + um(m[0]) + ", " + um(m[1]) + ", " + um(m[2]) + "]";
}
std::string path_list(const PathSpec& p) {
  std::string out = "[";
  for (std::size_t i = 0; i < p.points_m.size(); ++i)
    out += (i ? ", " : "") + um_list(p.points_m[i]);
  return out + "]";
}
void echo_channel(std::ostream& os, const std::optional<ChannelRef>& c) {
  if (!c) return;
  os << "grid = " << quoted(c->grid.name) << "\nchannel = " << c->channel
     << "\nchannel_step = " << c->channel_step << "\n";
}
/// A ring's heater control (only a PI loop has keys; defaults resolved in the run).
void echo_control(std::ostream& os, const RingSpec& r) {
  if (r.lock_tolerance_m) os << "lock_tolerance_nm = " << nm_of(*r.lock_tolerance_m) << "\n";
  if (r.control != RingControl::pi) return;
  constexpr double kMW_per_nm_per_W_per_m = kMilli / kNmPerMetre;
  os << "control = \"pi\"\npi_period_s = " << format_number(r.pi_period_s) << "\n";
  if (r.pi_kp_W_per_m)
    os << "pi_kp_mW_per_nm = " << format_number(*r.pi_kp_W_per_m * kMW_per_nm_per_W_per_m) << "\n";
  if (r.pi_ki_W_per_m_s)
    os << "pi_ki_mW_per_nm_s = " << format_number(*r.pi_ki_W_per_m_s * kMW_per_nm_per_W_per_m)
       << "\n";
}

void echo_optics(std::ostream& os, const WaveguideOpticsSpec& o) {
  const auto defaults = postproc::platform_defaults(o.platform == "SiN" ? postproc::Platform::sin
                                                                        : postproc::Platform::si);
  os << "platform = " << quoted(o.platform) << "\ndn_eff_dT_per_K = "
     << format_number(o.dn_eff_dT_per_K.value_or(defaults.dn_eff_dT_per_K))
     << "\ngroup_index = " << format_number(o.group_index.value_or(defaults.group_index))
     << "\nloss_dB_per_cm = "
     << format_number(o.loss_dB_per_m.value_or(defaults.loss_dB_per_m) / 100.0)
     << "\nwavelength_nm = " << nm_of(o.wavelength_m) << "\nT_ref_K = " << format_number(o.T_ref_K)
     << "\n";
}

}  // namespace

void echo_photonics(std::ostream& os, const PhotonicsSpec& p) {
  for (const auto& plan : p.plans) {
    os << "\n[[wavelength_plans]]\nname = " << quoted(plan.name) << "\n";
    if (!plan.grid.empty()) {
      os << "grid = " << quoted(plan.grid) << "\nfirst_channel = " << plan.first_channel << "\n";
      if (plan.num_channels) os << "num_channels = " << *plan.num_channels << "\n";
    } else {
      os << "channels_nm = [";
      for (std::size_t i = 0; i < plan.channels_m.size(); ++i)
        os << (i ? ", " : "") << nm_of(plan.channels_m[i]);
      os << "]\n";
    }
    if (plan.window_half_width_m)
      os << "window_half_width_nm = " << nm_of(*plan.window_half_width_m) << "\n";
  }
  for (const auto& r : p.rings) {
    os << "\n[[rings]]\nname = " << quoted(r.name) << "\nrole = " << quoted(r.role)
       << "\ncenter_um = " << um_list(r.center_m) << "\nfootprint_um = " << um_list(r.footprint_m)
       << "\ncount = " << r.count << "\n";
    if (r.count > 1) os << "pitch_um = " << um_list(r.pitch_m) << "\n";
    if (r.block) os << "block = " << quoted(r.block->name) << "\n";
    if (r.lambda0_m) os << "lambda0_nm = " << nm_of(*r.lambda0_m) << "\n";
    if (r.lambda0_offset_m) os << "lambda0_offset_nm = " << nm_of(*r.lambda0_offset_m) << "\n";
    os << "T_ref_K = " << format_number(r.T_ref_K) << "\n";
    if (r.drift_m_per_K)
      os << "drift_pm_per_K = " << format_number(*r.drift_m_per_K * kPmPerMetre) << "\n";
    if (r.group_index) os << "group_index = " << format_number(*r.group_index) << "\n";
    if (!r.confinement.empty()) {
      os << "confinement = { ";
      std::string dn;
      for (std::size_t i = 0; i < r.confinement.size(); ++i) {
        const auto& m = r.confinement[i];
        os << (i ? ", " : "") << quoted(m.material) << " = " << format_number(m.confinement);
        if (m.dn_dT_per_K)
          dn +=
              (dn.empty() ? "" : ", ") + quoted(m.material) + " = " + format_number(*m.dn_dT_per_K);
      }
      os << " }\n";
      if (!dn.empty()) os << "dn_dT_per_K = { " << dn << " }\n";
      if (r.effective_index > 0.0)
        os << "effective_index = " << format_number(r.effective_index)
           << "\nexpansion_per_K = " << format_number(r.expansion_per_K) << "\n";
    }
    if (r.fsr_m) os << "fsr_nm = " << nm_of(*r.fsr_m) << "\n";
    if (r.radius_m) os << "radius_um = " << um(*r.radius_m) << "\n";
    os << "loaded_Q = " << format_number(ring_loaded_Q(r)) << "\n";
    if (r.laser) os << "laser = " << quoted(r.laser->name) << "\n";
    echo_channel(os, r.channel);
    if (r.target_m) os << "target_nm = " << nm_of(*r.target_m) << "\n";
    os << "heater_efficiency_nm_per_mW = "
       << format_number(r.heater_efficiency_m_per_W * kNmPerMetre / kMilli)
       << "\nheater_max_mW = " << format_number(r.heater_max_W * kMilli)
       << "\nheater_size_um = " << um_list(r.heater_size_m.value_or(r.footprint_m))
       << "\nheater_offset_um = " << um_list(r.heater_offset_m) << "\n";
    echo_control(os, r);
  }
  for (const auto& w : p.waveguides) {
    os << "\n[[waveguides]]\nname = " << quoted(w.name) << "\npath_um = " << path_list(w.path)
       << "\n";
    echo_optics(os, w.optics);
  }
  for (const auto& m : p.mzis) {
    os << "\n[[mzis]]\nname = " << quoted(m.name) << "\narm_a_path_um = " << path_list(m.arm_a)
       << "\narm_b_path_um = " << path_list(m.arm_b) << "\n";
    echo_optics(os, m.optics);
  }
  for (const auto& l : p.lasers) {
    os << "\n[[lasers]]\nname = " << quoted(l.name) << "\ntype = " << quoted(l.type)
       << "\nplacement = " << quoted(l.external ? "external" : "on_package") << "\n";
    if (l.external)
      os << "T_K = " << format_number(l.external_T_K) << "\n";
    else
      os << "center_um = " << um_list(l.center_m) << "\nsize_um = " << um_list(l.size_m) << "\n";
    if (l.block) os << "block = " << quoted(l.block->name) << "\n";
    os << "count = " << l.count << "\n";
    if (l.count > 1 && !l.external) os << "pitch_um = " << um_list(l.pitch_m) << "\n";
    if (l.lambda0_m) os << "lambda0_nm = " << nm_of(*l.lambda0_m) << "\n";
    echo_channel(os, l.channel);
    if (l.channel) os << "lambda0_offset_nm = " << nm_of(l.lambda0_offset_m) << "\n";
    os << "T_ref_K = " << format_number(l.model.T_ref_K)
       << "\ndrift_nm_per_K = " << format_number(laser_drift_m_per_K(l) * kNmPerMetre)
       << "\nthreshold_mA = " << format_number(l.model.threshold_A * kMilli)
       << "\nT0_K = " << format_number(l.model.T0_K)
       << "\nslope_efficiency_W_per_A = " << format_number(l.model.slope_W_per_A)
       << "\nT1_K = " << format_number(l.model.T1_K)
       << "\ncurrent_mA = " << format_number(l.model.current_A * kMilli)
       << "\nvoltage_V = " << format_number(l.model.voltage_V)
       << "\nR_th_jc_K_per_W = " << format_number(l.model.R_th_jc_K_per_W) << "\n";
  }
  if (!p.empty()) {
    const auto& c = p.coupling;
    os << "\n[coupling]\nenabled = " << (c.enabled ? "true" : "false")
       << "\ntolerance = " << format_number(c.tolerance)
       << "\nmax_iterations = " << c.max_iterations
       << "\ncrosstalk = " << (c.crosstalk ? "true" : "false")
       << "\ncrosstalk_step_mW = " << format_number(c.crosstalk_step_W * kMilli) << "\n";
  }
}

}  // namespace cposim::cases
