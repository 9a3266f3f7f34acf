/// \file
/// `[[optics.links]]`: reading (dB/km, km, Gb/s, dBm → SI and W, once), cross-checks against
/// the photonic devices and the resolved echo. Defaults: PHYSICS-SUPPLEMENT.md §L.
#include "cases/read/link_reader.hpp"

#include <cmath>
#include <map>

#include "cases/read/toml_helpers.hpp"

namespace cposim::cases {
namespace {

constexpr const char* kDb = "dB";
constexpr const char* kDbm = "dBm";
constexpr double kMetresPerKm = 1e3;
constexpr double kBitsPerGigabit = 1e9;
/// Largest loss of one element a case may state: beyond it no light is left to budget.
constexpr double kMaxLoss_dB = 60.0;
/// Largest responsivity accepted: quantum efficiency 1 at 1550 nm gives λe/(hc) = 1.25 A/W.
constexpr double kMaxResponsivity_A_per_W = 1.25;

const KeyList kLinkKeys = {"name",
                           "engine",
                           "laser",
                           "source_power_dBm",
                           "laser_split",
                           "laser_coupling_loss_dB",
                           "pic_coupling_loss_dB",
                           "pic_couplers",
                           "waveguides",
                           "modulator",
                           "modulator_insertion_loss_dB",
                           "extinction_ratio_dB",
                           "demux",
                           "demux_drop_loss_dB",
                           "connectors",
                           "connector_loss_dB",
                           "fiber_length_km",
                           "fiber_loss_dB_per_km",
                           "extra_loss_dB",
                           "data_rate_Gbps",
                           "modulation",
                           "responsivity_A_per_W",
                           "sensitivity_dBm",
                           "required_margin_dB"};

class LinkReader : public TomlReader {
 public:
  using TomlReader::TomlReader;

  std::vector<LinkSpec> read(const toml::table& root) const {
    std::vector<LinkSpec> out;
    const toml::node* optics = root.get("optics");
    if (optics == nullptr) return out;
    const Section s{&table(*optics, "optics"), "optics"};
    reject_unknown_keys(s, {"links"});
    if (const auto* n = s.find("links"))
      for (const auto& link : table_array(*n, s.key("links"))) out.push_back(read_link(link));
    return out;
  }

 private:
  LinkDeviceRef ref(const toml::node& node, const std::string& path) const {
    return {name(node, path), at(node)};
  }

  double loss(const Section& s, std::string_view key, double fallback) const {
    const auto* n = s.find(key);
    return n ? in_range(*n, s.key(key), kDb, 0.0, kMaxLoss_dB) : fallback;
  }

  int count(const Section& s, std::string_view key, int minimum, int fallback) const {
    const auto* n = s.find(key);
    return n ? integer_at_least(*n, s.key(key), minimum) : fallback;
  }

  void read_sources(const Section& s, LinkSpec& l) const {
    const auto* laser = s.find("laser");
    const auto* power = s.find("source_power_dBm");
    if (laser != nullptr && power != nullptr)
      fail(before(laser->source().begin, power->source().begin) ? *power : *laser,
           "'" + s.key("laser") + "' and '" + s.key("source_power_dBm") +
               "' cannot be combined: the light comes from a [[lasers]] entry or from a source "
               "of the stated power");
    if (laser == nullptr && power == nullptr)
      throw CaseError(at(*s.table), s.label() +
                                        " needs 'laser' (a [[lasers]] entry) or "
                                        "'source_power_dBm' (the power per channel)");
    if (laser != nullptr) {
      l.laser = ref(*laser, s.key("laser"));
      l.source_where = at(*laser);
    } else {
      const double dBm = in_range(*power, s.key("source_power_dBm"), kDbm, -30.0, 40.0);
      l.source_power_W = 1e-3 * std::pow(10.0, dBm / 10.0);
      l.source_where = at(*power);
    }
  }

  void read_receiver(const Section& s, LinkSpec& l) const {
    auto& p = l.parameters;
    if (const auto* n = s.find("modulation"))
      p.modulation = choice(*n, s.key("modulation"), {"nrz", "pam4"}) == "nrz"
                         ? postproc::LinkModulation::nrz
                         : postproc::LinkModulation::pam4;
    p.data_rate_bps = p.modulation == postproc::LinkModulation::nrz
                          ? postproc::kNrzReferenceRate_bps
                          : postproc::kPam4ReferenceRate_bps;
    if (const auto* n = s.find("data_rate_Gbps"))
      p.data_rate_bps =
          in_range(*n, s.key("data_rate_Gbps"), "Gb/s", 0.1, 1000.0) * kBitsPerGigabit;
    if (const auto* n = s.find("responsivity_A_per_W"))
      p.responsivity_A_per_W =
          in_range(*n, s.key("responsivity_A_per_W"), "A/W", 0.01, kMaxResponsivity_A_per_W);
    if (const auto* n = s.find("sensitivity_dBm")) {
      p.sensitivity_dBm = in_range(*n, s.key("sensitivity_dBm"), kDbm, -40.0, 10.0);
      l.sensitivity_given = true;
    } else {
      p.sensitivity_dBm =
          postproc::default_sensitivity_dBm(p.modulation, p.data_rate_bps, p.responsivity_A_per_W);
    }
    if (const auto* n = s.find("required_margin_dB"))
      p.required_margin_dB = in_range(*n, s.key("required_margin_dB"), kDb, 0.0, 30.0);
  }

