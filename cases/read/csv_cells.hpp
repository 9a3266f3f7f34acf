#pragma once
/// \file
/// The one CSV splitter for the data files a case names (power maps, h maps, q maps, power
/// waveforms): lines, cells and their positions, so every error can point at `file:line:col`.

#include <string>
#include <string_view>
#include <vector>

#include "cases/spec/case_error.hpp"

namespace cposim::cases {

/// One cell: its text trimmed of spaces and tabs, and the 1-based column of that text.
struct CsvCell {
  std::string text;
  int column = 1;
};

/// One data line: its 1-based line number, its text (without a trailing '\r') and its cells.
struct CsvLine {
  int line = 1;
  std::string_view text;
  std::vector<CsvCell> cells;
};

/// The data lines of `text`, split at ',' into cells. Blank lines and lines whose first
/// non-blank character is '#' are skipped. `text` must outlive the result. Throws nothing.
std::vector<CsvLine> csv_lines(std::string_view text);

/// `cell` as a finite number. Throws CaseError at `{path, line, cell.column}`:
/// "<subject> must be a number, got '<text>'" or "<subject> must be finite, got <value>".
double csv_number(const CsvCell& cell, const std::string& path, int line,
                  const std::string& subject);

}  // namespace cposim::cases
