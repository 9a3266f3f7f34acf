/// \file
/// Package, layer and block boxes of a CaseSpec.
#include "cases/spec/case_geometry.hpp"

#include <algorithm>

namespace cposim::cases {

double package_height_m(const CaseSpec& spec) {
  double top = 0.0;
  for (const auto& l : spec.layers) top += l.thickness_m;
  for (const auto& b : spec.blocks) top = std::max(top, b.origin_m[2] + b.size_m[2]);
  return top;
}

mesh::Box cavity_box(const CaseSpec& spec, const CavitySpec& c) {
  const auto layers = layer_boxes(spec);
  mesh::Box box;
  for (std::size_t l = 0; l < spec.layers.size(); ++l)
    if (spec.layers[l].name == c.layer) box = layers[l];
  if (c.has_extent)
    for (std::size_t a = 0; a < 2; ++a) {
      box.lo_m[a] = c.origin_m[a];
      box.hi_m[a] = c.origin_m[a] + c.size_m[a];
    }
  return box;
}

mesh::Box package_box(const CaseSpec& spec) {
  mesh::Box box;
  box.hi_m = {spec.package.footprint_m[0], spec.package.footprint_m[1], package_height_m(spec)};
  return box;
}

std::vector<mesh::Box> layer_boxes(const CaseSpec& spec) {
  std::vector<mesh::Box> boxes;
  double z = 0.0;
  for (const auto& l : spec.layers) {
    mesh::Box box;
    box.lo_m = {0.0, 0.0, z};
    z += l.thickness_m;
    box.hi_m = {spec.package.footprint_m[0], spec.package.footprint_m[1], z};
    boxes.push_back(box);
  }
  return boxes;
}

mesh::Box block_box(const BlockSpec& block) {
  mesh::Box box;
  box.lo_m = block.origin_m;
  for (int a = 0; a < 3; ++a) box.hi_m[a] = block.origin_m[a] + block.size_m[a];
  return box;
}

bool boxes_touch(const mesh::Box& a, const mesh::Box& b) {
  int touching_axes = 0;  // axes on which the boxes only meet at a plane
  for (int i = 0; i < 3; ++i) {
    const double overlap = std::min(a.hi_m[i], b.hi_m[i]) - std::max(a.lo_m[i], b.lo_m[i]);
    if (overlap < -kGeometryTolerance_m) return false;  // apart
    if (overlap <= kGeometryTolerance_m) ++touching_axes;
  }
  return touching_axes <= 1;
}

}  // namespace cposim::cases
