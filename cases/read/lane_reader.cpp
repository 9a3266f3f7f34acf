/// \file
/// The `[electrical]` section of a case file: reading (µm, Gb/s, Np/mm with f in GHz → SI,
/// once). The cross-checks and the resolved echo are in cases/resolve/lane_plan.cpp.
#include "cases/read/lane_reader.hpp"

#include <map>
#include <sstream>

#include "cases/read/toml_helpers.hpp"

namespace cposim::cases {
namespace {

constexpr double kBitsPerGigabit = 1e9;
constexpr double kPerMmPerPerM = 1e3;  // x per mm → x per m
constexpr int kMaxLanesPerGroup = 100000;
constexpr int kMaxTransitionsPerStep = 1000;
constexpr const char* kDb = "dB";
constexpr const char* kOhm = "Ω";
constexpr const char* kOhmM = "Ω m";
constexpr const char* kPerK = "1/K";
constexpr const char* kGbps = "Gb/s";

const KeyList kPhysicalKeys = {
    "width_um", "thickness_um", "Z0_Ohm",     "roughness_factor", "return_plane_factor",
    "Dk",       "Df",           "rho20_Ohm_m"};
const KeyList kComKeys = {"a1_Np_per_mm_sqrtGHz", "a2_Np_per_mm_GHz"};
const KeyList kEdgeNames(postproc::kEdgeNames.begin(), postproc::kEdgeNames.end());
const KeyList kModulationNames(postproc::kModulationNames.begin(),
                               postproc::kModulationNames.end());
/// Keys of a lane group that only an estimated route (`from`) uses.
const KeyList kEstimatorKeys = {"z_um",          "bump_pitch_um",          "bumps_per_lane",
                                "detour_factor", "lanes_per_mm_per_layer", "routing_layers"};

KeyList budget_names() {
  KeyList names;
  for (const auto& b : postproc::builtin_budgets()) names.push_back(b.name);
  return names;
}

KeyList builtin_medium_names() {
  KeyList names;
  for (const auto& m : postproc::builtin_media()) names.push_back(m.name);
  return names;
}

class ElectricalReader : public TomlReader {
 public:
  using TomlReader::TomlReader;

  ElectricalSpec read(const toml::node& node) const {
    const Section s{&table(node, kElectricalTopLevelKey), kElectricalTopLevelKey};
    reject_unknown_keys(s, {"media", "transitions", "lanes"});
    ElectricalSpec out;
    out.where = at(node);
    if (const auto* n = s.find("media"))
      for (const auto& [key, value] : table(*n, s.key("media")))
        out.media.push_back(read_medium(key, value));
    if (const auto* n = s.find("transitions"))
      for (const auto& [key, value] : table(*n, s.key("transitions")))
        out.transitions.push_back(read_transition(key, value));
    if (const auto* n = s.find("lanes"))
      for (const auto& g : table_array(*n, s.key("lanes")))
        out.lane_groups.push_back(read_group(g));
    return out;
  }

 private:
  /// A finite number ≥ minimum.
  double at_least(const toml::node& node, const std::string& path, const char* unit,
                  double minimum) const {
    const double value = number(node, path);
    if (!(value >= minimum))
      fail(node, "'" + path + "' must be >= " + format_number(minimum) + with_unit(unit) +
                     ", got " + format_number(value));
    return value;
  }

  std::string table_name(const toml::key& key, const char* what) const {
    const std::string name(key.str());
    if (!is_valid_name(name))
      throw CaseError(at(key.source().begin),
                      std::string(what) + " names must be " + name_rule() + ", got '" + name + "'");
    return name;
  }

  /// Of two nodes, the one written later (where a "cannot be combined" error points).
  static const toml::node& later(const toml::node& a, const toml::node& b) {
    return before(a.source().begin, b.source().begin) ? b : a;
  }

  /// Fails at the later of the two if section `s` gives both `key_a` (found as `a`) and `key_b`
  /// (found as `b`): "'<a>' and '<b>' cannot be combined: <why>".
  void reject_both(const Section& s, const toml::node* a, const char* key_a, const toml::node* b,
                   const char* key_b, const char* why) const {
    if (a != nullptr && b != nullptr)
      fail(later(*a, *b),
           "'" + s.key(key_a) + "' and '" + s.key(key_b) + "' cannot be combined: " + why);
  }

