#pragma once
/// \file
/// The MPI ranks of a distributed run (`mpirun -np N cposim run`, issue 20) and the few
/// collectives the run layer needs, without mpi.h in the header: the communicator travels as
/// its Fortran handle (MPI_Comm_c2f). In builds without MPI (CPOSIM_WITH_HYPRE off) there is
/// one rank and every collective is the identity.

#include <string>
#include <vector>

namespace cposim::cases {

/// One rank's view of its communicator. Every collective must be called by every rank of the
/// communicator in the same order with the same sizes.
struct Ranks {
  int rank = 0;
  int size = 1;
  int ranks_on_node = 1;  ///< ranks of this communicator sharing this machine
  int comm_f = 0;         ///< MPI_Comm_c2f of the communicator (MPI_COMM_WORLD)

  bool root() const { return rank == 0; }
  /// Replaces each entry by its sum, maximum or minimum over the ranks.
  void sum(std::vector<double>& values) const;
  void max(std::vector<double>& values) const;
  void min(std::vector<double>& values) const;
  /// True on every rank if `mine` is true on every rank.
  bool all(bool mine) const;
  /// Every rank's `mine` (any length each), concatenated in rank order, on every rank.
  std::vector<double> gather(const std::vector<double>& mine) const;
  /// Rank `from`'s `text` on every rank.
  std::string broadcast(const std::string& text, int from = 0) const;
  void barrier() const;
};

/// The rank count the launcher (Open MPI's mpirun or a PMIx launcher such as Slurm's srun)
/// started this process with, from its environment; 1 when started on its own.
int launched_ranks();

/// Starts MPI (and hypre, solver/linear/hypre_runtime.hpp) and describes MPI_COMM_WORLD.
/// Throws std::runtime_error if this build has no MPI or MPI cannot start.
Ranks start_ranks();

}  // namespace cposim::cases
