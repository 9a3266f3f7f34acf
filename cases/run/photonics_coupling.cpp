/// \file
/// Device resolution, the photonic ↔ thermal fixed-point loop, results tables and summary.
#include "cases/run/photonics_coupling.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <numeric>
#include <sstream>
#include <stdexcept>

#include "cases/run/heater_self.hpp"

namespace cposim::cases {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
/// Si strip defaults for the ring index route when a key is absent (physics.md §2.2, D/L):
/// n_g ≈ 4.2 and dn_eff/dT ≈ 1.9e-4 /K.
constexpr double kSiGroupIndex = 4.2;
constexpr double kSiDnEffDT_per_K = 1.9e-4;

}  // namespace

std::string to_string(CouplingStatus status) {
  switch (status) {
    case CouplingStatus::converged:
      return "converged";
    case CouplingStatus::open_loop:
      return "open_loop";
    case CouplingStatus::tuning_range_exhausted:
      return "tuning_range_exhausted";
    case CouplingStatus::oscillation:
      return "oscillation";
    case CouplingStatus::diverging:
      return "diverging";
    case CouplingStatus::not_converged:
      return "not_converged";
    case CouplingStatus::solver_failed:
      return "solver_failed";
  }
  return "unknown";
}

// ---------------------------------------------------------------------------------------------
// The loop