  MediumSpec read_medium(const toml::key& key, const toml::node& node) const {
    MediumSpec m;
    m.name = table_name(key, "medium");
    const std::string path = std::string(kElectricalTopLevelKey) + ".media." + m.name;
    const Section s{&table(node, path), path};
    reject_unknown_keys(s, concat(concat({"base", "model"}, kPhysicalKeys),
                                  concat(kComKeys, {"Df_T_coefficient_per_K"})));
    m.where = at(node);
    postproc::LossModel model = postproc::LossModel::physical;
    const toml::node* base = s.find("base");
    if (base != nullptr) {
      if (const auto* n = s.find("model"))
        fail(*n, "'" + s.key("model") +
                     "' cannot be combined with 'base': a based medium keeps its base's model");
      m.base = string(*base, s.key("base"));
      m.base_where = at(*base);
      const auto* builtin = postproc::find_builtin_medium(m.base);
      if (builtin == nullptr)
        fail(*base, "unknown medium '" + m.base + "' as base of medium '" + m.name +
                        "'; built-in media: " + join(builtin_medium_names()));
      model = builtin->model;
    } else {
      const std::string kind = choice(require(s, "model"), s.key("model"), {"physical", "com"});
      model = kind == "physical" ? postproc::LossModel::physical : postproc::LossModel::com;
      m.model = model;
    }
    const bool physical = model == postproc::LossModel::physical;
    const KeyList& own = physical ? kPhysicalKeys : kComKeys;
    for (const auto& k : physical ? kComKeys : kPhysicalKeys)
      if (const auto* n = s.find(k))
        fail(*n, "'" + s.key(k) + "' does not apply to a " + postproc::to_string(model) +
                     " medium" +
                     (base != nullptr ? " (the model of its base '" + m.base + "')" : "") +
                     "; its keys: " + join(own) + ", Df_T_coefficient_per_K");
    // Without a base, the keys that have no sensible default are required.
    auto get = [&](std::string_view k) -> const toml::node* {
      return base == nullptr ? &require(s, k) : s.find(k);
    };
    if (physical) {
      if (const auto* n = get("width_um"))
        m.width_m = positive(*n, s.key("width_um"), kUm) / kUmPerMetre;
      if (const auto* n = get("thickness_um"))
        m.thickness_m = positive(*n, s.key("thickness_um"), kUm) / kUmPerMetre;
      if (const auto* n = s.find("Z0_Ohm")) m.Z0_Ohm = positive(*n, s.key("Z0_Ohm"), kOhm);
      if (const auto* n = s.find("roughness_factor"))
        m.roughness_factor = at_least(*n, s.key("roughness_factor"), "", 1.0);
      if (const auto* n = get("Dk")) m.Dk = at_least(*n, s.key("Dk"), "", 1.0);
      if (const auto* n = get("Df")) m.Df = in_range(*n, s.key("Df"), "", 0.0, 1.0);
      if (const auto* n = s.find("return_plane_factor"))
        m.return_plane_factor = in_range(*n, s.key("return_plane_factor"), "", 0.0, 1.0);
      if (const auto* n = s.find("rho20_Ohm_m"))
        m.rho20_Ohm_m = positive(*n, s.key("rho20_Ohm_m"), kOhmM);
    } else {
      if (const auto* n = get("a1_Np_per_mm_sqrtGHz"))
        m.a1_Np_per_m_sqrtHz = postproc::com_a1_from_Np_per_mm_sqrtGHz(
            non_negative(*n, s.key("a1_Np_per_mm_sqrtGHz"), "Np/mm"));
      if (const auto* n = get("a2_Np_per_mm_GHz"))
        m.a2_Np_per_m_Hz = postproc::com_a2_from_Np_per_mm_GHz(
            non_negative(*n, s.key("a2_Np_per_mm_GHz"), "Np/mm"));
    }
    if (const auto* n = s.find("Df_T_coefficient_per_K"))
      m.Df_T_coefficient_per_K = in_range(*n, s.key("Df_T_coefficient_per_K"), kPerK, 0.0, 0.1);
    return m;
  }

  TransitionSpec read_transition(const toml::key& key, const toml::node& node) const {
    TransitionSpec t;
    t.name = table_name(key, "transition");
    const std::string path = std::string(kElectricalTopLevelKey) + ".transitions." + t.name;
    const Section s{&table(node, path), path};
    reject_unknown_keys(s, {"IL_28GHz_dB", "IL_53GHz_dB"});
    t.where = at(node);
    t.IL_28GHz_dB = positive(require(s, "IL_28GHz_dB"), s.key("IL_28GHz_dB"), kDb);
    t.IL_53GHz_dB = positive(require(s, "IL_53GHz_dB"), s.key("IL_53GHz_dB"), kDb);
    return t;
  }

