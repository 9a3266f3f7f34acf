/// \file
/// Transient solve: scheme names and heat capacities. TransientSolver is in transient_run.cpp.
#include "solver/transient.hpp"

#include <stdexcept>

namespace cposim::solver {

std::string to_string(TimeScheme scheme) {
  return scheme == TimeScheme::backward_euler ? "backward_euler" : "bdf2";
}

std::vector<double> heat_capacity_J_per_K(const ThermalProblem& p) {
  p.validate();
  const auto& g = *p.grid;
  std::vector<double> C(g.num_cells());
  for (std::size_t c = 0; c < C.size(); ++c) {
    const auto& m = (*p.region_material)[static_cast<std::size_t>((*p.region_of_cell)[c])];
    if (!(m.rho_kg_per_m3 > 0.0) || !(m.cp_J_per_kgK > 0.0))
      throw std::invalid_argument("transient solve: material '" + m.name +
                                  "' needs rho_kg_per_m3 > 0 and cp_J_per_kgK > 0");
    const auto ijk = g.ijk(c);
    C[c] = m.rho_kg_per_m3 * m.cp_J_per_kgK * g.volume_m3(ijk[0], ijk[1], ijk[2]);
  }
  return C;
}

}  // namespace cposim::solver
