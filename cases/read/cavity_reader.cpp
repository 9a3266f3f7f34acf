/// \file
/// `[[cavities]]`: reading (µm, L/min → SI, once), the layer cross-check and the echo.
#include "cases/read/cavity_reader.hpp"

#include <ostream>
#include <set>

#include "cases/read/toml_helpers.hpp"
#include "materials/fluids.hpp"

namespace cposim::cases {
namespace {

constexpr double kLitrePerMinute_m3_per_s = 1e-3 / 60.0;
constexpr const char* kLPerMin = "L/min";
constexpr const char* kMPerS = "m/s";
constexpr const char* kJPerM3K = "J/(m³ K)";

const KeyList kModels = {"2rm", "4rm", "pinfin"};
const KeyList kDirections = {"+x", "-x", "+y", "-y"};
const KeyList kArrangements = {"inline", "staggered"};
const KeyList kCommonKeys = {"layer",     "model",          "coolant",   "coolant_rho_cp_J_per_m3K",
                             "inlet_T_K", "flow_direction", "origin_um", "size_um"};
const KeyList kChannelKeys = {"flow_L_per_min", "channel_width_um", "wall_width_um",
                              "h_top_W_per_m2K", "h_bottom_W_per_m2K"};
const KeyList kPinKeys = {"flow_L_per_min", "darcy_velocity_m_per_s", "pin_diameter_um",
                          "pin_pitch_um", "pin_arrangement"};

std::string um(double metres) { return format_number(metres * kUmPerMetre); }

class CavityReader : public TomlReader {
 public:
  using TomlReader::TomlReader;

  std::vector<CavitySpec> read(const toml::table& root, const std::vector<LayerSpec>& layers,
                               const std::array<double, 2>& footprint_m) const {
    std::vector<CavitySpec> out;
    const Section top{&root, ""};
    const toml::node* n = top.find(kCavitiesTopLevelKey);
    if (n == nullptr) return out;
    std::set<std::string> used;
    for (const auto& s : table_array(*n, kCavitiesTopLevelKey)) {
      CavitySpec c = read_cavity(s);
      read_extent(s, footprint_m, c);
      const toml::node& layer = require(s, "layer");
      bool known = false;
      std::vector<std::string> names;
      for (const auto& l : layers) {
        known = known || l.name == c.layer;
        names.push_back(l.name);
      }
      if (!known)
        fail(layer, "'" + s.key("layer") + "' = '" + c.layer + "' is not a [[layers]] name; " +
                        "layers: " + name_list(names));
      if (!used.insert(c.layer).second)
        fail(layer, "layer '" + c.layer + "' already holds a cavity");
      out.push_back(std::move(c));
    }
    return out;
  }

 private:
  /// `origin_um`, `size_um`: both or neither; the rectangle inside the footprint.
  void read_extent(const Section& s, const std::array<double, 2>& footprint_m,
                   CavitySpec& c) const {
    const toml::node* origin = s.find("origin_um");
    const toml::node* size = s.find("size_um");
    if (origin == nullptr && size == nullptr) return;
    if (origin == nullptr || size == nullptr)
      fail(origin ? *origin : *size, "cavity in layer '" + c.layer + "': give both '" +
                                         s.key("origin_um") + "' and '" + s.key("size_um") +
                                         "' (µm, [x, y]) or neither (the whole footprint)");
    c.has_extent = true;
    c.extent_where = at(*origin);
    c.origin_m = lengths_m<2>(*origin, s.key("origin_um"), false);
    c.size_m = lengths_m<2>(*size, s.key("size_um"), true);
    for (std::size_t a = 0; a < 2; ++a) {
      const std::string axis(1, static_cast<char>('x' + a));
      if (c.origin_m[a] < 0.0)
        fail(*origin, "'" + s.key("origin_um") + "' " + axis + " = " + um(c.origin_m[a]) +
                          " µm is outside the package footprint (0 … " + um(footprint_m[a]) +
                          " µm)");
      const double end = c.origin_m[a] + c.size_m[a];
      if (end > footprint_m[a] * (1.0 + 1e-12))
        fail(*size, "'" + s.key("size_um") + "': the cavity reaches " + axis + " = " + um(end) +
                        " µm (origin_um + size_um), beyond the package " + "footprint (0 … " +
                        um(footprint_m[a]) + " µm)");
    }
  }

