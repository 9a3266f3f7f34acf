#pragma once
/// \file
/// Geometry of a CaseSpec that every layer above the spec reads the same way: the package box,
/// the layer and block boxes, and when two boxes touch.

#include <vector>

#include "cases/spec/case_spec.hpp"
#include "mesh/box.hpp"

namespace cposim::cases {

/// Two coordinates closer than this (metres) are the same plane; the grid builder merges
/// planes at the same distance.
inline constexpr double kGeometryTolerance_m = 1e-10;

/// Height of the package in metres: the top of the layer stack or of the highest block.
double package_height_m(const CaseSpec& spec);

/// The package box [0, footprint] × [0, height], metres.
mesh::Box package_box(const CaseSpec& spec);

/// The box of each layer, bottom-up from z = 0, metres.
std::vector<mesh::Box> layer_boxes(const CaseSpec& spec);

/// The box of cavity `c`'s channels: its extent (or the footprint) through its layer, metres.
mesh::Box cavity_box(const CaseSpec& spec, const CavitySpec& c);

/// The box of a block, metres.
mesh::Box block_box(const BlockSpec& block);

/// True if two boxes touch: they share part of a face (a common plane with footprints that
/// overlap by a non-zero area), or they overlap in volume (after painting, the later one is
/// surrounded by what is left of the earlier one). Coordinates within kGeometryTolerance_m
/// count as equal.
bool boxes_touch(const mesh::Box& a, const mesh::Box& b);

}  // namespace cposim::cases
