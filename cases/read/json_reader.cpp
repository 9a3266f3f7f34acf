/// \file
/// JSON reading (cases/read/json_reader.hpp) through nlohmann's strict SAX parser: the events
/// build a JsonValue directly, so member order and duplicate keys are kept as in the file.
#include "cases/read/json_reader.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace cposim::cases {
namespace {

/// Nesting beyond this is refused (summary.json nests 3 deep).
constexpr std::size_t kMaxDepth = 256;

/// "line L, column C: <what>" for the byte offset `position` (one past the offending byte,
/// as nlohmann reports it) in `text`.
std::string located(std::string_view text, std::size_t position, const std::string& what) {
  const std::size_t end = std::min(position, text.size());
  const auto line =
      1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(end), '\n');
  const std::size_t newline = end == 0 ? std::string_view::npos : text.rfind('\n', end - 1);
  const std::size_t column = position - (newline == std::string_view::npos ? 0 : newline + 1);
  return "line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + what;
}

/// nlohmann's message without its "[json.exception.…] " tag and its own position.
std::string reason(const nlohmann::detail::exception& error) {
  std::string what = error.what();
  if (const auto tag = what.find("] "); tag != std::string::npos) what.erase(0, tag + 2);
  if (what.rfind("parse error", 0) == 0)
    if (const auto colon = what.find(": "); colon != std::string::npos) what.erase(0, colon + 2);
  return what;
}

/// Builds the JsonValue tree from the parser's events.
class Builder : public nlohmann::json_sax<nlohmann::json> {
 public:
  explicit Builder(std::string_view text) : text_(text) {}
  JsonValue document;

  bool null() override { return add(JsonValue{}); }
  bool boolean(bool value) override {
    JsonValue v;
    v.kind = JsonValue::Kind::boolean;
    v.boolean = value;
    return add(std::move(v));
  }
  bool number_integer(number_integer_t value) override {
    return number(static_cast<double>(value));
  }
  bool number_unsigned(number_unsigned_t value) override {
    return number(static_cast<double>(value));
  }
  bool number_float(number_float_t value, const string_t&) override { return number(value); }
  bool string(string_t& value) override {
    JsonValue v;
    v.kind = JsonValue::Kind::string;
    v.text = std::move(value);
    return add(std::move(v));
  }
  bool binary(binary_t&) override { return false; }  // not produced by the JSON text parser
  bool start_object(std::size_t) override { return open(JsonValue::Kind::object); }
  bool key(string_t& name) override {
    open_.back()->members.emplace_back(std::move(name), JsonValue{});
    return true;
  }
  bool end_object() override { return close(); }
  bool start_array(std::size_t) override { return open(JsonValue::Kind::array); }
  bool end_array() override { return close(); }
  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception& error) override {
    throw std::runtime_error(located(text_, position, reason(error)));
  }

 private:
  bool number(double value) {
    JsonValue v;
    v.kind = JsonValue::Kind::number;
    v.number = value;
    return add(std::move(v));
  }
  /// Places `v` where the next value goes; returns where it now lives.
  JsonValue* place(JsonValue v) {
    if (open_.empty()) {
      document = std::move(v);
      return &document;
    }
    JsonValue& parent = *open_.back();
    if (parent.kind == JsonValue::Kind::array) {
      parent.items.push_back(std::move(v));
      return &parent.items.back();
    }
    parent.members.back().second = std::move(v);  // key() has added the member
    return &parent.members.back().second;
  }
  bool add(JsonValue v) {
    place(std::move(v));
    return true;
  }
  bool open(JsonValue::Kind kind) {
    if (open_.size() >= kMaxDepth)
      throw std::runtime_error("JSON nests deeper than " + std::to_string(kMaxDepth) + " levels");
    JsonValue v;
    v.kind = kind;
    open_.push_back(place(std::move(v)));
    return true;
  }
  bool close() {
    open_.pop_back();
    return true;
  }

  std::string_view text_;
  std::vector<JsonValue*> open_;  // the containers not yet closed, innermost last
};

}  // namespace

const JsonValue* JsonValue::find(std::string_view key) const {
  if (kind != Kind::object) return nullptr;
  for (const auto& [k, v] : members)
    if (k == key) return &v;
  return nullptr;
}

const JsonValue& JsonValue::at(std::string_view key) const {
  if (const JsonValue* v = find(key)) return *v;
  throw std::out_of_range("no member '" + std::string(key) + "'");
}

double JsonValue::number_or(std::string_view key, double fallback) const {
  const JsonValue* v = find(key);
  return v != nullptr && v->kind == Kind::number ? v->number : fallback;
}

std::string JsonValue::text_or(std::string_view key, const std::string& fallback) const {
  const JsonValue* v = find(key);
  return v != nullptr && v->kind == Kind::string ? v->text : fallback;
}

JsonValue parse_json(std::string_view text) {
  Builder builder(text);
  nlohmann::json::sax_parse(text.begin(), text.end(), &builder);
  return std::move(builder.document);
}

}  // namespace cposim::cases