  CavitySpec read_cavity(const Section& s) const {
    const toml::node& model = require(s, "model");
    CavitySpec c;
    c.model_name = choice(model, s.key("model"), kModels);
    c.model = c.model_name == "2rm"   ? CavityModel::two_resistor
              : c.model_name == "4rm" ? CavityModel::four_resistor
                                      : CavityModel::pin_fin;
    KeyList known = kCommonKeys;
    if (c.model == CavityModel::pin_fin) {
      known = concat(known, kPinKeys);
    } else {
      known = concat(known, kChannelKeys);
      if (c.model == CavityModel::four_resistor) known.push_back("h_side_W_per_m2K");
    }
    reject_unknown_keys(s, known);
    c.where = at(*s.table);
    const toml::node& layer = require(s, "layer");
    c.layer_where = at(layer);
    c.layer = string(layer, s.key("layer"));
    KeyList fluids;
    for (const auto& f : materials::builtin_fluids()) fluids.push_back(f.name);
    c.coolant = choice(require(s, "coolant"), s.key("coolant"), fluids);
    if (const auto* n = s.find("coolant_rho_cp_J_per_m3K"))
      c.rho_cp_J_per_m3K = in_range(*n, s.key("coolant_rho_cp_J_per_m3K"), kJPerM3K, 1e5, 1e8);
    c.inlet_T_K = in_range(require(s, "inlet_T_K"), s.key("inlet_T_K"), kKelvin, 1.0, 2000.0);
    const toml::node& direction = require(s, "flow_direction");
    c.flow_direction = choice(direction, s.key("flow_direction"), kDirections);
    c.flow_sign = c.flow_direction[0] == '+' ? 1 : -1;
    c.flow_axis = c.flow_direction[1] - 'x';
    if (c.model == CavityModel::pin_fin)
      read_pins(s, c);
    else
      read_channels(s, c);
    return c;
  }

  void read_flow(const Section& s, CavitySpec& c) const {
    const toml::node& flow = require(s, "flow_L_per_min");
    c.flow_where = at(flow);
    c.flow_L_per_min = positive(flow, s.key("flow_L_per_min"), kLPerMin);
    c.flow_m3_per_s = *c.flow_L_per_min * kLitrePerMinute_m3_per_s;
  }

  void read_channels(const Section& s, CavitySpec& c) const {
    read_flow(s, c);
    c.channel_width_m =
        positive(require(s, "channel_width_um"), s.key("channel_width_um"), kUm) / kUmPerMetre;
    c.wall_width_m =
        positive(require(s, "wall_width_um"), s.key("wall_width_um"), kUm) / kUmPerMetre;
    const toml::node* top = s.find("h_top_W_per_m2K");
    const toml::node* bottom = s.find("h_bottom_W_per_m2K");
    const toml::node* side = s.find("h_side_W_per_m2K");
    const bool four = c.model == CavityModel::four_resistor;
    const bool any = top || bottom || side;
    if (any && !(top && bottom && (side || !four)))
      fail(*s.table, "cavity in layer '" + c.layer + "': give all of h_top_W_per_m2K, " +
                         "h_bottom_W_per_m2K" + (four ? ", h_side_W_per_m2K" : "") + " (" +
                         kWPerM2K + ") or none (then the channel correlation sets them)");
    if (top) c.h_top_W_per_m2K = positive(*top, s.key("h_top_W_per_m2K"), kWPerM2K);
    if (bottom) c.h_bottom_W_per_m2K = positive(*bottom, s.key("h_bottom_W_per_m2K"), kWPerM2K);
    if (side) c.h_side_W_per_m2K = positive(*side, s.key("h_side_W_per_m2K"), kWPerM2K);
  }

