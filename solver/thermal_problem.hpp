#pragma once
/// \file
/// Everything the steady or transient solver needs, as plain data with lent pointers.

#include <array>
#include <cstddef>
#include <stdexcept>
#include <vector>

#include "materials/material.hpp"
#include "mesh/cell_labels.hpp"
#include "mesh/rectilinear_grid.hpp"
#include "solver/boundary.hpp"

namespace cposim::solver {

/// Zero-thickness contact resistances R'' [m²K/W] between pairs of regions. A face between a
/// cell of region a and one of region b gets R''(a, b) in series (physics.md §6 item 3).
class ContactTable {
 public:
  explicit ContactTable(std::size_t num_regions = 0)
      : n_(num_regions), R_m2K_per_W_(num_regions * num_regions, 0.0) {}
  /// Sets R'' for the unordered pair (a, b). Throws std::out_of_range for a bad id.
  void set(mesh::RegionId a, mesh::RegionId b, double R_m2K_per_W) {
    check(a);
    check(b);
    R_m2K_per_W_[index(a, b)] = R_m2K_per_W;
    R_m2K_per_W_[index(b, a)] = R_m2K_per_W;
  }
  /// R'' between regions a and b (0 when none was set, and always 0 for a == b).
  double get(mesh::RegionId a, mesh::RegionId b) const {
    return n_ == 0 ? 0.0 : R_m2K_per_W_[index(a, b)];
  }
  std::size_t num_regions() const { return n_; }
  bool empty() const {
    for (double r : R_m2K_per_W_)
      if (r != 0.0) return false;
    return true;
  }

 private:
  std::size_t index(mesh::RegionId a, mesh::RegionId b) const {
    return static_cast<std::size_t>(a) * n_ + static_cast<std::size_t>(b);
  }
  void check(mesh::RegionId a) const {
    if (a < 0 || static_cast<std::size_t>(a) >= n_)
      throw std::out_of_range("ContactTable: region id out of range");
  }
  std::size_t n_;
  std::vector<double> R_m2K_per_W_;
};

/// Heat sinks inside the domain (inter-tier coolant cavities, solver/cavity.hpp): cell c gives
/// G_W_per_K[c] (T_c − T_K[c]) to a fluid at T_K[c]. G enters the diagonal (the matrix stays
/// symmetric), G T the right-hand side. Both vectors have one entry per cell (G ≥ 0).
struct CellSinks {
  std::vector<double> G_W_per_K;
  std::vector<double> T_K;
  bool empty() const { return G_W_per_K.empty(); }
};

/// The thermal problem on a grid. All pointers are lent, not owned, and must outlive the
/// problem. Sizes: region_of_cell and cell_power_W have one entry per cell; region_material
/// has one entry per region id that appears.
struct ThermalProblem {
  const mesh::RectilinearGrid* grid = nullptr;
  const std::vector<mesh::RegionId>* region_of_cell = nullptr;
  const std::vector<materials::Material>* region_material = nullptr;
  const std::vector<double>* cell_power_W = nullptr;  ///< heat generated in each cell [W]
  std::array<FaceBoundary, 6> boundaries{};           ///< indexed by DomainFace
  const ContactTable* contacts = nullptr;             ///< may be null: no contact resistance
  const CellSinks* cell_sinks = nullptr;              ///< may be null: no internal sinks

  /// Throws std::invalid_argument if a pointer is null or a size does not match.
  void validate() const;
  /// True if some face is convective (with h > 0 somewhere) or fixed, or some cell sink has
  /// G > 0: without one, no steady state exists.
  bool has_heat_sink() const;
  /// True if any material has a temperature-dependent conductivity.
  bool is_nonlinear() const;
};

}  // namespace cposim::solver
