/// \file
/// Resolves `[[output.maps]]` against the case geometry and writes the PNGs.
#include "cases/run/temperature_maps.hpp"

#include <cmath>
#include <filesystem>

#include "cases/spec/case_geometry.hpp"

namespace cposim::cases {

namespace {

/// Centre of the hottest finite cell (the first in cell order on a tie), or the grid centre.
std::array<double, 3> hottest_cell_centre(const mesh::CellField& T) {
  const auto& g = *T.grid;
  std::size_t best = g.num_cells();
  for (std::size_t c = 0; c < g.num_cells(); ++c)
    if (std::isfinite(T.values[c]) && (best == g.num_cells() || T.values[c] > T.values[best]))
      best = c;
  std::array<double, 3> at{};
  const auto ijk = best < g.num_cells() ? g.ijk(best) : g.ijk(0);
  for (int a = 0; a < 3; ++a) at[a] = g.centre(a, ijk[static_cast<std::size_t>(a)]);
  return at;
}

std::vector<postproc::MapOutline> outlines(const CaseSpec& spec, int normal_axis) {
  std::vector<postproc::MapOutline> out;
  if (normal_axis != 2) {  // side views: the layer stack too
    const auto boxes = layer_boxes(spec);
    for (std::size_t i = 0; i < spec.layers.size(); ++i)
      out.push_back({spec.layers[i].name, boxes[i].lo_m, boxes[i].hi_m});
  }
  for (const auto& b : spec.blocks) {
    const mesh::Box box = block_box(b);
    out.push_back({b.name, box.lo_m, box.hi_m});
  }
  return out;
}

}  // namespace

std::vector<std::pair<std::string, postproc::TemperatureMapRequest>> map_requests(
    const CaseSpec& spec, const mesh::CellField& temperature) {
  std::vector<std::pair<std::string, postproc::TemperatureMapRequest>> out;
  auto base = [&](const std::string& name, int normal) {
    postproc::TemperatureMapRequest r;
    r.title = "map '" + name + "'";
    r.subtitle = spec.title;
    r.normal_axis = normal;
    r.outlines = outlines(spec, normal);
    return r;
  };
  if (spec.output.maps.empty()) {
    auto r = base(kDefaultMapName, 2);
    r.position_m = hottest_cell_centre(temperature)[2];
    r.plane_note = "through the hottest cell";
    out.emplace_back(kDefaultMapName, std::move(r));
    return out;
  }
  const auto layers = layer_boxes(spec);
  for (const auto& m : spec.output.maps) {
    auto r = base(m.name, m.normal_axis);
    r.T_range_K = m.T_range_K;
    if (m.position_m) r.position_m = *m.position_m;
    for (std::size_t i = 0; i < spec.layers.size(); ++i)
      if (m.layer && spec.layers[i].name == *m.layer) {
        r.position_m = 0.5 * (layers[i].lo_m[2] + layers[i].hi_m[2]);
        r.plane_note = "mid-height of layer '" + *m.layer + "'";
      }
    for (const auto& b : spec.blocks)
      if (m.block && b.name == *m.block) {
        const mesh::Box box = block_box(b);
        r.position_m = 0.5 * (box.lo_m[2] + box.hi_m[2]);
        r.plane_note = "mid-height of block '" + *m.block + "'";
      }
    out.emplace_back(m.name, std::move(r));
  }
  return out;
}

std::vector<std::string> write_temperature_maps(const CaseSpec& spec,
                                                const mesh::CellField& temperature,
                                                const std::string& out_dir) {
  std::vector<std::string> paths;
  for (const auto& [name, request] : map_requests(spec, temperature)) {
    const std::string path = (std::filesystem::path(out_dir) / ("map_" + name + ".png")).string();
    postproc::write_temperature_map(path, temperature, request);
    paths.push_back(path);
  }
  return paths;
}

}  // namespace cposim::cases
