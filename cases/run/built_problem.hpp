#pragma once
/// \file
/// BuiltProblem: what build_problem (cases/run/build_problem.hpp) makes of a case, a solvable
/// problem, as plain data that the run steps after it read and update.

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "materials/material.hpp"
#include "mesh/box.hpp"
#include "mesh/cell_labels.hpp"
#include "mesh/partition.hpp"
#include "mesh/rectilinear_grid.hpp"
#include "solver/boundary.hpp"
#include "solver/steady.hpp"
#include "solver/thermal_problem.hpp"

namespace cposim::cases {

/// What a region id stands for. Region 0 is always the package fill.
struct RegionInfo {
  enum class Kind { fill, layer, block };
  Kind kind = Kind::fill;
  std::string name;
  std::string material;  ///< resolved material name
  mesh::Box box;         ///< the box as written (the fill: the whole package)
  double power_W = 0.0;  ///< total power assigned to the region's cells
};

/// A named point where the temperature is reported.
struct ProbeRequest {
  std::string name;
  std::array<double, 3> at_m{};
  int on_face_axis = -1;  ///< ≥ 0: a face probe on the grid plane normal to that axis
};

/// The total of a block's power map as read, for the report.
struct PowerMapReport {
  std::string block;
  std::string file;         ///< as resolved (relative to the case file)
  double file_total = 0.0;  ///< sum of the CSV values as written
  double total_W = 0.0;     ///< power given to the block's cells
};

/// A solvable problem plus what the run needs to report it. Owns everything that
/// problem() lends out; keep it alive while the view is in use.
/// A distributed run's share of the grid (issue 20): the partition, this rank, and the
/// whole grid's node coordinates (1-D arrays; no per-cell data of other ranks).
struct WindowInfo {
  mesh::Partition partition;
  int rank = 0;
  std::unique_ptr<mesh::RectilinearGrid> global_grid;
  mesh::IndexBox window;  ///< in global cell indices: BuiltProblem::grid's cells
  mesh::IndexBox owned;   ///< in global cell indices: the cells this rank solves and reports
  /// owned, in the window grid's own indices.
  mesh::IndexBox owned_in_window() const {
    mesh::IndexBox box = owned;
    for (std::size_t a = 0; a < 3; ++a) box.first[a] -= window.first[a];
    return box;
  }
};

struct BuiltProblem {
  /// The grid every per-cell array lives on: the whole grid, or this rank's window of it.
  std::unique_ptr<mesh::RectilinearGrid> grid;
  /// Set in a distributed run only (build_problem with a BuildWindow).
  std::shared_ptr<const WindowInfo> window;
  std::vector<RegionInfo> regions;  ///< indexed by region id
  std::vector<mesh::RegionId> region_of_cell;
  std::vector<materials::Material> region_material;  ///< indexed by region id
  std::vector<materials::Material> materials_used;   ///< each distinct material once, by name
  std::vector<double> cell_power_W;
  std::array<solver::FaceBoundary, 6> boundaries{};
  /// Per-face-cell convection (solver::FaceAxes order) of faces with an h map or cold plates;
  /// empty for uniform faces. problem() lends them as FaceBoundary::h_map / T_map; a cold
  /// plate's fluid march rewrites face_T_K between solves (cases/run/cold_plate_coupling.hpp).
  std::array<std::vector<double>, 6> face_h_W_per_m2K;
  std::array<std::vector<double>, 6> face_T_K;
  /// Per-face-cell imposed flux into the package [W/m²] of faces with a q_map or patches
  /// (cases/run/face_maps.hpp); empty otherwise. Lent as FaceBoundary::q_map.
  std::array<std::vector<double>, 6> face_q_W_per_m2;
  solver::ContactTable contacts;
  /// Coolant cavities' sinks (cases/run/cavity_coupling.hpp); empty without cavities. Lent as
  /// ThermalProblem::cell_sinks; the fluid march rewrites T_K between solves.
  solver::CellSinks cell_sinks;
  solver::SteadyOptions solver_options;
  std::vector<ProbeRequest> probes;
  std::vector<std::string> output_fields;  ///< field names to write
  std::vector<PowerMapReport> power_maps;

  /// The solver's view: pointers into this object.
  solver::ThermalProblem problem() const;
};

}  // namespace cposim::cases
