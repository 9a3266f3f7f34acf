/// \file
/// Coolant reference and per-source effective resistances.
#include "cases/run/thermal_resistance.hpp"

namespace cposim::cases {

std::optional<CoolantReference> coolant_reference(
    const std::array<solver::FaceBoundary, 6>& boundaries, const solver::EnergyBalance& energy) {
  std::optional<CoolantReference> best;
  for (int f = 0; f < 6; ++f) {
    const auto& b = boundaries[static_cast<std::size_t>(f)];
    if (b.kind != solver::BoundaryKind::convection &&
        b.kind != solver::BoundaryKind::fixed_temperature)
      continue;
    const double out_W = energy.face_heat_out_W[static_cast<std::size_t>(f)];
    if (!(out_W > 0.0)) continue;
    if (!best || out_W > best->heat_out_W) best = CoolantReference{f, b.T_K, out_W};
  }
  return best;
}

std::vector<SourceResistance> source_resistances(
    const std::vector<postproc::RegionStatistics>& regions, const CoolantReference& coolant) {
  std::vector<SourceResistance> out;
  for (const auto& r : regions) {
    if (!(r.power_W > 0.0)) continue;
    out.push_back({r.name, r.power_W, r.T_max_K, r.T_mean_K, (r.T_max_K - coolant.T_K) / r.power_W,
                   (r.T_mean_K - coolant.T_K) / r.power_W});
  }
  return out;
}

}  // namespace cposim::cases
