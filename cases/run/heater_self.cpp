#include "cases/run/heater_self.hpp"

#include <Eigen/SparseLU>
#include <algorithm>
#include <array>
#include <stdexcept>

#include "solver/linear_system.hpp"

namespace cposim::cases {
namespace {

/// Index range [first, last] of the cells along `axis` that overlap [lo, hi), widened by the
/// near field and capped (the heater's own cells always stay).
std::array<std::size_t, 2> patch_range(const mesh::RectilinearGrid& grid, int axis, double lo,
                                       double hi) {
  const auto& nodes = grid.nodes(axis);
  const std::size_t n = nodes.size() - 1;
  auto first_of = [&](double a) {
    const auto it = std::upper_bound(nodes.begin(), nodes.end(), a);
    const std::size_t i =
        it == nodes.begin() ? 0 : static_cast<std::size_t>(it - nodes.begin()) - 1;
    return std::min(i, n - 1);
  };
  auto last_of = [&](double b) {
    const auto it = std::lower_bound(nodes.begin(), nodes.end(), b);
    const std::size_t i =
        it == nodes.begin() ? 0 : static_cast<std::size_t>(it - nodes.begin()) - 1;
    return std::min(i, n - 1);
  };
  const std::size_t own_first = first_of(lo), own_last = std::max(own_first, last_of(hi));
  std::size_t first = first_of(lo - kHeaterNearField_m);
  std::size_t last = std::max(first, last_of(hi + kHeaterNearField_m));
  // Cap: shed cells alternately from the side with more, never the heater's own.
  while (last - first + 1 > kHeaterPatchMaxCells && (first < own_first || last > own_last)) {
    if (own_first - first >= last - own_last && first < own_first)
      ++first;
    else
      --last;
  }
  return {first, last};
}

double self_response(const solver::SparseMatrix& A, const mesh::RectilinearGrid& grid,
                     const mesh::Box& box, const std::vector<postproc::CellOverlap>& heater,
                     const std::vector<postproc::CellOverlap>& footprint) {
  if (heater.empty() || footprint.empty())
    throw std::invalid_argument("heater self-response: empty heater or footprint");
  std::array<std::array<std::size_t, 2>, 3> range;
  for (int a = 0; a < 3; ++a) range[a] = patch_range(grid, a, box.lo_m[a], box.hi_m[a]);
  std::array<std::size_t, 3> size;
  for (int a = 0; a < 3; ++a) size[a] = range[a][1] - range[a][0] + 1;
  const std::size_t m = size[0] * size[1] * size[2];
  auto local = [&](mesh::CellIndex c) -> long {
    const auto ijk = grid.ijk(c);
    for (int a = 0; a < 3; ++a)
      if (ijk[a] < range[a][0] || ijk[a] > range[a][1]) return -1;
    return static_cast<long>((ijk[0] - range[0][0]) +
                             size[0] * ((ijk[1] - range[1][0]) + size[1] * (ijk[2] - range[2][0])));
  };
  // Patch rows and columns; the couplings to cells outside drop out (those cells held fixed).
  std::vector<Eigen::Triplet<double, int>> entries;
  entries.reserve(7 * m);
  for (std::size_t k = range[2][0]; k <= range[2][1]; ++k)
    for (std::size_t j = range[1][0]; j <= range[1][1]; ++j)
      for (std::size_t i = range[0][0]; i <= range[0][1]; ++i) {
        const auto c = grid.cell(i, j, k);
        const long row = local(c);
        for (solver::SparseMatrix::InnerIterator it(A, static_cast<Eigen::Index>(c)); it; ++it) {
          const long col = local(static_cast<mesh::CellIndex>(it.col()));
          if (col >= 0)
            entries.emplace_back(static_cast<int>(row), static_cast<int>(col), it.value());
        }
      }
  Eigen::SparseMatrix<double, Eigen::ColMajor, int> P(static_cast<int>(m), static_cast<int>(m));
  P.setFromTriplets(entries.begin(), entries.end());
  Eigen::VectorXd b = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(m));
  double heater_volume = 0.0;
  for (const auto& o : heater) heater_volume += o.volume_m3;
  for (const auto& o : heater) {
    const long r = local(o.cell);
    if (r >= 0) b[r] += o.volume_m3 / heater_volume;
  }
  Eigen::SparseLU<Eigen::SparseMatrix<double, Eigen::ColMajor, int>> lu;
  lu.compute(P);
  if (lu.info() != Eigen::Success)
    throw std::invalid_argument("heater self-response: singular near patch");
  const Eigen::VectorXd x = lu.solve(b);
  double sum = 0.0, volume = 0.0;
  for (const auto& o : footprint) {
    const long r = local(o.cell);
    sum += o.volume_m3 * (r >= 0 ? x[r] : 0.0);
    volume += o.volume_m3;
  }
  return sum / volume;
}

}  // namespace

std::vector<double> heater_self_responses_K_per_W(
    const solver::ThermalProblem& problem, const std::vector<double>& T_K,
    const std::vector<mesh::Box>& heater_boxes,
    const std::vector<std::vector<postproc::CellOverlap>>& heaters,
    const std::vector<std::vector<postproc::CellOverlap>>& footprints) {
  if (heaters.size() != footprints.size() || heaters.size() != heater_boxes.size())
    throw std::invalid_argument("heater self-response: mismatched ring counts");
  std::vector<double> out(heaters.size(), 0.0);
  if (heaters.empty()) return out;
  solver::LinearSystem system(*problem.grid);
  system.assemble(problem, T_K, 0.0);
  for (std::size_t i = 0; i < heaters.size(); ++i)
    out[i] =
        self_response(system.matrix(), *problem.grid, heater_boxes[i], heaters[i], footprints[i]);
  return out;
}

}  // namespace cposim::cases
