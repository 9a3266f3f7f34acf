/// \file
/// Device boxes and resolved defaults of the [photonics] section.
#include "cases/spec/photonics_devices.hpp"

#include <cstddef>

namespace cposim::cases {
namespace {

mesh::Box centred_box(const std::array<double, 3>& centre, const std::array<double, 3>& size) {
  mesh::Box b;
  for (int a = 0; a < 3; ++a) {
    b.lo_m[a] = centre[a] - 0.5 * size[a];
    b.hi_m[a] = centre[a] + 0.5 * size[a];
  }
  return b;
}

}  // namespace

std::array<double, 3> element_centre(const std::array<double, 3>& centre,
                                     const std::array<double, 3>& pitch, int index) {
  return {centre[0] + index * pitch[0], centre[1] + index * pitch[1], centre[2] + index * pitch[2]};
}

std::string element_name(const std::string& name, int index, int count) {
  return count > 1 ? name + "." + std::to_string(index) : name;
}

mesh::Box ring_box(const RingSpec& ring, int index) {
  return centred_box(element_centre(ring.center_m, ring.pitch_m, index), ring.footprint_m);
}

mesh::Box heater_box(const RingSpec& ring, int index) {
  auto c = element_centre(ring.center_m, ring.pitch_m, index);
  for (int a = 0; a < 3; ++a) c[a] += ring.heater_offset_m[a];
  return centred_box(c, ring.heater_size_m.value_or(ring.footprint_m));
}

mesh::Box laser_box(const LaserSpec& laser, int index) {
  return centred_box(element_centre(laser.center_m, laser.pitch_m, index), laser.size_m);
}

double ring_loaded_Q(const RingSpec& ring) {
  return ring.loaded_Q.value_or(ring.role == "filter" ? 20000.0 : 5000.0);
}

double laser_drift_m_per_K(const LaserSpec& laser) {
  return laser.drift_m_per_K.value_or(postproc::default_drift_m_per_K(
      laser.type == "FP" ? postproc::LaserKind::fabry_perot : postproc::LaserKind::dfb));
}

std::optional<postproc::WavelengthGrid> find_grid(const PhotonicsSpec& photonics,
                                                  const std::string& name) {
  for (const auto& plan : photonics.plans) {
    if (plan.name != name) continue;
    postproc::WavelengthGrid g;
    g.name = plan.name;
    if (!plan.grid.empty()) {
      const auto base = postproc::builtin_grid(plan.grid);
      if (!base) return std::nullopt;
      g.source = base->source;
      const auto first = static_cast<std::size_t>(plan.first_channel);
      const std::size_t n = plan.num_channels ? static_cast<std::size_t>(*plan.num_channels)
                                              : base->channels.size() - first;
      g.channels.assign(base->channels.begin() + static_cast<std::ptrdiff_t>(first),
                        base->channels.begin() + static_cast<std::ptrdiff_t>(first + n));
    } else {
      g.source = "case file";
      for (double c : plan.channels_m) g.channels.push_back({c, c, c});
    }
    if (plan.window_half_width_m)
      for (auto& c : g.channels) {
        c.window_lo_m = c.centre_m - *plan.window_half_width_m;
        c.window_hi_m = c.centre_m + *plan.window_half_width_m;
      }
    return g;
  }
  return postproc::builtin_grid(name);
}

}  // namespace cposim::cases