namespace {

/// A ring element with everything the loop needs.
struct LiveRing {
  std::vector<postproc::CellOverlap> footprint, heater;
  mesh::Box heater_box;
  double heater_volume_m3 = 0.0;
  int laser = -1;               ///< index into the live lasers (tracked), or −1
  double fixed_target_m = 0.0;  ///< when not tracking a laser
  std::vector<int> orders_seen;
};

struct LiveLaser {
  std::vector<postproc::CellOverlap> stripe;
  double volume_m3 = 0.0;
};

double volume_of(const std::vector<postproc::CellOverlap>& overlaps) {
  double v = 0.0;
  for (const auto& o : overlaps) v += o.volume_m3;
  return v;
}

/// Adds `power_W` to `cells` over `overlaps`, in proportion to the overlapped volume.
void deposit(std::vector<double>& cells, const std::vector<postproc::CellOverlap>& overlaps,
             double volume_m3, double power_W) {
  if (power_W == 0.0) return;
  for (const auto& o : overlaps) cells[o.cell] += power_W * o.volume_m3 / volume_m3;
}

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

/// Resolves every device of the spec on the grid: models, targets, footprints.
class Devices {
 public:
  Devices(const CaseSpec& spec, const mesh::RectilinearGrid& grid) : grid_(grid) {
    const auto& p = spec.photonics;
    std::map<std::string, std::pair<int, int>> laser_entries;  // name → (first index, count)
    for (const auto& l : p.lasers) {
      laser_entries[l.name] = {static_cast<int>(lasers.size()), l.count};
      const auto g = l.channel ? find_grid(p, l.channel->grid.name) : std::nullopt;
      for (int i = 0; i < l.count; ++i) {
        LaserResult r;
        r.name = element_name(l.name, i, l.count);
        r.entry = l.name;
        r.external = l.external;
        r.model.T_ref_K = l.T_ref_K;
        r.model.drift_m_per_K = laser_drift_m_per_K(l);
        r.model.threshold_A = l.threshold_A;
        r.model.T0_K = l.T0_K;
        r.model.slope_W_per_A = l.slope_W_per_A;
        r.model.T1_K = l.T1_K;
        r.model.current_A = l.current_A;
        r.model.voltage_V = l.voltage_V;
        r.model.R_th_jc_K_per_W = l.R_th_jc_K_per_W;
        if (g) {
          r.grid = l.channel->grid.name;
          r.channel = l.channel->channel + i * l.channel->channel_step;
          r.window = g->channels.at(static_cast<std::size_t>(r.channel));
          r.has_window = true;
          r.model.lambda0_m = r.window.centre_m + l.lambda0_offset_m;
        } else {
          r.model.lambda0_m = *l.lambda0_m;
        }
        LiveLaser live;
        if (l.external) {
          r.center_m = {kNaN, kNaN, kNaN};
        } else {
          r.center_m = element_centre(l.center_m, l.pitch_m, i);
          live.stripe = postproc::box_overlaps(grid, laser_box(l, i));
          live.volume_m3 = volume_of(live.stripe);
        }
        external_T_K.push_back(l.external ? l.external_T_K : kNaN);
        lasers.push_back(r);
        live_lasers.push_back(std::move(live));
      }
    }
    for (const auto& rs : p.rings) {
      const auto g = rs.channel ? find_grid(p, rs.channel->grid.name) : std::nullopt;
      BankResult bank;
      bank.name = rs.name;
      bank.count = rs.count;
      banks.push_back(bank);
      bank_first.push_back(rings.size());
      for (int i = 0; i < rs.count; ++i) {
        RingResult r;
        LiveRing live;
        r.name = element_name(rs.name, i, rs.count);
        r.entry = rs.name;
        r.index = i;
        r.center_m = element_centre(rs.center_m, rs.pitch_m, i);
        // Target at T_ref, and the wavelength the ring locks to.
        double target_at_ref = 0.0;
        if (rs.laser) {
          const auto [first, count] = laser_entries.at(rs.laser->name);
          live.laser = first + (count == 1 ? 0 : i);
          const auto& laser = lasers[static_cast<std::size_t>(live.laser)];
          r.laser = laser.name;
          r.grid = laser.grid;
          r.channel = laser.channel;
          target_at_ref = laser.model.lambda0_m;
        } else if (g) {
          r.grid = rs.channel->grid.name;
          r.channel = rs.channel->channel + i * rs.channel->channel_step;
          target_at_ref = g->channels.at(static_cast<std::size_t>(r.channel)).centre_m;
        } else if (rs.target_m) {
          target_at_ref = *rs.target_m;
        }
        const bool has_target = rs.laser || g || rs.target_m;
        r.model.lambda0_m = rs.lambda0_m ? *rs.lambda0_m : target_at_ref + *rs.lambda0_offset_m;
        live.fixed_target_m = has_target ? target_at_ref : r.model.lambda0_m;
        r.model.T_ref_K = rs.T_ref_K;
        const double lambda = r.model.lambda0_m;
        const double n_g = rs.group_index.value_or(kSiGroupIndex);
        if (rs.drift_m_per_K) {
          r.model.drift_m_per_K = *rs.drift_m_per_K;
        } else if (!rs.confinement.empty()) {
          std::vector<postproc::ConfinementTerm> terms;
          for (const auto& c : rs.confinement)
            terms.push_back(
                {c.confinement,
                 c.dn_dT_per_K.value_or(postproc::builtin_dn_dT_per_K(c.material).value_or(0.0))});
          r.model.drift_m_per_K = postproc::ring_drift_m_per_K(
              lambda, n_g, terms, rs.effective_index, rs.expansion_per_K);
        } else {
          r.model.drift_m_per_K = lambda / n_g * kSiDnEffDT_per_K;
        }
        if (rs.fsr_m)
          r.model.fsr_m = *rs.fsr_m;
        else if (rs.radius_m)
          r.model.fsr_m = postproc::ring_fsr_m(lambda, n_g, *rs.radius_m);
        r.model.loaded_Q = ring_loaded_Q(rs);
        r.model.heater_efficiency_m_per_W = rs.heater_efficiency_m_per_W;
        r.model.heater_max_W = rs.heater_max_W;
        r.laser_detuning_m = kNaN;
        live.footprint = postproc::box_overlaps(grid, ring_box(rs, i));
        live.heater_box = heater_box(rs, i);
        live.heater = postproc::box_overlaps(grid, live.heater_box);
        live.heater_volume_m3 = volume_of(live.heater);
        ring_bank.push_back(banks.size() - 1);
        rings.push_back(r);
        live_rings.push_back(std::move(live));
      }
    }
    for (const auto& w : p.waveguides) add_path(w.name, "waveguide", w.path, w.optics);
    for (const auto& m : p.mzis) {
      MziResult r;
      r.name = m.name;
      r.arm_a = paths.size();
      add_path(m.name + ".a", "mzi_arm", m.arm_a, m.optics);
      r.arm_b = paths.size();
      add_path(m.name + ".b", "mzi_arm", m.arm_b, m.optics);
      mzis.push_back(r);
    }
  }

