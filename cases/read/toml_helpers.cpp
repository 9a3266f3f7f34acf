/// \file
/// Typed, located access to TOML nodes (cases/read/toml_helpers.hpp).
#include "cases/read/toml_helpers.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>

#include "cases/spec/input_file.hpp"

namespace cposim::cases {

std::string join(const KeyList& items, const char* separator) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (const char ch : text) {
    const auto byte = static_cast<unsigned char>(ch);
    switch (ch) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (byte < 0x20) {
          std::string escape = fmt::format("\\u{:04x}", static_cast<unsigned>(byte));
          out += escape;
        } else {
          out += ch;
        }
    }
  }
  return out + "\"";
}

KeyList concat(KeyList a, const KeyList& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

std::string describe(const toml::node& node) {
  if (const auto* s = node.as_string()) return "'" + s->get() + "'";
  if (const auto* i = node.as_integer()) return std::to_string(i->get());
  if (const auto* f = node.as_floating_point()) return format_number(f->get());
  if (const auto* b = node.as_boolean()) return b->get() ? "true" : "false";
  if (const auto* a = node.as_array()) return "an array of " + std::to_string(a->size());
  if (node.is_table()) return "a table";
  return "a date or time";
}

std::string name_list(std::vector<std::string> names) {
  constexpr std::size_t kShown = 12;
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < kShown; ++i) out += (i ? ", " : "") + names[i];
  if (names.size() > kShown) out += ", ... (" + std::to_string(names.size() - kShown) + " more)";
  return out.empty() ? "none" : out;
}

bool before(const toml::source_position& a, const toml::source_position& b) {
  return a.line != b.line ? a.line < b.line : a.column < b.column;
}

bool is_valid_name(const std::string& name) {
  if (name.empty() || name.size() > kMaxNameLength) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

std::string name_rule() {
  return "letters, digits, '_', '-' or '.' (1 to " + std::to_string(kMaxNameLength) +
         " characters)";
}

std::string with_unit(const char* unit) {
  return *unit == '\0' ? std::string() : " " + std::string(unit);
}

// ---------------------------------------------------------------------------------------------
// Parsing

namespace {

/// Throws a CaseError at the first run of dotted key components (outside strings and comments)
/// longer than kMaxTomlKeyDepth. Counts the dots between the characters that end a key
/// ('=', brackets, braces, ',' and line ends); a number has at most one.
void check_key_depth(std::string_view text, const std::string& display_name) {
  int line = 1, column = 0, dots = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    ++column;
    if (c == '\n') {
      ++line;
      column = 0;
      dots = 0;
    } else if (c == '#') {  // a comment, to the line end
      while (i + 1 < text.size() && text[i + 1] != '\n') ++i;
    } else if (c == '"' || c == '\'') {
      // A string (basic, literal, or multi-line): skip to its end, counting lines.
      const bool multi = i + 2 < text.size() && text[i + 1] == c && text[i + 2] == c;
      const std::size_t open = multi ? 3 : 1;
      i += open;
      column += static_cast<int>(open) - 1;
      for (; i < text.size(); ++i, ++column) {
        if (c == '"' && text[i] == '\\') {
          ++i;
          ++column;
          continue;
        }
        if (text[i] == '\n') {
          if (!multi) break;
          ++line;
          column = 0;
        }
        if (text[i] == c &&
            (!multi || (i + 2 < text.size() && text[i + 1] == c && text[i + 2] == c))) {
          i += multi ? 2 : 0;
          break;
        }
      }
      if (i < text.size() && text[i] == '\n') {
        ++line;
        column = 0;
        dots = 0;
      }
    } else if (c == '.') {
      if (++dots >= kMaxTomlKeyDepth)
        throw CaseError({display_name, line, column},
                        "a key nested more than " + std::to_string(kMaxTomlKeyDepth) +
                            " levels deep (dotted key or table header); the case format needs "
                            "fewer than ten");
    } else if (c == '=' || c == '[' || c == ']' || c == '{' || c == '}' || c == ',') {
      dots = 0;
    }
  }
}

/// Throws a CaseError at the first key or string in `node` that holds a NUL character.
void reject_nul(const toml::node& node, const std::string& display_name) {
  const auto at = [&](const toml::source_region& where) {
    return SourceLocation{display_name, static_cast<int>(where.begin.line),
                          static_cast<int>(where.begin.column)};
  };
  if (const auto* s = node.as_string()) {
    if (s->get().find('\0') != std::string::npos)
      throw CaseError(at(s->source()),
                      "a string holds a NUL character (\\u0000), which no name, path or text "
                      "may contain");
  } else if (const auto* t = node.as_table()) {
    for (auto&& [key, child] : *t) {
      if (key.str().find('\0') != std::string_view::npos)
        throw CaseError(at(key.source()), "a key holds a NUL character (\\u0000)");
      reject_nul(child, display_name);
    }
  } else if (const auto* a = node.as_array()) {
    for (const auto& child : *a) reject_nul(child, display_name);
  }
}

}  // namespace

