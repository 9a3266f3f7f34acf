/// \file
/// Reading reference files with toml++, and rewriting their values line by line (so that
/// comments and layout survive an update).
#include "benchmarks/bench_reference.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <initializer_list>
#include <sstream>
#include <stdexcept>
#include <string_view>

#include "cases/read/toml_helpers.hpp"

namespace cposim::bench {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(const std::string& file, const toml::source_region& at,
                       const std::string& what) {
  throw std::runtime_error(file + ":" + std::to_string(at.begin.line) + ":" +
                           std::to_string(at.begin.column) + ": error: " + what);
}

void reject_unknown_keys(const std::string& file, const toml::table& table,
                         std::initializer_list<std::string_view> known, const std::string& where) {
  for (const auto& [key, node] : table) {
    if (std::find(known.begin(), known.end(), key.str()) != known.end()) continue;
    std::string list;
    for (auto k : known) list += (list.empty() ? "" : ", ") + std::string(k);
    fail(file, key.source(),
         "unknown key '" + std::string(key.str()) + "' in " + where + "; known keys: " + list);
  }
}

/// The string at `key`, or "" if absent.
std::string text_of(const std::string& file, const toml::table& t, std::string_view key) {
  const toml::node* node = t.get(key);
  if (!node) return "";
  if (!node->is_string()) fail(file, node->source(), "'" + std::string(key) + "' must be a string");
  return node->value<std::string>().value_or("");
}

double number_of(const std::string& file, const toml::node& node, const std::string& key) {
  const auto x = node.value<double>();
  if (!node.is_number() || !x || !std::isfinite(*x))
    fail(file, node.source(), "'" + key + "' must be a finite number");
  return *x;
}

MetricReference read_metric(const std::string& file, const toml::key& key, const toml::node& node) {
  MetricReference m;
  m.path = std::string(key.str());
  m.line = static_cast<int>(key.source().begin.line);
  const toml::table* t = node.as_table();
  if (!t)
    fail(file, node.source(),
         "metric '" + m.path + "' must be an inline table { value = ..., abs_tol = ... }");
  reject_unknown_keys(file, *t, {"value", "abs_tol", "rel_tol", "source", "fixed"},
                      "metric '" + m.path + "'");
  const toml::node* value = t->get("value");
  if (!value) fail(file, node.source(), "metric '" + m.path + "' has no 'value'");
  m.value = number_of(file, *value, "value");
  bool has_tolerance = false;
  for (auto [name, target] : {std::pair{"abs_tol", &m.abs_tol}, std::pair{"rel_tol", &m.rel_tol}})
    if (const toml::node* tol = t->get(name)) {
      *target = number_of(file, *tol, name);
      if (*target < 0) fail(file, tol->source(), std::string("'") + name + "' must be >= 0");
      has_tolerance = true;
    }
  if (!has_tolerance)
    fail(file, node.source(), "metric '" + m.path + "' needs abs_tol or rel_tol (or both)");
  m.source = text_of(file, *t, "source");
  if (const toml::node* fixed = t->get("fixed")) {
    if (!fixed->is_boolean()) fail(file, fixed->source(), "'fixed' must be true or false");
    m.fixed = fixed->value<bool>().value_or(false);
  }
  return m;
}

}  // namespace

double MetricReference::tolerance() const { return abs_tol + rel_tol * std::fabs(value); }

bool MetricReference::accepts(double x) const { return std::fabs(x - value) <= tolerance(); }

