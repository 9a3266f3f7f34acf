/// \file
/// The photonic sections of a case file: reading (µm, nm, pm/K, nm/mW, mW, mA, dB/cm → SI,
/// once), cross-checks and the resolved echo.
#include "cases/read/photonics_reader.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

#include "cases/read/toml_helpers.hpp"
#include "cases/spec/case_geometry.hpp"
#include "cases/spec/photonics_devices.hpp"
#include "postproc/photonics/photonics.hpp"

namespace cposim::cases {
namespace {

constexpr double kNmPerMetre = 1e9;
constexpr double kPmPerMetre = 1e12;
constexpr double kMilli = 1e3;
constexpr const char* kNm = "nm";
constexpr const char* kPmPerK = "pm/K";
constexpr const char* kNmPerMW = "nm/mW";
constexpr const char* kMW = "mW";
constexpr const char* kMA = "mA";

/// Keys of the optics shared by waveguides and MZIs.
const KeyList kOpticsKeys = {"platform",       "dn_eff_dT_per_K", "group_index",
                             "loss_dB_per_cm", "wavelength_nm",   "T_ref_K"};

class PhotonicsReader : public TomlReader {
 public:
  using TomlReader::TomlReader;

  PhotonicsSpec read(const toml::table& root) const {
    PhotonicsSpec out;
    const Section top{&root, ""};
    out.coupling.where = out.coupling.crosstalk_where = {file_};
    if (const auto* n = top.find("wavelength_plans"))
      for (const auto& s : table_array(*n, "wavelength_plans")) out.plans.push_back(read_plan(s));
    if (const auto* n = top.find("rings"))
      for (const auto& s : table_array(*n, "rings")) out.rings.push_back(read_ring(s));
    if (const auto* n = top.find("waveguides"))
      for (const auto& s : table_array(*n, "waveguides"))
        out.waveguides.push_back(read_waveguide(s));
    if (const auto* n = top.find("mzis"))
      for (const auto& s : table_array(*n, "mzis")) out.mzis.push_back(read_mzi(s));
    if (const auto* n = top.find("lasers"))
      for (const auto& s : table_array(*n, "lasers")) out.lasers.push_back(read_laser(s));
    if (const auto* n = top.find("coupling")) out.coupling = read_coupling(*n);
    return out;
  }

 private:
  std::string device_name(const Section& s, SourceLocation& where) const {
    const toml::node& n = require(s, "name");
    where = at(n);
    return name(n, s.key("name"));
  }

  DeviceRef device_ref(const toml::node& node, const std::string& path) const {
    return {string(node, path), at(node)};
  }

  double nm(const toml::node& node, const std::string& path) const {
    return positive(node, path, kNm) / kNmPerMetre;
  }

  /// An array of ≥ 2 points [x, y, z] in µm.
  PathSpec path(const toml::node& node, const std::string& key) const {
    PathSpec p;
    p.where = at(node);
    const auto& a = array(node, key);
    if (a.size() < 2)
      fail(node, "'" + key + "' needs at least 2 points [x, y, z] in µm, got " + describe(node));
    for (std::size_t i = 0; i < a.size(); ++i)
      p.points_m.push_back(lengths_m<3>(a[i], key + "[" + std::to_string(i) + "]", false));
    return p;
  }

  /// `grid`, `channel`, `channel_step` of a device, if `grid` is present.
  std::optional<ChannelRef> channel_ref(const Section& s) const {
    const toml::node* grid = s.find("grid");
    if (grid == nullptr) {
      for (const char* k : {"channel", "channel_step"})
        if (const auto* n = s.find(k))
          fail(*n, "'" + s.key(k) + "' needs 'grid': it is a channel of a wavelength grid");
      return std::nullopt;
    }
    ChannelRef c;
    c.grid = device_ref(*grid, s.key("grid"));
    c.channel_where = c.grid.where;
    if (const auto* n = s.find("channel")) {
      c.channel = integer_at_least(*n, s.key("channel"), 0);
      c.channel_where = at(*n);
    }
    if (const auto* n = s.find("channel_step"))
      c.channel_step = integer_at_least(*n, s.key("channel_step"), 0);
    return c;
  }

