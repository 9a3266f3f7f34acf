/// \file
/// Sweep points (cases/sweep/sweep_reader.hpp): parameter paths resolved in the base case's TOML
/// tree, values written into it (each case value by one path only), the tree serialised by
/// toml++, every file the point reads named by its absolute path, and the point's hash over its
/// resolved text, which lists every file it reads with the file's content digest.
#include <fmt/format.h>
#include <toml++/toml.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "cases/read/toml_helpers.hpp"
#include "cases/resolve/load_case.hpp"
#include "cases/spec/input_file.hpp"
#include "cases/sweep/sweep_reader.hpp"

namespace cposim::cases {
namespace {

namespace fs = std::filesystem;

/// The folder a point's relative paths would resolve against in its run (a stand-in: the
/// point's folder does not exist before it runs, and no relative path is left).
constexpr const char* kPointFolderStandIn = "<sweep point folder>";

/// Glob match with '*' (any run, also empty) and '?' (one character).
bool glob_match_one(std::string_view pattern, std::string_view text) {
  std::size_t p = 0, t = 0, star = std::string_view::npos, resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

/// Glob match of any of the '|'-separated alternatives of `pattern` ("c4|interposer").
bool glob_match(std::string_view pattern, std::string_view text) {
  while (true) {
    const std::size_t bar = pattern.find('|');
    if (glob_match_one(pattern.substr(0, bar), text)) return true;
    if (bar == std::string_view::npos) return false;
    pattern.remove_prefix(bar + 1);
  }
}

bool has_glob(std::string_view s) { return s.find_first_of("*?|") != std::string_view::npos; }

/// One step of a path: a key (or element name, with globs) and the indices after it.
struct PathSegment {
  std::string name;
  std::vector<std::size_t> indices;
};

/// "a.b[1].c" → {a}, {b, [1]}, {c}; throws CaseError at `where` for a malformed path.
std::vector<PathSegment> parse_path(const std::string& path, const SourceLocation& where) {
  const auto bad = [&](const std::string& why) -> CaseError {
    return CaseError(where,
                     "sweep path '" + path + "' is malformed: " + why +
                         " (expected e.g. 'blocks.asic.power_W' or 'layers[0].thickness_um')");
  };
  std::vector<PathSegment> out;
  std::size_t i = 0;
  while (true) {
    PathSegment seg;
    while (i < path.size() && path[i] != '.' && path[i] != '[') seg.name += path[i++];
    if (seg.name.empty() && out.empty()) throw bad("it starts with no key");
    while (i < path.size() && path[i] == '[') {
      const std::size_t close = path.find(']', i);
      if (close == std::string::npos) throw bad("'[' without ']'");
      const std::string digits = path.substr(i + 1, close - i - 1);
      if (digits.empty() || digits.size() > 9 ||
          digits.find_first_not_of("0123456789") != std::string::npos)
        throw bad("index '" + digits + "' is not a whole number");
      seg.indices.push_back(static_cast<std::size_t>(std::stoul(digits)));
      i = close + 1;
    }
    if (seg.name.empty() && seg.indices.empty()) throw bad("an empty key");
    out.push_back(std::move(seg));
    if (i == path.size()) break;
    if (path[i] != '.') throw bad("unexpected '" + std::string(1, path[i]) + "'");
    if (++i == path.size()) throw bad("it ends in '.'");
  }
  if (out.front().name == "sweep") throw bad("it points into [sweep] itself");
  return out;
}

/// Where a value is written: a key of a table or an element of an array.
struct Slot {
  toml::table* table = nullptr;
  std::string key;
  toml::array* array = nullptr;
  std::size_t index = 0;
  std::string shown;  ///< the concrete path, e.g. "blocks.oe_w1_pic.origin_um[0]"

  /// The node there now, or null for a new key.
  toml::node* node() const { return table != nullptr ? table->get(key) : &(*array)[index]; }
  /// Replaces (or adds) the value there.
  template <class Value>
  void set(Value&& value) const {
    if (table != nullptr)
      table->insert_or_assign(key, std::forward<Value>(value));
    else
      array->replace(array->cbegin() + static_cast<std::ptrdiff_t>(index),
                     std::forward<Value>(value));
  }
};

/// Finds every slot a path names in a case tree. Element names select tables of an array of
/// tables by their `name` key; '*' and '?' match several keys or names.
class PathResolver {
 public:
  PathResolver(const std::string& path, const SourceLocation& where)
      : path_(path), where_(where), segments_(parse_path(path, where)) {}

  std::vector<Slot> resolve(toml::table& root) {
    slots_.clear();
    walk_table(root, 0, "");
    return slots_;
  }
  /// Keys the last resolve added because the case left them out.
  const std::vector<std::string>& created() const { return created_; }

 private:
  [[noreturn]] void fail(const std::string& why) const {
    throw CaseError(where_, "sweep path '" + path_ + "' matches nothing in the base case: " + why);
  }
  static std::string join_path(const std::string& a, const std::string& b) {
    return a.empty() ? b : a + "." + b;
  }
  static std::string label(const std::string& shown) {
    return shown.empty() ? "the top level" : "'" + shown + "'";
  }

  /// Segment k names something inside table t (reached as `shown`).
  void walk_table(toml::table& t, std::size_t k, const std::string& shown) {
    const PathSegment& seg = segments_[k];
    const bool last = k + 1 == segments_.size();
    if (seg.name.empty()) fail(label(shown) + " is a table, not an array");
    if (!has_glob(seg.name) && !t.contains(seg.name)) {
      // A key, or a table holding just that key, which the case leaves out (a default) is
      // added; the point's read_case checks it, and expand_sweep reports an unknown one at
      // this path.
      const bool one_key_below = k + 2 == segments_.size() && segments_[k + 1].indices.empty() &&
                                 !has_glob(segments_[k + 1].name);
      if (seg.indices.empty() && (last || one_key_below)) {
        created_.push_back(seg.name);
        if (last) {
          slots_.push_back(Slot{&t, seg.name, nullptr, 0, join_path(shown, seg.name)});
          return;
        }
        auto [it, inserted] = t.insert(seg.name, toml::table{});
        return walk_table(*it->second.as_table(), k + 1, join_path(shown, seg.name));
      }
      std::vector<std::string> keys;
      for (auto&& [key, value] : t) keys.emplace_back(key.str());
      fail("no key '" + seg.name + "' in " + label(shown) + "; keys: " + name_list(keys));
    }
    bool any = false;
    for (auto&& [key, child] : t) {
      if (!glob_match(seg.name, key.str())) continue;
      any = true;
      const std::string here = join_path(shown, std::string(key.str()));
      step(&t, std::string(key.str()), nullptr, 0, child, k, here);
    }
    if (!any) fail("no key of " + label(shown) + " matches '" + seg.name + "'");
  }

  /// Segment k selects elements of an array of tables by their `name`.
  void walk_named(toml::array& a, std::size_t k, const std::string& shown) {
    const PathSegment& seg = segments_[k];
    std::vector<std::string> names;
    bool any = false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      auto* element = a[i].as_table();
      const toml::node* name = element != nullptr ? element->get("name") : nullptr;
      if (name == nullptr || !name->is_string()) continue;
      const std::string n = name->as_string()->get();
      names.push_back(n);
      if (!glob_match(seg.name, n)) continue;
      any = true;
      step(nullptr, "", &a, i, a[i], k, shown + "." + n);
    }
    if (!any)
      fail("no element of '" + shown + "' is named '" + seg.name + "'; names: " + name_list(names));
  }

  /// `child` was selected by segment k (as table key or array element); apply the segment's
  /// indices, then go on with segment k + 1 or record the slot.
  void step(toml::table* parent_table, std::string key, toml::array* parent_array,
            std::size_t parent_index, toml::node& child, std::size_t k, std::string shown) {
    const PathSegment& seg = segments_[k];
    toml::node* node = &child;
    for (const std::size_t index : seg.indices) {
      auto* a = node->as_array();
      if (a == nullptr)
        fail("'" + shown + "' is not an array, so it has no [" + std::to_string(index) + "]");
      if (index >= a->size())
        fail("index " + std::to_string(index) + " is out of range: '" + shown + "' has " +
             std::to_string(a->size()) + " elements");
      parent_table = nullptr;
      parent_array = a;
      parent_index = index;
      node = &(*a)[index];
      shown += "[" + std::to_string(index) + "]";
    }
    if (k + 1 == segments_.size()) {
      if (node->is_table() || node->is_array())
        fail("'" + shown + "' is " + describe(*node) +
             ", not a single value; name one of its elements");
      slots_.push_back(Slot{parent_table, key, parent_array, parent_index, shown});
      return;
    }
    if (auto* t = node->as_table()) return walk_table(*t, k + 1, shown);
    if (auto* a = node->as_array(); a != nullptr && a->is_array_of_tables())
      return walk_named(*a, k + 1, shown);
    fail("'" + shown + "' is " + describe(*node) + ", so it has no '" + segments_[k + 1].name +
         "'");
  }

  std::string path_;
  SourceLocation where_;
  std::vector<PathSegment> segments_;
  std::vector<Slot> slots_;
  std::vector<std::string> created_;
};

/// A key a path added to a point's case, and the path's location (for "unknown key" errors).
struct CreatedKey {
  std::string key;
  std::string path;
  SourceLocation where;
};

/// Which setting or parameter path wrote each case value of a point: a value set twice is
/// refused (the sweep table would show a value that was never applied).
class SlotOwners {
 public:
  /// Records that `owner` (through `path`, written at `where`) sets the value `shown`; throws
  /// a CaseError at `where` if another path set it already.
  void claim(const std::string& shown, const std::string& owner, const std::string& path,
             const SourceLocation& where) {
    const auto [it, inserted] = owners_.emplace(shown, owner + " (path '" + path + "')");
    if (!inserted)
      throw CaseError(where, "sweep path '" + path + "' of " + owner + " sets '" + shown +
                                 "', which " + it->second +
                                 " sets too; each case value may be set by one path only");
  }

