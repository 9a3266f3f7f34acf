#pragma once
/// \file
/// Non-uniform rectilinear (tensor-product) grid: the only mesh the solver knows.
/// All lengths are SI metres.

#include <array>
#include <cstddef>
#include <vector>

namespace cposim::mesh {

/// Index of a cell in the flattened ordering (x fastest, then y, then z).
using CellIndex = std::size_t;

/// A tensor-product grid defined by its node coordinates along x, y and z.
///
/// Invariants (checked by the constructor, which throws std::invalid_argument):
///  - each axis has at least 2 nodes, so at least one cell;
///  - node coordinates are finite and strictly increasing.
class RectilinearGrid {
 public:
  RectilinearGrid(std::vector<double> x_nodes_m, std::vector<double> y_nodes_m,
                  std::vector<double> z_nodes_m);

  std::size_t num_cells() const { return n_[0] * n_[1] * n_[2]; }
  /// Cells along x, y, z.
  std::array<std::size_t, 3> cells_per_axis() const { return n_; }
  CellIndex cell(std::size_t i, std::size_t j, std::size_t k) const {
    return i + n_[0] * (j + n_[1] * k);
  }
  /// Inverse of cell(): {i, j, k}.
  std::array<std::size_t, 3> ijk(CellIndex c) const {
    return {c % n_[0], (c / n_[0]) % n_[1], c / (n_[0] * n_[1])};
  }
  /// Node coordinates along `axis` (0 = x, 1 = y, 2 = z), metres.
  const std::vector<double>& nodes(int axis) const { return nodes_m_[axis]; }
  /// Cell width along `axis`, metres.
  double width(int axis, std::size_t index) const {
    return nodes_m_[axis][index + 1] - nodes_m_[axis][index];
  }
  /// Cell-centre coordinate along `axis`, metres.
  double centre(int axis, std::size_t index) const {
    return 0.5 * (nodes_m_[axis][index] + nodes_m_[axis][index + 1]);
  }
  /// Cell volume in m³.
  double volume_m3(std::size_t i, std::size_t j, std::size_t k) const {
    return width(0, i) * width(1, j) * width(2, k);
  }
  /// Index of the cell along `axis` that contains coordinate x_m (half-open cells; the last
  /// node belongs to the last cell). Throws std::out_of_range if x_m is outside the grid.
  std::size_t locate(int axis, double x_m) const;
  /// Largest ratio of neighbouring cell widths along `axis` (≥ 1).
  double max_neighbour_ratio(int axis) const;

 private:
  std::array<std::vector<double>, 3> nodes_m_;
  std::array<std::size_t, 3> n_{};
};

}  // namespace cposim::mesh
