/// \file
/// Lane loss models, library, estimator and route integration (physics.md §3, §6 item 5).
#include "postproc/electrical/electrical.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <limits>
#include <sstream>
#include <stdexcept>

#include "postproc/fields/probes.hpp"

namespace cposim::postproc {
namespace {

constexpr double kPi = 3.14159265358979323846;

std::string number(double value) {
  std::ostringstream text;
  text << std::setprecision(6) << value;
  return text.str();
}

void require(bool ok, const std::string& what) {
  if (!ok) throw std::invalid_argument(what);
}

void require_positive(double value, const char* function, const char* name) {
  require(std::isfinite(value) && value > 0.0,
          std::string(function) + ": " + name + " must be finite and > 0, got " + number(value));
}

void require_non_negative(double value, const char* function, const char* name) {
  require(std::isfinite(value) && value >= 0.0,
          std::string(function) + ": " + name + " must be finite and >= 0, got " + number(value));
}

/// Df(T) / Df(25 °C) = 1 + c (T − 298.15 K).
double df_factor(const Medium& m, double T_K) {
  const double factor = 1.0 + m.Df_T_coefficient_per_K * (T_K - kLossReference_K);
  require(factor >= 0.0, "medium '" + m.name + "': Df(T) is negative at T = " + number(T_K) + " K");
  return factor;
}

}  // namespace

// ---- Signalling ------------------------------------------------------------------------------

const char* to_string(Modulation modulation) {
  switch (modulation) {
    case Modulation::nrz:
      return "nrz";
    case Modulation::pam4:
      return "pam4";
    case Modulation::pam6:
      return "pam6";
    case Modulation::pam8:
      return "pam8";
  }
  return "?";
}

int modulation_levels(Modulation modulation) {
  switch (modulation) {
    case Modulation::nrz:
      return 2;
    case Modulation::pam4:
      return 4;
    case Modulation::pam6:
      return 6;
    case Modulation::pam8:
      return 8;
  }
  return 2;
}

double bits_per_symbol(Modulation modulation) {
  return std::log2(static_cast<double>(modulation_levels(modulation)));
}

double baud_rate_Bd(double data_rate_bps, Modulation modulation) {
  require_positive(data_rate_bps, "baud_rate_Bd", "data rate");
  return data_rate_bps / bits_per_symbol(modulation);
}

double nyquist_frequency_Hz(double baud_Bd) {
  require_positive(baud_Bd, "nyquist_frequency_Hz", "baud rate");
  return 0.5 * baud_Bd;
}

// ---- Loss formulas ---------------------------------------------------------------------------

double copper_resistivity_Ohm_m(double T_K, double rho20_Ohm_m, double alpha_per_K) {
  require(std::isfinite(T_K) && std::isfinite(alpha_per_K),
          "copper_resistivity_Ohm_m: T and alpha must be finite");
  require_positive(rho20_Ohm_m, "copper_resistivity_Ohm_m", "rho20");
  const double rho = rho20_Ohm_m * (1.0 + alpha_per_K * (T_K - kResistivityReference_K));
  require(rho > 0.0,
          "copper_resistivity_Ohm_m: resistivity is not > 0 at T = " + number(T_K) + " K");
  return rho;
}

double skin_depth_m(double f_Hz, double rho_Ohm_m) {
  require_positive(f_Hz, "skin_depth_m", "frequency");
  require_positive(rho_Ohm_m, "skin_depth_m", "resistivity");
  return std::sqrt(rho_Ohm_m / (kPi * f_Hz * kVacuumPermeability_H_per_m));
}

double surface_resistance_Ohm(double f_Hz, double rho_Ohm_m) {
  require_positive(f_Hz, "surface_resistance_Ohm", "frequency");
  require_positive(rho_Ohm_m, "surface_resistance_Ohm", "resistivity");
  return std::sqrt(kPi * f_Hz * kVacuumPermeability_H_per_m * rho_Ohm_m);
}

double skin_conductor_loss_dB_per_m(double f_Hz, double rho_Ohm_m, double width_m, double Z0_Ohm,
                                    double roughness_factor) {
  require_positive(width_m, "skin_conductor_loss_dB_per_m", "width");
  require_positive(Z0_Ohm, "skin_conductor_loss_dB_per_m", "Z0");
  require_positive(roughness_factor, "skin_conductor_loss_dB_per_m", "roughness factor");
  const double alpha_Np_per_m =
      roughness_factor * surface_resistance_Ohm(f_Hz, rho_Ohm_m) / (2.0 * width_m * Z0_Ohm);
  return kDecibelPerNeper * alpha_Np_per_m;
}

double thin_conductor_loss_dB_per_m(double rho_Ohm_m, double width_m, double thickness_m,
                                    double Z0_Ohm) {
  require_positive(rho_Ohm_m, "thin_conductor_loss_dB_per_m", "resistivity");
  require_positive(width_m, "thin_conductor_loss_dB_per_m", "width");
  require_positive(thickness_m, "thin_conductor_loss_dB_per_m", "thickness");
  require_positive(Z0_Ohm, "thin_conductor_loss_dB_per_m", "Z0");
  const double R_Ohm_per_m = rho_Ohm_m / (width_m * thickness_m);
  return kDecibelPerNeper * R_Ohm_per_m / (2.0 * Z0_Ohm);
}

double strip_resistance_Ohm_per_m(double f_Hz, double rho_Ohm_m, double width_m,
                                  double thickness_m) {
  require_positive(width_m, "strip_resistance_Ohm_per_m", "width");
  require_positive(thickness_m, "strip_resistance_Ohm_per_m", "thickness");
  const double x = thickness_m / skin_depth_m(f_Hz, rho_Ohm_m);
  const double R_dc = rho_Ohm_m / (width_m * thickness_m);
  // Re[u coth u], u = (1 + j) x / 2: 1 + x⁴/180 − x⁸/75600 + O(x¹²) for small x (the closed
  // form below cancels there); the closed form in e^{−x} does not overflow for large x.
  if (x < 0.1) {
    const double x4 = x * x * x * x;
    return R_dc * (1.0 + x4 / 180.0 - x4 * x4 / 75600.0);
  }
  const double e1 = std::exp(-x), e2 = e1 * e1;
  const double G = (1.0 - e2 + 2.0 * std::sin(x) * e1) / (1.0 + e2 - 2.0 * std::cos(x) * e1);
  return surface_resistance_Ohm(f_Hz, rho_Ohm_m) / (2.0 * width_m) * G;
}

double conductor_loss_dB_per_m(double f_Hz, double rho_Ohm_m, double width_m, double thickness_m,
                               double Z0_Ohm, double roughness_factor, double return_plane_factor) {
  require_positive(Z0_Ohm, "conductor_loss_dB_per_m", "Z0");
  require(return_plane_factor >= 0.0 && return_plane_factor <= 1.0,
          "conductor_loss_dB_per_m: return-plane factor must be in [0, 1], got " +
              number(return_plane_factor));
  require(
      std::isfinite(roughness_factor) && roughness_factor >= 1.0,
      "conductor_loss_dB_per_m: roughness factor must be >= 1, got " + number(roughness_factor));
  const double R_dc = rho_Ohm_m / (width_m * thickness_m);
  const double R_strip = strip_resistance_Ohm_per_m(f_Hz, rho_Ohm_m, width_m, thickness_m);
  const double R_planes = surface_resistance_Ohm(f_Hz, rho_Ohm_m) / (2.0 * width_m);
  const double R = R_dc + roughness_factor * (R_strip - R_dc + return_plane_factor * R_planes);
  return kDecibelPerNeper * R / (2.0 * Z0_Ohm);
}

double dielectric_loss_dB_per_m(double f_Hz, double Dk, double Df) {
  require_non_negative(f_Hz, "dielectric_loss_dB_per_m", "frequency");
  require(std::isfinite(Dk) && Dk >= 1.0,
          "dielectric_loss_dB_per_m: Dk must be >= 1, got " + number(Dk));
  require_non_negative(Df, "dielectric_loss_dB_per_m", "Df");
  return kDecibelPerNeper * kPi * f_Hz * std::sqrt(Dk) * Df / kSpeedOfLight_m_per_s;
}

double com_loss_dB_per_m(double f_Hz, double a1_Np_per_m_sqrtHz, double a2_Np_per_m_Hz) {
  require_non_negative(f_Hz, "com_loss_dB_per_m", "frequency");
  require_non_negative(a1_Np_per_m_sqrtHz, "com_loss_dB_per_m", "a1");
  require_non_negative(a2_Np_per_m_Hz, "com_loss_dB_per_m", "a2");
  return kDecibelPerNeper * (a1_Np_per_m_sqrtHz * std::sqrt(f_Hz) + a2_Np_per_m_Hz * f_Hz);
}

double com_a1_from_Np_per_mm_sqrtGHz(double a1_Np_per_mm_sqrtGHz) {
  // γ[Np/mm] = a1 √(f/1 GHz): per metre × 1e3, and √(f/GHz) = √f / √1e9.
  return a1_Np_per_mm_sqrtGHz * 1e3 / std::sqrt(1e9);
}

double com_a2_from_Np_per_mm_GHz(double a2_Np_per_mm_GHz) { return a2_Np_per_mm_GHz * 1e3 / 1e9; }

// ---- Media -----------------------------------------------------------------------------------

const char* to_string(LossModel model) { return model == LossModel::physical ? "physical" : "com"; }

void validate(const Medium& m) {
  const std::string who = "medium '" + m.name + "': ";
  auto positive = [&](double v, const char* name) {
    require(std::isfinite(v) && v > 0.0, who + name + " must be > 0, got " + number(v));
  };
  auto non_negative = [&](double v, const char* name) {
    require(std::isfinite(v) && v >= 0.0, who + name + " must be >= 0, got " + number(v));
  };
  require(std::isfinite(m.Df_T_coefficient_per_K),
          who + "Df_T_coefficient_per_K must be finite, got " + number(m.Df_T_coefficient_per_K));
  positive(m.rho20_Ohm_m, "rho20_Ohm_m");
  if (m.model == LossModel::com) {
    non_negative(m.a1_Np_per_m_sqrtHz, "a1");
    non_negative(m.a2_Np_per_m_Hz, "a2");
    return;
  }
  positive(m.width_m, "width_m");
  positive(m.thickness_m, "thickness_m");
  positive(m.Z0_Ohm, "Z0_Ohm");
  require(std::isfinite(m.roughness_factor) && m.roughness_factor >= 1.0,
          who + "roughness_factor must be >= 1, got " + number(m.roughness_factor));
  require(std::isfinite(m.Dk) && m.Dk >= 1.0, who + "Dk must be >= 1, got " + number(m.Dk));
  require(m.return_plane_factor >= 0.0 && m.return_plane_factor <= 1.0,
          who + "return_plane_factor must be in [0, 1], got " + number(m.return_plane_factor));
  non_negative(m.Df, "Df");
}

MediumLoss medium_loss(const Medium& m, double f_Hz, double T_K) {
  require_positive(f_Hz, "medium_loss", "frequency");
  MediumLoss out;
  if (!std::isfinite(T_K)) {  // an unconverged field: report NaN rather than fail
    out.conductor_dB_per_m = out.dielectric_dB_per_m = std::numeric_limits<double>::quiet_NaN();
    return out;
  }
  const double rho = copper_resistivity_Ohm_m(T_K, m.rho20_Ohm_m);
  if (m.model == LossModel::com) {
    // a1 √f is the skin-effect conductor term (∝ √ρ), a2 f the dielectric term (∝ Df).
    const double rho25 = copper_resistivity_Ohm_m(kLossReference_K, m.rho20_Ohm_m);
    out.conductor_dB_per_m =
        com_loss_dB_per_m(f_Hz, m.a1_Np_per_m_sqrtHz, 0.0) * std::sqrt(rho / rho25);
    out.dielectric_dB_per_m = com_loss_dB_per_m(f_Hz, 0.0, m.a2_Np_per_m_Hz) * df_factor(m, T_K);
    return out;
  }
  out.thickness_over_skin_depth = m.thickness_m / skin_depth_m(f_Hz, rho);
  out.conductor_dB_per_m = conductor_loss_dB_per_m(f_Hz, rho, m.width_m, m.thickness_m, m.Z0_Ohm,
                                                   m.roughness_factor, m.return_plane_factor);
  out.dielectric_dB_per_m = dielectric_loss_dB_per_m(f_Hz, m.Dk, m.Df * df_factor(m, T_K));
  return out;
}

double medium_loss_dB_per_m(const Medium& medium, double f_Hz, double T_K) {
  return medium_loss(medium, f_Hz, T_K).total_dB_per_m();
}

const std::vector<Medium>& builtin_media() {
  static const std::vector<Medium> media = [] {
    std::vector<Medium> out;
    // Organic (epoxy-type) dielectrics: Df rises +10 to +30 % from 25 to 85 °C (physics.md
    // §3.2, E); the centre, +20 % over 60 K.
    constexpr double kOrganicDfRise_per_K = 0.20 / 60.0;
    auto com = [](const char* name, double a1, double a2, const char* source) {
      Medium m;
      m.name = name;
      m.model = LossModel::com;
      m.a1_Np_per_m_sqrtHz = com_a1_from_Np_per_mm_sqrtGHz(a1);
      m.a2_Np_per_m_Hz = com_a2_from_Np_per_mm_GHz(a2);
      m.Df_T_coefficient_per_K = kOrganicDfRise_per_K;
      m.source = source;
      return m;
    };
    auto physical = [](const char* name, double width_m, double thickness_m, double roughness,
                       double Dk, double Df, double return_plane, const char* source) {
      Medium m;
      m.name = name;
      m.model = LossModel::physical;
      m.width_m = width_m;
      m.thickness_m = thickness_m;
      m.Z0_Ohm = 50.0;
      m.roughness_factor = roughness;
      m.Dk = Dk;
      m.Df = Df;
      m.return_plane_factor = return_plane;
      m.source = source;
      return m;
    };
    // physics.md §3.2 COM model (L/D): a1 = 1.734e-3, a2 = 1.455e-4 → 0.11 dB/mm at
    // 26.56 GHz, 0.18 dB/mm at 53.1 GHz; §3.3's organic build-up stripline row (D).
    out.push_back(com("abf_stripline", 1.734e-3, 1.455e-4,
                      "physics.md §3.2 COM trace model (L/D), §3.3 ABF stripline (D)"));
    // §3.3 microstrip (E: 0.12–0.18 / 0.2–0.3 dB/mm): the stripline's conductor term × 1.5, the
    // top of §3.2's roughness range K_r 1.1–1.5 → 0.150 / 0.232 dB/mm.
    out.push_back(com("abf_microstrip", 1.5 * 1.734e-3, 1.455e-4,
                      "physics.md §3.3 organic microstrip (E): stripline COM a1 x 1.5"));
    // §3.3 glass (E: 0.06–0.10 / 0.10–0.18 dB/mm, Df 0.001–0.005, thicker Cu): 60 µm × 10 µm
    // smooth Cu (K_r 1.1), Dk 5, Df 0.003, a wide strip over its planes (p = 1) → 0.084 /
    // 0.129 dB/mm.
    out.push_back(physical("glass_interposer", 60e-6, 10e-6, 1.1, 5.0, 0.003, 1.0,
                           "physics.md §3.3 glass core/interposer (E): 60x10 um Cu, Dk 5, Df "
                           "0.003"));
    // §3.3 PCB (E: 0.03–0.05 / 0.06–0.09 dB/mm): a1, a2 fitted here to the centres of the two
    // ranges (0.040 dB/mm at 26.56 GHz, 0.075 dB/mm at 53.1 GHz).
    out.push_back(com("pcb_midloss", 1.90e-4, 1.36e-4,
                      "physics.md §3.3 mid-loss PCB (E): COM a1, a2 fitted to the range centres"));
    // Si-interposer RDL: 2 µm wide lines whose return spreads over planes many times wider
    // than the strip, so the planes' share is left out (p = 0) and the loss is the strip's own
    // finite-thickness internal resistance. At 53 GHz 1 µm is 3.5 δ: the current crowds to the
    // faces and the loss is 1.6× the DC value ρ/(w t) (issue 23). §3.3 lists 0.4–1.0 /
    // 0.5–1.3 dB/mm (D/E).
    // A Si bridge (EMIB/LSI style), the thick end of §3.3's 1–2 µm Cu: 2 µm × 2 µm → 0.92 /
    // 1.33 dB/mm at 26.6 / 53.1 GHz, 25 °C (2 µm is 5–7 δ there: close to the skin limit).
    out.push_back(physical("si_bridge", 2e-6, 2e-6, 1.0, 3.9, 0.001, 0.0,
                           "physics.md §3.3 Si-interposer RDL row, 2x2 um Cu (E)"));
    // 2 µm × 1 µm Cu (§3.2 thin RDL, D: 8.6 Ω/mm at DC → 0.75 dB/mm): 0.91 / 1.23 dB/mm at
    // 26.6 / 53.1 GHz, 25 °C, with the SiO2 dielectric (Dk 3.9, Df 0.001, E: 0.01 dB/mm at
    // 53 GHz).
    out.push_back(physical("si_rdl", 2e-6, 1e-6, 1.0, 3.9, 0.001, 0.0,
                           "physics.md §3.2 thin RDL (D), §3.3 Si-interposer RDL (D/E), finite-"
                           "thickness strip"));
    return out;
  }();
  return media;
}

const Medium* find_builtin_medium(const std::string& name) {
  for (const auto& m : builtin_media())
    if (m.name == name) return &m;
  return nullptr;
}

// ---- Transitions -----------------------------------------------------------------------------

double transition_loss_dB(const Transition& t, double f_Hz) {
  require_positive(f_Hz, "transition_loss_dB", "frequency");
  require(std::isfinite(t.IL_28GHz_dB) && t.IL_28GHz_dB > 0.0 && std::isfinite(t.IL_53GHz_dB) &&
              t.IL_53GHz_dB > 0.0,
          "transition '" + t.name + "': both losses must be > 0");
  const double p = std::log(t.IL_53GHz_dB / t.IL_28GHz_dB) /
                   std::log(kTransitionHighFrequency_Hz / kTransitionLowFrequency_Hz);
  return t.IL_28GHz_dB * std::pow(f_Hz / kTransitionLowFrequency_Hz, p);
}

const std::vector<Transition>& builtin_transitions() {
  // physics.md §3.4, all E: the centre of each range at 28 GHz and at 53 GHz.
  static const std::vector<Transition> transitions = {
      {"c4", 0.2, 0.35, "physics.md §3.4 C4 bump + substrate via stack (E: 0.1-0.3 / 0.2-0.5)"},
      {"pth", 0.35, 0.7, "physics.md §3.4 through-core PTH (E: 0.2-0.5 / 0.4-1.0)"},
      {"tsv", 0.125, 0.2, "physics.md §3.4 TSV (E: 0.05-0.2 / 0.1-0.3)"},
      {"ubump", 0.03, 0.06, "physics.md §3.4 ubump / hybrid bond (E: 0.01-0.05 / 0.02-0.1)"},
  };
  return transitions;
}

const Transition* find_builtin_transition(const std::string& name) {
  for (const auto& t : builtin_transitions())
    if (t.name == name) return &t;
  return nullptr;
}

// ---- Budgets ---------------------------------------------------------------------------------

const std::vector<Budget>& builtin_budgets() {
  static const std::vector<Budget> budgets = {
      {"CEI-112G-XSR", 10.0, kNoLimit, 36e9, 58e9,
       "physics.md §3.1 (L: OIF CEI-5.0, about 10 dB, 36-58 GBd)"},
      {"CEI-112G-XSR+", 13.0, kNoLimit, 36e9, 58e9, "physics.md §3.1 (S: <= 13 dB, 36-58 GBd)"},
      // The VSR row gives no symbol rates; 112G PAM4 is taken to cover the same 36–58 GBd (E).
      {"CEI-112G-VSR", 16.0, kNoLimit, 36e9, 58e9,
       "physics.md §3.1 (S: about 16 dB; 36-58 GBd assumed, E)"},
      // CEI-224G budgets are still in the IA process: E ranges 10–13 and 18–20 dB, centres used;
      // about 106–112 GBd (S), widened to 105–113 GBd.
      {"CEI-224G-XSR", 11.5, kNoLimit, 105e9, 113e9,
       "physics.md §3.1 (E: 10-13 dB at 53 GHz, centre; ~106-112 GBd S)"},
      {"CEI-224G-VSR", 19.0, kNoLimit, 105e9, 113e9,
       "physics.md §3.1 (E: 18-20 dB at 53 GHz, centre; ~106-112 GBd S)"},
      // UCIe defines reach, not loss: NRZ at 4–32 GT/s (2D up to 64 GT/s in later revisions, L).
      {"UCIe-2D", kNoLimit, 25e-3, 4e9, 64e9, "physics.md §3.1 (S: <= 25 mm, 4-32(64) GT/s)"},
      {"UCIe-2.5D", kNoLimit, 2e-3, 4e9, 32e9, "physics.md §3.1 (L: about 2 mm, up to 32 GT/s)"},
  };
  return budgets;
}

const Budget* find_builtin_budget(const std::string& name) {
  for (const auto& b : builtin_budgets())
    if (b.name == name) return &b;
  return nullptr;
}

// ---- Trace-length estimator ------------------------------------------------------------------

const char* to_string(Edge edge) {
  switch (edge) {
    case Edge::x_min:
      return "x_min";
    case Edge::x_max:
      return "x_max";
    case Edge::y_min:
      return "y_min";
    case Edge::y_max:
      return "y_max";
  }
  return "?";
}

namespace {

/// One end of the lanes: bump rows parallel to an edge at coordinate `edge_m` on the normal
/// axis, bumps lying on the side `inward` (+1 or −1) of it.
struct Shoreline {
  int normal_axis = 0;  ///< 0: the edge is at constant x; 1: at constant y
  double edge_m = 0.0;
  double inward = 1.0;
  double span_lo_m = 0.0;
  double span_hi_m = 0.0;
  double inset_m = 0.0;
};

struct LaneEnd {
  std::array<double, 2> bump_m{};
  std::array<double, 2> edge_m{};
  double escape_m = 0.0;
};

LaneEnd lane_end(const Shoreline& s, int lane, int lanes, double pitch_m, int bumps_per_lane) {
  const double span = s.span_hi_m - s.span_lo_m;
  const double fit = std::floor(span / (bumps_per_lane * pitch_m));
  const int columns = std::max(1, std::min(lanes, fit > 1e9 ? lanes : static_cast<int>(fit)));
  const int row = lane / columns;
  const int column = lane % columns;
  const double along = s.span_lo_m + (column + 0.5) * span / columns;
  LaneEnd end;
  end.escape_m = s.inset_m + (row + 0.5) * pitch_m;
  const int a = s.normal_axis;
  end.edge_m[a] = s.edge_m;
  end.edge_m[1 - a] = along;
  end.bump_m = end.edge_m;
  end.bump_m[a] = s.edge_m + s.inward * end.escape_m;
  return end;
}

void push_distinct(std::vector<std::array<double, 2>>& path, const std::array<double, 2>& p) {
  if (path.empty() || path.back() != p) path.push_back(p);
}

}  // namespace

std::vector<LaneEstimate> estimate_lane_routes(const LaneEscapeGeometry& g, int lanes) {
  const char* fn = "estimate_lane_routes";
  require(lanes >= 1, std::string(fn) + ": lanes must be >= 1, got " + std::to_string(lanes));
  require_positive(g.bump_pitch_m, fn, "bump pitch");
  require(g.bumps_per_lane >= 1, std::string(fn) + ": bumps_per_lane must be >= 1");
  require(std::isfinite(g.detour_factor) && g.detour_factor >= 1.0,
          std::string(fn) + ": detour factor must be >= 1, got " + number(g.detour_factor));
  require_non_negative(g.inset_m, fn, "inset");
  require(g.span_hi_m > g.span_lo_m, std::string(fn) + ": the SerDes span is empty");
  for (int a = 0; a < 2; ++a)
    require(g.die_m.hi_m[a] > g.die_m.lo_m[a] && g.engine_m.hi_m[a] > g.engine_m.lo_m[a],
            std::string(fn) + ": the die or the engine has no area");

  // The ASIC shoreline and the engine's facing edge.
  Shoreline asic, engine;
  const int normal = (g.edge == Edge::x_min || g.edge == Edge::x_max) ? 0 : 1;
  const bool low_side = g.edge == Edge::x_min || g.edge == Edge::y_min;
  asic.normal_axis = engine.normal_axis = normal;
  asic.edge_m = low_side ? g.die_m.lo_m[normal] : g.die_m.hi_m[normal];
  asic.inward = low_side ? 1.0 : -1.0;
  asic.span_lo_m = g.span_lo_m;
  asic.span_hi_m = g.span_hi_m;
  asic.inset_m = g.inset_m;
  engine.edge_m = low_side ? g.engine_m.hi_m[normal] : g.engine_m.lo_m[normal];
  engine.inward = -asic.inward;
  engine.span_lo_m = g.engine_m.lo_m[1 - normal];
  engine.span_hi_m = g.engine_m.hi_m[1 - normal];
  const bool beyond = low_side ? engine.edge_m <= asic.edge_m : engine.edge_m >= asic.edge_m;
  require(beyond, std::string(fn) + ": the engine does not lie beyond the " + to_string(g.edge) +
                      " edge of the die");

  // Slot k of each end (row k div n, column k mod n); lanes pair the two ends' slots in order
  // along the edge, so no two lanes cross: lane i takes ASIC slot i and the engine slot of the
  // same rank along the edge.
  std::vector<LaneEnd> asic_slots, engine_slots;
  for (int k = 0; k < lanes; ++k) {
    asic_slots.push_back(lane_end(asic, k, lanes, g.bump_pitch_m, g.bumps_per_lane));
    engine_slots.push_back(lane_end(engine, k, lanes, g.bump_pitch_m, g.bumps_per_lane));
  }
  auto order_along = [&](const std::vector<LaneEnd>& slots) {
    std::vector<std::size_t> order(slots.size());
    for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return slots[a].edge_m[1 - normal] < slots[b].edge_m[1 - normal];
    });
    return order;
  };
  const std::vector<std::size_t> asic_order = order_along(asic_slots);
  const std::vector<std::size_t> engine_order = order_along(engine_slots);
  std::vector<std::size_t> engine_slot_of(static_cast<std::size_t>(lanes));
  for (std::size_t rank = 0; rank < asic_order.size(); ++rank)
    engine_slot_of[asic_order[rank]] = engine_order[rank];

  std::vector<LaneEstimate> out;
  out.reserve(static_cast<std::size_t>(lanes));
  for (std::size_t i = 0; i < asic_slots.size(); ++i) {
    const LaneEnd& a = asic_slots[i];
    const LaneEnd& e = engine_slots[engine_slot_of[i]];
    LaneEstimate lane;
    lane.asic_bump_m = a.bump_m;
    lane.asic_edge_m = a.edge_m;
    lane.engine_edge_m = e.edge_m;
    lane.engine_bump_m = e.bump_m;
    lane.asic_escape_m = a.escape_m;
    lane.engine_escape_m = e.escape_m;
    lane.manhattan_m = std::abs(e.edge_m[0] - a.edge_m[0]) + std::abs(e.edge_m[1] - a.edge_m[1]);
    lane.geometric_length_m = lane.asic_escape_m + lane.manhattan_m + lane.engine_escape_m;
    lane.routed_length_m = lane.geometric_length_m * g.detour_factor;
    // Z-shaped Manhattan path: out of the die, jog along the edge halfway across the gap, in.
    const double middle = 0.5 * (a.edge_m[normal] + e.edge_m[normal]);
    std::array<double, 2> jog_a = a.edge_m, jog_e = e.edge_m;
    jog_a[normal] = middle;
    jog_e[normal] = middle;
    for (const auto& p : {a.bump_m, a.edge_m, jog_a, jog_e, e.edge_m, e.bump_m})
      push_distinct(lane.path_m, p);
    out.push_back(std::move(lane));
  }
  return out;
}

