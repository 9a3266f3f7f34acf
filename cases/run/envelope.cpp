/// \file
/// The operating envelope: reading `[[operating_points]]`, solving each point with the
/// photonic coupling (warm-started from the nominal field) and the tables (envelope.hpp).
#include "cases/run/envelope.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <sstream>

#include "cases/read/toml_helpers.hpp"
#include "cases/run/build_problem.hpp"
#include "cases/run/cavity_coupling.hpp"
#include "cases/run/cold_plate_coupling.hpp"
#include "cases/run/iterate_hooks.hpp"
#include "cases/run/lane_evaluation.hpp"
#include "cases/run/lane_group_summaries.hpp"
#include "mesh/units.hpp"
#include "postproc/io/tabulate.hpp"
#include "postproc/io/xml_text.hpp"

namespace cposim::cases {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
using mesh::kKelvinAtZeroCelsius;
double field_max(const std::vector<double>& T) {
  double m = -kInf;
  for (double x : T) m = std::max(m, x);
  return m;
}

/// The photonic, link and lane figures of one solved point.
EnvelopePoint figures(const std::string& name, const PhotonicsReport* photonics,
                      const std::vector<LinkChannelResult>& links,
                      const std::vector<LaneGroupSummary>& lanes, double T_max_K) {
  EnvelopePoint p;
  p.name = name;
  p.T_max_K = T_max_K;
  if (photonics != nullptr) {
    p.status = to_string(photonics->status);
    for (const auto& r : photonics->rings) p.rings.push_back(r.state);
    for (const auto& l : photonics->lasers) {
      p.laser_window_margin_m.push_back(!l.state.lasing ? -kInf
                                        : l.has_window  ? l.window_margin_m
                                                        : kNaN);
      p.laser_T_junction_K.push_back(l.state.T_junction_K);
    }
  }
  for (const auto& c : links) p.link_margin_dB.push_back(c.budget.margin_dB);
  for (const auto& g : lanes) p.lane_group_margin_dB.push_back(g.worst_margin_dB);
  return p;
}

EnvelopePoint solve_point(const CaseSpec& spec, const OperatingPointSpec& op,
                          std::vector<double> T_K, std::optional<solver::LinearSolverKind> linear) {
  CaseSpec p = spec;
  p.operating_points.clear();
  if (op.ambient_T_K)
    for (auto& b : p.boundaries)
      if (b.kind == solver::BoundaryKind::convection) b.T_ambient_K = *op.ambient_T_K;
  if (op.coolant_inlet_T_K) {
    for (auto& c : p.cold_plates) c.inlet_T_K = *op.coolant_inlet_T_K;
    for (auto& c : p.cavities) c.inlet_T_K = *op.coolant_inlet_T_K;
  }
  BuiltProblem built = build_problem(p);
  std::vector<double> region_scale(built.regions.size(), op.power_scale);
  for (std::size_t r = 0; r < built.regions.size(); ++r)
    for (const auto& b : op.block_power_scale)
      if (built.regions[r].kind == RegionInfo::Kind::block && built.regions[r].name == b.block)
        region_scale[r] *= b.scale;
  for (std::size_t c = 0; c < built.cell_power_W.size(); ++c)
    built.cell_power_W[c] *= region_scale[built.region_of_cell[c]];
  solver::SteadyOptions options = built.solver_options;
  if (linear) options.linear.kind = *linear;
  ColdPlateCoupling plates(p, built);
  CavityCoupling cavities(p, built);  // coolant cavities between tiers
  const solver::IterateHook hook = combine_hooks({plates.hook(), cavities.hook()});
  solver::SteadySolver steady(*built.grid, options);
  std::optional<PhotonicsReport> photonics;
  if (p.photonics.empty())
    steady.solve(built.problem(), T_K, hook);
  else
    photonics = run_photonics_coupling(p, built, steady, T_K, {}, hook);
  std::vector<LinkChannelResult> links;
  if (photonics) links = evaluate_links(p.photonics, *photonics);
  const mesh::CellField temperature{built.grid.get(), "temperature_K", T_K};
  const auto lanes = lane_group_summaries(evaluate_lanes(p, temperature), p);
  return figures(op.name, photonics ? &*photonics : nullptr, links, lanes, field_max(T_K));
}

/// Ring i over the points.
EnvelopeRing envelope_ring(const RingResult& ring, std::size_t i,
                           const std::vector<EnvelopePoint>& points) {
  EnvelopeRing e;
  e.name = ring.name;
  e.entry = ring.entry;
  e.heater_max_W = ring.model.heater_max_W;
  e.range_m = ring.model.heater_efficiency_m_per_W * ring.model.heater_max_W;
  e.fsr_m = ring.model.fsr_m;
  e.shift_min_m = kInf;
  e.shift_max_m = -kInf;
  bool all_in_range = true;
  for (const auto& p : points) {
    const postproc::RingState& s = p.rings[i];
    all_in_range = all_in_range && s.in_range;
    e.shift_min_m = std::min(e.shift_min_m, s.shift_m);
    if (s.shift_m > e.shift_max_m) {
      e.shift_max_m = s.shift_m;
      e.heater_needed_W = s.heater_required_W;
      e.binding_point = p.name;
    }
  }
  e.span_m = e.shift_max_m - e.shift_min_m;
  e.margin_m = e.range_m - e.shift_max_m;
  e.margin_W = e.heater_max_W - e.heater_needed_W;
  e.covers = all_in_range && e.margin_m >= 0.0 && (e.fsr_m <= 0.0 || e.span_m < e.fsr_m);
  return e;
}

/// Smallest value of column `k` of `values(point)` over the points (NaN skipped), and the point.
template <class F>
std::pair<double, std::string> worst_over(const std::vector<EnvelopePoint>& points, std::size_t k,
                                          F values) {
  double worst = kNaN;
  std::string at;
  for (const auto& p : points) {
    const double v = values(p)[k];
    if (std::isnan(v)) continue;
    if (at.empty() || v < worst) {
      worst = v;
      at = p.name;
    }
  }
  return {worst, at};
}

std::string fixed(const char* format, double v) {
  if (std::isnan(v)) return "–";
  if (std::isinf(v)) return v > 0 ? "∞" : "−∞";
  return fmt::format(fmt::runtime(format), v);
}

}  // namespace

