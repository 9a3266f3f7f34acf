/// \file
/// `[[cold_plates]]` and h maps: reading (µm, L/min → SI, once), cross-checks and the echo.
#include "cases/read/cold_plate_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ostream>
#include <set>
#include <utility>

#include "cases/read/power_map_csv.hpp"
#include "cases/read/toml_helpers.hpp"
#include "cases/spec/case_geometry.hpp"
#include "materials/fluids.hpp"

namespace cposim::cases {
namespace {

constexpr double kLitrePerMinute_m3_per_s = 1e-3 / 60.0;
constexpr const char* kLPerMin = "L/min";
constexpr std::array<const char*, 3> kAxisNames = {"x", "y", "z"};

const KeyList kDirections = {"+x", "-x", "+y", "-y", "+z", "-z"};

std::string um(double metres) { return format_number(metres * kUmPerMetre); }

class ColdPlateReader : public TomlReader {
 public:
  using TomlReader::TomlReader;

  std::vector<ColdPlateSpec> read(const toml::table& root) const {
    std::vector<ColdPlateSpec> out;
    const Section top{&root, ""};
    if (const auto* n = top.find(kColdPlatesTopLevelKey))
      for (const auto& s : table_array(*n, kColdPlatesTopLevelKey)) out.push_back(read_plate(s));
    return out;
  }

  HMapSpec read_h_map(const toml::node& node, const std::string& path) const {
    DataFileText data = read_data_file(node, path, "h map");
    HMapSpec map;
    map.path = std::move(data.path);
    map.where = at(node);
    map.resolved_path = std::move(data.resolved_path);
    map.tiles = parse_power_map_csv(data.text, map.resolved_path, "h map");
    if (map.tiles.empty()) fail(node, "h map '" + map.path + "' has no values");
    bool any = false;
    for (const auto& row : map.tiles)
      for (double h : row) any = any || h > 0.0;
    if (!any)
      fail(node, "h map '" + map.path + "' has no value > 0 " + kWPerM2K +
                     ": the face would remove no heat");
    return map;
  }