toml::table parse_case_toml(std::string_view text, const std::string& display_name) {
  check_key_depth(text, display_name);
  toml::table root;
  try {
    root = toml::parse(text, std::string_view(display_name));
  } catch (const toml::parse_error& e) {
    const auto& p = e.source().begin;
    throw CaseError({display_name, static_cast<int>(p.line), static_cast<int>(p.column)},
                    std::string(e.description()));
  }
  reject_nul(root, display_name);
  return root;
}

// ---------------------------------------------------------------------------------------------
// Structure

DataFileText TomlReader::read_data_file(const toml::node& node, const std::string& path,
                                        const std::string& what) const {
  DataFileText data;
  data.path = string(node, path);
  if (data.path.empty()) fail(node, "'" + path + "' must name a CSV file, got ''");
  std::filesystem::path file(data.path);
  if (file.is_relative() && !base_dir_.empty()) file = std::filesystem::path(base_dir_) / file;
  data.resolved_path = file.string();
  const std::string cannot_read =
      "cannot read " + what + " '" + data.path + "'" +
      (data.resolved_path == data.path ? "" : " (resolved to '" + data.resolved_path + "')") + ": ";
  try {
    const auto& at = node.source().begin;
    data.text =
        read_input_file(data.resolved_path, static_cast<int>(at.line), static_cast<int>(at.column));
  } catch (const InputFileError& e) {
    fail(node, cannot_read + e.what());
  }
  // A UTF-8 byte-order mark (spreadsheet exports write one) is not part of the first value.
  if (data.text.rfind("\xEF\xBB\xBF", 0) == 0) data.text.erase(0, 3);
  return data;
}

void TomlReader::reject_unknown_keys(const Section& s, const KeyList& known) const {
  const toml::key* first = nullptr;
  for (const auto& [key, node] : *s.table) {
    if (std::find(known.begin(), known.end(), key.str()) != known.end()) continue;
    if (first == nullptr || before(key.source().begin, first->source().begin)) first = &key;
  }
  if (first == nullptr) return;
  throw CaseError(at(first->source().begin), "unknown key '" + std::string(first->str()) + "' in " +
                                                 s.label() + "; known keys: " + join(known));
}

const toml::node& TomlReader::require(const Section& s, std::string_view key) const {
  if (const toml::node* node = s.find(key)) return *node;
  fail(*s.table, "missing required key '" + std::string(key) + "' in " + s.label());
}

const toml::table& TomlReader::table(const toml::node& node, const std::string& path) const {
  if (const auto* t = node.as_table()) return *t;
  fail(node, "'" + path + "' must be a table, got " + describe(node));
}

const toml::array& TomlReader::array(const toml::node& node, const std::string& path) const {
  if (const auto* a = node.as_array()) return *a;
  fail(node, "'" + path + "' must be an array, got " + describe(node));
}

