#pragma once
/// \file
/// Cross-reference and geometry checks of a CaseSpec, and the geometry and materials they
/// derive from it (shared with build_problem so both read the case the same way).

#include <array>
#include <map>
#include <string>
#include <vector>

#include "cases/spec/case_geometry.hpp"
#include "cases/spec/case_spec.hpp"
#include "materials/material.hpp"
#include "mesh/box.hpp"
#include "mesh/grid_builder.hpp"

namespace cposim::cases {

/// The solver's limit on grid cells (32-bit sparse indices, 7 entries per row).
inline constexpr double kMaxGridCells = 3e8;

/// How to make a grid coarser, in case-file keys (appended to size errors).
inline constexpr const char* kHowToCoarsen =
    "coarsen it with larger [grid] max_cell_xy_um / max_cell_z_um, larger [[grid.refine]] "
    "max_cell_um, or a smaller [grid] min_cells_per_layer";

/// What a case's grid will at least need, known before anything is allocated.
struct GridEstimate {
  std::array<double, 3> cells_per_axis{};  ///< lower bounds (mesh::estimate_cells_per_axis)
  double cells = 0.0;                      ///< their product
  double bytes =
      0.0;  ///< estimate_run_bytes (cases/resolve/memory_estimate.hpp) of the case's solver
};

/// The grid builder's request for a case: the package box, every layer and block face as a
/// plane, the [grid] caps and the refinement zones.
mesh::GridRequest grid_request(const CaseSpec& spec);

/// Estimates the grid of a case without building it. Throws CaseError at [grid] if the request
/// cannot be built at all.
GridEstimate estimate_grid(const CaseSpec& spec);

/// "N cells (nx x ny x nz)", as size errors print an estimate.
std::string to_string(const GridEstimate& estimate);

/// Checks everything a single key cannot show on its own: names that refer to undefined
/// materials or regions, duplicate names, material definitions that refer to themselves,
/// boxes (blocks, refinement zones) and probes outside the package, interface pairs that do
/// not touch, a package without height or without a heat sink, a grid that would exceed the
/// solver's kMaxGridCells, and a linear solver that this build lacks. Throws CaseError at the
/// referencing node's location.
void check_case(const CaseSpec& spec);

/// Every material a case can name, resolved to a materials::Material: the built-ins, with the
/// case's user materials added (a user material with a built-in's name replaces it). Effective
/// media are computed here. Keyed and therefore sorted by name. Throws CaseError for an
/// unknown name inside a material definition or a definition that depends on itself.
std::map<std::string, materials::Material> resolve_materials(const CaseSpec& spec);

}  // namespace cposim::cases
