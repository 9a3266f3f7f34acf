#pragma once
/// \file
/// Values per cell together with the grid they live on: what the solver hands to postproc.

#include <string>
#include <vector>

#include "mesh/rectilinear_grid.hpp"

namespace cposim::mesh {

/// One value per cell, in the grid's flattened order. The grid is lent, not owned: it must
/// outlive the field.
struct CellField {
  const RectilinearGrid* grid = nullptr;
  std::string name;  ///< with its unit, e.g. "temperature_K"
  std::vector<double> values;
};

}  // namespace cposim::mesh