std::vector<Section> TomlReader::table_array(const toml::node& node,
                                             const std::string& path) const {
  const auto* a = node.as_array();
  if (a == nullptr) fail(node, "'" + path + "' must be an array of tables, got " + describe(node));
  std::vector<Section> out;
  for (std::size_t i = 0; i < a->size(); ++i) {
    const std::string element = path + "[" + std::to_string(i) + "]";
    out.push_back({&table((*a)[i], element), element, true});
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Values

double TomlReader::number(const toml::node& node, const std::string& path) const {
  double value = 0.0;
  if (const auto* i = node.as_integer())
    value = static_cast<double>(i->get());
  else if (const auto* f = node.as_floating_point())
    value = f->get();
  else
    fail(node, "'" + path + "' must be a number, got " + describe(node));
  if (!std::isfinite(value))
    fail(node, "'" + path + "' must be finite, got " + format_number(value));
  return value;
}

double TomlReader::positive(const toml::node& node, const std::string& path,
                            const char* unit) const {
  const double value = number(node, path);
  if (!(value > 0.0))
    fail(node, "'" + path + "' must be > 0" + with_unit(unit) + ", got " + format_number(value));
  return value;
}

double TomlReader::non_negative(const toml::node& node, const std::string& path,
                                const char* unit) const {
  const double value = number(node, path);
  if (!(value >= 0.0))
    fail(node, "'" + path + "' must be >= 0" + with_unit(unit) + ", got " + format_number(value));
  return value;
}

double TomlReader::in_range(const toml::node& node, const std::string& path, const char* unit,
                            double lo, double hi) const {
  const double value = number(node, path);
  if (!(value >= lo && value <= hi))
    fail(node, "'" + path + "' must be >= " + format_number(lo) + " and <= " + format_number(hi) +
                   with_unit(unit) + ", got " + format_number(value));
  return value;
}

double TomlReader::open_fraction(const toml::node& node, const std::string& path) const {
  const double value = number(node, path);
  if (!(value > 0.0 && value < 1.0))
    fail(node, "'" + path + "' must be > 0 and < 1, got " + format_number(value));
  return value;
}

int TomlReader::integer_at_least(const toml::node& node, const std::string& path,
                                 int minimum) const {
  const auto* i = node.as_integer();
  if (i == nullptr) fail(node, "'" + path + "' must be an integer, got " + describe(node));
  if (i->get() < minimum)
    fail(node, "'" + path + "' must be >= " + std::to_string(minimum) + ", got " +
                   std::to_string(i->get()));
  if (i->get() > 1'000'000'000) fail(node, "'" + path + "' is too large, got " + describe(node));
  return static_cast<int>(i->get());
}

bool TomlReader::boolean(const toml::node& node, const std::string& path) const {
  if (const auto* b = node.as_boolean()) return b->get();
  fail(node, "'" + path + "' must be true or false, got " + describe(node));
}

std::string TomlReader::string(const toml::node& node, const std::string& path) const {
  if (const auto* s = node.as_string()) return s->get();
  fail(node, "'" + path + "' must be a string, got " + describe(node));
}

std::string TomlReader::string(const toml::node& node, const std::string& path,
                               std::size_t max_bytes) const {
  std::string value = string(node, path);
  if (value.size() > max_bytes)
    fail(node, "'" + path + "' must be at most " + std::to_string(max_bytes) + " bytes, got " +
                   std::to_string(value.size()));
  return value;
}

std::string TomlReader::name(const toml::node& node, const std::string& path) const {
  std::string value = string(node, path);
  if (!is_valid_name(value))
    fail(node, "'" + path + "' must be a name of " + name_rule() + ", got '" + value + "'");
  return value;
}

std::string TomlReader::required_name(const Section& s, SourceLocation& where) const {
  const toml::node& n = require(s, "name");
  where = at(n);
  return name(n, s.key("name"));
}

NameRef TomlReader::name_ref(const toml::node& node, const std::string& path) const {
  return {string(node, path), at(node)};
}

std::string TomlReader::choice(const toml::node& node, const std::string& path,
                               const KeyList& choices) const {
  std::string value = string(node, path);
  if (std::find(choices.begin(), choices.end(), value) == choices.end())
    fail(node, "'" + path + "' must be one of " + join(choices) + ", got '" + value + "'");
  return value;
}

std::size_t TomlReader::choice_index(const toml::node& node, const std::string& path,
                                     const KeyList& choices) const {
  const std::string value = choice(node, path, choices);
  return static_cast<std::size_t>(std::find(choices.begin(), choices.end(), value) -
                                  choices.begin());
}

}  // namespace cposim::cases
