/// \file
/// report.html by hand: small table helpers, HTML escaping and base64, nothing external.
#include "cases/report/report_html.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <vector>

#include "cases/report/report_dashboard.hpp"
#include "cposim_version.hpp"
#include "mesh/units.hpp"
#include "postproc/io/xml_text.hpp"

namespace cposim::cases {
namespace {

using mesh::kKelvinAtZeroCelsius;

/// HTML text and attribute values: the same escaping as XML.
std::string escape(const std::string& text) { return postproc::xml_escaped(text); }

/// `value` with fmt `format` ("{:.2f}"); "–" for NaN, "∞"/"−∞" for infinities.
std::string fmt(const char* format, double value) {
  if (std::isnan(value)) return "–";
  if (std::isinf(value)) return value > 0 ? "∞" : "−∞";
  return fmt::format(fmt::runtime(format), value);
}

std::string celsius(double T_K) { return fmt("{:.2f}", T_K - kKelvinAtZeroCelsius); }
std::string mm(double x_m) { return fmt("{:.3f}", x_m * 1e3); }
std::string integer(long long value) { return std::to_string(value); }

/// A table built row by row; the first row is the header. A row may carry a pass/fail class.
class Table {
 public:
  explicit Table(std::initializer_list<const char*> header) {
    html_ << "<table><thead><tr>";
    for (const char* h : header) html_ << "<th>" << h << "</th>";
    html_ << "</tr></thead><tbody>\n";
  }
  /// One row of already-escaped cells; `verdict` 1 = pass (green), 0 = fail (red), −1 = none.
  void row(std::initializer_list<std::string> cells, int verdict = -1) {
    html_ << "<tr"
          << (verdict == 1   ? " class=\"pass\""
              : verdict == 0 ? " class=\"fail\""
                             : "")
          << ">";
    for (const auto& c : cells) html_ << "<td>" << c << "</td>";
    html_ << "</tr>\n";
  }
  std::string str() const { return html_.str() + "</tbody></table>\n"; }

