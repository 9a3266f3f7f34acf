#pragma once
/// \file
/// `[output] formats` and `[[output.maps]]` of a case file (cases/README.md, "[output]").

#include <array>
#include <optional>
#include <string>

#include "cases/spec/case_error.hpp"

namespace cposim::cases {

/// The result formats `[output] formats` can list. HDF5 + XDMF are always written; "vtk" adds
/// the VTK XML set (postproc/io/vtk_writer.hpp).
inline constexpr std::array<const char*, 2> kOutputFormatNames = {"hdf5", "vtk"};

/// `[[output.maps]]`: a PNG temperature map of one plane of the grid. Exactly one of
/// `position_m` (keys x_um / y_um / z_um), `layer` or `block` is set; a layer or block gives
/// the z plane through its mid-height.
struct MapSpec {
  std::string name;     ///< a name, unique among maps; the file is map_<name>.png
  int normal_axis = 2;  ///< 0 for x_um, 1 for y_um, 2 for z_um, layer and block
  std::optional<double> position_m;
  std::optional<std::string> layer;
  std::optional<std::string> block;
  std::optional<std::array<double, 2>> T_range_K;  ///< fixed colour range, K
  SourceLocation where;                            ///< the map's table
  SourceLocation name_where;
  SourceLocation plane_where;  ///< the x_um / y_um / z_um / layer / block value
};

}  // namespace cposim::cases