  /// Evaluates lasers then rings on `T`, each ring without its own heater's near field (its
  /// self-response times `own_W`, the power its heater had in `T`: cases/run/heater_self.hpp);
  /// returns the new heater powers and laser heat.
  void evaluate(const mesh::CellField& T, const std::vector<double>& own_W,
                std::vector<double>& heater_W, std::vector<double>& laser_heat_W) {
    laser_heat_W.assign(lasers.size(), 0.0);
    for (std::size_t k = 0; k < lasers.size(); ++k) {
      const double T_laser = lasers[k].external
                                 ? external_T_K[k]
                                 : postproc::overlap_average(T, live_lasers[k].stripe);
      lasers[k].state = postproc::evaluate_laser(lasers[k].model, T_laser);
      if (lasers[k].has_window)
        lasers[k].window_margin_m =
            postproc::window_margin_m(lasers[k].window, lasers[k].state.lambda_m);
      if (!lasers[k].external) laser_heat_W[k] = lasers[k].state.heat_W;
    }
    heater_W.assign(rings.size(), 0.0);
    for (std::size_t i = 0; i < rings.size(); ++i) {
      auto& r = rings[i];
      const auto& live = live_rings[i];
      const double T_ring =
          postproc::overlap_average(T, live.footprint) - r.heater_self_K_per_W * own_W[i];
      const double target = live.laser >= 0
                                ? lasers[static_cast<std::size_t>(live.laser)].state.lambda_m
                                : live.fixed_target_m;
      r.state = postproc::evaluate_ring(r.model, T_ring, target);
      if (live.laser >= 0) r.laser_detuning_m = target - r.state.resonance_m;
      heater_W[i] = r.state.heater_W;
    }
    for (auto& p : paths) {
      p.state = postproc::evaluate_waveguide(T, p.pieces, p.optics);
      p.piece_T_K.clear();
      for (const auto& piece : p.pieces) p.piece_T_K.push_back(T.values[piece.cell]);
    }
    for (auto& m : mzis) {
      m.imbalance_rad = paths[m.arm_a].state.phase_rad - paths[m.arm_b].state.phase_rad;
      m.arm_dT_K = paths[m.arm_a].state.path.T_mean_K - paths[m.arm_b].state.path.T_mean_K;
    }
  }

  /// Heater and laser heat per cell.
  std::vector<double> device_power(const std::vector<double>& heater_W,
                                   const std::vector<double>& laser_heat_W) const {
    std::vector<double> cells(grid_.num_cells(), 0.0);
    for (std::size_t i = 0; i < rings.size(); ++i)
      deposit(cells, live_rings[i].heater, live_rings[i].heater_volume_m3, heater_W[i]);
    for (std::size_t k = 0; k < lasers.size(); ++k)
      if (!lasers[k].external)
        deposit(cells, live_lasers[k].stripe, live_lasers[k].volume_m3, laser_heat_W[k]);
    return cells;
  }

  /// Each ring's near-field rise per watt in its own heater on the field `T_K`.
  void compute_self_responses(const solver::ThermalProblem& problem,
                              const std::vector<double>& T_K) {
    std::vector<mesh::Box> boxes;
    std::vector<std::vector<postproc::CellOverlap>> heaters, footprints;
    for (const auto& live : live_rings) {
      boxes.push_back(live.heater_box);
      heaters.push_back(live.heater);
      footprints.push_back(live.footprint);
    }
    const auto R = heater_self_responses_K_per_W(problem, T_K, boxes, heaters, footprints);
    for (std::size_t i = 0; i < rings.size(); ++i) rings[i].heater_self_K_per_W = R[i];
  }

  /// Footprint temperature of every ring on `T`.
  std::vector<double> ring_temperatures(const mesh::CellField& T) const {
    std::vector<double> out;
    for (const auto& live : live_rings) out.push_back(postproc::overlap_average(T, live.footprint));
    return out;
  }

