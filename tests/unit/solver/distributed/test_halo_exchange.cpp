/// \file
/// HaloExchange alone: every window cell ends up with its owner's value, across faces and
/// corners of the process grid, on any rank count; a second exchange reuses the buffers.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "mesh/partition.hpp"
#include "solver/distributed/halo_exchange.hpp"
#include "solver/linear/hypre_headers.hpp"

using namespace cposim;

namespace {

/// A value only cell (i, j, k) has, exact in double.
double tag(std::size_t i, std::size_t j, std::size_t k, double offset) {
  return offset + static_cast<double>(i) + 1e3 * static_cast<double>(j) +
         1e6 * static_cast<double>(k);
}

}  // namespace

TEST_CASE("halo exchange: every halo cell receives its owner's value, corners included") {
  int ranks = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &ranks);
  const mesh::Partition partition({23, 17, 5}, ranks);
  solver::HaloExchange halo(partition, MPI_Comm_c2f(MPI_COMM_WORLD));
  const int rank = halo.rank();
  const mesh::IndexBox window = partition.window(rank);
  const mesh::IndexBox owned = partition.owned(rank);
  std::vector<double> field(window.num_cells());
  for (double offset : {0.5, 7.25}) {  // twice: the second exchange reuses every buffer
    std::size_t halo_cells = 0;
    for (std::size_t k = 0; k < window.count[2]; ++k)
      for (std::size_t j = 0; j < window.count[1]; ++j)
        for (std::size_t i = 0; i < window.count[0]; ++i) {
          const std::size_t gi = window.first[0] + i, gj = window.first[1] + j, gk = k;
          const bool mine = owned.contains(gi, gj, gk);
          halo_cells += !mine;
          field[window.local(gi, gj, gk)] = mine ? tag(gi, gj, gk, offset) : std::nan("");
        }
    halo.exchange(field);
    std::size_t wrong = 0;
    for (std::size_t k = 0; k < window.count[2]; ++k)
      for (std::size_t j = 0; j < window.count[1]; ++j)
        for (std::size_t i = 0; i < window.count[0]; ++i) {
          const std::size_t gi = window.first[0] + i, gj = window.first[1] + j;
          wrong += field[window.local(gi, gj, k)] != tag(gi, gj, k, offset);  // exact copy
        }
    CHECK(wrong == 0);
    CHECK(window.num_cells() - owned.num_cells() == halo_cells);
    // Bytes sent: the owned cells in the neighbours' windows.
    std::size_t expected = 0;
    for (int r = 0; r < ranks; ++r) {
      if (r == rank) continue;
      const mesh::IndexBox w = partition.window(r);
      for (std::size_t j = owned.first[1]; j < owned.first[1] + owned.count[1]; ++j)
        for (std::size_t i = owned.first[0]; i < owned.first[0] + owned.count[0]; ++i)
          expected += w.contains(i, j, 0) ? 5 * sizeof(double) : 0;
    }
    CHECK(halo.bytes_sent() == expected);
  }
  if (ranks == 4) CHECK(halo.num_neighbours() == 3);  // 2 × 2: two faces and a corner
  if (ranks == 1) CHECK(halo.num_neighbours() == 0);
}

TEST_CASE("halo exchange: a field of the wrong size is refused") {
  int ranks = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &ranks);
  const mesh::Partition partition({9, 8, 3}, ranks);
  solver::HaloExchange halo(partition, MPI_Comm_c2f(MPI_COMM_WORLD));
  std::vector<double> field(3);
  CHECK_THROWS_AS(halo.exchange(field), std::invalid_argument);
}
