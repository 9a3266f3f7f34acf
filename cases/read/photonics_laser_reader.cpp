/// \file
/// [[lasers]] of a case file: placement, wavelength, and the electrical and thermal model.
#include "cases/read/photonics_device_reader.hpp"

namespace cposim::cases::photonics_read {
namespace {

const KeyList kLaserKeys = {"name",
                            "type",
                            "placement",
                            "T_K",
                            "center_um",
                            "size_um",
                            "count",
                            "pitch_um",
                            "block",
                            "lambda0_nm",
                            "lambda0_offset_nm",
                            "grid",
                            "channel",
                            "channel_step",
                            "T_ref_K",
                            "drift_nm_per_K",
                            "threshold_mA",
                            "T0_K",
                            "slope_efficiency_W_per_A",
                            "T1_K",
                            "current_mA",
                            "voltage_V",
                            "R_th_jc_K_per_W"};

}  // namespace

LaserSpec PhotonicsReader::read_laser(const Section& s) const {
  reject_unknown_keys(s, kLaserKeys);
  LaserSpec l;
  l.where = l.center_where = at(*s.table);
  l.name = required_name(s, l.name_where);
  if (const auto* n = s.find("type")) l.type = choice(*n, s.key("type"), {"DFB", "FP"});
  read_laser_placement(s, l);
  read_array(s, l.count, l.pitch_m, !l.external);
  l.channel = channel_ref(s);
  read_laser_wavelength(s, l);
  read_laser_electrical(s, l);
  return l;
}

void PhotonicsReader::read_laser_placement(const Section& s, LaserSpec& l) const {
  std::string placement = "on_package";
  if (const auto* n = s.find("placement"))
    placement = choice(*n, s.key("placement"), {"on_package", "external"});
  l.external = placement == "external";
  if (l.external) {
    for (const char* k : {"center_um", "size_um", "block"})
      if (const auto* n = s.find(k))
        fail(*n, "'" + s.key(k) +
                     "' applies to an on_package laser; an external one sits at "
                     "its own T_K outside the thermal model");
    l.external_T_K = positive(require(s, "T_K"), s.key("T_K"), kKelvin);
    return;
  }
  if (const auto* n = s.find("T_K"))
    fail(*n, "'" + s.key("T_K") +
                 "' applies to an external laser (placement = \"external\"); an on_package "
                 "laser takes its temperature from the thermal model");
  const toml::node& c = require(s, "center_um");
  l.center_m = lengths_m<3>(c, s.key("center_um"), false);
  l.center_where = at(c);
  if (const auto* n = s.find("size_um")) l.size_m = lengths_m<3>(*n, s.key("size_um"), true);
  if (const auto* n = s.find("block")) l.block = device_ref(*n, s.key("block"));
}

void PhotonicsReader::read_laser_wavelength(const Section& s, LaserSpec& l) const {
  const toml::node* l0 = s.find("lambda0_nm");
  if (l0 != nullptr && l.channel)
    fail(*l0, "'" + s.key("lambda0_nm") +
                  "' cannot be combined with 'grid': the channel sets λ0 (use lambda0_offset_nm)");
  if (l0 != nullptr) l.lambda0_m = nm(*l0, s.key("lambda0_nm"));
  if (l0 == nullptr && !l.channel)
    fail(*s.table, "missing required key 'lambda0_nm' or 'grid' in " + s.label());
  if (const auto* n = s.find("lambda0_offset_nm")) {
    if (!l.channel)
      fail(*n, "'" + s.key("lambda0_offset_nm") + "' needs 'grid': it is an offset from a channel");
    l.lambda0_offset_m = number(*n, s.key("lambda0_offset_nm")) / kNmPerMetre;
  }
}

void PhotonicsReader::read_laser_electrical(const Section& s, LaserSpec& l) const {
  if (const auto* n = s.find("T_ref_K")) l.model.T_ref_K = positive(*n, s.key("T_ref_K"), kKelvin);
  if (const auto* n = s.find("drift_nm_per_K"))
    l.drift_m_per_K = number(*n, s.key("drift_nm_per_K")) / kNmPerMetre;
  if (const auto* n = s.find("threshold_mA"))
    l.model.threshold_A = non_negative(*n, s.key("threshold_mA"), kMA) / kMilli;
  if (const auto* n = s.find("T0_K")) l.model.T0_K = positive(*n, s.key("T0_K"), kKelvin);
  if (const auto* n = s.find("slope_efficiency_W_per_A"))
    l.model.slope_W_per_A = non_negative(*n, s.key("slope_efficiency_W_per_A"), "W/A");
  if (const auto* n = s.find("T1_K")) l.model.T1_K = positive(*n, s.key("T1_K"), kKelvin);
  if (const auto* n = s.find("current_mA"))
    l.model.current_A = non_negative(*n, s.key("current_mA"), kMA) / kMilli;
  if (const auto* n = s.find("R_th_jc_K_per_W"))
    l.model.R_th_jc_K_per_W = non_negative(*n, s.key("R_th_jc_K_per_W"), "K/W");
  const toml::node* v = s.find("voltage_V");
  if (v != nullptr) l.model.voltage_V = non_negative(*v, s.key("voltage_V"), "V");
  if (!(l.model.slope_W_per_A < l.model.voltage_V))
    fail(v != nullptr ? *v : *s.table,
         "'" + s.key("voltage_V") + "' must be > slope_efficiency_W_per_A (" +
             format_number(l.model.slope_W_per_A) +
             " W/A): a laser cannot emit more than its electrical power, got " +
             format_number(l.model.voltage_V) + " V");
}

}  // namespace cposim::cases::photonics_read
