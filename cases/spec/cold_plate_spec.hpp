#pragma once
/// \file
/// Plain structs for cold plates (`[[cold_plates]]`) and spatial film-coefficient maps
/// (`[boundary.<face>] h_map = "file.csv"`); cases/README.md, "Cold plates and h maps", is the
/// reference. SI units: the reader converts µm and L/min exactly once.

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "cases/spec/case_error.hpp"

namespace cposim::cases {

/// The two in-plane axes of an outer face as case files write them: (x, y) on bottom/top,
/// (y, z) on x_min/x_max, (x, z) on y_min/y_max. `face` is the solver::DomainFace index.
inline constexpr std::array<int, 2> case_face_axes(int face) {
  return face / 2 == 2 ? std::array<int, 2>{0, 1}
                       : (face / 2 == 0 ? std::array<int, 2>{1, 2} : std::array<int, 2>{0, 2});
}

/// `h_map = "file.csv"` on a convection face: tiles of h [W/(m² K)] over the whole face.
struct HMapSpec {
  std::string path;           ///< as written in the case file
  std::string resolved_path;  ///< relative to the case file's folder
  /// tiles[row][column], same CSV format as power maps: columns along the face's first case
  /// axis (case_face_axes), rows along the second, row 0 the lowest. Every value ≥ 0, at
  /// least one > 0.
  std::vector<std::vector<double>> tiles;
  SourceLocation where;
};

/// `[[boundary.<face>.patches]]`: a rectangle of an outer face through which a uniform heat
/// flux enters the package, given as a total (power_W) or a density (q_W_per_m2).
struct FluxPatchSpec {
  std::array<double, 2> origin_m{};  ///< lowest corner, in the face's case axes
  std::array<double, 2> size_m{};    ///< each > 0
  std::optional<double> power_W;     ///< total into the package over the patch; or
  std::optional<double> q_W_per_m2;  ///< flux density into the package
  SourceLocation where;
  /// The flux density [W/m²] the patch imposes.
  double flux_W_per_m2() const {
    return q_W_per_m2 ? *q_W_per_m2 : *power_W / (size_m[0] * size_m[1]);
  }
};

/// `channels = { count, width_um, height_um }`: parallel rectangular channels along the flow.
struct ChannelsSpec {
  int count = 1;          ///< ≥ 1
  double width_m = 0.0;   ///< > 0; count × width fits across the plate
  double height_m = 0.0;  ///< > 0
  SourceLocation where;
};

/// `[[cold_plates]]`: a liquid cold plate on a rectangle of one outer face.
struct ColdPlateSpec {
  std::string name;
  int face = 5;                       ///< solver::DomainFace index
  std::array<double, 2> origin_m{};   ///< lowest corner, in the face's case axes
  std::array<double, 2> size_m{};     ///< each > 0
  std::string coolant;                ///< a materials::find_fluid name
  double inlet_T_K = 0.0;             ///< > 0
  double flow_m3_per_s = 0.0;         ///< > 0 (flow_L_per_min / 60000)
  double flow_L_per_min = 0.0;        ///< as written (for the echo)
  std::string flow_direction;         ///< "+x", "-x", "+y", "-y", "+z", "-z" as written
  int flow_axis = 0;                  ///< global axis (0 = x), in-plane of `face`
  int flow_sign = 1;                  ///< +1 or −1
  std::optional<double> h_W_per_m2K;  ///< referred to the plate footprint; or channels
  std::optional<ChannelsSpec> channels;
  SourceLocation where;
  SourceLocation name_where;
  SourceLocation face_where;
  SourceLocation origin_where;
  SourceLocation coolant_where;
  SourceLocation direction_where;
};

}  // namespace cposim::cases
