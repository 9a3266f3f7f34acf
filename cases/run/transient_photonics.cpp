/// \file
/// Photonic devices in a transient run: heater control, device heat, lock statistics and the
/// histories (transient_photonics.hpp); their results tables and photonics.csv.
#include "cases/run/transient_photonics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "cases/spec/photonics_devices.hpp"
#include "mesh/cell_field.hpp"

namespace cposim::cases {
namespace {

/// A landing within this fraction of a PI period of its sample time is that sample (the
/// solver merges landings closer than 1e-12 of the run's span).
constexpr double kSampleSlack = 1e-9;

double sum(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0); }

}  // namespace

TransientPhotonics::TransientPhotonics(const CaseSpec& spec, BuiltProblem& built)
    : spec_(spec), built_(built), empty_(spec.photonics.empty()), devices_(spec, *built.grid) {
  const std::size_t n = devices_.rings.size();
  heater_W_.assign(n, 0.0);
  pi_.resize(n);
  next_sample_.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const RingSpec& rs = spec.photonics.rings[devices_.ring_bank[i]];
    ring_spec_.push_back(&rs);
    if (rs.control == RingControl::ideal) any_ideal_ = true;
    const auto& m = devices_.rings[i].model;
    RingLockResult lock;
    lock.name = devices_.rings[i].name;
    lock.control = rs.control == RingControl::pi ? "pi" : "ideal";
    // Default lock tolerance: half the loaded linewidth λ/(2 Q_L) (PHYSICS-SUPPLEMENT.md §R.1).
    lock.lock_tolerance_m =
        rs.lock_tolerance_m.value_or(0.5 * postproc::ring_linewidth_m(m.lambda0_m, m.loaded_Q));
    lock.heater_max_W = m.heater_max_W;
    lock.period_s = rs.control == RingControl::pi ? rs.pi_period_s : 0.0;
    series_.rings.push_back(lock);
    series_.ring_names.push_back(lock.name);
  }
  series_.ring_T_K.resize(n);
  series_.ring_detuning_m.resize(n);
  series_.ring_heater_W.resize(n);
  for (const auto& l : devices_.lasers) {
    if (!l.external) any_laser_heat_ = true;
    series_.laser_names.push_back(l.name);
    LaserWindowResult w;
    w.name = l.name;
    w.has_window = l.has_window;
    w.worst_margin_m = std::numeric_limits<double>::infinity();
    series_.lasers.push_back(w);
  }
  const std::size_t n_lasers = devices_.lasers.size();
  for (auto* v : {&series_.laser_junction_T_K, &series_.laser_lambda_m, &series_.laser_optical_W,
                  &series_.laser_window_margin_m, &series_.laser_heat_W})
    v->resize(n_lasers);
  for (const auto& p : devices_.paths) series_.path_names.push_back(p.name);
  series_.path_T_mean_K.resize(devices_.paths.size());
  series_.path_phase_rad.resize(devices_.paths.size());
  for (const auto& m : devices_.mzis) series_.mzi_names.push_back(m.name);
  series_.mzi_imbalance_rad.resize(devices_.mzis.size());
  device_cells_W_.assign(built.grid->num_cells(), 0.0);
  laser_heat_W_.assign(n_lasers, 0.0);
}

void TransientPhotonics::prepare(const solver::ThermalProblem& problem,
                                 const std::vector<double>& T_K) {
  if (empty_) return;
  if (!devices_.rings.empty()) devices_.compute_self_responses(problem, T_K);
  laser_heat_W_.assign(devices_.lasers.size(), 0.0);
  for (std::size_t k = 0; k < devices_.lasers.size(); ++k)
    if (!devices_.lasers[k].external)
      laser_heat_W_[k] =
          postproc::evaluate_laser(devices_.lasers[k].model, devices_.lasers[k].model.T_ref_K)
              .heat_W;
  update_device_power();
}

void TransientPhotonics::update_device_power() {
  std::vector<double> cells = devices_.device_power(heater_W_, laser_heat_W_);
  for (std::size_t c = 0; c < cells.size(); ++c)
    built_.cell_power_W[c] += cells[c] - device_cells_W_[c];
  device_cells_W_ = std::move(cells);
}

void TransientPhotonics::follow(const std::vector<double>& T, bool lock_all) {
  const mesh::CellField field{built_.grid.get(), "temperature_K", T};
  devices_.evaluate(field, heater_W_, required_W_, new_laser_W_);
  for (std::size_t i = 0; i < heater_W_.size(); ++i)
    if (lock_all || ring_spec_[i]->control == RingControl::ideal) heater_W_[i] = required_W_[i];
  laser_heat_W_ = new_laser_W_;
  update_device_power();
}

solver::IterateHook TransientPhotonics::initial_hook() {
  if (empty_) return {};
  return [this](const std::vector<double>& T) {
    follow(T, true);
    return std::string();
  };
}

void TransientPhotonics::start(const std::vector<double>& T_K) {
  if (empty_) return;
  follow(T_K, true);
  for (std::size_t i = 0; i < heater_W_.size(); ++i) {
    const RingSpec& rs = *ring_spec_[i];
    if (rs.control != RingControl::pi) continue;
    postproc::PiSettings s;
    const double eta = devices_.rings[i].model.heater_efficiency_m_per_W;
    s.period_s = rs.pi_period_s;
    s.kp_W_per_m = rs.pi_kp_W_per_m.value_or(0.0);
    s.ki_W_per_m_s =
        rs.pi_ki_W_per_m_s.value_or(postproc::default_pi_ki_W_per_m_s(eta, rs.pi_period_s));
    s.max_W = devices_.rings[i].model.heater_max_W;
    pi_[i].emplace(s, heater_W_[i]);
  }
  started_ = true;
}

