/// \file
/// `[transient]` and `power_waveform`: reading, the waveform CSV, cross-checks and the echo.
#include "cases/read/transient_reader.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "cases/read/csv_cells.hpp"

namespace cposim::cases {
namespace {

namespace fs = std::filesystem;

constexpr const char* kSecond = "s";

std::string number_list(const std::vector<double>& values) {
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i)
    out += (i > 0 ? ", " : "") + format_number(values[i]);
  return out + "]";
}

/// Reads `[transient]`; the checks that need the rest of the case are in check_transient.
class TransientReader : public TomlReader {
 public:
  using TomlReader::TomlReader;

  TransientSpec read(const toml::node& node) const {
    const Section s{&table(node, kTransientTopLevelKey), kTransientTopLevelKey};
    reject_unknown_keys(
        s, {"scheme", "end_time_s", "output_times_s", "output_interval_s", "initial", "initial_T_K",
            "tolerance_K", "dt_initial_s", "dt_max_s", "adaptive"});
    TransientSpec t;
    t.where = at(node);
    if (const auto* n = s.find("scheme"))
      t.scheme = choice(*n, s.key("scheme"), {"bdf2", "backward_euler"}) == "bdf2"
                     ? solver::TimeScheme::bdf2
                     : solver::TimeScheme::backward_euler;
    t.end_time_s = positive(require(s, "end_time_s"), s.key("end_time_s"), kSecond);
    read_output_times(s, t);
    if (const auto* n = s.find("initial"))
      t.initial = choice(*n, s.key("initial"), {"ambient", "steady"}) == "steady"
                      ? InitialState::steady
                      : InitialState::ambient;
    if (const auto* n = s.find("initial_T_K")) {
      if (t.initial == InitialState::steady)
        fail(*n, "'" + s.key("initial_T_K") +
                     "' is only for initial = \"ambient\"; initial = \"steady\" starts from the "
                     "steady solution");
      t.initial_T_K = positive(*n, s.key("initial_T_K"), kKelvin);
    }
    if (const auto* n = s.find("tolerance_K"))
      t.tolerance_K = positive(*n, s.key("tolerance_K"), kKelvin);
    if (const auto* n = s.find("adaptive")) t.adaptive = boolean(*n, s.key("adaptive"));
    const toml::node* dt0 = s.find("dt_initial_s");
    if (dt0 != nullptr) {
      t.dt_initial_s = at_most_end(*dt0, s.key("dt_initial_s"), t.end_time_s);
      t.dt_initial_given = true;
    } else if (!t.adaptive) {
      fail(*s.table, "[transient] with adaptive = false needs 'dt_initial_s', the fixed step");
    }
    if (!t.adaptive && t.end_time_s / t.dt_initial_s > kMaxFixedSteps)
      fail(*dt0, "'" + s.key("dt_initial_s") + "' = " + format_number(t.dt_initial_s) +
                     " s makes " + format_number(std::ceil(t.end_time_s / t.dt_initial_s)) +
                     " fixed steps up to end_time_s, more than the limit of " +
                     format_number(kMaxFixedSteps) + "; use a larger step or adaptive = true");
    if (const auto* n = s.find("dt_max_s")) {
      t.dt_max_s = positive(*n, s.key("dt_max_s"), kSecond);
      if (t.dt_initial_given && *t.dt_max_s < t.dt_initial_s)
        fail(*n, "'" + s.key("dt_max_s") + "' must be >= dt_initial_s (" +
                     format_number(t.dt_initial_s) + " s), got " + format_number(*t.dt_max_s));
    }
    return t;
  }

 private:
  /// A time > 0 and ≤ end_time_s.
  double at_most_end(const toml::node& node, const std::string& key, double end_time_s) const {
    const double v = positive(node, key, kSecond);
    if (v > end_time_s)
      fail(node, "'" + key + "' must be <= end_time_s (" + format_number(end_time_s) + " s), got " +
                     format_number(v));
    return v;
  }

