/// \file
/// The one CSV splitter of the case data files (cases/read/csv_cells.hpp): lines, cells and the
/// `file:line:col` of an error.
#include <doctest/doctest.h>

#include "cases/read/csv_cells.hpp"

using namespace cposim::cases;

TEST_CASE("csv_lines skips blank and comment lines and keeps each cell's line and column") {
  const auto lines = csv_lines("# header comment\r\n\n  t_s , factor\r\n0.5,\t2\n   # indented\n");
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].line == 3);
  CHECK(lines[0].text == "  t_s , factor");
  REQUIRE(lines[0].cells.size() == 2);
  CHECK(lines[0].cells[0].text == "t_s");
  CHECK(lines[0].cells[0].column == 3);
  CHECK(lines[0].cells[1].text == "factor");
  CHECK(lines[0].cells[1].column == 9);
  CHECK(lines[1].line == 4);
  CHECK(lines[1].cells[1].text == "2");
  CHECK(lines[1].cells[1].column == 6);
  CHECK(csv_lines("").empty());
}

TEST_CASE("csv_number points at file:line:col of the offending cell") {
  const auto lines = csv_lines("1, 2\n3,  x7\n4, 1e999\n, 5\n");
  CHECK(csv_number(lines[0].cells[1], "m.csv", lines[0].line, "q") == 2.0);
  CHECK_THROWS_WITH_AS(csv_number(lines[1].cells[1], "m.csv", lines[1].line, "h map value"),
                       "m.csv:2:5: error: h map value must be a number, got 'x7'", CaseError);
  CHECK_THROWS_WITH_AS(csv_number(lines[2].cells[1], "m.csv", lines[2].line, "power map value"),
                       "m.csv:3:4: error: power map value must be finite, got inf", CaseError);
  CHECK_THROWS_WITH_AS(csv_number(lines[3].cells[0], "m.csv", lines[3].line, "waveform time"),
                       "m.csv:4:1: error: waveform time must be a number, got ''", CaseError);
}
