#pragma once
/// \file
/// The halo exchange of a window field: every rank's halo cells (window(rank) minus
/// owned(rank), mesh/partition.hpp) receive the values their owners hold, across faces and
/// corners of the process grid.

#include <cstddef>
#include <memory>
#include <vector>

#include "mesh/partition.hpp"

namespace cposim::solver {

/// Exchanges halo values of fields laid out on one rank's window grid (window(rank)'s local
/// order, x fastest). Built once per partition: the lists of cells to send and receive and
/// their buffers are allocated here, so exchange() allocates nothing. Non-blocking sends and
/// receives; a collective call (every rank of `comm` calls it together).
class HaloExchange {
 public:
  /// `partition` (copied) over the ranks of `comm` (a Fortran MPI communicator handle,
  /// MPI_Comm_c2f; its size must equal partition.ranks()). Throws std::invalid_argument on a
  /// size mismatch.
  HaloExchange(const mesh::Partition& partition, int comm);
  ~HaloExchange();
  HaloExchange(const HaloExchange&) = delete;
  HaloExchange& operator=(const HaloExchange&) = delete;

  /// Overwrites the halo cells of `window_field` (window(rank).num_cells() values) with the
  /// owners' values of those cells. Throws std::invalid_argument on a wrong size and
  /// std::runtime_error if MPI fails.
  void exchange(std::vector<double>& window_field);

  int rank() const { return rank_; }
  /// Bytes this rank sends per exchange (its owned cells in the neighbours' windows).
  std::size_t bytes_sent() const;
  /// Neighbouring ranks this rank exchanges with (faces and corners of the process grid).
  std::size_t num_neighbours() const;

 private:
  struct Mpi;  ///< the communicator and requests; keeps mpi.h out of this header

  /// One neighbour: window indices sent to it (from owned cells) or received from it (into
  /// halo cells), in one order on both sides, and the buffer.
  struct Link {
    int rank = -1;
    std::vector<std::size_t> cells;
    std::vector<double> buffer;
  };

  int rank_ = 0;
  std::size_t window_cells_ = 0;
  std::vector<Link> sends_;
  std::vector<Link> receives_;
  std::unique_ptr<Mpi> mpi_;
};

}  // namespace cposim::solver
