#pragma once
/// \file
/// Internal to cases/: typed, located access to a parsed TOML case file. Every helper throws
/// CaseError "<file>:<line>:<col>: error: …" at the offending node, naming the key path, the
/// value, the unit and the allowed range. Shared by the readers of the case-file sections
/// (case_reader.cpp, photonics_reader.cpp, …); not part of the library's public API.

#include <toml++/toml.h>

#include <array>
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cases/spec/case_error.hpp"
#include "cases/spec/case_spec.hpp"

namespace cposim::cases {

/// The one µm → m conversion. Dividing by the exact 1e6 rounds correctly, so 100 µm becomes
/// the double nearest 1e-4 m (multiplying by 1e-6 can be one ulp off).
inline constexpr double kUmPerMetre = 1e6;

// Units as printed in messages, one per key suffix.
inline constexpr const char* kUm = "µm";
inline constexpr const char* kWatt = "W";
inline constexpr const char* kKelvin = "K";
inline constexpr const char* kWPerMK = "W/(m K)";
inline constexpr const char* kWPerM2K = "W/(m² K)";
inline constexpr const char* kM2KPerW = "m² K/W";
inline constexpr const char* kKgPerM3 = "kg/m³";
inline constexpr const char* kJPerKgK = "J/(kg K)";

/// Key names or choices, as listed in messages.
using KeyList = std::vector<std::string_view>;

/// `items` joined by `separator`.
std::string join(const KeyList& items, const char* separator = ", ");
/// `text` as a double-quoted string literal, valid both as a TOML basic string and as a JSON
/// string (the two share their escapes: \" \\ \b \f \n \r \t and \uXXXX for other control
/// characters). Used by the resolved-case echo and the regression references (JSON is written
/// by nlohmann::json).
std::string quoted(const std::string& text);
/// `a` followed by `b` (for key lists that share a common part).
KeyList concat(KeyList a, const KeyList& b);

/// Names as listed in messages: the first 12, then ", ... (N more)"; "none" if there are none.
std::string name_list(std::vector<std::string> names);

/// A value as quoted after "got" in a message: 'text', 42, 1.5, true, "an array of 3", …
std::string describe(const toml::node& node);

/// True if position `a` comes before `b` in the file.
bool before(const toml::source_position& a, const toml::source_position& b);

/// Names (layers, blocks, probes, materials, devices) end up in results-file paths, attributes
/// and messages: letters, digits, '_', '-' and '.', from 1 to kMaxNameLength characters.
bool is_valid_name(const std::string& name);
inline constexpr std::size_t kMaxNameLength = 128;
/// Longest case `title` accepted (bytes).
inline constexpr std::size_t kMaxTitleBytes = 1000;
/// The rule of is_valid_name, for messages: "letters, digits, '_', '-' or '.' (1 to 128 …)".
std::string name_rule();

/// " <unit>" or "" for a unitless key (unit "").
std::string with_unit(const char* unit);

/// A table of the case file and its key path ("" for the top level, "package", "layers[0]").
struct Section {
  const toml::table* table = nullptr;
  std::string path;
  bool array_element = false;  ///< an element of an array of tables: printed without brackets

  /// The dotted path of key `k` in this table, as printed in messages.
  std::string key(std::string_view k) const {
    return path.empty() ? std::string(k) : path + "." + std::string(k);
  }
  /// How messages name this table: "the top level", "[package]" or "layers[1]".
  std::string label() const {
    if (path.empty()) return "the top level";
    return array_element ? path : "[" + path + "]";
  }
  /// The node at key `k`, or null.
  const toml::node* find(std::string_view k) const { return table->get(k); }
};

/// Deepest key nesting accepted: dotted keys and table headers of more components than this are
/// refused (a case needs fewer than ten; without a bound, tens of thousands overflow the stack).
inline constexpr int kMaxTomlKeyDepth = 100;

/// Parses TOML `text` (errors as CaseError at `display_name`:line:col): refuses keys nested
/// deeper than kMaxTomlKeyDepth before parsing, and any key or string holding a NUL character
/// after it. The one parse of case and sweep files.
toml::table parse_case_toml(std::string_view text, const std::string& display_name);

/// A data file (CSV) named in the case file, read whole.
struct DataFileText {
  std::string path;           ///< as written in the case file
  std::string resolved_path;  ///< relative paths resolved against the case file's folder
  std::string text;
};

/// Typed access to the nodes of one case file. Holds only the file name (for locations) and
/// the folder relative paths are resolved against. Every method throws CaseError at the node.
class TomlReader {
 public:
  TomlReader(std::string file, std::string base_dir)
      : file_(std::move(file)), base_dir_(std::move(base_dir)) {}

