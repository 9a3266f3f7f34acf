#pragma once
/// \file
/// A lateral partition of a grid over MPI ranks: a px × py process grid in which every rank
/// owns whole z columns of one rectangle (issue 20; splitting through thin layers made AMG
/// set-up 10× slower, solver-measurements.md). Plain index arithmetic, no MPI.

#include <array>
#include <cstddef>

#include "mesh/rectilinear_grid.hpp"

namespace cposim::mesh {

/// Cells i ∈ [first[0], first[0] + count[0]) × j … × k … of a grid. Cells inside the box are
/// numbered x fastest, then y, then z, like a grid of its own.
struct IndexBox {
  std::array<std::size_t, 3> first{};
  std::array<std::size_t, 3> count{};

  std::size_t num_cells() const { return count[0] * count[1] * count[2]; }
  bool contains(std::size_t i, std::size_t j, std::size_t k) const {
    return i - first[0] < count[0] && j - first[1] < count[1] && k - first[2] < count[2];
  }
  /// Index of global cell (i, j, k) inside the box (the caller checks contains()).
  std::size_t local(std::size_t i, std::size_t j, std::size_t k) const {
    return (i - first[0]) + count[0] * ((j - first[1]) + count[1] * (k - first[2]));
  }
};

/// Ranks in a px × py process grid, rank = rx + px · ry. Every axis of cells is split into
/// nearly equal index ranges (counts differ by at most one), so every rank owns the same number
/// of cells ± one row: balanced by cell count, not by length, on any non-uniform grid. The
/// process grid is the factorisation of the rank count with the fewest cut faces.
class Partition {
 public:
  /// Throws std::invalid_argument if ranks < 1 or no process grid fits (px ≤ nx, py ≤ ny).
  Partition(const std::array<std::size_t, 3>& cells, int ranks);

  int ranks() const { return px_ * py_; }
  std::array<int, 2> process_grid() const { return {px_, py_}; }
  const std::array<std::size_t, 3>& cells() const { return cells_; }

  /// The cells `rank` owns: a rectangle in x and y, every z.
  IndexBox owned(int rank) const;
  /// owned(rank) plus one layer of cells towards every neighbouring rank (corners included):
  /// what a rank needs to assemble its rows of the 7-point stencil.
  IndexBox window(int rank) const;
  /// The rank owning column (i, j).
  int owner(std::size_t i, std::size_t j) const;
  /// Neighbouring ranks across the x−, x+, y−, y+ sides of owned(rank); −1 where none.
  std::array<int, 4> neighbours(int rank) const;

  /// Global row numbering, contiguous per rank: rank r's cells are rows
  /// [first_row(r), first_row(r) + owned(r).num_cells()), in owned(r)'s local order.
  std::size_t first_row(int rank) const;
  std::size_t row(std::size_t i, std::size_t j, std::size_t k) const;

 private:
  std::array<int, 2> coordinates(int rank) const { return {rank % px_, rank / px_}; }
  std::size_t cut(int axis, int part) const;  ///< first cell index of `part` along axis 0/1

  std::array<std::size_t, 3> cells_{};
  int px_ = 1;
  int py_ = 1;
};

/// The grid of the cells in `box` (its node coordinates are a slice of `grid`'s).
RectilinearGrid sub_grid(const RectilinearGrid& grid, const IndexBox& box);

}  // namespace cposim::mesh