  LinkSpec read_link(const Section& s) const {
    reject_unknown_keys(s, kLinkKeys);
    LinkSpec l;
    l.where = at(*s.table);
    l.name = required_name(s, l.name_where);
    if (const auto* n = s.find("engine")) l.engine = name(*n, s.key("engine"));
    read_sources(s, l);
    auto& p = l.parameters;
    p.laser_split = count(s, "laser_split", 1, 1);
    p.laser_coupling_loss_dB = loss(s, "laser_coupling_loss_dB", p.laser_coupling_loss_dB);
    p.pic_coupling_loss_dB = loss(s, "pic_coupling_loss_dB", p.pic_coupling_loss_dB);
    p.pic_couplers = count(s, "pic_couplers", 0, p.pic_couplers);
    if (const auto* n = s.find("waveguides")) {
      const auto& a = array(*n, s.key("waveguides"));
      for (std::size_t i = 0; i < a.size(); ++i)
        l.waveguides.push_back(ref(a[i], s.key("waveguides") + "[" + std::to_string(i) + "]"));
    }
    l.modulator = ref(require(s, "modulator"), s.key("modulator"));
    if (s.find("modulator_insertion_loss_dB") != nullptr) {
      p.modulator_insertion_loss_dB = loss(s, "modulator_insertion_loss_dB", 0.0);
      l.insertion_loss_given = true;
    }
    if (const auto* n = s.find("extinction_ratio_dB"))
      p.extinction_ratio_dB = in_range(*n, s.key("extinction_ratio_dB"), kDb, 0.1, 40.0);
    if (const auto* n = s.find("demux")) l.demux = ref(*n, s.key("demux"));
    if (const auto* n = s.find("demux_drop_loss_dB"); n != nullptr && !l.demux)
      fail(*n, "'" + s.key("demux_drop_loss_dB") +
                   "' applies only with 'demux' (a [[rings]] "
                   "filter bank)");
    p.demux_drop_loss_dB = loss(s, "demux_drop_loss_dB", p.demux_drop_loss_dB);
    p.connectors = count(s, "connectors", 0, p.connectors);
    if (const auto* n = s.find("connector_loss_dB"))
      p.connector_loss_dB = in_range(*n, s.key("connector_loss_dB"), kDb, 0.0, 10.0);
    if (const auto* n = s.find("fiber_length_km"))
      p.fiber_length_m = in_range(*n, s.key("fiber_length_km"), "km", 0.0, 100.0) * kMetresPerKm;
    if (const auto* n = s.find("fiber_loss_dB_per_km"))
      p.fiber_loss_dB_per_m =
          in_range(*n, s.key("fiber_loss_dB_per_km"), "dB/km", 0.0, 10.0) / kMetresPerKm;
    p.extra_loss_dB = loss(s, "extra_loss_dB", 0.0);
    read_receiver(s, l);
    return l;
  }
};

std::string number(double value) { return format_number(value); }

const char* modulation_name(postproc::LinkModulation m) {
  return m == postproc::LinkModulation::nrz ? "nrz" : "pam4";
}

/// The entry of `entries` that `ref` names, for link `link`; a located error naming the
/// section that must define it when there is none.
template <class Spec>
const Spec& linked_entry(const std::vector<Spec>& entries, const LinkDeviceRef& ref,
                         const LinkSpec& link, const char* role, const char* section) {
  for (const auto& e : entries)
    if (e.name == ref.name) return e;
  throw CaseError(ref.where, "link '" + link.name + "': unknown " + role + " '" + ref.name +
                                 "'; it must name a " + section + " entry");
}

/// A located error unless the entry `ref` names (with `count` elements) has one element per
/// channel of `link`.
void require_per_channel(const LinkDeviceRef& ref, const LinkSpec& link, const char* role,
                         int count, const char* elements, int channels, const char* hint) {
  if (count != channels)
    throw CaseError(ref.where, "link '" + link.name + "': " + role + " '" + ref.name + "' has " +
                                   std::to_string(count) + " " + elements + " but the link has " +
                                   std::to_string(channels) + " channels" + hint);
}

}  // namespace

std::vector<LinkSpec> read_links(const toml::table& root, const std::string& file,
                                 const std::string& base_dir) {
  return LinkReader(file, base_dir).read(root);
}

int link_channels(const LinkSpec& link, const PhotonicsSpec& photonics) {
  for (const auto& r : photonics.rings)
    if (r.name == link.modulator.name) return r.count;
  return 1;
}

double modulator_insertion_loss_dB(const LinkSpec& link, const PhotonicsSpec& photonics) {
  if (link.insertion_loss_given) return link.parameters.modulator_insertion_loss_dB;
  for (const auto& m : photonics.mzis)
    if (m.name == link.modulator.name) return postproc::kMziInsertionLoss_dB;
  return postproc::kRingInsertionLoss_dB;
}

void check_links(const CaseSpec& spec) {
  const PhotonicsSpec& p = spec.photonics;
  std::map<std::string, int> names;
  auto find_ring = [&](const std::string& name) -> const RingSpec* {
    for (const auto& r : p.rings)
      if (r.name == name) return &r;
    return nullptr;
  };
  for (const auto& l : p.links) {
    const auto [it, inserted] = names.emplace(l.name, l.name_where.line);
    if (!inserted)
      throw CaseError(l.name_where, "duplicate link '" + l.name + "': already defined at line " +
                                        std::to_string(it->second));
    const RingSpec* ring = find_ring(l.modulator.name);
    bool mzi = false;
    for (const auto& m : p.mzis) mzi = mzi || m.name == l.modulator.name;
    if (ring == nullptr && !mzi)
      throw CaseError(l.modulator.where, "link '" + l.name + "': unknown modulator '" +
                                             l.modulator.name +
                                             "'; it must name a [[rings]] or [[mzis]] entry");
    const int channels = ring ? ring->count : 1;
    if (l.demux) {
      const auto& demux = linked_entry(p.rings, *l.demux, l, "demux", "[[rings]]");
      require_per_channel(*l.demux, l, "demux", demux.count, "rings", channels,
                          " (one per modulator element); give one drop ring per channel");
    }
    if (l.laser) {
      const auto& laser = linked_entry(p.lasers, *l.laser, l, "laser", "[[lasers]]");
      require_per_channel(*l.laser, l, "laser", laser.count, "elements", channels,
                          "; give one line per channel");
    }
    for (const auto& w : l.waveguides) {
      bool known = false;
      for (const auto& x : p.waveguides) known = known || x.name == w.name;
      if (!known)
        throw CaseError(w.where, "link '" + l.name + "': unknown waveguide '" + w.name +
                                     "'; it must name a [[waveguides]] entry");
    }
  }
}

void echo_links(std::ostream& os, const PhotonicsSpec& photonics) {
  for (const auto& l : photonics.links) {
    const auto& p = l.parameters;
    os << "\n[[optics.links]]\nname = " << quoted(l.name) << "\n";
    if (!l.engine.empty()) os << "engine = " << quoted(l.engine) << "\n";
    if (l.laser) os << "laser = " << quoted(l.laser->name) << "\n";
    if (l.source_power_W)
      os << "source_power_dBm = " << number(10.0 * std::log10(*l.source_power_W / 1e-3)) << "\n";
    os << "laser_split = " << p.laser_split
       << "\nlaser_coupling_loss_dB = " << number(p.laser_coupling_loss_dB)
       << "\npic_coupling_loss_dB = " << number(p.pic_coupling_loss_dB)
       << "\npic_couplers = " << p.pic_couplers << "\nwaveguides = [";
    for (std::size_t i = 0; i < l.waveguides.size(); ++i)
      os << (i ? ", " : "") << quoted(l.waveguides[i].name);
    os << "]\nmodulator = " << quoted(l.modulator.name) << "\n";
    os << "modulator_insertion_loss_dB = " << number(modulator_insertion_loss_dB(l, photonics))
       << "\nextinction_ratio_dB = " << number(p.extinction_ratio_dB) << "\n";
    if (l.demux)
      os << "demux = " << quoted(l.demux->name)
         << "\ndemux_drop_loss_dB = " << number(p.demux_drop_loss_dB) << "\n";
    os << "connectors = " << p.connectors << "\nconnector_loss_dB = " << number(p.connector_loss_dB)
       << "\nfiber_length_km = " << number(p.fiber_length_m / kMetresPerKm)
       << "\nfiber_loss_dB_per_km = " << number(p.fiber_loss_dB_per_m * kMetresPerKm)
       << "\nextra_loss_dB = " << number(p.extra_loss_dB)
       << "\ndata_rate_Gbps = " << number(p.data_rate_bps / kBitsPerGigabit)
       << "\nmodulation = " << quoted(modulation_name(p.modulation))
       << "\nresponsivity_A_per_W = " << number(p.responsivity_A_per_W)
       << "\nsensitivity_dBm = " << number(p.sensitivity_dBm)
       << "\nrequired_margin_dB = " << number(p.required_margin_dB) << "\n";
  }
}

}  // namespace cposim::cases
