/// \file
/// libFuzzer target: case-file text → read_case_text (TOML parse, every section reader, the
/// cross-checks, the resolved-case echo) → build_problem under small limits.
///
/// A CaseError is the expected way for an input to fail. Anything else aborts, because in
/// cposim it would be a crash or an "internal error" (exit 1): another exception type escaping
/// the reader, a CaseError without the "<file>:…: error: " shape, or an accepted case whose
/// echo (CaseSpec::resolved_text) does not read back to the same echo. Crashes, sanitizer
/// reports, hangs and large allocations are caught by libFuzzer itself.
///
/// Power-map paths resolve against the working directory: tests/fuzz/run_fuzz.sh runs the
/// target in a folder holding the CSV files of the seed corpus.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "cases/resolve/load_case.hpp"
#include "cases/run/build_problem.hpp"
#include "cases/spec/case_error.hpp"

namespace {

constexpr const char* kName = "fuzz.toml";

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "fuzz_case_reader: %s: %s\n", what, detail.c_str());
  std::abort();
}

void require_located(const cposim::cases::CaseError& e) {
  const std::string message = e.what();
  if (message.find(": error: ") == std::string::npos || e.where().file.empty())
    fail("CaseError without a location", message);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace cposim::cases;
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const CaseSpec spec = read_case_text(text, kName, "");
    try {
      const CaseSpec again = read_case_text(spec.resolved_text, kName, "");
      if (again.resolved_text != spec.resolved_text)
        fail("the echo does not read back to itself", spec.resolved_text);
    } catch (const CaseError& e) {
      fail("the echo of an accepted case is rejected",
           std::string(e.what()) + "\n" + spec.resolved_text);
    }
    // Cheap grids only: the limits are checked on the estimate before anything is allocated.
    BuildLimits limits;
    limits.max_cells = 2e5;
    limits.memory_bytes = 2e8;
    const BuiltProblem built = build_problem(spec, limits);
    if (static_cast<double>(built.grid->num_cells()) > limits.max_cells)
      fail("grid above BuildLimits::max_cells", std::to_string(built.grid->num_cells()));
  } catch (const CaseError& e) {
    require_located(e);
  } catch (const std::exception& e) {
    fail("exception other than CaseError", e.what());
  }
  return 0;
}
