/// \file
/// BuiltProblem::problem(): the solver's view of a built case.
#include "cases/run/built_problem.hpp"

namespace cposim::cases {

solver::ThermalProblem BuiltProblem::problem() const {
  solver::ThermalProblem p;
  p.grid = grid.get();
  p.region_of_cell = &region_of_cell;
  p.region_material = &region_material;
  p.cell_power_W = &cell_power_W;
  p.boundaries = boundaries;
  for (std::size_t f = 0; f < 6; ++f) {
    if (!face_h_W_per_m2K[f].empty()) p.boundaries[f].h_map = &face_h_W_per_m2K[f];
    if (!face_T_K[f].empty()) p.boundaries[f].T_map = &face_T_K[f];
    if (!face_q_W_per_m2[f].empty()) p.boundaries[f].q_map = &face_q_W_per_m2[f];
  }
  p.contacts = &contacts;
  if (!cell_sinks.empty()) p.cell_sinks = &cell_sinks;
  return p;
}

}  // namespace cposim::cases
