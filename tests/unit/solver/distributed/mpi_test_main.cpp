/// \file
/// The doctest main of the MPI tests (started by mpirun): MPI and hypre start before the
/// tests (ensure_hypre_runtime, stopped at exit); a test failing on any rank fails every rank.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include "solver/linear/hypre_headers.hpp"
#include "solver/linear/hypre_runtime.hpp"

int main(int argc, char** argv) {
  cposim::solver::ensure_hypre_runtime();
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  doctest::Context context(argc, argv);
  if (rank != 0) context.setOption("minimal", true);  // one full report, from rank 0
  const int failed = context.run() != 0 ? 1 : 0;
  int any_failed = 0;
  MPI_Allreduce(&failed, &any_failed, 1, MPI_INT, MPI_LOR, MPI_COMM_WORLD);
  return any_failed;
}