 private:
  std::ostringstream html_;
};

std::string verdict(bool pass) { return pass ? "pass" : "FAIL"; }

/// The limit row of `region`, or null.
const RegionLimit* limit_of(const LimitReport& limits, const std::string& region) {
  for (const auto& l : limits.regions)
    if (l.region == region) return &l;
  return nullptr;
}

constexpr const char* kStyle = R"(
body { font-family: sans-serif; margin: 2em; color: #222; max-width: 1200px; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.2em; border-bottom: 1px solid #bbb; margin-top: 1.6em; }
.meta { color: #555; }
table { border-collapse: collapse; margin: 0.5em 0; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: right; }
th { background: #eee; }
td:first-child, th:first-child { text-align: left; }
tr.pass td { background: #e3f6e3; }
tr.fail td { background: #f9d6d5; font-weight: bold; }
.banner { padding: 0.6em 1em; border-radius: 4px; margin: 1em 0; font-weight: bold; }
.banner.pass { background: #d4efd4; border: 1px solid #5a5; }
.banner.fail { background: #f6cfcd; border: 1px solid #c44; }
figure { display: inline-block; margin: 0.5em; vertical-align: top; }
figure img { max-width: 560px; border: 1px solid #ccc; }
figure.wide img { max-width: 100%; }
figcaption { font-size: 0.85em; color: #555; }
)";

void write_overview(std::ostringstream& out, const RunSummary& s) {
  const bool solve_ok = s.outcome() == RunOutcome::ok;
  const int failures = s.limits.failures();
  out << "<div class=\"banner " << (solve_ok ? "pass" : "fail")
      << "\">Solve: " << (solve_ok ? "converged" : "FAILED: " + escape(s.failure_reason()))
      << "</div>\n";
  if (!s.limits.regions.empty() || !s.limits.banks.empty())
    out << "<div class=\"banner " << (failures == 0 ? "pass" : "fail") << "\">Temperature limits: "
        << (failures == 0
                ? "all pass"
                : std::to_string(failures) + " FAIL (a design verdict; the exit code is unchanged)")
        << "</div>\n";

  out << "<h2>Grid and solver</h2>\n";
  Table t({"quantity", "value"});
  t.row({"grid", integer(static_cast<long long>(s.cells_per_axis[0])) + " × " +
                     integer(static_cast<long long>(s.cells_per_axis[1])) + " × " +
                     integer(static_cast<long long>(s.cells_per_axis[2])) + " = " +
                     integer(static_cast<long long>(s.num_cells)) + " cells"});
  t.row({"linear solver", escape(s.solve.linear_solver)});
  if (!s.solve.linear_fallback.empty())
    t.row({"solver fallback", escape(s.solve.linear_fallback)}, 0);
  t.row({"converged", s.solve.converged ? "yes" : "no"}, s.solve.converged ? 1 : 0);
  t.row({"linear iterations", integer(s.solve.linear_iterations)});
  t.row({"Picard steps", integer(s.solve.picard_iterations)});
  t.row({"relative residual", fmt("{:.3e}", s.solve.relative_residual)});
  if (s.solve.nonlinear_residual > 0.0) {
    // Nonlinear problems only (k(T), leakage, cold plates): coloured like "converged".
    t.row({"nonlinear residual ‖A(T) T − b(T)‖ / ‖b‖", fmt("{:.3e}", s.solve.nonlinear_residual)},
          s.solve.converged ? 1 : 0);
    t.row({"last Picard change K", fmt("{:.3e}", s.solve.last_change_K)},
          s.solve.converged ? 1 : 0);
  }
  if (s.transient && s.transient->report.max_step_picard_iterations > 0)
    t.row({"Picard steps, most in one time step",
           integer(s.transient->report.max_step_picard_iterations)});
  const std::pair<const char*, double> times[] = {{"build", s.times.build_s},
                                                  {"assembly", s.times.assembly_s},
                                                  {"set-up", s.times.setup_s},
                                                  {"solve", s.times.solve_s},
                                                  {"post-process", s.times.postprocess_s}};
  for (const auto& [name, t_s] : times)
    t.row({std::string("time: ") + name + " [s]", fmt("{:.3f}", t_s)});
  out << t.str();

  const auto& e = s.solve.energy;
  out << "<h2>Energy balance</h2>\n";
  if (s.transient)
    out << "<p>At the last time reached: the imbalance is the rate at which the package still "
           "stores heat (the run's energy accounting is under Transient).</p>\n";
  Table b({"power in W", "heat out W", "imbalance W", "relative"});
  b.row({fmt("{:.6g}", e.power_in_W), fmt("{:.6g}", e.heat_out_W), fmt("{:.3e}", e.imbalance_W),
         fmt("{:.2e}", e.relative)});
  out << b.str();
  Table f({"face", "heat out W"});
  for (std::size_t i = 0; i < 6; ++i)
    f.row({solver::kDomainFaceNames[i], fmt("{:.4g}", e.face_heat_out_W[i])});
  out << f.str();
}

void write_thermal(std::ostringstream& out, const RunSummary& s) {
  out << "<h2>Regions and temperature limits</h2>\n"
         "<p>Limits: <code>T_limit_K</code> of the layer or block, or the default of its "
         "<code>role</code> (physics.md §4.4).</p>\n";
  Table t({"region", "power W", "T_max °C", "T_mean °C", "T_min °C", "role", "limit °C", "margin K",
           "verdict"});
  for (const auto& r : s.regions) {
    if (r.num_cells == 0) continue;
    const RegionLimit* l = limit_of(s.limits, r.name);
    t.row({escape(r.name), fmt("{:.3f}", r.power_W), celsius(r.T_max_K), celsius(r.T_mean_K),
           celsius(r.T_min_K), l ? escape(l->role) : "", l ? celsius(l->limit_K) : "",
           l ? fmt("{:.2f}", l->margin_K) : "", l ? verdict(l->pass) : ""},
          l ? (l->pass ? 1 : 0) : -1);
  }
  out << t.str();
  if (!s.limits.banks.empty()) {
    out << "<h3>Ring-bank temperature spread</h3>\n";
    Table b({"bank", "rings", "spread K", "limit K", "margin K", "verdict"});
    for (const auto& g : s.limits.banks)
      b.row({escape(g.bank), integer(g.count), fmt("{:.3f}", g.gradient_K),
             fmt("{:.1f}", g.limit_K), fmt("{:.3f}", g.margin_K), verdict(g.pass)},
            g.pass ? 1 : 0);
    out << b.str();
  }
  if (!s.probes.empty()) {
    out << "<h2>Probes</h2>\n";
    Table p({"probe", "T °C", "x mm", "y mm", "z mm"});
    for (const auto& r : s.probes)
      p.row({escape(r.name), celsius(r.T_K), mm(r.at_m[0]), mm(r.at_m[1]), mm(r.at_m[2])});
    out << p.str();
  }
  out << "<h2>Hot spots</h2>\n";
  Table h({"region", "rank", "T °C", "x mm", "y mm", "z mm"});
  for (const auto& r : s.hot_spots)
    h.row({escape(r.region), integer(r.rank), celsius(r.T_K), mm(r.at_m[0]), mm(r.at_m[1]),
           mm(r.at_m[2])});
  out << h.str();
  if (s.coolant && !s.resistances.empty()) {
    out << "<h2>Thermal resistance to coolant</h2>\n<p>Coolant: face "
        << solver::kDomainFaceNames[static_cast<std::size_t>(s.coolant->face)] << " at "
        << celsius(s.coolant->T_K) << " °C (self + crosstalk values).</p>\n";
    Table r({"source", "power W", "R_max K/W", "R_mean K/W"});
    for (const auto& x : s.resistances)
      r.row({escape(x.region), fmt("{:.3f}", x.power_W), fmt("{:.4g}", x.R_max_K_per_W),
             fmt("{:.4g}", x.R_mean_K_per_W)});
    out << r.str();
  }
}

void write_photonics(std::ostringstream& out, const PhotonicsReport& p) {
  out << "<h2>Photonics</h2>\n<div class=\"banner " << (p.ok() ? "pass" : "fail")
      << "\">Coupling: " << escape(to_string(p.status)) << " after " << p.iterations
      << " thermal solve(s); " << escape(p.message) << "</div>\n";
  Table r({"ring", "T °C", "Δλ nm", "heater mW", "heater max mW", "margin nm", "in range"});
  for (const auto& x : p.rings)
    r.row({escape(x.name), celsius(x.state.T_K), fmt("{:.4f}", x.state.drift_m * 1e9),
           fmt("{:.3f}", x.state.heater_W * 1e3), fmt("{:.3f}", x.model.heater_max_W * 1e3),
           fmt("{:.4f}", x.state.margin_m * 1e9), verdict(x.state.in_range)},
          x.state.in_range ? 1 : 0);
  out << r.str();
  if (p.lasers.empty()) return;
  Table l({"laser", "placement", "case °C", "junction °C", "λ nm", "heat W", "optical mW",
           "window margin nm", "verdict"});
  for (const auto& x : p.lasers) {
    const bool pass = x.state.lasing && (!x.has_window || x.window_margin_m > 0.0);
    l.row({escape(x.name), x.external ? "external" : "on package", celsius(x.state.T_case_K),
           celsius(x.state.T_junction_K), fmt("{:.3f}", x.state.lambda_m * 1e9),
           fmt("{:.4f}", x.state.heat_W), fmt("{:.2f}", x.state.optical_W * 1e3),
           x.has_window ? fmt("{:.4f}", x.window_margin_m * 1e9) : "", verdict(pass)},
          pass ? 1 : 0);
  }
  out << l.str();
}

void write_lanes(std::ostringstream& out, const RunSummary& s) {
  out << "<h2>Electrical lanes</h2>\n";
  Table e({"engine", "lanes", "failing", "failing at 25 °C", "worst lane", "margin dB",
           "margin at 25 °C dB", "T_max °C"});
  for (const auto& x : s.lane_engines)
    e.row({escape(x.engine), integer(x.lanes), integer(x.failing), integer(x.failing_25C),
           escape(x.worst_group) + "." + integer(x.worst_lane), fmt("{:.2f}", x.worst_margin_dB),
           fmt("{:.2f}", x.worst_margin_25C_dB), celsius(x.T_max_K)},
          x.failing == 0 ? 1 : 0);
  out << e.str();
  Table g({"lane group", "engine", "lanes", "failing", "worst lane", "margin dB",
           "margin at 25 °C dB"});
  for (const auto& x : s.lane_groups)
    g.row({escape(x.group), escape(x.engine), integer(x.lanes), integer(x.failing),
           integer(x.worst_lane), fmt("{:.2f}", x.worst_margin_dB),
           fmt("{:.2f}", x.worst_margin_25C_dB)},
          x.failing == 0 ? 1 : 0);
  out << g.str();
}

/// `path` as an embedded <figure> (`wide`: up to the page width, for plots with small text), or
/// a note naming it if it cannot be read.
void embed_png(std::ostringstream& out, const std::string& path, bool wide = false) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  if (in) bytes << in.rdbuf();
  const std::string name = std::filesystem::path(path).filename().string();
  if (!in || bytes.str().empty()) {
    out << "<p>(map " << escape(name) << " could not be read)</p>\n";
    return;
  }
  out << (wide ? "<figure class=\"wide\">" : "<figure>") << "<img alt=\"" << escape(name)
      << "\" src=\"data:image/png;base64," << base64(bytes.str()) << "\"><figcaption>"
      << escape(name) << "</figcaption></figure>\n";
}

/// The coolant map of `plate` among the run's maps, or null.
const std::string* coolant_map_of(const RunSummary& s, const std::string& plate) {
  for (const auto& path : s.map_png_paths)
    if (std::filesystem::path(path).filename().string() == "coolant_" + plate + ".png")
      return &path;
  return nullptr;
}

void write_cold_plates(std::ostringstream& out, const RunSummary& s) {
  out << "<h2>Cold plates</h2>\n<p>Verdict: the coolant's energy closure |ṁ c<sub>p</sub> ΔT − Q| "
         "/ Q against <code>[solver] max_energy_imbalance</code> = "
      << fmt("{:.1e}", s.max_energy_imbalance) << ".</p>\n";
  Table t({"plate", "face", "coolant", "inlet °C", "flow L/min", "h W/(m² K)", "Re", "Pr", "Nu",
           "heat into coolant W", "outlet °C", "ΔT K", "energy mismatch", "verdict"});
  for (const auto& p : s.cold_plates) {
    const auto& c = p.film.channels;
    const bool pass = p.energy_mismatch <= s.max_energy_imbalance;
    t.row({escape(p.name), kBoundaryFaceNames[static_cast<std::size_t>(p.face)], escape(p.coolant),
           celsius(p.inlet_T_K), fmt("{:.3g}", p.flow_L_per_min), fmt("{:.4g}", p.film.h_W_per_m2K),
           c ? fmt("{:.4g}", c->reynolds) : "", c ? fmt("{:.3g}", c->prandtl) : "",
           c ? fmt("{:.4g}", c->nusselt) : "", fmt("{:.4g}", p.heat_W), celsius(p.outlet_T_K),
           fmt("{:.3f}", p.delta_T_K), fmt("{:.2e}", p.energy_mismatch), verdict(pass)},
          pass ? 1 : 0);
  }
  out << t.str();
  for (const auto& p : s.cold_plates)
    if (const std::string* path = coolant_map_of(s, p.name)) embed_png(out, *path);
}

/// `text` without a leading `prefix` (if it has one).
std::string without_prefix(const std::string& text, const std::string& prefix) {
  return text.rfind(prefix, 0) == 0 ? text.substr(prefix.size()) : text;
}

void write_leakage(std::ostringstream& out, const LeakageReport& l) {
  out << "<h2>Temperature-dependent block power</h2>\n<div class=\"banner "
      << (l.runaway ? "fail" : "pass") << "\">"
      << (l.runaway ? "THERMAL RUNAWAY: " + escape(without_prefix(l.message, "thermal runaway: "))
                    : "Leakage settled: " + integer(l.updates) +
                          " power update(s), runaway limit " + celsius(l.runaway_T_K) + " °C")
      << "</div>\n";
  Table t({"block", "model", "T_block", "T °C", "dynamic W", "leakage W", "total W", "P(T) W"});
  for (const auto& b : l.blocks)
    t.row({escape(b.block), escape(b.model), escape(b.T_block), celsius(b.T_K),
           fmt("{:.4g}", b.dynamic_W), fmt("{:.4g}", b.leakage_W), fmt("{:.4g}", b.total_W),
           fmt("{:.4g}", b.P_at_T_W)},
          l.runaway ? 0 : 1);
  out << t.str();
}

void write_transient(std::ostringstream& out, const RunSummary& s) {
  const TransientSummary& x = *s.transient;
  const auto& r = x.report;
  out << "<h2>Transient</h2>\n<div class=\"banner " << (r.completed ? "pass" : "fail")
      << "\">Time integration: "
      << (r.completed ? std::string("completed") : "STOPPED: " + escape(r.failure))
      << " at t = " << fmt("{:.6g}", r.t_reached_s) << " s of " << fmt("{:.6g}", x.end_time_s)
      << " s</div>\n";
  Table t({"quantity", "value"});
  t.row({"scheme", escape(r.scheme) + (x.adaptive ? ", adaptive" : ", fixed step")});
  t.row({"initial state", escape(x.initial)});
  t.row({"steps", integer(r.steps)});
  t.row({"rejected steps", integer(r.rejected_steps)});
  t.row({"Δt range s", fmt("{:.3g}", r.dt_smallest_s) + " … " + fmt("{:.3g}", r.dt_largest_s)});
  t.row({"set-ups", integer(r.setups)});
  if (x.adaptive)
    t.row({"max error estimate K (tolerance)",
           fmt("{:.3g}", r.max_error_estimate_K) + " (" + fmt("{:.3g}", x.tolerance_K) + ")"},
          r.max_error_estimate_K <= x.tolerance_K ? 1 : 0);
  t.row({"outputs", integer(static_cast<long long>(x.times_s.size()))});
  out << t.str();
  const bool energy_ok = r.energy_relative <= s.max_energy_imbalance;
  Table e({"energy in J", "heat out J", "stored J", "imbalance J", "relative", "limit", "verdict"});
  e.row(
      {fmt("{:.6g}", r.energy_in_J), fmt("{:.6g}", r.heat_out_J), fmt("{:.6g}", r.stored_change_J),
       fmt("{:.3e}", r.energy_imbalance_J), fmt("{:.2e}", r.energy_relative),
       fmt("{:.1e}", s.max_energy_imbalance), verdict(energy_ok)},
      energy_ok ? 1 : 0);
  out << e.str();
  if (!x.probe_names.empty() && !x.times_s.empty()) {
    Table p({"probe", "T start °C", "T end °C", "T peak °C", "t peak s"});
    for (std::size_t i = 0; i < x.probe_names.size() && i < x.probe_T_K.size(); ++i) {
      const auto& T = x.probe_T_K[i];
      if (T.empty()) continue;
      const auto peak = static_cast<std::size_t>(std::max_element(T.begin(), T.end()) - T.begin());
      p.row({escape(x.probe_names[i]), celsius(T.front()), celsius(T.back()), celsius(T[peak]),
             fmt("{:.4g}", x.times_s[peak])});
    }
    out << p.str();
  }
  if (!s.history_png_path.empty()) embed_png(out, s.history_png_path, true);
  if (!s.photonics_history_png_path.empty()) embed_png(out, s.photonics_history_png_path, true);
}

/// The temperature maps (coolant maps are in the cold-plate section); the first of them is
/// the dashboard's main map.
std::vector<const std::string*> temperature_maps(const RunSummary& s) {
  std::vector<const std::string*> maps;
  for (const auto& path : s.map_png_paths) {
    bool coolant = false;
    for (const auto& p : s.cold_plates) coolant = coolant || coolant_map_of(s, p.name) == &path;
    if (!coolant) maps.push_back(&path);
  }
  return maps;
}

/// The maps after the dashboard's main map.
void write_maps(std::ostringstream& out, const RunSummary& s) {
  const auto maps = temperature_maps(s);
  if (maps.size() < 2) return;
  out << "<h2>Further temperature maps</h2>\n";
  for (std::size_t i = 1; i < maps.size(); ++i) embed_png(out, *maps[i]);
}

}  // namespace

std::string base64(const std::string& bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const auto a = static_cast<unsigned char>(bytes[i]),
               b = static_cast<unsigned char>(bytes[i + 1]),
               c = static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[a >> 2];
    out += kAlphabet[((a & 3) << 4) | (b >> 4)];
    out += kAlphabet[((b & 15) << 2) | (c >> 6)];
    out += kAlphabet[c & 63];
  }
  if (i < bytes.size()) {
    const auto a = static_cast<unsigned char>(bytes[i]);
    const bool two = i + 1 < bytes.size();
    const auto b = two ? static_cast<unsigned char>(bytes[i + 1]) : 0u;
    out += kAlphabet[a >> 2];
    out += kAlphabet[((a & 3) << 4) | (b >> 4)];
    out += two ? kAlphabet[(b & 15) << 2] : '=';
    out += '=';
  }
  return out;
}

std::string report_html(const RunSummary& s, const std::string& generated) {
  std::ostringstream out;
  const std::string title = s.title.empty() ? "(untitled case)" : s.title;
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>"
      << escape(title) << " – cposim report</title>\n<style>" << kStyle << kDashboardStyle
      << "</style>\n</head>\n"
      << "<body>\n<h1>" << escape(title) << "</h1>\n<p class=\"meta\">" << escape(generated)
      << " · cposim " << CPOSIM_VERSION << " (git " << CPOSIM_GIT_HASH << ")";
  if (!s.results_path.empty())
    out << " · results: " << escape(std::filesystem::path(s.results_path).filename().string());
  out << "</p>\n";
  std::ostringstream main_map;
  if (const auto maps = temperature_maps(s); !maps.empty()) embed_png(main_map, *maps.front());
  out << report_dashboard_html(s, main_map.str());
  write_overview(out, s);
  if (s.transient) write_transient(out, s);  // before the final-state tables it explains
  write_thermal(out, s);
  if (s.photonics) write_photonics(out, *s.photonics);
  if (!s.lane_engines.empty() || !s.lane_groups.empty()) write_lanes(out, s);
  out << links_html(s.links);
  if (s.envelope) out << envelope_html(*s.envelope);
  if (s.leakage && (!s.leakage->blocks.empty() || s.leakage->runaway))
    write_leakage(out, *s.leakage);
  if (!s.cold_plates.empty()) write_cold_plates(out, s);
  write_maps(out, s);
  out << "</body>\n</html>\n";
  return out.str();
}

void write_report_html(const std::string& path, const RunSummary& summary) {
  char generated[64];
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  std::strftime(generated, sizeof generated, "%Y-%m-%d %H:%M:%S UTC", &utc);
  const std::string text = report_html(summary, generated);

  const std::string tmp = path + ".tmp-" + std::to_string(static_cast<long long>(::getpid()));
  errno = 0;
  std::ofstream file(tmp, std::ios::binary | std::ios::trunc);
  if (file) file.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (file) file.close();
  std::error_code error;
  if (!file) {
    const int reason = errno;
    std::filesystem::remove(tmp, error);
    throw std::runtime_error("report.html: cannot write '" + tmp +
                             "': " + (reason != 0 ? std::strerror(reason) : "unknown I/O error"));
  }
  std::filesystem::rename(tmp, path, error);
  if (error) {
    std::error_code ignored;
    std::filesystem::remove(tmp, ignored);
    throw std::runtime_error("report.html: cannot rename '" + tmp + "' to '" + path +
                             "': " + error.message());
  }
}

}  // namespace cposim::cases