  /// Records each ring's resonance order; true if one returned to an order it had left.
  bool order_flip_flop() {
    bool flip = false;
    for (std::size_t i = 0; i < rings.size(); ++i) {
      auto& seen = live_rings[i].orders_seen;
      const int order = rings[i].state.order;
      if (!seen.empty() && seen.back() != order &&
          std::find(seen.begin(), seen.end(), order) != seen.end())
        flip = true;
      if (seen.empty() || seen.back() != order) seen.push_back(order);
    }
    return flip;
  }

  void summarise_banks() {
    for (std::size_t b = 0; b < banks.size(); ++b) {
      auto& bank = banks[b];
      std::vector<double> T;
      bank.heater_W = bank.open_loop_heater_W = bank.worst_drift_m = 0.0;
      bank.worst_margin_m = std::numeric_limits<double>::infinity();
      bank.out_of_range = 0;
      for (std::size_t i = bank_first[b]; i < bank_first[b] + static_cast<std::size_t>(bank.count);
           ++i) {
        const auto& r = rings[i];
        T.push_back(r.state.T_K);
        bank.heater_W += r.state.heater_W;
        bank.open_loop_heater_W += r.open_loop_heater_W;
        bank.worst_drift_m = std::max(bank.worst_drift_m, std::abs(r.state.drift_m));
        bank.worst_margin_m = std::min(bank.worst_margin_m, r.state.margin_m);
        if (!r.state.in_range) ++bank.out_of_range;
      }
      bank.T_min_K = *std::min_element(T.begin(), T.end());
      bank.T_max_K = *std::max_element(T.begin(), T.end());
      bank.gradient_K = postproc::spread(T);
    }
  }

  std::vector<RingResult> rings;
  std::vector<BankResult> banks;
  std::vector<LaserResult> lasers;
  std::vector<PathResult> paths;
  std::vector<MziResult> mzis;
  std::vector<LiveRing> live_rings;
  std::vector<LiveLaser> live_lasers;
  std::vector<double> external_T_K;
  std::vector<std::size_t> ring_bank;   ///< bank index of each ring
  std::vector<std::size_t> bank_first;  ///< first ring of each bank

 private:
  void add_path(const std::string& name, const std::string& kind, const PathSpec& path,
                const WaveguideOpticsSpec& o) {
    PathResult r;
    r.name = name;
    r.kind = kind;
    r.optics = postproc::platform_defaults(o.platform == "SiN" ? postproc::Platform::sin
                                                               : postproc::Platform::si);
    if (o.dn_eff_dT_per_K) r.optics.dn_eff_dT_per_K = *o.dn_eff_dT_per_K;
    if (o.group_index) r.optics.group_index = *o.group_index;
    if (o.loss_dB_per_m) r.optics.loss_dB_per_m = *o.loss_dB_per_m;
    r.optics.wavelength_m = o.wavelength_m;
    r.optics.T_ref_K = o.T_ref_K;
    r.pieces = postproc::path_pieces(grid_, path.points_m);
    if (r.pieces.empty())
      throw std::invalid_argument("photonics: path '" + name + "' has no length");
    paths.push_back(std::move(r));
  }

  const mesh::RectilinearGrid& grid_;
};

void add_times(PhotonicsReport& report, const solver::SolveReport& s) {
  report.assembly_s += s.assembly_s;
  report.setup_s += s.setup_s;
  report.solve_s += s.solve_s;
  report.linear_iterations += s.linear_iterations;
}

double sum(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0); }

std::string percent(double fraction) { return fmt::format("{:.3g} %", 100.0 * fraction); }

}  // namespace

