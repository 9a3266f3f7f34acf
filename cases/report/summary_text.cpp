/// \file
/// The human summary of a run (summary_text.hpp).
#include "cases/report/summary_text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "cases/run/verdicts.hpp"
#include "mesh/units.hpp"

namespace cposim::cases {
namespace {

using mesh::kKelvinAtZeroCelsius;

/// Top spots of the (up to) three hottest regions and R per source, for format_summary.
std::string format_hot_spots(const RunSummary& s) {
  std::ostringstream out;
  std::string line;
  std::vector<const postproc::RegionStatistics*> order;
  for (const auto& r : s.regions)
    if (r.num_cells > 0 && std::isfinite(r.T_max_K)) order.push_back(&r);
  std::stable_sort(order.begin(), order.end(),
                   [](const auto* a, const auto* b) { return a->T_max_K > b->T_max_K; });
  if (order.size() > 3) order.resize(3);
  if (!order.empty()) out << "\nhot spots (local maxima) of the hottest regions\n";
  for (const auto* r : order)
    for (const auto& h : s.hot_spots) {
      if (h.region != r->name) continue;
      line = fmt::format("  {:<24.24} #{} {:9.2f} °C at ({:.3f}, {:.3f}, {:.4f}) mm\n", h.region,
                         h.rank, h.T_K - kKelvinAtZeroCelsius, h.at_m[0] * 1e3, h.at_m[1] * 1e3,
                         h.at_m[2] * 1e3);
      out << line;
    }
  if (s.coolant && !s.resistances.empty()) {
    line = fmt::format(
        "\nthermal resistance to coolant ({}, {:.2f} °C; self + crosstalk)\n"
        "source                     power W  R_max K/W  R_mean K/W\n",
        solver::kDomainFaceNames[static_cast<std::size_t>(s.coolant->face)],
        s.coolant->T_K - kKelvinAtZeroCelsius);
    out << line;
    for (const auto& r : s.resistances) {
      line = fmt::format("{:<26.26} {:8.3f} {:10.4g} {:11.4g}\n", r.region, r.power_W,
                         r.R_max_K_per_W, r.R_mean_K_per_W);
      out << line;
    }
  }
  return out.str();
}

/// Wall and CPU time per phase (CPU only where the phase is timed as a whole: "-" otherwise),
/// then the linear solves and iterations. `cposim_bench`-style tools read these lines
/// (benchmarks/end_to_end.cpp): keep the name column 24 wide.
std::string format_phase_times(const RunSummary& s) {
  const auto& t = s.times;
  const double none = std::nan("");
  const struct {
    const char* name;
    double wall_s, cpu_s;
  } rows[] = {{"build grid + problem", t.build_s, t.build_cpu_s},
              {"solve phase", t.solve_phase_s, t.solve_phase_cpu_s},
              {"  assembly", t.assembly_s, none},
              {"  solver set-up", t.setup_s, none},
              {"  solve", t.solve_s, none},
              {"statistics + probes", t.postprocess_s, t.postprocess_cpu_s},
              {"write results", t.write_s, t.write_cpu_s},
              {"  results.h5", t.results_h5_s, none},
              {"  VTK", s.vtk_write_s, none},
              {"  maps", t.maps_s, none},
              {"  reports", t.reports_s, none}};
  std::string out = "\ntime per phase              wall s     cpu s\n";
  for (const auto& r : rows)
    out += std::isnan(r.cpu_s) ? fmt::format("{:<24} {:9.3f}         -\n", r.name, r.wall_s)
                               : fmt::format("{:<24} {:9.3f} {:9.3f}\n", r.name, r.wall_s, r.cpu_s);
  out += fmt::format("{:<24} {:9d}\n{:<24} {:9d}\n", "linear solves", s.work.linear_solves,
                     "linear iterations", s.work.linear_iterations);
  return out;
}

}  // namespace

std::string format_summary(const RunSummary& s) {
  std::ostringstream out;
  std::string line;
  auto C = [](double T_K) { return T_K - kKelvinAtZeroCelsius; };
  out << (s.title.empty() ? "(untitled case)" : s.title) << "\n";
  const Verdicts verdicts = collect_verdicts(s);
  out << format_verdicts(verdicts, make_headline(s));
  line = fmt::format("\ngrid {} x {} x {} = {} cells\n", s.cells_per_axis[0], s.cells_per_axis[1],
                     s.cells_per_axis[2], s.num_cells);
  out << line;
  for (const auto& pm : s.power_maps) {
    line = fmt::format("power map of '{}' ({}): file total {:.6g}, applied {:.6g} W\n", pm.block,
                       pm.file, pm.file_total, pm.total_W);
    out << line;
  }
  out << "\nregion                      T_max °C   T_mean °C    T_min °C    power W\n";
  const postproc::RegionStatistics* hottest = nullptr;
  for (const auto& r : s.regions) {
    if (r.num_cells == 0) continue;
    if (hottest == nullptr || r.T_max_K > hottest->T_max_K) hottest = &r;
    line = fmt::format("{:<26.26} {:9.2f} {:11.2f} {:11.2f} {:10.3f}\n", r.name, C(r.T_max_K),
                       C(r.T_mean_K), C(r.T_min_K), r.power_W);
    out << line;
  }
  if (hottest != nullptr) {
    line = fmt::format(
        "\nhottest point: {:.2f} °C ({:.2f} K) in '{}' at ({:.3f}, {:.3f}, {:.4f}) mm\n",
        C(hottest->T_max_K), hottest->T_max_K, hottest->name, hottest->T_max_at_m[0] * 1e3,
        hottest->T_max_at_m[1] * 1e3, hottest->T_max_at_m[2] * 1e3);
    out << line;
  }
  for (const auto& p : s.probes) {
    line = fmt::format("probe {:<20} {:9.2f} °C at ({:.3f}, {:.3f}, {:.4f}) mm\n", p.name, C(p.T_K),
                       p.at_m[0] * 1e3, p.at_m[1] * 1e3, p.at_m[2] * 1e3);
    out << line;
  }
  for (const auto& f : s.face_stats) {
    line = fmt::format(
        "face {:<16} {:9.2f} max {:9.2f} mean {:9.2f} min °C, hottest at ({:.3f}, {:.3f}, "
        "{:.4f}) mm; {:.6g} W crossing ({})\n",
        f.name, C(f.T_max_K), C(f.T_mean_K), C(f.T_min_K), f.T_max_at_m[0] * 1e3,
        f.T_max_at_m[1] * 1e3, f.T_max_at_m[2] * 1e3, f.heat_W, f.where);
    out << line;
  }
  out << format_hot_spots(s);
  const auto& e = s.solve.energy;
  if (s.transient)
    line = fmt::format(
        "\nenergy balance of the run (in - out - stored): relative {:.2e}\n"
        "at the last time (instantaneous, the rate still stored): power in {:.6g} W, "
        "heat out {:.6g} W, imbalance {:.3e} W (relative {:.2e})\n",
        s.energy_relative(), e.power_in_W, e.heat_out_W, e.imbalance_W, e.relative);
  else
    line = fmt::format(
        "\nenergy balance: power in {:.6g} W, heat out {:.6g} W, imbalance {:.3e} W "
        "(relative {:.2e})\n",
        e.power_in_W, e.heat_out_W, e.imbalance_W, e.relative);
  out << line;
  out << "heat out per face [W]:";
  for (int f = 0; f < 6; ++f) {
    line = fmt::format(" {} {:.4g}", solver::kDomainFaceNames[f], e.face_heat_out_W[f]);
    out << line;
  }
  if (e.sink_heat_out_W != 0.0)  // coolant cavities between tiers
    out << fmt::format("; into cavities {:.4g}", e.sink_heat_out_W);
  line =
      fmt::format("\nsolver {}: {}, {} iterations, relative residual {:.2e}, {} Picard step(s)\n",
                  s.solve.linear_solver, s.solve.converged ? "converged" : "NOT CONVERGED",
                  s.solve.linear_iterations, s.solve.relative_residual, s.solve.picard_iterations);
  out << line;
  if (!s.solve.linear_fallback.empty())
    out << "solver fallback: " << s.solve.linear_fallback << "\n";
  if (s.solve.linear_at_roundoff)
    out << fmt::format(
        "  (at the round-off floor of this system, {:.2e}: the tolerance is below what "
        "double precision can reach here; the temperatures are as accurate as it gets)\n",
        s.solve.roundoff_residual);
  if (s.solve.linear_settled)
    out << fmt::format(
        "  (settled: the residual stopped decreasing above relative_tolerance, but the last "
        "restart from the true residual changed T by only {:.2e} K: the field is converged)\n",
        s.solve.linear_restart_change_K);
  if (s.solve.nonlinear_residual > 0.0) {
    line = fmt::format(
        "nonlinear residual ||A(T) T - b(T)|| / ||b|| = {:.2e} (last change {:.2e} K)\n",
        s.solve.nonlinear_residual, s.solve.last_change_K);
    out << line;
  }
  if (s.leakage) out << format_leakage(*s.leakage);
  if (s.photonics) out << format_photonics(*s.photonics);
  if (s.transient) out << format_transient(*s.transient);
  out << format_cold_plates(s.cold_plates);
  out << format_cavities(s.cavities);
  out << format_lane_summary(s.lane_engines);
  out << format_links(s.links);
  if (s.envelope) out << format_envelope(*s.envelope);
  out << format_limits(s.limits);
  out << format_phase_times(s);
  out << "results: " << s.results_path << " (+ " << s.xdmf_path << ")\n";
  if (!s.summary_json_path.empty()) out << "summary: " << s.summary_json_path << "\n";
  if (!s.vtk_paths.empty()) {
    line = fmt::format("VTK ({} files, {:.3f} s): ", s.vtk_paths.size(), s.vtk_write_s);
    out << line << s.vtk_paths.back() << " (open in ParaView; grid " << s.vtk_paths.front()
        << ")\n";
  }
  for (const auto& map : s.map_png_paths) out << "map: " << map << "\n";
  if (!s.history_png_path.empty()) out << "history plot: " << s.history_png_path << "\n";
  if (!s.photonics_history_png_path.empty())
    out << "ring lock plot: " << s.photonics_history_png_path << "\n";
  if (!s.report_html_path.empty()) out << "report: " << s.report_html_path << "\n";
  if (!s.crosstalk_csv_path.empty()) out << "crosstalk matrix: " << s.crosstalk_csv_path << "\n";
  return out.str();
}

}  // namespace cposim::cases