EnvelopeReport run_operating_points(const CaseSpec& spec, const PhotonicsReport* nominal,
                                    const std::vector<LinkChannelResult>& nominal_links,
                                    const std::vector<LaneGroupSummary>& nominal_lanes,
                                    const std::vector<double>& T_nominal_K,
                                    std::optional<solver::LinearSolverKind> linear) {
  EnvelopeReport out;
  const auto t0 = std::chrono::steady_clock::now();
  out.points.push_back(
      figures("nominal", nominal, nominal_links, nominal_lanes, field_max(T_nominal_K)));
  for (const auto& op : spec.operating_points)
    out.points.push_back(solve_point(spec, op, T_nominal_K, linear));
  out.solve_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (nominal != nullptr) {
    for (std::size_t i = 0; i < nominal->rings.size(); ++i)
      out.rings.push_back(envelope_ring(nominal->rings[i], i, out.points));
    for (const auto& l : nominal->lasers) out.lasers.push_back(l.name);
  }
  for (const auto& c : nominal_links) out.links.push_back(c.name);
  for (const auto& g : nominal_lanes) out.lane_groups.push_back(g.group);
  return out;
}

void add_envelope_results(const EnvelopeReport& e, postproc::ResultsContent& content) {
  if (e.points.size() < 2) return;
  content.tables.push_back(postproc::tabulate("envelope", "points",
                                              {"name", "T_max_K", "photonics_status"}, e.points,
                                              [](const EnvelopePoint& p) {
                                                return std::tuple{p.name, p.T_max_K, p.status};
                                              }));
  constexpr double nm = 1e9;  // m → nm
  content.tables.push_back(postproc::tabulate(
      "envelope", "rings",
      {"name", "shift_min_nm", "shift_max_nm", "span_nm", "range_nm", "fsr_nm", "heater_needed_W",
       "heater_max_W", "binding_point", "margin_nm", "margin_mW", "covers"},
      e.rings, [](const EnvelopeRing& r) {
        return std::tuple{r.name,          r.shift_min_m * nm, r.shift_max_m * nm, r.span_m * nm,
                          r.range_m * nm,  r.fsr_m * nm,       r.heater_needed_W,  r.heater_max_W,
                          r.binding_point, r.margin_m * nm,    r.margin_W * 1e3,   r.covers};
      }));
  // One column per point for the other quantities.
  auto per_point = [&](const char* table, const std::vector<std::string>& rows, auto values,
                       double unit) {
    if (rows.empty()) return;
    postproc::ResultsTable t{"envelope", table, {{"name", rows}}};
    for (const auto& p : e.points) {
      std::vector<double> column;
      for (std::size_t k = 0; k < rows.size(); ++k) column.push_back(values(p)[k] * unit);
      t.columns.push_back({p.name, std::move(column)});
    }
    content.tables.push_back(std::move(t));
  };
  per_point(
      "laser_window_margin_nm", e.lasers,
      [](const EnvelopePoint& p) { return p.laser_window_margin_m; }, 1e9);
  per_point(
      "link_margin_dB", e.links, [](const EnvelopePoint& p) { return p.link_margin_dB; }, 1.0);
  per_point(
      "lane_group_margin_dB", e.lane_groups,
      [](const EnvelopePoint& p) { return p.lane_group_margin_dB; }, 1.0);
}