solver::IterateHook TransientPhotonics::step_hook() {
  if (empty_ || !(any_ideal_ || any_laser_heat_)) return {};
  return [this](const std::vector<double>& T) {
    follow(T, false);
    return std::string();
  };
}

void TransientPhotonics::add_power(std::vector<double>& cell_power_W) const {
  if (empty_) return;
  for (std::size_t c = 0; c < cell_power_W.size(); ++c) cell_power_W[c] += device_cells_W_[c];
}

std::vector<double> TransientPhotonics::sample_times(double end_s) const {
  std::vector<double> out;
  for (std::size_t i = 0; i < pi_.size(); ++i) {
    if (ring_spec_[i]->control != RingControl::pi) continue;
    const double Ts = ring_spec_[i]->pi_period_s;
    for (long k = 1; static_cast<double>(k) * Ts <= end_s * (1.0 + 1e-12); ++k)
      out.push_back(std::min(static_cast<double>(k) * Ts, end_s));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

void TransientPhotonics::on_landing(double t, const std::vector<double>& T, bool output) {
  if (empty_) return;
  const double dt = started_ && t > t_last_ ? t - t_last_ : 0.0;
  t_last_ = t;
  // The devices on the state reached, with the heater powers it was solved with.
  const mesh::CellField field{built_.grid.get(), "temperature_K", T};
  devices_.evaluate(field, heater_W_, required_W_, new_laser_W_);
  bool changed = false;
  for (std::size_t i = 0; i < heater_W_.size(); ++i) {
    const auto& r = devices_.rings[i];
    const double e = postproc::measured_detuning_m(
        r.state.shift_m, r.model.heater_efficiency_m_per_W, heater_W_[i], r.model.fsr_m);
    const bool at_limit =
        pi_[i] ? pi_[i]->at_limit() : heater_W_[i] <= 0.0 || heater_W_[i] >= r.model.heater_max_W;
    auto& lock = series_.rings[i];
    lock.stats.add(dt, e, lock.lock_tolerance_m, heater_W_[i],
                   at_limit && r.model.heater_max_W > 0);
    if (output) {
      series_.ring_T_K[i].push_back(r.state.T_K);
      series_.ring_detuning_m[i].push_back(e);
      series_.ring_heater_W[i].push_back(heater_W_[i]);
    }
    if (!pi_[i]) continue;
    const double Ts = pi_[i]->settings().period_s;
    if (t + kSampleSlack * Ts < static_cast<double>(next_sample_[i]) * Ts) continue;
    heater_W_[i] = pi_[i]->update(e);
    next_sample_[i] = static_cast<long>(std::floor(t / Ts + kSampleSlack)) + 1;
    changed = true;
  }
  for (std::size_t k = 0; k < devices_.lasers.size(); ++k) {
    const auto& l = devices_.lasers[k];
    auto& w = series_.lasers[k];
    const double margin = !l.state.lasing ? -std::numeric_limits<double>::infinity()
                          : l.has_window  ? l.window_margin_m
                                          : std::numeric_limits<double>::infinity();
    w.worst_margin_m = std::min(w.worst_margin_m, margin);
    if (margin < 0.0) w.time_outside_s += dt;
    if (output) {
      series_.laser_junction_T_K[k].push_back(l.state.T_junction_K);
      series_.laser_lambda_m[k].push_back(l.state.lambda_m);
      series_.laser_optical_W[k].push_back(l.state.optical_W);
      series_.laser_window_margin_m[k].push_back(l.has_window ? l.window_margin_m : std::nan(""));
      series_.laser_heat_W[k].push_back(laser_heat_W_[k]);
    }
  }
  if (output) record(t);
  if (changed) update_device_power();
}

void TransientPhotonics::record(double /*t*/) {
  // The device heat the state was solved with, as a density (before a PI sample changes it).
  const auto& g = *built_.grid;
  std::vector<double> q(g.num_cells());
  for (std::size_t c = 0; c < q.size(); ++c) {
    const auto ijk = g.ijk(c);
    q[c] = device_cells_W_[c] / g.volume_m3(ijk[0], ijk[1], ijk[2]);
  }
  series_.device_power.values.push_back(std::move(q));
  for (std::size_t p = 0; p < devices_.paths.size(); ++p) {
    series_.path_T_mean_K[p].push_back(devices_.paths[p].state.path.T_mean_K);
    series_.path_phase_rad[p].push_back(devices_.paths[p].state.phase_rad);
  }
  for (std::size_t m = 0; m < devices_.mzis.size(); ++m)
    series_.mzi_imbalance_rad[m].push_back(devices_.mzis[m].imbalance_rad);
}

PhotonicsReport TransientPhotonics::final_report(const std::vector<double>& T_K) {
  PhotonicsReport report;
  const mesh::CellField field{built_.grid.get(), "temperature_K", T_K};
  devices_.evaluate(field, heater_W_, required_W_, new_laser_W_);
  report.status = CouplingStatus::converged;
  for (const auto& r : devices_.rings)
    if (!r.state.in_range) report.status = CouplingStatus::tuning_range_exhausted;
  report.message =
      "the devices on the final state of the transient run (heater control per "
      "ring; the histories are in /transient/rings)";
  report.tolerance = spec_.photonics.coupling.tolerance;
  report.total_heater_W = sum(heater_W_);
  report.laser_heat_W = sum(laser_heat_W_);
  // No field without heater heat exists after a history of it: "without feedback" is n/a.
  report.open_loop_heater_W = std::numeric_limits<double>::quiet_NaN();
  for (auto& r : devices_.rings) r.open_loop_heater_W = report.open_loop_heater_W;
  devices_.summarise_banks();
  report.device_cell_power_W = device_cells_W_;
  take_device_results(devices_, report);
  return report;
}

}  // namespace cposim::cases
