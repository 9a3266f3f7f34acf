#pragma once
/// \file
/// Cross-reference and geometry checks of a CaseSpec, and the geometry and materials they
/// derive from it (shared with build_problem so both read the case the same way).

#include <map>
#include <string>
#include <vector>

#include "cases/case_spec.hpp"
#include "materials/material.hpp"
#include "mesh/box.hpp"

namespace cposim::cases {

/// Two coordinates closer than this (metres) are the same plane; the grid builder merges
/// planes at the same distance.
inline constexpr double kGeometryTolerance_m = 1e-10;

/// Checks everything a single key cannot show on its own: names that refer to undefined
/// materials or regions, duplicate names, material definitions that refer to themselves,
/// boxes (blocks, refinement zones) and probes outside the package, interface pairs that do
/// not touch, a package without height or without a heat sink, and a linear solver that this
/// build lacks. Throws CaseError at the referencing node's location.
void check_case(const CaseSpec& spec);

/// Every material a case can name, resolved to a materials::Material: the built-ins, with the
/// case's user materials added (a user material with a built-in's name replaces it). Effective
/// media are computed here. Keyed and therefore sorted by name. Throws CaseError for an
/// unknown name inside a material definition or a definition that depends on itself.
std::map<std::string, materials::Material> resolve_materials(const CaseSpec& spec);

/// Height of the package in metres: the top of the layer stack or of the highest block.
double package_height_m(const CaseSpec& spec);

/// The package box [0, footprint] × [0, height], metres.
mesh::Box package_box(const CaseSpec& spec);

/// The box of each layer, bottom-up from z = 0, metres.
std::vector<mesh::Box> layer_boxes(const CaseSpec& spec);

/// The box of a block, metres.
mesh::Box block_box(const BlockSpec& block);

/// True if two boxes touch: they share part of a face (a common plane with footprints that
/// overlap by a non-zero area), or they overlap in volume (after painting, the later one is
/// surrounded by what is left of the earlier one). Coordinates within kGeometryTolerance_m
/// count as equal.
bool boxes_touch(const mesh::Box& a, const mesh::Box& b);

}  // namespace cposim::cases
