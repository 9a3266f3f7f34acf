#pragma once
/// \file
/// The result files of the benchmark programs: a JSON object with a few header members and
/// one list of rows, each row on one line, written through nlohmann::ordered_json.

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cases/report/json_line.hpp"

namespace cposim::bench {

using JsonRow = nlohmann::ordered_json;

/// `value` with only the digits the fmt `spec` keeps (e.g. "{:.3f}"), so a row records the
/// precision the benchmark means; null when not finite.
inline JsonRow rounded(double value, const char* spec) {
  if (!std::isfinite(value)) return nullptr;
  return std::stod(fmt::format(fmt::runtime(spec), value));
}

/// `{<head members, one a line>, "<list>": [<rows, one a line>]}` and a final newline.
inline std::string json_rows_document(const JsonRow& head, const char* list,
                                      const std::vector<JsonRow>& rows) {
  const auto dump = [](const JsonRow& j) { return cases::json_line(j); };
  std::string out = "{\n";
  for (const auto& [key, value] : head.items())
    out += "  " + dump(key) + ": " + dump(value) + ",\n";
  out += "  " + dump(list) + ": [\n";
  for (std::size_t i = 0; i < rows.size(); ++i)
    out += "    " + dump(rows[i]) + (i + 1 < rows.size() ? ",\n" : "\n");
  return out + "  ]\n}\n";
}

/// Writes json_rows_document(head, list, rows) to `path`; false if it cannot be written.
inline bool write_json_rows(const std::string& path, const JsonRow& head, const char* list,
                            const std::vector<JsonRow>& rows) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << json_rows_document(head, list, rows);
  out.close();
  return static_cast<bool>(out);
}

}  // namespace cposim::bench
