#pragma once
/// \file
/// Cold plates: the coolant's energy balance along flow lanes over one outer face, and the
/// channel heat-transfer correlations that give the plate's film coefficient. Pure: no I/O.
///
/// A plate covers a rectangle of an outer face; the coolant flows along one in-plane axis.
/// The plate is split into lanes, one per grid row across the flow, each carrying the mass
/// flow in proportion to its width. Along a lane the fluid temperature is marched cell by
/// cell with the segment balance (the fluid exchanges heat at its segment mean; exact for a
/// segment with uniform heat input, where the fluid temperature is linear; stable for any
/// number of transfer units NTU = G / (ṁ cp), monotone while NTU ≤ 2 per cell):
///   Q_seg = G (T_s − T_in) / (1 + G / (2 ṁ_lane cp)),   T_out = T_in + Q_seg / (ṁ_lane cp),
/// and the fluid temperature the solid sees in that cell is T_in + Q_seg / (2 ṁ_lane cp).
/// G is the half-cell + film conductance of the assembly (solver::face_cell_flows), so with
/// that fluid temperature Q_seg = G (T_s − T_fluid) is exactly the heat the solver takes out
/// of the cell, and the mixed outlet is inlet + Σ Q_seg / (ṁ cp).

#include <array>
#include <cstddef>
#include <vector>

#include "materials/fluids.hpp"
#include "mesh/rectilinear_grid.hpp"

namespace cposim::solver {

/// Where a plate sits. Lengths in metres, global coordinates; the normal axis of `face` is
/// ignored in lo_m / hi_m.
struct ColdPlateGeometry {
  int face = 5;  ///< DomainFace index
  std::array<double, 3> lo_m{};
  std::array<double, 3> hi_m{};
  int flow_axis = 0;  ///< global axis of the flow, in-plane of `face`
  int flow_sign = 1;  ///< +1: flow towards increasing coordinate
};

/// One lane: face cells in flow order (upstream first) and its heat-capacity rate.
struct CoolantLane {
  std::vector<std::size_t> face_cells;  ///< FaceAxes-order indices on the plate's face
  double width_m = 0.0;                 ///< across the flow
  double capacity_W_per_K = 0.0;        ///< ṁ_lane cp
};

/// The lanes of `plate` on `grid`: the face cells whose in-plane centres lie inside the plate
/// rectangle, one lane per cell row across the flow, capacity ṁ cp · width / Σ widths.
/// Empty if no cell centre lies inside.
std::vector<CoolantLane> plate_lanes(const mesh::RectilinearGrid& grid,
                                     const ColdPlateGeometry& plate, double capacity_W_per_K);

/// Temperature of each face cell's boundary cell (FaceAxes order) from the cell field T_K.
void face_cell_temperatures(const mesh::RectilinearGrid& grid, int face,
                            const std::vector<double>& T_K, std::vector<double>& T_face_K);

/// Outcome of one march over a plate.
struct PlateMarch {
  double outlet_T_K = 0.0;  ///< mixed (capacity-weighted) outlet temperature
  double heat_W = 0.0;      ///< Σ Q_seg: heat taken up by the coolant
};

/// One segment of a coolant lane, the fluid storing no heat: it enters at T_in with capacity
/// C = ṁ cp and the solid exchanges through G = Σ G_i with the fluid's mean over the segment,
/// T_in + Q/(2C), so Q = (GT − G T_in)/(1 + G/(2C)) with GT = Σ G_i T_i. The cold plates and
/// the cavities march their lanes with it.
struct SegmentExchange {
  double heat_W = 0.0;      ///< Q: heat the fluid takes up
  double fluid_T_K = 0.0;   ///< the fluid's mean over the segment, what the solid sees
  double outlet_T_K = 0.0;  ///< T_in + Q/C
};
inline SegmentExchange exchange_segment(double G_W_per_K, double GT_W, double T_in_K,
                                        double C_W_per_K) {
  const double Q =
      G_W_per_K > 0.0 ? (GT_W - G_W_per_K * T_in_K) / (1.0 + G_W_per_K / (2.0 * C_W_per_K)) : 0.0;
  return {Q, T_in_K + Q / (2.0 * C_W_per_K), T_in_K + Q / C_W_per_K};
}

/// The mixed outlet of lanes: Σ C T_out / Σ C, or the inlet when no lane carries flow.
class OutletMix {
 public:
  void add(double C_W_per_K, double T_out_K) {
    capacity_ += C_W_per_K;
    outflow_ += C_W_per_K * T_out_K;
  }
  double outlet_T_K(double T_inlet_K) const {
    return capacity_ > 0.0 ? outflow_ / capacity_ : T_inlet_K;
  }

