#pragma once
/// \file
/// The cells against one outer face of the grid, in the order of every per-face-cell array
/// (FaceAxes: u fastest). One loop for the energy balance, the face values, the solver's
/// reference temperature and the cold plates' face temperatures.

#include <array>
#include <cstddef>

#include "mesh/partition.hpp"
#include "mesh/rectilinear_grid.hpp"
#include "solver/boundary.hpp"

namespace cposim::solver {

/// One cell against an outer face, as for_each_face_cell passes it.
struct FaceCell {
  std::size_t iu = 0, jv = 0;  ///< in-plane indices along FaceAxes u and v
  std::size_t fc = 0;          ///< iu + n_u · jv: the index into per-face-cell arrays
  std::size_t cell = 0;        ///< grid index of the cell against the face
  double area_m2 = 0.0;        ///< the cell's face on the boundary
};

/// Calls fn(const FaceCell&) for every cell against outer face `f` (DomainFace order), u fastest.
template <class Fn>
void for_each_face_cell(const mesh::RectilinearGrid& g, int f, Fn&& fn) {
  const auto n = g.cells_per_axis();
  const auto axes = face_axes(f);
  const auto a = static_cast<std::size_t>(axes.normal), u = static_cast<std::size_t>(axes.u),
             v = static_cast<std::size_t>(axes.v);
  std::array<std::size_t, 3> idx{};
  idx[a] = (f % 2 == 0) ? 0 : n[a] - 1;
  FaceCell c;
  for (c.jv = 0; c.jv < n[v]; ++c.jv)
    for (c.iu = 0; c.iu < n[u]; ++c.iu) {
      idx[u] = c.iu;
      idx[v] = c.jv;
      c.fc = c.iu + n[u] * c.jv;
      c.cell = g.cell(idx[0], idx[1], idx[2]);
      c.area_m2 = g.width(axes.u, c.iu) * g.width(axes.v, c.jv);
      fn(static_cast<const FaceCell&>(c));
    }
}

/// Whether face cell `c` of outer face `f` lies in `box` (null: every cell does). On a rank's
/// window grid (solver/distributed/) `box` is the owned part: a window side that is a partition
/// side has halo cells against it, never owned ones, so only real domain faces count.
inline bool face_cell_in(const mesh::IndexBox* box, const mesh::RectilinearGrid& g, int f,
                         const FaceCell& c) {
  if (box == nullptr) return true;
  const auto n = g.cells_per_axis();
  const auto axes = face_axes(f);
  const auto a = static_cast<std::size_t>(axes.normal);
  std::array<std::size_t, 3> idx{};
  idx[a] = (f % 2 == 0) ? 0 : n[a] - 1;
  idx[static_cast<std::size_t>(axes.u)] = c.iu;
  idx[static_cast<std::size_t>(axes.v)] = c.jv;
  return box->contains(idx[0], idx[1], idx[2]);
}

/// Calls fn(std::size_t cell) for every grid index of the cells in `box` (null: all cells),
/// in grid order.
template <class Fn>
void for_each_cell_in(const mesh::RectilinearGrid& g, const mesh::IndexBox* box, Fn&& fn) {
  if (box == nullptr) {
    for (std::size_t c = 0; c < g.num_cells(); ++c) fn(c);
    return;
  }
  for (std::size_t k = box->first[2]; k < box->first[2] + box->count[2]; ++k)
    for (std::size_t j = box->first[1]; j < box->first[1] + box->count[1]; ++j)
      for (std::size_t i = box->first[0]; i < box->first[0] + box->count[0]; ++i)
        fn(g.cell(i, j, k));
}

/// The width of the cells against outer face `f` along its normal (the half-cell distance is
/// half of it).
inline double face_layer_width(const mesh::RectilinearGrid& g, int f) {
  const auto n = g.cells_per_axis();
  const int a = face_axes(f).normal;
  return g.width(a, (f % 2 == 0) ? 0 : n[static_cast<std::size_t>(a)] - 1);
}

}  // namespace cposim::solver
