/// \file
/// libFuzzer target: sweep-file text (a case with a [sweep] table whose base case names CSV
/// files: power maps, h maps, waveforms, flux maps) → read_sweep_text → the design → every point
/// (at most kMaxPoints) rendered, read from the base case's folder and from a folder of its own.
///
/// A CaseError is the expected way to fail. Anything else aborts: another exception type, a
/// CaseError without its "<file>:…: error: " location, a point whose case text does not read
/// back (from another folder) to the same hash, a point case that names a relative input file,
/// or two expansions that disagree. Crashes, sanitizer reports, hangs and large allocations are
/// caught by libFuzzer itself.
///
/// CSV paths resolve against the working directory: tests/fuzz/run_fuzz.sh runs the target in
/// a folder holding the CSV files of the seed corpus (tests/fuzz/sweep_seeds/).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <string>

#include "cases/resolve/load_case.hpp"
#include "cases/spec/case_error.hpp"
#include "cases/sweep/sweep_reader.hpp"

namespace {

constexpr const char* kName = "fuzz_sweep.toml";
constexpr std::size_t kMaxPoints = 16;  // keeps one input fast

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "fuzz_sweep_file: %s: %s\n", what, detail.c_str());
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
    const SweepSpec spec = read_sweep_text(text, kName, "");
    if (sweep_design(spec).size() > kMaxPoints) return 0;
    const auto points = expand_sweep(spec);
    const auto again = expand_sweep(spec);
    for (std::size_t i = 0; i < points.size(); ++i) {
      const SweepPoint& p = points[i];
      if (again.at(i).hash != p.hash || again[i].case_text != p.case_text)
        fail("two expansions disagree", p.case_text);
      CaseSpec there;
      try {
        there = read_case_text(p.case_text, "points/x/case.toml", "/nonexistent/points/x");
      } catch (const CaseError& e) {
        fail("a point does not read from its own folder",
             std::string(e.what()) + "\n" + p.case_text);
      }
      if (point_hash(there.resolved_text) != p.hash)
        fail("a point reads differently from its own folder", p.case_text);
      for (const auto& f : there.input_files)
        if (!std::filesystem::path(f.path).is_absolute())
          fail("a point names a relative input file", f.path);
    }
  } catch (const CaseError& e) {
    require_located(e);
  } catch (const std::exception& e) {
    fail("exception other than CaseError", e.what());
  }
  return 0;
}
