#pragma once
/// \file
/// A minimal JSON reader for summary.json (RFC 8259 values; no dependency): parse a document,
/// then look numbers up by a dotted metric path.

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "benchmarks/bench_metric_lookup.hpp"

namespace cposim::bench {

/// One JSON value. Objects keep their members in file order (summary.json is small, so a
/// linear search is fine and duplicates resolve to the first).
struct JsonValue {
  enum class Kind { null, boolean, number, string, array, object };
  Kind kind = Kind::null;
  bool boolean = false;
  double number = 0.0;
  std::string string;
  std::vector<JsonValue> array;
  std::vector<std::pair<std::string, JsonValue>> object;

  /// The member called `key` of an object, or nullptr (also for a non-object).
  const JsonValue* member(const std::string& key) const;
};

/// Parses one JSON document (surrounding white space allowed). Throws std::runtime_error
/// "line L, column C: <what>" on malformed input. Numbers are read with strtod in the "C"
/// locale sense (summary.json writes them with %.17g).
JsonValue parse_json(const std::string& text);

/// Follows a dotted path such as "regions.si.T_max_K" or "energy_balance.relative" from the
/// root. A segment applied to an object selects that member; applied to an array it selects
/// the element with that index (all digits) or else the first object element whose "name" or,
/// failing that, "region" member equals the segment (summary.json's region, hot-spot and
/// resistance lists). true/false read as 1/0; a null value (NaN or inf when written) is
/// reported as an error.
MetricLookup lookup_number(const JsonValue& root, const std::string& path);

}  // namespace cposim::bench
