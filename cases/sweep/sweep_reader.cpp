/// \file
/// The sweep reader: [sweep] → SweepSpec (located errors through TomlReader), the design
/// (lists, ranges, Latin hypercube; product or zip) and the points (values written into the
/// base case's TOML tree at their paths, re-serialised, read back with read_case_text).
#include "cases/sweep/sweep_reader.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <utility>

#include "cases/read/toml_helpers.hpp"
#include "cases/resolve/load_case.hpp"
#include "cases/run/verdicts.hpp"
#include "cases/spec/input_file.hpp"

namespace cposim::cases {
namespace {

namespace fs = std::filesystem;

/// Largest number of points (and of values of one range): far beyond what can be run, small
/// enough that a typo in a step cannot exhaust memory.
constexpr std::size_t kMaxPoints = 100000;

/// The text of `path`; `shown` is how messages name it (the path as the user wrote it).
std::string read_text_file(const std::string& path, const SourceLocation& where,
                           const std::string& what, const std::string& shown) {
  const std::string name =
      "'" + shown + "'" + (shown == path ? "" : " (resolved to '" + path + "')");
  try {
    return read_input_file(path);
  } catch (const InputFileError& e) {
    throw CaseError(where, "cannot read " + what + " " + name + ": " + e.what());
  }
}

toml::table parse_toml(const std::string& text, const std::string& display_name) {
  return parse_case_toml(text, display_name);
}

// ---------------------------------------------------------------------------------------------
// The [sweep] table

class SweepReader : public TomlReader {
 public:
  using TomlReader::TomlReader;

  SweepSpec read(const toml::table& root, const std::string& text) const;