PhotonicsReport run_photonics_coupling(const CaseSpec& spec, BuiltProblem& built,
                                       solver::SteadySolver& steady, std::vector<double>& T_K,
                                       const std::function<void(const CouplingStep&)>& on_step,
                                       const solver::IterateHook& hook) {
  const auto& grid = *built.grid;
  const auto& coupling = spec.photonics.coupling;
  Devices devices(spec, grid);
  PhotonicsReport report;
  report.tolerance = coupling.tolerance;

  std::vector<double> heater_W(devices.rings.size(), 0.0);
  // First guess of the laser heat: each laser at its reference temperature.
  std::vector<double> laser_heat_W(devices.lasers.size(), 0.0);
  for (std::size_t k = 0; k < devices.lasers.size(); ++k)
    if (!devices.lasers[k].external)
      laser_heat_W[k] =
          postproc::evaluate_laser(devices.lasers[k].model, devices.lasers[k].model.T_ref_K).heat_W;

  solver::ThermalProblem problem = built.problem();  // points at built.cell_power_W
  std::vector<double> new_heater_W, new_laser_heat_W;
  bool done = false;
  for (int iteration = 1; !done; ++iteration) {
    // Device heat changes the cell power by its difference to the last pass, so what `hook`
    // adds (leakage P(T)) stays in place.
    std::vector<double> device_W = devices.device_power(heater_W, laser_heat_W);
    const bool first = report.device_cell_power_W.empty();
    for (std::size_t c = 0; c < built.cell_power_W.size(); ++c)
      built.cell_power_W[c] += device_W[c] - (first ? 0.0 : report.device_cell_power_W[c]);
    report.device_cell_power_W = std::move(device_W);
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
    CouplingStep step;
    step.iteration = iteration;
    step.heater_W = sum(new_heater_W);
    step.laser_heat_W = sum(new_laser_heat_W);
    step.change = std::max(relative_change(heater_W, new_heater_W),
                           relative_change(laser_heat_W, new_laser_heat_W));
    step.linear_iterations = report.last_solve.linear_iterations;
    step.max_ring_T_K = kNaN;
    for (const auto& r : devices.rings) {
      step.max_ring_T_K =
          std::isnan(step.max_ring_T_K) ? r.state.T_K : std::max(step.max_ring_T_K, r.state.T_K);
      if (!r.state.in_range) ++step.out_of_range;
    }
    report.history.push_back(step);
    if (on_step) on_step(step);
    const bool flip = devices.order_flip_flop();

    if (!coupling.enabled) {
      report.status = CouplingStatus::open_loop;
      report.message =
          "evaluated once on the field without heater power ([coupling] enabled = "
          "false)";
      done = true;
    } else if (step.change <= coupling.tolerance) {
      report.status = step.out_of_range > 0 ? CouplingStatus::tuning_range_exhausted
                                            : CouplingStatus::converged;
      report.message = "heater and laser powers settled (last change " + percent(step.change) +
                       " <= tolerance " + percent(coupling.tolerance) + ")";
      if (step.out_of_range > 0)
        report.message = std::to_string(step.out_of_range) +
                         " ring(s) need more than their heater_max to re-lock (tuning range "
                         "exhausted); " +
                         report.message;
      done = true;
    } else if (flip) {
      report.status = CouplingStatus::oscillation;
      report.message =
          "a ring's resonance order flips back and forth between coupling "
          "iterations (the re-lock wraps by one FSR and back): no fixed point";
      done = true;
    } else if (iteration >= 4 && step.change > report.history[report.history.size() - 2].change &&
               report.history[report.history.size() - 2].change >
                   report.history[report.history.size() - 3].change) {
      report.status = CouplingStatus::diverging;
      report.message = "the heater/laser power change grows from iteration to iteration (" +
                       percent(step.change) + " at iteration " + std::to_string(iteration) +
                       "): positive thermal feedback";
      done = true;
    } else if (iteration >= 5 &&
               step.change > 0.9 * report.history[report.history.size() - 3].change &&
               report.history[report.history.size() - 2].change >
                   0.9 * report.history[report.history.size() - 4].change) {
      report.status = CouplingStatus::oscillation;
      report.message = "the heater/laser powers swing between iterations without settling (" +
                       percent(step.change) + " change at iteration " + std::to_string(iteration) +
                       "): the package heat of the heaters outweighs their tuning";
      done = true;
    } else if (iteration >= coupling.max_iterations) {
      report.status = CouplingStatus::not_converged;
      report.message =
          "no fixed point within max_iterations = " + std::to_string(coupling.max_iterations) +
          " (last change " + percent(step.change) + ", tolerance " + percent(coupling.tolerance) +
          ")";
      done = true;
    }
    if (!done) {
      heater_W = new_heater_W;
      laser_heat_W = new_laser_heat_W;
    }
  }

  // Crosstalk: one extra solve per heater with its power raised by a small step, from the
  // converged field (warm start, same solver: with constant k the set-up is reused).
  if (coupling.crosstalk && report.last_solve.converged && !devices.rings.empty()) {
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

  devices.summarise_banks();
  report.total_heater_W = 0.0;
  for (const auto& r : devices.rings) {
    report.total_heater_W += r.state.heater_W;
    report.open_loop_heater_W += r.open_loop_heater_W;
  }
  report.rings = std::move(devices.rings);
  report.banks = std::move(devices.banks);
  report.lasers = std::move(devices.lasers);
  report.paths = std::move(devices.paths);
  report.mzis = std::move(devices.mzis);
  return report;
}

// ---------------------------------------------------------------------------------------------
// Results

namespace {

using postproc::Hdf5Column;

template <typename Row, typename F>
std::vector<double> column(const std::vector<Row>& rows, F f) {
  std::vector<double> out;
  for (const auto& r : rows) out.push_back(static_cast<double>(f(r)));
  return out;
}
template <typename Row, typename F>
std::vector<std::string> text_column(const std::vector<Row>& rows, F f) {
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(f(r));
  return out;
}
template <typename Row, typename F>
std::vector<std::int32_t> int_column(const std::vector<Row>& rows, F f) {
  std::vector<std::int32_t> out;
  for (const auto& r : rows) out.push_back(static_cast<std::int32_t>(f(r)));
  return out;
}

constexpr double kNm = 1e9;

}  // namespace

void add_photonics_results(const PhotonicsReport& report, const mesh::RectilinearGrid& grid,
                           postproc::ResultsContent& content) {
  const auto& R = report.rings;
  content.tables.push_back(
      {"photonics",
       "rings",
       {{"name", text_column(R, [](const RingResult& r) { return r.name; })},
        {"entry", text_column(R, [](const RingResult& r) { return r.entry; })},
        {"index", int_column(R, [](const RingResult& r) { return r.index; })},
        {"x_m", column(R, [](const RingResult& r) { return r.center_m[0]; })},
        {"y_m", column(R, [](const RingResult& r) { return r.center_m[1]; })},
        {"z_m", column(R, [](const RingResult& r) { return r.center_m[2]; })},
        {"T_K", column(R, [](const RingResult& r) { return r.state.T_K; })},
        {"lambda0_nm", column(R, [](const RingResult& r) { return r.model.lambda0_m * kNm; })},
        {"drift_pm_per_K",
         column(R, [](const RingResult& r) { return r.model.drift_m_per_K * 1e12; })},
        {"delta_lambda_nm", column(R, [](const RingResult& r) { return r.state.drift_m * kNm; })},
        {"resonance_nm", column(R, [](const RingResult& r) { return r.state.resonance_m * kNm; })},
        {"target_nm", column(R, [](const RingResult& r) { return r.state.target_m * kNm; })},
        {"grid", text_column(R, [](const RingResult& r) { return r.grid; })},
        {"channel", int_column(R, [](const RingResult& r) { return r.channel; })},
        {"laser", text_column(R, [](const RingResult& r) { return r.laser; })},
        {"detuning_nm", column(R, [](const RingResult& r) { return r.state.detuning_m * kNm; })},
        {"order", int_column(R, [](const RingResult& r) { return r.state.order; })},
        {"shift_nm", column(R, [](const RingResult& r) { return r.state.shift_m * kNm; })},
        {"fsr_nm", column(R, [](const RingResult& r) { return r.model.fsr_m * kNm; })},
        {"heater_W", column(R, [](const RingResult& r) { return r.state.heater_W; })},
        {"heater_required_W",
         column(R, [](const RingResult& r) { return r.state.heater_required_W; })},
        {"heater_max_W", column(R, [](const RingResult& r) { return r.model.heater_max_W; })},
        {"heater_self_K_per_W",
         column(R, [](const RingResult& r) { return r.heater_self_K_per_W; })},
        {"open_loop_heater_W", column(R, [](const RingResult& r) { return r.open_loop_heater_W; })},
        {"in_range", int_column(R, [](const RingResult& r) { return r.state.in_range ? 1 : 0; })},
        {"margin_nm", column(R, [](const RingResult& r) { return r.state.margin_m * kNm; })},
        {"residual_nm", column(R, [](const RingResult& r) { return r.state.residual_m * kNm; })},
        {"linewidth_nm", column(R, [](const RingResult& r) { return r.state.linewidth_m * kNm; })},
        {"laser_detuning_nm",
         column(R, [](const RingResult& r) { return r.laser_detuning_m * kNm; })}}});
  const auto& B = report.banks;
  content.tables.push_back(
      {"photonics",
       "banks",
       {{"name", text_column(B, [](const BankResult& b) { return b.name; })},
        {"count", int_column(B, [](const BankResult& b) { return b.count; })},
        {"T_min_K", column(B, [](const BankResult& b) { return b.T_min_K; })},
        {"T_max_K", column(B, [](const BankResult& b) { return b.T_max_K; })},
        {"gradient_K", column(B, [](const BankResult& b) { return b.gradient_K; })},
        {"heater_W", column(B, [](const BankResult& b) { return b.heater_W; })},
        {"open_loop_heater_W", column(B, [](const BankResult& b) { return b.open_loop_heater_W; })},
        {"worst_delta_lambda_nm",
         column(B, [](const BankResult& b) { return b.worst_drift_m * kNm; })},
        {"worst_margin_nm", column(B, [](const BankResult& b) { return b.worst_margin_m * kNm; })},
        {"out_of_range", int_column(B, [](const BankResult& b) { return b.out_of_range; })}}});
  const auto& L = report.lasers;
  content.tables.push_back(
      {"photonics",
       "lasers",
       {{"name", text_column(L, [](const LaserResult& l) { return l.name; })},
        {"placement",
         text_column(L,
                     [](const LaserResult& l) { return l.external ? "external" : "on_package"; })},
        {"x_m", column(L, [](const LaserResult& l) { return l.center_m[0]; })},
        {"y_m", column(L, [](const LaserResult& l) { return l.center_m[1]; })},
        {"z_m", column(L, [](const LaserResult& l) { return l.center_m[2]; })},
        {"T_case_K", column(L, [](const LaserResult& l) { return l.state.T_case_K; })},
        {"T_junction_K", column(L, [](const LaserResult& l) { return l.state.T_junction_K; })},
        {"lambda_nm", column(L, [](const LaserResult& l) { return l.state.lambda_m * kNm; })},
        {"grid", text_column(L, [](const LaserResult& l) { return l.grid; })},
        {"channel", int_column(L, [](const LaserResult& l) { return l.channel; })},
        {"window_lo_nm", column(L,
                                [](const LaserResult& l) {
                                  return l.has_window ? l.window.window_lo_m * kNm : kNaN;
                                })},
        {"window_hi_nm", column(L,
                                [](const LaserResult& l) {
                                  return l.has_window ? l.window.window_hi_m * kNm : kNaN;
                                })},
        {"window_margin_nm", column(L,
                                    [](const LaserResult& l) {
                                      return l.has_window ? l.window_margin_m * kNm : kNaN;
                                    })},
        {"threshold_A", column(L, [](const LaserResult& l) { return l.state.threshold_A; })},
        {"slope_W_per_A", column(L, [](const LaserResult& l) { return l.state.slope_W_per_A; })},
        {"optical_W", column(L, [](const LaserResult& l) { return l.state.optical_W; })},
        {"electrical_W", column(L, [](const LaserResult& l) { return l.state.electrical_W; })},
        {"heat_W", column(L, [](const LaserResult& l) { return l.state.heat_W; })},
        {"lasing", int_column(L, [](const LaserResult& l) { return l.state.lasing ? 1 : 0; })}}});
  const auto& P = report.paths;
  content.tables.push_back(
      {"photonics",
       "waveguides",
       {{"name", text_column(P, [](const PathResult& p) { return p.name; })},
        {"kind", text_column(P, [](const PathResult& p) { return p.kind; })},
        {"length_m", column(P, [](const PathResult& p) { return p.state.path.length_m; })},
        {"T_mean_K", column(P, [](const PathResult& p) { return p.state.path.T_mean_K; })},
        {"T_min_K", column(P, [](const PathResult& p) { return p.state.path.T_min_K; })},
        {"T_max_K", column(P, [](const PathResult& p) { return p.state.path.T_max_K; })},
        {"phase_rad", column(P, [](const PathResult& p) { return p.state.phase_rad; })},
        {"loss_dB", column(P, [](const PathResult& p) { return p.state.loss_dB; })},
        {"group_delay_s", column(P, [](const PathResult& p) { return p.state.group_delay_s; })}}});
  const auto& M = report.mzis;
  content.tables.push_back(
      {"photonics",
       "mzis",
       {{"name", text_column(M, [](const MziResult& m) { return m.name; })},
        {"phase_a_rad", column(M, [&](const MziResult& m) { return P[m.arm_a].state.phase_rad; })},
        {"phase_b_rad", column(M, [&](const MziResult& m) { return P[m.arm_b].state.phase_rad; })},
        {"imbalance_rad", column(M, [](const MziResult& m) { return m.imbalance_rad; })},
        {"arm_dT_K", column(M, [](const MziResult& m) { return m.arm_dT_K; })}}});
  const auto& H = report.history;
  content.tables.push_back(
      {"photonics",
       "coupling",
       {{"iteration", int_column(H, [](const CouplingStep& s) { return s.iteration; })},
        {"heater_W", column(H, [](const CouplingStep& s) { return s.heater_W; })},
        {"laser_heat_W", column(H, [](const CouplingStep& s) { return s.laser_heat_W; })},
        {"change", column(H, [](const CouplingStep& s) { return s.change; })},
        {"max_ring_T_K", column(H, [](const CouplingStep& s) { return s.max_ring_T_K; })},
        {"linear_iterations",
         int_column(H, [](const CouplingStep& s) { return s.linear_iterations; })},
        {"out_of_range", int_column(H, [](const CouplingStep& s) { return s.out_of_range; })}}});
  if (!report.crosstalk_K_per_W.empty()) {
    std::vector<std::string> ring, heater;
    std::vector<double> value;
    const std::size_t n = R.size();
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j) {
        ring.push_back(R[i].name);
        heater.push_back(R[j].name);
        value.push_back(report.crosstalk_K_per_W[i * n + j]);
      }
    content.tables.push_back(
        {"photonics", "crosstalk", {{"ring", ring}, {"heater", heater}, {"dT_dP_K_per_W", value}}});
  }

  // Waveguides and MZI arms for ParaView: one segment per piece (each inside one cell).
  postproc::PolylineSet set;
  set.name = "waveguides";
  std::vector<double> T, dT, device;
  for (std::size_t d = 0; d < P.size(); ++d)
    for (const auto& piece : P[d].pieces) {
      const auto first = static_cast<std::int64_t>(set.points_m.size());
      set.points_m.push_back(piece.from_m);
      set.points_m.push_back(piece.to_m);
      set.segments.push_back({first, first + 1});
      device.push_back(static_cast<double>(d));
    }
  for (const auto& p : P) {
    T.insert(T.end(), p.piece_T_K.begin(), p.piece_T_K.end());
    for (double t : p.piece_T_K) dT.push_back(t - p.optics.T_ref_K);
  }
  set.segment_values = {{"T_K", T}, {"delta_T_K", dT}, {"device", device}};
  content.polylines.push_back(std::move(set));

  std::vector<double> q(grid.num_cells(), 0.0);
  for (std::size_t c = 0; c < q.size() && c < report.device_cell_power_W.size(); ++c) {
    const auto ijk = grid.ijk(c);
    q[c] = report.device_cell_power_W[c] / grid.volume_m3(ijk[0], ijk[1], ijk[2]);
  }
  content.fields.push_back({&grid, "device_power_density_W_per_m3", std::move(q)});

  content.string_attributes.push_back({"photonics_status", to_string(report.status)});
  content.string_attributes.push_back({"photonics_message", report.message});
  content.integer_attributes.push_back({"coupling_iterations", report.iterations});
  content.integer_attributes.push_back({"photonics_ok", report.ok() ? 1 : 0});
  content.real_attributes.push_back({"total_heater_W", report.total_heater_W});
  content.real_attributes.push_back({"open_loop_heater_W", report.open_loop_heater_W});
  content.real_attributes.push_back({"laser_heat_W", report.laser_heat_W});
  content.real_attributes.push_back({"coupling_tolerance", report.tolerance});
}

}  // namespace cposim::cases