  /// output_times_s or output_interval_s (exactly one), resolved to a list from 0 to the end.
  void read_output_times(const Section& s, TransientSpec& t) const {
    const toml::node* list = s.find("output_times_s");
    const toml::node* interval = s.find("output_interval_s");
    if (list != nullptr && interval != nullptr) {
      const bool list_later = before(interval->source().begin, list->source().begin);
      fail(list_later ? *list : *interval,
           "give either 'output_times_s' or 'output_interval_s' in [transient], not both");
    }
    if (list == nullptr && interval == nullptr)
      fail(*s.table, "[transient] needs 'output_times_s' (a list) or 'output_interval_s'");
    t.output_times_s = {0.0};
    if (list != nullptr) {
      const auto& a = array(*list, s.key("output_times_s"));
      if (a.size() > kMaxTransientOutputs)
        fail(*list, "'" + s.key("output_times_s") + "' has " + std::to_string(a.size()) +
                        " times, more than the limit of " + std::to_string(kMaxTransientOutputs));
      double previous = -1.0;
      for (std::size_t i = 0; i < a.size(); ++i) {
        const std::string key = s.key("output_times_s") + "[" + std::to_string(i) + "]";
        const double v = in_range(a[i], key, kSecond, 0.0, t.end_time_s);
        if (i > 0 && !(v > previous))
          fail(a[i], "'" + key + "' must be > the previous time (" + format_number(previous) +
                         " s), got " + format_number(v));
        previous = v;
        if (v > 0.0) t.output_times_s.push_back(v);
      }
    } else {
      t.output_interval_s = at_most_end(*interval, s.key("output_interval_s"), t.end_time_s);
      const double count = std::ceil(t.end_time_s / t.output_interval_s * (1.0 - 1e-12));
      if (count > static_cast<double>(kMaxTransientOutputs))
        fail(*interval, "'" + s.key("output_interval_s") +
                            "' = " + format_number(t.output_interval_s) + " s makes " +
                            format_number(count) +
                            " output times up to end_time_s, more than "
                            "the limit of " +
                            std::to_string(kMaxTransientOutputs));
      for (double k = 1.0; k < count; k += 1.0) t.output_times_s.push_back(k * t.output_interval_s);
    }
    if (t.output_times_s.back() < t.end_time_s) t.output_times_s.push_back(t.end_time_s);
  }
};

}  // namespace

std::optional<TransientSpec> read_transient(const toml::table& root, const std::string& file) {
  const toml::node* node = root.get(kTransientTopLevelKey);
  if (node == nullptr) return std::nullopt;
  return TransientReader(file, "").read(*node);
}

PowerWaveformSpec parse_waveform_csv(std::string_view text, const std::string& display_path) {
  PowerWaveformSpec w;
  w.kind = PowerWaveformSpec::Kind::linear;
  bool have_header = false;
  for (const CsvLine& line : csv_lines(text)) {
    const int line_no = line.line;
    const auto& cells = line.cells;
    if (!have_header) {
      if (cells.size() != 2 || cells[0].text != "t_s" ||
          (cells[1].text != "factor" && cells[1].text != "power_W"))
        throw CaseError({display_path, line_no, 1},
                        "waveform CSV header must be 't_s,factor' or 't_s,power_W', got '" +
                            std::string(line.text) + "'");
      w.in_watts = cells[1].text == "power_W";
      have_header = true;
      continue;
    }
    if (cells.size() != 2)
      throw CaseError({display_path, line_no, 1},
                      "waveform CSV row must have 2 values (t_s, " +
                          std::string(w.in_watts ? "power_W" : "factor") + "), got " +
                          std::to_string(cells.size()));
    const double t = csv_number(cells[0], display_path, line_no, "waveform time");
    if (!w.t_s.empty() && !(t > w.t_s.back()))
      throw CaseError({display_path, line_no, cells[0].column},
                      "waveform times must be strictly increasing: t_s = " + format_number(t) +
                          " s follows " + format_number(w.t_s.back()) + " s");
    const char* what = w.in_watts ? "power_W" : "factor";
    const double v = csv_number(cells[1], display_path, line_no, std::string("waveform ") + what);
    if (!(v >= 0.0))
      throw CaseError({display_path, line_no, cells[1].column},
                      std::string("waveform ") + what + " must be >= 0" + (w.in_watts ? " W" : "") +
                          ", got " + format_number(v));
    w.t_s.push_back(t);
    w.values.push_back(v);
  }
  if (!have_header)
    throw CaseError({display_path, 1, 1},
                    "waveform CSV needs a header 't_s,factor' or 't_s,power_W', got an empty file");
  return w;
}

