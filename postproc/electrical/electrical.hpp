#pragma once
/// \file
/// Electrical reach of ASIC ↔ optical-engine lanes (physics.md §3 and §6 item 5): data rate →
/// baud → Nyquist frequency; per-metre loss of package media at that frequency (physical
/// conductor loss, continuous from DC to the skin regime, plus dielectric loss, or the COM-style
/// α(f) = a1√f + a2 f) with copper ρ(T) and optional Df(T); transitions (bumps, vias, TSVs);
/// loss budgets of the standards; a trace-length estimator from the placement; and the loss
/// of a route integrated segment by segment through a solved temperature field.
///
/// Pure functions and plain data: nothing here prints, reads files or keeps state. SI units
/// throughout (m, Hz, K, Ω, Np or dB as the suffix says). Bad arguments throw
/// std::invalid_argument; cases/ validates user input before it gets here.

#include <array>
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "mesh/cell_field.hpp"

namespace cposim::postproc {

// ---- Constants -------------------------------------------------------------------------------

/// μ0 in H/m (CODATA 2018).
inline constexpr double kVacuumPermeability_H_per_m = 1.25663706212e-6;
/// c in m/s (exact).
inline constexpr double kSpeedOfLight_m_per_s = 299792458.0;
/// dB per neper: 20 / ln 10.
inline constexpr double kDecibelPerNeper = 8.685889638065036;
/// Cu resistivity at 20 °C, Ω·m: plated copper, physics.md §3.2 (S; 1.68e-8 pure bulk).
inline constexpr double kCopperResistivity20C_Ohm_m = 1.72e-8;
/// Cu temperature coefficient of resistivity, 1/K, referred to 20 °C: physics.md §3.2 (S).
inline constexpr double kCopperTemperatureCoefficient_per_K = 0.00393;
/// 20 °C in K: the reference temperature of ρ20.
inline constexpr double kResistivityReference_K = 293.15;
/// 25 °C in K: the temperature of the default loss library (physics.md §3.3) and of the
/// "IL at 25 °C" columns.
inline constexpr double kLossReference_K = 298.15;
/// The two frequencies at which physics.md §3.4 tabulates transition losses, Hz.
inline constexpr double kTransitionLowFrequency_Hz = 28e9;
inline constexpr double kTransitionHighFrequency_Hz = 53e9;
/// "No limit" for Budget::loss_dB and Budget::reach_m.
inline constexpr double kNoLimit = std::numeric_limits<double>::infinity();

// ---- Signalling ------------------------------------------------------------------------------

/// Line coding of a lane: NRZ (2 levels) or PAM-M.
enum class Modulation { nrz, pam4, pam6, pam8 };
/// The names of the modulations in enum order (case files, reports).
inline constexpr std::array<const char*, 4> kModulationNames = {"nrz", "pam4", "pam6", "pam8"};

/// "nrz", "pam4", "pam6" or "pam8".
const char* to_string(Modulation modulation);
/// Number of signal levels M: 2, 4, 6 or 8.
int modulation_levels(Modulation modulation);
/// Bits per symbol, log2(M): 1, 2, 2.585 or 3.
double bits_per_symbol(Modulation modulation);
/// Symbol rate in baud: data_rate_bps / log2(M); 212.5 Gb/s PAM4 → 106.25 GBd (physics.md
/// §3.1, D). Throws std::invalid_argument if the rate is not finite and > 0.
double baud_rate_Bd(double data_rate_bps, Modulation modulation);
/// Nyquist frequency in Hz: baud / 2; 106.25 GBd → 53.125 GHz (physics.md §3.1, D). Throws
/// std::invalid_argument if the baud is not finite and > 0.
double nyquist_frequency_Hz(double baud_Bd);

// ---- Loss formulas (physics.md §3.2) ---------------------------------------------------------

/// Copper resistivity at T: ρ(T) = ρ20 (1 + α (T − 293.15 K)), Ω·m; α = 0.00393 /K and
/// ρ20 = 1.72e-8 Ω·m by default (physics.md §3.2, S). Throws std::invalid_argument if the
/// result is not > 0 (T far below 20 °C) or an argument is not finite.
double copper_resistivity_Ohm_m(double T_K, double rho20_Ohm_m = kCopperResistivity20C_Ohm_m,
                                double alpha_per_K = kCopperTemperatureCoefficient_per_K);
/// Skin depth δ = √(ρ / (π f μ0)), m. Cu at 20 °C: 0.39 µm at 28 GHz, 0.29 µm at 53 GHz.
/// Preconditions: f > 0, ρ > 0 (else std::invalid_argument).
double skin_depth_m(double f_Hz, double rho_Ohm_m);
/// Surface resistance R_s = √(π f μ0 ρ), Ω per square. Cu at 20 °C: 0.044 Ω at 28 GHz, 0.060 Ω
/// at 53 GHz. Preconditions: f > 0, ρ > 0.
double surface_resistance_Ohm(double f_Hz, double rho_Ohm_m);
/// Skin-regime conductor loss of a strip of width w: α_c = K_r R_s / (2 w Z0) Np/m (R' ≈ R_s / w
/// for the strip's two faces plus the return planes), returned in dB/m. ∝ √f √ρ. w = 25 µm,
/// Z0 = 50 Ω, K_r = 1: 0.15 dB/mm at 28 GHz. Preconditions: every argument > 0.
double skin_conductor_loss_dB_per_m(double f_Hz, double rho_Ohm_m, double width_m, double Z0_Ohm,
                                    double roughness_factor);
/// Thin-RDL (t ≪ δ, DC) conductor loss: R' = ρ / (w t), α_c = R' / (2 Z0) Np/m, in dB/m;
/// frequency-flat and ∝ ρ. 2 µm × 1 µm Cu at 20 °C: 8.6 Ω/mm → 0.75 dB/mm. Preconditions:
/// every argument > 0. The DC limit of conductor_loss_dB_per_m.
double thin_conductor_loss_dB_per_m(double rho_Ohm_m, double width_m, double thickness_m,
                                    double Z0_Ohm);
/// Resistance per metre of a strip of width w and finite thickness t carrying the current on
/// both faces (a stripline's strip): the real part of its internal impedance
/// Z = (ρ k / (2 w)) coth(k t / 2), k = (1 + j)/δ, i.e.
/// R' = (R_s / (2 w)) · (sinh x + sin x) / (cosh x − cos x), x = t/δ.
/// t ≪ δ: ρ/(w t) (DC, + O(x⁴)); t ≫ δ: R_s/(2 w) (each face carries half the current).
/// Not monotone in t: it dips to tanh(π/2) = 0.917 of R_s/(2 w) at t = πδ (the two faces'
/// fields interfere), then rises to R_s/(2 w). Preconditions: every argument > 0.
double strip_resistance_Ohm_per_m(double f_Hz, double rho_Ohm_m, double width_m,
                                  double thickness_m);
/// Conductor loss of a strip line, one model from DC to the skin regime (issue 23):
/// R' = R_dc + K_r (R_strip − R_dc) + p K_r R_s / (2 w), α_c = R' / (2 Z0), in dB/m, where
/// R_strip is strip_resistance_Ohm_per_m, R_dc = ρ/(w t), and p R_s/(2 w) is the return
/// planes' share: p = 1 for thick planes carrying the return under a wide strip (physics.md
/// §3.2's "strip both faces + planes", R' → R_s/w), p → 0 where the return spreads over planes
/// much wider than the strip. The roughness factor K_r acts on the AC part only. Limits:
/// t ≪ δ → thin_conductor_loss (relative difference ≈ p t/(2δ)); t ≫ δ with p = 1 →
/// skin_conductor_loss (relative difference ≈ (K_r − 1) 2δ/(K_r t)). Continuous (analytic) in
/// f, ρ and t; increases with ρ. Preconditions: f, ρ, w, t, Z0 > 0, K_r ≥ 1, 0 ≤ p ≤ 1.
double conductor_loss_dB_per_m(double f_Hz, double rho_Ohm_m, double width_m, double thickness_m,
                               double Z0_Ohm, double roughness_factor,
                               double return_plane_factor = 1.0);
/// Dielectric loss α_d = π f √Dk Df / c Np/m (= 8.686 π f √ε tanδ / c dB/m), in dB/m. ABF
/// (Dk 3.3, Df 0.005) at 28 GHz: 0.023 dB/mm. Preconditions: f ≥ 0, Dk ≥ 1, Df ≥ 0.
double dielectric_loss_dB_per_m(double f_Hz, double Dk, double Df);
/// COM-style package trace loss γ(f) = a1 √f + a2 f (IEEE 802.3 Annex 93A style), in dB/m,
/// with a1 in Np/(m √Hz) and a2 in Np/(m Hz). Preconditions: f ≥ 0, a1 ≥ 0, a2 ≥ 0.
double com_loss_dB_per_m(double f_Hz, double a1_Np_per_m_sqrtHz, double a2_Np_per_m_Hz);
/// a1 as tabulated (Np/mm with f in GHz) → Np/(m √Hz): × 1e3 / √1e9.
double com_a1_from_Np_per_mm_sqrtGHz(double a1_Np_per_mm_sqrtGHz);
/// a2 as tabulated (Np/mm with f in GHz) → Np/(m Hz): × 1e3 / 1e9.
double com_a2_from_Np_per_mm_GHz(double a2_Np_per_mm_GHz);

// ---- Media -----------------------------------------------------------------------------------

/// How a medium's loss is computed.
enum class LossModel {
  physical,  ///< conductor (DC to skin, conductor_loss_dB_per_m) + dielectric, ρ(T), Dk, Df
  com,  ///< α = a1 √f + a2 f at 25 °C; a1 scaled by √(ρ(T)/ρ(25 °C)), a2 by Df(T)/Df(25 °C)
};
/// "physical" or "com".
const char* to_string(LossModel model);

/// A transmission medium: a trace type of the package with its loss model. Plain data.
struct Medium {
  std::string name;
  LossModel model = LossModel::physical;
  // physical
  double width_m = 0.0;              ///< strip width, > 0
  double thickness_m = 0.0;          ///< strip thickness, > 0
  double Z0_Ohm = 50.0;              ///< characteristic impedance, > 0
  double roughness_factor = 1.0;     ///< K_r ≥ 1 on the AC part of the loss (Hammerstad/Huray)
  double return_plane_factor = 1.0;  ///< p in [0, 1], conductor_loss_dB_per_m
  double Dk = 1.0;                   ///< effective relative permittivity, ≥ 1
  double Df = 0.0;                   ///< loss tangent at 25 °C, ≥ 0
  double rho20_Ohm_m = kCopperResistivity20C_Ohm_m;  ///< conductor resistivity at 20 °C, > 0
  // com
  double a1_Np_per_m_sqrtHz = 0.0;  ///< ≥ 0, at 25 °C
  double a2_Np_per_m_Hz = 0.0;      ///< ≥ 0, at 25 °C
  /// Df(T) = Df(25 °C) (1 + c (T − 298.15 K)); for `com` it scales the a2 term. 0: constant.
  double Df_T_coefficient_per_K = 0.0;
  std::string source;  ///< provenance, e.g. "physics.md §3.3 (D)"
};

/// Throws std::invalid_argument naming the medium and parameter if a parameter of its model is
/// out of range (see the member comments).
void validate(const Medium& medium);

/// The loss of a medium at one frequency and temperature, split into its parts.
struct MediumLoss {
  double conductor_dB_per_m = 0.0;
  double dielectric_dB_per_m = 0.0;
  double thickness_over_skin_depth = 0.0;  ///< t/δ(f, ρ(T)) (physical media; 0 for com)
  double total_dB_per_m() const { return conductor_dB_per_m + dielectric_dB_per_m; }
};

/// Loss of `medium` at f and T. physical: conductor_loss_dB_per_m at ρ(T), dielectric from Dk
/// and Df(T). com: a1 √f √(ρ(T)/ρ(25 °C)) + a2 f Df(T)/Df(25 °C), reported as conductor and
/// dielectric parts. A non-finite T gives NaN losses (an unconverged field is reported, not fatal).
/// Throws std::invalid_argument if f ≤ 0 or T makes ρ or Df negative.
MediumLoss medium_loss(const Medium& medium, double f_Hz, double T_K);
/// medium_loss(...).total_dB_per_m().
double medium_loss_dB_per_m(const Medium& medium, double f_Hz, double T_K);

/// The default media of physics.md §3.3 at 25 °C (each entry's `source` names its § and tag);
/// the organic ones (abf_*, pcb_midloss) with Df(T) rising +20 % from 25 to 85 °C (§3.2, E):
/// abf_stripline, abf_microstrip, glass_interposer, pcb_midloss, si_bridge, si_rdl. Sorted
/// by name.
const std::vector<Medium>& builtin_media();
/// The built-in medium `name`, or nullptr.
const Medium* find_builtin_medium(const std::string& name);

// ---- Transitions (physics.md §3.4) -----------------------------------------------------------

/// A vertical transition (bump, via stack, TSV) with its insertion loss at 28 and 53 GHz.
struct Transition {
  std::string name;
  double IL_28GHz_dB = 0.0;  ///< > 0
  double IL_53GHz_dB = 0.0;  ///< > 0
  std::string source;
};
/// Loss of one transition at f: the power law IL = IL28 (f / 28 GHz)^p through both points,
/// p = ln(IL53 / IL28) / ln(53 / 28); → 0 at DC, no sign change when extrapolated.
/// Temperature-independent (physics.md §3.4 gives no T data). Throws std::invalid_argument if
/// f ≤ 0 or either loss is not > 0.
double transition_loss_dB(const Transition& transition, double f_Hz);
/// The transitions of physics.md §3.4 (centres of its E ranges): c4 (C4 bump + substrate via
/// stack), pth, tsv, ubump. Sorted by name.
const std::vector<Transition>& builtin_transitions();
/// The built-in transition `name`, or nullptr.
const Transition* find_builtin_transition(const std::string& name);

// ---- Budgets (physics.md §3.1) ---------------------------------------------------------------

/// A link budget: a loss limit at Nyquist (bump to bump), a reach limit, or both, and the
/// symbol-rate range the standard covers.
struct Budget {
  std::string name;
  double loss_dB = kNoLimit;  ///< insertion-loss budget at Nyquist; kNoLimit: none
  double reach_m = kNoLimit;  ///< routed-length limit; kNoLimit: none
  double baud_min_Bd = 0.0;   ///< symbol rates the standard covers
  double baud_max_Bd = kNoLimit;
  std::string source;
};
/// CEI-112G-XSR (10 dB, L), CEI-112G-XSR+ (13 dB, S), CEI-112G-VSR (16 dB, S), CEI-224G-XSR
/// (11.5 dB, E), CEI-224G-VSR (19 dB, E), UCIe-2D (25 mm reach, S), UCIe-2.5D (2 mm reach, L),
/// in that order.
const std::vector<Budget>& builtin_budgets();
/// The built-in budget `name`, or nullptr.
const Budget* find_builtin_budget(const std::string& name);

// ---- Trace-length estimator ------------------------------------------------------------------

/// An edge of an axis-aligned rectangle in the x-y plane.
enum class Edge { x_min, x_max, y_min, y_max };
/// The names of the edges in enum order (case files, reports).
inline constexpr std::array<const char*, 4> kEdgeNames = {"x_min", "x_max", "y_min", "y_max"};
/// "x_min", "x_max", "y_min" or "y_max".
const char* to_string(Edge edge);

/// An axis-aligned rectangle in the x-y plane, metres; lo < hi on both axes.
struct Rectangle {
  std::array<double, 2> lo_m{};  ///< lowest x, y
  std::array<double, 2> hi_m{};  ///< highest x, y
};

/// Where a group of lanes leaves the ASIC and where it lands on the engine.
///
/// The SerDes bumps form rows parallel to `edge`, starting `inset_m` inside the die edge. A
/// lane occupies `bumps_per_lane` bump sites along a row, so a row holds
/// n = min(lanes, max(1, floor(span / (bumps_per_lane · pitch)))) lanes; lane i sits in row
/// i div n and column i mod n, the n columns splitting [span_lo, span_hi] evenly. Its bump lies
/// inset + (row + ½) · pitch inside the edge; the escape runs straight from the bump to the
/// edge at the column's centre. On the engine the same rule gives the landing slots on the
/// engine's edge that faces the ASIC, over the whole edge, with inset 0. The two ends are paired
/// in order along the edge (stable sort by position, so ties keep row order): the lane with the
/// r-th ASIC position lands on the r-th engine slot, so lanes never cross.
struct LaneEscapeGeometry {
  Rectangle die_m;              ///< ASIC die footprint
  Edge edge = Edge::x_min;      ///< the die edge the lanes leave through
  double span_lo_m = 0.0;       ///< SerDes extent along the edge (y for x edges, x for y edges)
  double span_hi_m = 0.0;       ///< > span_lo_m
  double inset_m = 0.0;         ///< ≥ 0: from the die edge to the SerDes bump field
  Rectangle engine_m;           ///< EIC footprint; lies entirely beyond `edge`
  double bump_pitch_m = 40e-6;  ///< > 0
  int bumps_per_lane = 3;       ///< ≥ 1
  double detour_factor = 1.1;   ///< ≥ 1: routed length per Manhattan length
};

/// The estimated route of one lane, in the x-y plane (metres).
struct LaneEstimate {
  std::array<double, 2> asic_bump_m{};    ///< the lane's SerDes bump
  std::array<double, 2> asic_edge_m{};    ///< escape point on the die edge
  std::array<double, 2> engine_edge_m{};  ///< landing point on the engine's facing edge
  std::array<double, 2> engine_bump_m{};  ///< the lane's engine bump
  double asic_escape_m = 0.0;             ///< bump → die edge
  double manhattan_m = 0.0;               ///< |Δx| + |Δy| between the two edge points
  double engine_escape_m = 0.0;           ///< engine edge → bump
  double geometric_length_m = 0.0;        ///< asic_escape + manhattan + engine_escape
  double routed_length_m = 0.0;           ///< geometric_length · detour_factor
  /// bump → edge → jog → … → engine edge → bump: a Manhattan path (jog halfway across the gap)
  /// whose length is geometric_length_m; consecutive points are distinct.
  std::vector<std::array<double, 2>> path_m;
};

/// Estimated routes of `lanes` lanes (lane i at index i) by the rule of LaneEscapeGeometry.
/// Throws std::invalid_argument if lanes < 1, a size or pitch is not > 0, the span is empty,
/// bumps_per_lane < 1, the detour factor < 1, or the engine does not lie beyond the edge.
std::vector<LaneEstimate> estimate_lane_routes(const LaneEscapeGeometry& geometry, int lanes);

/// Routing layers needed to escape `lanes` lanes across `shoreline_m` of die edge when one
/// layer carries `lanes_per_m_per_layer` lanes per metre of shoreline:
/// ceil(lanes / (shoreline · density)). Throws std::invalid_argument unless lanes ≥ 0 and the
/// other two are > 0.
int routing_layers_needed(int lanes, double shoreline_m, double lanes_per_m_per_layer);

// ---- Routes through a temperature field ------------------------------------------------------

/// One step of a route, in order from the ASIC to the engine.
struct RouteStep {
  enum class Kind { medium, transition };
  Kind kind = Kind::medium;
  Medium medium;          ///< medium steps
  Transition transition;  ///< transition steps
  int count = 1;          ///< transition steps: how many in series (≥ 1)
  /// medium: the path, ≥ 1 point (one point, or repeated points: zero length);
  /// transition: exactly one point, where it sits.
  std::vector<std::array<double, 3>> points_m;
  double length_scale = 1.0;  ///< routed length per unit path length (the detour factor), > 0
  bool variable = false;      ///< the medium whose length changes when the reach is sought
};

/// A lane's route: steps plus a fixed extra loss (IL_pkg of physics.md §3.1).
struct Route {
  std::vector<RouteStep> steps;
  double extra_loss_dB = 0.0;  ///< ≥ 0
};

/// A drawable piece of an evaluated route.
struct RouteSegment {
  std::array<double, 3> a_m{};
  std::array<double, 3> b_m{};
  double T_K = 0.0;      ///< mean along the piece (transitions: at the transition's point)
  double loss_dB = 0.0;  ///< at the sampled temperature
  std::size_t step = 0;  ///< index into Route::steps
};

/// The loss of a route at one frequency.
struct RouteLoss {
  double length_m = 0.0;     ///< routed length of all media
  double loss_dB = 0.0;      ///< media at the sampled T + transitions + extra
  double loss_25C_dB = 0.0;  ///< the same with every medium at 25 °C
  double transition_loss_dB = 0.0;
  double T_mean_K = 0.0;               ///< routed-length-weighted mean over the media
  double T_max_K = 0.0;                ///< largest sampled T on a medium
  double T_min_K = 0.0;                ///< smallest sampled T on a medium
  bool has_variable_medium = false;    ///< a step is marked variable
  double variable_length_m = 0.0;      ///< routed length of the variable medium
  double variable_loss_dB = 0.0;       ///< its loss at the sampled T
  double variable_loss_25C_dB = 0.0;   ///< its loss at 25 °C
  double variable_dB_per_m = 0.0;      ///< its mean loss per metre at the sampled T
  double variable_25C_dB_per_m = 0.0;  ///< its loss per metre at 25 °C
  std::size_t num_samples = 0;         ///< temperature samples taken
  std::vector<RouteSegment> segments;  ///< media pieces and transitions, in route order
};

/// Integrates the loss of `route` at f_Hz through the temperature field `T_K` (kelvin).
///
/// Each straight segment of a medium's path is cut wherever it crosses a cell face or a
/// cell-centre plane of the grid, so every piece lies inside one cell and between one pair of
/// neighbouring centres (pieces ≤ ½ cell width). On each piece T is sampled with sample_at at
/// both ends and the middle, and α(f, T) is integrated with Simpson's rule, times the step's
/// length_scale: exact for a field linear along the piece when α is linear in T (thin RDL,
/// Df(T)); for √ρ (skin regime) the error is of order (αΔT)⁴. Transitions add
/// count · transition_loss_dB at their point; their drawn segment joins the neighbouring media.
/// Exactly one or no step may be `variable`.
///
/// Throws std::invalid_argument for a malformed route (a step without points, a transition
/// with more than one point, count < 1, length_scale ≤ 0, several variable steps, an invalid
/// medium) and std::out_of_range (from sample_at) for a point outside the grid.
RouteLoss integrate_route_loss(const mesh::CellField& T_K, const Route& route, double f_Hz);

/// Total routed length at which the margin is zero when only the variable medium's length
/// changes: L = L_fixed + (budget − IL_fixed) / α_var, with L_fixed and IL_fixed the length
/// and loss of everything else. If IL_fixed ≥ budget the reach is L_fixed (no length gives
/// zero margin); if α_var ≤ 0 or the budget is kNoLimit it is kNoLimit. Throws
/// std::invalid_argument for a negative length or a NaN argument.
double reach_at_zero_margin_m(double budget_dB, double fixed_length_m, double fixed_loss_dB,
                              double variable_dB_per_m);

/// A route's standing against a budget, at the solved temperature and at 25 °C.
struct LaneMargin {
  double margin_dB = 0.0;        ///< budget − IL at the sampled T (kNoLimit without a loss limit)
  double margin_25C_dB = 0.0;    ///< budget − IL at 25 °C
  double max_reach_m = 0.0;      ///< at the sampled T: min(reach_at_zero_margin_m, reach limit)
  double max_reach_25C_m = 0.0;  ///< the same at 25 °C
  bool pass = false;             ///< margin ≥ 0 and length ≤ the reach limit
  bool pass_25C = false;
};
/// Margin, pass/fail and maximum reach of `loss` against `budget`; the variable medium's mean
/// loss per metre (at the sampled T, or at 25 °C) extends or shortens the route. Without a
/// variable medium both reaches are NaN. A NaN loss (unconverged field) gives NaN margins and
/// fails. Throws as reach_at_zero_margin_m.
LaneMargin evaluate_margin(const RouteLoss& loss, const Budget& budget);

}  // namespace cposim::postproc
