/// \file
/// The photonic ↔ thermal fixed-point loop: device power → solve → evaluate → judge, then the
/// crosstalk solves. The devices are in photonics_device_set.cpp, the results tables in
/// photonics_results.cpp, the text outputs in photonics_format.cpp.
#include "cases/run/photonics_coupling.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>

#include "cases/run/photonics_device_set.hpp"

namespace cposim::cases {

std::string to_string(CouplingStatus status) {
  static constexpr std::array<const char*, 7> kNames = {
      "converged", "open_loop",     "tuning_range_exhausted", "oscillation",
      "diverging", "not_converged", "solver_failed"};  // in enum order
  const auto i = static_cast<std::size_t>(status);
  return i < kNames.size() ? kNames[i] : "unknown";
}

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// max |new − old| / max |new| (0 when both are 0; 1 when only the change is non-zero).
double relative_change(const std::vector<double>& old_values,
                       const std::vector<double>& new_values) {
  double change = 0.0, scale = 0.0;
  for (std::size_t i = 0; i < new_values.size(); ++i) {
    change = std::max(change, std::abs(new_values[i] - old_values[i]));
    scale = std::max(scale, std::abs(new_values[i]));
  }
  if (change == 0.0) return 0.0;
  return scale > 0.0 ? change / scale : 1.0;
}

void add_times(PhotonicsReport& report, const solver::SolveReport& s) {
  report.assembly_s += s.assembly_s;
  report.setup_s += s.setup_s;
  report.solve_s += s.solve_s;
  report.linear_iterations += s.linear_iterations;
  report.linear_solves += s.linear_solves;
}

double sum(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0); }

std::string percent(double fraction) { return fmt::format("{:.3g} %", 100.0 * fraction); }

/// First guess of the laser heat: each laser at its reference temperature.
std::vector<double> initial_laser_heat(const PhotonicsDeviceSet& devices) {
  std::vector<double> laser_heat_W(devices.lasers.size(), 0.0);
  for (std::size_t k = 0; k < devices.lasers.size(); ++k)
    if (!devices.lasers[k].external)
      laser_heat_W[k] =
          postproc::evaluate_laser(devices.lasers[k].model, devices.lasers[k].model.T_ref_K).heat_W;
  return laser_heat_W;
}

/// Puts the device heat into the cell power by its difference to the last pass, so what the
/// iterate hook adds (leakage P(T)) stays in place.
void apply_device_power(const PhotonicsDeviceSet& devices, const std::vector<double>& heater_W,
                        const std::vector<double>& laser_heat_W, BuiltProblem& built,
                        PhotonicsReport& report) {
  std::vector<double> device_W = devices.device_power(heater_W, laser_heat_W);
  const bool first = report.device_cell_power_W.empty();
  for (std::size_t c = 0; c < built.cell_power_W.size(); ++c)
    built.cell_power_W[c] += device_W[c] - (first ? 0.0 : report.device_cell_power_W[c]);
  report.device_cell_power_W = std::move(device_W);
}

/// One iteration's record: the new powers, their change and the ring temperatures.
CouplingStep coupling_step(int iteration, const PhotonicsDeviceSet& devices,
                           const std::vector<double>& heater_W,
                           const std::vector<double>& new_heater_W,
                           const std::vector<double>& laser_heat_W,
                           const std::vector<double>& new_laser_heat_W,
                           const solver::SolveReport& solve) {
  CouplingStep step;
  step.iteration = iteration;
  step.heater_W = sum(new_heater_W);
  step.laser_heat_W = sum(new_laser_heat_W);
  step.change = std::max(relative_change(heater_W, new_heater_W),
                         relative_change(laser_heat_W, new_laser_heat_W));
  step.linear_iterations = solve.linear_iterations;
  step.max_ring_T_K = kNaN;
  for (const auto& r : devices.rings) {
    step.max_ring_T_K =
        std::isnan(step.max_ring_T_K) ? r.state.T_K : std::max(step.max_ring_T_K, r.state.T_K);
    if (!r.state.in_range) ++step.out_of_range;
  }
  return step;
}

