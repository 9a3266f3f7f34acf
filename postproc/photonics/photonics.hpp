#pragma once
/// \file
/// What the temperature field means for photonic devices: footprint and path averages on the
/// grid, micro-ring drift and heater re-lock power (with FSR wrap), waveguide and MZI
/// thermo-optic phase, and the wavelength grids devices are assigned to. Models and defaults
/// follow shared/design/physics.md §2 and §6 item 4; each constant names its § and tag
/// (S sourced, L literature, D derived, E estimate). Pure functions of plain data: nothing
/// here knows about case files, the solver or the coupling loop. Everything is SI.

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "mesh/box.hpp"
#include "mesh/cell_field.hpp"
#include "mesh/rectilinear_grid.hpp"

namespace cposim::postproc {

// ---------------------------------------------------------------------------------------------
// Geometry on the grid

/// A cell and the part of a box's volume that lies in it.
struct CellOverlap {
  mesh::CellIndex cell = 0;
  double volume_m3 = 0.0;  ///< > 0
};

/// The cells that `box` overlaps and the overlapped volume of each (a cell only partly inside
/// the box counts with the part inside), x fastest. The part of the box outside the grid is
/// ignored. Throws std::invalid_argument if the box is not finite, has a size ≤ 0 on some axis,
/// or does not overlap the grid at all.
std::vector<CellOverlap> box_overlaps(const mesh::RectilinearGrid& grid, const mesh::Box& box);

/// Volume-weighted mean of `field` over `box` (partial overlaps weighted by the overlapped
/// volume), in the field's unit. Throws as box_overlaps, and std::invalid_argument if the field
/// has no grid or the wrong size.
double box_average(const mesh::CellField& field, const mesh::Box& box);

/// Volume-weighted mean of `field` over precomputed overlaps (see box_overlaps). Throws
/// std::invalid_argument if `overlaps` is empty.
double overlap_average(const mesh::CellField& field, const std::vector<CellOverlap>& overlaps);

/// A straight piece of a polyline that lies in one cell.
struct PathPiece {
  mesh::CellIndex cell = 0;
  double length_m = 0.0;                   ///< > 0
  std::array<double, 3> from_m{}, to_m{};  ///< end points
  std::size_t segment = 0;                 ///< index of the polyline segment it belongs to
};

/// Splits the polyline through `points_m` at every grid plane it crosses, so each piece lies in
/// one cell (the path is sampled at least once per cell it passes through). Zero-length
/// segments are skipped. A piece on a cell face belongs to the cell RectilinearGrid::locate
/// gives its midpoint. A point at most kSurfaceTolerance_m outside the grid is taken on its
/// face. Throws std::invalid_argument if there are fewer than 2 points, a point is not finite or
/// farther outside the grid.
std::vector<PathPiece> path_pieces(const mesh::RectilinearGrid& grid,
                                   const std::vector<std::array<double, 3>>& points_m);

/// Temperature along a path (cell values; exact for the piecewise-constant FV field).
struct PathTemperature {
  double length_m = 0.0;
  double T_mean_K = 0.0;         ///< (1/L)∫T ds
  double T_min_K = 0.0;          ///< over the cells the path passes through
  double T_max_K = 0.0;          ///< over the cells the path passes through
  double integral_dT_K_m = 0.0;  ///< ∫(T − T_ref) ds, K·m
};

/// ∫ over the pieces of `temperature`, relative to `T_ref_K`. Throws std::invalid_argument if
/// `pieces` is empty or the field has the wrong size.
PathTemperature integrate_path(const mesh::CellField& temperature,
                               const std::vector<PathPiece>& pieces, double T_ref_K);

/// max − min of `values` (0 for fewer than 2 values): the temperature spread of a ring bank,
/// physics.md §4.4 (E: keep it below 2–5 K so one tuning offset serves the bank).
double spread(const std::vector<double>& values);

// ---------------------------------------------------------------------------------------------
// Thermo-optic coefficients (physics.md §2.1)

/// dn/dT of a built-in material near 300 K at 1550 nm, 1/K, or nothing if `material` is not
/// built in. Si 1.86e-4 (S), Si3N4 2.45e-5 (S), SiO2 (PECVD) 0.95e-5 (S), SiO2_bulk 8.3e-6 (S,
/// fused silica 8.16–8.53e-6), SiOx 5.67e-6 (S), InP 2.1e-4 (L).
std::optional<double> builtin_dn_dT_per_K(const std::string& material);

/// Names builtin_dn_dT_per_K knows, sorted.
std::vector<std::string> builtin_thermo_optic_materials();

/// Si linear thermal expansion 2.6e-6 /K (physics.md §2.2, L): the substrate term n_eff·α_sub.
inline constexpr double kSiExpansion_per_K = 2.6e-6;

// ---------------------------------------------------------------------------------------------
// Micro-rings (physics.md §2.2, §2.3, §6 item 4)

/// One material's share of a ring's thermo-optic response: Γ_i = ∂n_eff/∂n_i and dn_i/dT.
struct ConfinementTerm {
  double confinement = 0.0;  ///< Γ_i (from a mode solver), ≥ 0
  double dn_dT_per_K = 0.0;  ///< dn_i/dT
};

/// Ring resonance drift dλ_r/dT = (λ/n_g)·[Σ_i Γ_i dn_i/dT + n_eff α_sub] in m/K
/// (physics.md §2.2, L). Throws std::invalid_argument unless λ > 0 and n_g > 0.
double ring_drift_m_per_K(double lambda_m, double group_index,
                          const std::vector<ConfinementTerm>& terms, double effective_index = 0.0,
                          double expansion_per_K = 0.0);

/// Free spectral range FSR = λ²/(n_g·2πR) in m (physics.md §2.2, D). Throws
/// std::invalid_argument unless all arguments are > 0.
double ring_fsr_m(double lambda_m, double group_index, double radius_m);

/// Loaded linewidth δλ = λ/Q_L in m (physics.md §2.2, E). Throws std::invalid_argument unless
/// both are > 0.
double ring_linewidth_m(double lambda_m, double loaded_Q);

/// A micro-ring with a heater, in SI units.
struct RingModel {
  double lambda0_m = 0.0;      ///< resonance at T_ref_K with the heater off, > 0
  double T_ref_K = 300.0;      ///< > 0
  double drift_m_per_K = 0.0;  ///< dλ_r/dT (see ring_drift_m_per_K)
  double fsr_m = 0.0;          ///< free spectral range; 0 = unknown (no wrap)
  double loaded_Q = 5000.0;    ///< > 0
  /// Heater tuning efficiency η, m/W (1 nm/mW = 1e-6 m/W), > 0. It is the local effect of the
  /// heater on its own ring, which a package-scale grid does not resolve; the grid supplies
  /// the rest (the package temperature, other heaters, the heater's own smeared heat).
  double heater_efficiency_m_per_W = 0.25e-6;
  double heater_max_W = 0.05;  ///< ≥ 0
};

/// A ring evaluated at one temperature against one target wavelength.
struct RingState {
  double T_K = 0.0;                ///< footprint temperature used
  double resonance_m = 0.0;        ///< λ_r(T) = λ0 + dλ/dT·(T − T_ref), heater off
  double drift_m = 0.0;            ///< λ_r(T) − λ0 (the thermal Δλ)
  double target_m = 0.0;           ///< the wavelength to lock to
  double detuning_m = 0.0;         ///< target − λ_r(T): > 0 means the resonance sits blue of it
  int order = 0;                   ///< resonance used: λ_r + order·FSR (0 = the design order)
  double shift_m = 0.0;            ///< red shift needed on that order, in [0, FSR) with an FSR
  double heater_required_W = 0.0;  ///< shift / η, before clamping
  double heater_W = 0.0;           ///< clamped to [0, heater_max_W]
  bool in_range = true;            ///< the shift is reachable within heater_max_W
  double residual_m = 0.0;  ///< shift − η·heater_W: detuning left after tuning (0 in range)
  /// Tuning headroom: η·P_max − shift (how much further the target may move red); negative =
  /// out of range by that much (or, without an FSR, the blue shift that no heater can give).
  double margin_m = 0.0;
  double linewidth_m = 0.0;  ///< λ_r/Q_L
};

/// Evaluates `ring` at temperature `T_K` against `target_m` (physics.md §2.3 "re-tune power",
/// D): tuning is one-directional (a heater only red-shifts), so the resonance order is the
/// nearest one blue of the target, shift = detuning mod FSR ∈ [0, FSR), the cheapest reachable
/// order; P = shift/η, clamped at heater_max_W (then in_range = false). Without an FSR
/// (fsr_m = 0) the design order is used and a resonance red of the target is out of range.
/// Throws std::invalid_argument for a model with λ0, Q or η ≤ 0, heater_max_W < 0, fsr_m < 0,
/// or a non-finite T or target.
RingState evaluate_ring(const RingModel& ring, double T_K, double target_m);

// ---------------------------------------------------------------------------------------------
// Waveguides and MZIs (physics.md §2.2, §2.6)

/// Optical platform of a waveguide: sets the defaults of WaveguideOptics.
enum class Platform { si, sin };

/// Thermo-optic and loss parameters of a waveguide, SI.
struct WaveguideOptics {
  double wavelength_m = 1310e-9;  ///< > 0
  double dn_eff_dT_per_K = 1.9e-4;
  double group_index = 4.2;
  double loss_dB_per_m = 200.0;  ///< 2 dB/cm
  double T_ref_K = 300.0;
};

/// Platform defaults: Si strip 500 × 220 nm: dn_eff/dT 1.9e-4 /K, n_g 4.2 (physics.md §2.2,
/// D/L), 2 dB/cm (§2.6, E: strip 1.5–3); SiN: dn_eff/dT 2.0e-5 /K (§2.2, D: Γ_SiN 0.7 ×
/// 2.45e-5 + 0.3 × 0.95e-5), n_g 2.0 (§2.2), 0.3 dB/cm (§2.6, E: 0.1–0.5). λ 1310 nm (E:
/// O-band CPO).
WaveguideOptics platform_defaults(Platform platform);

/// A waveguide evaluated on a temperature field.
struct WaveguideState {
  PathTemperature path;
  double phase_rad = 0.0;  ///< Δφ = (2π/λ)·dn_eff/dT·∫(T − T_ref) ds (physics.md §2.2, D)
  double loss_dB = 0.0;    ///< loss_dB_per_m · length
  double group_delay_s = 0.0;  ///< n_g · length / c
};

/// Thermo-optic phase Δφ = (2π/λ)·(dn_eff/dT)·∫ΔT ds for ∫ΔT ds = `integral_dT_K_m`.
double thermo_optic_phase_rad(const WaveguideOptics& optics, double integral_dT_K_m);

/// Evaluates a waveguide along `pieces` (see path_pieces). Throws as integrate_path, and
/// std::invalid_argument for λ or n_g ≤ 0.
WaveguideState evaluate_waveguide(const mesh::CellField& temperature,
                                  const std::vector<PathPiece>& pieces,
                                  const WaveguideOptics& optics);

/// An MZI: two arms of the same optics.
struct MziState {
  WaveguideState arm_a, arm_b;
  double imbalance_rad = 0.0;  ///< Δφ_a − Δφ_b: the thermal phase error between the arms
  double arm_dT_K = 0.0;       ///< T_mean(a) − T_mean(b)
};

/// Evaluates both arms and their phase imbalance. Throws as evaluate_waveguide.
MziState evaluate_mzi(const mesh::CellField& temperature, const std::vector<PathPiece>& arm_a,
                      const std::vector<PathPiece>& arm_b, const WaveguideOptics& optics);

// ---------------------------------------------------------------------------------------------
// Wavelength grids (physics.md §2.5)

/// One channel: its centre and the window a source must stay in.
struct Channel {
  double centre_m = 0.0;
  double window_lo_m = 0.0;
  double window_hi_m = 0.0;
};

/// A channel grid, channels ordered by increasing wavelength.
struct WavelengthGrid {
  std::string name;
  std::vector<Channel> channels;
  std::string source;  ///< physics.md § and tag
};

/// Names of the built-in grids: CWDM (ITU G.694.2, 18 ch), CWDM4 (= FR4), FR4, DR4, LAN-WDM,
/// CW-WDM-8 (400 GHz), CW-WDM-16 (200 GHz), CW-WDM-32 (100 GHz), DWDM-100GHz (40 ch),
/// DWDM-50GHz (80 ch).
std::vector<std::string> builtin_grid_names();

/// The built-in grid `name` (see builtin_grid_names), or nothing. Windows: CWDM/CWDM4/FR4/DR4
/// ±6.5 nm (S); LAN-WDM ±1 nm (L); CW-WDM and DWDM ±¼ spacing (E). CW-WDM channels are
/// symmetric in frequency about 1310 nm (E: physics.md §2.5 gives only count and spacing, L);
/// DWDM starts at the 193.1 THz anchor and goes down in frequency (L).
std::optional<WavelengthGrid> builtin_grid(const std::string& name);

/// Distance from `lambda_m` to the nearer edge of `channel`'s window: > 0 inside, < 0 outside.
double window_margin_m(const Channel& channel, double lambda_m);

}  // namespace cposim::postproc
