#pragma once
/// \file
/// A strict JSON reader (RFC 8259, nlohmann's parser) for the files cposim writes itself
/// (summary.json, a sweep point's point.json, the --log lines), so the sweep, the regression
/// runner and the tests can read them back into a plain value tree.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cposim::cases {

/// A parsed JSON value. Objects keep their members in file order (the files are small, so a
/// linear search is fine and a duplicate key resolves to the first).
struct JsonValue {
  enum class Kind { null, boolean, number, string, array, object };
  Kind kind = Kind::null;
  bool boolean = false;
  double number = 0.0;
  std::string text;  ///< a string's value (escapes decoded, UTF-8)
  std::vector<JsonValue> items;
  std::vector<std::pair<std::string, JsonValue>> members;

  /// The member `key` of an object, or null if this is not an object or has no such key.
  const JsonValue* find(std::string_view key) const;
  /// The member `key` of an object. Throws std::out_of_range "no member '<key>'" if this is not
  /// an object or has no such key.
  const JsonValue& at(std::string_view key) const;
  /// The member's number; `fallback` if absent, not a number or null (NaN is written as null).
  double number_or(std::string_view key, double fallback) const;
  /// The member's string; `fallback` if absent or not a string.
  std::string text_or(std::string_view key, const std::string& fallback) const;
};

/// Parses one JSON document (surrounding white space allowed). Throws std::runtime_error
/// "line L, column C: <what>" for anything RFC 8259 rejects, including trailing text, an
/// unpaired surrogate in a \u escape and a number out of the double range; <what> says what
/// was read and what was expected. Nesting deeper than 256 throws std::runtime_error too.
JsonValue parse_json(std::string_view text);

}  // namespace cposim::cases