int routing_layers_needed(int lanes, double shoreline_m, double lanes_per_m_per_layer) {
  require(lanes >= 0, "routing_layers_needed: lanes must be >= 0");
  require_positive(shoreline_m, "routing_layers_needed", "shoreline");
  require_positive(lanes_per_m_per_layer, "routing_layers_needed", "lane density");
  const double layers = std::ceil(lanes / (shoreline_m * lanes_per_m_per_layer) - 1e-12);
  return static_cast<int>(std::max(0.0, layers));
}

// ---- Routes ----------------------------------------------------------------------------------

namespace {

using Point = std::array<double, 3>;

double distance_m(const Point& a, const Point& b) {
  const double dx = b[0] - a[0], dy = b[1] - a[1], dz = b[2] - a[2];
  return std::sqrt(dx * dx + dy * dy + dz * dz);
}

Point lerp(const Point& a, const Point& b, double t) {
  return {a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]), a[2] + t * (b[2] - a[2])};
}

/// Parameters t in (0, 1) at which segment a → b crosses a node or cell-centre plane of the grid,
/// with 0 and 1, sorted and without near-duplicates.
std::vector<double> breakpoints(const mesh::RectilinearGrid& grid, const Point& a, const Point& b) {
  std::vector<double> ts = {0.0, 1.0};
  for (int axis = 0; axis < 3; ++axis) {
    const double delta = b[axis] - a[axis];
    if (delta == 0.0) continue;
    const double lo = std::min(a[axis], b[axis]), hi = std::max(a[axis], b[axis]);
    const auto& nodes = grid.nodes(axis);
    auto consider = [&](double plane) {
      if (plane > lo && plane < hi) ts.push_back((plane - a[axis]) / delta);
    };
    // Only the nodes within [lo, hi] and their neighbouring centres matter.
    auto first = std::lower_bound(nodes.begin(), nodes.end(), lo);
    if (first != nodes.begin()) --first;
    for (auto it = first; it != nodes.end() && *it <= hi; ++it) {
      consider(*it);
      if (std::next(it) != nodes.end()) consider(0.5 * (*it + *std::next(it)));
    }
  }
  std::sort(ts.begin(), ts.end());
  std::vector<double> out;
  for (double t : ts)
    if (out.empty() || t - out.back() > 1e-12) out.push_back(t);
  if (out.back() != 1.0) out.back() = 1.0;
  return out;
}

}  // namespace