 private:
  std::map<std::string, std::string> owners_;
};

/// Writes `value` at `slot`: an integral number as a TOML integer (keys that need integers
/// accept it, the others accept integers anyway), else a float, string or boolean.
void write_value(const Slot& slot, const SweepValue& value) {
  if (const auto* number = std::get_if<double>(&value)) {
    const double v = *number;
    if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 9.0e15)
      slot.set(toml::value<std::int64_t>(static_cast<std::int64_t>(v)));
    else
      slot.set(toml::value<double>(v));
  } else if (const auto* flag = std::get_if<bool>(&value)) {
    slot.set(toml::value<bool>(*flag));
  } else {
    slot.set(toml::value<std::string>(std::get<std::string>(value)));
  }
}

/// Applies parameter value `value` to every slot `target` names in `root`. A number v becomes
/// base + scale·(v − reference): with an explicit base, that base; otherwise, with a reference,
/// the case's own value at the slot (the case is the point at v = reference); otherwise 0 (the
/// value is written as it is, times scale).
void apply_target(toml::table& root, const SweepTarget& target, const SweepValue& value,
                  const std::optional<double>& reference, std::vector<CreatedKey>& created,
                  SlotOwners& owners, const std::string& owner) {
  PathResolver resolver(target.path, target.where);
  const std::vector<Slot> slots = resolver.resolve(root);
  for (const auto& key : resolver.created()) created.push_back({key, target.path, target.where});
  for (const Slot& slot : slots) {
    owners.claim(slot.shown, owner, target.path, target.where);
    const auto* number = std::get_if<double>(&value);
    if (number == nullptr) {
      write_value(slot, value);
      continue;
    }
    double base = target.base.value_or(0.0);
    if (!target.base && reference) {
      const toml::node* old = slot.node();
      if (old == nullptr)
        throw CaseError(target.where, "sweep path '" + target.path + "': '" + slot.shown +
                                          "' is not in the base case, so there is no value to "
                                          "move relative to 'reference' (give 'base')");
      if (const auto* i = old->as_integer())
        base = static_cast<double>(i->get());
      else if (const auto* f = old->as_floating_point())
        base = f->get();
      else
        throw CaseError(target.where, "sweep path '" + target.path + "': '" + slot.shown +
                                          "' holds " + describe(*old) +
                                          ", not a number, so a number cannot be mapped onto it"
                                          " (give 'base' to replace it)");
    }
    write_value(slot, base + target.scale * (*number - reference.value_or(0.0)));
  }
}

/// `text` with every control character written as \\xHH, so it stays on one comment line.
std::string one_line(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      std::string escaped = fmt::format("\\x{:02x}", static_cast<unsigned>(c));
      out += escaped;
    } else {
      out += c;
    }
  }
  return out;
}

