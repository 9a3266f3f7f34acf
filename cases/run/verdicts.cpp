/// \file
/// The verdict classes of a run, the headline totals and their stdout text (verdicts.hpp).
#include "cases/run/verdicts.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <sstream>

#include "cases/run/run_summary.hpp"
#include "mesh/units.hpp"
#include "postproc/io/tabulate.hpp"

namespace cposim::cases {
namespace {

using mesh::kKelvinAtZeroCelsius;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
/// Failing items named on one `FAIL:` line; the rest are counted.
constexpr std::size_t kFailuresNamed = 12;

std::string text(const char* format, double a, double b) {
  return fmt::format(fmt::runtime(format), a, b);
}

void temperature_limits(const RunSummary& s, VerdictClass& c) {
  for (const auto& r : s.limits.regions)
    c.add({r.region, r.margin_K, r.pass,
           text("T_max {:.2f} °C, limit {:.2f} °C", r.T_max_K - kKelvinAtZeroCelsius,
                r.limit_K - kKelvinAtZeroCelsius)});
}

void ring_banks(const RunSummary& s, VerdictClass& c) {
  for (const auto& b : s.limits.banks)
    c.add({b.bank, b.margin_K, b.pass,
           text("spread {:.3f} K, limit {:.2f} K", b.gradient_K, b.limit_K)});
}

void ring_tuning(const RunSummary& s, VerdictClass& c) {
  if (!s.photonics) return;
  for (const auto& r : s.photonics->rings)
    c.add({r.name, r.state.margin_m * 1e9, r.state.in_range,
           text("needs {:.3f} mW of heater, max {:.3f} mW", r.state.heater_required_W * 1e3,
                r.model.heater_max_W * 1e3)});
}

void laser_windows(const RunSummary& s, VerdictClass& c) {
  if (!s.photonics) return;
  for (const auto& l : s.photonics->lasers) {
    const bool pass = l.state.lasing && (!l.has_window || l.window_margin_m > 0.0);
    const double margin = !l.state.lasing ? -std::numeric_limits<double>::infinity()
                          : l.has_window  ? l.window_margin_m * 1e9
                                          : std::numeric_limits<double>::infinity();
    c.add({l.name, margin, pass,
           !l.state.lasing ? std::string("not lasing")
                           : text("λ {:.3f} nm at junction {:.2f} °C", l.state.lambda_m * 1e9,
                                  l.state.T_junction_K - kKelvinAtZeroCelsius)});
  }
}

/// A transient run's ring lock: every ring stays within its lock tolerance at every landing time
/// (margin: tolerance − max |detuning|).
void ring_lock(const RunSummary& s, VerdictClass& c) {
  if (!s.transient || !s.transient->photonics) return;
  for (const auto& r : s.transient->photonics->rings) {
    const auto& st = r.stats;
    c.add({r.name, (r.lock_tolerance_m - st.max_abs_detuning_m) * 1e9, r.pass(),
           fmt::format("{}: max |detuning| {:.3f} nm (tolerance {:.3f} nm), out of lock {:.4g} s, "
                       "heater at its limit {:.4g} s",
                       r.control, st.max_abs_detuning_m * 1e9, r.lock_tolerance_m * 1e9,
                       st.time_out_of_lock_s, st.time_at_limit_s)});
  }
}

/// A transient run's lasers: inside their grid window (and lasing) at every landing time.
void laser_window_time(const RunSummary& s, VerdictClass& c) {
  if (!s.transient || !s.transient->photonics) return;
  for (const auto& l : s.transient->photonics->lasers)
    if (l.has_window)
      c.add({l.name, l.worst_margin_m * 1e9, l.pass(),
             text("outside its window {:.4g} s, worst margin {:.3f} nm", l.time_outside_s,
                  l.worst_margin_m * 1e9)});
}

void lane_margins(const RunSummary& s, VerdictClass& c) {
  for (const auto& g : s.lane_groups)
    c.add(
        {g.group + " #" + std::to_string(g.worst_loss_lane), g.worst_margin_dB, g.failing_loss == 0,
         text("worst of {:.0f} lanes; 25 °C margin {:.2f} dB", static_cast<double>(g.lanes),
              g.worst_margin_25C_dB)},
        g.lanes, g.failing_loss);
}

void lane_reach(const RunSummary& s, VerdictClass& c) {
  for (const auto& g : s.lane_groups)
    if (std::isfinite(g.reach_limit_m))
      c.add({g.group + " #" + std::to_string(g.worst_reach_lane), g.reach_margin_m * 1e3,
             g.failing_reach == 0,
             text("routed {:.2f} mm, reach limit {:.2f} mm", g.worst_reach_length_m * 1e3,
                  g.reach_limit_m * 1e3)},
            g.lanes, g.failing_reach);
}

void link_margins(const RunSummary& s, VerdictClass& c) {
  for (const auto& l : s.links)
    c.add({l.name, l.budget.margin_dB - l.required_margin_dB, l.budget.pass,
           text("received OMA {:.2f} dBm, sensitivity {:.2f} dBm", l.budget.received_oma_dBm,
                l.budget.sensitivity_dBm)});
}

void envelope_tuning(const RunSummary& s, VerdictClass& c) {
  if (!s.envelope) return;
  std::vector<std::string> order;
  for (const auto& r : s.envelope->rings)
    if (order.empty() || order.back() != r.entry) order.push_back(r.entry);
  for (const auto& bank : order) {
    const EnvelopeRing* worst = nullptr;
    int count = 0, failing = 0;
    for (const auto& r : s.envelope->rings) {
      if (r.entry != bank) continue;
      ++count;
      failing += r.covers ? 0 : 1;
      if (worst == nullptr || (!r.covers && worst->covers) ||
          (r.covers == worst->covers && r.margin_m < worst->margin_m))
        worst = &r;
    }
    c.add({worst->name == bank ? bank : bank + " (" + worst->name + ")", worst->margin_m * 1e9,
           failing == 0,
           text("span {:.3f} nm; needs {:.2f} mW at '", worst->span_m * 1e9,
                worst->heater_needed_W * 1e3) +
               worst->binding_point +
               text("' of {:.2f} mW (margin {:.2f} mW)", worst->heater_max_W * 1e3,
                    worst->margin_W * 1e3)},
          count, failing);
  }
}

/// One verdict class: its key, title, margin unit and how its items are gathered.
struct VerdictKind {
  const char* key;
  const char* title;
  const char* unit;
  void (*collect)(const RunSummary&, VerdictClass&);
};

/// Every verdict class, in report order. A new class is one more entry.
constexpr VerdictKind kVerdictKinds[] = {
    {"temperature_limits", "temperature limits", "K", temperature_limits},
    {"ring_banks", "ring-bank spread", "K", ring_banks},
    {"ring_tuning", "ring tuning range", "nm", ring_tuning},
    {"laser_windows", "laser windows", "nm", laser_windows},
    {"ring_lock", "ring lock in time", "nm", ring_lock},
    {"laser_window_time", "laser windows in time", "nm", laser_window_time},
    {"lane_margins", "lane loss margins", "dB", lane_margins},
    {"lane_reach", "lane reach", "mm", lane_reach},
    {"link_margins", "optical link margins", "dB", link_margins},
    {"envelope_tuning", "envelope tuning", "nm", envelope_tuning},
};

/// True if a (failing first, then smaller margin) is worse than b.
bool worse(const VerdictItem& a, const VerdictItem& b) {
  if (a.pass != b.pass) return !a.pass;
  if (std::isnan(a.margin) != std::isnan(b.margin)) return std::isnan(a.margin);
  return a.margin < b.margin;
}

std::string fixed(double v, int decimals) {
  if (std::isnan(v)) return "–";
  return fmt::format("{:.{}f}", v, decimals);
}

}  // namespace

void VerdictClass::add(const VerdictItem& item, int count, int failing) {
  checked += count;
  const int n_failing = failing >= 0 ? failing : (item.pass ? 0 : count);
  failed += n_failing;
  if (!binding || worse(item, *binding)) binding = item;
  if (n_failing > 0)
    failures.push_back(
        item.name + " (" + item.detail + ", margin " + format_margin(item.margin, unit) +
        (count > 1 ? ", " + std::to_string(n_failing) + " of " + std::to_string(count) + " failing"
                   : std::string()) +
        ")");
}

int Verdicts::failures() const {
  int n = 0;
  for (const auto& c : classes) n += c.failed;
  return n;
}

int Verdicts::checked() const {
  int n = 0;
  for (const auto& c : classes) n += c.checked;
  return n;
}

const VerdictClass* Verdicts::find(const std::string& key) const {
  for (const auto& c : classes)
    if (c.key == key) return &c;
  return nullptr;
}

Verdicts collect_verdicts(const RunSummary& summary) {
  Verdicts out;
  for (const auto& kind : kVerdictKinds) {
    VerdictClass c;
    c.key = kind.key;
    c.title = kind.title;
    c.unit = kind.unit;
    kind.collect(summary, c);
    if (c.checked > 0) out.classes.push_back(std::move(c));
  }
  return out;
}

void add_verdict_results(const Verdicts& verdicts, postproc::ResultsContent& content) {
  content.tables.push_back(postproc::tabulate(
      "verdicts", "classes",
      {"key", "title", "pass", "checked", "failed", "margin_unit", "binding", "binding_margin",
       "binding_detail"},
      verdicts.classes, [](const VerdictClass& c) {
        return std::tuple{c.key,  c.title,         c.pass(),          c.checked,        c.failed,
                          c.unit, c.binding->name, c.binding->margin, c.binding->detail};
      }));
  content.integer_attributes.push_back({"verdict_pass", verdicts.pass() ? 1 : 0});
  content.integer_attributes.push_back({"verdict_failures", verdicts.failures()});
}

std::vector<std::string> verdict_class_keys() {
  std::vector<std::string> keys;
  for (const auto& kind : kVerdictKinds) keys.emplace_back(kind.key);
  return keys;
}

std::string verdict_margin_metric(const std::string& key, const std::string& unit) {
  return key + "_margin_" + unit;
}

std::vector<std::string> verdict_margin_metric_names() {
  std::vector<std::string> names;
  for (const auto& kind : kVerdictKinds)
    names.push_back(verdict_margin_metric(kind.key, kind.unit));
  return names;
}

Headline make_headline(const RunSummary& s) {
  Headline h;
  h.package_power_W = s.solve.energy.power_in_W;
  h.T_max_K = kNaN;
  for (const auto& r : s.regions)
    if (r.num_cells > 0 && (std::isnan(h.T_max_K) || r.T_max_K > h.T_max_K)) {
      h.T_max_K = r.T_max_K;
      h.hottest_region = r.name;
    }
  h.heater_W = h.heater_open_loop_W = h.worst_drift_m = kNaN;
  if (s.photonics && !s.photonics->rings.empty()) {
    h.heater_W = s.photonics->total_heater_W;
    h.heater_open_loop_W = s.photonics->open_loop_heater_W;
    for (const auto& r : s.photonics->rings)
      if (std::isnan(h.worst_drift_m) || std::abs(r.state.drift_m) > h.worst_drift_m) {
        h.worst_drift_m = std::abs(r.state.drift_m);
        h.worst_drift_ring = r.name;
      }
  }
  h.worst_lane_margin_dB = kNaN;
  for (const auto& g : s.lane_groups)
    if (std::isnan(h.worst_lane_margin_dB) || g.worst_margin_dB < h.worst_lane_margin_dB) {
      h.worst_lane_margin_dB = g.worst_margin_dB;
      h.worst_lane = g.group + " #" + std::to_string(g.worst_loss_lane);
    }
  h.laser_junction_K = h.laser_case_K = kNaN;
  if (s.photonics)
    for (const auto& l : s.photonics->lasers)
      if (std::isnan(h.laser_junction_K) || l.state.T_junction_K > h.laser_junction_K) {
        h.laser_junction_K = l.state.T_junction_K;
        h.laser_case_K = l.state.T_case_K;
        h.hottest_laser = l.name;
      }
  h.coolant_outlet_K = kNaN;
  for (const auto& p : s.cold_plates)
    if (std::isnan(h.coolant_outlet_K) || p.outlet_T_K > h.coolant_outlet_K) {
      h.coolant_outlet_K = p.outlet_T_K;
      h.coolant_outlet_plate = p.name;
    }
  return h;
}

std::string format_margin(double margin, const std::string& unit) {
  if (std::isnan(margin)) return "–";
  if (std::isinf(margin)) return margin > 0 ? "no limit" : "−∞";
  return fmt::format("{:+.3g} {}", margin, unit);
}

std::string format_verdict_failures(const Verdicts& verdicts) {
  std::string out;
  for (const auto& c : verdicts.classes) {
    if (c.pass()) continue;
    out += "FAIL: " + c.title + ": " + std::to_string(c.failed) + " of " +
           std::to_string(c.checked) + " fail: ";
    for (std::size_t i = 0; i < c.failures.size() && i < kFailuresNamed; ++i)
      out += (i ? ", " : "") + c.failures[i];
    if (c.failures.size() > kFailuresNamed)
      out += ", and " + std::to_string(c.failures.size() - kFailuresNamed) + " more";
    out += " (a design verdict: the exit code is unchanged)\n";
  }
  return out;
}

std::string format_verdicts(const Verdicts& verdicts, const Headline& h) {
  std::ostringstream out;
  std::string line;
  out << "\nverdict: " << (verdicts.pass() ? "PASS" : "FAIL") << " (" << verdicts.classes.size()
      << " classes, " << verdicts.checked() << " checks, " << verdicts.failures() << " failing)\n";
  for (const auto& c : verdicts.classes) {
    const VerdictItem& b = *c.binding;
    line = fmt::format("  {:<4} {:<20} {:6} checked {:5} fail  binding: {}, margin {}\n",
                       c.pass() ? "pass" : "FAIL", c.title, c.checked, c.failed, b.name,
                       format_margin(b.margin, c.unit));
    out << line;
  }
  out << "  package power " << fixed(h.package_power_W, 2) << " W; T_max "
      << fixed(h.T_max_K - kKelvinAtZeroCelsius, 2) << " °C in '" << h.hottest_region << "'";
  if (!std::isnan(h.heater_W))
    out << "\n  heaters " << fixed(h.heater_W, 4) << " W with feedback, "
        << (std::isnan(h.heater_open_loop_W)
                ? std::string("without feedback n/a in a transient run")
                : fixed(h.heater_open_loop_W, 4) + " W without")
        << "; worst Δλ " << fixed(h.worst_drift_m * 1e9, 4) << " nm (" << h.worst_drift_ring << ")";
  if (!std::isnan(h.laser_junction_K))
    out << "\n  hottest laser junction " << fixed(h.laser_junction_K - kKelvinAtZeroCelsius, 2)
        << " °C, case " << fixed(h.laser_case_K - kKelvinAtZeroCelsius, 2) << " °C ("
        << h.hottest_laser << ")";
  if (!std::isnan(h.worst_lane_margin_dB))
    out << "\n  worst lane margin " << fixed(h.worst_lane_margin_dB, 2) << " dB (" << h.worst_lane
        << ")";
  if (!std::isnan(h.coolant_outlet_K))
    out << "; coolant outlet " << fixed(h.coolant_outlet_K - kKelvinAtZeroCelsius, 2) << " °C ("
        << h.coolant_outlet_plate << ")";
  out << "\n" << format_verdict_failures(verdicts);
  return out.str();
}

}  // namespace cposim::cases
