#pragma once
/// \file
/// Reductions over the ranks of a communicator whose results are bitwise identical on every
/// rank, so that every rank of a distributed solve takes the same decisions and reports the
/// same numbers.

#include <cstddef>
#include <vector>

namespace cposim::solver {

/// Sums, maxima and logical ors over the ranks of one communicator. Collective: every rank
/// calls the same reductions in the same order. The scratch is allocated at construction.
class RankReduction {
 public:
  /// At most this many values per sum().
  static constexpr int kMaxValues = 16;

  /// `comm`: a Fortran MPI communicator handle (MPI_Comm_c2f).
  explicit RankReduction(int comm);

  int rank() const { return rank_; }
  int ranks() const { return ranks_; }

  /// values[i] ← Σ over ranks of values[i], added in rank order (MPI_Allgather, then one
  /// order on every rank): identical bits everywhere and for every run on this rank count,
  /// unlike an MPI_Allreduce whose order may differ between ranks. count ≤ kMaxValues.
  /// Throws std::invalid_argument for a bad count, std::runtime_error if MPI fails.
  void sum(double* values, int count);
  /// The largest value over the ranks (exact: max does not round). NaN is propagated.
  double max(double value);
  /// Whether `value` is true on some rank.
  bool any(bool value);

 private:
  int comm_ = 0;
  int rank_ = 0;
  int ranks_ = 1;
  std::vector<double> gathered_;
};

}  // namespace cposim::solver