 private:
  double capacity_ = 0.0, outflow_ = 0.0;
};

/// Marches every lane from T_inlet_K. G_W_per_K and T_solid_K are per face cell (FaceAxes
/// order, as face_cell_flows and face_cell_temperatures give them). Writes, for the plate's
/// cells only, the fluid temperature the solid sees (T_fluid_K) and Q_seg (heat_W); both must
/// already have one entry per face cell.
PlateMarch march_plate(const std::vector<CoolantLane>& lanes, double T_inlet_K,
                       const std::vector<double>& G_W_per_K, const std::vector<double>& T_solid_K,
                       std::vector<double>& T_fluid_K, std::vector<double>& heat_W);

/// Parallel rectangular channels machined in the plate, along the flow.
struct ChannelGeometry {
  int count = 1;
  double width_m = 0.0;
  double height_m = 0.0;
};

/// Film coefficient of a channel plate and the numbers behind it.
struct ChannelHeatTransfer {
  double hydraulic_diameter_m = 0.0;  ///< 4 A / P = 2 w h / (w + h)
  double velocity_m_per_s = 0.0;      ///< mean, flow / (count w h)
  double reynolds = 0.0;              ///< ρ u D_h / μ
  double prandtl = 0.0;               ///< cp μ / k
  double nusselt = 0.0;
  bool laminar = true;                 ///< Re < kLaminarReynolds
  double h_channel_W_per_m2K = 0.0;    ///< Nu k / D_h, on the wetted wall
  double h_footprint_W_per_m2K = 0.0;  ///< referred to the plate footprint
};

/// Reynolds number below which a channel is taken as laminar (simple switch, no blending).
inline constexpr double kLaminarReynolds = 2300.0;

/// Fully developed laminar Nusselt number of a rectangular duct, H1 condition (axially
/// uniform heat flux, peripherally uniform wall temperature: a conducting plate), Shah &
/// London (1978) fit: Nu = 8.235 (1 − 2.0421 α + 3.0853 α² − 2.4765 α³ + 1.0578 α⁴
/// − 0.1861 α⁵), α = short side / long side in (0, 1]. 8.235 for parallel plates, 3.61 for a
/// square duct.
double laminar_nusselt_rectangular(double aspect_ratio);

/// Dittus–Boelter, heating the fluid: Nu = 0.023 Re^0.8 Pr^0.4 (physics.md §4.3).
double dittus_boelter_nusselt(double reynolds, double prandtl);

/// The film coefficient of `channels` carrying `volume_flow_m3_per_s` of `fluid`, on the
/// wetted wall and referred to the footprint of a plate `plate_width_m` wide across the flow:
/// h_footprint = h_channel · count · 2 (w + h) / plate_width (all four channel walls wetted,
/// fin efficiency 1). Laminar (Re < 2300): laminar_nusselt_rectangular; else Dittus–Boelter.
ChannelHeatTransfer channel_heat_transfer(const materials::Fluid& fluid,
                                          double volume_flow_m3_per_s,
                                          const ChannelGeometry& channels, double plate_width_m);

}  // namespace cposim::solver