PowerWaveformSpec read_power_waveform(const TomlReader& reader, const toml::node& node,
                                      const std::string& path) {
  const Section s{&reader.table(node, path), path};
  if (const toml::node* csv = s.find("csv")) {
    reader.reject_unknown_keys(s, {"csv"});
    const DataFileText data = reader.read_data_file(*csv, s.key("csv"), "waveform");
    const std::string& file_name = data.path;
    const std::string& resolved = data.resolved_path;
    PowerWaveformSpec w = parse_waveform_csv(data.text, resolved);
    if (w.t_s.empty()) reader.fail(*csv, "waveform '" + file_name + "' has no points");
    w.csv_path = file_name;
    w.resolved_path = resolved;
    w.where = reader.at(node);
    return w;
  }
  reader.reject_unknown_keys(s, {"kind", "t_s", "factor", "csv"});
  PowerWaveformSpec w;
  w.where = reader.at(node);
  w.kind = reader.choice(reader.require(s, "kind"), s.key("kind"), {"steps", "linear"}) == "steps"
               ? PowerWaveformSpec::Kind::steps
               : PowerWaveformSpec::Kind::linear;
  const auto& t = reader.array(reader.require(s, "t_s"), s.key("t_s"));
  const auto& f = reader.array(reader.require(s, "factor"), s.key("factor"));
  if (t.empty()) reader.fail(t, "'" + s.key("t_s") + "' needs at least 1 time, got none");
  if (f.size() != t.size())
    reader.fail(f, "'" + s.key("factor") + "' must have as many values as t_s (" +
                       std::to_string(t.size()) + "), got " + std::to_string(f.size()));
  for (std::size_t i = 0; i < t.size(); ++i) {
    const std::string ti = s.key("t_s") + "[" + std::to_string(i) + "]";
    const double time = reader.number(t[i], ti);
    if (i > 0 && !(time > w.t_s.back()))
      reader.fail(t[i], "'" + ti + "' must be > the previous time (" + format_number(w.t_s.back()) +
                            " s), got " + format_number(time));
    w.t_s.push_back(time);
    w.values.push_back(
        reader.non_negative(f[i], s.key("factor") + "[" + std::to_string(i) + "]", ""));
  }
  return w;
}

