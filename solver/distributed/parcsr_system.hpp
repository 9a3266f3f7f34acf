#pragma once
/// \file
/// One rank's rows of the global finite-volume system in a hypre ParCSR matrix, solved by
/// hypre PCG + BoomerAMG across the ranks (the settings amg_cg uses, hypre_pcg.hpp).

#include <array>
#include <cstddef>
#include <memory>
#include <vector>

#include "mesh/partition.hpp"
#include "solver/linear/linear_solver.hpp"
#include "solver/linear_system.hpp"
#include "solver/thermal_problem.hpp"

namespace cposim::solver {

/// The window system of one rank (LinearSystem on its window grid, the one assembly code),
/// whose owned rows, with columns mapped to the global rows of the partition, are this rank's
/// rows [first_row(rank), first_row(rank + 1)) of a hypre IJ/ParCSR matrix. A re-assembly
/// rewrites the values in place (pattern and hypre objects are kept). Collective: every rank
/// of the communicator calls assemble, setup and solve together.
class ParCsrSystem {
 public:
  /// `window_grid` (lent, must outlive this) is sub_grid(global, partition.window(rank)),
  /// `comm` a Fortran MPI communicator handle of partition.ranks() ranks; `options` sets the
  /// PCG tolerance and iteration limit (kind ignored). Throws std::invalid_argument for a
  /// window grid of the wrong size or bad options, std::runtime_error if hypre fails.
  ParCsrSystem(const mesh::Partition& partition, int comm, const mesh::RectilinearGrid& window_grid,
               const LinearSolverOptions& options);
  ~ParCsrSystem();
  ParCsrSystem(const ParCsrSystem&) = delete;
  ParCsrSystem& operator=(const ParCsrSystem&) = delete;

  /// Assembles the window system of `window_problem` at `T_window_K` (halo cells current) for
  /// θ = T − T_shift_K and loads the owned rows into hypre. Returns whether this rank's values
  /// differ from the last set-up's (the caller decides the set-up over all ranks).
  bool assemble(const ThermalProblem& window_problem, const std::vector<double>& T_window_K,
                double T_shift_K);
  /// Builds the BoomerAMG hierarchy of the loaded matrix (collective). Returns wall seconds.
  double setup();

  /// PCG iterations and hypre's verdict of one solve.
  struct Solve {
    int iterations = 0;
    bool hypre_converged = false;
  };
  /// Solves the loaded system from θ at the owned cells of `theta_window` and writes the
  /// result there (halo cells are left alone: exchange them afterwards). Needs setup().
  Solve solve(std::vector<double>& theta_window);

  /// This rank's parts of ‖b‖₂², ‖b − A θ‖₂² and ‖|b| + |A||θ|‖₂² over its owned rows at
  /// `theta_window` (halo cells current): sum them over the ranks for ResidualNorms.
  std::array<double, 3> residual_squares(const std::vector<double>& theta_window) const;

  /// The owned cells in the window's own index box (window coordinates).
  const mesh::IndexBox& owned_in_window() const { return owned_; }
  /// Window index of every owned cell, in global-row order.
  const std::vector<std::size_t>& owned_cells() const { return owned_cells_; }
  std::size_t owned_nonzeros() const { return values_.size(); }
  /// The loaded matrix's diagonal-block and off-diagonal-block entries of this rank (the
  /// latter couple it to other ranks).
  std::array<std::size_t, 2> block_nonzeros() const;

  /// One level of the BoomerAMG hierarchy: global rows and nonzeros.
  struct Level {
    double rows = 0.0, nonzeros = 0.0;
  };
  /// The levels of the last setup(), finest first (collective: every rank calls it). For the
  /// benchmarks' coarse-grid cost. Throws std::logic_error before setup().
  std::vector<Level> hierarchy();

 private:
  struct Hypre;  ///< hypre handles; keeps hypre's headers out of this one

  void load_matrix();

  LinearSolverOptions options_;
  LinearSystem system_;
  mesh::IndexBox owned_;
  std::vector<std::size_t> owned_cells_;
  std::vector<double> values_;         ///< owned entries, as loaded into hypre
  std::vector<double> set_up_values_;  ///< values_ at the last setup()
  std::vector<double> rhs_;            ///< owned right-hand side
  std::vector<double> x_;              ///< owned unknowns, the solve's work vector
  std::unique_ptr<Hypre> hypre_;
};

}  // namespace cposim::solver
