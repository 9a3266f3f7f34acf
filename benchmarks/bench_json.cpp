/// \file
/// Metric paths into a parsed summary.json (benchmarks/bench_json.hpp).
#include "benchmarks/bench_json.hpp"

#include <cctype>
#include <cstdlib>
#include <vector>

namespace cposim::bench {
namespace {

using cases::JsonValue;

bool all_digits(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

const JsonValue* element_named(const JsonValue& array, const std::string& name) {
  for (const char* key : {"name", "region"})
    for (const auto& e : array.items)
      if (const JsonValue* m = e.find(key);
          m && m->kind == JsonValue::Kind::string && m->text == name)
        return &e;
  return nullptr;
}

}  // namespace

MetricLookup lookup_number(const JsonValue& root, const std::string& path) {
  std::vector<std::string> segments;
  for (std::size_t start = 0;;) {
    const std::size_t dot = path.find('.', start);
    segments.push_back(path.substr(start, dot == std::string::npos ? dot : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  const JsonValue* at = &root;
  std::string walked;
  for (std::size_t i = 0; i < segments.size();) {
    const std::string& segment = segments[i];
    const std::string where = walked.empty() ? "the summary" : walked;
    if (segment.empty()) return {std::nullopt, "empty segment in metric path '" + path + "'"};
    const JsonValue* next = nullptr;
    std::size_t used = 1;
    if (at->kind == JsonValue::Kind::object) {
      next = at->find(segment);
      if (!next) return {std::nullopt, "no member '" + segment + "' in " + where};
    } else if (at->kind == JsonValue::Kind::array && all_digits(segment)) {
      const auto index = std::strtoull(segment.c_str(), nullptr, 10);
      if (index >= at->items.size())
        return {std::nullopt, where + " has " + std::to_string(at->items.size()) +
                                  " elements, no index " + segment};
      next = &at->items[index];
    } else if (at->kind == JsonValue::Kind::array) {
      // Names may contain '.' (cases/ allows it): try "a", then "a.b", ... as the name.
      std::string name = segment;
      for (; i + used <= segments.size(); name += "." + segments[i + used], ++used)
        if ((next = element_named(*at, name)) != nullptr || i + used == segments.size()) break;
      if (!next) return {std::nullopt, "no element named '" + segment + "' in " + where};
    } else {
      return {std::nullopt, where + " is not an object or array, so it has no '" + segment + "'"};
    }
    for (std::size_t k = 0; k < used; ++k) walked += (walked.empty() ? "" : ".") + segments[i + k];
    at = next;
    i += used;
  }
  switch (at->kind) {
    case JsonValue::Kind::number:
      return {at->number, ""};
    case JsonValue::Kind::boolean:
      return {at->boolean ? 1.0 : 0.0, ""};
    case JsonValue::Kind::null:
      return {std::nullopt, path + " is null (NaN or infinite)"};
    default:
      return {std::nullopt, path + " is not a number"};
  }
}

}  // namespace cposim::bench
