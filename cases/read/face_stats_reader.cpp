/// \file
/// `[[output.face_stats]]`: reading, checks, echo.
#include "cases/read/face_stats_reader.hpp"

#include <set>

namespace cposim::cases {
namespace {

constexpr double kHuge_m = 1e300;

std::string um(double metres) { return format_number(metres * kUmPerMetre); }

class FaceStatsReader : public TomlReader {
 public:
  using TomlReader::TomlReader;

  FaceStatsSpec read(const Section& s) const {
    reject_unknown_keys(s, {"name", "face", "between", "origin_um", "size_um"});
    FaceStatsSpec f;
    f.where = at(*s.table);
    f.name = required_name(s, f.name_where);
    const auto* face = s.find("face");
    const auto* between = s.find("between");
    if ((face == nullptr) == (between == nullptr))
      fail(*s.table, "face_stats '" + f.name +
                         "' needs exactly one of 'face' (an outer face) and 'between' (two "
                         "region names)");
    if (face != nullptr) {
      const std::string name = choice(
          *face, s.key("face"), KeyList(kBoundaryFaceNames.begin(), kBoundaryFaceNames.end()));
      for (int k = 0; k < 6; ++k)
        if (name == kBoundaryFaceNames[static_cast<std::size_t>(k)]) f.face = k;
    } else {
      const auto* names = between->as_array();
      if (names == nullptr || names->size() != 2)
        fail(*between, "'" + s.key("between") + "' must be an array of 2 region names, got " +
                           describe(*between));
      for (std::size_t k = 0; k < 2; ++k)
        f.between[k] = name_ref((*names)[k], s.key("between") + "[" + std::to_string(k) + "]");
    }
    const auto* origin = s.find("origin_um");
    const auto* size = s.find("size_um");
    if ((origin == nullptr) != (size == nullptr))
      fail(*s.table, "face_stats '" + f.name + "': give both 'origin_um' and 'size_um' or neither");
    f.lo_m = {-kHuge_m, -kHuge_m, -kHuge_m};
    f.hi_m = {kHuge_m, kHuge_m, kHuge_m};
    if (origin == nullptr) return f;
    f.has_box = true;
    if (f.face >= 0) {  // a rectangle in the face's case axes
      const auto o = lengths_m<2>(*origin, s.key("origin_um"), false);
      const auto z = lengths_m<2>(*size, s.key("size_um"), true);
      const auto axes = case_face_axes(f.face);
      for (std::size_t k = 0; k < 2; ++k) {
        f.lo_m[static_cast<std::size_t>(axes[k])] = o[k];
        f.hi_m[static_cast<std::size_t>(axes[k])] = o[k] + z[k];
      }
    } else {  // a box
      const auto o = lengths_m<3>(*origin, s.key("origin_um"), false);
      const auto z = lengths_m<3>(*size, s.key("size_um"), true);
      for (std::size_t k = 0; k < 3; ++k) {
        f.lo_m[k] = o[k];
        f.hi_m[k] = o[k] + z[k];
      }
    }
    return f;
  }
};

}  // namespace

void read_face_stats(const Section& s, const std::string& file, const std::string& base_dir,
                     OutputSpec& out) {
  const FaceStatsReader reader(file, base_dir);
  if (const auto* n = s.find(kFaceStatsKey))
    for (const auto& t : reader.table_array(*n, s.key(kFaceStatsKey)))
      out.face_stats.push_back(reader.read(t));
}

void check_face_stats(const CaseSpec& spec) {
  std::set<std::string> names, regions;
  for (const auto& l : spec.layers) regions.insert(l.name);
  for (const auto& b : spec.blocks) regions.insert(b.name);
  for (const auto& f : spec.output.face_stats) {
    if (!names.insert(f.name).second)
      throw CaseError(f.name_where, "duplicate face_stats name '" + f.name + "'");
    if (f.face >= 0) continue;
    for (const auto& r : f.between)
      if (regions.count(r.name) == 0)
        throw CaseError(r.where,
                        "face_stats '" + f.name + "': no layer or block named '" + r.name + "'");
    if (f.between[0].name == f.between[1].name)
      throw CaseError(f.between[1].where, "face_stats '" + f.name + "': 'between' names '" +
                                              f.between[0].name + "' twice");
  }
}

void echo_face_stats(std::ostream& os, const OutputSpec& output) {
  for (const auto& f : output.face_stats) {
    os << "\n[[output.face_stats]]\nname = " << quoted(f.name) << "\n";
    if (f.face >= 0)
      os << "face = " << quoted(kBoundaryFaceNames[static_cast<std::size_t>(f.face)]) << "\n";
    else
      os << "between = [" << quoted(f.between[0].name) << ", " << quoted(f.between[1].name)
         << "]\n";
    if (!f.has_box) continue;
    if (f.face >= 0) {
      const auto axes = case_face_axes(f.face);
      const auto a0 = static_cast<std::size_t>(axes[0]), a1 = static_cast<std::size_t>(axes[1]);
      os << "origin_um = [" << um(f.lo_m[a0]) << ", " << um(f.lo_m[a1]) << "]\nsize_um = ["
         << um(f.hi_m[a0] - f.lo_m[a0]) << ", " << um(f.hi_m[a1] - f.lo_m[a1]) << "]\n";
    } else {
      os << "origin_um = [" << um(f.lo_m[0]) << ", " << um(f.lo_m[1]) << ", " << um(f.lo_m[2])
         << "]\nsize_um = [" << um(f.hi_m[0] - f.lo_m[0]) << ", " << um(f.hi_m[1] - f.lo_m[1])
         << ", " << um(f.hi_m[2] - f.lo_m[2]) << "]\n";
    }
  }
}

}  // namespace cposim::cases
