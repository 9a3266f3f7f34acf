/// \file
/// summary.json by hand: a small writer with correct escaping, no JSON dependency.
#include "cases/report/summary_json.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <utility>

#include "cases/read/toml_helpers.hpp"
#include "cases/run/verdicts.hpp"
#include "cposim_version.hpp"
#include "mesh/units.hpp"

namespace cposim::cases {
namespace {

using mesh::kKelvinAtZeroCelsius;

std::string number(double value) {
  if (!std::isfinite(value)) return "null";
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", value);
  return text;
}

std::string number(long long value) { return std::to_string(value); }

/// Writes `"key": value` pairs of one object, with commas and indentation.
class Object {
 public:
  Object(std::ostringstream& out, int indent) : out_(out), indent_(indent) { out_ << "{"; }
  Object& raw(const char* key, const std::string& json) {
    out_ << (first_ ? "\n" : ",\n") << std::string(static_cast<std::size_t>(indent_ + 2), ' ')
         << quoted(key) << ": " << json;
    first_ = false;
    return *this;
  }
  Object& text(const char* key, const std::string& value) { return raw(key, quoted(value)); }
  Object& real(const char* key, double value) { return raw(key, number(value)); }
  Object& integer(const char* key, long long value) { return raw(key, number(value)); }
  void close() {
    out_ << (first_ ? "}" : "\n" + std::string(static_cast<std::size_t>(indent_), ' ') + "}");
  }