  /// `count` and `pitch_um` of an array entry; `positioned` = false (an external laser
  /// source) takes no pitch.
  void read_array(const Section& s, int& count, std::array<double, 3>& pitch_m,
                  bool positioned = true) const {
    if (const auto* n = s.find("count")) count = integer_at_least(*n, s.key("count"), 1);
    if (!positioned) {
      if (const auto* n = s.find("pitch_um"))
        fail(*n, "'" + s.key("pitch_um") +
                     "' applies to an on_package laser; an external one "
                     "has no position in the package");
      return;
    }
    if (const auto* n = s.find("pitch_um")) {
      pitch_m = lengths_m<3>(*n, s.key("pitch_um"), false);
      if (count == 1) fail(*n, "'" + s.key("pitch_um") + "' needs 'count' > 1");
      if (pitch_m[0] == 0.0 && pitch_m[1] == 0.0 && pitch_m[2] == 0.0)
        fail(*n, "'" + s.key("pitch_um") + "' must not be [0, 0, 0]: the elements would coincide");
    } else if (count > 1) {
      fail(*s.table, "missing required key 'pitch_um' in " + s.label() +
                         " (count = " + std::to_string(count) + ")");
    }
  }

  WavelengthPlanSpec read_plan(const Section& s) const {
    reject_unknown_keys(s, {"name", "grid", "channels_nm", "window_half_width_nm", "first_channel",
                            "num_channels"});
    WavelengthPlanSpec p;
    p.where = at(*s.table);
    p.name = device_name(s, p.name_where);
    const auto names = postproc::builtin_grid_names();
    const KeyList grid_names(names.begin(), names.end());
    const toml::node* grid = s.find("grid");
    const toml::node* channels = s.find("channels_nm");
    if (grid != nullptr && channels != nullptr)
      fail(*channels, "'" + s.key("channels_nm") +
                          "' cannot be combined with 'grid': a plan is a built-in grid or a "
                          "list of channels");
    if (grid == nullptr && channels == nullptr)
      fail(*s.table, "missing required key 'grid' or 'channels_nm' in " + s.label());
    if (const auto* n = s.find("window_half_width_nm"))
      p.window_half_width_m = nm(*n, s.key("window_half_width_nm"));
    if (grid != nullptr) {
      p.grid = choice(*grid, s.key("grid"), grid_names);
      const int size = static_cast<int>(postproc::builtin_grid(p.grid)->channels.size());
      const toml::node* first = s.find("first_channel");
      if (first != nullptr) {
        p.first_channel = integer_at_least(*first, s.key("first_channel"), 0);
        if (p.first_channel >= size)
          fail(*first, "'" + s.key("first_channel") + "' must be < " + std::to_string(size) +
                           " (grid " + p.grid + " has " + std::to_string(size) +
                           " channels), got " + std::to_string(p.first_channel));
      }
      if (const auto* n = s.find("num_channels")) {
        p.num_channels = integer_at_least(*n, s.key("num_channels"), 1);
        if (p.first_channel + *p.num_channels > size)
          fail(*n, "'" + s.key("num_channels") +
                       "' must be <= " + std::to_string(size - p.first_channel) + " (grid " +
                       p.grid + " has " + std::to_string(size) + " channels from first_channel " +
                       std::to_string(p.first_channel) + "), got " +
                       std::to_string(*p.num_channels));
      }
    } else {
      for (const char* k : {"first_channel", "num_channels"})
        if (const auto* n = s.find(k))
          fail(*n, "'" + s.key(k) + "' applies to a built-in 'grid', not to channels_nm");
      const auto& list = array(*channels, s.key("channels_nm"));
      if (list.size() == 0)
        fail(*channels, "'" + s.key("channels_nm") + "' needs at least 1 channel");
      for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string key = s.key("channels_nm") + "[" + std::to_string(i) + "]";
        const double c = nm(list[i], key);
        if (!p.channels_m.empty() && !(c > p.channels_m.back()))
          fail(list[i], "'" + key + "' must be > the previous channel (" +
                            format_number(p.channels_m.back() * kNmPerMetre) + " nm), got " +
                            format_number(c * kNmPerMetre));
        p.channels_m.push_back(c);
      }
      if (!p.window_half_width_m)
        fail(*s.table, "missing required key 'window_half_width_nm' in " + s.label() +
                           " (needed with channels_nm)");
    }
    return p;
  }

