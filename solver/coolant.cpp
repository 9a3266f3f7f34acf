/// \file
/// Cold-plate lanes, the fluid march and the channel correlations.
#include "solver/coolant.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "solver/boundary.hpp"
#include "solver/face_cells.hpp"

namespace cposim::solver {
namespace {

/// Indices of the cells along `axis` whose centres lie in [lo, hi].
std::vector<std::size_t> cells_centred_in(const mesh::RectilinearGrid& grid, int axis, double lo,
                                          double hi) {
  std::vector<std::size_t> out;
  const std::size_t n = grid.cells_per_axis()[static_cast<std::size_t>(axis)];
  for (std::size_t i = 0; i < n; ++i) {
    const double c = grid.centre(axis, i);
    if (c >= lo && c <= hi) out.push_back(i);
  }
  return out;
}

}  // namespace

std::vector<CoolantLane> plate_lanes(const mesh::RectilinearGrid& grid,
                                     const ColdPlateGeometry& plate, double capacity_W_per_K) {
  const auto [a, u, v] = face_axes(plate.face);
  if (plate.flow_axis != u && plate.flow_axis != v)
    throw std::invalid_argument("plate_lanes: the flow axis must lie in the plate's face");
  const int across = plate.flow_axis == u ? v : u;
  const auto along_cells =
      cells_centred_in(grid, plate.flow_axis, plate.lo_m[static_cast<std::size_t>(plate.flow_axis)],
                       plate.hi_m[static_cast<std::size_t>(plate.flow_axis)]);
  const auto across_cells =
      cells_centred_in(grid, across, plate.lo_m[static_cast<std::size_t>(across)],
                       plate.hi_m[static_cast<std::size_t>(across)]);
  std::vector<CoolantLane> lanes;
  if (along_cells.empty() || across_cells.empty()) return lanes;
  const std::size_t n_u = grid.cells_per_axis()[static_cast<std::size_t>(u)];
  double total_width = 0.0;
  for (std::size_t c : across_cells) {
    CoolantLane lane;
    lane.width_m = grid.width(across, c);
    total_width += lane.width_m;
    for (std::size_t s = 0; s < along_cells.size(); ++s) {
      const std::size_t i =
          plate.flow_sign > 0 ? along_cells[s] : along_cells[along_cells.size() - 1 - s];
      const std::size_t iu = plate.flow_axis == u ? i : c;
      const std::size_t jv = plate.flow_axis == u ? c : i;
      lane.face_cells.push_back(iu + n_u * jv);
    }
    lanes.push_back(std::move(lane));
  }
  for (auto& lane : lanes) lane.capacity_W_per_K = capacity_W_per_K * lane.width_m / total_width;
  return lanes;
}

void face_cell_temperatures(const mesh::RectilinearGrid& grid, int face,
                            const std::vector<double>& T_K, std::vector<double>& T_face_K) {
  const auto n = grid.cells_per_axis();
  const auto axes = face_axes(face);
  T_face_K.resize(n[static_cast<std::size_t>(axes.u)] * n[static_cast<std::size_t>(axes.v)]);
  for_each_face_cell(grid, face, [&](const FaceCell& c) { T_face_K[c.fc] = T_K[c.cell]; });
}

PlateMarch march_plate(const std::vector<CoolantLane>& lanes, double T_inlet_K,
                       const std::vector<double>& G_W_per_K, const std::vector<double>& T_solid_K,
                       std::vector<double>& T_fluid_K, std::vector<double>& heat_W) {
  PlateMarch out;
  OutletMix mix;
  for (const auto& lane : lanes) {
    const double C = lane.capacity_W_per_K;
    double T_in = T_inlet_K;
    for (std::size_t fc : lane.face_cells) {
      const double G = G_W_per_K[fc];
      const SegmentExchange e = exchange_segment(G, G * T_solid_K[fc], T_in, C);
      T_fluid_K[fc] = e.fluid_T_K;
      heat_W[fc] = e.heat_W;
      out.heat_W += e.heat_W;
      T_in = e.outlet_T_K;
    }
    mix.add(C, T_in);
  }
  out.outlet_T_K = mix.outlet_T_K(T_inlet_K);
  return out;
}

double laminar_nusselt_rectangular(double aspect_ratio) {
  const double a = aspect_ratio;
  return 8.235 * (1.0 - 2.0421 * a + 3.0853 * a * a - 2.4765 * a * a * a + 1.0578 * a * a * a * a -
                  0.1861 * a * a * a * a * a);
}

double dittus_boelter_nusselt(double reynolds, double prandtl) {
  return 0.023 * std::pow(reynolds, 0.8) * std::pow(prandtl, 0.4);
}

ChannelHeatTransfer channel_heat_transfer(const materials::Fluid& fluid,
                                          double volume_flow_m3_per_s,
                                          const ChannelGeometry& channels, double plate_width_m) {
  ChannelHeatTransfer out;
  const double w = channels.width_m, h = channels.height_m;
  const double n = static_cast<double>(channels.count);
  out.hydraulic_diameter_m = 2.0 * w * h / (w + h);
  out.velocity_m_per_s = volume_flow_m3_per_s / (n * w * h);
  out.reynolds =
      fluid.rho_kg_per_m3 * out.velocity_m_per_s * out.hydraulic_diameter_m / fluid.mu_Pa_s;
  out.prandtl = fluid.prandtl();
  out.laminar = out.reynolds < kLaminarReynolds;
  out.nusselt = out.laminar ? laminar_nusselt_rectangular(std::min(w, h) / std::max(w, h))
                            : dittus_boelter_nusselt(out.reynolds, out.prandtl);
  out.h_channel_W_per_m2K = out.nusselt * fluid.k_W_per_mK / out.hydraulic_diameter_m;
  out.h_footprint_W_per_m2K = out.h_channel_W_per_m2K * n * 2.0 * (w + h) / plate_width_m;
  return out;
}

}  // namespace cposim::solver