std::string serialized(const toml::table& root) {
  std::ostringstream out;
  out << toml::toml_formatter(root) << "\n";
  return out.str();
}

/// Every string node of `node` (recursively).
template <class Visit>
void for_each_string(toml::node& node, const Visit& visit) {
  if (auto* s = node.as_string()) {
    visit(*s);
  } else if (auto* t = node.as_table()) {
    for (auto&& [key, child] : *t) for_each_string(child, visit);
  } else if (auto* a = node.as_array()) {
    for (auto& child : *a) for_each_string(child, visit);
  }
}

/// `case_text` with every string that named an input file when it was read (`files`, located by
/// line and column) replaced by that file's absolute path: the point then reads exactly the same
/// files from its own folder as from the base case's.
std::string with_absolute_input_paths(const std::string& case_text, const std::string& display,
                                      const std::vector<InputFileDigest>& files) {
  std::map<std::pair<int, int>, std::string> absolute;
  for (const auto& f : files)
    if (f.line > 0) absolute[{f.line, f.column}] = fs::absolute(f.path).lexically_normal().string();
  if (absolute.empty()) return case_text;
  toml::table root = parse_case_toml(case_text, display);
  for_each_string(root, [&](toml::value<std::string>& s) {
    const auto& at = s.source().begin;
    const auto it = absolute.find({static_cast<int>(at.line), static_cast<int>(at.column)});
    if (it != absolute.end()) s.get() = it->second;
  });
  const std::size_t eol = case_text.find('\n');
  return (case_text.rfind("# ", 0) == 0 ? case_text.substr(0, eol + 1) : std::string()) +
         serialized(root);
}

