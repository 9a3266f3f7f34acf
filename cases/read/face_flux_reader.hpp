#pragma once
/// \file
/// Internal to cases/: imposed heat flux on part of an outer face — `q_map = "file.csv"` and
/// `[[boundary.<face>.patches]]` (cases/README.md, "Flux maps and patches"). Reading, the
/// cross-checks against the package, the grid planes at patch edges and the echo; the
/// per-face-cell flux the solver adds is in cases/run/face_maps.hpp. Every user error is a
/// CaseError at the offending node.

#include <toml++/toml.h>

#include <ostream>
#include <string>
#include <vector>

#include "cases/spec/case_spec.hpp"
#include "mesh/box.hpp"

namespace cposim::cases {

/// The keys of a [boundary.<face>] table this module reads.
inline constexpr const char* kFluxMapKey = "q_map";
inline constexpr const char* kFluxPatchesKey = "patches";

/// Reads `q_map` and `patches` of the [boundary.<face>] table `face_table` (key path `path`)
/// into `b`: the CSV (power-map format, W/m², ≥ 0, at least one > 0) and each patch's
/// origin_um, size_um and exactly one of power_W (> 0) or q_W_per_m2 (> 0). Throws CaseError.
void read_face_fluxes(const toml::table& face_table, const std::string& path,
                      const std::string& file, const std::string& base_dir, BoundarySpec& b);

/// Each patch inside its face; no q_map or patch on a fixed_temperature face. Throws
/// CaseError at the patch or the key.
void check_face_fluxes(const CaseSpec& spec);

/// Every patch as a box through the package (its rectangle on the face, the package's extent
/// along the normal), so the grid builder puts planes at its edges.
std::vector<mesh::Box> flux_patch_boxes(const CaseSpec& spec);

/// The heat the patches and the q_map of `b` bring into a face of the package [W].
double imposed_face_power_W(const BoundarySpec& b, double face_width_m, double face_height_m);

/// Writes `q_map = ...` (inside the [boundary.<face>] table) and then the
/// `[[boundary.<face>.patches]]` tables of face `f` back as TOML.
void echo_face_fluxes(std::ostream& os, const BoundarySpec& b, int f);

}  // namespace cposim::cases