 private:
  std::ostringstream& out_;
  int indent_;
  bool first_ = true;
};

/// A JSON array of the objects made by `write(item, object)`, one per element of `items`.
template <class Items, class Write>
std::string array_of_objects(const Items& items, int indent, Write write) {
  std::ostringstream out;
  out << "[";
  bool first = true;
  for (const auto& item : items) {
    out << (first ? "\n" : ",\n") << std::string(static_cast<std::size_t>(indent + 2), ' ');
    first = false;
    Object o(out, indent + 2);
    write(item, o);
    o.close();
  }
  out << (first ? "]" : "\n" + std::string(static_cast<std::size_t>(indent), ' ') + "]");
  return out.str();
}

std::string triple(const std::array<double, 3>& v) {
  return "[" + number(v[0]) + ", " + number(v[1]) + ", " + number(v[2]) + "]";
}

double celsius(double T_K) { return T_K - kKelvinAtZeroCelsius; }

std::string boolean(bool value) { return value ? "true" : "false"; }

/// "limits": the pass/fail table of temperature limits (cases/run/temperature_limits.hpp).
std::string limits_json(const LimitReport& limits) {
  std::ostringstream out;
  Object o(out, 2);
  o.integer("failures", limits.failures())
      .raw("regions", array_of_objects(limits.regions, 4,
                                       [](const auto& r, Object& row) {
                                         row.text("region", r.region)
                                             .text("role", r.role)
                                             .text("basis", r.basis)
                                             .real("limit_K", r.limit_K)
                                             .real("T_max_K", r.T_max_K)
                                             .real("margin_K", r.margin_K)
                                             .raw("pass", boolean(r.pass));
                                       }))
      .raw("ring_banks", array_of_objects(limits.banks, 4, [](const auto& b, Object& row) {
             row.text("bank", b.bank)
                 .integer("count", b.count)
                 .real("gradient_K", b.gradient_K)
                 .real("limit_K", b.limit_K)
                 .real("margin_K", b.margin_K)
                 .raw("pass", boolean(b.pass));
           }));
  o.close();
  return out.str();
}

/// "photonics": the coupling outcome, or null without devices.
std::string photonics_json(const std::optional<PhotonicsReport>& p) {
  if (!p) return "null";
  std::ostringstream out;
  Object o(out, 2);
  o.text("status", to_string(p->status))
      .raw("ok", boolean(p->ok()))
      .text("message", p->message)
      .integer("iterations", p->iterations)
      .real("total_heater_W", p->total_heater_W)
      .real("open_loop_heater_W", p->open_loop_heater_W)
      .real("laser_heat_W", p->laser_heat_W);
  o.close();
  return out.str();
}

/// One row per history: name, <what>_start, <what>_end, <what>_peak (unit suffix _K for
/// "outlet", _W for "power") and t_peak_s.
std::string history_peaks(const std::vector<std::string>& names,
                          const std::vector<std::vector<double>>& values,
                          const std::vector<double>& times_s, const std::string& what) {
  std::vector<std::size_t> rows(names.size());
  for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = i;
  const std::string unit = what == "outlet" ? "_K" : "_W";
  return array_of_objects(rows, 4, [&](std::size_t i, Object& row) {
    const auto& v = values[i];
    const auto peak = std::max_element(v.begin(), v.end());
    const double nan = std::nan("");
    row.text("name", names[i])
        .real((what + "_start" + unit).c_str(), v.empty() ? nan : v.front())
        .real((what + "_end" + unit).c_str(), v.empty() ? nan : v.back())
        .real((what + "_peak" + unit).c_str(), v.empty() ? nan : *peak)
        .real("t_peak_s", v.empty() ? nan : times_s[static_cast<std::size_t>(peak - v.begin())]);
  });
}

/// "transient": the time integration and each probe's history in brief, or null (steady).
std::string transient_json(const std::optional<TransientSummary>& t) {
  if (!t) return "null";
  const auto& r = t->report;
  std::vector<std::size_t> probes(t->probe_names.size());
  for (std::size_t i = 0; i < probes.size(); ++i) probes[i] = i;
  std::ostringstream out;
  Object o(out, 2);
  o.text("scheme", r.scheme)
      .text("initial", t->initial)
      .raw("adaptive", boolean(t->adaptive))
      .raw("completed", boolean(r.completed))
      .text("failure", r.failure)
      .real("end_time_s", t->end_time_s)
      .real("t_reached_s", r.t_reached_s)
      .integer("outputs", static_cast<long long>(t->times_s.size()))
      .integer("steps", r.steps)
      .integer("rejected_steps", r.rejected_steps)
      .integer("setups", r.setups)
      .integer("picard_iterations", r.picard_iterations)
      .real("dt_min_s", r.dt_smallest_s)
      .real("dt_max_s", r.dt_largest_s)
      .real("tolerance_K", t->tolerance_K)
      .real("max_error_estimate_K", r.max_error_estimate_K)
      .real("energy_in_J", r.energy_in_J)
      .real("heat_out_J", r.heat_out_J)
      .real("stored_change_J", r.stored_change_J)
      .real("energy_imbalance_J", r.energy_imbalance_J)
      .real("energy_relative", r.energy_relative)
      .raw("plates", history_peaks(t->plate_names, t->plate_outlet_T_K, t->times_s, "outlet"))
      .raw("leaky_blocks",
           history_peaks(t->leaky_block_names, t->leaky_block_W, t->times_s, "power"))
      .raw("probes", array_of_objects(probes, 4, [&t](std::size_t i, Object& row) {
             const auto& T = t->probe_T_K[i];
             const auto peak = std::max_element(T.begin(), T.end());
             const auto at = static_cast<std::size_t>(peak - T.begin());
             const double nan = std::nan("");
             row.text("name", t->probe_names[i])
                 .real("T_start_K", T.empty() ? nan : T.front())
                 .real("T_end_K", T.empty() ? nan : T.back())
                 .real("T_peak_K", T.empty() ? nan : *peak)
                 .real("t_peak_s", T.empty() ? nan : t->times_s[at]);
           }));
  o.close();
  return out.str();
}

/// "verdict": pass/fail per verdict class with its binding item (cases/run/verdicts.hpp).
std::string verdict_json(const Verdicts& v) {
  std::ostringstream out;
  Object o(out, 2);
  o.raw("pass", boolean(v.pass()))
      .integer("checks", v.checked())
      .integer("failures", v.failures())
      .raw("classes", array_of_objects(v.classes, 4, [](const VerdictClass& c, Object& row) {
             row.text("key", c.key)
                 .text("title", c.title)
                 .raw("pass", boolean(c.pass()))
                 .integer("checked", c.checked)
                 .integer("failed", c.failed)
                 .text("margin_unit", c.unit);
             std::ostringstream binding;
             Object b(binding, 6);
             b.text("name", c.binding->name)
                 .real("margin", c.binding->margin)
                 .raw("pass", boolean(c.binding->pass))
                 .text("detail", c.binding->detail);
             b.close();
             row.raw("binding", binding.str());
           }));
  o.close();
  return out.str();
}

/// "headline": the totals a team quotes (cases/run/verdicts.hpp); null where the run has none.
std::string headline_json(const Headline& h) {
  std::ostringstream out;
  Object o(out, 2);
  const auto name = [](const std::string& n) { return n.empty() ? "null" : quoted(n); };
  o.real("package_power_W", h.package_power_W)
      .real("T_max_K", h.T_max_K)
      .real("T_max_C", celsius(h.T_max_K))
      .raw("hottest_region", name(h.hottest_region))
      .real("heater_W", h.heater_W)
      .real("heater_open_loop_W", h.heater_open_loop_W)
      .real("worst_delta_lambda_nm", h.worst_drift_m * 1e9)
      .raw("worst_delta_lambda_ring", name(h.worst_drift_ring))
      .real("worst_lane_margin_dB", h.worst_lane_margin_dB)
      .raw("worst_lane", name(h.worst_lane))
      .real("coolant_outlet_K", h.coolant_outlet_K)
      .real("coolant_outlet_C", celsius(h.coolant_outlet_K))
      .raw("coolant_outlet_plate", name(h.coolant_outlet_plate))
      .real("laser_T_junction_K", h.laser_junction_K)
      .real("laser_T_junction_C", celsius(h.laser_junction_K))
      .real("laser_T_case_K", h.laser_case_K)
      .real("laser_T_case_C", celsius(h.laser_case_K))
      .raw("hottest_laser", name(h.hottest_laser));
  o.close();
  return out.str();
}

/// A laser passes when it lases and, with a channel window, sits inside it.
bool laser_pass(const LaserResult& l) {
  return l.state.lasing && (!l.has_window || l.window_margin_m > 0.0);
}

}  // namespace

std::string summary_json(const RunSummary& s) {
  std::ostringstream out;
  Object root(out, 0);
  root.integer("summary_version", summary_json_version)
      .text("program_version", CPOSIM_VERSION)
      .text("title", s.title)
      .raw("verdict", verdict_json(collect_verdicts(s)))
      .raw("headline", headline_json(make_headline(s)));

  {
    std::ostringstream grid;
    Object o(grid, 2);
    o.raw("cells_per_axis", "[" + std::to_string(s.cells_per_axis[0]) + ", " +
                                std::to_string(s.cells_per_axis[1]) + ", " +
                                std::to_string(s.cells_per_axis[2]) + "]")
        .integer("num_cells", static_cast<long long>(s.num_cells));
    o.close();
    root.raw("grid", grid.str());
  }
  {
    std::ostringstream solver;
    Object o(solver, 2);
    const bool converged = s.solve.converged && s.solve.all_finite && s.thermal_failure.empty();
    o.text("linear_solver", s.solve.linear_solver)
        .raw("converged", converged ? "true" : "false")
        .integer("linear_iterations", s.solve.linear_iterations)
        .integer("picard_iterations", s.solve.picard_iterations)
        .real("relative_residual", s.solve.relative_residual)
        .real("nonlinear_residual", s.solve.nonlinear_residual)
        .text("fallback", s.solve.linear_fallback)
        .raw("runaway", s.runaway() ? "true" : "false")
        .text("failure_reason", s.failure_reason());
    std::ostringstream times;
    Object t(times, 4);
    t.real("build", s.times.build_s)
        .real("assembly", s.times.assembly_s)
        .real("setup", s.times.setup_s)
        .real("solve", s.times.solve_s)
        .real("postprocess", s.times.postprocess_s);
    t.close();
    o.raw("times_s", times.str());
    o.close();
    root.raw("solver", solver.str());
  }
  {
    const auto& e = s.solve.energy;
    std::ostringstream balance;
    Object o(balance, 2);
    // The run's figure: a transient run's cumulative accounting, a steady run's balance.
    o.text("basis", s.transient ? "transient_cumulative" : "steady")
        .real("relative", s.energy_relative())
        .real("power_in_W", e.power_in_W)
        .real("heat_out_W", e.heat_out_W)
        .real("imbalance_W", e.imbalance_W)
        .real("instantaneous_relative", e.relative);
    std::ostringstream faces;
    Object f(faces, 4);
    for (std::size_t i = 0; i < 6; ++i) f.real(solver::kDomainFaceNames[i], e.face_heat_out_W[i]);
    f.close();
    o.raw("face_heat_out_W", faces.str());
    o.close();
    root.raw("energy_balance", balance.str());
  }
  root.raw("regions", array_of_objects(s.regions, 2, [](const auto& r, Object& o) {
             o.text("name", r.name)
                 .integer("num_cells", static_cast<long long>(r.num_cells))
                 .real("power_W", r.power_W)
                 .real("T_max_K", r.T_max_K)
                 .real("T_max_C", celsius(r.T_max_K))
                 .real("T_mean_K", r.T_mean_K)
                 .real("T_mean_C", celsius(r.T_mean_K))
                 .real("T_min_K", r.T_min_K)
                 .real("T_min_C", celsius(r.T_min_K))
                 .raw("T_max_at_m", triple(r.T_max_at_m));
           }));
  root.raw("face_stats", array_of_objects(s.face_stats, 2, [](const auto& f, Object& o) {
             o.text("name", f.name)
                 .text("where", f.where)
                 .real("T_max_K", f.T_max_K)
                 .real("T_mean_K", f.T_mean_K)
                 .real("T_min_K", f.T_min_K)
                 .raw("T_max_at_m", triple(f.T_max_at_m))
                 .real("heat_W", f.heat_W)
                 .real("area_m2", f.area_m2);
           }));
  root.raw("hot_spots", array_of_objects(s.hot_spots, 2, [](const auto& h, Object& o) {
             o.text("region", h.region)
                 .integer("rank", h.rank)
                 .real("x_m", h.at_m[0])
                 .real("y_m", h.at_m[1])
                 .real("z_m", h.at_m[2])
                 .real("T_K", h.T_K)
                 .real("T_C", celsius(h.T_K));
           }));
  if (s.coolant) {
    std::ostringstream coolant;
    Object o(coolant, 2);
    o.text("face", solver::kDomainFaceNames[static_cast<std::size_t>(s.coolant->face)])
        .real("T_K", s.coolant->T_K)
        .real("T_C", celsius(s.coolant->T_K))
        .real("heat_out_W", s.coolant->heat_out_W);
    o.close();
    root.raw("coolant", coolant.str());
  } else {
    root.raw("coolant", "null");
  }
  root.raw("thermal_resistance", array_of_objects(s.resistances, 2, [](const auto& r, Object& o) {
             o.text("region", r.region)
                 .real("power_W", r.power_W)
                 .real("T_max_K", r.T_max_K)
                 .real("T_mean_K", r.T_mean_K)
                 .real("R_max_K_per_W", r.R_max_K_per_W)
                 .real("R_mean_K_per_W", r.R_mean_K_per_W);
           }));
  root.raw("probes", array_of_objects(s.probes, 2, [](const auto& p, Object& o) {
             o.text("name", p.name)
                 .raw("at_m", triple(p.at_m))
                 .real("T_K", p.T_K)
                 .real("T_C", celsius(p.T_K));
           }));
  root.raw("limits", limits_json(s.limits));
  root.raw("photonics", photonics_json(s.photonics));
  static const std::vector<RingResult> kNoRings;
  static const std::vector<LaserResult> kNoLasers;
  root.raw("rings", array_of_objects(s.photonics ? s.photonics->rings : kNoRings, 2,
                                     [](const auto& r, Object& o) {
                                       o.text("name", r.name)
                                           .text("entry", r.entry)
                                           .real("T_K", r.state.T_K)
                                           .real("T_C", celsius(r.state.T_K))
                                           .real("delta_lambda_nm", r.state.drift_m * 1e9)
                                           .real("heater_W", r.state.heater_W)
                                           .real("heater_required_W", r.state.heater_required_W)
                                           .real("heater_max_W", r.model.heater_max_W)
                                           .real("margin_nm", r.state.margin_m * 1e9)
                                           .raw("in_range", boolean(r.state.in_range));
                                     }));
  root.raw("lasers",
           array_of_objects(
               s.photonics ? s.photonics->lasers : kNoLasers, 2, [](const auto& l, Object& o) {
                 o.text("name", l.name)
                     .text("placement", l.external ? "external" : "package")
                     .real("T_case_K", l.state.T_case_K)
                     .real("T_case_C", celsius(l.state.T_case_K))
                     .real("T_junction_K", l.state.T_junction_K)
                     .real("T_junction_C", celsius(l.state.T_junction_K))
                     .real("lambda_nm", l.state.lambda_m * 1e9)
                     .real("delta_lambda_nm", (l.state.lambda_m - l.model.lambda0_m) * 1e9)
                     .real("heat_W", l.state.heat_W)
                     .real("optical_W", l.state.optical_W)
                     .raw("lasing", boolean(l.state.lasing))
                     .real("window_margin_nm",
                           l.has_window ? l.window_margin_m * 1e9 : std::nan(""))
                     .raw("pass", boolean(laser_pass(l)));
               }));
  root.raw("lane_engines", array_of_objects(s.lane_engines, 2, [](const auto& e, Object& o) {
             o.text("engine", e.engine)
                 .integer("lanes", e.lanes)
                 .integer("failing", e.failing)
                 .integer("failing_25C", e.failing_25C)
                 .integer("failing_reach", e.failing_reach)
                 .text("worst_group", e.worst_group)
                 .integer("worst_lane", e.worst_lane)
                 .real("worst_margin_dB", e.worst_margin_dB)
                 .real("worst_margin_25C_dB", e.worst_margin_25C_dB)
                 .real("T_max_K", e.T_max_K)
                 .raw("pass", boolean(e.failing == 0));
           }));
  root.raw("lane_groups", array_of_objects(s.lane_groups, 2, [](const auto& g, Object& o) {
             o.text("group", g.group)
                 .text("engine", g.engine)
                 .integer("lanes", g.lanes)
                 .integer("failing", g.failing)
                 .integer("failing_loss", g.failing_loss)
                 .integer("failing_reach", g.failing_reach)
                 .integer("worst_lane", g.worst_lane)
                 .integer("worst_loss_lane", g.worst_loss_lane)
                 .real("worst_margin_dB", g.worst_margin_dB)
                 .real("reach_limit_m", g.reach_limit_m)
                 .real("reach_margin_m", g.reach_margin_m)
                 .real("worst_margin_25C_dB", g.worst_margin_25C_dB)
                 .raw("pass", boolean(g.failing == 0));
           }));
  root.raw("link_engines",
           array_of_objects(link_engine_summaries(s.links), 2, [](const auto& e, Object& o) {
             o.text("engine", e.engine)
                 .integer("channels", e.channels)
                 .integer("failing", e.failing)
                 .text("worst_channel", e.worst)
                 .real("worst_margin_dB", e.worst_margin_dB)
                 .real("worst_laser_T_K", e.worst_laser_T_K)
                 .raw("pass", boolean(e.failing == 0));
           }));
  root.raw("links", array_of_objects(s.links, 2, [](const auto& c, Object& o) {
             std::ostringstream losses;
             Object l(losses, 4);
             for (std::size_t e = 0; e < postproc::link_element_count; ++e)
               l.real(postproc::kLinkElementNames[e], c.budget.loss_dB[e]);
             l.close();
             o.text("name", c.name)
                 .text("link", c.link)
                 .text("engine", c.engine)
                 .real("laser_T_K", c.laser_T_K)
                 .real("modulator_detuning_nm", c.modulator_detuning_m * 1e9)
                 .real("demux_detuning_nm", c.demux_detuning_m * 1e9)
                 .real("source_dBm", c.budget.source_dBm)
                 .raw("loss_dB", losses.str())
                 .real("received_oma_dBm", c.budget.received_oma_dBm)
                 .real("sensitivity_dBm", c.budget.sensitivity_dBm)
                 .real("margin_dB", c.budget.margin_dB)
                 .raw("pass", boolean(c.budget.pass));
           }));
  root.raw("cold_plates", array_of_objects(s.cold_plates, 2, [](const auto& p, Object& o) {
             const auto* c = p.film.channels ? &*p.film.channels : nullptr;
             const double nan = std::nan("");
             o.text("name", p.name)
                 .text("face", kBoundaryFaceNames[static_cast<std::size_t>(p.face)])
                 .text("coolant", p.coolant)
                 .real("inlet_T_K", p.inlet_T_K)
                 .real("outlet_T_K", p.outlet_T_K)
                 .real("delta_T_K", p.delta_T_K)
                 .real("heat_W", p.heat_W)
                 .real("flow_L_per_min", p.flow_L_per_min)
                 .real("h_W_per_m2K", p.film.h_W_per_m2K)
                 .real("reynolds", c ? c->reynolds : nan)
                 .real("nusselt", c ? c->nusselt : nan)
                 .real("energy_mismatch", p.energy_mismatch);
           }));
  static const std::vector<LeakyBlockResult> kNoLeakyBlocks;
  root.raw("leakage", array_of_objects(s.leakage ? s.leakage->blocks : kNoLeakyBlocks, 2,
                                       [](const auto& b, Object& o) {
                                         o.text("block", b.block)
                                             .text("model", b.model)
                                             .text("T_block", b.T_block)
                                             .real("T_K", b.T_K)
                                             .real("T_C", celsius(b.T_K))
                                             .real("dynamic_W", b.dynamic_W)
                                             .real("leakage_W", b.leakage_W)
                                             .real("total_W", b.total_W);
                                       }));
  root.raw("transient", transient_json(s.transient));
  if (s.envelope) {
    std::ostringstream env;
    Object e(env, 2);
    e.raw("points", array_of_objects(s.envelope->points, 4, [](const auto& p, Object& o) {
            o.text("name", p.name).real("T_max_K", p.T_max_K).text("photonics_status", p.status);
          }));
    e.raw("rings", array_of_objects(s.envelope->rings, 4, [](const auto& r, Object& o) {
            o.text("name", r.name)
                .real("shift_min_nm", r.shift_min_m * 1e9)
                .real("shift_max_nm", r.shift_max_m * 1e9)
                .real("span_nm", r.span_m * 1e9)
                .real("range_nm", r.range_m * 1e9)
                .real("heater_needed_W", r.heater_needed_W)
                .real("heater_max_W", r.heater_max_W)
                .text("binding_point", r.binding_point)
                .real("margin_nm", r.margin_m * 1e9)
                .real("margin_mW", r.margin_W * 1e3)
                .raw("covers", boolean(r.covers));
          }));
    e.close();
    root.raw("envelope", env.str());
  } else {
    root.raw("envelope", "null");
  }
  root.close();
  out << "\n";
  return out.str();
}

PendingSummaryJson::PendingSummaryJson(std::string path, const RunSummary& summary)
    : path_(std::move(path)),
      tmp_(path_ + ".tmp-" + std::to_string(static_cast<long long>(::getpid()))) {
  const std::string text = summary_json(summary);
  errno = 0;
  std::ofstream file(tmp_, std::ios::binary | std::ios::trunc);
  if (file) file.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (file) file.close();
  if (!file) {
    // The stream keeps no error code; errno of the failed open/write/close says why (e.g.
    // "No space left on device"), which the user needs more than the file name.
    const int reason = errno;
    std::error_code ignored;
    std::filesystem::remove(tmp_, ignored);
    throw std::runtime_error("summary.json: cannot write '" + tmp_ +
                             "': " + (reason != 0 ? std::strerror(reason) : "unknown I/O error"));
  }
}

PendingSummaryJson::~PendingSummaryJson() {
  if (committed_) return;
  std::error_code ignored;
  std::filesystem::remove(tmp_, ignored);
}

void PendingSummaryJson::commit() {
  std::error_code error;
  std::filesystem::rename(tmp_, path_, error);
  if (error)
    throw std::runtime_error("summary.json: cannot rename '" + tmp_ + "' to '" + path_ +
                             "': " + error.message());
  committed_ = true;
}

void write_summary_json(const std::string& path, const RunSummary& summary) {
  PendingSummaryJson(path, summary).commit();
}

}  // namespace cposim::cases