RouteLoss integrate_route_loss(const mesh::CellField& T_K, const Route& route, double f_Hz) {
  require_positive(f_Hz, "integrate_route_loss", "frequency");
  require(T_K.grid != nullptr, "integrate_route_loss: the temperature field has no grid");
  require_non_negative(route.extra_loss_dB, "integrate_route_loss", "extra loss");
  const auto& grid = *T_K.grid;
  int variables = 0;
  for (const auto& step : route.steps) {
    require(!step.points_m.empty(), "integrate_route_loss: a route step has no points");
    require(std::isfinite(step.length_scale) && step.length_scale > 0.0,
            "integrate_route_loss: length_scale must be > 0");
    if (step.kind == RouteStep::Kind::transition) {
      require(step.points_m.size() == 1,
              "integrate_route_loss: transition '" + step.transition.name + "' needs one point");
      require(step.count >= 1, "integrate_route_loss: transition count must be >= 1");
    } else {
      validate(step.medium);
      if (step.variable) ++variables;
    }
  }
  require(variables <= 1, "integrate_route_loss: more than one variable medium");

  RouteLoss out;
  double T_length_integral = 0.0;
  bool have_T = false;
  auto sample = [&](const Point& p) {
    ++out.num_samples;
    const double T = sample_at(T_K, p).value;
    out.T_max_K = have_T ? std::max(out.T_max_K, T) : T;
    out.T_min_K = have_T ? std::min(out.T_min_K, T) : T;
    have_T = true;
    return T;
  };
  auto point_T = [&](const Point& p) {
    ++out.num_samples;
    return sample_at(T_K, p).value;
  };

  for (std::size_t s = 0; s < route.steps.size(); ++s) {
    const RouteStep& step = route.steps[s];
    if (step.kind == RouteStep::Kind::transition) {
      const double loss = step.count * transition_loss_dB(step.transition, f_Hz);
      out.transition_loss_dB += loss;
      // Drawn from the end of the previous medium to the start of the next one.
      Point a = step.points_m.front(), b = a;
      for (std::size_t k = s; k-- > 0;)
        if (route.steps[k].kind == RouteStep::Kind::medium) {
          a = route.steps[k].points_m.back();
          break;
        }
      for (std::size_t k = s + 1; k < route.steps.size(); ++k)
        if (route.steps[k].kind == RouteStep::Kind::medium) {
          b = route.steps[k].points_m.front();
          break;
        }
      out.segments.push_back({a, b, point_T(step.points_m.front()), loss, s});
      continue;
    }
    const double alpha25 = medium_loss_dB_per_m(step.medium, f_Hz, kLossReference_K);
    double step_length = 0.0, step_loss = 0.0;
    for (std::size_t k = 0; k + 1 < step.points_m.size(); ++k) {
      const Point& a = step.points_m[k];
      const Point& b = step.points_m[k + 1];
      const double length = distance_m(a, b) * step.length_scale;
      if (length == 0.0) continue;
      const auto ts = breakpoints(grid, a, b);
      Point p0 = a;
      double T0 = sample(p0);
      for (std::size_t j = 1; j < ts.size(); ++j) {
        const Point pm = lerp(a, b, 0.5 * (ts[j - 1] + ts[j]));
        const Point p1 = lerp(a, b, ts[j]);
        const double Tm = sample(pm), T1 = sample(p1);
        const double piece = length * (ts[j] - ts[j - 1]);
        const double loss = piece *
                            (medium_loss_dB_per_m(step.medium, f_Hz, T0) +
                             4.0 * medium_loss_dB_per_m(step.medium, f_Hz, Tm) +
                             medium_loss_dB_per_m(step.medium, f_Hz, T1)) /
                            6.0;
        const double T_mean = (T0 + 4.0 * Tm + T1) / 6.0;
        out.segments.push_back({p0, p1, T_mean, loss, s});
        T_length_integral += T_mean * piece;
        step_length += piece;
        step_loss += loss;
        p0 = p1;
        T0 = T1;
      }
    }
    out.length_m += step_length;
    out.loss_dB += step_loss;
    out.loss_25C_dB += alpha25 * step_length;
    if (step.variable) {
      out.has_variable_medium = true;
      out.variable_length_m = step_length;
      out.variable_loss_dB = step_loss;
      out.variable_loss_25C_dB = alpha25 * step_length;
      out.variable_25C_dB_per_m = alpha25;
      // A zero-length variable medium still has a loss per metre: at its point's temperature.
      out.variable_dB_per_m =
          step_length > 0.0
              ? step_loss / step_length
              : medium_loss_dB_per_m(step.medium, f_Hz, point_T(step.points_m.front()));
    }
  }
  out.loss_dB += out.transition_loss_dB + route.extra_loss_dB;
  out.loss_25C_dB += out.transition_loss_dB + route.extra_loss_dB;
  if (out.length_m > 0.0) {
    out.T_mean_K = T_length_integral / out.length_m;
  } else {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    out.T_mean_K = out.T_max_K = out.T_min_K = nan;
  }
  return out;
}