  SerdesRegionSpec read_from(const toml::node& node, const std::string& path) const {
    const Section s{&table(node, path), path};
    reject_unknown_keys(s, {"block", "edge", "span_um", "region_um"});
    SerdesRegionSpec f;
    f.where = at(node);
    const toml::node& block = require(s, "block");
    f.block = string(block, s.key("block"));
    f.block_where = at(block);
    if (const auto* n = s.find("edge")) {
      f.edge = static_cast<postproc::Edge>(choice_index(*n, s.key("edge"), kEdgeNames));
      f.edge_where = at(*n);
    }
    const toml::node* span = s.find("span_um");
    const toml::node* region = s.find("region_um");
    reject_both(s, span, "span_um", region, "region_um",
                "the SerDes region is an edge segment or a rectangle");
    if (span != nullptr) {
      const auto v = lengths_m<2>(*span, s.key("span_um"), false);
      if (!(v[1] > v[0]))
        fail(*span, "'" + s.key("span_um") + "' must be [start, end] with start < end µm, got [" +
                        format_number(v[0] * kUmPerMetre) + ", " +
                        format_number(v[1] * kUmPerMetre) + "]");
      f.span_m = v;
      f.span_where = at(*span);
    }
    if (region != nullptr) {
      const auto v = lengths_m<4>(*region, s.key("region_um"), false);
      if (!(v[2] > v[0] && v[3] > v[1]))
        fail(*region, "'" + s.key("region_um") +
                          "' must be [x0, y0, x1, y1] with x0 < x1 and y0 < y1 µm, got [" +
                          format_number(v[0] * kUmPerMetre) + ", " +
                          format_number(v[1] * kUmPerMetre) + ", " +
                          format_number(v[2] * kUmPerMetre) + ", " +
                          format_number(v[3] * kUmPerMetre) + "]");
      f.region_m = v;
      f.region_where = at(*region);
    }
    if (region == nullptr && !f.edge)
      fail(*s.table, "missing required key 'edge' in " + s.label() +
                         ": the die edge the lanes leave through (" + join(kEdgeNames) + ")");
    return f;
  }

  PathStepSpec read_step(const Section& s, bool estimated) const {
    PathStepSpec p;
    p.where = at(*s.table);
    const toml::node* medium = s.find("medium");
    const toml::node* transition = s.find("transition");
    if (medium != nullptr && transition != nullptr)
      fail(later(*medium, *transition), s.label() + " is a 'medium' or a 'transition', not both");
    if (medium == nullptr && transition == nullptr)
      fail(*s.table, "missing 'medium' or 'transition' in " + s.label());
    if (medium != nullptr) {
      reject_unknown_keys(s, {"medium", "length_um", "z_um"});
      p.name = string(*medium, s.key("medium"));
      p.name_where = at(*medium);
      if (const auto* n = s.find("length_um")) {
        p.length_m = positive(*n, s.key("length_um"), kUm) / kUmPerMetre;
        p.length_where = at(*n);
      }
      if (const auto* n = s.find("z_um")) {
        if (!estimated)
          fail(*n, "'" + s.key("z_um") +
                       "' applies to estimated routes (with 'from'); route_um gives its own z");
        p.z_m = number(*n, s.key("z_um")) / kUmPerMetre;
        p.z_where = at(*n);
      }
    } else {
      reject_unknown_keys(s, {"transition", "count"});
      p.is_transition = true;
      p.name = string(*transition, s.key("transition"));
      p.name_where = at(*transition);
      if (const auto* n = s.find("count")) {
        p.count = integer_at_least(*n, s.key("count"), 1);
        if (p.count > kMaxTransitionsPerStep)
          fail(*n, "'" + s.key("count") + "' must be <= " + std::to_string(kMaxTransitionsPerStep) +
                       ", got " + describe(*n));
      }
    }
    return p;
  }