std::string format_envelope(const EnvelopeReport& e) {
  if (e.points.size() < 2) return "";
  std::ostringstream out;
  std::string line;
  out << "\noperating envelope: " << e.points.size() << " points (" << fixed("{:.2f}", e.solve_s)
      << " s for the extra ones)\npoint                T_max °C  coupling\n";
  for (const auto& p : e.points) {
    line =
        fmt::format("{:<20.20} {:8.2f}  {}\n", p.name, p.T_max_K - kKelvinAtZeroCelsius, p.status);
    out << line;
  }
  // Per bank: the ring with the least tuning margin over the envelope.
  std::map<std::string, const EnvelopeRing*> banks;
  std::vector<std::string> order;
  for (const auto& r : e.rings) {
    auto [it, inserted] = banks.emplace(r.entry, &r);
    if (inserted) order.push_back(r.entry);
    if (r.margin_m < it->second->margin_m || (!r.covers && it->second->covers)) it->second = &r;
  }
  if (!order.empty())
    out << "ring bank         worst ring       span nm  max shift nm  range nm  needs mW  max mW  "
           "margin nm  binding point  covers\n";
  for (const auto& b : order) {
    const EnvelopeRing& r = *banks[b];
    line = fmt::format(
        "{:<17.17} {:<16.16} {:7.3f} {:13.3f} {:9.3f} {:9.3f} {:7.2f} {:10.3f}  {:<13.13}  {}\n", b,
        r.name, r.span_m * 1e9, r.shift_max_m * 1e9, r.range_m * 1e9, r.heater_needed_W * 1e3,
        r.heater_max_W * 1e3, r.margin_m * 1e9, r.binding_point, r.covers ? "yes" : "NO");
    out << line;
  }
  auto worst_table = [&](const char* title, const std::vector<std::string>& rows, auto values,
                         double unit, const char* u) {
    std::size_t worst_row = 0;
    double worst = kInf;
    std::string at;
    for (std::size_t k = 0; k < rows.size(); ++k) {
      const auto [v, p] = worst_over(e.points, k, values);
      if (p.empty()) continue;
      if (at.empty() || v < worst) {
        worst = v;
        at = p;
        worst_row = k;
      }
    }
    if (at.empty()) return;
    out << title << ": worst " << rows[worst_row] << " " << fixed("{:+.3f}", worst * unit) << " "
        << u << " at point '" << at << "'\n";
  };
  worst_table(
      "laser window margin", e.lasers,
      [](const EnvelopePoint& p) { return p.laser_window_margin_m; }, 1e9, "nm");
  worst_table(
      "link margin", e.links, [](const EnvelopePoint& p) { return p.link_margin_dB; }, 1.0, "dB");
  worst_table(
      "lane margin", e.lane_groups, [](const EnvelopePoint& p) { return p.lane_group_margin_dB; },
      1.0, "dB");
  return out.str();
}

std::string envelope_html(const EnvelopeReport& e) {
  if (e.points.size() < 2) return "";
  auto esc = [](const std::string& x) { return postproc::xml_escaped(x); };
  std::ostringstream out;
  out << "<h2>Operating envelope</h2>\n<table><thead><tr><th>point</th><th>T_max °C</th>"
         "<th>coupling</th></tr></thead><tbody>\n";
  for (const auto& p : e.points)
    out << "<tr><td>" << esc(p.name) << "</td><td>"
        << fixed("{:.2f}", p.T_max_K - kKelvinAtZeroCelsius) << "</td><td>" << esc(p.status)
        << "</td></tr>\n";
  out << "</tbody></table>\n<p>Per ring: the red shift the points need against the heater's "
         "range; the binding point needs the most.</p>\n<table><thead><tr><th>ring</th>"
         "<th>span nm</th><th>max shift nm</th><th>range nm</th><th>needs mW</th><th>max mW</th>"
         "<th>margin nm</th><th>binding point</th></tr></thead><tbody>\n";
  for (const auto& r : e.rings)
    out << "<tr class=\"" << (r.covers ? "pass" : "fail") << "\"><td>" << esc(r.name) << "</td><td>"
        << fixed("{:.3f}", r.span_m * 1e9) << "</td><td>" << fixed("{:.3f}", r.shift_max_m * 1e9)
        << "</td><td>" << fixed("{:.3f}", r.range_m * 1e9) << "</td><td>"
        << fixed("{:.2f}", r.heater_needed_W * 1e3) << "</td><td>"
        << fixed("{:.2f}", r.heater_max_W * 1e3) << "</td><td>"
        << fixed("{:+.3f}", r.margin_m * 1e9) << "</td><td>" << esc(r.binding_point)
        << "</td></tr>\n";
  out << "</tbody></table>\n";
  return out.str();
}

}  // namespace cposim::cases
