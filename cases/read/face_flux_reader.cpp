/// \file
/// Imposed flux on outer faces: q_map tiles and patches, read, checked, echoed.
#include "cases/read/face_flux_reader.hpp"

#include <algorithm>
#include <cmath>

#include "cases/read/power_map_csv.hpp"
#include "cases/read/toml_helpers.hpp"
#include "cases/spec/case_geometry.hpp"
#include "solver/boundary.hpp"

namespace cposim::cases {
namespace {

constexpr const char* kWPerM2 = "W/m²";
constexpr std::array<const char*, 3> kAxisNames = {"x", "y", "z"};

std::string um(double metres) { return format_number(metres * kUmPerMetre); }

class FluxReader : public TomlReader {
 public:
  using TomlReader::TomlReader;

  void read(const Section& s, BoundarySpec& b) const {
    if (const auto* node = s.find(kFluxMapKey)) {
      const std::string key = s.key(kFluxMapKey);
      DataFileText data = read_data_file(*node, key, "flux map");
      HMapSpec map;
      map.path = std::move(data.path);
      map.where = at(*node);
      map.resolved_path = std::move(data.resolved_path);
      map.tiles = parse_power_map_csv(data.text, map.resolved_path, "flux map");
      bool any = false;
      for (const auto& row : map.tiles)
        for (double q : row) any = any || q > 0.0;
      if (!any)
        fail(*node, "flux map '" + map.path + "' has no value > 0 " + kWPerM2 +
                        ": it would bring no heat in");
      b.q_map = std::move(map);
    }
    if (const auto* node = s.find(kFluxPatchesKey))
      for (const auto& p : table_array(*node, s.key(kFluxPatchesKey)))
        b.patches.push_back(patch(p));
  }

 private:
  FluxPatchSpec patch(const Section& s) const {
    reject_unknown_keys(s, {"origin_um", "size_um", "power_W", "q_W_per_m2"});
    FluxPatchSpec p;
    p.where = at(*s.table);
    p.origin_m = lengths_m<2>(require(s, "origin_um"), s.key("origin_um"), false);
    p.size_m = lengths_m<2>(require(s, "size_um"), s.key("size_um"), true);
    const auto* power = s.find("power_W");
    const auto* q = s.find("q_W_per_m2");
    if ((power == nullptr) == (q == nullptr))
      fail(*s.table, "patch " + s.label() + " needs exactly one of 'power_W' (" + kWatt +
                         ", the total over the patch) and 'q_W_per_m2' (" + kWPerM2 + ")");
    if (power != nullptr) p.power_W = positive(*power, s.key("power_W"), kWatt);
    if (q != nullptr) p.q_W_per_m2 = positive(*q, s.key("q_W_per_m2"), kWPerM2);
    return p;
  }
};

/// Extent of the package along global axis `axis`, metres.
double extent_m(const CaseSpec& spec, int axis) {
  return axis == 2 ? package_height_m(spec)
                   : spec.package.footprint_m[static_cast<std::size_t>(axis)];
}

}  // namespace

void read_face_fluxes(const toml::table& face_table, const std::string& path,
                      const std::string& file, const std::string& base_dir, BoundarySpec& b) {
  FluxReader(file, base_dir).read(Section{&face_table, path}, b);
}

void check_face_fluxes(const CaseSpec& spec) {
  for (int f = 0; f < 6; ++f) {
    const auto& b = spec.boundaries[static_cast<std::size_t>(f)];
    const std::string face = kBoundaryFaceNames[static_cast<std::size_t>(f)];
    if ((b.q_map || !b.patches.empty()) && b.kind == solver::BoundaryKind::fixed_temperature)
      throw CaseError(b.q_map ? b.q_map->where : b.patches.front().where,
                      "[boundary." + face +
                          "] is fixed_temperature: a flux map or patch needs a face of type "
                          "adiabatic, convection or heat_flux (the surface temperature of a "
                          "fixed face leaves no room for an imposed flux)");
    const auto axes = case_face_axes(f);
    for (const auto& p : b.patches)
      for (std::size_t k = 0; k < 2; ++k) {
        const double extent = extent_m(spec, axes[k]);
        const double lo = p.origin_m[k], hi = p.origin_m[k] + p.size_m[k];
        const std::string axis = kAxisNames[static_cast<std::size_t>(axes[k])];
        if (lo < -kGeometryTolerance_m || hi > extent + kGeometryTolerance_m)
          throw CaseError(p.where, "a patch of [boundary." + face + "] lies outside the face: " +
                                       axis + " from " + um(lo) + " to " + um(hi) + " µm, face " +
                                       axis + " from 0 to " + um(extent) + " µm");
      }
  }
}

std::vector<mesh::Box> flux_patch_boxes(const CaseSpec& spec) {
  std::vector<mesh::Box> boxes;
  for (int f = 0; f < 6; ++f)
    for (const auto& p : spec.boundaries[static_cast<std::size_t>(f)].patches) {
      mesh::Box box = package_box(spec);
      const auto axes = case_face_axes(f);
      for (std::size_t i = 0; i < 2; ++i) {
        const auto a = static_cast<std::size_t>(axes[i]);
        box.lo_m[a] = p.origin_m[i];
        box.hi_m[a] = p.origin_m[i] + p.size_m[i];
      }
      boxes.push_back(box);
    }
  return boxes;
}

double imposed_face_power_W(const BoundarySpec& b, double face_width_m, double face_height_m) {
  double total = 0.0;
  if (b.q_map) {
    double sum = 0.0;
    for (const auto& row : b.q_map->tiles)
      for (double q : row) sum += q;
    const double tiles = static_cast<double>(b.q_map->tiles.size() * b.q_map->tiles.front().size());
    total += sum / tiles * face_width_m * face_height_m;
  }
  for (const auto& p : b.patches) total += p.flux_W_per_m2() * p.size_m[0] * p.size_m[1];
  return total;
}

void echo_face_fluxes(std::ostream& os, const BoundarySpec& b, int f) {
  if (b.q_map)
    os << "q_map = " << quoted(b.q_map->path) << "  # " << b.q_map->resolved_path << ": "
       << b.q_map->tiles.size() << " x " << b.q_map->tiles.front().size() << " tiles\n";
  for (const auto& p : b.patches) {
    os << "\n[[boundary." << kBoundaryFaceNames[static_cast<std::size_t>(f)] << ".patches]]\n"
       << "origin_um = [" << um(p.origin_m[0]) << ", " << um(p.origin_m[1]) << "]\n"
       << "size_um = [" << um(p.size_m[0]) << ", " << um(p.size_m[1]) << "]\n";
    if (p.power_W) os << "power_W = " << format_number(*p.power_W) << "\n";
    if (p.q_W_per_m2) os << "q_W_per_m2 = " << format_number(*p.q_W_per_m2) << "\n";
  }
}

}  // namespace cposim::cases
