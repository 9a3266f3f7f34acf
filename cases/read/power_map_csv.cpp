/// \file
/// The power-map CSV format (power_map_csv.hpp).
#include "cases/read/power_map_csv.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <string>

#include "cases/spec/case_error.hpp"

namespace cposim::cases {

std::vector<std::vector<double>> parse_power_map_csv(std::string_view text,
                                                     const std::string& display_path,
                                                     const std::string& what) {
  std::vector<std::vector<double>> tiles;
  std::size_t first_row_line = 0;
  std::size_t line_start = 0;
  for (int line_no = 1; line_start < text.size(); ++line_no) {
    const std::size_t newline = std::min(text.find('\n', line_start), text.size());
    std::string_view line = text.substr(line_start, newline - line_start);
    line_start = newline + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const auto first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos || line[first] == '#') continue;
    std::vector<double> row;
    std::size_t start = 0;
    while (true) {
      const std::size_t end = std::min(line.find(',', start), line.size());
      std::size_t a = start, b = end;
      while (a < b && (line[a] == ' ' || line[a] == '\t')) ++a;
      while (b > a && (line[b - 1] == ' ' || line[b - 1] == '\t')) --b;
      const std::string token(line.substr(a, b - a));
      const SourceLocation where{display_path, line_no, static_cast<int>(a) + 1};
      char* parsed_end = nullptr;
      const double value = token.empty() ? 0.0 : std::strtod(token.c_str(), &parsed_end);
      if (token.empty() || parsed_end != token.c_str() + token.size())
        throw CaseError(where, what + " value must be a number, got '" + token + "'");
      if (!std::isfinite(value))
        throw CaseError(where, what + " value must be finite, got " + format_number(value));
      if (!(value >= 0.0))
        throw CaseError(where, what + " value must be >= 0, got " + format_number(value));
      row.push_back(value);
      if (end == line.size()) break;
      start = end + 1;
    }
    if (!tiles.empty() && row.size() != tiles.front().size())
      throw CaseError({display_path, line_no, 1},
                      what + " row " + std::to_string(tiles.size() + 1) + " has " +
                          std::to_string(row.size()) + " values, expected " +
                          std::to_string(tiles.front().size()) + " like row 1 (line " +
                          std::to_string(first_row_line) + ")");
    if (tiles.empty()) first_row_line = static_cast<std::size_t>(line_no);
    tiles.push_back(std::move(row));
  }
  return tiles;
}

}  // namespace cposim::cases