double reach_at_zero_margin_m(double budget_dB, double fixed_length_m, double fixed_loss_dB,
                              double variable_dB_per_m) {
  require(!std::isnan(budget_dB) && !std::isnan(fixed_loss_dB) && !std::isnan(variable_dB_per_m),
          "reach_at_zero_margin_m: NaN argument");
  require_non_negative(fixed_length_m, "reach_at_zero_margin_m", "fixed length");
  if (budget_dB == kNoLimit || !(variable_dB_per_m > 0.0)) return kNoLimit;
  if (fixed_loss_dB >= budget_dB) return fixed_length_m;
  return fixed_length_m + (budget_dB - fixed_loss_dB) / variable_dB_per_m;
}

LaneMargin evaluate_margin(const RouteLoss& loss, const Budget& budget) {
  LaneMargin out;
  out.margin_dB = budget.loss_dB - loss.loss_dB;
  out.margin_25C_dB = budget.loss_dB - loss.loss_25C_dB;
  const bool within_reach = loss.length_m <= budget.reach_m;
  out.pass = out.margin_dB >= 0.0 && within_reach;
  out.pass_25C = out.margin_25C_dB >= 0.0 && within_reach;
  const double fixed_length = loss.length_m - loss.variable_length_m;
  if (!loss.has_variable_medium || std::isnan(loss.loss_dB) || std::isnan(loss.loss_25C_dB)) {
    out.max_reach_m = out.max_reach_25C_m = std::numeric_limits<double>::quiet_NaN();
    return out;
  }
  out.max_reach_m =
      std::min(budget.reach_m, reach_at_zero_margin_m(budget.loss_dB, std::max(0.0, fixed_length),
                                                      loss.loss_dB - loss.variable_loss_dB,
                                                      loss.variable_dB_per_m));
  out.max_reach_25C_m =
      std::min(budget.reach_m, reach_at_zero_margin_m(budget.loss_dB, std::max(0.0, fixed_length),
                                                      loss.loss_25C_dB - loss.variable_loss_25C_dB,
                                                      loss.variable_25C_dB_per_m));
  return out;
}

}  // namespace cposim::postproc
