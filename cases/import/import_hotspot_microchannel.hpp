#pragma once
/// \file
/// Internal to the HotSpot importer: HotSpot's microchannel layers (an `.lcf` layer whose
/// floorplan is a `.csv` network, `-use_microchannels 1`; HotSpot 7's microchannel.c and .h)
/// mapped to a cposim `[[cavities]]` entry when the network is straight parallel channels.
/// Not part of the library's public API.

#include <array>
#include <map>
#include <string>

#include "cases/spec/case_error.hpp"

namespace cposim::cases::import_detail {

/// HotSpot's microchannel parameters: the defaults of microchannel.c,
/// default_microchannel_config, changed by the config keys microchannel_config_add_from_strs
/// reads (-pumping_pressure, -pump_internal_res, -inlet_temperature, -coolant_capac,
/// -coolant_res, -coolant_visc, -wall_capac, -wall_res, -htc; -coolant_material and
/// -wall_material override their three or two values from the materials file).
struct MicrochannelParams {
  double pumping_pressure_Pa = 5000.0;
  double pump_internal_res_Pa_s_per_m3 = 0.0;  ///< 0: an ideal pump
  double inlet_T_K = 300.0;
  double coolant_capac_J_per_m3K = 4172638.0;  ///< water
  double coolant_k_W_per_mK = 1.0 / 1.647717911;
  double coolant_visc_Pa_s = 0.000889;
  double wall_capac_J_per_m3K = 1635660.0;  ///< silicon
  double wall_k_W_per_mK = 1.0 / 0.0076923077;
  double htc_W_per_m2K = 27132.0;
  std::string coolant_material, wall_material;  ///< the -*_material names, if given
  std::map<std::string, SourceLocation> where;  ///< keys given in the config file
};

/// HotSpot's hydraulic conductance of one link between two fluid cells, m³/(s Pa): hydroC of
/// microchannel.c, the laminar resistance of a rectangular duct of height h (the layer
/// thickness), width w (the cell width) and length L (the cell height, whatever the link's
/// direction), with the thin-duct correction 1 − 0.63 (short side / long side):
///   h == w:  0.42229 h⁴ / (12 µ L)
///   h >  w:  (1 − 0.63 w/h) w³ h / (12 µ L)
///   h <  w:  (1 − 0.63 h/w) h³ w / (12 µ L)
double hotspot_hydro_conductance(double thickness_m, double cell_width_m, double cell_height_m,
                                 double viscosity_Pa_s);

/// The flow through one straight row of `cells` fluid cells from an inlet cell to an outlet
/// cell, m³/s, as HotSpot's pressure circuit (build_pressure_matrix) gives it: the cells-1
/// links of conductance `link` in series, the outlet at 0 Pa, the inlet at `pressure_Pa`
/// (ideal pump, `pump_res` = 0) or behind the pump's internal resistance `pump_res` (Pa s/m³;
/// HotSpot links every inlet cell to the pump node through it).
double hotspot_row_flow_m3_per_s(double pressure_Pa, double pump_res, double link, int cells);

/// A network of straight parallel channels, as read from a HotSpot `.csv`.
struct ChannelNetwork {
  int rows = 0, cols = 0;  ///< the csv's cells (HotSpot: -grid_rows × -grid_cols)
  int axis = 0;            ///< 0: the channels run along x (csv rows), 1: along y (columns)
  int sign = 1;            ///< +1: the inlet is at the low end of the axis (x = 0 or y = 0)
  int channels = 0;        ///< bands of adjacent channel rows (columns)
  int cells_wide = 0;      ///< each band's width across the flow, cells
  int cells_long = 0;      ///< along the flow, the inlet and outlet cells included
  int wall_cells = 0;      ///< between two bands (0 with one band)
  int margin_low = 0, margin_high = 0;  ///< solid cells before the first and after the last band
};

/// Reads a HotSpot microchannel network (microchannel.h: 0 solid, 1 fluid, 2 inlet, 3 outlet,
/// -1 TSV; rows from the top of the chip, as microchannel_build_network writes its floorplan)
/// of `rows` × `cols` cells and checks that it is straight parallel channels: every row (or
/// every column) is solid or runs inlet, fluid…, outlet across the whole chip, all in the same
/// direction, in bands of one width separated by walls of one width. Anything else throws a
/// CaseError at the offending cell naming why (`layer` names the .lcf layer in the message).
ChannelNetwork read_network(const std::string& path, int rows, int cols, const std::string& layer);

/// The `[[cavities]]` table for network `n` in the layer `layer` (`thickness_m` thick) of a
/// chip `chip_w_m` × `chip_h_m`: cposim's 4-resistor model with HotSpot's -htc on the ceiling,
/// floor and side walls, the coolant's c_v, the inlet temperature and the flow of HotSpot's
/// pressure circuit (`flow_m3_per_s`). The channel width is the bands' width; the pitch is the
/// chip's extent across the flow over the channel count (the same porosity as the network).
std::string network_cavity_toml(const ChannelNetwork& n, const MicrochannelParams& mc,
                                const std::string& layer, double chip_w_m, double chip_h_m,
                                double flow_m3_per_s);

/// What an .lcf microchannel layer becomes.
struct NetworkCavity {
  ChannelNetwork network;
  double flow_m3_per_s = 0;  ///< through the whole network, by HotSpot's pressure circuit
  std::string toml;          ///< the [[cavities]] table
  std::string note;          ///< how it was mapped, for the import's notes
};

/// Reads the network `path` of the layer `layer` (`label` names its .lcf line in messages),
/// `thickness_m` thick, on HotSpot's grid of `rows` × `cols` cells over a chip `chip_w_m` ×
/// `chip_h_m`, and maps it (read_network, hotspot_hydro_conductance, hotspot_row_flow_m3_per_s,
/// network_cavity_toml).
NetworkCavity network_cavity(const std::string& path, const MicrochannelParams& mc,
                             const std::string& layer, const std::string& label, double thickness_m,
                             std::array<int, 2> rows_cols, std::array<double, 2> chip_m);

}  // namespace cposim::cases::import_detail
