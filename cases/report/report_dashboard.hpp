#pragma once
/// \file
/// The one-screen dashboard that opens report.html: the overall verdict, pass/fail per
/// verdict class with its binding item and margin (cases/run/verdicts.hpp), the totals a team
/// quotes (package power, heater power with and without feedback, worst Δλ, worst lane margin,
/// coolant outlet, T_max), the solve status and the main temperature map. Tables and solver
/// details follow it in report.html.

#include <string>

#include "cases/run/run_summary.hpp"

namespace cposim::cases {

/// The dashboard as an HTML fragment (a <section id="dashboard">). `map_html` is the main
/// map's already-built <figure> ("" for none). Text is HTML-escaped.
std::string report_dashboard_html(const RunSummary& summary, const std::string& map_html);

/// CSS rules the dashboard needs (added to report.html's style sheet).
extern const char* const kDashboardStyle;

}  // namespace cposim::cases
