/// \file
/// RectilinearGrid: construction checks and point location.
#include "mesh/rectilinear_grid.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace cposim::mesh {

RectilinearGrid::RectilinearGrid(std::vector<double> x_nodes_m, std::vector<double> y_nodes_m,
                                 std::vector<double> z_nodes_m)
    : nodes_m_{std::move(x_nodes_m), std::move(y_nodes_m), std::move(z_nodes_m)} {
  for (int a = 0; a < 3; ++a) {
    const auto& nodes = nodes_m_[a];
    if (nodes.size() < 2)
      throw std::invalid_argument("RectilinearGrid: axis " + std::to_string(a) +
                                  " needs at least 2 nodes");
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      if (!std::isfinite(nodes[i]))
        throw std::invalid_argument("RectilinearGrid: axis " + std::to_string(a) + " node " +
                                    std::to_string(i) + " is not finite");
      if (i > 0 && !(nodes[i] > nodes[i - 1]))
        throw std::invalid_argument("RectilinearGrid: axis " + std::to_string(a) +
                                    " nodes must increase strictly; node " + std::to_string(i));
    }
    n_[a] = nodes.size() - 1;
  }
}

std::size_t RectilinearGrid::locate(int axis, double x_m) const {
  const auto& nodes = nodes_m_[axis];
  if (!(x_m >= nodes.front() && x_m <= nodes.back()))
    throw std::out_of_range("RectilinearGrid::locate: coordinate outside the grid");
  const auto it = std::upper_bound(nodes.begin(), nodes.end(), x_m);
  const auto index = static_cast<std::size_t>(it - nodes.begin());
  return std::min(index == 0 ? 0 : index - 1, n_[axis] - 1);
}

double RectilinearGrid::max_neighbour_ratio(int axis) const {
  double worst = 1.0;
  for (std::size_t i = 1; i < n_[axis]; ++i) {
    const double a = width(axis, i - 1), b = width(axis, i);
    worst = std::max(worst, std::max(a / b, b / a));
  }
  return worst;
}

}  // namespace cposim::mesh
