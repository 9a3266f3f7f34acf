#pragma once
/// \file
/// The PNG temperature maps of a run (`[[output.maps]]`, cases/README.md): each map's plane
/// resolved from the case (a position, or the mid-height of a layer or block), the blocks cut
/// by the plane drawn as labelled outlines, rendered by postproc/plots/temperature_map.hpp.

#include <string>
#include <vector>

#include "cases/spec/case_spec.hpp"
#include "mesh/cell_field.hpp"
#include "postproc/plots/temperature_map.hpp"

namespace cposim::cases {

/// Name of the map written when a case lists none: the z plane through the hottest cell.
inline constexpr const char* kDefaultMapName = "hottest";

/// The render requests of a case's maps, in file order, or the one default map (named
/// kDefaultMapName, through the centre of the hottest cell of `temperature`) if it lists
/// none. `spec` must have passed check_case.
std::vector<std::pair<std::string, postproc::TemperatureMapRequest>> map_requests(
    const CaseSpec& spec, const mesh::CellField& temperature);

/// Writes `<out_dir>/map_<name>.png` for every map_requests entry (each through temp +
/// rename) and returns the paths in the same order. Throws std::runtime_error naming the file
/// if one cannot be written.
std::vector<std::string> write_temperature_maps(const CaseSpec& spec,
                                                const mesh::CellField& temperature,
                                                const std::string& out_dir);

}  // namespace cposim::cases
