/// \file
/// Text outputs of the coupling loop: the crosstalk CSV and the stdout summary (split from
/// photonics_coupling.cpp).
#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>

#include "cases/run/photonics_coupling.hpp"
#include "mesh/units.hpp"

namespace cposim::cases {
namespace {

using mesh::kKelvinAtZeroCelsius;

}  // namespace

void write_crosstalk_csv(const std::string& path, const PhotonicsReport& report) {
  std::ofstream out(path);
  if (!out) throw std::runtime_error("cannot write '" + path + "'");
  const std::size_t n = report.rings.size();
  out << "# dT_ring/dP_heater in K/W: row = ring, column = heater\nring";
  for (const auto& r : report.rings) out << "," << r.name;
  out << "\n";
  std::string value;
  for (std::size_t i = 0; i < n; ++i) {
    out << report.rings[i].name;
    for (std::size_t j = 0; j < n; ++j) {
      value = fmt::format(",{:.9g}", report.crosstalk_K_per_W[i * n + j]);
      out << value;
    }
    out << "\n";
  }
  if (!out) throw std::runtime_error("cannot write '" + path + "'");
}

std::string format_photonics(const PhotonicsReport& r) {
  std::ostringstream out;
  std::string line;
  auto C = [](double T_K) { return T_K - kKelvinAtZeroCelsius; };
  line = fmt::format("\nphotonics: coupling {} after {} thermal solve(s): {}\n",
                     to_string(r.status), r.iterations, r.message);
  out << line;
  // NaN "without feedback" (a transient run's final state): no field without heater heat.
  const std::string open_loop =
      std::isnan(r.open_loop_heater_W)
          ? std::string("without feedback n/a in a transient run")
          : fmt::format("{:.4g} mW without (first solve)", r.open_loop_heater_W * 1e3);
  line = fmt::format(
      "total heater power {:.4g} mW with feedback, {}; on-package laser heat {:.4g} W\n",
      r.total_heater_W * 1e3, open_loop, r.laser_heat_W);
  out << line;
  if (!r.rings.empty()) {
    const RingResult* worst_drift = &r.rings.front();
    const RingResult* worst_margin = &r.rings.front();
    int out_of_range = 0;
    for (const auto& ring : r.rings) {
      if (std::abs(ring.state.drift_m) > std::abs(worst_drift->state.drift_m)) worst_drift = &ring;
      if (ring.state.margin_m < worst_margin->state.margin_m) worst_margin = &ring;
      if (!ring.state.in_range) ++out_of_range;
    }
    line = fmt::format(
        "rings: {}, worst Δλ {:+.4f} nm ('{}' at {:.2f} °C), worst tuning margin {:.4f} nm "
        "('{}'), {} out of range\n",
        r.rings.size(), worst_drift->state.drift_m * 1e9, worst_drift->name,
        C(worst_drift->state.T_K), worst_margin->state.margin_m * 1e9, worst_margin->name,
        out_of_range);
    out << line;
    out << "bank                   count  T_min °C  T_max °C  gradient K  heater mW  no-fb mW  "
           "worst Δλ nm  margin nm\n";
    for (const auto& b : r.banks) {
      line = fmt::format(
          "{:<22.22} {:5} {:9.2f} {:9.2f} {:11.3f} {:10.3f} {:>9} {:12.4f} {:10.4f}\n", b.name,
          b.count, C(b.T_min_K), C(b.T_max_K), b.gradient_K, b.heater_W * 1e3,
          std::isnan(b.open_loop_heater_W) ? std::string("n/a")
                                           : fmt::format("{:.3f}", b.open_loop_heater_W * 1e3),
          b.worst_drift_m * 1e9, b.worst_margin_m * 1e9);
      out << line;
    }
    double worst_tracking = std::numeric_limits<double>::infinity();
    const RingResult* tracking = nullptr;
    for (const auto& ring : r.rings)
      if (!ring.laser.empty() && ring.state.margin_m < worst_tracking) {
        worst_tracking = ring.state.margin_m;
        tracking = &ring;
      }
    if (tracking != nullptr) {
      line = fmt::format(
          "laser-to-ring tracking: worst margin {:.4f} nm ('{}' on laser '{}', untuned "
          "laser − ring {:+.4f} nm)\n",
          worst_tracking * 1e9, tracking->name, tracking->laser, tracking->laser_detuning_m * 1e9);
      out << line;
    }
  }
  if (!r.lasers.empty()) {
    out << "laser                case °C  junction °C     λ nm  window margin nm  P_opt mW  heat "
           "W\n";
    for (const auto& l : r.lasers) {
      std::string margin = "-";
      if (l.has_window) margin = fmt::format("{:+.4f}", l.window_margin_m * 1e9);
      line =
          fmt::format("{:<20.20} {:8.2f} {:12.2f} {:9.3f} {:>17} {:9.2f} {:7.4f}{}{}\n", l.name,
                      C(l.state.T_case_K), C(l.state.T_junction_K), l.state.lambda_m * 1e9, margin,
                      l.state.optical_W * 1e3, l.state.heat_W, l.external ? "  (external)" : "",
                      l.has_window && l.window_margin_m < 0.0 ? "  OUT OF WINDOW" : "");
      out << line;
    }
  }
  for (const auto& p : r.paths) {
    line = fmt::format("{:<10} {:<20.20} length {:.3f} mm, T_mean {:.2f} °C, Δφ {:+.4f} rad\n",
                       p.kind, p.name, p.state.path.length_m * 1e3, C(p.state.path.T_mean_K),
                       p.state.phase_rad);
    out << line;
  }
  for (const auto& m : r.mzis) {
    line =
        fmt::format("mzi {:<20.20} arm imbalance {:+.4f} rad ({:+.4f} π), arm ΔT {:+.3f} K\n",
                    m.name, m.imbalance_rad, m.imbalance_rad / 3.14159265358979323846, m.arm_dT_K);
    out << line;
  }
  return out.str();
}

}  // namespace cposim::cases
