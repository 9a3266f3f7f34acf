/// \file
/// Lane loss models and their library: signalling, media (conductor, dielectric and COM loss),
/// transitions and budgets (physics.md §3). The trace-length estimator is in lane_routes.cpp,
/// the route integration and margins in route_loss.cpp.
#include "postproc/electrical/electrical.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "postproc/electrical/electrical_checks.hpp"

namespace cposim::postproc {

using namespace electrical_checks;  // the shared argument checks (electrical_checks.hpp)

namespace {

constexpr double kPi = 3.14159265358979323846;

/// Df(T) / Df(25 °C) = 1 + c (T − 298.15 K).
double df_factor(const Medium& m, double T_K) {
  const double factor = 1.0 + m.Df_T_coefficient_per_K * (T_K - kLossReference_K);
  require(factor >= 0.0, "medium '" + m.name + "': Df(T) is negative at T = " + number(T_K) + " K");
  return factor;
}

}  // namespace

// ---- Signalling ------------------------------------------------------------------------------

const char* to_string(Modulation modulation) {
  const auto i = static_cast<std::size_t>(modulation);
  return i < kModulationNames.size() ? kModulationNames[i] : "?";
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

}  // namespace cposim::postproc