 private:
  ColdPlateSpec read_plate(const Section& s) const {
    reject_unknown_keys(s, {"name", "face", "origin_um", "size_um", "coolant", "inlet_T_K",
                            "flow_L_per_min", "flow_direction", "h_W_per_m2K", "channels"});
    ColdPlateSpec p;
    p.where = at(*s.table);
    p.name = required_name(s, p.name_where);
    const toml::node& face_node = require(s, "face");
    p.face_where = at(face_node);
    const std::string face = choice(face_node, s.key("face"),
                                    KeyList(kBoundaryFaceNames.begin(), kBoundaryFaceNames.end()));
    for (int f = 0; f < 6; ++f)
      if (face == kBoundaryFaceNames[static_cast<std::size_t>(f)]) p.face = f;
    const toml::node& origin = require(s, "origin_um");
    p.origin_where = at(origin);
    p.origin_m = lengths_m<2>(origin, s.key("origin_um"), false);
    p.size_m = lengths_m<2>(require(s, "size_um"), s.key("size_um"), true);
    const toml::node& coolant = require(s, "coolant");
    p.coolant_where = at(coolant);
    KeyList fluids;
    for (const auto& f : materials::builtin_fluids()) fluids.push_back(f.name);
    p.coolant = choice(coolant, s.key("coolant"), fluids);
    p.inlet_T_K = positive(require(s, "inlet_T_K"), s.key("inlet_T_K"), kKelvin);
    const toml::node& flow = require(s, "flow_L_per_min");
    p.flow_L_per_min = positive(flow, s.key("flow_L_per_min"), kLPerMin);
    p.flow_m3_per_s = p.flow_L_per_min * kLitrePerMinute_m3_per_s;
    const toml::node& direction = require(s, "flow_direction");
    p.direction_where = at(direction);
    p.flow_direction = choice(direction, s.key("flow_direction"), kDirections);
    p.flow_sign = p.flow_direction[0] == '+' ? 1 : -1;
    p.flow_axis = p.flow_direction[1] - 'x';
    const auto axes = case_face_axes(p.face);
    if (p.flow_axis != axes[0] && p.flow_axis != axes[1]) {
      const std::string a = kAxisNames[static_cast<std::size_t>(axes[0])];
      const std::string b = kAxisNames[static_cast<std::size_t>(axes[1])];
      fail(direction, "'" + s.key("flow_direction") + "' = '" + p.flow_direction +
                          "' is normal to face '" + face + "': the flow runs along the face; " +
                          "choose one of +" + a + ", -" + a + ", +" + b + ", -" + b);
    }
    const toml::node* h = s.find("h_W_per_m2K");
    const toml::node* channels = s.find("channels");
    if (h != nullptr && channels != nullptr)
      fail(*channels,
           "'" + s.key("channels") + "': give either 'h_W_per_m2K' or 'channels', " + "not both");
    if (h == nullptr && channels == nullptr)
      fail(*s.table, "cold plate '" + p.name + "' needs 'h_W_per_m2K' (" + kWPerM2K +
                         ", referred to the plate footprint) or 'channels' = { count, width_um, "
                         "height_um }");
    if (h != nullptr) p.h_W_per_m2K = positive(*h, s.key("h_W_per_m2K"), kWPerM2K);
    if (channels != nullptr) {
      const Section c{&table(*channels, s.key("channels")), s.key("channels")};
      reject_unknown_keys(c, {"count", "width_um", "height_um"});
      ChannelsSpec spec;
      spec.where = at(*channels);
      spec.count = integer_at_least(require(c, "count"), c.key("count"), 1);
      spec.width_m = positive(require(c, "width_um"), c.key("width_um"), kUm) / kUmPerMetre;
      spec.height_m = positive(require(c, "height_um"), c.key("height_um"), kUm) / kUmPerMetre;
      p.channels = spec;
      const double velocity_m_per_s =
          p.flow_m3_per_s / (static_cast<double>(spec.count) * spec.width_m * spec.height_m);
      std::string velocity = fmt::format("{:.3g}", velocity_m_per_s);
      if (!(velocity_m_per_s <= kMaxCoolantVelocity_m_per_s))
        fail(flow, "'" + s.key("flow_L_per_min") + "' = " + format_number(p.flow_L_per_min) +
                       " L/min is a mean velocity of " + velocity + " m/s in the channels, above " +
                       format_number(kMaxCoolantVelocity_m_per_s) +
                       " m/s, where the channel flow models (incompressible, fully developed) "
                       "no longer hold; check the units (L/min, channel sizes in µm)");
    }
    return p;
  }
};

/// Extent of face `f` of the package along case axis `axis`, metres.
double face_extent(const CaseSpec& spec, int axis) {
  return axis == 2 ? package_height_m(spec)
                   : spec.package.footprint_m[static_cast<std::size_t>(axis)];
}

}  // namespace

std::vector<ColdPlateSpec> read_cold_plates(const toml::table& root, const std::string& file,
                                            const std::string& base_dir) {
  return ColdPlateReader(file, base_dir).read(root);
}

HMapSpec read_h_map(const toml::node& node, const std::string& path, const std::string& file,
                    const std::string& base_dir) {
  return ColdPlateReader(file, base_dir).read_h_map(node, path);
}

mesh::Box cold_plate_box(const CaseSpec& spec, const ColdPlateSpec& plate) {
  mesh::Box box = package_box(spec);
  const auto axes = case_face_axes(plate.face);
  for (std::size_t i = 0; i < 2; ++i) {
    const auto a = static_cast<std::size_t>(axes[i]);
    box.lo_m[a] = plate.origin_m[i];
    box.hi_m[a] = plate.origin_m[i] + plate.size_m[i];
  }
  return box;
}

void check_cold_plates(const CaseSpec& spec) {
  std::set<std::string> names;
  for (std::size_t i = 0; i < spec.cold_plates.size(); ++i) {
    const auto& p = spec.cold_plates[i];
    const std::string who = "cold plate '" + p.name + "'";
    const std::string face = kBoundaryFaceNames[static_cast<std::size_t>(p.face)];
    if (!names.insert(p.name).second)
      throw CaseError(p.name_where, "duplicate cold plate name '" + p.name + "'");
    const auto axes = case_face_axes(p.face);
    for (std::size_t k = 0; k < 2; ++k) {
      const double extent = face_extent(spec, axes[k]);
      const double lo = p.origin_m[k], hi = p.origin_m[k] + p.size_m[k];
      const std::string axis = kAxisNames[static_cast<std::size_t>(axes[k])];
      if (lo < -kGeometryTolerance_m || hi > extent + kGeometryTolerance_m)
        throw CaseError(p.origin_where, who + " lies outside face '" + face + "': " + axis +
                                            " from " + um(lo) + " to " + um(hi) + " µm, face " +
                                            axis + " from 0 to " + um(extent) + " µm");
    }
    const auto& base = spec.boundaries[static_cast<std::size_t>(p.face)];
    if (base.kind == solver::BoundaryKind::fixed_temperature ||
        base.kind == solver::BoundaryKind::heat_flux)
      throw CaseError(
          p.face_where,
          who + " is on face '" + face + "', whose [boundary." + face + "] is " +
              (base.kind == solver::BoundaryKind::heat_flux ? "heat_flux" : "fixed_temperature") +
              "; a cold plate needs that face adiabatic or convection");
    if (p.channels) {
      const std::size_t across = p.flow_axis == axes[0] ? 1 : 0;
      const double needed = p.channels->count * p.channels->width_m;
      if (needed > p.size_m[across] + kGeometryTolerance_m)
        throw CaseError(p.channels->where, who + ": the channels do not fit: count × width_um = " +
                                               std::to_string(p.channels->count) + " × " +
                                               um(p.channels->width_m) + " = " + um(needed) +
                                               " µm across a plate " + um(p.size_m[across]) +
                                               " µm wide");
    }
    for (std::size_t j = 0; j < i; ++j) {
      const auto& q = spec.cold_plates[j];
      if (q.face != p.face) continue;
      bool overlap = true;
      for (std::size_t k = 0; k < 2; ++k)
        overlap = overlap && std::min(p.origin_m[k] + p.size_m[k], q.origin_m[k] + q.size_m[k]) -
                                     std::max(p.origin_m[k], q.origin_m[k]) >
                                 kGeometryTolerance_m;
      if (overlap)
        throw CaseError(p.origin_where,
                        who + " overlaps cold plate '" + q.name + "' on face '" + face + "'");
    }
  }
}

void echo_cold_plates(std::ostream& os, const CaseSpec& spec) {
  for (const auto& p : spec.cold_plates) {
    os << "\n[[cold_plates]]\nname = " << quoted(p.name)
       << "\nface = " << quoted(kBoundaryFaceNames[static_cast<std::size_t>(p.face)])
       << "\norigin_um = [" << um(p.origin_m[0]) << ", " << um(p.origin_m[1]) << "]"
       << "\nsize_um = [" << um(p.size_m[0]) << ", " << um(p.size_m[1]) << "]"
       << "\ncoolant = " << quoted(p.coolant) << "\ninlet_T_K = " << format_number(p.inlet_T_K)
       << "\nflow_L_per_min = " << format_number(p.flow_L_per_min)
       << "\nflow_direction = " << quoted(p.flow_direction) << "\n";
    if (p.h_W_per_m2K) os << "h_W_per_m2K = " << format_number(*p.h_W_per_m2K) << "\n";
    if (p.channels)
      os << "channels = { count = " << p.channels->count
         << ", width_um = " << um(p.channels->width_m)
         << ", height_um = " << um(p.channels->height_m) << " }\n";
  }
}

}  // namespace cposim::cases
