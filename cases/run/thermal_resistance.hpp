#pragma once
/// \file
/// Thermal resistance junction-to-coolant of each heat source, referred to the boundary face
/// that carries most of the heat away.

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "postproc/fields/region_statistics.hpp"
#include "solver/boundary.hpp"
#include "solver/energy_balance.hpp"

namespace cposim::cases {

/// The coolant temperature the resistances are referred to.
struct CoolantReference {
  int face = 0;             ///< solver::DomainFace index of the face
  double T_K = 0.0;         ///< its ambient (convection) or surface (fixed_temperature) value
  double heat_out_W = 0.0;  ///< heat leaving through that face
};

/// The reference for R_jc: among the faces with a convection or fixed_temperature condition,
/// the one with the largest heat outflow in `energy` (ties: the lower face index); its
/// T_K is the coolant temperature. Nothing if no such face carries heat out (all faces
/// adiabatic or heat_flux, or no net outflow through any of them).
std::optional<CoolantReference> coolant_reference(
    const std::array<solver::FaceBoundary, 6>& boundaries, const solver::EnergyBalance& energy);

/// Effective resistance of one heat source (a region with power > 0) to the coolant.
struct SourceResistance {
  std::string region;
  double power_W = 0.0;         ///< Σ power of the region's cells
  double T_max_K = 0.0;         ///< hottest cell of the region
  double T_mean_K = 0.0;        ///< volume-weighted mean
  double R_max_K_per_W = 0.0;   ///< (T_max − T_coolant) / power
  double R_mean_K_per_W = 0.0;  ///< (T_mean − T_coolant) / power
};

/// R = (T − T_coolant) / P for every region with power_W > 0, in the order of `regions`.
///
/// With several sources this is an effective "self + crosstalk" resistance: a region's
/// temperature rise includes the heat of its neighbours, so R of one source is not a property
/// of the package alone and the values do not combine as a network. A region with NaN
/// temperatures gets NaN resistances.
std::vector<SourceResistance> source_resistances(
    const std::vector<postproc::RegionStatistics>& regions, const CoolantReference& coolant);

}  // namespace cposim::cases