namespace {

/// Most PI samples over a run: each is a landing of the time integration (a step at least).
constexpr double kMaxControlSamples = 1e6;

/// Ring heater control against [transient]: a PI loop needs time; the devices need the
/// feedback the transient re-solves per step, without the steady-only crosstalk solves.
void check_ring_control(const CaseSpec& spec) {
  for (std::size_t i = 0; i < spec.photonics.rings.size(); ++i) {
    const RingSpec& r = spec.photonics.rings[i];
    if (r.control != RingControl::pi) continue;
    const std::string key = "rings[" + std::to_string(i) + "].control";
    if (!spec.transient)
      throw CaseError(r.control_where, "'" + key +
                                           "' = \"pi\" needs a [transient] table: a steady run "
                                           "has no time (its rings are locked, as \"ideal\")");
    const double samples = spec.transient->end_time_s / r.pi_period_s;
    if (samples > kMaxControlSamples)
      throw CaseError(
          r.pi_period_where,
          fmt::format("'rings[{}].pi_period_s' = {:g} s gives {:.3g} PI samples over "
                      "end_time_s = {:g} s, more than {:g} (each is a time step); "
                      "raise pi_period_s or shorten the run",
                      i, r.pi_period_s, samples, spec.transient->end_time_s, kMaxControlSamples));
  }
  if (!spec.transient || spec.photonics.empty()) return;
  const CouplingSpec& c = spec.photonics.coupling;
  const std::string with = "[transient] with photonic devices ";
  if (!c.enabled)
    throw CaseError(c.where, with +
                                 "needs [coupling] enabled = true (the heaters and laser heat "
                                 "are sources of the transient)");
  if (c.crosstalk)
    throw CaseError(c.crosstalk_where,
                    with +
                        "cannot measure [coupling] crosstalk (one steady solve per heater); "
                        "set crosstalk = false or remove [transient]");
}

}  // namespace

void check_transient(const CaseSpec& spec) {
  for (std::size_t i = 0; i < spec.blocks.size(); ++i) {
    const auto& b = spec.blocks[i];
    if (!b.power_waveform) continue;
    const std::string key = "blocks[" + std::to_string(i) + "].power_waveform";
    if (!spec.transient)
      throw CaseError(b.power_waveform->where,
                      "'" + key + "' needs a [transient] table: a steady run has no time");
    const bool has_power = b.power_W ? *b.power_W > 0.0 : b.power_map.has_value();
    if (!b.power_waveform->in_watts && !has_power)
      throw CaseError(b.power_waveform->where,
                      "'" + key + "' gives factors on power_W, but block '" + b.name +
                          "' has no power_W; set power_W or give a 't_s,power_W' CSV");
  }
  check_ring_control(spec);
}

void echo_transient(std::ostream& os, const CaseSpec& spec) {
  if (!spec.transient) return;
  const TransientSpec& t = *spec.transient;
  os << "\n[transient]\nscheme = " << quoted(solver::to_string(t.scheme))
     << "\nend_time_s = " << format_number(t.end_time_s) << "\n";
  if (t.output_interval_s > 0.0)
    os << "output_interval_s = " << format_number(t.output_interval_s) << "  # "
       << t.output_times_s.size() << " output times with t = 0\n";
  else
    os << "output_times_s = " << number_list(t.output_times_s) << "\n";
  os << "initial = " << quoted(t.initial == InitialState::steady ? "steady" : "ambient") << "\n";
  if (t.initial_T_K)
    os << "initial_T_K = " << format_number(*t.initial_T_K) << "\n";
  else if (t.initial == InitialState::ambient)
    os << "# initial_T_K: the mean temperature of the convection and fixed-temperature faces\n";
  os << "tolerance_K = " << format_number(t.tolerance_K)
     << "\ndt_initial_s = " << format_number(t.dt_initial_s) << "\n";
  if (t.dt_max_s)
    os << "dt_max_s = " << format_number(*t.dt_max_s) << "\n";
  else
    os << "# dt_max_s: no limit\n";
  os << "adaptive = " << (t.adaptive ? "true" : "false") << "\n";
}

std::string echo_power_waveform(const std::optional<PowerWaveformSpec>& waveform) {
  if (!waveform) return "";
  const PowerWaveformSpec& w = *waveform;
  if (!w.csv_path.empty())
    return "power_waveform = { csv = " + quoted(w.csv_path) + " }  # " + w.resolved_path + ": " +
           std::to_string(w.t_s.size()) + " points, " + (w.in_watts ? "power_W" : "factor") + "\n";
  return std::string("power_waveform = { kind = ") +
         (w.kind == PowerWaveformSpec::Kind::steps ? "\"steps\"" : "\"linear\"") +
         ", t_s = " + number_list(w.t_s) + ", factor = " + number_list(w.values) + " }\n";
}

}  // namespace cposim::cases
