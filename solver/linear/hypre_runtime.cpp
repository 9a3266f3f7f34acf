/// \file
/// ensure_hypre_runtime() and check_hypre(): one function-local static owns MPI and hypre.
#include "solver/linear/hypre_runtime.hpp"

#include <stdexcept>
#include <string>

#include "solver/linear/hypre_headers.hpp"

namespace cposim::solver {
namespace {

static_assert(sizeof(HYPRE_Int) == sizeof(int), "check_hypre takes hypre's 32-bit error flag");

/// A function-local static: constructed on first use (thread-safe) and destroyed at normal
/// exit, after every solver whose construction finished later than it.
class HypreRuntime {
 public:
  static void ensure() { static const HypreRuntime runtime; }

  HypreRuntime(const HypreRuntime&) = delete;
  HypreRuntime& operator=(const HypreRuntime&) = delete;

 private:
  HypreRuntime() {
    int initialized = 0;
    MPI_Initialized(&initialized);
    if (initialized == 0) {
      int finalized = 0;
      MPI_Finalized(&finalized);
      if (finalized != 0)
        throw std::runtime_error("hypre: MPI was already finalised; hypre cannot be used");
      int provided = 0;
      if (MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
        throw std::runtime_error("hypre: MPI_Init_thread failed");
      initialized_mpi_ = true;
    }
    // hypre's documented start-up, after MPI_Init. 2.26's host-only build would create its
    // global handle lazily without it, but later versions flag the omission as an error.
    HYPRE_Init();
  }

  ~HypreRuntime() {
    HYPRE_Finalize();
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (initialized_mpi_ && finalized == 0) MPI_Finalize();
  }

  bool initialized_mpi_ = false;  ///< we called MPI_Init_thread, so MPI_Finalize is ours
};

}  // namespace

void ensure_hypre_runtime() { HypreRuntime::ensure(); }

void check_hypre(int status, const char* who, const char* what) {
  if (status == 0) return;
  char description[256] = {};  // hypre writes at most a few short bracketed phrases
  HYPRE_DescribeError(status, description);
  HYPRE_ClearAllErrors();  // the flag is global and sticky: leave it clean for the next call
  throw std::runtime_error(std::string(who) + ": " + what + " failed: " + description);
}

}  // namespace cposim::solver
