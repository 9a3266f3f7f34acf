/// \file
/// The optical links at the solved temperatures (link_evaluation.hpp; PHYSICS-SUPPLEMENT.md §L).
#include "cases/run/link_evaluation.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <map>
#include <sstream>

#include "cases/read/link_reader.hpp"
#include "mesh/units.hpp"
#include "postproc/io/tabulate.hpp"
#include "postproc/io/xml_text.hpp"

namespace cposim::cases {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
using mesh::kKelvinAtZeroCelsius;

/// The ring elements of entry `entry`, by index.
std::vector<const RingResult*> ring_elements(const PhotonicsReport& report,
                                             const std::string& entry) {
  std::vector<const RingResult*> out;
  for (const auto& r : report.rings)
    if (r.entry == entry) {
      if (out.size() <= static_cast<std::size_t>(r.index)) out.resize(r.index + 1, nullptr);
      out[r.index] = &r;
    }
  return out;
}

/// The tuned resonance of a ring: target − residual (the heater pulls it to the target, less
/// what it cannot reach).
double tuned_resonance_m(const RingResult& r) { return r.state.target_m - r.state.residual_m; }

/// The carrier of channel k: its laser line, else the modulator's or the demux's target.
double signal_m(const LaserResult* laser, const RingResult* modulator, const RingResult* demux) {
  if (laser != nullptr) return laser->state.lambda_m;
  if (modulator != nullptr) return modulator->state.target_m;
  if (demux != nullptr) return demux->state.target_m;
  return kNaN;
}

std::string engine_of(const LinkSpec& l, const PhotonicsSpec& p) {
  if (!l.engine.empty()) return l.engine;
  for (const auto& r : p.rings)
    if (r.name == l.modulator.name && r.block) return r.block->name;
  return l.name;
}

void evaluate_link_entry(const LinkSpec& l, const PhotonicsSpec& p, const PhotonicsReport& report,
                         std::vector<LinkChannelResult>& out) {
  const int n = link_channels(l, p);
  const auto modulators = ring_elements(report, l.modulator.name);
  const auto demuxes =
      l.demux ? ring_elements(report, l.demux->name) : std::vector<const RingResult*>{};
  std::vector<const LaserResult*> lasers;
  if (l.laser)
    for (const auto& x : report.lasers)
      if (x.entry == l.laser->name) lasers.push_back(&x);
  double waveguide_loss_dB = 0.0;
  for (const auto& w : l.waveguides)
    for (const auto& path : report.paths)
      if (path.kind == "waveguide" && path.name == w.name) waveguide_loss_dB += path.state.loss_dB;
  postproc::LinkParameters parameters = l.parameters;
  parameters.modulator_insertion_loss_dB = modulator_insertion_loss_dB(l, p);
  auto at = [](const auto& v, int k) { return k < static_cast<int>(v.size()) ? v[k] : nullptr; };
  std::vector<double> signals(n);
  for (int k = 0; k < n; ++k)
    signals[k] = signal_m(at(lasers, k), at(modulators, k), at(demuxes, k));
  const std::string engine = engine_of(l, p);
  for (int k = 0; k < n; ++k) {
    const LaserResult* laser = at(lasers, k);
    const RingResult* mod = at(modulators, k);
    const RingResult* dem = at(demuxes, k);
    LinkChannelResult c;
    c.name = element_name(l.name, k, n);
    c.link = l.name;
    c.engine = engine;
    c.channel = k;
    c.laser = laser ? laser->name : "";
    c.modulator = mod ? mod->name : l.modulator.name;
    c.demux = dem ? dem->name : "";
    c.laser_T_K = laser ? laser->state.T_junction_K : kNaN;
    c.modulator_T_K = mod ? mod->state.T_K : kNaN;
    c.demux_T_K = dem ? dem->state.T_K : kNaN;
    c.signal_m = signals[k];
    c.required_margin_dB = parameters.required_margin_dB;
    postproc::LinkInputs in;
    in.source_power_W = laser ? laser->state.optical_W : l.source_power_W.value_or(0.0);
    in.waveguide_loss_dB = waveguide_loss_dB;
    if (mod != nullptr) {
      c.modulator_detuning_m = c.signal_m - tuned_resonance_m(*mod);
      in.modulator_detuning_m = c.modulator_detuning_m;
      in.modulator_fwhm_m = mod->state.linewidth_m;
    }
    if (dem != nullptr) {
      const double tuned = tuned_resonance_m(*dem);
      c.demux_detuning_m = c.signal_m - tuned;
      std::vector<double> neighbours;
      for (int j : {k - 1, k + 1})
        if (j >= 0 && j < n) neighbours.push_back(signals[j] - tuned);
      c.crosstalk_ratio =
          postproc::crosstalk_ratio(c.demux_detuning_m, neighbours, dem->state.linewidth_m);
      in.has_demux = true;
      in.demux_detuning_m = c.demux_detuning_m;
      in.demux_fwhm_m = dem->state.linewidth_m;
      in.crosstalk_ratio = c.crosstalk_ratio;
    }
    c.budget = postproc::evaluate_link(parameters, in);
    out.push_back(std::move(c));
  }
}

template <class F>
std::vector<double> column(const std::vector<LinkChannelResult>& links, F f) {
  std::vector<double> out;
  out.reserve(links.size());
  for (const auto& c : links) out.push_back(f(c));
  return out;
}

std::string fixed(const char* format, double v) {
  if (std::isnan(v)) return "–";
  if (std::isinf(v)) return v > 0 ? "∞" : "−∞";
  return fmt::format(fmt::runtime(format), v);
}

/// The element of a channel that costs most (its name and loss).
std::size_t costliest(const postproc::LinkBudget& b) {
  std::size_t worst = 0;
  for (std::size_t i = 1; i < b.loss_dB.size(); ++i)
    if (b.loss_dB[i] > b.loss_dB[worst]) worst = i;
  return worst;
}

}  // namespace

