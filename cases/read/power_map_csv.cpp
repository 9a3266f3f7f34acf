/// \file
/// The power-map CSV format (power_map_csv.hpp).
#include "cases/read/power_map_csv.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <string>

#include "cases/read/csv_cells.hpp"
#include "cases/spec/case_error.hpp"

namespace cposim::cases {

std::vector<std::vector<double>> parse_power_map_csv(std::string_view text,
                                                     const std::string& display_path,
                                                     const std::string& what) {
  std::vector<std::vector<double>> tiles;
  int first_row_line = 0;
  for (const CsvLine& line : csv_lines(text)) {
    std::vector<double> row;
    for (const CsvCell& cell : line.cells) {
      const double value = csv_number(cell, display_path, line.line, what + " value");
      if (!(value >= 0.0))
        throw CaseError({display_path, line.line, cell.column},
                        what + " value must be >= 0, got " + format_number(value));
      row.push_back(value);
    }
    if (!tiles.empty() && row.size() != tiles.front().size())
      throw CaseError({display_path, line.line, 1},
                      what + " row " + std::to_string(tiles.size() + 1) + " has " +
                          std::to_string(row.size()) + " values, expected " +
                          std::to_string(tiles.front().size()) + " like row 1 (line " +
                          std::to_string(first_row_line) + ")");
    if (tiles.empty()) first_row_line = line.line;
    tiles.push_back(std::move(row));
  }
  return tiles;
}

}  // namespace cposim::cases
