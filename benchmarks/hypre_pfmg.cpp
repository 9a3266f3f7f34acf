/// \file
/// PfmgCgSolver: the 7-point CSR copied into a hypre Struct matrix, PFMG as the preconditioner
/// of hypre's Struct PCG, one MPI rank.

#include "benchmarks/hypre_pfmg.hpp"

#include <chrono>
#include <cmath>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "solver/linear/hypre_headers.hpp"
#include "solver/linear/hypre_pcg.hpp"
#include "solver/linear/hypre_runtime.hpp"

namespace cposim::benchmarks {
namespace {

static_assert(std::is_same_v<HYPRE_Complex, double>, "hypre must be built for real doubles");

/// Throws std::runtime_error naming `what` if a hypre call returned an error flag.
void check(HYPRE_Int status, const char* what) { solver::check_hypre(status, "pfmg_cg", what); }

/// Stencil entries in the CSR's column order: z−, y−, x−, centre, x+, y+, z+.
constexpr int kStencil[7][3] = {{0, 0, -1}, {0, -1, 0}, {-1, 0, 0}, {0, 0, 0},
                                {1, 0, 0},  {0, 1, 0},  {0, 0, 1}};

}  // namespace

/// Every hypre object of one set-up, destroyed in reverse order of creation.
struct PfmgCgSolver::Hypre {
  HYPRE_StructGrid grid = nullptr;
  HYPRE_StructStencil stencil = nullptr;
  HYPRE_StructMatrix A = nullptr;
  HYPRE_StructVector b = nullptr;
  HYPRE_StructVector x = nullptr;
  HYPRE_StructSolver pfmg = nullptr;
  HYPRE_StructSolver pcg = nullptr;
  HYPRE_Int lower[3] = {0, 0, 0};
  HYPRE_Int upper[3] = {0, 0, 0};
  std::vector<double> staging;  ///< b and x on their way in and out (hypre's API is non-const)
  Eigen::VectorXd residual;     ///< b − A x, recomputed with the CSR around each solve

  Hypre() = default;
  Hypre(const Hypre&) = delete;
  Hypre& operator=(const Hypre&) = delete;

