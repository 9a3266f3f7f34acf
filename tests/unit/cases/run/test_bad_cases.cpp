/// \file
/// Every file in tests/data/bad_cases/ states on line 1 the error it must produce when read and
/// built (as `cposim check` does):
///   # expect: <file>:<line>:<col>: error: <message prefix>
/// Adding a validation rule means adding one small file (aesthetics.md §2.8 E8). Other files
/// there (.csv power maps) are data for those cases.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "cases/resolve/load_case.hpp"
#include "cases/run/build_problem.hpp"

namespace fs = std::filesystem;

TEST_CASE("bad case files fail with the message written on their first line") {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(fs::path(CPOSIM_TEST_DATA) / "bad_cases"))
    if (entry.path().extension() == ".toml") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  int checked = 0;
  for (const auto& path : files) {
    std::ifstream in(path);
    std::string first;
    std::getline(in, first);
    const std::string tag = "# expect: ";
    const std::string name = path.filename().string();
    CAPTURE(name);
    REQUIRE_MESSAGE(first.rfind(tag, 0) == 0, name, " lacks '# expect:' on line 1");
    const std::string expected = first.substr(tag.size());
    const bool names_itself =
        expected.rfind(name + ":", 0) == 0 || expected.find(".csv:") != std::string::npos;
    REQUIRE_MESSAGE(names_itself, name, ": the expected message must name the file it is about");
    // As `cposim check` does: read, then build (the grid's memory is checked there).
    const auto read_and_build = [&] {
      cposim::cases::build_problem(cposim::cases::read_case(path.string()));
    };
    CHECK_THROWS_WITH_AS(read_and_build(), doctest::Contains(expected.c_str()),
                         cposim::cases::CaseError);
    ++checked;
  }
  CHECK(checked >= 25);
}