  void read_pins(const Section& s, CavitySpec& c) const {
    const toml::node* flow = s.find("flow_L_per_min");
    const toml::node* darcy = s.find("darcy_velocity_m_per_s");
    if ((flow == nullptr) == (darcy == nullptr))
      fail(flow ? *flow : *s.table, "pin-fin cavity in layer '" + c.layer +
                                        "': give either 'flow_L_per_min' (" + kLPerMin +
                                        ") or 'darcy_velocity_m_per_s' (" + kMPerS + "), one");
    if (flow) read_flow(s, c);
    if (darcy) {
      c.flow_where = at(*darcy);
      c.darcy_velocity_m_per_s =
          in_range(*darcy, s.key("darcy_velocity_m_per_s"), kMPerS, 0.0, 100.0);
      if (!(*c.darcy_velocity_m_per_s > 0.0))
        fail(*darcy, "'" + s.key("darcy_velocity_m_per_s") + "' must be > 0 m/s");
    }
    const toml::node& d = require(s, "pin_diameter_um");
    c.pin_diameter_m = positive(d, s.key("pin_diameter_um"), kUm) / kUmPerMetre;
    c.pin_pitch_m = positive(require(s, "pin_pitch_um"), s.key("pin_pitch_um"), kUm) / kUmPerMetre;
    if (!(c.pin_diameter_m < c.pin_pitch_m))
      fail(d, "'" + s.key("pin_diameter_um") + "' = " + um(c.pin_diameter_m) +
                  " µm must be below pin_pitch_um = " + um(c.pin_pitch_m) + " µm");
    c.staggered = choice(require(s, "pin_arrangement"), s.key("pin_arrangement"), kArrangements) ==
                  "staggered";
  }
};

}  // namespace

std::vector<CavitySpec> read_cavities(const toml::table& root, const std::string& file,
                                      const std::vector<LayerSpec>& layers,
                                      const std::array<double, 2>& footprint_m) {
  return CavityReader(file, "").read(root, layers, footprint_m);
}

void echo_cavities(std::ostream& os, const CaseSpec& spec) {
  for (const auto& c : spec.cavities) {
    os << "\n[[cavities]]\nlayer = " << quoted(c.layer) << "\nmodel = " << quoted(c.model_name)
       << "\ncoolant = " << quoted(c.coolant) << "\n";
    if (c.rho_cp_J_per_m3K)
      os << "coolant_rho_cp_J_per_m3K = " << format_number(*c.rho_cp_J_per_m3K) << "\n";
    os << "inlet_T_K = " << format_number(c.inlet_T_K)
       << "\nflow_direction = " << quoted(c.flow_direction) << "\n";
    if (c.has_extent)
      os << "origin_um = [" << um(c.origin_m[0]) << ", " << um(c.origin_m[1]) << "]\nsize_um = ["
         << um(c.size_m[0]) << ", " << um(c.size_m[1]) << "]\n";
    if (c.flow_L_per_min) os << "flow_L_per_min = " << format_number(*c.flow_L_per_min) << "\n";
    if (c.darcy_velocity_m_per_s)
      os << "darcy_velocity_m_per_s = " << format_number(*c.darcy_velocity_m_per_s) << "\n";
    if (c.model == CavityModel::pin_fin) {
      os << "pin_diameter_um = " << um(c.pin_diameter_m) << "\npin_pitch_um = " << um(c.pin_pitch_m)
         << "\npin_arrangement = " << quoted(c.staggered ? "staggered" : "inline") << "\n";
      continue;
    }
    os << "channel_width_um = " << um(c.channel_width_m)
       << "\nwall_width_um = " << um(c.wall_width_m) << "\n";
    if (c.h_top_W_per_m2K) os << "h_top_W_per_m2K = " << format_number(*c.h_top_W_per_m2K) << "\n";
    if (c.h_bottom_W_per_m2K)
      os << "h_bottom_W_per_m2K = " << format_number(*c.h_bottom_W_per_m2K) << "\n";
    if (c.h_side_W_per_m2K)
      os << "h_side_W_per_m2K = " << format_number(*c.h_side_W_per_m2K) << "\n";
  }
}

}  // namespace cposim::cases