  ~Hypre() {
    if (pcg != nullptr) HYPRE_StructPCGDestroy(pcg);
    if (pfmg != nullptr) HYPRE_StructPFMGDestroy(pfmg);
    if (x != nullptr) HYPRE_StructVectorDestroy(x);
    if (b != nullptr) HYPRE_StructVectorDestroy(b);
    if (A != nullptr) HYPRE_StructMatrixDestroy(A);
    if (stencil != nullptr) HYPRE_StructStencilDestroy(stencil);
    if (grid != nullptr) HYPRE_StructGridDestroy(grid);
  }
};

PfmgCgSolver::PfmgCgSolver(const solver::LinearSolverOptions& options,
                           const std::array<std::size_t, 3>& cells_per_axis)
    : options_(options), cells_(cells_per_axis) {
  for (const std::size_t n : cells_) {
    if (n == 0 || n > 1000000) {
      throw std::invalid_argument("pfmg_cg: every axis needs 1 to 1e6 cells");
    }
  }
  solver::check_hypre_pcg_options(options, "pfmg_cg");
}

PfmgCgSolver::~PfmgCgSolver() = default;

solver::LinearSolverKind PfmgCgSolver::kind() const { return solver::LinearSolverKind::automatic; }

double PfmgCgSolver::setup(const solver::SparseMatrix& A) {
  const auto nx = static_cast<long>(cells_[0]), ny = static_cast<long>(cells_[1]),
             nz = static_cast<long>(cells_[2]);
  const long n = nx * ny * nz;
  if (A.rows() != n || A.cols() != n) {
    throw std::invalid_argument("pfmg_cg: the matrix is " + std::to_string(A.rows()) + " x " +
                                std::to_string(A.cols()) + ", the grid has " + std::to_string(n) +
                                " cells");
  }
  const auto start = solver::HypreClock::now();
  A_ = nullptr;
  hypre_.reset();
  HYPRE_ClearAllErrors();

  auto h = std::make_unique<Hypre>();
  const MPI_Comm comm = MPI_COMM_SELF;
  h->upper[0] = static_cast<HYPRE_Int>(nx - 1);
  h->upper[1] = static_cast<HYPRE_Int>(ny - 1);
  h->upper[2] = static_cast<HYPRE_Int>(nz - 1);

  check(HYPRE_StructGridCreate(comm, 3, &h->grid), "HYPRE_StructGridCreate");
  check(HYPRE_StructGridSetExtents(h->grid, h->lower, h->upper), "HYPRE_StructGridSetExtents");
  check(HYPRE_StructGridAssemble(h->grid), "HYPRE_StructGridAssemble");
  check(HYPRE_StructStencilCreate(3, 7, &h->stencil), "HYPRE_StructStencilCreate");
  for (int e = 0; e < 7; ++e) {
    HYPRE_Int offset[3] = {kStencil[e][0], kStencil[e][1], kStencil[e][2]};
    check(HYPRE_StructStencilSetElement(h->stencil, e, offset), "HYPRE_StructStencilSetElement");
  }

  // Full storage: all 7 coefficients per cell, entry fastest (SetBoxValues' order). Each CSR
  // entry is placed by its column offset d = col − row; where two offsets coincide on a
  // degenerate axis (e.g. nx = 1 makes x± and y± both ±1) only one neighbour exists, so the
  // existence test picks it. Couplings out of the box stay 0, as hypre requires.
  {
    std::vector<double> values(static_cast<std::size_t>(7 * n), 0.0);
    const int* outer = A.outerIndexPtr();
    const int* inner_nnz = A.innerNonZeroPtr();
    const int* columns = A.innerIndexPtr();
    const double* coefficients = A.valuePtr();
    const long nxy = nx * ny;
    for (long k = 0; k < nz; ++k) {
      for (long j = 0; j < ny; ++j) {
        for (long i = 0; i < nx; ++i) {
          const long row = i + nx * (j + ny * k);
          const int begin = outer[row];
          const int end = inner_nnz != nullptr ? begin + inner_nnz[row] : outer[row + 1];
          double* out = &values[static_cast<std::size_t>(7 * row)];
          for (int p = begin; p < end; ++p) {
            const long d = columns[p] - row;
            int e = -1;
            if (d == 0)
              e = 3;
            else if (d == -nxy && k > 0)
              e = 0;
            else if (d == nxy && k + 1 < nz)
              e = 6;
            else if (d == -nx && j > 0)
              e = 1;
            else if (d == nx && j + 1 < ny)
              e = 5;
            else if (d == -1 && i > 0)
              e = 2;
            else if (d == 1 && i + 1 < nx)
              e = 4;
            if (e < 0) {
              throw std::invalid_argument("pfmg_cg: row " + std::to_string(row) +
                                          " has an entry outside the 7-point stencil");
            }
            out[e] += coefficients[p];
          }
        }
      }
    }
    check(HYPRE_StructMatrixCreate(comm, h->grid, h->stencil, &h->A), "HYPRE_StructMatrixCreate");
    check(HYPRE_StructMatrixInitialize(h->A), "HYPRE_StructMatrixInitialize");
    HYPRE_Int entries[7] = {0, 1, 2, 3, 4, 5, 6};
    check(HYPRE_StructMatrixSetBoxValues(h->A, h->lower, h->upper, 7, entries, values.data()),
          "HYPRE_StructMatrixSetBoxValues");
    check(HYPRE_StructMatrixAssemble(h->A), "HYPRE_StructMatrixAssemble");
  }

  for (HYPRE_StructVector* v : {&h->b, &h->x}) {
    check(HYPRE_StructVectorCreate(comm, h->grid, v), "HYPRE_StructVectorCreate");
    check(HYPRE_StructVectorInitialize(*v), "HYPRE_StructVectorInitialize");
    check(HYPRE_StructVectorSetConstantValues(*v, 0.0), "HYPRE_StructVectorSetConstantValues");
    check(HYPRE_StructVectorAssemble(*v), "HYPRE_StructVectorAssemble");
  }
  h->staging.resize(static_cast<std::size_t>(n));
  h->residual.resize(n);

  // PFMG as a preconditioner: one V-cycle per application; hypre 2.26 defaults set explicitly,
  // except symmetric red-black Gauss-Seidel (2) instead of weighted Jacobi (1): see the header.
  check(HYPRE_StructPFMGCreate(comm, &h->pfmg), "HYPRE_StructPFMGCreate");
  check(HYPRE_StructPFMGSetMaxIter(h->pfmg, 1), "HYPRE_StructPFMGSetMaxIter");
  check(HYPRE_StructPFMGSetTol(h->pfmg, 0.0), "HYPRE_StructPFMGSetTol");
  check(HYPRE_StructPFMGSetZeroGuess(h->pfmg), "HYPRE_StructPFMGSetZeroGuess");
  check(HYPRE_StructPFMGSetRAPType(h->pfmg, 0), "HYPRE_StructPFMGSetRAPType");
  check(HYPRE_StructPFMGSetRelaxType(h->pfmg, 2), "HYPRE_StructPFMGSetRelaxType");
  check(HYPRE_StructPFMGSetNumPreRelax(h->pfmg, 1), "HYPRE_StructPFMGSetNumPreRelax");
  check(HYPRE_StructPFMGSetNumPostRelax(h->pfmg, 1), "HYPRE_StructPFMGSetNumPostRelax");
  check(HYPRE_StructPFMGSetSkipRelax(h->pfmg, 1), "HYPRE_StructPFMGSetSkipRelax");
  check(HYPRE_StructPFMGSetPrintLevel(h->pfmg, 0), "HYPRE_StructPFMGSetPrintLevel");
  check(HYPRE_StructPFMGSetLogging(h->pfmg, 0), "HYPRE_StructPFMGSetLogging");

  check(HYPRE_StructPCGCreate(comm, &h->pcg), "HYPRE_StructPCGCreate");
  solver::configure_hypre_pcg(reinterpret_cast<HYPRE_Solver>(h->pcg), options_, "pfmg_cg");
  check(HYPRE_StructPCGSetPrecond(h->pcg, HYPRE_StructPFMGSolve, HYPRE_StructPFMGSetup, h->pfmg),
        "HYPRE_StructPCGSetPrecond");
  check(HYPRE_StructPCGSetup(h->pcg, h->A, h->b, h->x), "PFMG set-up");

  hypre_ = std::move(h);
  A_ = &A;
  return solver::hypre_seconds_since(start);
}

solver::LinearSolveResult PfmgCgSolver::solve(const Eigen::VectorXd& b, Eigen::VectorXd& x) {
  if (!hypre_) {
    throw std::logic_error("pfmg_cg: solve() called before a successful setup()");
  }
  const auto start = solver::HypreClock::now();
  Hypre& h = *hypre_;
  solver::LinearSolveResult result;
  if (solver::settled_before_iterating("pfmg_cg", *A_, b, x, options_.relative_tolerance,
                                       h.residual, result)) {
    result.solve_s = solver::hypre_seconds_since(start);
    return result;
  }
  const Eigen::Index n = A_->rows();
  HYPRE_ClearAllErrors();
  Eigen::Map<Eigen::VectorXd>(h.staging.data(), n) = b;
  check(HYPRE_StructVectorSetBoxValues(h.b, h.lower, h.upper, h.staging.data()),
        "HYPRE_StructVectorSetBoxValues");
  check(HYPRE_StructVectorAssemble(h.b), "HYPRE_StructVectorAssemble");
  check(HYPRE_StructVectorSetBoxValues(h.x, h.lower, h.upper, x.data()),
        "HYPRE_StructVectorSetBoxValues");
  check(HYPRE_StructVectorAssemble(h.x), "HYPRE_StructVectorAssemble");

  // Non-zero status: max_iterations reached or a breakdown; reported, not thrown.
  const HYPRE_Int status = HYPRE_StructPCGSolve(h.pcg, h.A, h.b, h.x);
  HYPRE_ClearAllErrors();
  HYPRE_Int iterations = 0;
  HYPRE_StructPCGGetNumIterations(h.pcg, &iterations);
  check(HYPRE_StructVectorGetBoxValues(h.x, h.lower, h.upper, x.data()),
        "HYPRE_StructVectorGetBoxValues");

  result.converged = status == 0;
  result.iterations = static_cast<int>(iterations);
  result.relative_residual = solver::residual_norms(*A_, b, x).relative();
  result.solve_s = solver::hypre_seconds_since(start);
  return result;
}

}  // namespace cposim::benchmarks