/// Whether the loop stops after the last step of report.history (`flip`: a ring's order came
/// back); if so, sets report.status and report.message.
bool loop_verdict(const CouplingSpec& coupling, bool flip, PhotonicsReport& report) {
  const auto& h = report.history;
  const CouplingStep& step = h.back();
  const int iteration = step.iteration;
  if (!coupling.enabled) {
    report.status = CouplingStatus::open_loop;
    report.message =
        "evaluated once on the field without heater power ([coupling] enabled = "
        "false)";
  } else if (step.change <= coupling.tolerance) {
    report.status =
        step.out_of_range > 0 ? CouplingStatus::tuning_range_exhausted : CouplingStatus::converged;
    report.message = "heater and laser powers settled (last change " + percent(step.change) +
                     " <= tolerance " + percent(coupling.tolerance) + ")";
    if (step.out_of_range > 0)
      report.message = std::to_string(step.out_of_range) +
                       " ring(s) need more than their heater_max to re-lock (tuning range "
                       "exhausted); " +
                       report.message;
  } else if (flip) {
    report.status = CouplingStatus::oscillation;
    report.message =
        "a ring's resonance order flips back and forth between coupling "
        "iterations (the re-lock wraps by one FSR and back): no fixed point";
  } else if (iteration >= 4 && step.change > h[h.size() - 2].change &&
             h[h.size() - 2].change > h[h.size() - 3].change) {
    report.status = CouplingStatus::diverging;
    report.message = "the heater/laser power change grows from iteration to iteration (" +
                     percent(step.change) + " at iteration " + std::to_string(iteration) +
                     "): positive thermal feedback";
  } else if (iteration >= 5 && step.change > 0.9 * h[h.size() - 3].change &&
             h[h.size() - 2].change > 0.9 * h[h.size() - 4].change) {
    report.status = CouplingStatus::oscillation;
    report.message = "the heater/laser powers swing between iterations without settling (" +
                     percent(step.change) + " change at iteration " + std::to_string(iteration) +
                     "): the package heat of the heaters outweighs their tuning";
  } else if (iteration >= coupling.max_iterations) {
    report.status = CouplingStatus::not_converged;
    report.message =
        "no fixed point within max_iterations = " + std::to_string(coupling.max_iterations) +
        " (last change " + percent(step.change) + ", tolerance " + percent(coupling.tolerance) +
        ")";
  } else {
    return false;
  }
  return true;
}

/// Outer (Picard) tolerance of a coupling iterate whose heater and laser power will change
/// again after it, kelvin: its field only sets the next device power. At 1 mK the ring
/// temperatures, and so the heater power (0.07 nm/K against a tuning of ~0.2 nm/mW), move by
/// far less than the loop's tolerance; the last iterate is solved to the case's own tolerance.
constexpr double kLooseIteratePicardTolerance_K = 1e-3;

/// Whether iterate `iteration` (1-based) may be solved loosely: not the last one allowed, not
/// forced tight, and the last two changes of `history`, contracting at their ratio, do not
/// predict that this iterate settles the loop.
bool loose_iterate(const CouplingSpec& coupling, const std::vector<CouplingStep>& history,
                   int iteration, bool force_tight) {
  if (!coupling.enabled || force_tight || iteration >= coupling.max_iterations) return false;
  if (history.size() < 2) return true;
  const double last = history.back().change, before = history[history.size() - 2].change;
  if (!(before > 0.0) || !(last < before)) return true;  // not contracting: not the last
  return last * (last / before) > coupling.tolerance;
}

/// Crosstalk: one extra solve per heater with its power raised by a small step, from the
/// converged field (warm start, same solver: with constant k the set-up is reused).
void measure_crosstalk(const CouplingSpec& coupling, const PhotonicsDeviceSet& devices,
                       const solver::ThermalProblem& problem, solver::SteadySolver& steady,
                       const std::vector<double>& T_K, BuiltProblem& built,
                       PhotonicsReport& report) {
  const auto& grid = *built.grid;
  const std::size_t n = devices.rings.size();
  const mesh::CellField T0{&grid, "temperature_K", T_K};
  const auto T_base = devices.ring_temperatures(T0);
  const std::vector<double> power = built.cell_power_W;
  report.crosstalk_K_per_W.assign(n * n, 0.0);
  for (std::size_t j = 0; j < n; ++j) {
    built.cell_power_W = power;
    deposit(built.cell_power_W, devices.live_rings[j].heater,
            devices.live_rings[j].heater_volume_m3, coupling.crosstalk_step_W);
    std::vector<double> T_j = T_K;
    const auto s = steady.solve(problem, T_j);
    add_times(report, s);
    const auto T_rings = devices.ring_temperatures(mesh::CellField{&grid, "temperature_K", T_j});
    for (std::size_t i = 0; i < n; ++i)
      report.crosstalk_K_per_W[i * n + j] = (T_rings[i] - T_base[i]) / coupling.crosstalk_step_W;
  }
  built.cell_power_W = power;
}

