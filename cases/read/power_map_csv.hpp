#pragma once
/// \file
/// The CSV format of power maps, h maps and flux maps (cases/README.md).

#include <string>
#include <string_view>
#include <vector>

namespace cposim::cases {

/// Parses the text of a power-map CSV (format in cases/README.md): one line per row of tiles,
/// the first row the lowest y, values separated by commas, every row the same length; blank
/// lines and lines starting with '#' are skipped. Returns tiles[row][column], every value
/// finite and ≥ 0; empty if the text holds no values (the caller reports that at its key).
/// Throws CaseError "<display_path>:<line>:<col>: error: …" for a value that is not a number,
/// not finite or negative, and for a row whose length differs from the first row's; `what`
/// names the map in those messages (h maps use the same format).
std::vector<std::vector<double>> parse_power_map_csv(std::string_view text,
                                                     const std::string& display_path,
                                                     const std::string& what = "power map");

}  // namespace cposim::cases