  RingSpec read_ring(const Section& s) const {
    reject_unknown_keys(s, {"name",
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
                            "heater_offset_um"});
    RingSpec r;
    r.where = r.heater_where = at(*s.table);
    r.name = device_name(s, r.name_where);
    if (const auto* n = s.find("role")) r.role = choice(*n, s.key("role"), {"modulator", "filter"});
    const toml::node& c = require(s, "center_um");
    r.center_m = lengths_m<3>(c, s.key("center_um"), false);
    r.center_where = at(c);
    if (const auto* n = s.find("footprint_um"))
      r.footprint_m = lengths_m<3>(*n, s.key("footprint_um"), true);
    read_array(s, r.count, r.pitch_m);
    if (const auto* n = s.find("block")) r.block = device_ref(*n, s.key("block"));

    // Thermo-optics: a drift, or the index route (physics.md §2.2).
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
    if (const auto* n = s.find("group_index"))
      r.group_index = positive(*n, s.key("group_index"), "");
    if (confinement != nullptr) {
      if (!r.group_index)
        fail(*confinement, "'" + s.key("confinement") + "' needs 'group_index' (n_g)");
      std::map<std::string, std::pair<double, SourceLocation>> dn;
      if (const auto* n = s.find("dn_dT_per_K")) {
        const Section t{&table(*n, s.key("dn_dT_per_K")), s.key("dn_dT_per_K")};
        for (const auto& [key, value] : *t.table)
          dn[std::string(key.str())] = {number(value, t.key(key.str())), at(value)};
      }
      const Section t{&table(*confinement, s.key("confinement")), s.key("confinement")};
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
        fail(*confinement, "'" + s.key("confinement") + "' needs at least one material");
      for (const auto& [material, value] : dn) {
        const bool used = std::any_of(
            r.confinement.begin(), r.confinement.end(),
            [&, name = material](const ConfinementSpec& m) { return m.material == name; });
        if (!used)
          throw CaseError(value.second, "'" + s.key("dn_dT_per_K") + "." + material +
                                            "' names a material that is not in 'confinement'");
      }
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

    // Target and resonance.
    const toml::node* laser = s.find("laser");
    const toml::node* target = s.find("target_nm");
    if (laser != nullptr) r.laser = device_ref(*laser, s.key("laser"));
    r.channel = channel_ref(s);
    if (target != nullptr) r.target_m = nm(*target, s.key("target_nm"));
    {
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

    // Heater (physics.md §2.3).
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
    return r;
  }

  void read_optics(const Section& s, WaveguideOpticsSpec& o) const {
    if (const auto* n = s.find("platform"))
      o.platform = choice(*n, s.key("platform"), {"Si", "SiN"});
    if (const auto* n = s.find("dn_eff_dT_per_K"))
      o.dn_eff_dT_per_K = number(*n, s.key("dn_eff_dT_per_K"));
    if (const auto* n = s.find("group_index"))
      o.group_index = positive(*n, s.key("group_index"), "");
    if (const auto* n = s.find("loss_dB_per_cm"))
      o.loss_dB_per_m = non_negative(*n, s.key("loss_dB_per_cm"), "dB/cm") * 100.0;
    if (const auto* n = s.find("wavelength_nm")) o.wavelength_m = nm(*n, s.key("wavelength_nm"));
    if (const auto* n = s.find("T_ref_K")) o.T_ref_K = positive(*n, s.key("T_ref_K"), kKelvin);
  }

  WaveguideSpec read_waveguide(const Section& s) const {
    reject_unknown_keys(s, concat({"name", "path_um"}, kOpticsKeys));
    WaveguideSpec w;
    w.where = at(*s.table);
    w.name = device_name(s, w.name_where);
    w.path = path(require(s, "path_um"), s.key("path_um"));
    read_optics(s, w.optics);
    return w;
  }

  MziSpec read_mzi(const Section& s) const {
    reject_unknown_keys(s, concat({"name", "arm_a_path_um", "arm_b_path_um"}, kOpticsKeys));
    MziSpec m;
    m.where = at(*s.table);
    m.name = device_name(s, m.name_where);
    m.arm_a = path(require(s, "arm_a_path_um"), s.key("arm_a_path_um"));
    m.arm_b = path(require(s, "arm_b_path_um"), s.key("arm_b_path_um"));
    read_optics(s, m.optics);
    return m;
  }

  LaserSpec read_laser(const Section& s) const {
    reject_unknown_keys(s, {"name",
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
                            "R_th_jc_K_per_W"});
    LaserSpec l;
    l.where = l.center_where = at(*s.table);
    l.name = device_name(s, l.name_where);
    if (const auto* n = s.find("type")) l.type = choice(*n, s.key("type"), {"DFB", "FP"});
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
    } else {
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
    read_array(s, l.count, l.pitch_m, !l.external);
    l.channel = channel_ref(s);
    const toml::node* l0 = s.find("lambda0_nm");
    if (l0 != nullptr && l.channel)
      fail(*l0,
           "'" + s.key("lambda0_nm") +
               "' cannot be combined with 'grid': the channel sets λ0 (use lambda0_offset_nm)");
    if (l0 != nullptr) l.lambda0_m = nm(*l0, s.key("lambda0_nm"));
    if (l0 == nullptr && !l.channel)
      fail(*s.table, "missing required key 'lambda0_nm' or 'grid' in " + s.label());
    if (const auto* n = s.find("lambda0_offset_nm")) {
      if (!l.channel)
        fail(*n,
             "'" + s.key("lambda0_offset_nm") + "' needs 'grid': it is an offset from a channel");
      l.lambda0_offset_m = number(*n, s.key("lambda0_offset_nm")) / kNmPerMetre;
    }
    if (const auto* n = s.find("T_ref_K")) l.T_ref_K = positive(*n, s.key("T_ref_K"), kKelvin);
    if (const auto* n = s.find("drift_nm_per_K"))
      l.drift_m_per_K = number(*n, s.key("drift_nm_per_K")) / kNmPerMetre;
    if (const auto* n = s.find("threshold_mA"))
      l.threshold_A = non_negative(*n, s.key("threshold_mA"), kMA) / kMilli;
    if (const auto* n = s.find("T0_K")) l.T0_K = positive(*n, s.key("T0_K"), kKelvin);
    if (const auto* n = s.find("slope_efficiency_W_per_A"))
      l.slope_W_per_A = non_negative(*n, s.key("slope_efficiency_W_per_A"), "W/A");
    if (const auto* n = s.find("T1_K")) l.T1_K = positive(*n, s.key("T1_K"), kKelvin);
    if (const auto* n = s.find("current_mA"))
      l.current_A = non_negative(*n, s.key("current_mA"), kMA) / kMilli;
    if (const auto* n = s.find("R_th_jc_K_per_W"))
      l.R_th_jc_K_per_W = non_negative(*n, s.key("R_th_jc_K_per_W"), "K/W");
    const toml::node* v = s.find("voltage_V");
    if (v != nullptr) l.voltage_V = non_negative(*v, s.key("voltage_V"), "V");
    if (!(l.slope_W_per_A < l.voltage_V))
      fail(v != nullptr ? *v : *s.table,
           "'" + s.key("voltage_V") + "' must be > slope_efficiency_W_per_A (" +
               format_number(l.slope_W_per_A) +
               " W/A): a laser cannot emit more than its electrical power, got " +
               format_number(l.voltage_V) + " V");
    return l;
  }

  CouplingSpec read_coupling(const toml::node& node) const {
    const Section s{&table(node, "coupling"), "coupling"};
    reject_unknown_keys(
        s, {"enabled", "tolerance", "max_iterations", "crosstalk", "crosstalk_step_mW"});
    CouplingSpec c;
    c.where = c.crosstalk_where = at(node);
    if (const auto* n = s.find("enabled")) c.enabled = boolean(*n, s.key("enabled"));
    if (const auto* n = s.find("tolerance")) {
      c.tolerance = number(*n, s.key("tolerance"));
      if (!(c.tolerance > 0.0 && c.tolerance < 1.0))
        fail(*n, "'" + s.key("tolerance") +
                     "' (relative heater-power change) must be > 0 and < 1, got " +
                     format_number(c.tolerance));
    }
    if (const auto* n = s.find("max_iterations"))
      c.max_iterations = integer_at_least(*n, s.key("max_iterations"), 1);
    if (const auto* n = s.find("crosstalk")) {
      c.crosstalk = boolean(*n, s.key("crosstalk"));
      c.crosstalk_where = at(*n);
    }
    if (const auto* n = s.find("crosstalk_step_mW"))
      c.crosstalk_step_W = positive(*n, s.key("crosstalk_step_mW"), kMW) / kMilli;
    return c;
  }
};

// ---------------------------------------------------------------------------------------------
// Cross-checks

std::string um(double metres) { return format_number(metres * kUmPerMetre); }

constexpr const char* kAxis[3] = {"x", "y", "z"};

/// Throws at `where` if `box` leaves `outer` (the package, or the named block).
void check_inside(const mesh::Box& box, const mesh::Box& outer, const std::string& what,
                  const std::string& outer_name, const SourceLocation& where) {
  for (int a = 0; a < 3; ++a)
    if (box.lo_m[a] < outer.lo_m[a] - kGeometryTolerance_m ||
        box.hi_m[a] > outer.hi_m[a] + kGeometryTolerance_m)
      throw CaseError(where, what + " extends outside " + outer_name + ": " + kAxis[a] + " from " +
                                 um(box.lo_m[a]) + " to " + um(box.hi_m[a]) + " µm, " + outer_name +
                                 " " + kAxis[a] + " from " + um(outer.lo_m[a]) + " to " +
                                 um(outer.hi_m[a]) + " µm");
}

/// The block (or layer) box a device names, or the package.
std::pair<mesh::Box, std::string> container(const CaseSpec& spec,
                                            const std::optional<DeviceRef>& block,
                                            const std::string& device) {
  if (!block) return {package_box(spec), "the package"};
  for (const auto& b : spec.blocks)
    if (b.name == block->name) return {block_box(b), "block '" + b.name + "'"};
  const auto layers = layer_boxes(spec);
  for (std::size_t i = 0; i < spec.layers.size(); ++i)
    if (spec.layers[i].name == block->name)
      return {layers[i], "layer '" + spec.layers[i].name + "'"};
  std::vector<std::string> names;
  for (const auto& b : spec.blocks) names.push_back(b.name);
  std::sort(names.begin(), names.end());
  throw CaseError(block->where, "unknown block '" + block->name + "' for " + device +
                                    "; known blocks: " + join(KeyList(names.begin(), names.end())));
}

void check_channel(const PhotonicsSpec& p, const ChannelRef& c, int count,
                   const std::string& device) {
  const auto grid = find_grid(p, c.grid.name);
  if (!grid) {
    std::vector<std::string> names = postproc::builtin_grid_names();
    for (const auto& plan : p.plans) names.push_back(plan.name);
    throw CaseError(c.grid.where, "unknown grid '" + c.grid.name + "' for " + device +
                                      "; known plans and built-in grids: " +
                                      join(KeyList(names.begin(), names.end())));
  }
  const long last = c.channel + static_cast<long>(count - 1) * c.channel_step;
  const auto size = static_cast<long>(grid->channels.size());
  if (last >= size)
    throw CaseError(
        c.channel_where,
        device + ": channel " + std::to_string(c.channel) +
            (count > 1 ? " + " + std::to_string(count - 1) + " × channel_step " +
                             std::to_string(c.channel_step) + " = " + std::to_string(last)
                       : std::string()) +
            " is beyond grid '" + c.grid.name + "', which has channels 0 to " +
            std::to_string(size - 1));
}

}  // namespace

PhotonicsSpec read_photonics(const toml::table& root, const std::string& file,
                             const std::string& base_dir) {
  return PhotonicsReader(file, base_dir).read(root);
}

void check_photonics(const CaseSpec& spec) {
  const PhotonicsSpec& p = spec.photonics;
  // Names: plans among themselves (and not shadowing a built-in grid); devices share one
  // namespace, and so do the elements of arrays ("<name>.<i>").
  std::map<std::string, int> plans;
  const auto builtin = postproc::builtin_grid_names();
  for (const auto& plan : p.plans) {
    if (std::find(builtin.begin(), builtin.end(), plan.name) != builtin.end())
      throw CaseError(plan.name_where, "wavelength plan name '" + plan.name +
                                           "' is the name of a built-in grid; choose another");
    const auto [it, inserted] = plans.emplace(plan.name, plan.name_where.line);
    if (!inserted)
      throw CaseError(plan.name_where, "duplicate wavelength plan '" + plan.name +
                                           "': already defined at line " +
                                           std::to_string(it->second));
  }
  std::map<std::string, std::string> devices;
  auto add = [&](const std::string& name, int count, const std::string& kind,
                 const SourceLocation& where) {
    std::vector<std::string> names{name};
    if (count > 1)
      for (int i = 0; i < count; ++i) names.push_back(element_name(name, i, count));
    for (const auto& n : names) {
      const auto [it, inserted] =
          devices.emplace(n, kind + " '" + name + "' at line " + std::to_string(where.line));
      if (!inserted)
        throw CaseError(where, "duplicate device name '" + n + "': already used by " + it->second);
    }
  };
  for (const auto& r : p.rings) add(r.name, r.count, "ring", r.name_where);
  for (const auto& w : p.waveguides) add(w.name, 1, "waveguide", w.name_where);
  for (const auto& m : p.mzis) add(m.name, 1, "mzi", m.name_where);
  for (const auto& l : p.lasers) add(l.name, l.count, "laser", l.name_where);

  for (const auto& l : p.lasers) {
    const std::string what = "laser '" + l.name + "'";
    if (l.channel) check_channel(p, *l.channel, l.count, what);
    if (l.external) continue;
    const auto [outer, outer_name] = container(spec, l.block, what);
    for (int i = 0; i < l.count; ++i)
      check_inside(laser_box(l, i), outer,
                   l.count > 1 ? "laser '" + element_name(l.name, i, l.count) + "'" : what,
                   outer_name, l.center_where);
  }
  for (const auto& r : p.rings) {
    const std::string what = "ring '" + r.name + "'";
    if (r.channel) check_channel(p, *r.channel, r.count, what);
    if (r.laser) {
      const auto it = std::find_if(p.lasers.begin(), p.lasers.end(),
                                   [&](const LaserSpec& l) { return l.name == r.laser->name; });
      if (it == p.lasers.end()) {
        std::vector<std::string> names;
        for (const auto& l : p.lasers) names.push_back(l.name);
        throw CaseError(
            r.laser->where,
            "unknown laser '" + r.laser->name + "' for " + what + "; known lasers: " +
                (names.empty() ? std::string("none") : join(KeyList(names.begin(), names.end()))));
      }
      if (it->count != 1 && it->count != r.count)
        throw CaseError(r.laser->where,
                        what + " has " + std::to_string(r.count) + " element(s) but laser '" +
                            it->name + "' has " + std::to_string(it->count) +
                            ": a ring array tracks one laser or one laser per ring");
    }
    const auto [outer, outer_name] = container(spec, r.block, what);
    for (int i = 0; i < r.count; ++i) {
      const std::string element =
          r.count > 1 ? "ring '" + element_name(r.name, i, r.count) + "'" : what;
      check_inside(ring_box(r, i), outer, element, outer_name, r.center_where);
      check_inside(heater_box(r, i), outer, "the heater of " + element, outer_name, r.heater_where);
    }
  }
  const mesh::Box package = package_box(spec);
  auto check_path = [&](const PathSpec& path, const std::string& what) {
    for (std::size_t i = 0; i < path.points_m.size(); ++i)
      for (int a = 0; a < 3; ++a) {
        const double x = path.points_m[i][a];
        if (x < package.lo_m[a] - kGeometryTolerance_m ||
            x > package.hi_m[a] + kGeometryTolerance_m)
          throw CaseError(path.where, what + " point " + std::to_string(i) +
                                          " is outside the "
                                          "package: " +
                                          kAxis[a] + " = " + um(x) + " µm, package " + kAxis[a] +
                                          " from " + um(package.lo_m[a]) + " to " +
                                          um(package.hi_m[a]) + " µm");
      }
  };
  for (const auto& w : p.waveguides) check_path(w.path, "waveguide '" + w.name + "'");
  for (const auto& m : p.mzis) {
    check_path(m.arm_a, "mzi '" + m.name + "' arm a");
    check_path(m.arm_b, "mzi '" + m.name + "' arm b");
  }
  if (p.coupling.crosstalk) {
    int heaters = 0;
    for (const auto& r : p.rings) heaters += r.count;
    // Each column is one warm-started solve (a small step from the converged field: a few
    // iterations); the bound is the dense n × n matrix, 128 MiB at 4096 heaters.
    constexpr int kMaxCrosstalkHeaters = 4096;
    if (heaters > kMaxCrosstalkHeaters)
      throw CaseError(p.coupling.crosstalk_where,
                      "'coupling.crosstalk' writes the dense heater-to-ring matrix (n² values, one "
                      "warm-started solve per heater); the case has " +
                          std::to_string(heaters) + " heaters, more than the limit of " +
                          std::to_string(kMaxCrosstalkHeaters) + " (128 MiB)");
  }
}

// ---------------------------------------------------------------------------------------------
// The echo

namespace {

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
    os << "T_ref_K = " << format_number(l.T_ref_K)
       << "\ndrift_nm_per_K = " << format_number(laser_drift_m_per_K(l) * kNmPerMetre)
       << "\nthreshold_mA = " << format_number(l.threshold_A * kMilli)
       << "\nT0_K = " << format_number(l.T0_K)
       << "\nslope_efficiency_W_per_A = " << format_number(l.slope_W_per_A)
       << "\nT1_K = " << format_number(l.T1_K)
       << "\ncurrent_mA = " << format_number(l.current_A * kMilli)
       << "\nvoltage_V = " << format_number(l.voltage_V)
       << "\nR_th_jc_K_per_W = " << format_number(l.R_th_jc_K_per_W) << "\n";
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
