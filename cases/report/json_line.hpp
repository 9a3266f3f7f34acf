#pragma once
/// \file
/// One JSON value on one line with the spacing of the hand-written lines it replaced
/// ({"key": value, "list": [1, 2]}), for line-oriented files that people also grep: the --log
/// progress lines, the regression history and the rows of the benchmark result files.

#include <nlohmann/json.hpp>
#include <string>

namespace cposim::cases {

/// `value` on one line: ", " between items and ": " after keys (nlohmann's compact form has no
/// spaces). Invalid UTF-8 in a string becomes U+FFFD. Throws nothing but std::bad_alloc.
inline std::string json_line(const nlohmann::ordered_json& value) {
  const std::string pretty =
      value.dump(0, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  std::string line;
  line.reserve(pretty.size());
  for (const char c : pretty) {  // each newline of the pretty form is structural
    if (c != '\n')
      line += c;
    else if (!line.empty() && line.back() == ',')
      line += ' ';
  }
  return line;
}

}  // namespace cposim::cases
