/// \file
/// [[rings]] of a case file: position and array, thermo-optics, target and resonance, heater.
#include <algorithm>
#include <map>

#include "cases/read/photonics_device_reader.hpp"
#include "postproc/photonics/photonics.hpp"

namespace cposim::cases::photonics_read {
namespace {

const KeyList kRingKeys = {"name",
                           "role",
                           "center_um",
                           "footprint_um",
                           "count",
                           "pitch_um",
                           "block",
                           "lambda0_nm",
                           "lambda0_offset_nm",
                           "T_ref_K",
                           "drift_pm_per_K",
                           "group_index",
                           "confinement",
                           "dn_dT_per_K",
                           "effective_index",
                           "expansion_per_K",
                           "fsr_nm",
                           "radius_um",
                           "loaded_Q",
                           "laser",
                           "grid",
                           "channel",
                           "channel_step",
                           "target_nm",
                           "heater_efficiency_nm_per_mW",
                           "heater_max_mW",
                           "heater_size_um",
                           "heater_offset_um",
                           "control",
                           "pi_kp_mW_per_nm",
                           "pi_ki_mW_per_nm_s",
                           "pi_period_s",
                           "lock_tolerance_nm"};

}  // namespace

RingSpec PhotonicsReader::read_ring(const Section& s) const {
  reject_unknown_keys(s, kRingKeys);
  RingSpec r;
  r.where = r.heater_where = at(*s.table);
  r.name = required_name(s, r.name_where);
  if (const auto* n = s.find("role")) r.role = choice(*n, s.key("role"), {"modulator", "filter"});
  const toml::node& c = require(s, "center_um");
  r.center_m = lengths_m<3>(c, s.key("center_um"), false);
  r.center_where = at(c);
  if (const auto* n = s.find("footprint_um"))
    r.footprint_m = lengths_m<3>(*n, s.key("footprint_um"), true);
  read_array(s, r.count, r.pitch_m);
  if (const auto* n = s.find("block")) r.block = device_ref(*n, s.key("block"));
  read_ring_optics(s, r);
  read_ring_target(s, r);
  read_heater(s, r);
  read_control(s, r);
  return r;
}

void PhotonicsReader::read_ring_optics(const Section& s, RingSpec& r) const {
  if (const auto* n = s.find("T_ref_K")) r.T_ref_K = positive(*n, s.key("T_ref_K"), kKelvin);
  const toml::node* drift = s.find("drift_pm_per_K");
  const toml::node* confinement = s.find("confinement");
  if (drift != nullptr) {
    r.drift_m_per_K = number(*drift, s.key("drift_pm_per_K")) / kPmPerMetre;
    for (const char* k : {"confinement", "dn_dT_per_K", "effective_index", "expansion_per_K"})
      if (const auto* n = s.find(k))
        fail(*n, "'" + s.key(k) +
                     "' cannot be combined with 'drift_pm_per_K': give the drift "
                     "or the index route, not both");
  }
  if (const auto* n = s.find("group_index")) r.group_index = positive(*n, s.key("group_index"), "");
  if (confinement != nullptr) {
    read_confinement(s, *confinement, r);
  } else {
    for (const char* k : {"dn_dT_per_K", "effective_index", "expansion_per_K"})
      if (const auto* n = s.find(k))
        fail(*n, "'" + s.key(k) + "' needs 'confinement' (the index route of physics.md §2.2)");
  }
  if (const auto* n = s.find("effective_index"))
    r.effective_index = positive(*n, s.key("effective_index"), "");
  if (const auto* n = s.find("expansion_per_K")) {
    if (s.find("effective_index") == nullptr)
      fail(*n, "'" + s.key("expansion_per_K") + "' needs 'effective_index' (term n_eff·α_sub)");
    r.expansion_per_K = number(*n, s.key("expansion_per_K"));
  }
  const toml::node* fsr = s.find("fsr_nm");
  const toml::node* radius = s.find("radius_um");
  if (fsr != nullptr && radius != nullptr)
    fail(*radius, "'" + s.key("radius_um") +
                      "' cannot be combined with 'fsr_nm': the FSR is given or computed");
  if (fsr != nullptr) r.fsr_m = nm(*fsr, s.key("fsr_nm"));
  if (radius != nullptr) r.radius_m = positive(*radius, s.key("radius_um"), kUm) / kUmPerMetre;
  if (const auto* n = s.find("loaded_Q")) r.loaded_Q = positive(*n, s.key("loaded_Q"), "");
}

void PhotonicsReader::read_confinement(const Section& s, const toml::node& confinement,
                                       RingSpec& r) const {
  if (!r.group_index) fail(confinement, "'" + s.key("confinement") + "' needs 'group_index' (n_g)");
  std::map<std::string, std::pair<double, SourceLocation>> dn;
  if (const auto* n = s.find("dn_dT_per_K")) {
    const Section t{&table(*n, s.key("dn_dT_per_K")), s.key("dn_dT_per_K")};
    for (const auto& [key, value] : *t.table)
      dn[std::string(key.str())] = {number(value, t.key(key.str())), at(value)};
  }
  const Section t{&table(confinement, s.key("confinement")), s.key("confinement")};
  for (const auto& [key, value] : *t.table) {
    ConfinementSpec m;
    m.material = std::string(key.str());
    m.where = at(value);
    m.confinement = in_range(value, t.key(key.str()), "", 0.0, 10.0);
    if (const auto it = dn.find(m.material); it != dn.end()) {
      m.dn_dT_per_K = it->second.first;
    } else if (!postproc::builtin_dn_dT_per_K(m.material)) {
      const auto names = postproc::builtin_thermo_optic_materials();
      fail(value, "no dn/dT for material '" + m.material + "' in '" + s.key("confinement") +
                      "'; built in: " + join(KeyList(names.begin(), names.end())) +
                      "; or give it in dn_dT_per_K = { " + m.material + " = ... }");
    }
    r.confinement.push_back(m);
  }
  if (r.confinement.empty())
    fail(confinement, "'" + s.key("confinement") + "' needs at least one material");
  for (const auto& [material, value] : dn) {
    const bool used =
        std::any_of(r.confinement.begin(), r.confinement.end(),
                    [&, name = material](const ConfinementSpec& m) { return m.material == name; });
    if (!used)
      throw CaseError(value.second, "'" + s.key("dn_dT_per_K") + "." + material +
                                        "' names a material that is not in 'confinement'");
  }
}

void PhotonicsReader::read_ring_target(const Section& s, RingSpec& r) const {
  const toml::node* laser = s.find("laser");
  const toml::node* target = s.find("target_nm");
  if (laser != nullptr) r.laser = device_ref(*laser, s.key("laser"));
  r.channel = channel_ref(s);
  if (target != nullptr) r.target_m = nm(*target, s.key("target_nm"));
  const toml::node* given[3] = {laser, s.find("grid"), target};
  const char* names[3] = {"laser", "grid", "target_nm"};
  int first = -1;
  for (int i = 0; i < 3; ++i) {
    if (given[i] == nullptr) continue;
    if (first >= 0)
      fail(*given[i], "'" + s.key(names[i]) + "' cannot be combined with '" + names[first] +
                          "': a ring tracks a laser, a grid channel or a target_nm");
    first = i;
  }
  const bool has_target = laser != nullptr || r.channel || target != nullptr;
  const toml::node* l0 = s.find("lambda0_nm");
  const toml::node* off = s.find("lambda0_offset_nm");
  if (l0 != nullptr && off != nullptr)
    fail(*off, "'" + s.key("lambda0_offset_nm") + "' cannot be combined with 'lambda0_nm'");
  if (l0 != nullptr) r.lambda0_m = nm(*l0, s.key("lambda0_nm"));
  if (off != nullptr) {
    if (!has_target)
      fail(*off, "'" + s.key("lambda0_offset_nm") +
                     "' needs a target (laser, grid or target_nm) to be an offset from");
    r.lambda0_offset_m = number(*off, s.key("lambda0_offset_nm")) / kNmPerMetre;
  }
  if (l0 == nullptr && off == nullptr)
    fail(*s.table, "missing required key 'lambda0_nm' or 'lambda0_offset_nm' in " + s.label());
}

void PhotonicsReader::read_heater(const Section& s, RingSpec& r) const {
  if (const auto* n = s.find("heater_efficiency_nm_per_mW"))
    r.heater_efficiency_m_per_W =
        positive(*n, s.key("heater_efficiency_nm_per_mW"), kNmPerMW) / kNmPerMetre * kMilli;
  if (const auto* n = s.find("heater_max_mW"))
    r.heater_max_W = non_negative(*n, s.key("heater_max_mW"), kMW) / kMilli;
  if (const auto* n = s.find("heater_size_um")) {
    r.heater_size_m = lengths_m<3>(*n, s.key("heater_size_um"), true);
    r.heater_where = at(*n);
  }
  if (const auto* n = s.find("heater_offset_um")) {
    r.heater_offset_m = lengths_m<3>(*n, s.key("heater_offset_um"), false);
    r.heater_where = at(*n);
  }
}

void PhotonicsReader::read_control(const Section& s, RingSpec& r) const {
  if (const auto* n = s.find("control")) {
    r.control_where = at(*n);
    r.control = choice(*n, s.key("control"), {"ideal", "pi"}) == "pi" ? RingControl::pi
                                                                      : RingControl::ideal;
  } else {
    r.control_where = r.where;
  }
  for (const char* k : {"pi_kp_mW_per_nm", "pi_ki_mW_per_nm_s", "pi_period_s"})
    if (const auto* n = s.find(k); n != nullptr && r.control != RingControl::pi)
      fail(*n, "'" + s.key(k) + "' needs control = \"pi\" (a discrete PI heater loop)");
  // mW/nm = 1e-3 W / 1e-9 m = 1e6 W/m.
  constexpr double kW_per_m_per_mW_per_nm = kNmPerMetre / kMilli;
  if (const auto* n = s.find("pi_kp_mW_per_nm"))
    r.pi_kp_W_per_m = non_negative(*n, s.key("pi_kp_mW_per_nm"), "mW/nm") * kW_per_m_per_mW_per_nm;
  if (const auto* n = s.find("pi_ki_mW_per_nm_s"))
    r.pi_ki_W_per_m_s =
        non_negative(*n, s.key("pi_ki_mW_per_nm_s"), "mW/(nm·s)") * kW_per_m_per_mW_per_nm;
  r.pi_period_where = r.control_where;
  if (const auto* n = s.find("pi_period_s")) {
    r.pi_period_s = in_range(*n, s.key("pi_period_s"), "s", 1e-9, 1.0);
    r.pi_period_where = at(*n);
  }
  if (const auto* n = s.find("lock_tolerance_nm"))
    r.lock_tolerance_m = positive(*n, s.key("lock_tolerance_nm"), kNm) / kNmPerMetre;
}

}  // namespace cposim::cases::photonics_read