/// Bank summaries and totals; moves the device results into the report.
void finish_report(PhotonicsDeviceSet& devices, PhotonicsReport& report) {
  devices.summarise_banks();
  report.total_heater_W = 0.0;
  for (const auto& r : devices.rings) {
    report.total_heater_W += r.state.heater_W;
    report.open_loop_heater_W += r.open_loop_heater_W;
  }
  take_device_results(std::move(devices), report);
}

}  // namespace

PhotonicsReport run_photonics_coupling(const CaseSpec& spec, BuiltProblem& built,
                                       solver::SteadySolver& steady, std::vector<double>& T_K,
                                       const std::function<void(const CouplingStep&)>& on_step,
                                       const solver::IterateHook& hook) {
  const auto& grid = *built.grid;
  const auto& coupling = spec.photonics.coupling;
  PhotonicsDeviceSet devices(spec, grid);
  PhotonicsReport report;
  report.tolerance = coupling.tolerance;

  std::vector<double> heater_W(devices.rings.size(), 0.0);
  std::vector<double> laser_heat_W = initial_laser_heat(devices);
  solver::ThermalProblem problem = built.problem();  // points at built.cell_power_W
  std::vector<double> new_heater_W, new_laser_heat_W;
  const double picard_tolerance_K = steady.picard_tolerance();
  bool done = false, force_tight = false;
  for (int iteration = 1; !done; ++iteration) {
    apply_device_power(devices, heater_W, laser_heat_W, built, report);
    // Inexact outer iterates: loose while the device power will change again; a loop that
    // ends on a loose iterate takes one more, tight, so the field returned meets the case's
    // tolerance.
    const bool loose = loose_iterate(coupling, report.history, iteration, force_tight);
    steady.set_picard_tolerance(loose ? std::max(picard_tolerance_K, kLooseIteratePicardTolerance_K)
                                      : picard_tolerance_K);
    steady.set_intermediate_fields(loose);
    report.last_solve = steady.solve(problem, T_K, hook);
    add_times(report, report.last_solve);
    report.iterations = iteration;
    report.laser_heat_W = sum(laser_heat_W);
    if (!report.last_solve.converged || !report.last_solve.all_finite) {
      report.status = CouplingStatus::solver_failed;
      report.message = "the thermal solve of coupling iteration " + std::to_string(iteration) +
                       " did not converge";
      break;
    }
    const mesh::CellField T{&grid, "temperature_K", T_K};
    if (iteration == 1) devices.compute_self_responses(problem, T_K);
    devices.evaluate(T, heater_W, new_heater_W, new_laser_heat_W);
    if (iteration == 1)
      for (auto& r : devices.rings) r.open_loop_heater_W = r.state.heater_W;
    const CouplingStep step = coupling_step(iteration, devices, heater_W, new_heater_W,
                                            laser_heat_W, new_laser_heat_W, report.last_solve);
    report.history.push_back(step);
    if (on_step) on_step(step);
    const bool flip = devices.order_flip_flop();
    done = loop_verdict(coupling, flip, report);
    if (done && loose) {
      done = false;
      force_tight = true;
    }
    if (!done) {
      heater_W = new_heater_W;
      laser_heat_W = new_laser_heat_W;
    }
  }

  steady.set_picard_tolerance(picard_tolerance_K);
  steady.set_intermediate_fields(false);
  if (coupling.crosstalk && report.last_solve.converged && !devices.rings.empty())
    measure_crosstalk(coupling, devices, problem, steady, T_K, built, report);
  finish_report(devices, report);
  return report;
}

}  // namespace cposim::cases
