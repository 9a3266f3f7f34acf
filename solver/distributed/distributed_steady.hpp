#pragma once
/// \file
/// The steady solve of one problem across MPI ranks: every rank holds its window of the
/// problem (mesh/partition.hpp), assembles its rows, and hypre PCG + BoomerAMG solves the
/// global system over the ranks. No rank holds the global matrix or a global field.

#include <cstddef>
#include <vector>

#include "mesh/partition.hpp"
#include "solver/distributed/halo_exchange.hpp"
#include "solver/distributed/parcsr_system.hpp"
#include "solver/distributed/rank_reduction.hpp"
#include "solver/steady.hpp"

namespace cposim::solver {

/// SteadySolver's distributed counterpart, for one rank of a partition.
///
/// The window problem: a ThermalProblem on sub_grid(global, partition.window(rank)), with
/// regions, materials, cell power, contacts, cell sinks and every per-face-cell map sized for
/// the window, and the six FaceBoundary entries of the global domain. Window sides that are
/// partition sides carry these conditions on halo cells only, whose rows are discarded.
///
/// Same SteadyOptions (linear.relative_tolerance, max_iterations, cancel; picard_tolerance_K,
/// max_picard_iterations, runaway_T_K, on_phase, on_solve_start, stop_after_hook) and the same
/// SolveReport, identical on every rank: reductions add in rank order (RankReduction),
/// timings are the slowest rank's. The linear solver is always amg_cg's PCG + BoomerAMG
/// (linear.kind, make_solver and inexact_picard are ignored: every Picard step is solved to
/// the full tolerance with a new set-up when the matrix changed). Collective: every rank calls
/// every member together. Never prints, never exits.
class DistributedSteadySolver {
 public:
  /// `partition` (copied) over the ranks of `comm` (a Fortran MPI communicator handle,
  /// MPI_Comm_c2f); `window_grid` (lent, must outlive this) is sub_grid(global,
  /// partition.window(rank)). Throws std::invalid_argument for a mismatch or bad options.
  DistributedSteadySolver(const mesh::Partition& partition, int comm,
                          const mesh::RectilinearGrid& window_grid, SteadyOptions options);
  ~DistributedSteadySolver();
  DistributedSteadySolver(const DistributedSteadySolver&) = delete;
  DistributedSteadySolver& operator=(const DistributedSteadySolver&) = delete;

  /// Solves the global problem whose window `window_problem` is. T_window_K: in, initial
  /// guess on the window (or empty: the global reference temperature); out, the last iterate
  /// on the window, halo cells included (exchanged). `hook` (may be empty) is called on every
  /// rank after every iterate with the window field; its note should agree on all ranks.
  /// Throws std::invalid_argument for a malformed problem (on every rank alike).
  SolveReport solve(const ThermalProblem& window_problem, std::vector<double>& T_window_K,
                    const IterateHook& hook = {});

  /// This rank's owned cells in window coordinates.
  const mesh::IndexBox& owned_in_window() const { return system_.owned_in_window(); }
  const HaloExchange& halo() const { return halo_; }
  const ParCsrSystem& system() const { return system_; }
  ParCsrSystem& system() { return system_; }

 private:
  /// ResidualNorms of the assembled system at theta_ (halo current), summed over the ranks.
  ResidualNorms global_norms();

  SteadyOptions options_;
  const mesh::RectilinearGrid* window_grid_;
  HaloExchange halo_;
  RankReduction reduce_;
  ParCsrSystem system_;
  std::vector<double> theta_;  ///< θ = T − T_shift on the window, reused storage
};

}  // namespace cposim::solver
