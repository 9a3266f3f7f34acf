/// \file
/// summary.json through nlohmann::ordered_json: one function per section, members in the
/// documented order.
#include "cases/report/summary_json.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <system_error>
#include <utility>

#include "cases/run/verdicts.hpp"
#include "cposim_version.hpp"
#include "mesh/units.hpp"

namespace cposim::cases {
namespace {

using Json = nlohmann::ordered_json;  // members stay in the order they are written
using mesh::kKelvinAtZeroCelsius;

const double kNaN = std::nan("");  // written as null

double celsius(double T_K) { return T_K - kKelvinAtZeroCelsius; }

/// A JSON array with `row(item)` for each element of `items`.
template <class Items, class Row>
Json rows(const Items& items, Row row) {
  Json out = Json::array();
  for (const auto& item : items) out.push_back(row(item));
  return out;
}

/// A string, or null when empty (the headline's names of things a run may not have).
Json name_or_null(const std::string& name) { return name.empty() ? Json() : Json(name); }

/// One row per history: name, <what>_start<unit>, <what>_end<unit>, <what>_peak<unit> and
/// t_peak_s (all null for an empty history).
Json history_peaks(const std::vector<std::string>& names,
                   const std::vector<std::vector<double>>& values,
                   const std::vector<double>& times_s, const std::string& what,
                   const std::string& unit) {
  Json out = Json::array();
  for (std::size_t i = 0; i < names.size(); ++i) {
    const auto& v = values[i];
    const auto peak = std::max_element(v.begin(), v.end());
    const bool none = v.empty();
    out.push_back(
        Json{{"name", names[i]},
             {what + "_start" + unit, none ? kNaN : v.front()},
             {what + "_end" + unit, none ? kNaN : v.back()},
             {what + "_peak" + unit, none ? kNaN : *peak},
             {"t_peak_s", none ? kNaN : times_s[static_cast<std::size_t>(peak - v.begin())]}});
  }
  return out;
}

/// "verdict": pass/fail per verdict class with its binding item (cases/run/verdicts.hpp).
Json verdict_section(const Verdicts& v) {
  return Json{{"pass", v.pass()},
              {"checks", v.checked()},
              {"failures", v.failures()},
              {"classes", rows(v.classes, [](const VerdictClass& c) {
                 return Json{{"key", c.key},
                             {"title", c.title},
                             {"pass", c.pass()},
                             {"checked", c.checked},
                             {"failed", c.failed},
                             {"margin_unit", c.unit},
                             {"binding", Json{{"name", c.binding->name},
                                              {"margin", c.binding->margin},
                                              {"pass", c.binding->pass},
                                              {"detail", c.binding->detail}}}};
               })}};
}

/// "headline": the totals a team quotes (cases/run/verdicts.hpp); null where the run has none.
Json headline_section(const Headline& h) {
  return Json{{"package_power_W", h.package_power_W},
              {"T_max_K", h.T_max_K},
              {"T_max_C", celsius(h.T_max_K)},
              {"hottest_region", name_or_null(h.hottest_region)},
              {"heater_W", h.heater_W},
              {"heater_open_loop_W", h.heater_open_loop_W},
              {"worst_delta_lambda_nm", h.worst_drift_m * 1e9},
              {"worst_delta_lambda_ring", name_or_null(h.worst_drift_ring)},
              {"worst_lane_margin_dB", h.worst_lane_margin_dB},
              {"worst_lane", name_or_null(h.worst_lane)},
              {"coolant_outlet_K", h.coolant_outlet_K},
              {"coolant_outlet_C", celsius(h.coolant_outlet_K)},
              {"coolant_outlet_plate", name_or_null(h.coolant_outlet_plate)},
              {"laser_T_junction_K", h.laser_junction_K},
              {"laser_T_junction_C", celsius(h.laser_junction_K)},
              {"laser_T_case_K", h.laser_case_K},
              {"laser_T_case_C", celsius(h.laser_case_K)},
              {"hottest_laser", name_or_null(h.hottest_laser)}};
}

/// "grid": cells per axis and in all.
Json grid_section(const RunSummary& s) {
  return Json{{"cells_per_axis", s.cells_per_axis},
              {"num_cells", static_cast<long long>(s.num_cells)}};
}

/// "solver": the linear and nonlinear solve, and the wall time of each phase.
Json solver_section(const RunSummary& s) {
  const bool converged = s.solve.converged && s.solve.all_finite && s.thermal_failure.empty();
  return Json{{"linear_solver", s.solve.linear_solver},
              {"converged", converged},
              {"linear_iterations", s.solve.linear_iterations},
              {"picard_iterations", s.solve.picard_iterations},
              {"relative_residual", s.solve.relative_residual},
              {"nonlinear_residual", s.solve.nonlinear_residual},
              {"fallback", s.solve.linear_fallback},
              {"settled", s.solve.linear_settled},
              {"runaway", s.runaway()},
              {"failure_reason", s.failure_reason()},
              {"times_s", Json{{"build", s.times.build_s},
                               {"assembly", s.times.assembly_s},
                               {"setup", s.times.setup_s},
                               {"solve", s.times.solve_s},
                               {"postprocess", s.times.postprocess_s}}}};
}

/// "energy_balance": the run's figure (a transient run's cumulative accounting, a steady run's
/// balance) and the steady balance per domain face.
Json energy_balance_section(const RunSummary& s) {
  const auto& e = s.solve.energy;
  Json faces = Json::object();
  for (std::size_t i = 0; i < 6; ++i) faces[solver::kDomainFaceNames[i]] = e.face_heat_out_W[i];
  return Json{{"basis", s.transient ? "transient_cumulative" : "steady"},
              {"relative", s.energy_relative()},
              {"power_in_W", e.power_in_W},
              {"heat_out_W", e.heat_out_W},
              {"imbalance_W", e.imbalance_W},
              {"instantaneous_relative", e.relative},
              {"face_heat_out_W", faces}};
}

/// "regions", "face_stats", "hot_spots", "thermal_resistance" and "probes": the temperature
/// field in brief, added to `root` in this order.
void add_temperature_sections(Json& root, const RunSummary& s) {
  root["regions"] = rows(s.regions, [](const auto& r) {
    return Json{{"name", r.name},
                {"num_cells", static_cast<long long>(r.num_cells)},
                {"power_W", r.power_W},
                {"T_max_K", r.T_max_K},
                {"T_max_C", celsius(r.T_max_K)},
                {"T_mean_K", r.T_mean_K},
                {"T_mean_C", celsius(r.T_mean_K)},
                {"T_min_K", r.T_min_K},
                {"T_min_C", celsius(r.T_min_K)},
                {"T_max_at_m", r.T_max_at_m}};
  });
  root["face_stats"] = rows(s.face_stats, [](const auto& f) {
    return Json{{"name", f.name},         {"where", f.where},     {"T_max_K", f.T_max_K},
                {"T_mean_K", f.T_mean_K}, {"T_min_K", f.T_min_K}, {"T_max_at_m", f.T_max_at_m},
                {"heat_W", f.heat_W},     {"area_m2", f.area_m2}};
  });
  root["hot_spots"] = rows(s.hot_spots, [](const auto& h) {
    return Json{{"region", h.region}, {"rank", h.rank}, {"x_m", h.at_m[0]},     {"y_m", h.at_m[1]},
                {"z_m", h.at_m[2]},   {"T_K", h.T_K},   {"T_C", celsius(h.T_K)}};
  });
  root["coolant"] =
      s.coolant
          ? Json{{"face", solver::kDomainFaceNames[static_cast<std::size_t>(s.coolant->face)]},
                 {"T_K", s.coolant->T_K},
                 {"T_C", celsius(s.coolant->T_K)},
                 {"heat_out_W", s.coolant->heat_out_W}}
          : Json();
  root["thermal_resistance"] = rows(s.resistances, [](const auto& r) {
    return Json{{"region", r.region},
                {"power_W", r.power_W},
                {"T_max_K", r.T_max_K},
                {"T_mean_K", r.T_mean_K},
                {"R_max_K_per_W", r.R_max_K_per_W},
                {"R_mean_K_per_W", r.R_mean_K_per_W}};
  });
  root["probes"] = rows(s.probes, [](const auto& p) {
    return Json{{"name", p.name}, {"at_m", p.at_m}, {"T_K", p.T_K}, {"T_C", celsius(p.T_K)}};
  });
}

/// "limits": the pass/fail table of temperature limits (cases/run/temperature_limits.hpp).
Json limits_section(const LimitReport& limits) {
  return Json{{"failures", limits.failures()},
              {"regions", rows(limits.regions,
                               [](const auto& r) {
                                 return Json{{"region", r.region},   {"role", r.role},
                                             {"basis", r.basis},     {"limit_K", r.limit_K},
                                             {"T_max_K", r.T_max_K}, {"margin_K", r.margin_K},
                                             {"pass", r.pass}};
                               })},
              {"ring_banks", rows(limits.banks, [](const auto& b) {
                 return Json{
                     {"bank", b.bank},       {"count", b.count},       {"gradient_K", b.gradient_K},
                     {"limit_K", b.limit_K}, {"margin_K", b.margin_K}, {"pass", b.pass}};
               })}};
}

/// "photonics": the coupling outcome, or null without devices.
Json photonics_section(const std::optional<PhotonicsReport>& p) {
  if (!p) return Json();
  return Json{{"status", to_string(p->status)},
              {"ok", p->ok()},
              {"message", p->message},
              {"iterations", p->iterations},
              {"total_heater_W", p->total_heater_W},
              {"open_loop_heater_W", p->open_loop_heater_W},
              {"laser_heat_W", p->laser_heat_W}};
}

/// A laser passes when it lases and, with a channel window, sits inside it.
bool laser_pass(const LaserResult& l) {
  return l.state.lasing && (!l.has_window || l.window_margin_m > 0.0);
}

/// "rings": each ring's temperature, drift and heater ([] without photonics).
Json rings_section(const std::optional<PhotonicsReport>& p) {
  return rows(p ? p->rings : std::vector<RingResult>{}, [](const RingResult& r) {
    return Json{{"name", r.name},
                {"entry", r.entry},
                {"T_K", r.state.T_K},
                {"T_C", celsius(r.state.T_K)},
                {"delta_lambda_nm", r.state.drift_m * 1e9},
                {"heater_W", r.state.heater_W},
                {"heater_required_W", r.state.heater_required_W},
                {"heater_max_W", r.model.heater_max_W},
                {"margin_nm", r.state.margin_m * 1e9},
                {"in_range", r.state.in_range}};
  });
}

/// "lasers": each laser's case and junction temperature, wavelength and power ([] without).
Json lasers_section(const std::optional<PhotonicsReport>& p) {
  return rows(p ? p->lasers : std::vector<LaserResult>{}, [](const LaserResult& l) {
    return Json{{"name", l.name},
                {"placement", l.external ? "external" : "package"},
                {"T_case_K", l.state.T_case_K},
                {"T_case_C", celsius(l.state.T_case_K)},
                {"T_junction_K", l.state.T_junction_K},
                {"T_junction_C", celsius(l.state.T_junction_K)},
                {"lambda_nm", l.state.lambda_m * 1e9},
                {"delta_lambda_nm", (l.state.lambda_m - l.model.lambda0_m) * 1e9},
                {"heat_W", l.state.heat_W},
                {"optical_W", l.state.optical_W},
                {"lasing", l.state.lasing},
                {"window_margin_nm", l.has_window ? l.window_margin_m * 1e9 : kNaN},
                {"pass", laser_pass(l)}};
  });
}

/// "lane_engines" and "lane_groups": the lane margins per engine and per group.
void add_lane_sections(Json& root, const RunSummary& s) {
  root["lane_engines"] = rows(s.lane_engines, [](const auto& e) {
    return Json{{"engine", e.engine},
                {"lanes", e.lanes},
                {"failing", e.failing},
                {"failing_25C", e.failing_25C},
                {"failing_reach", e.failing_reach},
                {"worst_group", e.worst_group},
                {"worst_lane", e.worst_lane},
                {"worst_margin_dB", e.worst_margin_dB},
                {"worst_margin_25C_dB", e.worst_margin_25C_dB},
                {"T_max_K", e.T_max_K},
                {"pass", e.failing == 0}};
  });
  root["lane_groups"] = rows(s.lane_groups, [](const auto& g) {
    return Json{{"group", g.group},
                {"engine", g.engine},
                {"lanes", g.lanes},
                {"failing", g.failing},
                {"failing_loss", g.failing_loss},
                {"failing_reach", g.failing_reach},
                {"worst_lane", g.worst_lane},
                {"worst_loss_lane", g.worst_loss_lane},
                {"worst_margin_dB", g.worst_margin_dB},
                {"reach_limit_m", g.reach_limit_m},
                {"reach_margin_m", g.reach_margin_m},
                {"worst_margin_25C_dB", g.worst_margin_25C_dB},
                {"pass", g.failing == 0}};
  });
}

/// "link_engines" and "links": the optical link budgets per engine and per channel.
void add_link_sections(Json& root, const RunSummary& s) {
  root["link_engines"] = rows(link_engine_summaries(s.links), [](const auto& e) {
    return Json{{"engine", e.engine},
                {"channels", e.channels},
                {"failing", e.failing},
                {"worst_channel", e.worst},
                {"worst_margin_dB", e.worst_margin_dB},
                {"worst_laser_T_K", e.worst_laser_T_K},
                {"pass", e.failing == 0}};
  });
  root["links"] = rows(s.links, [](const auto& c) {
    Json losses = Json::object();
    for (std::size_t e = 0; e < postproc::link_element_count; ++e)
      losses[postproc::kLinkElementNames[e]] = c.budget.loss_dB[e];
    return Json{{"name", c.name},
                {"link", c.link},
                {"engine", c.engine},
                {"laser_T_K", c.laser_T_K},
                {"modulator_detuning_nm", c.modulator_detuning_m * 1e9},
                {"demux_detuning_nm", c.demux_detuning_m * 1e9},
                {"source_dBm", c.budget.source_dBm},
                {"loss_dB", losses},
                {"received_oma_dBm", c.budget.received_oma_dBm},
                {"sensitivity_dBm", c.budget.sensitivity_dBm},
                {"margin_dB", c.budget.margin_dB},
                {"pass", c.budget.pass}};
  });
}

/// "cold_plates": each plate's inlet, outlet, heat and film coefficient.
Json cold_plates_section(const RunSummary& s) {
  return rows(s.cold_plates, [](const auto& p) {
    const auto* c = p.film.channels ? &*p.film.channels : nullptr;
    return Json{{"name", p.name},
                {"face", kBoundaryFaceNames[static_cast<std::size_t>(p.face)]},
                {"coolant", p.coolant},
                {"inlet_T_K", p.inlet_T_K},
                {"outlet_T_K", p.outlet_T_K},
                {"delta_T_K", p.delta_T_K},
                {"heat_W", p.heat_W},
                {"flow_L_per_min", p.flow_L_per_min},
                {"h_W_per_m2K", p.film.h_W_per_m2K},
                {"reynolds", c ? c->reynolds : kNaN},
                {"nusselt", c ? c->nusselt : kNaN},
                {"energy_mismatch", p.energy_mismatch}};
  });
}

/// "cavities": each [[cavities]] entry's coolant: inlet, mixed outlet, heat into the coolant,
/// flow (ṁ cp) and film coefficients (cases/run/cavity_coupling.hpp).
Json cavities_section(const RunSummary& s) {
  return rows(s.cavities, [](const CavityResult& c) {
    return Json{{"layer", c.layer},
                {"model", c.model},
                {"coolant", c.coolant},
                {"inlet_T_K", c.inlet_T_K},
                {"outlet_T_K", c.outlet_T_K},
                {"delta_T_K", c.delta_T_K},
                {"heat_W", c.heat_W},
                {"capacity_W_per_K", c.film.capacity_W_per_K},
                {"velocity_m_per_s", c.film.velocity_m_per_s},
                {"porosity", c.film.porosity},
                {"h_top_W_per_m2K", c.film.h_top_W_per_m2K},
                {"h_bottom_W_per_m2K", c.film.h_bottom_W_per_m2K},
                {"h_side_W_per_m2K", c.film.h_side_W_per_m2K},
                {"lanes", c.lanes},
                {"steps", c.steps},
                {"energy_mismatch", c.energy_mismatch}};
  });
}

/// "leakage": the blocks with a power P(T) ([] without).
Json leakage_section(const RunSummary& s) {
  return rows(s.leakage ? s.leakage->blocks : std::vector<LeakyBlockResult>{},
              [](const LeakyBlockResult& b) {
                return Json{{"block", b.block},         {"model", b.model},
                            {"T_block", b.T_block},     {"T_K", b.T_K},
                            {"T_C", celsius(b.T_K)},    {"dynamic_W", b.dynamic_W},
                            {"leakage_W", b.leakage_W}, {"total_W", b.total_W}};
              });
}

/// "transient": the time integration and each history in brief, or null (steady).
Json transient_section(const std::optional<TransientSummary>& t) {
  if (!t) return Json();
  const auto& r = t->report;
  return Json{
      {"scheme", r.scheme},
      {"initial", t->initial},
      {"adaptive", t->adaptive},
      {"completed", r.completed},
      {"failure", r.failure},
      {"end_time_s", t->end_time_s},
      {"t_reached_s", r.t_reached_s},
      {"outputs", static_cast<long long>(t->times_s.size())},
      {"steps", r.steps},
      {"rejected_steps", r.rejected_steps},
      {"setups", r.setups},
      {"picard_iterations", r.picard_iterations},
      {"dt_min_s", r.dt_smallest_s},
      {"dt_max_s", r.dt_largest_s},
      {"tolerance_K", t->tolerance_K},
      {"max_error_estimate_K", r.max_error_estimate_K},
      {"energy_in_J", r.energy_in_J},
      {"heat_out_J", r.heat_out_J},
      {"stored_change_J", r.stored_change_J},
      {"energy_imbalance_J", r.energy_imbalance_J},
      {"energy_relative", r.energy_relative},
      {"plates", history_peaks(t->plate_names, t->plate_outlet_T_K, t->times_s, "outlet", "_K")},
      {"leaky_blocks",
       history_peaks(t->leaky_block_names, t->leaky_block_W, t->times_s, "power", "_W")},
      {"probes", history_peaks(t->probe_names, t->probe_T_K, t->times_s, "T", "_K")}};
}

/// "envelope": the operating points and each ring's tuning range over them, or null.
Json envelope_section(const RunSummary& s) {
  if (!s.envelope) return Json();
  return Json{
      {"points",
       rows(s.envelope->points,
            [](const auto& p) {
              return Json{{"name", p.name}, {"T_max_K", p.T_max_K}, {"photonics_status", p.status}};
            })},
      {"rings", rows(s.envelope->rings, [](const auto& r) {
         return Json{{"name", r.name},
                     {"shift_min_nm", r.shift_min_m * 1e9},
                     {"shift_max_nm", r.shift_max_m * 1e9},
                     {"span_nm", r.span_m * 1e9},
                     {"range_nm", r.range_m * 1e9},
                     {"heater_needed_W", r.heater_needed_W},
                     {"heater_max_W", r.heater_max_W},
                     {"binding_point", r.binding_point},
                     {"margin_nm", r.margin_m * 1e9},
                     {"margin_mW", r.margin_W * 1e3},
                     {"covers", r.covers}};
       })}};
}

}  // namespace

std::string summary_json(const RunSummary& s) {
  Json root = Json::object();
  root["summary_version"] = summary_json_version;
  root["program_version"] = CPOSIM_VERSION;
  root["title"] = s.title;
  root["verdict"] = verdict_section(collect_verdicts(s));
  root["headline"] = headline_section(make_headline(s));
  root["grid"] = grid_section(s);
  root["solver"] = solver_section(s);
  root["energy_balance"] = energy_balance_section(s);
  add_temperature_sections(root, s);
  root["limits"] = limits_section(s.limits);
  root["photonics"] = photonics_section(s.photonics);
  root["rings"] = rings_section(s.photonics);
  root["lasers"] = lasers_section(s.photonics);
  add_lane_sections(root, s);
  add_link_sections(root, s);
  root["cold_plates"] = cold_plates_section(s);
  root["cavities"] = cavities_section(s);
  root["leakage"] = leakage_section(s);
  root["transient"] = transient_section(s.transient);
  root["envelope"] = envelope_section(s);
  // Invalid UTF-8 in a name is replaced (U+FFFD) rather than failing the whole run.
  return root.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
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
