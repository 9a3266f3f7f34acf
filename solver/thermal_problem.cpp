/// \file
/// ThermalProblem consistency checks.
#include "solver/thermal_problem.hpp"

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
  for (const auto& b : boundaries)
    if (b.kind == BoundaryKind::convection && !(b.h_W_per_m2K > 0.0))
      throw std::invalid_argument("ThermalProblem: convection needs h > 0");
}

bool ThermalProblem::has_heat_sink() const {
  for (const auto& b : boundaries)
    if (b.kind == BoundaryKind::convection || b.kind == BoundaryKind::fixed_temperature)
      return true;
  return false;
}

bool ThermalProblem::is_nonlinear() const {
  for (const auto& m : *region_material)
    if (m.is_nonlinear()) return true;
  return false;
}

}  // namespace cposim::solver