std::vector<LinkChannelResult> evaluate_links(const PhotonicsSpec& photonics,
                                              const PhotonicsReport& report) {
  std::vector<LinkChannelResult> out;
  for (const auto& l : photonics.links) evaluate_link_entry(l, photonics, report, out);
  return out;
}

std::vector<LinkEngineSummary> link_engine_summaries(const std::vector<LinkChannelResult>& links) {
  std::vector<LinkEngineSummary> out;
  std::map<std::string, std::size_t> index;
  for (const auto& c : links) {
    auto [it, inserted] = index.emplace(c.engine, out.size());
    if (inserted) out.push_back({c.engine, 0, 0, c.name, c.budget.margin_dB, c.laser_T_K});
    auto& e = out[it->second];
    ++e.channels;
    if (!c.budget.pass) ++e.failing;
    if (c.budget.margin_dB < e.worst_margin_dB) {
      e.worst = c.name;
      e.worst_margin_dB = c.budget.margin_dB;
      e.worst_laser_T_K = c.laser_T_K;
    }
  }
  return out;
}

void add_link_results(const std::vector<LinkChannelResult>& links,
                      postproc::ResultsContent& content) {
  if (links.empty()) return;
  constexpr double nm = 1e9;  // m → nm
  auto t = postproc::tabulate(
      "optics", "links",
      {"name", "link", "engine", "channel", "laser", "modulator", "demux", "laser_T_K",
       "modulator_T_K", "demux_T_K", "signal_nm", "modulator_detuning_nm", "demux_detuning_nm",
       "crosstalk_ratio", "source_dBm"},
      links, [](const LinkChannelResult& c) {
        const auto names =
            std::tuple{c.name, c.link, c.engine, c.channel, c.laser, c.modulator, c.demux};
        return std::tuple_cat(names,
                              std::tuple{c.laser_T_K, c.modulator_T_K, c.demux_T_K, c.signal_m * nm,
                                         c.modulator_detuning_m * nm, c.demux_detuning_m * nm,
                                         c.crosstalk_ratio, c.budget.source_dBm});
      });
  for (std::size_t e = 0; e < postproc::link_element_count; ++e)
    t.columns.push_back({std::string(postproc::kLinkElementNames[e]) + "_dB",
                         column(links, [e](const auto& c) { return c.budget.loss_dB[e]; })});
  auto tail = postproc::tabulate(
      "optics", "links",
      {"total_loss_dB", "received_dBm", "received_oma_dBm", "photocurrent_A", "sensitivity_dBm",
       "margin_dB", "required_margin_dB", "pass"},
      links, [](const LinkChannelResult& c) {
        const auto& b = c.budget;
        return std::tuple{b.total_loss_dB,   b.received_dBm, b.received_oma_dBm,   b.photocurrent_A,
                          b.sensitivity_dBm, b.margin_dB,    c.required_margin_dB, b.pass};
      });
  for (auto& column : tail.columns) t.columns.push_back(std::move(column));
  content.tables.push_back(std::move(t));
}