  LaneGroupSpec read_group(const Section& s) const {
    reject_unknown_keys(s, concat({"name", "count", "from", "to", "data_rate_Gbps", "modulation",
                                   "budget", "budget_dB", "path", "route_um", "extra_loss_dB"},
                                  kEstimatorKeys));
    LaneGroupSpec g;
    g.where = at(*s.table);
    g.name = required_name(s, g.name_where);
    const toml::node& count = require(s, "count");
    g.count = integer_at_least(count, s.key("count"), 1);
    if (g.count > kMaxLanesPerGroup)
      fail(count, "'" + s.key("count") + "' must be <= " + std::to_string(kMaxLanesPerGroup) +
                      ", got " + describe(count));
    const toml::node& to = require(s, "to");
    g.to = string(to, s.key("to"));
    g.to_where = at(to);
    const toml::node& rate = require(s, "data_rate_Gbps");
    g.data_rate_bps = positive(rate, s.key("data_rate_Gbps"), kGbps) * kBitsPerGigabit;
    g.data_rate_where = at(rate);
    if (const auto* n = s.find("modulation"))
      g.modulation = static_cast<postproc::Modulation>(
          choice_index(*n, s.key("modulation"), kModulationNames));

    const toml::node* budget = s.find("budget");
    const toml::node* budget_dB = s.find("budget_dB");
    reject_both(s, budget, "budget", budget_dB, "budget_dB", "give a standard or a loss budget");
    if (budget == nullptr && budget_dB == nullptr)
      fail(*s.table, "missing 'budget' or 'budget_dB' in " + s.label() + ": a standard (" +
                         join(budget_names()) + ") or a loss budget in dB");
    if (budget != nullptr) {
      g.budget = choice(*budget, s.key("budget"), budget_names());
      g.budget_where = at(*budget);
    } else {
      g.budget_dB = positive(*budget_dB, s.key("budget_dB"), kDb);
      g.budget_where = at(*budget_dB);
    }

    const toml::node* from = s.find("from");
    const toml::node* route = s.find("route_um");
    reject_both(s, from, "from", route, "route_um",
                "a route is estimated from the SerDes region or given explicitly");
    if (from == nullptr && route == nullptr)
      fail(*s.table, "missing 'from' or 'route_um' in " + s.label() +
                         ": the ASIC SerDes region to estimate routes from, or an explicit route");
    if (from != nullptr) {
      g.from = read_from(*from, s.key("from"));
    } else {
      for (const auto& k : kEstimatorKeys)
        if (const auto* n = s.find(k))
          fail(*n,
               "'" + s.key(k) + "' applies to estimated routes (with 'from'), not to 'route_um'");
      const auto& points = array(*route, s.key("route_um"));
      if (points.size() < 2)
        fail(*route, "'" + s.key("route_um") + "' needs at least 2 points [x, y, z] in µm, got " +
                         std::to_string(points.size()));
      for (std::size_t i = 0; i < points.size(); ++i) {
        g.route_m.push_back(
            lengths_m<3>(points[i], s.key("route_um") + "[" + std::to_string(i) + "]", false));
        g.route_point_where.push_back(at(points[i]));
      }
      g.route_where = at(*route);
    }
    if (const auto* n = s.find("z_um")) {
      g.z_m = number(*n, s.key("z_um")) / kUmPerMetre;
      g.z_where = at(*n);
    }
    if (const auto* n = s.find("bump_pitch_um"))
      g.bump_pitch_m = positive(*n, s.key("bump_pitch_um"), kUm) / kUmPerMetre;
    if (const auto* n = s.find("bumps_per_lane"))
      g.bumps_per_lane = integer_at_least(*n, s.key("bumps_per_lane"), 1);
    if (const auto* n = s.find("detour_factor"))
      g.detour_factor = at_least(*n, s.key("detour_factor"), "", 1.0);
    if (const auto* n = s.find("lanes_per_mm_per_layer"))
      g.lanes_per_m_per_layer =
          positive(*n, s.key("lanes_per_mm_per_layer"), "lanes/mm") * kPerMmPerPerM;
    if (const auto* n = s.find("routing_layers"))
      g.routing_layers = integer_at_least(*n, s.key("routing_layers"), 1);
    if (const auto* n = s.find("extra_loss_dB"))
      g.extra_loss_dB = non_negative(*n, s.key("extra_loss_dB"), kDb);

    const toml::node& path = require(s, "path");
    g.path_where = at(path);
    const auto steps = table_array(path, s.key("path"));
    const toml::node* first_variable = nullptr;
    for (std::size_t i = 0; i < steps.size(); ++i) {
      PathStepSpec step = read_step(steps[i], g.from.has_value());
      if (!step.is_transition && !step.length_m) {
        if (first_variable != nullptr)
          fail(*steps[i].table, "exactly one medium in '" + s.key("path") +
                                    "' may leave out 'length_um' (it takes the rest of the "
                                    "route), got a second one: " +
                                    steps[i].path);
        first_variable = steps[i].table;
      }
      if (g.from && !step.is_transition && !step.z_m && !g.z_m)
        fail(*steps[i].table, "missing 'z_um' in " + steps[i].label() +
                                  ": give the trace height here or as the group's 'z_um'");
      g.path.push_back(std::move(step));
    }
    if (first_variable == nullptr)
      fail(path, "exactly one medium in '" + s.key("path") +
                     "' must leave out 'length_um' (it takes the rest of the route), got none");
    return g;
  }
};

}  // namespace

ElectricalSpec read_electrical(const toml::table& root, const std::string& file,
                               const std::string& base_dir) {
  const toml::node* node = root.get(kElectricalTopLevelKey);
  if (node == nullptr) return {};
  return ElectricalReader(file, base_dir).read(*node);
}

}  // namespace cposim::cases
