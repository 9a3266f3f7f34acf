/// \file
/// libFuzzer target: power-map CSV text → parse_power_map_csv. The result must be rectangular
/// with every value finite and ≥ 0, or the input must fail with a CaseError that points into
/// the CSV ("map.csv:<line>:<col>: error: …"). Anything else aborts.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>

#include "cases/read/power_map_csv.hpp"
#include "cases/spec/case_error.hpp"

namespace {

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "fuzz_power_map: %s: %s\n", what, detail.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace cposim::cases;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto tiles = parse_power_map_csv(text, "map.csv");
    for (const auto& row : tiles) {
      if (row.empty() || row.size() != tiles.front().size()) fail("ragged result", "");
      for (double v : row)
        if (!std::isfinite(v) || v < 0.0) fail("value not finite and >= 0", std::to_string(v));
    }
  } catch (const CaseError& e) {
    if (e.where().file != "map.csv" || e.where().line < 1 || e.where().column < 1)
      fail("CaseError not located in the CSV", e.what());
  } catch (const std::exception& e) {
    fail("exception other than CaseError", e.what());
  }
  return 0;
}
