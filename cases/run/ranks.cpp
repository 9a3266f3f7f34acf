/// \file
/// MPI collectives of the run layer (ranks.hpp).
#include "cases/run/ranks.hpp"

#include <cstdlib>
#include <stdexcept>

#ifdef CPOSIM_WITH_HYPRE
#include <mpi.h>

#include "solver/linear/hypre_runtime.hpp"
#endif

namespace cposim::cases {

int launched_ranks() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_SIZE", "PMI_SIZE"})
    if (const char* value = std::getenv(name)) {
      const int n = std::atoi(value);
      if (n > 0) return n;
    }
  return 1;
}

#ifdef CPOSIM_WITH_HYPRE

namespace {

MPI_Comm comm(const Ranks& r) { return MPI_Comm_f2c(r.comm_f); }

void reduce(const Ranks& r, std::vector<double>& values, MPI_Op op) {
  if (r.size == 1 || values.empty()) return;
  MPI_Allreduce(MPI_IN_PLACE, values.data(), static_cast<int>(values.size()), MPI_DOUBLE, op,
                comm(r));
}

}  // namespace

void Ranks::sum(std::vector<double>& values) const { reduce(*this, values, MPI_SUM); }
void Ranks::max(std::vector<double>& values) const { reduce(*this, values, MPI_MAX); }
void Ranks::min(std::vector<double>& values) const { reduce(*this, values, MPI_MIN); }

bool Ranks::all(bool mine) const {
  if (size == 1) return mine;
  int value = mine ? 1 : 0;
  MPI_Allreduce(MPI_IN_PLACE, &value, 1, MPI_INT, MPI_LAND, comm(*this));
  return value != 0;
}

std::vector<double> Ranks::gather(const std::vector<double>& mine) const {
  if (size == 1) return mine;
  std::vector<int> counts(static_cast<std::size_t>(size)), offsets(counts.size(), 0);
  const int count = static_cast<int>(mine.size());
  MPI_Allgather(&count, 1, MPI_INT, counts.data(), 1, MPI_INT, comm(*this));
  for (std::size_t r = 1; r < counts.size(); ++r) offsets[r] = offsets[r - 1] + counts[r - 1];
  std::vector<double> all(static_cast<std::size_t>(offsets.back() + counts.back()));
  MPI_Allgatherv(mine.data(), count, MPI_DOUBLE, all.data(), counts.data(), offsets.data(),
                 MPI_DOUBLE, comm(*this));
  return all;
}

std::string Ranks::broadcast(const std::string& text, int from) const {
  if (size == 1) return text;
  unsigned long long length = text.size();
  MPI_Bcast(&length, 1, MPI_UNSIGNED_LONG_LONG, from, comm(*this));
  std::string out = rank == from ? text : std::string(length, '\0');
  MPI_Bcast(out.data(), static_cast<int>(length), MPI_CHAR, from, comm(*this));
  return out;
}

void Ranks::barrier() const {
  if (size > 1) MPI_Barrier(comm(*this));
}

Ranks start_ranks() {
  solver::ensure_hypre_runtime();  // MPI_Init_thread (FUNNELED) unless running, then hypre
  Ranks r;
  MPI_Comm_rank(MPI_COMM_WORLD, &r.rank);
  MPI_Comm_size(MPI_COMM_WORLD, &r.size);
  r.comm_f = static_cast<int>(MPI_Comm_c2f(MPI_COMM_WORLD));
  MPI_Comm node;
  MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, r.rank, MPI_INFO_NULL, &node);
  MPI_Comm_size(node, &r.ranks_on_node);
  MPI_Comm_free(&node);
  return r;
}

#else  // one rank: every collective is the identity

void Ranks::sum(std::vector<double>&) const {}
void Ranks::max(std::vector<double>&) const {}
void Ranks::min(std::vector<double>&) const {}
bool Ranks::all(bool mine) const { return mine; }
std::vector<double> Ranks::gather(const std::vector<double>& mine) const { return mine; }
std::string Ranks::broadcast(const std::string& text, int) const { return text; }
void Ranks::barrier() const {}
Ranks start_ranks() { throw std::runtime_error("this cposim was built without MPI"); }

#endif

}  // namespace cposim::cases
