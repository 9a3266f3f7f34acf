#include "mesh/partition.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace cposim::mesh {

Partition::Partition(const std::array<std::size_t, 3>& cells, int ranks) : cells_(cells) {
  if (ranks < 1) throw std::invalid_argument("Partition: rank count must be at least 1");
  // Cut faces, in columns of cells: (px − 1) cuts across ny columns plus (py − 1) across nx.
  std::size_t best = std::numeric_limits<std::size_t>::max();
  for (int px = 1; px <= ranks; ++px) {
    if (ranks % px != 0) continue;
    const int py = ranks / px;
    if (static_cast<std::size_t>(px) > cells[0] || static_cast<std::size_t>(py) > cells[1])
      continue;
    const std::size_t cut_faces =
        static_cast<std::size_t>(px - 1) * cells[1] + static_cast<std::size_t>(py - 1) * cells[0];
    if (cut_faces < best) {
      best = cut_faces;
      px_ = px;
      py_ = py;
    }
  }
  if (best == std::numeric_limits<std::size_t>::max())
    throw std::invalid_argument("Partition: " + std::to_string(ranks) +
                                " ranks do not fit a grid of " + std::to_string(cells[0]) + " × " +
                                std::to_string(cells[1]) + " columns");
}

std::size_t Partition::cut(int axis, int part) const {
  const auto parts = static_cast<std::size_t>(axis == 0 ? px_ : py_);
  return static_cast<std::size_t>(part) * cells_[static_cast<std::size_t>(axis)] / parts;
}

IndexBox Partition::owned(int rank) const {
  if (rank < 0 || rank >= ranks()) throw std::out_of_range("Partition: rank out of range");
  const auto [rx, ry] = coordinates(rank);
  IndexBox box;
  box.first = {cut(0, rx), cut(1, ry), 0};
  box.count = {cut(0, rx + 1) - box.first[0], cut(1, ry + 1) - box.first[1], cells_[2]};
  return box;
}

IndexBox Partition::window(int rank) const {
  IndexBox box = owned(rank);
  for (std::size_t a = 0; a < 2; ++a) {
    const std::size_t lo = box.first[a] > 0 ? box.first[a] - 1 : 0;
    const std::size_t hi = std::min(box.first[a] + box.count[a] + 1, cells_[a]);
    box.first[a] = lo;
    box.count[a] = hi - lo;
  }
  return box;
}

int Partition::owner(std::size_t i, std::size_t j) const {
  if (i >= cells_[0] || j >= cells_[1]) throw std::out_of_range("Partition: column outside");
  // The part p with cut(p) ≤ i < cut(p + 1); cut(p) = floor(p n / parts) is monotone.
  auto part = [&](int axis, std::size_t index, int parts) {
    int p = static_cast<int>((index + 1) * static_cast<std::size_t>(parts) /
                             cells_[static_cast<std::size_t>(axis)]);
    if (p >= parts) p = parts - 1;
    while (p > 0 && cut(axis, p) > index) --p;
    while (p + 1 < parts && cut(axis, p + 1) <= index) ++p;
    return p;
  };
  return part(0, i, px_) + px_ * part(1, j, py_);
}

std::array<int, 4> Partition::neighbours(int rank) const {
  const auto [rx, ry] = coordinates(rank);
  return {rx > 0 ? rank - 1 : -1, rx + 1 < px_ ? rank + 1 : -1, ry > 0 ? rank - px_ : -1,
          ry + 1 < py_ ? rank + px_ : -1};
}

std::size_t Partition::first_row(int rank) const {
  if (rank < 0 || rank > ranks()) throw std::out_of_range("Partition: rank out of range");
  if (rank == ranks()) return cells_[0] * cells_[1] * cells_[2];
  // Ranks before `rank`: whole process rows of y below, then the x parts before it.
  const auto [rx, ry] = coordinates(rank);
  return (cut(1, ry) * cells_[0] + cut(0, rx) * (cut(1, ry + 1) - cut(1, ry))) * cells_[2];
}

std::size_t Partition::row(std::size_t i, std::size_t j, std::size_t k) const {
  const int rank = owner(i, j);
  return first_row(rank) + owned(rank).local(i, j, k);
}

RectilinearGrid sub_grid(const RectilinearGrid& grid, const IndexBox& box) {
  std::array<std::vector<double>, 3> nodes;
  for (int a = 0; a < 3; ++a) {
    const auto& all = grid.nodes(a);
    const auto first = static_cast<std::ptrdiff_t>(box.first[static_cast<std::size_t>(a)]);
    const auto count = static_cast<std::ptrdiff_t>(box.count[static_cast<std::size_t>(a)]);
    if (box.count[static_cast<std::size_t>(a)] == 0 ||
        box.first[static_cast<std::size_t>(a)] + box.count[static_cast<std::size_t>(a)] >=
            all.size())
      throw std::out_of_range("sub_grid: box outside the grid");
    nodes[static_cast<std::size_t>(a)].assign(all.begin() + first, all.begin() + first + count + 1);
  }
  return RectilinearGrid(std::move(nodes[0]), std::move(nodes[1]), std::move(nodes[2]));
}

}  // namespace cposim::mesh
