/// \file
/// How run_case reports a failing writer (issue 16): a file-system failure
/// (std::runtime_error) is an OutputError, which `cposim run` exits 4 on; a bug in a writer
/// (std::logic_error: content it cannot take) passes through as itself, an internal error
/// (exit 1). Either way nothing is published into the output folder.
#include <doctest/doctest.h>

#include <filesystem>
#include <stdexcept>
#include <string>

#include "cases/report/run_and_report.hpp"
#include "cases/resolve/load_case.hpp"
#include "cases/run/run_case.hpp"
#include "tests/support/minimal_case.hpp"
#include "tests/support/scratch_dir.hpp"

namespace fs = std::filesystem;
using namespace cposim::cases;

namespace {

/// A run of the minimal case into `out` whose report writer throws `error`.
template <typename Error>
RunOptions options_throwing(const fs::path& out, const char* message) {
  RunOptions options;
  options.out_dir = out.string();
  options.write_reports = [message](const CaseSpec&, const BuiltProblem&, const std::string&,
                                    RunSummary&) { throw Error(message); };
  return options;
}

}  // namespace

TEST_CASE("run_case: a writer's file-system failure is an OutputError, nothing published") {
  cposim::testing::ScratchDir scratch("writer_io_error");
  const CaseSpec spec = read_case_text(cposim::testing::minimal_case(), "io.toml", "");
  const fs::path out = scratch.path / "out";
  CHECK_THROWS_AS(run_case(spec, options_throwing<std::runtime_error>(out, "disk full")),
                  OutputError);
  CHECK_FALSE(fs::exists(out / "results.h5"));
}

TEST_CASE("run_case: a bug in a writer is not an I/O error: the logic_error passes through") {
  cposim::testing::ScratchDir scratch("writer_bug");
  const CaseSpec spec = read_case_text(cposim::testing::minimal_case(), "bug.toml", "");
  const fs::path out = scratch.path / "out";
  bool output_error = false;
  try {
    run_case(spec, options_throwing<std::invalid_argument>(out, "column lengths differ"));
  } catch (const OutputError&) {
    output_error = true;
  } catch (const std::logic_error& e) {
    CHECK(std::string(e.what()) == "column lengths differ");
  }
  CHECK_FALSE(output_error);
  CHECK_FALSE(fs::exists(out / "results.h5"));
}

TEST_CASE("run_and_report: the report writers run inside the run's single publish") {
  cposim::testing::ScratchDir scratch("run_and_report");
  const CaseSpec spec = read_case_text(cposim::testing::minimal_case(), "ok.toml", "");
  RunOptions options;
  options.out_dir = (scratch.path / "out").string();
  const RunSummary with = run_and_report(spec, options);
  CHECK(with.outcome() == RunOutcome::ok);
  CHECK(fs::exists(with.summary_json_path));
  CHECK(fs::exists(with.report_html_path));
  options.out_dir = (scratch.path / "results_only").string();
  const RunSummary without = run_case(spec, options);
  CHECK(without.summary_json_path.empty());
  CHECK(fs::exists(without.results_path));
  CHECK_FALSE(fs::exists(scratch.path / "results_only" / "summary.json"));
}
