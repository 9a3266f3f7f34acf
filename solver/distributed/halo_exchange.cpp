/// \file
/// HaloExchange: index lists from the partition's boxes, MPI_Irecv / MPI_Isend / MPI_Waitall.
#include "solver/distributed/halo_exchange.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "solver/linear/hypre_headers.hpp"

namespace cposim::solver {
namespace {

/// The cells in both boxes (count 0 on some axis if none).
mesh::IndexBox intersection(const mesh::IndexBox& a, const mesh::IndexBox& b) {
  mesh::IndexBox box;
  for (std::size_t x = 0; x < 3; ++x) {
    const std::size_t lo = std::max(a.first[x], b.first[x]);
    const std::size_t hi = std::min(a.first[x] + a.count[x], b.first[x] + b.count[x]);
    box.first[x] = lo;
    box.count[x] = hi > lo ? hi - lo : 0;
  }
  return box;
}

/// Indices in `window` of the cells of `box` (inside it), x fastest, then y, then z: the order
/// both sides of a link use.
std::vector<std::size_t> window_indices(const mesh::IndexBox& window, const mesh::IndexBox& box) {
  std::vector<std::size_t> cells;
  cells.reserve(box.num_cells());
  for (std::size_t k = box.first[2]; k < box.first[2] + box.count[2]; ++k)
    for (std::size_t j = box.first[1]; j < box.first[1] + box.count[1]; ++j)
      for (std::size_t i = box.first[0]; i < box.first[0] + box.count[0]; ++i)
        cells.push_back(window.local(i, j, k));
  return cells;
}

void check_mpi(int status, const char* what) {
  if (status != MPI_SUCCESS) throw std::runtime_error(std::string("halo exchange: ") + what);
}

}  // namespace

struct HaloExchange::Mpi {
  MPI_Comm comm = MPI_COMM_NULL;
  std::vector<MPI_Request> requests;
};

HaloExchange::HaloExchange(const mesh::Partition& partition, int comm)
    : mpi_(std::make_unique<Mpi>()) {
  mpi_->comm = MPI_Comm_f2c(comm);
  int size = 0;
  check_mpi(MPI_Comm_rank(mpi_->comm, &rank_), "MPI_Comm_rank failed");
  check_mpi(MPI_Comm_size(mpi_->comm, &size), "MPI_Comm_size failed");
  if (size != partition.ranks())
    throw std::invalid_argument("HaloExchange: the communicator has " + std::to_string(size) +
                                " ranks, the partition " + std::to_string(partition.ranks()));
  const mesh::IndexBox window = partition.window(rank_);
  const mesh::IndexBox owned = partition.owned(rank_);
  window_cells_ = window.num_cells();
  // Once per partition, O(ranks): the neighbours are the ranks whose boxes meet ours.
  for (int r = 0; r < size; ++r) {
    if (r == rank_) continue;
    const mesh::IndexBox in = intersection(window, partition.owned(r));
    if (in.num_cells() > 0) {
      Link link{r, window_indices(window, in), {}};
      link.buffer.resize(link.cells.size());
      receives_.push_back(std::move(link));
    }
    const mesh::IndexBox out = intersection(owned, partition.window(r));
    if (out.num_cells() > 0) {
      Link link{r, window_indices(window, out), {}};
      link.buffer.resize(link.cells.size());
      sends_.push_back(std::move(link));
    }
  }
  mpi_->requests.resize(sends_.size() + receives_.size());
}

HaloExchange::~HaloExchange() = default;

void HaloExchange::exchange(std::vector<double>& field) {
  if (field.size() != window_cells_)
    throw std::invalid_argument("halo exchange: the field has " + std::to_string(field.size()) +
                                " values, the window " + std::to_string(window_cells_));
  constexpr int kTag = 20;  // issue 20
  std::size_t q = 0;
  for (Link& in : receives_)
    check_mpi(MPI_Irecv(in.buffer.data(), static_cast<int>(in.buffer.size()), MPI_DOUBLE, in.rank,
                        kTag, mpi_->comm, &mpi_->requests[q++]),
              "MPI_Irecv failed");
  for (Link& out : sends_) {
    for (std::size_t n = 0; n < out.cells.size(); ++n) out.buffer[n] = field[out.cells[n]];
    check_mpi(MPI_Isend(out.buffer.data(), static_cast<int>(out.buffer.size()), MPI_DOUBLE,
                        out.rank, kTag, mpi_->comm, &mpi_->requests[q++]),
              "MPI_Isend failed");
  }
  check_mpi(MPI_Waitall(static_cast<int>(q), mpi_->requests.data(), MPI_STATUSES_IGNORE),
            "MPI_Waitall failed");
  for (const Link& in : receives_)
    for (std::size_t n = 0; n < in.cells.size(); ++n) field[in.cells[n]] = in.buffer[n];
}

std::size_t HaloExchange::bytes_sent() const {
  std::size_t bytes = 0;
  for (const Link& out : sends_) bytes += out.cells.size() * sizeof(double);
  return bytes;
}

std::size_t HaloExchange::num_neighbours() const { return receives_.size(); }

}  // namespace cposim::solver
