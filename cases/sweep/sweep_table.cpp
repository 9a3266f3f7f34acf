/// \file
/// The sweep table from the point folders; Pareto set, best point, CSV and HDF5 output.
#include "cases/sweep/sweep_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>

#include "cases/read/json_reader.hpp"
#include "cases/run/verdicts.hpp"
#include "cases/sweep/sweep_reader.hpp"
#include "cases/sweep/sweep_runner.hpp"
#include "postproc/io/atomic_file.hpp"
#include "postproc/io/hdf5_file.hpp"

namespace cposim::cases {
namespace {

namespace fs = std::filesystem;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool read_json_file(const fs::path& path, JsonValue& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream text;
  text << in.rdbuf();
  try {
    out = parse_json(text.str());
    return true;
  } catch (const std::runtime_error&) {
    return false;
  }
}

/// The array member `key` of `v` (empty if absent).
const std::vector<JsonValue>& items(const JsonValue& v, const char* key) {
  static const std::vector<JsonValue> kNone;
  const JsonValue* a = v.find(key);
  return a != nullptr && a->kind == JsonValue::Kind::array ? a->items : kNone;
}

/// Metrics from a summary.json (summary_json.hpp names the keys); missing keys stay NaN.
void read_summary_metrics(const JsonValue& s, std::map<std::string, double>& m,
                          std::vector<std::string>& powered_regions) {
  double T_max = kNaN;
  for (const auto& r : items(s, "regions")) {
    const double t = r.number_or("T_max_K", kNaN);
    const std::string name = r.text_or("name", "");
    if (!name.empty()) m["T_max_K." + name] = t;
    if (std::isfinite(t) && !(t <= T_max)) T_max = t;
    if (r.number_or("power_W", 0.0) > 0.0 &&
        std::find(powered_regions.begin(), powered_regions.end(), name) == powered_regions.end())
      powered_regions.push_back(name);
  }
  m["T_max_K"] = T_max;
  if (const JsonValue* e = s.find("energy_balance")) {
    m["power_in_W"] = e->number_or("power_in_W", kNaN);
    m["energy_imbalance_relative"] = e->number_or("relative", kNaN);
  }
  if (const JsonValue* solver = s.find("solver"))
    if (const JsonValue* t = solver->find("times_s"))
      m["solve_time_s"] = t->number_or("solve", kNaN);
  if (const JsonValue* p = s.find("photonics");
      p != nullptr && p->kind == JsonValue::Kind::object) {
    m["total_heater_W"] = p->number_or("total_heater_W", kNaN);
    m["open_loop_heater_W"] = p->number_or("open_loop_heater_W", kNaN);
    const auto& rings = items(s, "rings");
    double max_heater = kNaN, worst_margin = kNaN, max_T = kNaN;
    int out_of_range = 0;
    for (const auto& r : rings) {
      const double h = r.number_or("heater_W", kNaN);
      const double margin_nm = r.number_or("margin_nm", kNaN);
      const double t = r.number_or("T_K", kNaN);
      if (!(h <= max_heater)) max_heater = h;
      if (!(margin_nm >= worst_margin)) worst_margin = margin_nm;
      if (!(t <= max_T)) max_T = t;
      const JsonValue* in = r.find("in_range");
      if (in != nullptr && in->kind == JsonValue::Kind::boolean && !in->boolean) ++out_of_range;
    }
    m["rings"] = static_cast<double>(rings.size());
    m["max_heater_W"] = max_heater;
    m["worst_ring_margin_nm"] = worst_margin;
    m["max_ring_T_K"] = max_T;
    m["rings_out_of_range"] = out_of_range;
    m["rings_in_range"] = out_of_range == 0 ? 1.0 : 0.0;
  }
  if (const JsonValue* v = s.find("verdict"); v != nullptr && v->kind == JsonValue::Kind::object) {
    m["verdict_failures"] = v->number_or("failures", kNaN);
    for (const auto& c : items(*v, "classes"))
      if (const JsonValue* b = c.find("binding"))
        m[verdict_margin_metric(c.text_or("key", ""), c.text_or("margin_unit", ""))] =
            b->number_or("margin", kNaN);
  }
  const auto& engines = items(s, "lane_engines");
  if (!engines.empty()) {
    double worst = kNaN, worst_25C = kNaN, failing = 0.0;
    for (const auto& e : engines) {
      const double w = e.number_or("worst_margin_dB", kNaN);
      const double w25 = e.number_or("worst_margin_25C_dB", kNaN);
      if (!(w >= worst)) worst = w;
      if (!(w25 >= worst_25C)) worst_25C = w25;
      failing += e.number_or("failing", 0.0);
    }
    // The smallest loss margin of any lane (the engines' worst lanes count reach failures).
    if (const JsonValue* h = s.find("headline"))
      worst = h->number_or("worst_lane_margin_dB", worst);
    m["worst_lane_margin_dB"] = worst;
    m["worst_lane_margin_25C_dB"] = worst_25C;
    m["failing_lanes"] = failing;
  }
}

/// A CSV field: quoted if it holds a comma, quote or line break (RFC 4180).
std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string csv_number(double v) {
  if (!std::isfinite(v)) return "";
  return fmt::format("{:.10g}", v);
}

}  // namespace

double SweepTable::value(const SweepRow& r, const std::string& name) const {
  for (std::size_t i = 0; i < parameters.size() && i < r.values.size(); ++i)
    if (parameters[i] == name) {
      const auto* d = std::get_if<double>(&r.values[i]);
      return d != nullptr ? *d : kNaN;
    }
  if (name == "pareto") return r.pareto ? 1.0 : 0.0;
  if (name == "exit_code") return r.exit_code;
  const auto it = r.metrics.find(name);
  return it != r.metrics.end() ? it->second : kNaN;
}

SweepTable collect_sweep_table(const SweepSpec& spec, const std::vector<SweepPoint>& points,
                               const std::string& out_dir) {
  SweepTable table;
  for (const auto& p : spec.parameters) table.parameters.push_back(p.name);
  std::vector<std::string> powered;
  for (const auto& p : points) {
    SweepRow row;
    row.index = p.index;
    row.values = p.values;
    row.hash = p.hash;
    row.status = "pending";
    for (const char* name : kSweepMetricNames) row.metrics[name] = kNaN;
    for (const auto& name : verdict_margin_metric_names()) row.metrics[name] = kNaN;
    const fs::path dir = point_dir(out_dir, p.hash);
    JsonValue point;
    if (read_json_file(dir / "point.json", point) && point.find("exit_code") != nullptr) {
      row.exit_code = static_cast<int>(point.number_or("exit_code", -1));
      row.status = row.exit_code == 0 ? "ok" : "failed";
      row.error = point.text_or("error", "");
      row.metrics["run_time_s"] = point.number_or("wall_s", kNaN);
      JsonValue summary;
      if (read_json_file(dir / "summary.json", summary))
        read_summary_metrics(summary, row.metrics, powered);
      if (const JsonValue* limits = summary.find("limits"))
        row.metrics["limit_failures"] = limits->number_or("failures", kNaN);
      // A design that misses a verdict ran fine but is infeasible.
      if (row.exit_code == 0 && row.metrics["verdict_failures"] > 0) row.status = "infeasible";
      row.metrics["feasible"] = row.status == "ok" ? 1.0 : 0.0;
    }
    row.metrics["exit_code"] = row.exit_code;
    table.rows.push_back(std::move(row));
  }
  for (const char* name : kSweepMetricNames) table.columns.emplace_back(name);
  for (const auto& name : verdict_margin_metric_names()) table.columns.push_back(name);
  for (const auto& region : powered) table.columns.push_back("T_max_K." + region);
  mark_pareto(table);
  return table;
}

std::vector<bool> pareto_front(const std::vector<std::vector<double>>& objectives) {
  const auto has_nan = [](const std::vector<double>& v) {
    return std::any_of(v.begin(), v.end(), [](double x) { return std::isnan(x); });
  };
  std::vector<bool> keep(objectives.size(), false);
  for (std::size_t i = 0; i < objectives.size(); ++i) {
    if (has_nan(objectives[i])) continue;
    bool dominated = false;
    for (std::size_t j = 0; j < objectives.size() && !dominated; ++j) {
      if (j == i || has_nan(objectives[j])) continue;
      bool no_worse = true, better = false;
      for (std::size_t k = 0; k < objectives[i].size(); ++k) {
        no_worse = no_worse && objectives[j][k] <= objectives[i][k];
        better = better || objectives[j][k] < objectives[i][k];
      }
      dominated = no_worse && better;
    }
    keep[i] = !dominated;
  }
  return keep;
}

std::vector<std::string> pareto_objectives_text() {
  return {"worst_lane_margin_dB ↑", "total_heater_W ↓", "T_max_K ↓"};
}

void mark_pareto(SweepTable& table) {
  // Objectives as "minimise": the lane margin is negated.
  const std::vector<std::pair<std::string, double>> objectives = {
      {"worst_lane_margin_dB", -1.0}, {"total_heater_W", 1.0}, {"T_max_K", 1.0}};
  std::vector<std::pair<std::string, double>> used;
  for (const auto& o : objectives)
    for (const auto& r : table.rows)
      if (r.status == "ok" && std::isfinite(table.value(r, o.first))) {
        used.push_back(o);
        break;
      }
  std::vector<std::size_t> ok;
  std::vector<std::vector<double>> values;
  for (std::size_t i = 0; i < table.rows.size(); ++i) {
    table.rows[i].pareto = false;
    if (table.rows[i].status != "ok" || used.empty()) continue;
    std::vector<double> v;
    for (const auto& [name, sign] : used) v.push_back(sign * table.value(table.rows[i], name));
    ok.push_back(i);
    values.push_back(std::move(v));
  }
  const auto keep = pareto_front(values);
  for (std::size_t k = 0; k < ok.size(); ++k) table.rows[ok[k]].pareto = keep[k];
}

bool requirement_holds(const SweepRequirement& r, double v) {
  if (std::isnan(v)) return false;
  if (r.op == ">=") return v >= r.value;
  if (r.op == "<=") return v <= r.value;
  if (r.op == ">") return v > r.value;
  if (r.op == "<") return v < r.value;
  return v == r.value;
}

SweepBestAnswer answer_best(const SweepTable& table, const SweepBest& best, const SweepSpec& spec) {
  SweepBestAnswer answer;
  double best_value = kNaN;
  for (std::size_t i = 0; i < table.rows.size(); ++i) {
    const SweepRow& r = table.rows[i];
    if (r.status != "ok") continue;
    bool ok = true;
    for (const auto& req : best.requirements)
      ok = ok && requirement_holds(req, table.value(r, req.metric));
    const double v = table.value(r, best.objective);
    if (!ok || std::isnan(v)) continue;
    ++answer.candidates;
    if (!answer.row || (best.maximize ? v > best_value : v < best_value)) {
      answer.row = i;
      best_value = v;
    }
  }
  std::string question = std::string(best.maximize ? "maximize " : "minimize ") + best.objective;
  if (!best.requirements.empty()) {
    question += " subject to";
    for (std::size_t k = 0; k < best.requirements.size(); ++k)
      question += (k ? ", " : " ") + best.requirements[k].text;
  }
  if (!answer.row) {
    std::size_t ran = 0;
    for (const auto& r : table.rows) ran += r.status == "ok";
    answer.text = question + ": no point qualifies" + (ran == 0 ? ": no feasible point" : "") +
                  " (" + std::to_string(ran) + " of " + std::to_string(table.rows.size()) +
                  " points ran and pass every design verdict)";
    return answer;
  }
  const SweepRow& r = table.rows[*answer.row];
  answer.text = question + ": point " + std::to_string(r.index) + " (" +
                describe_point(spec, r.values) + "), " + best.objective + " = " +
                format_number(best_value) + ", hash " + r.hash + "; " +
                std::to_string(answer.candidates) + " of " + std::to_string(table.rows.size()) +
                " points qualify";
  return answer;
}

void write_sweep_csv(const SweepTable& table, const std::string& path) {
  std::ostringstream out;
  out << "index";
  for (const auto& p : table.parameters) out << "," << csv_field(p);
  out << ",hash,status,exit_code";
  for (const auto& c : table.columns)
    if (c != "exit_code" && c != "pareto") out << "," << csv_field(c);
  out << ",pareto,error\n";
  for (const auto& r : table.rows) {
    out << r.index;
    for (const auto& v : r.values) {
      const auto* d = std::get_if<double>(&v);
      out << "," << (d != nullptr ? csv_number(*d) : csv_field(to_string(v)));
    }
    out << "," << r.hash << "," << r.status << "," << r.exit_code;
    for (const auto& c : table.columns)
      if (c != "exit_code" && c != "pareto") out << "," << csv_number(table.value(r, c));
    out << "," << (r.pareto ? 1 : 0) << "," << csv_field(r.error) << "\n";
  }
  postproc::write_file_atomically(path, out.str());
}

void write_sweep_h5(const SweepTable& table, const SweepSpec& spec, const std::string& best_text,
                    const std::string& path) {
  std::vector<postproc::Hdf5Column> columns;
  std::vector<std::int64_t> index;
  for (const auto& r : table.rows) index.push_back(static_cast<std::int64_t>(r.index));
  columns.push_back({"index", index});
  for (std::size_t p = 0; p < table.parameters.size(); ++p) {
    const bool numeric = std::all_of(table.rows.begin(), table.rows.end(), [&](const SweepRow& r) {
      return std::holds_alternative<double>(r.values[p]);
    });
    if (numeric) {
      std::vector<double> v;
      for (const auto& r : table.rows) v.push_back(std::get<double>(r.values[p]));
      columns.push_back({table.parameters[p], v});
    } else {
      std::vector<std::string> v;
      for (const auto& r : table.rows) v.push_back(to_string(r.values[p]));
      columns.push_back({table.parameters[p], v});
    }
  }
  std::vector<std::string> hash, status, error;
  std::vector<std::int32_t> exit_code, pareto;
  for (const auto& r : table.rows) {
    hash.push_back(r.hash);
    status.push_back(r.status);
    error.push_back(r.error);
    exit_code.push_back(r.exit_code);
    pareto.push_back(r.pareto ? 1 : 0);
  }
  columns.push_back({"hash", hash});
  columns.push_back({"status", status});
  columns.push_back({"exit_code", exit_code});
  for (const auto& c : table.columns) {
    if (c == "exit_code" || c == "pareto") continue;
    std::vector<double> v;
    for (const auto& r : table.rows) v.push_back(table.value(r, c));
    columns.push_back({c, v});
  }
  columns.push_back({"pareto", pareto});
  columns.push_back({"error", error});

  postproc::PendingFile pending(path);
  try {
    postproc::Hdf5File file = postproc::Hdf5File::create(pending.temp_path());
    {
      const postproc::Hdf5Group root = file.root();
      root.write_table("points", columns);
      root.set_string_attribute("sweep_file", spec.sweep_path);
      root.set_string_attribute("base_case", spec.base_case_path);
      std::string names;
      for (const auto& p : table.parameters) names += (names.empty() ? "" : ",") + p;
      root.set_string_attribute("parameters", names);
      root.set_string_attribute("best", best_text);
    }
    file.close();
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot write '" + path + "': " + e.what());
  }
  pending.commit();
}

}  // namespace cposim::cases