std::string format_links(const std::vector<LinkChannelResult>& links) {
  if (links.empty()) return "";
  std::ostringstream out;
  std::string line;
  int failing = 0;
  for (const auto& c : links) failing += c.budget.pass ? 0 : 1;
  out << "\noptical links: " << links.size() << " channels, " << failing
      << " failing; worst channel per engine\n"
      << "engine               channels fail  worst channel              margin dB  "
         "laser T °C  largest loss\n";
  for (const auto& e : link_engine_summaries(links)) {
    const LinkChannelResult* worst = nullptr;
    for (const auto& c : links)
      if (c.name == e.worst) worst = &c;
    const std::size_t k = costliest(worst->budget);
    line = fmt::format("{:<20.20} {:8} {:4}  {:<24.24} {:>11} {:>11}  {} {:.2f} dB\n", e.engine,
                       e.channels, e.failing, e.worst, fixed("{:+.2f}", e.worst_margin_dB),
                       fixed("{:.2f}", e.worst_laser_T_K - kKelvinAtZeroCelsius),
                       postproc::kLinkElementNames[k], worst->budget.loss_dB[k]);
    out << line;
  }
  return out.str();
}

std::string links_html(const std::vector<LinkChannelResult>& links) {
  if (links.empty()) return "";
  auto esc = [](const std::string& s) { return postproc::xml_escaped(s); };
  std::ostringstream out;
  out << "<h2>Optical links</h2>\n<p>Margin = received OMA − receiver OMA sensitivity at the "
         "solved temperatures (PHYSICS-SUPPLEMENT.md §L); the worst channel of each engine.</p>\n"
         "<table><thead><tr><th>engine</th><th>channels</th><th>failing</th><th>worst "
         "channel</th><th>margin dB</th><th>laser T °C</th></tr></thead><tbody>\n";
  const auto engines = link_engine_summaries(links);
  for (const auto& e : engines)
    out << "<tr class=\"" << (e.failing == 0 ? "pass" : "fail") << "\"><td>" << esc(e.engine)
        << "</td><td>" << e.channels << "</td><td>" << e.failing << "</td><td>" << esc(e.worst)
        << "</td><td>" << fixed("{:+.2f}", e.worst_margin_dB) << "</td><td>"
        << fixed("{:.2f}", e.worst_laser_T_K - kKelvinAtZeroCelsius) << "</td></tr>\n";
  out << "</tbody></table>\n<p>Per-element budget of each engine's worst channel, dB.</p>\n"
         "<table><thead><tr><th>channel</th><th>source dBm</th>";
  for (const char* name : postproc::kLinkElementNames) out << "<th>" << name << "</th>";
  out << "<th>received OMA dBm</th><th>sensitivity dBm</th><th>margin dB</th></tr></thead>"
         "<tbody>\n";
  for (const auto& e : engines)
    for (const auto& c : links) {
      if (c.name != e.worst) continue;
      out << "<tr class=\"" << (c.budget.pass ? "pass" : "fail") << "\"><td>" << esc(c.name)
          << "</td><td>" << fixed("{:.2f}", c.budget.source_dBm) << "</td>";
      for (double x : c.budget.loss_dB) out << "<td>" << fixed("{:.3f}", x) << "</td>";
      out << "<td>" << fixed("{:.2f}", c.budget.received_oma_dBm) << "</td><td>"
          << fixed("{:.2f}", c.budget.sensitivity_dBm) << "</td><td>"
          << fixed("{:+.2f}", c.budget.margin_dB) << "</td></tr>\n";
    }
  out << "</tbody></table>\n";
  return out.str();
}

}  // namespace cposim::cases
