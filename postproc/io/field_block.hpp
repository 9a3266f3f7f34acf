#pragma once
/// \file
/// The part of the grid one MPI rank holds, and the agreement between ranks that the N-rank
/// writers (write_results, write_vtk_results with a FieldBlock; OutputFolder's collective mode)
/// build on. No mpi.h here: a communicator is passed as its Fortran handle (`MPI_Comm_c2f`).
///
/// Distribution model (mesh/partition.hpp): every rank owns whole z columns of a rectangle of
/// the global grid, cells i in [first[0], first[0]+count[0]), j in [first[1],
/// first[1]+count[1]), all k (first[2] = 0, count[2] = nz). A rank's field block is stored x
/// fastest, then y, then z, inside its rectangle. Small data (tables, attributes, texts,
/// polylines, materials) is identical on every rank.

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace cposim::postproc {

/// One rank's block of cells and the communicator of the ranks that write together.
struct FieldBlock {
  std::array<std::size_t, 3> first{};  ///< first cell per axis (x, y, z)
  std::array<std::size_t, 3> count{};  ///< cells per axis; count[2] = nz (whole columns)
  int mpi_comm_f = 0;                  ///< MPI_Comm_c2f of the communicator
  /// Cells in the block (count[0]·count[1]·count[2]).
  std::size_t num_cells() const { return count[0] * count[1] * count[2]; }
};

/// A block in HDF5's axis order (slowest first: z, y, x): the dataset's shape, and the
/// block's offset and count in it.
struct Hdf5Slab {
  std::array<std::size_t, 3> shape{}, offset{}, count{};
};

/// The slab of `block` in a grid of `cells_per_axis` (x, y, z) cells; the whole grid if `block`
/// is null (a serial write).
Hdf5Slab hdf5_slab(const std::array<std::size_t, 3>& cells_per_axis, const FieldBlock* block);

/// Throws std::invalid_argument (message starting with `who`) unless `block` lies inside a grid
/// of `cells_per_axis` cells and holds whole z columns (first[2] = 0, count[2] = nz).
void check_block(const std::array<std::size_t, 3>& cells_per_axis, const FieldBlock& block,
                 const std::string& who);

/// True if this build writes from N MPI ranks (HDF5 with MPI-IO: CPOSIM_WITH_PARALLEL_HDF5).
/// Without it every function below and every N-rank writer throws std::runtime_error.
bool parallel_output_available();

/// This rank's number in the communicator, and the number of ranks.
int rank_in(int mpi_comm_f);
int ranks_in(int mpi_comm_f);

/// Runs `step` on every rank of the communicator (collective) and agrees on its outcome: if it
/// throws on any rank, every rank throws the exception of the lowest failing rank, of the same
/// kind (std::invalid_argument stays std::invalid_argument, anything else becomes
/// std::runtime_error) and with the same message, followed by " (rank r)". `step` must not
/// itself make collective calls after it has failed on some rank (they would not be matched).
void run_agreed(int mpi_comm_f, const std::function<void()>& step);

/// `text` of rank `root`, on every rank (collective).
std::string broadcast_text(int mpi_comm_f, const std::string& text, int root = 0);

/// Collects one z-plane of a field from the ranks' blocks onto rank 0 (collective), for writers
/// that stream a field a plane at a time: rank 0 never holds more than two planes (nx·ny values
/// each). Buffers are sized once, in the constructor; gather() allocates nothing.
template <typename T>
class PlaneGather {
 public:
  /// `nx`, `ny`: cells of the global grid per lateral axis. Collective.
  PlaneGather(const FieldBlock& block, std::size_t nx, std::size_t ny);
  /// Plane `k` of `block_values` (this rank's block, x fastest) gathered; on rank 0 `plane`
  /// (nx·ny values, x fastest) is filled, on other ranks it is left alone.
  void gather(const std::vector<T>& block_values, std::size_t k, std::vector<T>& plane);

 private:
  FieldBlock block_;
  std::size_t nx_, ny_;
  std::vector<std::array<std::size_t, 4>> rects_;  ///< rank 0: first x, count x, first y, count y
  std::vector<int> counts_, displacements_;        ///< rank 0: values per rank, offsets
  std::vector<T> received_;                        ///< rank 0: the planes, rank after rank
};

extern template class PlaneGather<double>;
extern template class PlaneGather<std::int32_t>;

}  // namespace cposim::postproc
