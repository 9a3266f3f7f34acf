/// \file
/// Agreement between ranks and the z-plane gather (postproc/io/field_block.hpp). MPI only in
/// a build with parallel HDF5 (CPOSIM_WITH_PARALLEL_HDF5); otherwise every call throws.
#include "postproc/io/field_block.hpp"

#include <algorithm>
#include <stdexcept>
#include <type_traits>

#ifdef CPOSIM_WITH_PARALLEL_HDF5
#include <mpi.h>
#endif

namespace cposim::postproc {

Hdf5Slab hdf5_slab(const std::array<std::size_t, 3>& cells_per_axis, const FieldBlock* block) {
  const auto& n = cells_per_axis;
  if (block == nullptr) return {{n[2], n[1], n[0]}, {0, 0, 0}, {n[2], n[1], n[0]}};
  const auto& f = block->first;
  const auto& c = block->count;
  return {{n[2], n[1], n[0]}, {f[2], f[1], f[0]}, {c[2], c[1], c[0]}};
}

void check_block(const std::array<std::size_t, 3>& cells_per_axis, const FieldBlock& block,
                 const std::string& who) {
  const auto& n = cells_per_axis;
  bool inside = block.first[2] == 0 && block.count[2] == n[2];
  for (int a = 0; a < 3; ++a) inside = inside && block.first[a] + block.count[a] <= n[a];
  if (!inside)
    throw std::invalid_argument(
        who + ": the block of cells [" + std::to_string(block.first[0]) + ", " +
        std::to_string(block.first[1]) + ", " + std::to_string(block.first[2]) + "] + [" +
        std::to_string(block.count[0]) + ", " + std::to_string(block.count[1]) + ", " +
        std::to_string(block.count[2]) + "] is not whole z columns of the " + std::to_string(n[0]) +
        "x" + std::to_string(n[1]) + "x" + std::to_string(n[2]) + " grid");
}

#ifdef CPOSIM_WITH_PARALLEL_HDF5

namespace {

MPI_Comm comm_of(int mpi_comm_f) { return MPI_Comm_f2c(mpi_comm_f); }

template <typename T>
MPI_Datatype mpi_type() {
  if constexpr (std::is_same_v<T, double>) return MPI_DOUBLE;
  if constexpr (std::is_same_v<T, std::int32_t>) return MPI_INT32_T;
}

}  // namespace

bool parallel_output_available() { return true; }

int rank_in(int mpi_comm_f) {
  int rank = 0;
  MPI_Comm_rank(comm_of(mpi_comm_f), &rank);
  return rank;
}

int ranks_in(int mpi_comm_f) {
  int size = 0;
  MPI_Comm_size(comm_of(mpi_comm_f), &size);
  return size;
}

std::string broadcast_text(int mpi_comm_f, const std::string& text, int root) {
  const MPI_Comm comm = comm_of(mpi_comm_f);
  unsigned long long size = text.size();
  MPI_Bcast(&size, 1, MPI_UNSIGNED_LONG_LONG, root, comm);
  std::string out = rank_in(mpi_comm_f) == root ? text : std::string(size, '\0');
  MPI_Bcast(out.data(), static_cast<int>(size), MPI_CHAR, root, comm);
  return out;
}

void run_agreed(int mpi_comm_f, const std::function<void()>& step) {
  enum Kind : int { kNone = 0, kInvalid = 1, kRuntime = 2 };
  int kind = kNone;
  std::string message;
  try {
    step();
  } catch (const std::invalid_argument& e) {
    kind = kInvalid;
    message = e.what();
  } catch (const std::exception& e) {
    kind = kRuntime;
    message = e.what();
  }
  const MPI_Comm comm = comm_of(mpi_comm_f);
  const int ranks = ranks_in(mpi_comm_f);
  const int mine = kind == kNone ? ranks : rank_in(mpi_comm_f);
  int first_failed = ranks;
  MPI_Allreduce(&mine, &first_failed, 1, MPI_INT, MPI_MIN, comm);
  if (first_failed == ranks) return;
  MPI_Bcast(&kind, 1, MPI_INT, first_failed, comm);
  message = broadcast_text(mpi_comm_f, message, first_failed) + " (rank " +
            std::to_string(first_failed) + ")";
  if (kind == kInvalid) throw std::invalid_argument(message);
  throw std::runtime_error(message);
}

template <typename T>
PlaneGather<T>::PlaneGather(const FieldBlock& block, std::size_t nx, std::size_t ny)
    : block_(block), nx_(nx), ny_(ny) {
  const MPI_Comm comm = comm_of(block.mpi_comm_f);
  const int ranks = ranks_in(block.mpi_comm_f);
  const bool root = rank_in(block.mpi_comm_f) == 0;
  const std::array<unsigned long long, 4> mine{block.first[0], block.count[0], block.first[1],
                                               block.count[1]};
  std::vector<unsigned long long> all(root ? 4 * static_cast<std::size_t>(ranks) : 0);
  MPI_Gather(mine.data(), 4, MPI_UNSIGNED_LONG_LONG, all.data(), 4, MPI_UNSIGNED_LONG_LONG, 0,
             comm);
  if (!root) return;
  int offset = 0;
  for (int r = 0; r < ranks; ++r) {
    const auto* a = &all[4 * static_cast<std::size_t>(r)];
    rects_.push_back({a[0], a[1], a[2], a[3]});
    counts_.push_back(static_cast<int>(a[1] * a[3]));
    displacements_.push_back(offset);
    offset += counts_.back();
  }
  received_.resize(static_cast<std::size_t>(offset));
}

template <typename T>
void PlaneGather<T>::gather(const std::vector<T>& block_values, std::size_t k,
                            std::vector<T>& plane) {
  const std::size_t in_plane = block_.count[0] * block_.count[1];
  const T* mine = block_values.data() + k * in_plane;
  MPI_Gatherv(mine, static_cast<int>(in_plane), mpi_type<T>(), received_.data(), counts_.data(),
              displacements_.data(), mpi_type<T>(), 0, comm_of(block_.mpi_comm_f));
  if (rects_.empty()) return;  // not rank 0
  plane.resize(nx_ * ny_);
  for (std::size_t r = 0; r < rects_.size(); ++r) {
    const auto [x0, cx, y0, cy] = rects_[r];
    const T* from = received_.data() + displacements_[r];
    for (std::size_t j = 0; j < cy; ++j)
      std::copy(from + j * cx, from + (j + 1) * cx, plane.begin() + (y0 + j) * nx_ + x0);
  }
}

#else  // without parallel HDF5

namespace {
[[noreturn]] void unavailable() {
  throw std::runtime_error(
      "writing from MPI ranks needs a build with parallel HDF5 (libhdf5-openmpi-dev)");
}
}  // namespace

bool parallel_output_available() { return false; }
int rank_in(int) { unavailable(); }
int ranks_in(int) { unavailable(); }
std::string broadcast_text(int, const std::string&, int) { unavailable(); }
void run_agreed(int, const std::function<void()>&) { unavailable(); }
template <typename T>
PlaneGather<T>::PlaneGather(const FieldBlock& block, std::size_t nx, std::size_t ny)
    : block_(block), nx_(nx), ny_(ny) {
  unavailable();
}
template <typename T>
void PlaneGather<T>::gather(const std::vector<T>&, std::size_t, std::vector<T>&) {
  unavailable();
}

#endif

template class PlaneGather<double>;
template class PlaneGather<std::int32_t>;

}  // namespace cposim::postproc
