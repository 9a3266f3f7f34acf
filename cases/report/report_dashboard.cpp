/// \file
/// The dashboard at the top of report.html (cases/report/report_dashboard.hpp).
#include "cases/report/report_dashboard.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <sstream>

#include "cases/run/verdicts.hpp"
#include "mesh/units.hpp"
#include "postproc/io/xml_text.hpp"

namespace cposim::cases {
namespace {

using mesh::kKelvinAtZeroCelsius;

std::string escape(const std::string& text) { return postproc::xml_escaped(text); }

std::string fixed(double value, int decimals) {
  if (!std::isfinite(value)) return "–";
  return fmt::format("{:.{}f}", value, decimals);
}

/// One figure tile: label, big value with unit, a note under it.
void tile(std::ostringstream& out, const std::string& label, const std::string& value,
          const std::string& unit, const std::string& note, int verdict = -1) {
  out << "<div class=\"tile"
      << (verdict == 1   ? " pass"
          : verdict == 0 ? " fail"
                         : "")
      << "\"><div class=\"label\">" << escape(label) << "</div><div class=\"value\">"
      << escape(value) << "<span class=\"unit\"> " << escape(unit)
      << "</span></div><div class=\"note\">" << escape(note) << "</div></div>\n";
}

void verdict_table(std::ostringstream& out, const Verdicts& verdicts) {
  out << "<table class=\"verdicts\"><thead><tr><th>verdict</th><th>result</th><th>checked</th>"
         "<th>failing</th><th>binding item</th><th>margin</th></tr></thead><tbody>\n";
  for (const auto& c : verdicts.classes) {
    const VerdictItem& b = *c.binding;
    out << "<tr class=\"" << (c.pass() ? "pass" : "fail") << "\"><td>" << escape(c.title)
        << "</td><td>" << (c.pass() ? "pass" : "FAIL") << "</td><td>" << c.checked << "</td><td>"
        << c.failed << "</td><td title=\"" << escape(b.detail) << "\">" << escape(b.name)
        << "<br><small>" << escape(b.detail) << "</small></td><td>"
        << escape(format_margin(b.margin, c.unit)) << "</td></tr>\n";
  }
  if (verdicts.classes.empty())
    out << "<tr><td colspan=\"6\">no design checks (no limits, rings, lasers or lanes)</td></tr>\n";
  out << "</tbody></table>\n";
}

void headline_tiles(std::ostringstream& out, const Headline& h) {
  out << "<div class=\"tiles\">\n";
  tile(out, "package power", fixed(h.package_power_W, 2), "W", "all heat into the package");
  tile(out, "T_max", fixed(h.T_max_K - kKelvinAtZeroCelsius, 2), "°C", "in " + h.hottest_region);
  if (!std::isnan(h.heater_W)) {
    tile(out, "ring heaters, with feedback", fixed(h.heater_W, 4), "W",
         std::isnan(h.heater_open_loop_W)
             ? std::string("without feedback n/a in a transient run")
             : "without feedback " + fixed(h.heater_open_loop_W, 4) + " W");
    tile(out, "worst Δλ", fixed(h.worst_drift_m * 1e9, 4), "nm", h.worst_drift_ring);
  }
  if (!std::isnan(h.laser_junction_K))
    tile(out, "hottest laser junction", fixed(h.laser_junction_K - kKelvinAtZeroCelsius, 2), "°C",
         h.hottest_laser + ", case " + fixed(h.laser_case_K - kKelvinAtZeroCelsius, 2) + " °C");
  if (!std::isnan(h.worst_lane_margin_dB))
    tile(out, "worst lane margin", fixed(h.worst_lane_margin_dB, 2), "dB", h.worst_lane,
         h.worst_lane_margin_dB >= 0.0 ? 1 : 0);
  if (!std::isnan(h.coolant_outlet_K))
    tile(out, "coolant outlet", fixed(h.coolant_outlet_K - kKelvinAtZeroCelsius, 2), "°C",
         h.coolant_outlet_plate);
  out << "</div>\n";
}

}  // namespace

const char* const kDashboardStyle = R"(
#dashboard { display: flex; flex-wrap: wrap; gap: 1em; align-items: flex-start; }
#dashboard .left { flex: 1 1 560px; min-width: 480px; }
#dashboard .right { flex: 0 1 520px; }
#dashboard .right img { max-width: 520px; max-height: 430px; border: 1px solid #ccc; }
.overall { font-size: 1.3em; font-weight: bold; padding: 0.4em 0.8em; border-radius: 4px; }
.overall.pass { background: #bee6be; border: 1px solid #5a5; }
.overall.fail { background: #f0beba; border: 1px solid #c44; }
table.verdicts td small { color: #555; font-weight: normal; }
table.verdicts td:nth-child(5) { text-align: left; }
table.verdicts td:last-child { white-space: nowrap; }
table.verdicts tr.fail td small { font-weight: normal; }
.tiles { display: flex; flex-wrap: wrap; gap: 0.5em; margin-top: 0.6em; }
.tile { border: 1px solid #ccc; border-radius: 4px; padding: 0.3em 0.7em; min-width: 150px; }
.tile.pass { background: #eef8ee; } .tile.fail { background: #fbe3e2; }
.tile .label { font-size: 0.8em; color: #555; }
.tile .value { font-size: 1.4em; font-weight: bold; }
.tile .unit { font-size: 0.6em; font-weight: normal; color: #555; }
.tile .note { font-size: 0.75em; color: #666; }
)";

std::string report_dashboard_html(const RunSummary& s, const std::string& map_html) {
  const Verdicts verdicts = collect_verdicts(s);
  const bool solve_ok = s.outcome() == RunOutcome::ok;
  std::ostringstream out;
  out << "<section id=\"dashboard\">\n<div class=\"left\">\n<div class=\"overall "
      << (verdicts.pass() && solve_ok ? "pass" : "fail") << "\">";
  if (!solve_ok)
    out << "Solve FAILED: " << escape(s.failure_reason());
  else if (verdicts.pass())
    out << "Design PASSES: all " << verdicts.checked() << " checks in " << verdicts.classes.size()
        << " verdict classes";
  else
    out << "Design FAILS: " << verdicts.failures() << " of " << verdicts.checked()
        << " checks (a design verdict; the run itself converged)";
  out << "</div>\n";
  if (!s.solve.linear_fallback.empty())
    out << "<p class=\"note\">Solver: " << escape(s.solve.linear_fallback)
        << " (the field is from amg_cg).</p>\n";
  verdict_table(out, verdicts);
  headline_tiles(out, make_headline(s));
  out << "</div>\n<div class=\"right\">" << map_html << "</div>\n</section>\n";
  return out.str();
}

}  // namespace cposim::cases
