/// \file
/// sweep_report.md and sweep_plot.png (cases/sweep/sweep_report.hpp).
#include "cases/sweep/sweep_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "cases/run/verdicts.hpp"
#include "cases/sweep/sweep_reader.hpp"
#include "mesh/units.hpp"
#include "postproc/plots/raster_image.hpp"

namespace cposim::cases {
namespace {

namespace fs = std::filesystem;

using mesh::kKelvinAtZeroCelsius;

std::string fixed(double v, int decimals) {
  if (!std::isfinite(v)) return "–";
  return fmt::format("{:.{}f}", v, decimals);
}

/// Markdown table cell text: pipes escaped.
std::string cell(const std::string& text) {
  std::string out;
  for (char c : text) out += c == '|' ? std::string("\\|") : std::string(1, c);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Plot helpers

/// True for a verdict class's margin metric (fails below 0).
bool is_margin_metric(const std::string& metric) {
  const auto names = verdict_margin_metric_names();
  return metric == "worst_lane_margin_dB" || metric == "worst_ring_margin_nm" ||
         std::find(names.begin(), names.end(), metric) != names.end();
}

/// The panel title: the metric name, with its unit suffix shown in brackets.
std::string panel_label(const std::string& metric) {
  static const std::pair<const char*, const char*> kUnits[] = {
      {"_dB", "dB"}, {"_nm", "nm"}, {"_mm", "mm"}, {"_W", "W"}, {"_K", "K"}, {"_s", "s"}};
  for (const auto& [suffix, unit] : kUnits) {
    const std::string sfx = suffix;
    if (metric.size() > sfx.size() &&
        metric.compare(metric.size() - sfx.size(), sfx.size(), sfx) == 0)
      return metric.substr(0, metric.size() - sfx.size()) + " [" + unit + "]";
  }
  return metric;
}

/// "Nice" tick step (1, 2, 5 × 10^k) giving about `target` intervals over `span`.
double nice_step(double span, int target) {
  if (!(span > 0.0)) return 1.0;
  const double raw = span / target;
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  const double f = raw / power;
  return (f < 1.5 ? 1.0 : f < 3.5 ? 2.0 : f < 7.5 ? 5.0 : 10.0) * power;
}

std::string tick_label(double v, double step) {
  std::string text;
  const int decimals = step >= 1.0 ? 0 : static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
  text = fmt::format("{:.{}f}", std::fabs(v) < 1e-12 * step ? 0.0 : v, std::min(decimals, 6));
  return text;
}

struct Range {
  double lo = 0.0, hi = 1.0;
  void widen() {
    if (hi - lo < 1e-12 * std::max(1.0, std::fabs(hi))) {
      const double pad = std::max(1e-3, std::fabs(hi) * 0.05);
      lo -= pad;
      hi += pad;
    }
    const double step = nice_step(hi - lo, 5);
    lo = std::floor(lo / step) * step;
    hi = std::ceil(hi / step) * step;
  }
};

void dashed_line(postproc::RasterImage& img, int x0, int y0, int x1, int y1, postproc::Rgb c) {
  const int n = std::max(std::abs(x1 - x0), std::abs(y1 - y0));
  for (int i = 0; i <= n; i += 12) {
    const int j = std::min(i + 6, n);
    const auto at = [&](int k, int a, int b) { return n == 0 ? a : a + (b - a) * k / n; };
    img.draw_line(at(i, x0, x1), at(i, y0, y1), at(j, x0, x1), at(j, y0, y1), c, 2);
  }
}

/// One panel: `metric` of every row that ran against the plot's x.
void draw_panel(postproc::RasterImage& img, int left, int top, int width, int height,
                const SweepSpec& spec, const SweepTable& table, const std::string& metric,
                double metric_scale, const std::string& label, postproc::Rgb colour,
                const Range& xr, const std::optional<SweepBestAnswer>& best, bool x_labels) {
  const postproc::Rgb axis{60, 60, 60}, grid{225, 225, 225}, pareto{0, 150, 70};
  const postproc::Rgb threshold{200, 30, 30}, best_colour{120, 120, 120};
  struct Pt {
    double x, y;
    bool ran, feasible, pareto;
  };
  std::vector<Pt> pts;
  for (const auto& r : table.rows) {
    const double x = table.value(r, spec.plot_x);
    const double y = table.value(r, metric) * metric_scale;
    if (std::isfinite(x) && std::isfinite(y))
      pts.push_back(
          {x, y, r.status == "ok" || r.status == "infeasible", r.status == "ok", r.pareto});
  }
  Range yr;
  if (!pts.empty()) {
    yr.lo = yr.hi = pts.front().y;
    for (const auto& p : pts) {
      yr.lo = std::min(yr.lo, p.y);
      yr.hi = std::max(yr.hi, p.y);
    }
  }
  std::vector<double> thresholds;
  if (is_margin_metric(metric)) thresholds.push_back(0.0);  // the verdict's pass line
  if (spec.best)
    for (const auto& req : spec.best->requirements)
      if (req.metric == metric) {
        thresholds.push_back(req.value * metric_scale);
        yr.lo = std::min(yr.lo, req.value * metric_scale);
        yr.hi = std::max(yr.hi, req.value * metric_scale);
      }
  yr.widen();
  const auto px = [&](double x) {
    return left + static_cast<int>(std::lround((x - xr.lo) / (xr.hi - xr.lo) * width));
  };
  const auto py = [&](double y) {
    return top + height - static_cast<int>(std::lround((y - yr.lo) / (yr.hi - yr.lo) * height));
  };
  // Grid, ticks and labels.
  const double ys = nice_step(yr.hi - yr.lo, 5);
  // Grid lines by index (at most 50): y += ys never moves y where ys is below its resolution.
  for (int i = 0; i <= 50 && yr.lo + i * ys <= yr.hi + 1e-9 * ys; ++i) {
    const double y = yr.lo + i * ys;
    img.draw_line(left, py(y), left + width, py(y), grid);
    const std::string t = tick_label(y, ys);
    img.draw_text(left - 8 - img.text_width(t, 13), py(y) + 5, t, axis, 13);
  }
  const double xs = nice_step(xr.hi - xr.lo, 6);
  for (int i = 0; i <= 50 && xr.lo + i * xs <= xr.hi + 1e-9 * xs; ++i) {
    const double x = xr.lo + i * xs;
    img.draw_line(px(x), top, px(x), top + height, grid);
    if (x_labels) {
      const std::string t = tick_label(x, xs);
      img.draw_text(px(x) - img.text_width(t, 13) / 2, top + height + 18, t, axis, 13);
    }
  }
  img.draw_rect(left, top, left + width, top + height, axis);
  img.draw_text(left, top - 8, label, axis, 15);
  for (std::size_t k = 0; k < thresholds.size(); ++k) {
    const double t = thresholds[k];
    dashed_line(img, left, py(t), left + width, py(t), threshold);
    const bool pass_line = k == 0 && is_margin_metric(metric);
    const std::string text = pass_line ? "fails below" : "required " + format_number(t);
    img.draw_text(left + width - img.text_width(text, 12) - 4, py(t) - 4, text, threshold, 12);
  }
  if (best && best->row) {
    const double bx = table.value(table.rows[*best->row], spec.plot_x);
    if (std::isfinite(bx)) dashed_line(img, px(bx), top, px(bx), top + height, best_colour);
  }
  // A line through the points that ran when x is the only parameter.
  std::vector<Pt> ok;
  for (const auto& p : pts)
    if (p.ran) ok.push_back(p);
  std::sort(ok.begin(), ok.end(), [](const Pt& a, const Pt& b) { return a.x < b.x; });
  if (spec.parameters.size() == 1)
    for (std::size_t i = 1; i < ok.size(); ++i)
      img.draw_line(px(ok[i - 1].x), py(ok[i - 1].y), px(ok[i].x), py(ok[i].y), colour, 2);
  for (const auto& p : pts) {
    const int x = px(p.x), y = py(p.y);
    if (p.feasible) {
      img.fill_rect(x - 4, y - 4, x + 4, y + 4, colour);
    } else if (p.ran) {  // infeasible: ran, misses a design verdict
      img.draw_rect(x - 4, y - 4, x + 4, y + 4, colour);
      img.draw_rect(x - 3, y - 3, x + 3, y + 3, colour);
    } else {
      img.draw_rect(x - 4, y - 4, x + 4, y + 4, threshold);
    }
    if (p.pareto) {
      img.draw_rect(x - 7, y - 7, x + 7, y + 7, pareto);
      img.draw_rect(x - 8, y - 8, x + 8, y + 8, pareto);
    }
  }
}

}  // namespace

std::string sweep_report_markdown(const SweepSpec& spec, const SweepTable& table,
                                  const std::optional<SweepBestAnswer>& best,
                                  const std::string& plot_file) {
  std::ostringstream md;
  std::size_t ok = 0, infeasible = 0, failed = 0, pending = 0, pareto = 0;
  for (const auto& r : table.rows) {
    ok += r.status == "ok";
    infeasible += r.status == "infeasible";
    failed += r.status == "failed";
    pending += r.status == "pending";
    pareto += r.pareto;
  }
  md << "# Sweep report: " << fs::path(spec.sweep_path).filename().string() << "\n\n";
  md << "Base case: `" << spec.base_case_path << "`. " << table.rows.size() << " points ("
     << (spec.combine == SweepCombine::zip ? "zip" : "product") << " of";
  for (const auto& p : spec.parameters) md << " " << p.name << " × " << p.values.size();
  md << "): " << ok << " feasible, " << infeasible << " infeasible (ran, but a design verdict "
     << "fails), " << failed << " failed, " << pending << " not run.\n\n";
  md << "Parameters:\n\n";
  for (const auto& p : spec.parameters) {
    md << "- `" << p.name << "`: ";
    for (std::size_t i = 0; i < p.values.size() && i < 12; ++i)
      md << (i ? ", " : "") << to_string(p.values[i]);
    if (p.values.size() > 12) md << ", … (" << p.values.size() << " values)";
    md << (p.kind == SweepValueKind::lhs ? " (Latin hypercube)" : "") << "; drives";
    for (const auto& t : p.targets) md << " `" << t.path << "`";
    md << "\n";
  }
  md << "\n## Trade-off table\n\n";
  md << "T in °C; heater power: total over all rings, W, and the largest single heater, mW; "
        "margins: worst over all rings (tuning headroom, nm) and all lanes (dB, at the solved "
        "temperature and at 25 °C). P = Pareto point over (";
  const auto objectives = pareto_objectives_text();
  for (std::size_t i = 0; i < objectives.size(); ++i) md << (i ? ", " : "") << objectives[i];
  md << "), ★ = best.\n\n| # |";
  for (const auto& p : table.parameters) md << " " << cell(p) << " |";
  md << " status | T_max | total heater W | max heater mW | rings in range | ring margin nm |"
        " lane margin dB | lane margin 25 °C dB | run s | P | ★ |\n|---|";
  for (std::size_t i = 0; i < table.parameters.size(); ++i) md << "---|";
  md << "---|---|---|---|---|---|---|---|---|---|---|\n";
  for (std::size_t i = 0; i < table.rows.size(); ++i) {
    const SweepRow& r = table.rows[i];
    const auto v = [&](const char* name) { return table.value(r, name); };
    md << "| " << r.index << " |";
    for (const auto& value : r.values) md << " " << cell(to_string(value)) << " |";
    const double rings_ok = v("rings_in_range");
    md << " " << (r.status == "failed" ? "failed (" + std::to_string(r.exit_code) + ")" : r.status)
       << " | " << fixed(v("T_max_K") - kKelvinAtZeroCelsius, 2) << " | "
       << fixed(v("total_heater_W"), 4) << " | " << fixed(v("max_heater_W") * 1e3, 2) << " | "
       << (std::isfinite(rings_ok)
               ? fixed(v("rings") - v("rings_out_of_range"), 0) + "/" + fixed(v("rings"), 0)
               : "–")
       << " | " << fixed(v("worst_ring_margin_nm"), 3) << " | "
       << fixed(v("worst_lane_margin_dB"), 3) << " | " << fixed(v("worst_lane_margin_25C_dB"), 3)
       << " | " << fixed(v("run_time_s"), 1) << " | " << (r.pareto ? "P" : "") << " | "
       << (best && best->row == i ? "★" : "") << " |\n";
  }
  md << "\nThe full table (every metric, T_max of every powered region) is `sweep.csv` / "
        "`sweep.h5`; each point's results are in `points/<hash>/`.\n";
  md << "\n## Pareto set\n\n";
  if (pareto == 0) md << "No point ran and passes every design verdict.\n";
  for (const auto& r : table.rows)
    if (r.pareto)
      md << "- point " << r.index << " (" << describe_point(spec, r.values)
         << "): worst lane margin " << fixed(table.value(r, "worst_lane_margin_dB"), 3)
         << " dB, total heater " << fixed(table.value(r, "total_heater_W"), 4) << " W, T_max "
         << fixed(table.value(r, "T_max_K") - kKelvinAtZeroCelsius, 2) << " °C\n";
  md << "\n## Best point\n\n";
  if (best)
    md << (best->row ? "**" : "") << best->text << (best->row ? "**" : "") << "\n";
  else
    md << "No `[sweep.best]` question in the sweep file.\n";
  if (failed > 0) {
    md << "\n## Failed points\n\n";
    for (const auto& r : table.rows)
      if (r.status == "failed")
        md << "- point " << r.index << " (" << describe_point(spec, r.values) << "), exit code "
           << r.exit_code << ": " << r.error << "\n";
  }
  if (infeasible > 0) {
    md << "\n## Infeasible points\n\nThey ran (exit code 0) but miss a design verdict; the "
          "Pareto set and the best point leave them out. Binding margins below 0:\n\n";
    for (const auto& r : table.rows) {
      if (r.status != "infeasible") continue;
      md << "- point " << r.index << " (" << describe_point(spec, r.values) << "):";
      for (const auto& metric : verdict_margin_metric_names())
        if (table.value(r, metric) < 0.0)
          md << " " << metric << " = " << format_number(table.value(r, metric)) << ";";
      md << "\n";
    }
  }
  if (pending > 0)
    md << "\n" << pending << " point(s) have not run yet; run the sweep again to finish them.\n";
  if (!plot_file.empty())
    md << "\n![the binding constraints against " << spec.plot_x << "](" << plot_file << ")\n";
  return md.str();
}

std::string sweep_verdict_lines(const SweepSpec& spec, const SweepTable& table) {
  std::ostringstream out;
  std::size_t feasible = 0, infeasible = 0;
  for (const auto& r : table.rows) {
    feasible += r.status == "ok";
    if (r.status != "infeasible") continue;
    ++infeasible;
    out << "FAIL: point " << r.index << " (" << describe_point(spec, r.values) << "):";
    for (const auto& metric : verdict_margin_metric_names())
      if (table.value(r, metric) < 0.0) {
        std::string value = fmt::format("{:.4g}", table.value(r, metric));
        out << " " << metric << " = " << value << ";";
      }
    out << " infeasible (a design verdict: the exit code is unchanged)\n";
  }
  if (feasible == 0 && infeasible > 0)
    out << "FAIL: sweep: no feasible point: all " << infeasible << " of " << table.rows.size()
        << " points that ran miss a design verdict\n";
  return out.str();
}

std::vector<std::string> default_plot_metrics(const SweepTable& table) {
  const auto has = [&](const std::string& metric) {
    for (const auto& r : table.rows)
      if ((r.status == "ok" || r.status == "infeasible") && std::isfinite(table.value(r, metric)))
        return true;
    return false;
  };
  // Binding constraints: the classes that fail somewhere, most failing points first.
  std::vector<std::pair<int, std::string>> failing;
  for (const auto& metric : verdict_margin_metric_names()) {
    int n = 0;
    for (const auto& r : table.rows) n += table.value(r, metric) < 0.0 ? 1 : 0;
    if (n > 0) failing.emplace_back(n, metric);
  }
  std::stable_sort(failing.begin(), failing.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<std::string> out;
  for (const auto& f : failing)
    if (out.size() < kMaxSweepPlotPanels) out.push_back(f.second);
  if (!out.empty()) return out;
  for (const char* metric : {"worst_lane_margin_dB", "total_heater_W"})
    if (has(metric)) out.emplace_back(metric);
  if (out.empty())
    out.push_back(has("temperature_limits_margin_K") ? "temperature_limits_margin_K" : "T_max_K");
  return out;
}

std::vector<std::string> plot_metrics(const SweepSpec& spec, const SweepTable& table) {
  return spec.plot_y.empty() ? default_plot_metrics(table) : spec.plot_y;
}

void write_sweep_plot(const SweepSpec& spec, const SweepTable& table,
                      const std::optional<SweepBestAnswer>& best, const std::string& path) {
  if (spec.plot_x.empty()) throw std::invalid_argument("write_sweep_plot: no numeric parameter");
  const std::vector<std::string> metrics = plot_metrics(spec, table);
  constexpr int kWidth = 960, kLeft = 90, kRight = 30, kTop = 80;
  const int panel = metrics.size() > 2 ? 180 : 250, gap = 90;
  const int height = kTop + 20 + static_cast<int>(metrics.size()) * (panel + gap) + 10;
  postproc::RasterImage img(kWidth, height, {255, 255, 255});
  Range xr;
  bool any = false;
  for (const auto& r : table.rows) {
    const double x = table.value(r, spec.plot_x);
    if (!std::isfinite(x)) continue;
    xr.lo = any ? std::min(xr.lo, x) : x;
    xr.hi = any ? std::max(xr.hi, x) : x;
    any = true;
  }
  xr.widen();
  const postproc::Rgb ink{30, 30, 30};
  img.draw_text(kLeft, 32, "Sweep " + fs::path(spec.sweep_path).filename().string(), ink, 18);
  img.draw_text(kLeft, 56,
                "filled: feasible; hollow: infeasible (a design verdict fails); red: run failed; "
                "green ring: Pareto; grey dashed: best",
                {90, 90, 90}, 13);
  const int width = kWidth - kLeft - kRight;
  static const postproc::Rgb kColours[] = {
      {31, 119, 180}, {230, 110, 10}, {44, 160, 44}, {148, 103, 189}};
  for (std::size_t i = 0; i < metrics.size(); ++i)
    draw_panel(img, kLeft, kTop + 20 + static_cast<int>(i) * (panel + gap), width, panel, spec,
               table, metrics[i], 1.0, panel_label(metrics[i]), kColours[i % 4], xr, best, true);
  const std::string xlabel = spec.plot_x;
  img.draw_text(kLeft + width / 2 - img.text_width(xlabel, 15) / 2, height - 14, xlabel, ink, 15);
  img.write_png(path);
}

}  // namespace cposim::cases