/// render_point, also listing the keys the paths added.
std::string render(const SweepSpec& spec, const std::vector<SweepValue>& values,
                   std::vector<CreatedKey>& created) {
  toml::table root = parse_case_toml(spec.base_case_text, spec.base_case_path);
  root.erase("sweep");
  SlotOwners owners;
  for (const auto& setting : spec.settings) {
    PathResolver resolver(setting.path, setting.where);
    const std::vector<Slot> slots = resolver.resolve(root);
    for (const auto& key : resolver.created())
      created.push_back({key, setting.path, setting.where});
    for (const Slot& slot : slots) {
      owners.claim(slot.shown, "'sweep.set'", setting.path, setting.where);
      write_value(slot, setting.value);
    }
  }
  for (std::size_t i = 0; i < spec.parameters.size(); ++i)
    for (const auto& target : spec.parameters[i].targets)
      apply_target(root, target, values.at(i), spec.parameters[i].reference, created, owners,
                   "parameter '" + spec.parameters[i].name + "'");
  if (!root.contains("title"))  // the point's file is case.toml: keep the base case's name
    root.insert("title", fs::path(spec.base_case_path).stem().string());
  // Values go into the tree and the text comes from the serializer; the one line written here
  // is a comment, kept to one line whatever the values hold.
  return "# Sweep point of " + one_line(spec.sweep_path + ": " + describe_point(spec, values)) +
         "\n" + serialized(root);
}

}  // namespace

std::string render_point(const SweepSpec& spec, const std::vector<SweepValue>& values) {
  std::vector<CreatedKey> created;
  return render(spec, values, created);
}

std::vector<SweepPoint> expand_sweep(const SweepSpec& spec) {
  std::vector<SweepPoint> points;
  const auto design = sweep_design(spec);
  for (std::size_t i = 0; i < design.size(); ++i) {
    SweepPoint p;
    p.index = i;
    p.values = design[i];
    std::vector<CreatedKey> created;
    p.case_text = render(spec, p.values, created);
    try {
      // Read from the base case's folder: which strings name files, and that they read.
      const CaseSpec first = read_case_text(p.case_text, spec.base_case_path, spec.base_dir);
      p.case_text = with_absolute_input_paths(p.case_text, spec.base_case_path, first.input_files);
    } catch (const CaseError& e) {
      // A key a path added that the case format does not know: a misspelt path.
      for (const auto& c : created)
        if (e.message().find("'" + c.key + "'") != std::string::npos)
          throw CaseError(c.where, "sweep path '" + c.path +
                                       "' names a key the case format "
                                       "does not know: " +
                                       e.message());
      throw CaseError(spec.where, "point " + std::to_string(i) + " (" +
                                      describe_point(spec, p.values) +
                                      ") is not a valid case: " + e.message());
    }
    // What the point's run reads: its case.toml from a folder of its own, where a relative
    // path would resolve differently (none is left) — `check` and `run` agree by construction.
    try {
      p.resolved_text =
          read_case_text(p.case_text, spec.base_case_path, kPointFolderStandIn).resolved_text;
    } catch (const CaseError& e) {
      throw CaseError(spec.where,
                      "point " + std::to_string(i) + " (" + describe_point(spec, p.values) +
                          ") does not read the same from its own folder: " + e.message());
    }
    p.hash = point_hash(p.resolved_text);
    points.push_back(std::move(p));
  }
  return points;
}

std::string point_hash(const std::string& resolved_text) {
  std::string_view text(resolved_text);
  if (text.rfind("# ", 0) == 0) {
    const std::size_t eol = text.find('\n');
    text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
  }
  return fmt::format("{:016x}", static_cast<unsigned long long>(fnv1a64(std::string(text))));
}

}  // namespace cposim::cases