CaseReference read_reference(const std::string& path) {
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    fail(path, e.source(), std::string(e.description()));
  }
  reject_unknown_keys(path, root,
                      {"case", "description", "quick", "args", "expect_exit", "timeout_s", "todo",
                       "provenance", "metrics"},
                      "the top level");
  CaseReference r;
  r.file = path;
  r.name = fs::path(path).stem().string();
  r.description = text_of(path, root, "description");
  r.todo = text_of(path, root, "todo");
  if (const toml::node* quick = root.get("quick")) {
    if (!quick->is_boolean()) fail(path, quick->source(), "'quick' must be true or false");
    r.quick = quick->value<bool>().value_or(false);
  }
  if (const toml::node* args = root.get("args")) {
    const toml::array* list = args->as_array();
    if (!list) fail(path, args->source(), "'args' must be an array of strings");
    for (const auto& a : *list) {
      if (!a.is_string()) fail(path, a.source(), "'args' must be an array of strings");
      r.args.push_back(a.value<std::string>().value_or(""));
    }
  }
  if (const toml::node* code = root.get("expect_exit")) {
    if (!code->is_integer()) fail(path, code->source(), "'expect_exit' must be an integer");
    r.expect_exit = static_cast<int>(code->value<std::int64_t>().value_or(0));
  }
  if (const toml::node* timeout = root.get("timeout_s")) {
    r.timeout_s = number_of(path, *timeout, "timeout_s");
    if (r.timeout_s <= 0) fail(path, timeout->source(), "'timeout_s' must be > 0");
  }
  if (const toml::node* prov = root.get("provenance")) {
    const toml::table* t = prov->as_table();
    if (!t) fail(path, prov->source(), "[provenance] must be a table");
    reject_unknown_keys(path, *t, {"date", "commit", "machine", "cposim"}, "[provenance]");
    r.provenance = {text_of(path, *t, "date"), text_of(path, *t, "commit"),
                    text_of(path, *t, "machine"), text_of(path, *t, "cposim")};
  }
  const std::string case_file = text_of(path, root, "case");
  if (!case_file.empty())
    r.case_path = (fs::path(path).parent_path() / case_file).lexically_normal().string();
  if (const toml::node* metrics = root.get("metrics")) {
    const toml::table* t = metrics->as_table();
    if (!t) fail(path, metrics->source(), "[metrics] must be a table");
    for (const auto& [key, node] : *t) r.metrics.push_back(read_metric(path, key, node));
  }
  std::sort(r.metrics.begin(), r.metrics.end(),
            [](const MetricReference& a, const MetricReference& b) { return a.line < b.line; });
  if (r.todo.empty() && r.case_path.empty())
    fail(path, root.source(), "no 'case' (the case file to run, relative to this file)");
  if (r.todo.empty() && r.metrics.empty())
    fail(path, root.source(), "no [metrics]: a reference must compare at least one number");
  return r;
}

std::vector<std::string> list_references(const std::string& dir) {
  std::vector<std::string> files;
  std::error_code error;
  for (fs::directory_iterator it(dir, error), end; !error && it != end; it.increment(error))
    if (it->path().extension() == ".toml") files.push_back(it->path().string());
  if (error) throw std::runtime_error("cannot list " + dir + ": " + error.message());
  std::sort(files.begin(), files.end());
  return files;
}

std::string round_trip_number(double x) {
  std::string text;
  for (int digits = 6; digits <= 17; ++digits) {
    text = fmt::format("{:.{}g}", x, digits);
    if (std::strtod(text.c_str(), nullptr) == x) break;
  }
  std::string s = text;
  // TOML floats need a '.' or an exponent; "350" would read back as an integer (still fine for
  // value, but keep floats looking like floats).
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
  return s;
}

std::string updated_reference_text(const std::string& text, const Provenance& provenance,
                                   const std::map<std::string, double>& values) {
  using cases::quoted;  // the one TOML string quoter
  const std::string provenance_block = "[provenance]\ndate = " + quoted(provenance.date) +
                                       "\ncommit = " + quoted(provenance.commit) +
                                       "\nmachine = " + quoted(provenance.machine) +
                                       "\ncposim = " + quoted(provenance.cposim) + "\n\n";
  std::istringstream in(text);
  std::ostringstream out;
  std::string line, section;
  std::map<std::string, double> pending = values;
  bool wrote_provenance = false;
  while (std::getline(in, line)) {
    const auto first = line.find_first_not_of(" \t");
    const bool header = first != std::string::npos && line[first] == '[';
    if (header) {
      section = line.substr(first, line.find(']', first) + 1 - first);
      if (section == "[provenance]") continue;  // rewritten before [metrics]
      if (section == "[metrics]" && !wrote_provenance) {
        out << provenance_block;
        wrote_provenance = true;
      }
    } else if (section == "[provenance]") {
      continue;  // the old table's lines, comments included
    } else if (section == "[metrics]" && first != std::string::npos && line[first] == '"') {
      const auto close = line.find('"', first + 1);
      const std::string key = line.substr(first + 1, close - first - 1);
      if (auto it = pending.find(key); it != pending.end() && close != std::string::npos) {
        const auto v = line.find("value", close);
        const auto eq = v == std::string::npos ? v : line.find('=', v);
        const auto start = eq == std::string::npos ? eq : line.find_first_not_of(" ", eq + 1);
        const auto stop = start == std::string::npos ? start : line.find_first_of(" \t,}", start);
        if (stop == std::string::npos)
          throw std::runtime_error("metric '" + key + "': no 'value = NUMBER' on its line");
        line = line.substr(0, start) + round_trip_number(it->second) + line.substr(stop);
        pending.erase(it);
      }
    }
    out << line << "\n";
  }
  for (const auto& [key, value] : pending)
    throw std::runtime_error("metric '" + key + "' (new value " + round_trip_number(value) +
                             ") has no single-line entry under [metrics]");
  if (!wrote_provenance) throw std::runtime_error("the reference has no [metrics] table");
  return out.str();
}

}  // namespace cposim::bench
