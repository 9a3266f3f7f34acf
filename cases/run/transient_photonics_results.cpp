/// \file
/// The results of the photonic devices of a transient run: /transient/{rings, lasers,
/// waveguides, ring_lock, laser_windows} and photonics.csv (transient_photonics.hpp).
#include <fmt/format.h>

#include <cstdint>
#include <string>
#include <tuple>
#include <utility>

#include "cases/run/transient_photonics.hpp"
#include "postproc/io/atomic_file.hpp"
#include "postproc/io/tabulate.hpp"

namespace cposim::cases {
namespace {

constexpr double kNmPerM = 1e9;
constexpr double kMWPerW = 1e3;

/// One quantity of one device kind over time: the table it goes to, the devices, their values,
/// its SI column suffix (results.h5) and its CSV suffix and scale (photonics.csv; unit shown).
struct Quantity {
  const char* table;
  const std::vector<std::string>* names;
  const std::vector<std::vector<double>>* values;
  const char* suffix;
  const char* csv_suffix;  ///< nullptr: not in photonics.csv
  double csv_scale;
};

std::vector<Quantity> quantities(const TransientPhotonicsSeries& s) {
  return {
      {"rings", &s.ring_names, &s.ring_T_K, "T_K", "T_K", 1.0},
      {"rings", &s.ring_names, &s.ring_detuning_m, "detuning_m", "detuning_nm", kNmPerM},
      {"rings", &s.ring_names, &s.ring_heater_W, "heater_W", "heater_mW", kMWPerW},
      {"lasers", &s.laser_names, &s.laser_junction_T_K, "junction_T_K", "junction_T_K", 1.0},
      {"lasers", &s.laser_names, &s.laser_lambda_m, "lambda_m", "lambda_nm", kNmPerM},
      {"lasers", &s.laser_names, &s.laser_optical_W, "optical_W", nullptr, 1.0},
      {"lasers", &s.laser_names, &s.laser_heat_W, "heat_W", nullptr, 1.0},
      {"lasers", &s.laser_names, &s.laser_window_margin_m, "window_margin_m", "window_margin_nm",
       kNmPerM},
      {"waveguides", &s.path_names, &s.path_T_mean_K, "T_mean_K", nullptr, 1.0},
      {"waveguides", &s.path_names, &s.path_phase_rad, "phase_rad", "phase_rad", 1.0},
      {"waveguides", &s.mzi_names, &s.mzi_imbalance_rad, "imbalance_rad", "imbalance_rad", 1.0}};
}

}  // namespace

void add_transient_photonics_results(const TransientPhotonicsSeries& s,
                                     const std::vector<double>& times_s,
                                     postproc::ResultsContent& content) {
  for (const char* table : {"rings", "lasers", "waveguides"}) {
    std::vector<postproc::Hdf5Column> columns{{"t_s", times_s}};
    for (const auto& q : quantities(s))
      if (std::string(q.table) == table)
        for (std::size_t i = 0; i < q.names->size(); ++i)
          columns.push_back({(*q.names)[i] + "_" + q.suffix, (*q.values)[i]});
    content.tables.push_back({"transient", table, std::move(columns)});
  }

  content.tables.push_back(postproc::tabulate(
      "transient", "ring_lock",
      {"name", "control", "pi_period_s", "lock_tolerance_m", "max_abs_detuning_m",
       "time_out_of_lock_s", "time_at_heater_limit_s", "heater_energy_J", "pass"},
      s.rings, [](const auto& r) {
        return std::tuple{r.name,
                          r.control,
                          r.period_s,
                          r.lock_tolerance_m,
                          r.stats.max_abs_detuning_m,
                          r.stats.time_out_of_lock_s,
                          r.stats.time_at_limit_s,
                          r.stats.heater_energy_J,
                          r.pass()};
      }));
  content.tables.push_back(
      postproc::tabulate("transient", "laser_windows",
                         {"name", "time_outside_window_s", "worst_window_margin_m", "pass"},
                         s.lasers, [](const auto& l) {
                           return std::tuple{l.name, l.time_outside_s, l.worst_margin_m, l.pass()};
                         }));
}

void write_transient_photonics_csv(const std::string& path, const TransientPhotonicsSeries& s,
                                   const std::vector<double>& times_s) {
  std::vector<std::pair<std::string, const Quantity*>> columns;  // header, quantity
  std::vector<std::size_t> device;
  const std::vector<Quantity> all = quantities(s);
  for (const auto& q : all)
    if (q.csv_suffix != nullptr)
      for (std::size_t i = 0; i < q.names->size(); ++i) {
        columns.push_back({(*q.names)[i] + "_" + q.csv_suffix, &q});
        device.push_back(i);
      }
  std::string text = "t_s";
  for (const auto& c : columns) text += "," + c.first;
  text += "\n";
  for (std::size_t i = 0; i < times_s.size(); ++i) {
    text += fmt::format("{:.10g}", times_s[i]);
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const Quantity& q = *columns[c].second;
      text += fmt::format(",{:.10g}", (*q.values)[device[c]][i] * q.csv_scale);
    }
    text += "\n";
  }
  postproc::write_file_atomically(path, text);
}

std::string format_transient_photonics(const TransientPhotonicsSeries& s) {
  std::string text = fmt::format(
      "  ring lock over the run ({} rings; histories in photonics.csv)\n", s.rings.size());
  text += fmt::format("  {:<16} {:>7} {:>12} {:>10} {:>13} {:>12} {:>11}\n", "ring", "control",
                      "max |Δλ| nm", "tol nm", "out of lock s", "at limit s", "energy mJ");
  for (const auto& r : s.rings)
    text +=
        fmt::format("  {:<16} {:>7} {:>12.4f} {:>10.4f} {:>13.4g} {:>12.4g} {:>11.4g}{}\n", r.name,
                    r.control, r.stats.max_abs_detuning_m * kNmPerM, r.lock_tolerance_m * kNmPerM,
                    r.stats.time_out_of_lock_s, r.stats.time_at_limit_s,
                    r.stats.heater_energy_J * kMWPerW, r.pass() ? "" : "  LOCK LOST");
  for (const auto& l : s.lasers)
    if (l.has_window)
      text += fmt::format("  laser {:<16} outside its window {:.4g} s, worst margin {:.4f} nm{}\n",
                          l.name, l.time_outside_s, l.worst_margin_m * kNmPerM,
                          l.pass() ? "" : "  OUT OF WINDOW");
  return text;
}

}  // namespace cposim::cases
