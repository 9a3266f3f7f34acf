/// \file
/// Footprint and path sampling, ring drift and re-lock power, waveguide phase, channel grids.
#include "postproc/photonics/photonics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "mesh/segment_cuts.hpp"
#include "postproc/fields/probes.hpp"

namespace cposim::postproc {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kLightSpeed_m_per_s = 299792458.0;  // exact

void check_field(const mesh::CellField& field) {
  if (field.grid == nullptr)
    throw std::invalid_argument("photonics: field '" + field.name + "' has no grid");
  if (field.values.size() != field.grid->num_cells())
    throw std::invalid_argument("photonics: field '" + field.name + "' has " +
                                std::to_string(field.values.size()) + " values for " +
                                std::to_string(field.grid->num_cells()) + " cells");
}

/// Cells along one axis that [lo, hi) overlaps, with the overlapped length of each.
std::vector<std::pair<std::size_t, double>> axis_overlaps(const mesh::RectilinearGrid& grid,
                                                          int axis, double lo, double hi) {
  const auto& nodes = grid.nodes(axis);
  std::vector<std::pair<std::size_t, double>> out;
  const double a = std::max(lo, nodes.front());
  const double b = std::min(hi, nodes.back());
  if (!(b > a)) return out;
  for (std::size_t c = grid.locate(axis, a); c + 1 < nodes.size() && nodes[c] < b; ++c) {
    const double overlap = std::min(b, nodes[c + 1]) - std::max(a, nodes[c]);
    if (overlap > 0.0) out.emplace_back(c, overlap);
  }
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Geometry on the grid

std::vector<CellOverlap> box_overlaps(const mesh::RectilinearGrid& grid, const mesh::Box& box) {
  for (int a = 0; a < 3; ++a) {
    if (!std::isfinite(box.lo_m[a]) || !std::isfinite(box.hi_m[a]))
      throw std::invalid_argument("box_overlaps: the box is not finite");
    if (!(box.hi_m[a] > box.lo_m[a]))
      throw std::invalid_argument("box_overlaps: the box has no size along axis " +
                                  std::to_string(a));
  }
  std::array<std::vector<std::pair<std::size_t, double>>, 3> along;
  for (int a = 0; a < 3; ++a) {
    along[a] = axis_overlaps(grid, a, box.lo_m[a], box.hi_m[a]);
    if (along[a].empty())
      throw std::invalid_argument("box_overlaps: the box lies outside the grid along axis " +
                                  std::to_string(a));
  }
  std::vector<CellOverlap> out;
  out.reserve(along[0].size() * along[1].size() * along[2].size());
  for (const auto& [k, dz] : along[2])
    for (const auto& [j, dy] : along[1])
      for (const auto& [i, dx] : along[0]) out.push_back({grid.cell(i, j, k), dx * dy * dz});
  return out;
}

double overlap_average(const mesh::CellField& field, const std::vector<CellOverlap>& overlaps) {
  check_field(field);
  if (overlaps.empty()) throw std::invalid_argument("overlap_average: no cells to average over");
  double sum = 0.0, volume = 0.0;
  for (const auto& o : overlaps) {
    sum += field.values.at(o.cell) * o.volume_m3;
    volume += o.volume_m3;
  }
  return sum / volume;
}

double box_average(const mesh::CellField& field, const mesh::Box& box) {
  check_field(field);
  return overlap_average(field, box_overlaps(*field.grid, box));
}

std::vector<PathPiece> path_pieces(const mesh::RectilinearGrid& grid,
                                   const std::vector<std::array<double, 3>>& given_m) {
  if (given_m.size() < 2)
    throw std::invalid_argument("path_pieces: a path needs at least 2 points, got " +
                                std::to_string(given_m.size()));
  // A point on the package's surface may sit a rounding error (or the case's geometry
  // tolerance) outside the outermost grid plane: it is taken on that face, as a probe is.
  std::vector<std::array<double, 3>> points_m = given_m;
  for (std::size_t p = 0; p < points_m.size(); ++p)
    for (int a = 0; a < 3; ++a) {
      double& x = points_m[p][a];
      const double lo = grid.nodes(a).front(), hi = grid.nodes(a).back();
      if (x < lo && x >= lo - kSurfaceTolerance_m) x = lo;
      if (x > hi && x <= hi + kSurfaceTolerance_m) x = hi;
      if (!std::isfinite(x) || x < lo || x > hi)
        throw std::invalid_argument("path_pieces: point " + std::to_string(p) +
                                    " is not finite or outside the grid");
    }
  std::vector<PathPiece> out;
  for (std::size_t s = 0; s + 1 < points_m.size(); ++s) {
    const auto& p0 = points_m[s];
    const auto& p1 = points_m[s + 1];
    std::array<double, 3> d{};
    double length = 0.0;
    for (int a = 0; a < 3; ++a) {
      d[a] = p1[a] - p0[a];
      length += d[a] * d[a];
    }
    length = std::sqrt(length);
    if (!(length > 0.0)) continue;
    // Between two cuts the segment stays in one cell.
    const auto t = mesh::segment_cuts(grid, p0, p1, mesh::CutPlanes::nodes, 1e-14);
    for (std::size_t q = 0; q + 1 < t.size(); ++q) {
      const double t0 = t[q], t1 = t[q + 1];
      PathPiece piece;
      std::array<double, 3> mid{};
      for (int a = 0; a < 3; ++a) {
        piece.from_m[a] = p0[a] + t0 * d[a];
        piece.to_m[a] = p0[a] + t1 * d[a];
        mid[a] = p0[a] + 0.5 * (t0 + t1) * d[a];
      }
      piece.cell =
          grid.cell(grid.locate(0, mid[0]), grid.locate(1, mid[1]), grid.locate(2, mid[2]));
      piece.length_m = (t1 - t0) * length;
      piece.segment = s;
      out.push_back(piece);
    }
  }
  return out;
}

PathTemperature integrate_path(const mesh::CellField& temperature,
                               const std::vector<PathPiece>& pieces, double T_ref_K) {
  check_field(temperature);
  if (pieces.empty()) throw std::invalid_argument("integrate_path: the path has no length");
  PathTemperature out;
  out.T_min_K = std::numeric_limits<double>::infinity();
  out.T_max_K = -std::numeric_limits<double>::infinity();
  double integral_T = 0.0;
  for (const auto& p : pieces) {
    const double T = temperature.values.at(p.cell);
    out.length_m += p.length_m;
    integral_T += T * p.length_m;
    out.integral_dT_K_m += (T - T_ref_K) * p.length_m;
    out.T_min_K = std::min(out.T_min_K, T);
    out.T_max_K = std::max(out.T_max_K, T);
  }
  out.T_mean_K = integral_T / out.length_m;
  return out;
}

double spread(const std::vector<double>& values) {
  if (values.size() < 2) return 0.0;
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  return *hi - *lo;
}

// ---------------------------------------------------------------------------------------------
// Thermo-optic coefficients

namespace {
struct ThermoOptic {
  const char* name;
  double dn_dT_per_K;
};
// physics.md §2.1, sorted by name.
constexpr ThermoOptic kThermoOptic[] = {
    {"InP", 2.1e-4},        // L: ≈ 2.0–2.2e-4 (laser cavity)
    {"Si", 1.86e-4},        // S
    {"Si3N4", 2.45e-5},     // S: LPCVD stoichiometric (Arbabi & Goddard 2013)
    {"SiO2", 0.95e-5},      // S: PECVD cladding
    {"SiO2_bulk", 8.3e-6},  // S: fused silica 8.16–8.53e-6
    {"SiOx", 5.67e-6},      // S: PECVD SiOx (Johnson et al. 2022)
};
}  // namespace

std::optional<double> builtin_dn_dT_per_K(const std::string& material) {
  for (const auto& m : kThermoOptic)
    if (material == m.name) return m.dn_dT_per_K;
  return std::nullopt;
}

std::vector<std::string> builtin_thermo_optic_materials() {
  std::vector<std::string> out;
  for (const auto& m : kThermoOptic) out.emplace_back(m.name);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Rings

double ring_drift_m_per_K(double lambda_m, double group_index,
                          const std::vector<ConfinementTerm>& terms, double effective_index,
                          double expansion_per_K) {
  if (!(lambda_m > 0.0) || !(group_index > 0.0))
    throw std::invalid_argument("ring_drift_m_per_K: wavelength and group index must be > 0");
  double dn_eff_dT = effective_index * expansion_per_K;
  for (const auto& t : terms) dn_eff_dT += t.confinement * t.dn_dT_per_K;
  return lambda_m / group_index * dn_eff_dT;
}

double ring_fsr_m(double lambda_m, double group_index, double radius_m) {
  if (!(lambda_m > 0.0) || !(group_index > 0.0) || !(radius_m > 0.0))
    throw std::invalid_argument("ring_fsr_m: wavelength, group index and radius must be > 0");
  return lambda_m * lambda_m / (group_index * 2.0 * kPi * radius_m);
}

double ring_linewidth_m(double lambda_m, double loaded_Q) {
  if (!(lambda_m > 0.0) || !(loaded_Q > 0.0))
    throw std::invalid_argument("ring_linewidth_m: wavelength and Q must be > 0");
  return lambda_m / loaded_Q;
}

RingState evaluate_ring(const RingModel& ring, double T_K, double target_m) {
  if (!(ring.lambda0_m > 0.0) || !(ring.loaded_Q > 0.0) ||
      !(ring.heater_efficiency_m_per_W > 0.0) || !(ring.heater_max_W >= 0.0) ||
      !(ring.fsr_m >= 0.0) || !std::isfinite(ring.drift_m_per_K))
    throw std::invalid_argument("evaluate_ring: bad ring model");
  if (!std::isfinite(T_K) || !std::isfinite(target_m))
    throw std::invalid_argument("evaluate_ring: temperature and target must be finite");
  RingState s;
  s.T_K = T_K;
  s.drift_m = ring.drift_m_per_K * (T_K - ring.T_ref_K);
  s.resonance_m = ring.lambda0_m + s.drift_m;
  s.target_m = target_m;
  s.detuning_m = target_m - s.resonance_m;
  s.linewidth_m =
      ring_linewidth_m(s.resonance_m > 0.0 ? s.resonance_m : ring.lambda0_m, ring.loaded_Q);
  const double eta = ring.heater_efficiency_m_per_W;
  const double reach_m = eta * ring.heater_max_W;
  if (ring.fsr_m > 0.0) {
    // Resonances sit at λ_r + j·FSR; the cheapest red shift uses the nearest one blue of (or
    // at) the target: j = floor(detuning / FSR), shift = detuning − j·FSR ∈ [0, FSR).
    const double j = std::floor(s.detuning_m / ring.fsr_m);
    s.order = static_cast<int>(j);
    s.shift_m = s.detuning_m - j * ring.fsr_m;
    if (s.shift_m >= ring.fsr_m) s.shift_m = 0.0;  // rounding at an exact multiple
    if (s.shift_m < 0.0) s.shift_m = 0.0;
  } else {
    s.order = 0;
    s.shift_m = s.detuning_m;
  }
  if (s.shift_m < 0.0) {
    // No FSR and the resonance is red of the target: no heater can blue-shift it.
    s.heater_required_W = s.shift_m / eta;
    s.heater_W = 0.0;
    s.in_range = false;
    s.residual_m = s.shift_m;
    s.margin_m = s.shift_m;
    return s;
  }
  s.heater_required_W = s.shift_m / eta;
  s.heater_W = std::min(s.heater_required_W, ring.heater_max_W);
  s.in_range = s.heater_required_W <= ring.heater_max_W;
  s.residual_m = s.shift_m - eta * s.heater_W;
  s.margin_m = reach_m - s.shift_m;
  return s;
}

// ---------------------------------------------------------------------------------------------
// Waveguides and MZIs

WaveguideOptics platform_defaults(Platform platform) {
  WaveguideOptics o;
  if (platform == Platform::sin) {
    o.dn_eff_dT_per_K = 2.0e-5;
    o.group_index = 2.0;
    o.loss_dB_per_m = 30.0;  // 0.3 dB/cm
  }
  return o;
}

double thermo_optic_phase_rad(const WaveguideOptics& optics, double integral_dT_K_m) {
  if (!(optics.wavelength_m > 0.0))
    throw std::invalid_argument("thermo_optic_phase_rad: wavelength must be > 0");
  return 2.0 * kPi / optics.wavelength_m * optics.dn_eff_dT_per_K * integral_dT_K_m;
}

WaveguideState evaluate_waveguide(const mesh::CellField& temperature,
                                  const std::vector<PathPiece>& pieces,
                                  const WaveguideOptics& optics) {
  if (!(optics.group_index > 0.0))
    throw std::invalid_argument("evaluate_waveguide: group index must be > 0");
  WaveguideState s;
  s.path = integrate_path(temperature, pieces, optics.T_ref_K);
  s.phase_rad = thermo_optic_phase_rad(optics, s.path.integral_dT_K_m);
  s.loss_dB = optics.loss_dB_per_m * s.path.length_m;
  s.group_delay_s = optics.group_index * s.path.length_m / kLightSpeed_m_per_s;
  return s;
}

MziState evaluate_mzi(const mesh::CellField& temperature, const std::vector<PathPiece>& arm_a,
                      const std::vector<PathPiece>& arm_b, const WaveguideOptics& optics) {
  MziState s;
  s.arm_a = evaluate_waveguide(temperature, arm_a, optics);
  s.arm_b = evaluate_waveguide(temperature, arm_b, optics);
  s.imbalance_rad = s.arm_a.phase_rad - s.arm_b.phase_rad;
  s.arm_dT_K = s.arm_a.path.T_mean_K - s.arm_b.path.T_mean_K;
  return s;
}

// ---------------------------------------------------------------------------------------------
// Wavelength grids

namespace {

WavelengthGrid from_centres_nm(const std::string& name, const std::vector<double>& centres_nm,
                               double half_window_nm, const std::string& source) {
  WavelengthGrid g{name, {}, source};
  for (double c : centres_nm)
    g.channels.push_back({c * 1e-9, (c - half_window_nm) * 1e-9, (c + half_window_nm) * 1e-9});
  return g;
}

/// Channels at f_k = f_first + k·step_Hz (k = 0..n−1), sorted by wavelength; window ±¼ of the
/// spacing in frequency, converted to wavelength at each channel.
WavelengthGrid from_frequencies(const std::string& name, double f_first_Hz, double step_Hz, int n,
                                const std::string& source) {
  WavelengthGrid g{name, {}, source};
  for (int k = 0; k < n; ++k) {
    const double f = f_first_Hz + k * step_Hz;
    const double quarter = 0.25 * std::abs(step_Hz);
    g.channels.push_back({kLightSpeed_m_per_s / f, kLightSpeed_m_per_s / (f + quarter),
                          kLightSpeed_m_per_s / (f - quarter)});
  }
  std::sort(g.channels.begin(), g.channels.end(),
            [](const Channel& a, const Channel& b) { return a.centre_m < b.centre_m; });
  return g;
}

/// CW-WDM MSA: n channels at `spacing_Hz`, symmetric in frequency about 1310 nm.
WavelengthGrid cw_wdm(const std::string& name, int n, double spacing_Hz) {
  const double f_centre = kLightSpeed_m_per_s / 1310e-9;
  const double f_first = f_centre - 0.5 * (n - 1) * spacing_Hz;
  return from_frequencies(name, f_first, spacing_Hz, n,
                          "physics.md §2.5 (L: count and spacing; E: centred on 1310 nm, "
                          "window ±1/4 spacing)");
}

}  // namespace

std::vector<std::string> builtin_grid_names() {
  return {"CWDM",     "CWDM4",     "FR4",       "DR4",         "LAN-WDM",
          "CW-WDM-8", "CW-WDM-16", "CW-WDM-32", "DWDM-100GHz", "DWDM-50GHz"};
}

std::optional<WavelengthGrid> builtin_grid(const std::string& name) {
  if (name == "CWDM") {
    std::vector<double> c;
    for (int k = 0; k < 18; ++k) c.push_back(1271.0 + 20.0 * k);
    return from_centres_nm(name, c, 6.5, "physics.md §2.5 (S: ITU-T G.694.2, ±6.5 nm)");
  }
  if (name == "CWDM4" || name == "FR4")
    return from_centres_nm(name, {1271, 1291, 1311, 1331}, 6.5,
                           "physics.md §2.5 (S: 400G-FR4 lane windows ±6.5 nm)");
  if (name == "DR4")
    return from_centres_nm(name, {1311}, 6.5, "physics.md §2.5 (L: 1304.5–1317.5 nm)");
  if (name == "LAN-WDM")
    return from_centres_nm(name, {1295.56, 1300.05, 1304.58, 1309.14}, 1.0,
                           "physics.md §2.5 (L: IEEE 802.3ba LR4, ≈ ±1 nm)");
  if (name == "CW-WDM-8") return cw_wdm(name, 8, 400e9);
  if (name == "CW-WDM-16") return cw_wdm(name, 16, 200e9);
  if (name == "CW-WDM-32") return cw_wdm(name, 32, 100e9);
  if (name == "DWDM-100GHz")
    return from_frequencies(name, 193.1e12, -100e9, 40,
                            "physics.md §2.5 (L: ITU-T G.694.1 anchor 193.1 THz; E: 40 channels "
                            "down from the anchor, window ±1/4 spacing)");
  if (name == "DWDM-50GHz")
    return from_frequencies(name, 193.1e12, -50e9, 80,
                            "physics.md §2.5 (L: ITU-T G.694.1 anchor 193.1 THz; E: 80 channels "
                            "down from the anchor, window ±1/4 spacing)");
  return std::nullopt;
}

double window_margin_m(const Channel& channel, double lambda_m) {
  return std::min(lambda_m - channel.window_lo_m, channel.window_hi_m - lambda_m);
}

}  // namespace cposim::postproc
