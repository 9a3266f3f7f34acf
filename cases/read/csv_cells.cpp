/// \file
/// The CSV splitter of the case data files (cases/read/csv_cells.hpp).
#include "cases/read/csv_cells.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace cposim::cases {
namespace {

bool blank(char c) { return c == ' ' || c == '\t'; }

/// The cells of one line, each trimmed, with the column where its text starts.
std::vector<CsvCell> cells_of(std::string_view line) {
  std::vector<CsvCell> cells;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = std::min(line.find(',', start), line.size());
    std::size_t a = start, b = end;
    while (a < b && blank(line[a])) ++a;
    while (b > a && blank(line[b - 1])) --b;
    cells.push_back({std::string(line.substr(a, b - a)), static_cast<int>(a) + 1});
    if (end == line.size()) return cells;
    start = end + 1;
  }
}

}  // namespace

std::vector<CsvLine> csv_lines(std::string_view text) {
  std::vector<CsvLine> lines;
  std::size_t line_start = 0;
  for (int line_no = 1; line_start < text.size(); ++line_no) {
    const std::size_t newline = std::min(text.find('\n', line_start), text.size());
    std::string_view line = text.substr(line_start, newline - line_start);
    line_start = newline + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const auto first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos || line[first] == '#') continue;
    lines.push_back({line_no, line, cells_of(line)});
  }
  return lines;
}

double csv_number(const CsvCell& cell, const std::string& path, int line,
                  const std::string& subject) {
  const SourceLocation where{path, line, cell.column};
  char* end = nullptr;
  const double value = cell.text.empty() ? 0.0 : std::strtod(cell.text.c_str(), &end);
  if (cell.text.empty() || end != cell.text.c_str() + cell.text.size())
    throw CaseError(where, subject + " must be a number, got '" + cell.text + "'");
  if (!std::isfinite(value))
    throw CaseError(where, subject + " must be finite, got " + format_number(value));
  return value;
}

}  // namespace cposim::cases
