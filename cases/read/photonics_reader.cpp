/// \file
/// The photonic sections of a case file: the reader's entry, the keys its devices share,
/// wavelength plans, waveguides, MZIs and [coupling] (rings: photonics_ring_reader.cpp;
/// lasers: photonics_laser_reader.cpp); the cross-checks. The echo is in photonics_echo.cpp.
#include "cases/read/photonics_reader.hpp"

#include <algorithm>
#include <map>

#include "cases/read/photonics_device_reader.hpp"
#include "cases/spec/case_geometry.hpp"
#include "cases/spec/photonics_devices.hpp"
#include "postproc/photonics/photonics.hpp"

namespace cposim::cases::photonics_read {
namespace {

/// Keys of the optics shared by waveguides and MZIs.
const KeyList kOpticsKeys = {"platform",       "dn_eff_dT_per_K", "group_index",
                             "loss_dB_per_cm", "wavelength_nm",   "T_ref_K"};

}  // namespace

PhotonicsSpec PhotonicsReader::read(const toml::table& root) const {
  PhotonicsSpec out;
  const Section top{&root, ""};
  out.coupling.where = out.coupling.crosstalk_where = {file_};
  if (const auto* n = top.find("wavelength_plans"))
    for (const auto& s : table_array(*n, "wavelength_plans")) out.plans.push_back(read_plan(s));
  if (const auto* n = top.find("rings"))
    for (const auto& s : table_array(*n, "rings")) out.rings.push_back(read_ring(s));
  if (const auto* n = top.find("waveguides"))
    for (const auto& s : table_array(*n, "waveguides")) out.waveguides.push_back(read_waveguide(s));
  if (const auto* n = top.find("mzis"))
    for (const auto& s : table_array(*n, "mzis")) out.mzis.push_back(read_mzi(s));
  if (const auto* n = top.find("lasers"))
    for (const auto& s : table_array(*n, "lasers")) out.lasers.push_back(read_laser(s));
  if (const auto* n = top.find("coupling")) out.coupling = read_coupling(*n);
  return out;
}

DeviceRef PhotonicsReader::device_ref(const toml::node& node, const std::string& path) const {
  return {string(node, path), at(node)};
}

double PhotonicsReader::nm(const toml::node& node, const std::string& path) const {
  return positive(node, path, kNm) / kNmPerMetre;
}

PathSpec PhotonicsReader::path(const toml::node& node, const std::string& key) const {
  PathSpec p;
  p.where = at(node);
  const auto& a = array(node, key);
  if (a.size() < 2)
    fail(node, "'" + key + "' needs at least 2 points [x, y, z] in µm, got " + describe(node));
  for (std::size_t i = 0; i < a.size(); ++i)
    p.points_m.push_back(lengths_m<3>(a[i], key + "[" + std::to_string(i) + "]", false));
  return p;
}

std::optional<ChannelRef> PhotonicsReader::channel_ref(const Section& s) const {
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

void PhotonicsReader::read_array(const Section& s, int& count, std::array<double, 3>& pitch_m,
                                 bool positioned) const {
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

void PhotonicsReader::read_optics(const Section& s, WaveguideOpticsSpec& o) const {
  if (const auto* n = s.find("platform")) o.platform = choice(*n, s.key("platform"), {"Si", "SiN"});
  if (const auto* n = s.find("dn_eff_dT_per_K"))
    o.dn_eff_dT_per_K = number(*n, s.key("dn_eff_dT_per_K"));
  if (const auto* n = s.find("group_index")) o.group_index = positive(*n, s.key("group_index"), "");
  if (const auto* n = s.find("loss_dB_per_cm"))
    o.loss_dB_per_m = non_negative(*n, s.key("loss_dB_per_cm"), "dB/cm") * 100.0;
  if (const auto* n = s.find("wavelength_nm")) o.wavelength_m = nm(*n, s.key("wavelength_nm"));
  if (const auto* n = s.find("T_ref_K")) o.T_ref_K = positive(*n, s.key("T_ref_K"), kKelvin);
}

WavelengthPlanSpec PhotonicsReader::read_plan(const Section& s) const {
  reject_unknown_keys(
      s, {"name", "grid", "channels_nm", "window_half_width_nm", "first_channel", "num_channels"});
  WavelengthPlanSpec p;
  p.where = at(*s.table);
  p.name = required_name(s, p.name_where);
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
                         " (grid " + p.grid + " has " + std::to_string(size) + " channels), got " +
                         std::to_string(p.first_channel));
    }
    if (const auto* n = s.find("num_channels")) {
      p.num_channels = integer_at_least(*n, s.key("num_channels"), 1);
      if (p.first_channel + *p.num_channels > size)
        fail(*n, "'" + s.key("num_channels") +
                     "' must be <= " + std::to_string(size - p.first_channel) + " (grid " + p.grid +
                     " has " + std::to_string(size) + " channels from first_channel " +
                     std::to_string(p.first_channel) + "), got " + std::to_string(*p.num_channels));
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

WaveguideSpec PhotonicsReader::read_waveguide(const Section& s) const {
  reject_unknown_keys(s, concat({"name", "path_um"}, kOpticsKeys));
  WaveguideSpec w;
  w.where = at(*s.table);
  w.name = required_name(s, w.name_where);
  w.path = path(require(s, "path_um"), s.key("path_um"));
  read_optics(s, w.optics);
  return w;
}

MziSpec PhotonicsReader::read_mzi(const Section& s) const {
  reject_unknown_keys(s, concat({"name", "arm_a_path_um", "arm_b_path_um"}, kOpticsKeys));
  MziSpec m;
  m.where = at(*s.table);
  m.name = required_name(s, m.name_where);
  m.arm_a = path(require(s, "arm_a_path_um"), s.key("arm_a_path_um"));
  m.arm_b = path(require(s, "arm_b_path_um"), s.key("arm_b_path_um"));
  read_optics(s, m.optics);
  return m;
}

CouplingSpec PhotonicsReader::read_coupling(const toml::node& node) const {
  const Section s{&table(node, "coupling"), "coupling"};
  reject_unknown_keys(s,
                      {"enabled", "tolerance", "max_iterations", "crosstalk", "crosstalk_step_mW"});
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

}  // namespace cposim::cases::photonics_read

namespace cposim::cases {
namespace {

using photonics_read::um;

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

/// Names: plans among themselves (and not shadowing a built-in grid); devices share one
/// namespace, and so do the elements of arrays ("<name>.<i>").
void check_names(const PhotonicsSpec& p) {
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
}

/// Lasers: their grid channels, and on-package ones inside their block.
void check_lasers(const CaseSpec& spec) {
  const PhotonicsSpec& p = spec.photonics;
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
}

/// Rings: their grid channels, the laser they track, and rings and heaters inside their block.
void check_rings(const CaseSpec& spec) {
  const PhotonicsSpec& p = spec.photonics;
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
}

/// Waveguide and MZI-arm points inside the package.
void check_paths(const CaseSpec& spec) {
  const PhotonicsSpec& p = spec.photonics;
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
}

/// The crosstalk matrix within its size bound.
void check_crosstalk_size(const PhotonicsSpec& p) {
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

}  // namespace

PhotonicsSpec read_photonics(const toml::table& root, const std::string& file,
                             const std::string& base_dir) {
  return photonics_read::PhotonicsReader(file, base_dir).read(root);
}

void check_photonics(const CaseSpec& spec) {
  check_names(spec.photonics);
  check_lasers(spec);
  check_rings(spec);
  check_paths(spec);
  check_crosstalk_size(spec.photonics);
}

}  // namespace cposim::cases
