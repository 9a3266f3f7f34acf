/// \file
/// ThermalProblem consistency checks.
#include "solver/thermal_problem.hpp"

#include <cmath>
#include <string>

namespace cposim::solver {

void ThermalProblem::validate() const {
  if (grid == nullptr || region_of_cell == nullptr || region_material == nullptr ||
      cell_power_W == nullptr)
    throw std::invalid_argument("ThermalProblem: grid, regions, materials and power must be set");
  const std::size_t n = grid->num_cells();
  if (region_of_cell->size() != n || cell_power_W->size() != n)
    throw std::invalid_argument("ThermalProblem: region and power arrays need one entry per cell");
  for (mesh::RegionId r : *region_of_cell)
    if (r < 0 || static_cast<std::size_t>(r) >= region_material->size())
      throw std::invalid_argument("ThermalProblem: region id " + std::to_string(r) +
                                  " has no material");
  if (contacts != nullptr && !contacts->empty() &&
      contacts->num_regions() < region_material->size())
    throw std::invalid_argument("ThermalProblem: contact table smaller than the region list");
  if (cell_sinks != nullptr && !cell_sinks->empty() &&
      (cell_sinks->G_W_per_K.size() != n || cell_sinks->T_K.size() != n))
    throw std::invalid_argument("ThermalProblem: cell sinks need one G and one T per cell");
  for (int f = 0; f < 6; ++f) {
    const FaceBoundary& b = boundaries[static_cast<std::size_t>(f)];
    if (b.q_map != nullptr) {
      const auto [a, u, v] = face_axes(f);
      if (b.kind == BoundaryKind::fixed_temperature ||
          b.q_map->size() != grid->cells_per_axis()[u] * grid->cells_per_axis()[v])
        throw std::invalid_argument(
            "ThermalProblem: q_map needs a face that is not fixed_temperature and one value per "
            "face cell");
      for (double q : *b.q_map)
        if (!std::isfinite(q))
          throw std::invalid_argument("ThermalProblem: q_map values must be finite");
    }
    if (b.has_map()) {
      const auto [a, u, v] = face_axes(f);
      const std::size_t face_cells = grid->cells_per_axis()[u] * grid->cells_per_axis()[v];
      if (b.kind != BoundaryKind::convection ||
          (b.h_map != nullptr && b.h_map->size() != face_cells) ||
          (b.T_map != nullptr && b.T_map->size() != face_cells))
        throw std::invalid_argument(
            "ThermalProblem: h_map and T_map need convection and one value per face cell");
      if (b.h_map != nullptr)
        for (double h : *b.h_map)
          if (!(h >= 0.0) || !std::isfinite(h))
            throw std::invalid_argument("ThermalProblem: h_map values must be finite and >= 0");
      continue;
    }
    if (b.kind == BoundaryKind::convection && !(b.h_W_per_m2K > 0.0))
      throw std::invalid_argument("ThermalProblem: convection needs h > 0");
  }
}

bool ThermalProblem::has_heat_sink() const {
  if (cell_sinks != nullptr)
    for (double G : cell_sinks->G_W_per_K)
      if (G > 0.0) return true;
  for (const auto& b : boundaries) {
    if (b.kind == BoundaryKind::fixed_temperature) return true;
    if (b.kind != BoundaryKind::convection) continue;
    if (b.h_map == nullptr) return true;
    for (double h : *b.h_map)
      if (h > 0.0) return true;
  }
  return false;
}

bool ThermalProblem::is_nonlinear() const {
  for (const auto& m : *region_material)
    if (m.is_nonlinear()) return true;
  return false;
}

}  // namespace cposim::solver
