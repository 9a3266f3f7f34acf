#pragma once
/// \file
/// Plain struct for inter-tier coolant cavities (`[[cavities]]`); cases/README.md, "Coolant
/// cavities between tiers", is the reference. SI units: the reader converts µm and L/min once.

#include <array>
#include <optional>
#include <string>

#include "cases/spec/case_error.hpp"

namespace cposim::cases {

/// The cavity models (3D-ICE's names).
enum class CavityModel {
  two_resistor,   ///< "2rm": microchannels; fluid ↔ top and bottom walls, h on the footprint
  four_resistor,  ///< "4rm": microchannels; fluid ↔ top, bottom (channel area) and side walls
  pin_fin,        ///< "pinfin": 2RM with the pin-fin h fit and porosity
};

/// `[[cavities]]`: a layer of the stack through which a coolant flows.
struct CavitySpec {
  std::string layer;  ///< a [[layers]] name; its material is the wall (or pin) material
  CavityModel model = CavityModel::two_resistor;
  std::string model_name;  ///< "2rm", "4rm" or "pinfin" as written
  std::string coolant;     ///< a materials::find_fluid name
  /// ρ cp of the coolant [J/(m³ K)] if given (overrides the coolant's; 3D-ICE gives it).
  std::optional<double> rho_cp_J_per_m3K;
  double inlet_T_K = 0.0;
  std::string flow_direction;  ///< "+x", "-x", "+y" or "-y"
  int flow_axis = 0;           ///< 0 = x, 1 = y
  int flow_sign = 1;
  /// Total volume flow [m³/s] (flow_L_per_min / 60000); or, for pin fins, darcy_velocity.
  std::optional<double> flow_m3_per_s;
  std::optional<double> flow_L_per_min;          ///< as written
  std::optional<double> darcy_velocity_m_per_s;  ///< pin fins: superficial velocity
  double channel_width_m = 0.0;                  ///< microchannels
  double wall_width_m = 0.0;                     ///< microchannels
  double pin_diameter_m = 0.0;                   ///< pin fins
  double pin_pitch_m = 0.0;                      ///< pin fins
  bool staggered = false;                        ///< pin fins: "staggered" (else "inline")
  /// Film coefficients [W/(m² K)]. 2rm: referred to the cavity footprint; 4rm: on the wetted
  /// channel walls. Missing for microchannels: the laminar/turbulent channel correlation.
  std::optional<double> h_top_W_per_m2K;
  std::optional<double> h_bottom_W_per_m2K;
  std::optional<double> h_side_W_per_m2K;  ///< 4rm only
  /// The cavity's lateral extent [m] (`origin_um`, `size_um`, case axes x, y): the channels
  /// (sinks, lanes, the 4rm split) lie in this rectangle only; the rest of the layer is solid
  /// wall material (the layer's). Without it (has_extent false) the whole footprint.
  bool has_extent = false;
  std::array<double, 2> origin_m{};
  std::array<double, 2> size_m{};
  SourceLocation where;
  SourceLocation layer_where;
  SourceLocation extent_where;
  SourceLocation flow_where;
};

}  // namespace cposim::cases
