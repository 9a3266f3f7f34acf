#pragma once
/// \file
/// Point probes: the value of a cell field at a point, interpolated between cell centres.

#include <array>
#include <string>
#include <vector>

#include "mesh/cell_field.hpp"

namespace cposim::postproc {

/// How far outside the grid a point may lie and still be sampled (on the nearest face), m:
/// above the case files' geometry tolerance (1e-10 m, cases/resolve/case_check.hpp) and rounding.
inline constexpr double kSurfaceTolerance_m = 5e-10;

/// A field value at a point and the cell that contains the point.
struct PointSample {
  double value = 0.0;        ///< in the field's unit
  mesh::CellIndex cell = 0;  ///< flattened index of the containing cell (half-open cells)
};

/// Value of `field` at `point_m` (x, y, z in metres) by trilinear interpolation between the
/// centres of the 2×2×2 cells around the point.
///
/// Near the domain boundary, between the outermost cell centre and the boundary face, there
/// is no centre to interpolate towards, so the field is held constant along that axis at the
/// outermost centre's value (clamping, axis by axis). A point in a corner half-cell thus gets
/// exactly that cell's value; a point in an edge or face half-cell is still interpolated along
/// the other axes. An axis with a single cell is constant along that axis. No boundary
/// condition is extrapolated: the probe never reports a value outside the range of the cells
/// around it. Across a material interface the linear blend smooths the kink in T; refine the
/// grid there if that matters.
///
/// The containing cell follows RectilinearGrid::locate: cells are half-open [lo, hi), and a
/// point on the last node of an axis belongs to the last cell.
/// Throws std::invalid_argument if the field has no grid or the wrong number of values, and
/// std::out_of_range (naming the point) if the point is outside the grid (by more than
/// kSurfaceTolerance_m: closer, it is sampled on the nearest face) or not finite.
PointSample sample_at(const mesh::CellField& field, const std::array<double, 3>& point_m);

/// A named point at which to read the temperature.
struct Probe {
  std::string name;
  std::array<double, 3> at_m{};  ///< x, y, z in metres
};

/// The temperature read at a probe.
struct ProbeReading {
  std::string name;
  std::array<double, 3> at_m{};  ///< x, y, z in metres (as requested)
  double T_K = 0.0;              ///< interpolated as in sample_at
  mesh::CellIndex cell = 0;      ///< flattened index of the containing cell
};

/// Reads every probe from `temperature` (kelvin), in the order given. Throws as sample_at;
/// the std::out_of_range message names the probe.
std::vector<ProbeReading> read_probes(const mesh::CellField& temperature,
                                      const std::vector<Probe>& probes);

}  // namespace cposim::postproc
