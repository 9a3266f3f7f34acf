/// \file
/// RankReduction: MPI_Allgather and an ordered sum; MPI_Allreduce for max and or.
#include "solver/distributed/rank_reduction.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "solver/linear/hypre_headers.hpp"

namespace cposim::solver {
namespace {

void check_mpi(int status, const char* what) {
  if (status != MPI_SUCCESS) throw std::runtime_error(std::string("rank reduction: ") + what);
}

}  // namespace

RankReduction::RankReduction(int comm) : comm_(comm) {
  const MPI_Comm c = MPI_Comm_f2c(comm_);
  check_mpi(MPI_Comm_rank(c, &rank_), "MPI_Comm_rank failed");
  check_mpi(MPI_Comm_size(c, &ranks_), "MPI_Comm_size failed");
  gathered_.resize(static_cast<std::size_t>(ranks_) * kMaxValues);
}

void RankReduction::sum(double* values, int count) {
  if (count < 0 || count > kMaxValues)
    throw std::invalid_argument("rank reduction: " + std::to_string(count) + " values, at most " +
                                std::to_string(kMaxValues));
  check_mpi(MPI_Allgather(values, count, MPI_DOUBLE, gathered_.data(), count, MPI_DOUBLE,
                          MPI_Comm_f2c(comm_)),
            "MPI_Allgather failed");
  for (int i = 0; i < count; ++i) {
    double s = 0.0;
    for (int r = 0; r < ranks_; ++r) s += gathered_[static_cast<std::size_t>(r * count + i)];
    values[i] = s;
  }
}

double RankReduction::max(double value) {
  // NaN compares false in MPI_MAX, so it travels as a flag beside the value.
  double in[2] = {std::isnan(value) ? -std::numeric_limits<double>::infinity() : value,
                  std::isnan(value) ? 1.0 : 0.0};
  double out[2] = {0.0, 0.0};
  check_mpi(MPI_Allreduce(in, out, 2, MPI_DOUBLE, MPI_MAX, MPI_Comm_f2c(comm_)),
            "MPI_Allreduce failed");
  return out[1] > 0.0 ? std::numeric_limits<double>::quiet_NaN() : out[0];
}

bool RankReduction::any(bool value) {
  int in = value ? 1 : 0, out = 0;
  check_mpi(MPI_Allreduce(&in, &out, 1, MPI_INT, MPI_LOR, MPI_Comm_f2c(comm_)),
            "MPI_Allreduce failed");
  return out != 0;
}

}  // namespace cposim::solver
