/// \file
/// `[output] formats` and `[[output.maps]]`: reading (µm → m, once), cross-checks and echo.
#include "cases/read/output_maps_reader.hpp"

#include <algorithm>
#include <map>

#include "cases/spec/case_geometry.hpp"

namespace cposim::cases {
namespace {

constexpr std::array<const char*, 3> kPlaneKeys = {"x_um", "y_um", "z_um"};

std::string um(double metres) { return format_number(metres * kUmPerMetre); }

/// Names for a message: "a, b, c", "(none)" if empty, cut after 12 with ", …".
std::string listed(const std::vector<std::string>& names) {
  if (names.empty()) return "(none)";
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < 12; ++i) out += (i ? ", " : "") + names[i];
  return names.size() > 12 ? out + ", …" : out;
}

class OutputMapsReader : public TomlReader {
 public:
  using TomlReader::TomlReader;

  void read(const Section& s, OutputSpec& out) const {
    if (const auto* n = s.find(kOutputFormatsKey)) {
      const KeyList choices(kOutputFormatNames.begin(), kOutputFormatNames.end());
      const auto& list = array(*n, s.key(kOutputFormatsKey));
      std::vector<std::string> seen;
      for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string path = s.key(kOutputFormatsKey) + "[" + std::to_string(i) + "]";
        std::string format = choice(list[i], path, choices);
        if (std::find(seen.begin(), seen.end(), format) != seen.end())
          fail(list[i], "'" + path + "' repeats '" + format + "'");
        seen.push_back(format);
      }
      out.vtk = std::find(seen.begin(), seen.end(), "vtk") != seen.end();
    }
    if (const auto* n = s.find(kOutputMapsKey))
      for (const auto& m : table_array(*n, s.key(kOutputMapsKey))) out.maps.push_back(read_map(m));
  }

 private:
  MapSpec read_map(const Section& s) const {
    reject_unknown_keys(s, {"name", "x_um", "y_um", "z_um", "layer", "block", "T_range_K"});
    MapSpec m;
    m.where = at(*s.table);
    m.name = required_name(s, m.name_where);

    const toml::node* plane = nullptr;
    std::string plane_key;
    auto take = [&](const char* key) {
      const toml::node* n = s.find(key);
      if (n == nullptr) return false;
      if (plane != nullptr)
        fail(*n, s.label() + " sets both '" + plane_key + "' and '" + key +
                     "': give exactly one of x_um, y_um, z_um, layer, block");
      plane = n;
      plane_key = key;
      return true;
    };
    for (int a = 0; a < 3; ++a)
      if (take(kPlaneKeys[static_cast<std::size_t>(a)])) {
        m.normal_axis = a;
        m.position_m = number(*plane, s.key(plane_key)) / kUmPerMetre;
      }
    if (take("layer")) m.layer = string(*plane, s.key("layer"));
    if (take("block")) m.block = string(*plane, s.key("block"));
    if (plane == nullptr)
      throw CaseError(m.where, s.label() + " needs one of x_um, y_um, z_um (a plane position in " +
                                   kUm + "), layer or block (a z plane through its mid-height)");
    m.plane_where = at(*plane);

    if (const auto* n = s.find("T_range_K")) {
      const auto range = numbers<2>(*n, s.key("T_range_K"), kKelvin, true);
      if (!(range[0] < range[1]))
        fail(*n, "'" + s.key("T_range_K") + "' must be [min, max] in " + kKelvin +
                     " with min < max, got [" + format_number(range[0]) + ", " +
                     format_number(range[1]) + "]");
      m.T_range_K = range;
    }
    return m;
  }
};

}  // namespace

void read_output_formats_and_maps(const Section& s, const std::string& file,
                                  const std::string& base_dir, OutputSpec& out) {
  OutputMapsReader(file, base_dir).read(s, out);
}

namespace {

/// Throws unless `name` (the plane of map `m`) is the name of one of `known` (layers or blocks,
/// called `what`).
template <class Named>
void require_known(const MapSpec& m, const std::string& name, const std::vector<Named>& known,
                   const char* what) {
  std::vector<std::string> names;
  for (const auto& k : known) names.push_back(k.name);
  if (std::find(names.begin(), names.end(), name) == names.end())
    throw CaseError(m.plane_where, "map '" + m.name + "': unknown " + what + " '" + name + "'; " +
                                       what + "s: " + listed(names));
}

}  // namespace

void check_output_maps(const CaseSpec& spec) {
  std::map<std::string, int> names;
  const mesh::Box package = package_box(spec);
  for (const auto& m : spec.output.maps) {
    const auto [it, inserted] = names.emplace(m.name, m.name_where.line);
    if (!inserted)
      throw CaseError(m.name_where, "duplicate map name '" + m.name + "': already used at line " +
                                        std::to_string(it->second));
    if (m.layer) require_known(m, *m.layer, spec.layers, "layer");
    if (m.block) require_known(m, *m.block, spec.blocks, "block");
    if (m.position_m) {
      const int a = m.normal_axis;
      const double lo = package.lo_m[static_cast<std::size_t>(a)];
      const double hi = package.hi_m[static_cast<std::size_t>(a)];
      if (*m.position_m < lo - kGeometryTolerance_m || *m.position_m > hi + kGeometryTolerance_m)
        throw CaseError(m.plane_where,
                        "map '" + m.name + "': '" + kPlaneKeys[static_cast<std::size_t>(a)] +
                            "' = " + um(*m.position_m) + " µm is outside the package (" + um(lo) +
                            " to " + um(hi) + " µm)");
    }
  }
}

std::string parse_format_option(const std::string& list, bool& vtk) {
  vtk = false;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = std::min(list.find(',', start), list.size());
    const std::string item = list.substr(start, end - start);
    if (item == "vtk")
      vtk = true;
    else if (item != "hdf5")
      return "--format takes a comma-separated list of hdf5, vtk (hdf5 is always written); got '" +
             item + "' in '" + list + "'";
    if (end == list.size()) return "";
    start = end + 1;
  }
}

void echo_output_formats(std::ostream& os, const OutputSpec& output) {
  os << "formats = [" << quoted("hdf5") << (output.vtk ? ", " + quoted("vtk") : "") << "]\n";
}

void echo_output_maps(std::ostream& os, const OutputSpec& output) {
  for (const auto& m : output.maps) {
    os << "\n[[output.maps]]\nname = " << quoted(m.name) << "\n";
    if (m.position_m)
      os << kPlaneKeys[static_cast<std::size_t>(m.normal_axis)] << " = " << um(*m.position_m)
         << "\n";
    if (m.layer) os << "layer = " << quoted(*m.layer) << "\n";
    if (m.block) os << "block = " << quoted(*m.block) << "\n";
    if (m.T_range_K)
      os << "T_range_K = [" << format_number((*m.T_range_K)[0]) << ", "
         << format_number((*m.T_range_K)[1]) << "]\n";
  }
}

}  // namespace cposim::cases
