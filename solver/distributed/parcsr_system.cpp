/// \file
/// ParCsrSystem: owned rows of the window system into a hypre IJ/ParCSR matrix, PCG +
/// BoomerAMG over the communicator.
#include "solver/distributed/parcsr_system.hpp"

#include <cmath>
#include <cstring>
#include <stdexcept>
#include <string>

#define CPOSIM_HYPRE_INTERNALS 1  // the AMG levels, for hierarchy()
#include "solver/linear/hypre_headers.hpp"
#include "solver/linear/hypre_pcg.hpp"
#include "solver/linear/hypre_runtime.hpp"

namespace cposim::solver {
namespace {

constexpr const char* kWho = "distributed amg_cg";
void check(HYPRE_Int status, const char* what) { check_hypre(status, kWho, what); }

}  // namespace

/// The hypre objects of one rank and the global numbering of its rows and entries.
struct ParCsrSystem::Hypre : HypreParCsrPcg {
  MPI_Comm comm = MPI_COMM_NULL;
  HYPRE_BigInt first = 0, last = 0;  ///< this rank's global rows [first, last]
  std::vector<HYPRE_Int> row_nnz;
  std::vector<HYPRE_BigInt> rows, columns;
  std::array<std::size_t, 2> block_nnz{};
};

ParCsrSystem::ParCsrSystem(const mesh::Partition& partition, int comm,
                           const mesh::RectilinearGrid& window_grid,
                           const LinearSolverOptions& options)
    : options_(options), system_(window_grid), hypre_(std::make_unique<Hypre>()) {
  check_hypre_pcg_options(options, kWho);
  Hypre& h = *hypre_;
  h.comm = MPI_Comm_f2c(comm);
  int rank = 0;
  MPI_Comm_rank(h.comm, &rank);
  const mesh::IndexBox window = partition.window(rank);
  if (window_grid.cells_per_axis() != window.count)
    throw std::invalid_argument("distributed system: the window grid is not window(" +
                                std::to_string(rank) + ") of the partition");
  owned_ = partition.owned(rank);
  for (std::size_t a = 0; a < 3; ++a) owned_.first[a] -= window.first[a];
  h.first = static_cast<HYPRE_BigInt>(partition.first_row(rank));
  h.last = static_cast<HYPRE_BigInt>(partition.first_row(rank + 1)) - 1;

  // Global row of every window cell (each is owned by this rank or a neighbour), then the
  // owned rows' columns through it: once, so assemble() only copies values.
  std::vector<HYPRE_BigInt> global(window.num_cells());
  for (std::size_t k = 0; k < window.count[2]; ++k)
    for (std::size_t j = 0; j < window.count[1]; ++j)
      for (std::size_t i = 0; i < window.count[0]; ++i)
        global[window_grid.cell(i, j, k)] = static_cast<HYPRE_BigInt>(
            partition.row(window.first[0] + i, window.first[1] + j, window.first[2] + k));
  const SparseMatrix& A = system_.matrix();
  const int* outer = A.outerIndexPtr();
  const int* cols = A.innerIndexPtr();
  std::vector<HYPRE_Int> diag_nnz, offd_nnz;
  const mesh::IndexBox& o = owned_;
  for (std::size_t k = o.first[2]; k < o.first[2] + o.count[2]; ++k)
    for (std::size_t j = o.first[1]; j < o.first[1] + o.count[1]; ++j)
      for (std::size_t i = o.first[0]; i < o.first[0] + o.count[0]; ++i) {
        const std::size_t w = window_grid.cell(i, j, k);
        owned_cells_.push_back(w);
        h.rows.push_back(global[w]);
        h.row_nnz.push_back(outer[w + 1] - outer[w]);
        HYPRE_Int in_diag = 0;
        for (int e = outer[w]; e < outer[w + 1]; ++e) {
          const HYPRE_BigInt column = global[static_cast<std::size_t>(cols[e])];
          h.columns.push_back(column);
          in_diag += column >= h.first && column <= h.last;
        }
        diag_nnz.push_back(in_diag);
        offd_nnz.push_back(h.row_nnz.back() - in_diag);
        h.block_nnz[0] += static_cast<std::size_t>(in_diag);
        h.block_nnz[1] += static_cast<std::size_t>(offd_nnz.back());
      }
  if (h.rows.size() != static_cast<std::size_t>(h.last - h.first + 1))
    throw std::logic_error("distributed system: owned cells and global rows disagree");
  values_.assign(h.columns.size(), 0.0);
  rhs_.assign(owned_cells_.size(), 0.0);
  x_.assign(owned_cells_.size(), 0.0);

  check(HYPRE_IJMatrixCreate(h.comm, h.first, h.last, h.first, h.last, &h.A_ij),
        "HYPRE_IJMatrixCreate");
  check(HYPRE_IJMatrixSetObjectType(h.A_ij, HYPRE_PARCSR), "HYPRE_IJMatrixSetObjectType");
  check(HYPRE_IJMatrixSetDiagOffdSizes(h.A_ij, diag_nnz.data(), offd_nnz.data()),
        "HYPRE_IJMatrixSetDiagOffdSizes");
  check(HYPRE_IJMatrixSetMaxOffProcElmts(h.A_ij, 0), "HYPRE_IJMatrixSetMaxOffProcElmts");
  check(HYPRE_IJMatrixInitialize(h.A_ij), "HYPRE_IJMatrixInitialize");
  h.create_vectors(h.comm, h.first, h.last, kWho);
}

ParCsrSystem::~ParCsrSystem() = default;

std::array<std::size_t, 2> ParCsrSystem::block_nonzeros() const { return hypre_->block_nnz; }

std::vector<ParCsrSystem::Level> ParCsrSystem::hierarchy() {
  Hypre& h = *hypre_;
  if (h.amg == nullptr) throw std::logic_error("distributed amg_cg: hierarchy() before setup()");
  // hypre's own data (_hypre_parcsr_ls.h): no public call gives the levels' sizes.
  auto* amg = reinterpret_cast<hypre_ParAMGData*>(h.amg);
  std::vector<Level> levels;
  for (int l = 0; l < hypre_ParAMGDataNumLevels(amg); ++l) {
    hypre_ParCSRMatrix* A = hypre_ParAMGDataAArray(amg)[l];
    hypre_ParCSRMatrixSetDNumNonzeros(A);  // collective
    levels.push_back({static_cast<double>(hypre_ParCSRMatrixGlobalNumRows(A)),
                      hypre_ParCSRMatrixDNumNonzeros(A)});
  }
  return levels;
}

bool ParCsrSystem::assemble(const ThermalProblem& window_problem,
                            const std::vector<double>& T_window_K, double T_shift_K) {
  system_.assemble(window_problem, T_window_K, T_shift_K);
  const SparseMatrix& A = system_.matrix();
  const int* outer = A.outerIndexPtr();
  const double* vals = A.valuePtr();
  const auto& b = system_.rhs();
  std::size_t pos = 0;
  for (std::size_t r = 0; r < owned_cells_.size(); ++r) {
    const std::size_t w = owned_cells_[r];
    for (int e = outer[w]; e < outer[w + 1]; ++e) values_[pos++] = vals[e];
    rhs_[r] = b[static_cast<Eigen::Index>(w)];
  }
  load_matrix();
  return set_up_values_.size() != values_.size() ||
         std::memcmp(set_up_values_.data(), values_.data(), sizeof(double) * values_.size()) != 0;
}

void ParCsrSystem::load_matrix() {
  // The first load fills the initialised matrix; later ones overwrite the values of the
  // assembled one in place (hypre finds every entry in its diagonal or off-diagonal block).
  Hypre& h = *hypre_;
  const auto n = static_cast<HYPRE_Int>(h.rows.size());
  HYPRE_ClearAllErrors();
  check(HYPRE_IJMatrixSetValues(h.A_ij, n, h.row_nnz.data(), h.rows.data(), h.columns.data(),
                                values_.data()),
        "HYPRE_IJMatrixSetValues");
  h.assemble_matrix(kWho);
}

double ParCsrSystem::setup() {
  const auto start = HypreClock::now();
  Hypre& h = *hypre_;
  h.setup_solver(h.comm, options_, kWho);
  set_up_values_ = values_;
  return hypre_seconds_since(start);
}

ParCsrSystem::Solve ParCsrSystem::solve(std::vector<double>& theta_window) {
  Hypre& h = *hypre_;
  if (h.pcg == nullptr) throw std::logic_error("distributed amg_cg: solve() before setup()");
  const auto n = static_cast<HYPRE_Int>(owned_cells_.size());
  for (std::size_t r = 0; r < owned_cells_.size(); ++r) x_[r] = theta_window[owned_cells_[r]];
  int iterations = 0;
  const int status = h.solve(n, h.rows.data(), rhs_.data(), x_.data(), iterations, kWho);
  for (std::size_t r = 0; r < owned_cells_.size(); ++r) theta_window[owned_cells_[r]] = x_[r];
  return {iterations, status == 0};
}

std::array<double, 3> ParCsrSystem::residual_squares(const std::vector<double>& theta) const {
  // The window matrix's owned rows: their columns are window cells, the halo ones current.
  const SparseMatrix& A = system_.matrix();
  const int* outer = A.outerIndexPtr();
  const int* cols = A.innerIndexPtr();
  const double* vals = A.valuePtr();
  std::array<double, 3> sums{};  // ‖b‖², ‖r‖², ‖|b| + |A||θ|‖²
  for (std::size_t r = 0; r < owned_cells_.size(); ++r) {
    const std::size_t w = owned_cells_[r];
    double ri = rhs_[r], si = std::fabs(rhs_[r]);
    for (int e = outer[w]; e < outer[w + 1]; ++e) {
      const double t = vals[e] * theta[static_cast<std::size_t>(cols[e])];
      ri -= t;
      si += std::fabs(t);
    }
    sums[0] += rhs_[r] * rhs_[r];
    sums[1] += ri * ri;
    sums[2] += si * si;
  }
  return sums;
}

}  // namespace cposim::solver