 private:
  SweepValue value(const toml::node& node, const std::string& path) const;
  SweepParameter read_parameter(const Section& s) const;
  std::vector<SweepValue> read_range(const toml::node& node, const std::string& path) const;
  SweepTarget read_target(const toml::node& node, const std::string& path) const;
  SweepBest read_best(const toml::node& node, const std::vector<std::string>& metrics) const;
  std::vector<std::string> read_plot_metrics(const toml::node& node, const std::string& path,
                                             const std::vector<std::string>& metrics) const;
};

SweepValue SweepReader::value(const toml::node& node, const std::string& path) const {
  if (node.is_number()) return number(node, path);
  if (const auto* b = node.as_boolean()) return b->get();
  if (const auto* s = node.as_string()) return s->get();
  fail(node, "'" + path + "' must be a number, a boolean or a string, got " + describe(node));
}

std::vector<SweepValue> SweepReader::read_range(const toml::node& node,
                                                const std::string& path) const {
  const Section s{&table(node, path), path};
  reject_unknown_keys(s, {"start", "stop", "step", "count"});
  const double start = number(require(s, "start"), s.key("start"));
  const double stop = number(require(s, "stop"), s.key("stop"));
  const toml::node* step_node = s.find("step");
  const toml::node* count_node = s.find("count");
  if ((step_node == nullptr) == (count_node == nullptr))
    fail(*s.table, "'" + path + "' needs exactly one of 'step' and 'count'");
  std::vector<SweepValue> values;
  if (count_node != nullptr) {
    const int count = integer_at_least(*count_node, s.key("count"), 1);
    if (static_cast<std::size_t>(count) > kMaxPoints)
      fail(*count_node, "'" + s.key("count") + "' must be at most " + std::to_string(kMaxPoints) +
                            ", got " + std::to_string(count));
    if (count == 1 && start != stop)
      fail(*count_node, "'" + s.key("count") + "' = 1 needs start = stop, got " +
                            format_number(start) + " and " + format_number(stop));
    for (int i = 0; i < count; ++i)
      values.emplace_back(i + 1 == count ? stop
                                         : start + (stop - start) * i / std::max(count - 1, 1));
    return values;
  }
  const double step = number(*step_node, s.key("step"));
  if (!(step != 0.0) || (stop - start) * step < 0.0)
    fail(*step_node, "'" + s.key("step") + "' must be non-zero and lead from start " +
                         format_number(start) + " to stop " + format_number(stop) + ", got " +
                         format_number(step));
  // The stop is included when it lies on the grid (up to rounding).
  const double n_steps = std::floor((stop - start) / step + 1e-9);
  if (n_steps + 1 > static_cast<double>(kMaxPoints))
    fail(*step_node, "'" + path + "' gives " + format_number(n_steps + 1) + " values; at most " +
                         std::to_string(kMaxPoints) + " are allowed");
  for (int i = 0; i <= static_cast<int>(n_steps); ++i) values.emplace_back(start + i * step);
  return values;
}

SweepTarget SweepReader::read_target(const toml::node& node, const std::string& path) const {
  SweepTarget t;
  t.where = at(node);
  if (node.is_string()) {
    t.path = node.as_string()->get();
    return t;
  }
  if (!node.is_table())
    fail(node,
         "'" + path + "' must be a path string or { path, scale, base }, got " + describe(node));
  const Section s{node.as_table(), path};
  reject_unknown_keys(s, {"path", "scale", "base"});
  const toml::node& p = require(s, "path");
  t.path = string(p, s.key("path"));
  t.where = at(p);
  if (const auto* n = s.find("scale")) t.scale = number(*n, s.key("scale"));
  if (const auto* n = s.find("base")) t.base = number(*n, s.key("base"));
  return t;
}

SweepParameter SweepReader::read_parameter(const Section& s) const {
  reject_unknown_keys(s, {"name", "values", "range", "lhs", "reference", "paths"});
  SweepParameter p;
  p.where = at(*s.table);
  p.name = name(require(s, "name"), s.key("name"));
  const toml::node* how = nullptr;
  for (const char* k : {"values", "range", "lhs"}) {
    const toml::node* n = s.find(k);
    if (n == nullptr) continue;
    if (how != nullptr)
      fail(*n, "'" + s.key(k) +
                   "' cannot be combined with another way of giving values: a "
                   "parameter has exactly one of 'values', 'range', 'lhs'");
    how = n;
    if (std::string_view(k) == "values") {
      p.kind = SweepValueKind::list;
      const toml::array& a = array(*n, s.key(k));
      if (a.empty()) fail(*n, "'" + s.key(k) + "' must hold at least one value");
      for (std::size_t i = 0; i < a.size(); ++i)
        p.values.push_back(value(a[i], s.key(k) + "[" + std::to_string(i) + "]"));
    } else if (std::string_view(k) == "range") {
      p.kind = SweepValueKind::range;
      p.values = read_range(*n, s.key(k));
    } else {
      p.kind = SweepValueKind::lhs;
      const Section l{&table(*n, s.key(k)), s.key(k)};
      reject_unknown_keys(l, {"min", "max"});
      p.lhs_min = number(require(l, "min"), l.key("min"));
      const toml::node& max_node = require(l, "max");
      p.lhs_max = number(max_node, l.key("max"));
      if (!(p.lhs_max > p.lhs_min))
        fail(max_node, "'" + l.key("max") + "' must be > min = " + format_number(p.lhs_min) +
                           ", got " + format_number(p.lhs_max));
    }
  }
  if (how == nullptr) fail(*s.table, s.label() + " needs one of 'values', 'range', 'lhs'");
  if (const auto* n = s.find("reference")) p.reference = number(*n, s.key("reference"));
  if (p.reference && p.kind == SweepValueKind::list &&
      !std::holds_alternative<double>(p.values.front()))
    fail(*s.find("reference"), "'" + s.key("reference") + "' needs numeric values");
  const toml::node& paths = require(s, "paths");
  const toml::array& a = array(paths, s.key("paths"));
  if (a.empty()) fail(paths, "'" + s.key("paths") + "' must name at least one case value");
  for (std::size_t i = 0; i < a.size(); ++i)
    p.targets.push_back(read_target(a[i], s.key("paths") + "[" + std::to_string(i) + "]"));
  const bool numeric = p.kind != SweepValueKind::list ||
                       std::all_of(p.values.begin(), p.values.end(), [](const SweepValue& v) {
                         return std::holds_alternative<double>(v);
                       });
  if (!numeric)
    for (std::size_t i = 0; i < p.targets.size(); ++i)
      if (p.targets[i].scale != 1.0 || p.targets[i].base)
        throw CaseError(p.targets[i].where,
                        "'" + s.key("paths") + "[" + std::to_string(i) +
                            "]': 'scale' and 'base' need numeric values, but '" + p.name +
                            "' has a boolean or string value");
  return p;
}

/// "metric op number" with op one of >= <= == > <.
SweepRequirement parse_requirement(const std::string& text, const SourceLocation& where,
                                   const std::string& path) {
  const auto trim = [](std::string s) {
    const auto a = s.find_first_not_of(" \t");
    const auto b = s.find_last_not_of(" \t");
    return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
  };
  SweepRequirement r;
  r.text = text;
  r.where = where;
  const std::size_t at_op = text.find_first_of("<>=");
  const std::string usage = "'" + path + "' must read 'metric op number' with op one of >=, <=, " +
                            ">, <, == (e.g. \"worst_lane_margin_dB >= 1.0\"), got '" + text + "'";
  if (at_op == std::string::npos) throw CaseError(where, usage);
  std::size_t op_len = 1;
  if (at_op + 1 < text.size() && text[at_op + 1] == '=') op_len = 2;
  r.op = text.substr(at_op, op_len);
  if (r.op == "=") throw CaseError(where, usage);
  r.metric = trim(text.substr(0, at_op));
  const std::string number_text = trim(text.substr(at_op + op_len));
  char* end = nullptr;
  r.value = number_text.empty() ? 0.0 : std::strtod(number_text.c_str(), &end);
  if (r.metric.empty() || number_text.empty() || end != number_text.c_str() + number_text.size() ||
      !std::isfinite(r.value))
    throw CaseError(where, usage);
  return r;
}

SweepBest SweepReader::read_best(const toml::node& node,
                                 const std::vector<std::string>& metrics) const {
  const Section s{&table(node, "sweep.best"), "sweep.best"};
  reject_unknown_keys(s, {"minimize", "maximize", "require"});
  SweepBest best;
  best.where = at(*s.table);
  const toml::node* min_node = s.find("minimize");
  const toml::node* max_node = s.find("maximize");
  if ((min_node == nullptr) == (max_node == nullptr))
    fail(*s.table, "[sweep.best] needs exactly one of 'minimize' and 'maximize'");
  const toml::node& objective = min_node != nullptr ? *min_node : *max_node;
  const std::string key = s.key(min_node != nullptr ? "minimize" : "maximize");
  best.maximize = max_node != nullptr;
  best.objective = string(objective, key);
  const auto known = [&](const std::string& name) {
    return std::find(metrics.begin(), metrics.end(), name) != metrics.end();
  };
  const auto unknown = [&](const toml::node& at_node, const std::string& what,
                           const std::string& name) {
    fail(at_node, "'" + what + "' names '" + name +
                      "', which is neither a parameter nor a metric; known: " + name_list(metrics) +
                      " (and T_max_K.<layer or block>)");
  };
  if (!known(best.objective)) unknown(objective, key, best.objective);
  if (const auto* r = s.find("require")) {
    const toml::array& a = array(*r, s.key("require"));
    for (std::size_t i = 0; i < a.size(); ++i) {
      const std::string path = s.key("require") + "[" + std::to_string(i) + "]";
      auto req = parse_requirement(string(a[i], path), at(a[i]), path);
      if (!known(req.metric)) unknown(a[i], path, req.metric);
      best.requirements.push_back(std::move(req));
    }
  }
  return best;
}

/// The plot's panels: 1 to kMaxPlotPanels metric (or parameter) names.
std::vector<std::string> SweepReader::read_plot_metrics(
    const toml::node& node, const std::string& path,
    const std::vector<std::string>& metrics) const {
  const toml::array& a = array(node, path);
  if (a.empty() || a.size() > kMaxSweepPlotPanels)
    fail(node, "'" + path + "' must list 1 to " + std::to_string(kMaxSweepPlotPanels) +
                   " metrics (one panel each), got " + std::to_string(a.size()));
  std::vector<std::string> out;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::string item_path = path + "[" + std::to_string(i) + "]";
    out.push_back(string(a[i], item_path));
    if (std::find(metrics.begin(), metrics.end(), out.back()) == metrics.end())
      fail(a[i], "'" + item_path + "' names '" + out.back() +
                     "', which is neither a parameter nor a metric; known: " + name_list(metrics) +
                     " (and T_max_K.<layer or block>)");
  }
  return out;
}

/// Layer and block names of a case tree (for T_max_K.<name>).
std::vector<std::string> region_names(const toml::table& root) {
  std::vector<std::string> names;
  for (const char* section : {"layers", "blocks"})
    if (const auto* a = root.get_as<toml::array>(section))
      for (const auto& element : *a)
        if (const auto* t = element.as_table())
          if (const auto* n = t->get_as<std::string>("name")) names.push_back(n->get());
  return names;
}

SweepSpec SweepReader::read(const toml::table& root, const std::string& text) const {
  const toml::node* sweep_node = root.get("sweep");
  if (sweep_node == nullptr)
    throw CaseError({file_},
                    "no [sweep] table: a sweep file is a case file with a [sweep] table"
                    " (or a [sweep] table with base_case); see cases/README.md");
  const Section s{&table(*sweep_node, "sweep"), "sweep"};
  reject_unknown_keys(
      s, {"base_case", "combine", "samples", "seed", "set", "parameters", "best", "plot"});
  SweepSpec spec;
  spec.sweep_path = file_;
  spec.where = at(*s.table);
  if (const auto* n = s.find("base_case")) {
    const toml::key* first = nullptr;
    for (auto&& [key, value] : root)
      if (key.str() != "sweep" &&
          (first == nullptr || before(key.source().begin, first->source().begin)))
        first = &key;
    if (first != nullptr)
      throw CaseError(at(first->source().begin),
                      "'" + std::string(first->str()) +
                          "' is not allowed beside 'sweep.base_case': a sweep file that names "
                          "a base case holds only [sweep] (put case keys in the base case, or "
                          "fixed changes in [sweep.set])");
    const std::string named = string(*n, s.key("base_case"));
    fs::path p(named);
    if (p.is_relative() && !base_dir_.empty()) p = fs::path(base_dir_) / p;
    spec.base_case_path = p.string();
    spec.base_case_text = read_text_file(spec.base_case_path, at(*n), "base case", named);
    spec.base_dir = p.parent_path().string();
  } else {
    spec.base_case_path = file_;
    spec.base_case_text = text;
    spec.base_dir = base_dir_;
  }
  if (const auto* n = s.find("combine"))
    spec.combine = choice(*n, s.key("combine"), {"product", "zip"}) == "zip"
                       ? SweepCombine::zip
                       : SweepCombine::product;
  const toml::node* samples_node = s.find("samples");
  if (samples_node != nullptr) {
    spec.samples = integer_at_least(*samples_node, s.key("samples"), 1);
    if (static_cast<std::size_t>(spec.samples) > kMaxPoints)
      fail(*samples_node, "'sweep.samples' must be at most " + std::to_string(kMaxPoints) +
                              ", got " + std::to_string(spec.samples));
  }
  if (const auto* n = s.find("seed"))
    spec.seed = static_cast<std::uint64_t>(integer_at_least(*n, s.key("seed"), 0));
  if (const auto* n = s.find("set")) {
    for (auto&& [key, value] : table(*n, "sweep.set")) {
      const std::string path = "sweep.set." + std::string(key.str());
      spec.settings.push_back(
          {std::string(key.str()), this->value(value, path), at(key.source().begin)});
    }
  }
  std::vector<std::string> metrics;
  if (const auto* n = s.find("parameters")) {
    for (const auto& ps : table_array(*n, "sweep.parameters")) {
      SweepParameter p = read_parameter(ps);
      for (const auto& other : spec.parameters)
        if (other.name == p.name)
          fail(*ps.find("name"), "parameter name '" + p.name + "' is used twice");
      for (const char* m : kSweepMetricNames)
        if (p.name == m || p.name.rfind("T_max_K.", 0) == 0)
          fail(*ps.find("name"), "parameter name '" + p.name + "' is the name of a metric");
      if (p.kind == SweepValueKind::lhs && spec.samples == 0)
        fail(*ps.find("lhs"), "'" + ps.key("lhs") +
                                  "' needs 'sweep.samples', the number of Latin-hypercube samples");
      metrics.push_back(p.name);
      spec.parameters.push_back(std::move(p));
    }
  }
  if (spec.parameters.empty())
    fail(*s.table, "[sweep] needs at least one [[sweep.parameters]] entry");
  // Latin-hypercube values: one joint design over every lhs parameter.
  std::vector<std::size_t> lhs;
  for (std::size_t i = 0; i < spec.parameters.size(); ++i)
    if (spec.parameters[i].kind == SweepValueKind::lhs) lhs.push_back(i);
  if (!lhs.empty()) {
    const auto design = latin_hypercube(spec.samples, static_cast<int>(lhs.size()), spec.seed);
    for (std::size_t d = 0; d < lhs.size(); ++d) {
      SweepParameter& p = spec.parameters[lhs[d]];
      for (const auto& row : design)
        p.values.emplace_back(p.lhs_min + (p.lhs_max - p.lhs_min) * row[d]);
    }
  }
  for (const char* m : kSweepMetricNames) metrics.emplace_back(m);
  for (const auto& m : verdict_margin_metric_names()) metrics.push_back(m);
  const toml::table base_root =
      spec.base_case_path == file_ ? root : parse_toml(spec.base_case_text, spec.base_case_path);
  for (const auto& name : region_names(base_root)) metrics.push_back("T_max_K." + name);
  if (const auto* n = s.find("best")) spec.best = read_best(*n, metrics);
  for (const auto& p : spec.parameters)
    if (spec.plot_x.empty() && std::holds_alternative<double>(p.values.front()))
      spec.plot_x = p.name;
  if (const auto* n = s.find("plot")) {
    // `plot = ["metric", …]` (the panels) or `[sweep.plot]` with x (a parameter) and y.
    const toml::node* y = n->is_array() ? n : nullptr;
    std::string y_path = "sweep.plot";
    if (y == nullptr) {
      const Section ps{&table(*n, "sweep.plot"), "sweep.plot"};
      reject_unknown_keys(ps, {"x", "y"});
      if (const auto* x = ps.find("x")) {
        KeyList names;
        for (const auto& p : spec.parameters) names.push_back(p.name);
        spec.plot_x = choice(*x, ps.key("x"), names);
      }
      y = ps.find("y");
      y_path = "sweep.plot.y";
    }
    if (y != nullptr) spec.plot_y = read_plot_metrics(*y, y_path, metrics);
  }
  return spec;
}

/// splitmix64: turns a small seed into a well-mixed 64-bit state.
std::uint64_t mix_seed(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Public functions

std::string to_string(const SweepValue& value) {
  if (const auto* d = std::get_if<double>(&value)) return format_number(*d);
  if (const auto* b = std::get_if<bool>(&value)) return *b ? "true" : "false";
  return std::get<std::string>(value);
}

std::string describe_point(const SweepSpec& spec, const std::vector<SweepValue>& values) {
  std::string out;
  for (std::size_t i = 0; i < spec.parameters.size() && i < values.size(); ++i)
    out += (i ? ", " : "") + spec.parameters[i].name + " = " + to_string(values[i]);
  return out;
}

SweepSpec read_sweep_text(const std::string& text, const std::string& display_name,
                          const std::string& base_dir) {
  const toml::table root = parse_toml(text, display_name);
  return SweepReader(display_name, base_dir).read(root, text);
}

SweepSpec read_sweep(const std::string& path) {
  const std::string text = read_text_file(path, {path}, "sweep file", path);
  return read_sweep_text(text, path, fs::path(path).parent_path().string());
}

bool is_sweep_only_file(const std::string& path) {
  std::string text;
  try {
    text = read_input_file(path);
  } catch (const InputFileError&) {
    return false;  // read_case then names the reason
  }
  try {
    const toml::table root = parse_case_toml(text, path);
    const auto* sweep = root.get_as<toml::table>("sweep");
    return sweep != nullptr && sweep->contains("base_case");
  } catch (const CaseError&) {
    return false;  // read_case then reports it
  }
}

std::vector<std::vector<double>> latin_hypercube(int n, int dims, std::uint64_t seed) {
  std::mt19937_64 rng(mix_seed(seed));
  // Uniform in [0, 1) from the top 53 bits; an unbiased integer in [0, k) by rejection.
  const auto uniform = [&] { return static_cast<double>(rng() >> 11) * 0x1.0p-53; };
  const auto below = [&](std::uint64_t k) {
    const std::uint64_t limit = UINT64_MAX - UINT64_MAX % k;
    std::uint64_t x;
    do x = rng();
    while (x >= limit);
    return x % k;
  };
  std::vector<std::vector<double>> rows(static_cast<std::size_t>(std::max(n, 0)),
                                        std::vector<double>(static_cast<std::size_t>(dims)));
  for (int d = 0; d < dims; ++d) {
    std::vector<std::size_t> strata(static_cast<std::size_t>(n));
    for (std::size_t i = 0; i < strata.size(); ++i) strata[i] = i;
    for (std::size_t i = strata.size(); i > 1; --i) std::swap(strata[i - 1], strata[below(i)]);
    for (std::size_t i = 0; i < strata.size(); ++i)
      rows[i][static_cast<std::size_t>(d)] =
          (static_cast<double>(strata[i]) + uniform()) / static_cast<double>(n);
  }
  return rows;
}

std::vector<std::vector<SweepValue>> sweep_design(const SweepSpec& spec) {
  // Factors: each list or range parameter alone; every lhs parameter together (at the place of
  // the first), since a Latin hypercube is one joint design.
  std::vector<std::vector<std::size_t>> factors;
  bool lhs_placed = false;
  for (std::size_t i = 0; i < spec.parameters.size(); ++i) {
    if (spec.parameters[i].kind != SweepValueKind::lhs) {
      factors.push_back({i});
    } else if (!lhs_placed) {
      factors.emplace_back();
      for (std::size_t j = i; j < spec.parameters.size(); ++j)
        if (spec.parameters[j].kind == SweepValueKind::lhs) factors.back().push_back(j);
      lhs_placed = true;
    }
  }
  const auto length = [&](const std::vector<std::size_t>& f) {
    return spec.parameters[f.front()].values.size();
  };
  std::vector<std::vector<SweepValue>> rows;
  const auto add_row = [&](const std::vector<std::size_t>& choice) {
    std::vector<SweepValue> row(spec.parameters.size());
    for (std::size_t f = 0; f < factors.size(); ++f)
      for (std::size_t p : factors[f]) row[p] = spec.parameters[p].values[choice[f]];
    rows.push_back(std::move(row));
  };
  if (spec.combine == SweepCombine::zip) {
    const std::size_t n = length(factors.front());
    for (const auto& f : factors)
      if (length(f) != n) {
        const SweepParameter& p = spec.parameters[f.front()];
        throw CaseError(p.where, "parameter '" + p.name + "' has " + std::to_string(length(f)) +
                                     " values but '" +
                                     spec.parameters[factors.front().front()].name + "' has " +
                                     std::to_string(n) +
                                     "; combine = \"zip\" needs the same number of values");
      }
    for (std::size_t i = 0; i < n; ++i) add_row(std::vector<std::size_t>(factors.size(), i));
    return rows;
  }
  double total = 1.0;
  for (const auto& f : factors) total *= static_cast<double>(length(f));
  if (total > static_cast<double>(kMaxPoints))
    throw CaseError(spec.where, "the sweep has " + format_number(total) + " points; at most " +
                                    std::to_string(kMaxPoints) + " are allowed");
  std::vector<std::size_t> choice(factors.size(), 0);
  while (true) {
    add_row(choice);
    std::size_t f = factors.size();
    while (f > 0 && ++choice[f - 1] == length(factors[f - 1])) choice[--f] = 0;
    if (f == 0) break;
  }
  return rows;
}

}  // namespace cposim::cases