  // --- locations and failures -------------------------------------------------------------
  /// The location of a position in this file.
  SourceLocation at(const toml::source_position& p) const {
    return {file_, static_cast<int>(p.line), static_cast<int>(p.column)};
  }
  /// The location where `node` starts.
  SourceLocation at(const toml::node& node) const { return at(node.source().begin); }
  /// Throws CaseError(at(node), message).
  [[noreturn]] void fail(const toml::node& node, const std::string& message) const {
    throw CaseError(at(node), message);
  }

  // --- structure ----------------------------------------------------------------------------
  /// Rejects keys not in `known`, reporting the first unknown key in file order, at the key,
  /// with the list of known keys.
  void reject_unknown_keys(const Section& s, const KeyList& known) const;
  /// The node at `key`; throws "missing required key" at the table if absent.
  const toml::node& require(const Section& s, std::string_view key) const;
  /// `node` as a table; throws if it is not one.
  const toml::table& table(const toml::node& node, const std::string& path) const;
  /// `node` as an array; throws if it is not one.
  const toml::array& array(const toml::node& node, const std::string& path) const;
  /// The tables of an array of tables (`[[layers]]` or `layers = [{...}, ...]`).
  std::vector<Section> table_array(const toml::node& node, const std::string& path) const;

  /// The data file named by the string at `node` (key `path`), resolved against the case
  /// file's folder and read whole. Throws "'<path>' must name a CSV file, got ''" for an empty
  /// name and "cannot read <what> '<name>' (resolved to '<file>'): <why>" if the file cannot
  /// be read; `what` is e.g. "power map".
  DataFileText read_data_file(const toml::node& node, const std::string& path,
                              const std::string& what) const;

  // --- values -------------------------------------------------------------------------------
  /// A finite number (an integer is fine).
  double number(const toml::node& node, const std::string& path) const;
  /// A finite number > 0; `unit` ("µm", "W", "" …) is printed in the message.
  double positive(const toml::node& node, const std::string& path, const char* unit) const;
  /// A finite number ≥ 0.
  double non_negative(const toml::node& node, const std::string& path, const char* unit) const;
  /// A finite number in [lo, hi] (inclusive), e.g. a fraction in [0, 1].
  double in_range(const toml::node& node, const std::string& path, const char* unit, double lo,
                  double hi) const;
  /// A finite number strictly between 0 and 1 (a relative tolerance).
  double open_fraction(const toml::node& node, const std::string& path) const;
  /// An integer ≥ `minimum` (and ≤ 1e9).
  int integer_at_least(const toml::node& node, const std::string& path, int minimum) const;
  /// A boolean.
  bool boolean(const toml::node& node, const std::string& path) const;
  /// A string.
  std::string string(const toml::node& node, const std::string& path) const;
  /// A string of at most `max_bytes` bytes (free text such as the title, which ends up in an
  /// HDF5 attribute and in report headings).
  std::string string(const toml::node& node, const std::string& path, std::size_t max_bytes) const;
  /// A string that is a valid name (is_valid_name).
  std::string name(const toml::node& node, const std::string& path) const;
  /// The required key `name` of section `s`, a valid name; its location goes to `where`.
  std::string required_name(const Section& s, SourceLocation& where) const;
  /// A string naming something defined elsewhere, with its location.
  NameRef name_ref(const toml::node& node, const std::string& path) const;
  /// A string that is one of `choices`.
  std::string choice(const toml::node& node, const std::string& path, const KeyList& choices) const;
  /// The position in `choices` of the string that is one of them (an enum's value when
  /// `choices` lists its names in enum order).
  std::size_t choice_index(const toml::node& node, const std::string& path,
                           const KeyList& choices) const;
  /// Exactly N numbers; each > 0 if `sizes`, else any finite value.
  template <std::size_t N>
  std::array<double, N> numbers(const toml::node& node, const std::string& path, const char* unit,
                                bool sizes) const {
    const auto* a = node.as_array();
    if (a == nullptr || a->size() != N)
      fail(node, "'" + path + "' must be an array of " + std::to_string(N) + " numbers" +
                     (*unit ? std::string(" in ") + unit : std::string()) + ", got " +
                     describe(node));
    std::array<double, N> out{};
    for (std::size_t i = 0; i < N; ++i) {
      const std::string element = path + "[" + std::to_string(i) + "]";
      out[i] = sizes ? positive((*a)[i], element, unit) : number((*a)[i], element);
    }
    return out;
  }
  /// Exactly N lengths in µm, returned in metres.
  template <std::size_t N>
  std::array<double, N> lengths_m(const toml::node& node, const std::string& path,
                                  bool sizes) const {
    auto v = numbers<N>(node, path, kUm, sizes);
    for (double& x : v) x /= kUmPerMetre;
    return v;
  }

 protected:
  std::string file_;
  std::string base_dir_;
};

}  // namespace cposim::cases
