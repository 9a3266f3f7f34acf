/// \file
/// The photonic devices resolved on the grid: construction from the spec, evaluation on a
/// field, heat per cell and bank summaries (split from photonics_coupling.cpp).
#include "cases/run/photonics_device_set.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "cases/run/heater_self.hpp"
#include "cases/spec/photonics_devices.hpp"

namespace cposim::cases {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
/// Si strip defaults for the ring index route when a key is absent (physics.md §2.2, D/L):
/// n_g ≈ 4.2 and dn_eff/dT ≈ 1.9e-4 /K.
constexpr double kSiGroupIndex = 4.2;
constexpr double kSiDnEffDT_per_K = 1.9e-4;

double volume_of(const std::vector<postproc::CellOverlap>& overlaps) {
  double v = 0.0;
  for (const auto& o : overlaps) v += o.volume_m3;
  return v;
}

/// A laser element's model from its [[lasers]] entry (λ0 set by the caller).
postproc::LaserModel laser_model(const LaserSpec& l) {
  postproc::LaserModel m = l.model;
  m.drift_m_per_K = laser_drift_m_per_K(l);
  return m;
}

/// A ring's resonance drift: given, from its confinement terms, or the Si strip default.
double ring_drift(const RingSpec& rs, double lambda, double n_g) {
  if (rs.drift_m_per_K) return *rs.drift_m_per_K;
  if (rs.confinement.empty()) return lambda / n_g * kSiDnEffDT_per_K;
  std::vector<postproc::ConfinementTerm> terms;
  for (const auto& c : rs.confinement)
    terms.push_back({c.confinement, c.dn_dT_per_K.value_or(
                                        postproc::builtin_dn_dT_per_K(c.material).value_or(0.0))});
  return postproc::ring_drift_m_per_K(lambda, n_g, terms, rs.effective_index, rs.expansion_per_K);
}

}  // namespace

void deposit(std::vector<double>& cells, const std::vector<postproc::CellOverlap>& overlaps,
             double volume_m3, double power_W) {
  if (power_W == 0.0) return;
  for (const auto& o : overlaps) cells[o.cell] += power_W * o.volume_m3 / volume_m3;
}

PhotonicsDeviceSet::PhotonicsDeviceSet(const CaseSpec& spec, const mesh::RectilinearGrid& grid)
    : grid_(grid) {
  const auto& p = spec.photonics;
  const LaserEntries laser_entries = add_lasers(p);
  add_rings(p, laser_entries);
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

PhotonicsDeviceSet::LaserEntries PhotonicsDeviceSet::add_lasers(const PhotonicsSpec& p) {
  LaserEntries laser_entries;  // name → (first index, count)
  for (const auto& l : p.lasers) {
    laser_entries[l.name] = {static_cast<int>(lasers.size()), l.count};
    const auto g = l.channel ? find_grid(p, l.channel->grid.name) : std::nullopt;
    for (int i = 0; i < l.count; ++i) {
      LaserResult r;
      r.name = element_name(l.name, i, l.count);
      r.entry = l.name;
      r.external = l.external;
      r.model = laser_model(l);
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
        live.stripe = postproc::box_overlaps(grid_, laser_box(l, i));
        live.volume_m3 = volume_of(live.stripe);
      }
      external_T_K.push_back(l.external ? l.external_T_K : kNaN);
      lasers.push_back(r);
      live_lasers.push_back(std::move(live));
    }
  }
  return laser_entries;
}

void PhotonicsDeviceSet::add_rings(const PhotonicsSpec& p, const LaserEntries& laser_entries) {
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
      r.model.drift_m_per_K = ring_drift(rs, lambda, n_g);
      if (rs.fsr_m)
        r.model.fsr_m = *rs.fsr_m;
      else if (rs.radius_m)
        r.model.fsr_m = postproc::ring_fsr_m(lambda, n_g, *rs.radius_m);
      r.model.loaded_Q = ring_loaded_Q(rs);
      r.model.heater_efficiency_m_per_W = rs.heater_efficiency_m_per_W;
      r.model.heater_max_W = rs.heater_max_W;
      r.laser_detuning_m = kNaN;
      live.footprint = postproc::box_overlaps(grid_, ring_box(rs, i));
      live.heater_box = heater_box(rs, i);
      live.heater = postproc::box_overlaps(grid_, live.heater_box);
      live.heater_volume_m3 = volume_of(live.heater);
      ring_bank.push_back(banks.size() - 1);
      rings.push_back(r);
      live_rings.push_back(std::move(live));
    }
  }
}

void PhotonicsDeviceSet::add_path(const std::string& name, const std::string& kind,
                                  const PathSpec& path, const WaveguideOpticsSpec& o) {
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
  if (r.pieces.empty()) throw std::invalid_argument("photonics: path '" + name + "' has no length");
  paths.push_back(std::move(r));
}

void PhotonicsDeviceSet::evaluate(const mesh::CellField& T, const std::vector<double>& own_W,
                                  std::vector<double>& heater_W,
                                  std::vector<double>& laser_heat_W) {
  evaluate_lasers(T, laser_heat_W);
  evaluate_rings(T, own_W, heater_W);
  evaluate_paths(T);
}

void PhotonicsDeviceSet::evaluate_lasers(const mesh::CellField& T,
                                         std::vector<double>& laser_heat_W) {
  laser_heat_W.assign(lasers.size(), 0.0);
  for (std::size_t k = 0; k < lasers.size(); ++k) {
    const double T_laser =
        lasers[k].external ? external_T_K[k] : postproc::overlap_average(T, live_lasers[k].stripe);
    lasers[k].state = postproc::evaluate_laser(lasers[k].model, T_laser);
    if (lasers[k].has_window)
      lasers[k].window_margin_m =
          postproc::window_margin_m(lasers[k].window, lasers[k].state.lambda_m);
    if (!lasers[k].external) laser_heat_W[k] = lasers[k].state.heat_W;
  }
}

void PhotonicsDeviceSet::evaluate_rings(const mesh::CellField& T, const std::vector<double>& own_W,
                                        std::vector<double>& heater_W) {
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
}

/// Waveguides and MZI arms (each MZI's imbalance from its two arms).
void PhotonicsDeviceSet::evaluate_paths(const mesh::CellField& T) {
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

std::vector<double> PhotonicsDeviceSet::device_power(
    const std::vector<double>& heater_W, const std::vector<double>& laser_heat_W) const {
  std::vector<double> cells(grid_.num_cells(), 0.0);
  for (std::size_t i = 0; i < rings.size(); ++i)
    deposit(cells, live_rings[i].heater, live_rings[i].heater_volume_m3, heater_W[i]);
  for (std::size_t k = 0; k < lasers.size(); ++k)
    if (!lasers[k].external)
      deposit(cells, live_lasers[k].stripe, live_lasers[k].volume_m3, laser_heat_W[k]);
  return cells;
}

void PhotonicsDeviceSet::compute_self_responses(const solver::ThermalProblem& problem,
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

std::vector<double> PhotonicsDeviceSet::ring_temperatures(const mesh::CellField& T) const {
  std::vector<double> out;
  for (const auto& live : live_rings) out.push_back(postproc::overlap_average(T, live.footprint));
  return out;
}

bool PhotonicsDeviceSet::order_flip_flop() {
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

void PhotonicsDeviceSet::summarise_banks() {
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

}  // namespace cposim::cases
