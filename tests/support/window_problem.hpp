#pragma once
/// \file
/// Test helper: one rank's window problem (solver/distributed/distributed_steady.hpp) sliced
/// from a global problem that every rank builds alike: grid, regions, power, cell sinks and
/// every per-face-cell map restricted to partition.window(rank).

#include <array>
#include <cstddef>
#include <memory>
#include <vector>

#include "mesh/partition.hpp"
#include "solver/boundary.hpp"
#include "solver/thermal_problem.hpp"

namespace cposim::testing {

/// Owns what the window ThermalProblem lends; materials and contacts stay the global ones'.
struct WindowProblem {
  mesh::IndexBox box;
  std::unique_ptr<mesh::RectilinearGrid> grid;
  std::vector<mesh::RegionId> regions;
  std::vector<double> power_W;
  solver::CellSinks sinks;
  std::array<std::vector<double>, 6> h_map, T_map, q_map;
  solver::ThermalProblem problem;

  /// The window `box` of `global` (whose grid is the partitioned one).
  WindowProblem(const solver::ThermalProblem& global, const mesh::IndexBox& window)
      : box(window), grid(std::make_unique<mesh::RectilinearGrid>(sub_grid(*global.grid, window))) {
    const std::size_t n = grid->num_cells();
    regions.resize(n);
    power_W.resize(n);
    const bool with_sinks = global.cell_sinks != nullptr && !global.cell_sinks->empty();
    if (with_sinks) {
      sinks.G_W_per_K.resize(n);
      sinks.T_K.resize(n);
    }
    for (std::size_t w = 0; w < n; ++w) {
      const auto ijk = grid->ijk(w);
      const std::size_t c =
          global.grid->cell(box.first[0] + ijk[0], box.first[1] + ijk[1], box.first[2] + ijk[2]);
      regions[w] = (*global.region_of_cell)[c];
      power_W[w] = (*global.cell_power_W)[c];
      if (with_sinks) {
        sinks.G_W_per_K[w] = global.cell_sinks->G_W_per_K[c];
        sinks.T_K[w] = global.cell_sinks->T_K[c];
      }
    }
    problem = global;
    problem.grid = grid.get();
    problem.region_of_cell = &regions;
    problem.cell_power_W = &power_W;
    problem.cell_sinks = with_sinks ? &sinks : nullptr;
    for (int f = 0; f < 6; ++f) {
      const auto fi = static_cast<std::size_t>(f);
      auto& b = problem.boundaries[fi];
      const auto& gb = global.boundaries[fi];
      if (gb.h_map != nullptr) b.h_map = &(h_map[fi] = face_slice(*global.grid, f, *gb.h_map));
      if (gb.T_map != nullptr) b.T_map = &(T_map[fi] = face_slice(*global.grid, f, *gb.T_map));
      if (gb.q_map != nullptr) b.q_map = &(q_map[fi] = face_slice(*global.grid, f, *gb.q_map));
    }
  }

  WindowProblem(const WindowProblem&) = delete;  // problem points into this object
  WindowProblem& operator=(const WindowProblem&) = delete;

  /// A per-face-cell array of face `f` of `global_grid`, restricted to the window's face.
  std::vector<double> face_slice(const mesh::RectilinearGrid& global_grid, int f,
                                 const std::vector<double>& values) const {
    const auto axes = solver::face_axes(f);
    const auto u = static_cast<std::size_t>(axes.u), v = static_cast<std::size_t>(axes.v);
    const auto n_global = global_grid.cells_per_axis();
    std::vector<double> out(box.count[u] * box.count[v]);
    for (std::size_t jv = 0; jv < box.count[v]; ++jv)
      for (std::size_t iu = 0; iu < box.count[u]; ++iu)
        out[iu + box.count[u] * jv] =
            values[(box.first[u] + iu) + n_global[u] * (box.first[v] + jv)];
    return out;
  }
};

}  // namespace cposim::testing
