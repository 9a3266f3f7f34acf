/// \file
/// Unit tests of the regression runner's helpers: metric paths into summary.json, and the
/// in-place rewrite of a reference file by --update.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "benchmarks/bench_json.hpp"
#include "benchmarks/bench_reference.hpp"

using namespace cposim::bench;
using cposim::cases::JsonValue;
using cposim::cases::parse_json;

namespace {

const char* const kSummary = R"({
  "summary_version": 1,
  "title": "a \"quoted\" title \u00e9",
  "grid": {"cells_per_axis": [4, 3, 2], "num_cells": 24},
  "solver": {"converged": true, "relative_residual": 8.5e-11},
  "regions": [
    {"name": "fill", "T_max_K": null},
    {"name": "die", "T_max_K": 350.25, "T_mean_K": 340},
    {"name": "oe.1", "T_max_K": 320.5}
  ],
  "hot_spots": [{"region": "die", "rank": 1, "T_K": 350.25}, {"region": "die", "rank": 2, "T_K": 349}],
  "coolant": null
})";

}  // namespace

TEST_CASE("parse_json reads summary.json values and escapes") {
  const JsonValue root = parse_json(kSummary);
  REQUIRE(root.kind == JsonValue::Kind::object);
  CHECK(root.find("title")->text == "a \"quoted\" title \xc3\xa9");
  CHECK(root.find("grid")->find("cells_per_axis")->items.size() == 3);
  CHECK(root.find("coolant")->kind == JsonValue::Kind::null);
  CHECK(root.find("missing") == nullptr);
}

TEST_CASE("lookup_number follows objects, names, indices and dotted names") {
  const JsonValue root = parse_json(kSummary);
  CHECK(lookup_number(root, "grid.num_cells").value == 24.0);
  CHECK(lookup_number(root, "grid.cells_per_axis.2").value == 2.0);
  CHECK(lookup_number(root, "regions.die.T_max_K").value == 350.25);
  CHECK(lookup_number(root, "regions.oe.1.T_max_K").value == 320.5);  // a name with a '.'
  CHECK(lookup_number(root, "hot_spots.die.T_K").value == 350.25);    // "region" key, first
  CHECK(lookup_number(root, "hot_spots.1.T_K").value == 349.0);
  CHECK(lookup_number(root, "solver.converged").value == 1.0);
  const MetricLookup null_value = lookup_number(root, "regions.fill.T_max_K");
  CHECK(!null_value.value);
  CHECK(null_value.error == "regions.fill.T_max_K is null (NaN or infinite)");
  CHECK(lookup_number(root, "regions.die.T_min_K").error == "no member 'T_min_K' in regions.die");
  CHECK(lookup_number(root, "regions.asic.T_max_K").error == "no element named 'asic' in regions");
  CHECK(lookup_number(root, "grid.cells_per_axis.3").error ==
        "grid.cells_per_axis has 3 elements, no index 3");
  CHECK(lookup_number(root, "title").error == "title is not a number");
  CHECK(!lookup_number(root, "grid..num_cells").value);
}

TEST_CASE("MetricReference: abs_tol and rel_tol add up; NaN never passes") {
  MetricReference m;
  m.value = 100.0;
  m.abs_tol = 0.5;
  m.rel_tol = 1e-2;  // 1.0 at 100
  CHECK(m.tolerance() == doctest::Approx(1.5).epsilon(1e-15));
  CHECK(m.accepts(101.5));
  CHECK(!m.accepts(101.5001));
  CHECK(!m.accepts(std::nan("")));
}

TEST_CASE("round_trip_number prints the shortest text that reads back exactly") {
  for (double x : {347.6771728188119, 0.1, 1e-300, -2.5e17, 69312.0, 1.0 / 3.0})
    CHECK(std::strtod(round_trip_number(x).c_str(), nullptr) == x);
  CHECK(round_trip_number(0.1) == "0.1");
  CHECK(round_trip_number(69312.0) == "69312.0");  // stays a TOML float
}

TEST_CASE("updated_reference_text rewrites values and provenance, keeps the rest") {
  const std::string before =
      "# comment kept\n"
      "case = \"x.toml\"\n"
      "\n"
      "[provenance]\n"
      "date = \"2000-01-01\"\n"
      "commit = \"old\"\n"
      "\n"
      "[metrics]\n"
      "# a comment in metrics\n"
      "\"regions.die.T_max_K\" = { value = 1.0, abs_tol = 1e-3, source = \"run\" }  # tail\n"
      "\"a.b\" = { value = 2, abs_tol = 0 }\n"
      "\"fixed.one\" = { value = 3.0, abs_tol = 0, fixed = true }\n";
  const std::string after =
      updated_reference_text(before, {"2026-11-25", "abc1234", "cpu, nproc 2", "cposim 0.1.0"},
                             {{"regions.die.T_max_K", 350.25}, {"a.b", 0.1}});
  CHECK(after ==
        "# comment kept\n"
        "case = \"x.toml\"\n"
        "\n"
        "[provenance]\n"
        "date = \"2026-11-25\"\n"
        "commit = \"abc1234\"\n"
        "machine = \"cpu, nproc 2\"\n"
        "cposim = \"cposim 0.1.0\"\n"
        "\n"
        "[metrics]\n"
        "# a comment in metrics\n"
        "\"regions.die.T_max_K\" = { value = 350.25, abs_tol = 1e-3, source = \"run\" }  # tail\n"
        "\"a.b\" = { value = 0.1, abs_tol = 0 }\n"
        "\"fixed.one\" = { value = 3.0, abs_tol = 0, fixed = true }\n");
  CHECK_THROWS_AS(updated_reference_text(before, {}, {{"not.there", 1.0}}), std::runtime_error);
  CHECK_THROWS_AS(updated_reference_text("case = \"x\"\n", {}, {}), std::runtime_error);
}
