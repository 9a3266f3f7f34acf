/// \file
/// Lane loss formulas, ρ(T) scaling, library, budgets, transitions, the trace-length estimator
/// and the reach formula (postproc/electrical/electrical.hpp) against hand-computed values.
/// Reference numbers were evaluated by hand (Python, 10+ digits) from the closed forms of
/// physics.md §3.2.
#include <doctest/doctest.h>

#include <cmath>
#include <complex>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "postproc/electrical/electrical.hpp"

using namespace cposim::postproc;

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kRho20 = 1.72e-8;
constexpr double kPerMm = 1e-3;  // dB/m → dB/mm

}  // namespace

TEST_CASE("baud and Nyquist frequency from data rate and modulation (physics.md §3.1)") {
  CHECK(baud_rate_Bd(212.5e9, Modulation::pam4) == doctest::Approx(106.25e9).epsilon(1e-15));
  CHECK(nyquist_frequency_Hz(baud_rate_Bd(212.5e9, Modulation::pam4)) ==
        doctest::Approx(53.125e9).epsilon(1e-15));
  CHECK(nyquist_frequency_Hz(baud_rate_Bd(106.25e9, Modulation::pam4)) ==
        doctest::Approx(26.5625e9).epsilon(1e-15));
  CHECK(baud_rate_Bd(32e9, Modulation::nrz) == doctest::Approx(32e9).epsilon(1e-15));
  CHECK(baud_rate_Bd(300e9, Modulation::pam8) == doctest::Approx(100e9).epsilon(1e-15));
  CHECK(bits_per_symbol(Modulation::pam6) == doctest::Approx(std::log2(6.0)).epsilon(1e-15));
  CHECK_THROWS_AS(baud_rate_Bd(0.0, Modulation::pam4), std::invalid_argument);
  CHECK_THROWS_AS(nyquist_frequency_Hz(-1.0), std::invalid_argument);
}

TEST_CASE("skin depth and surface resistance of Cu at 26.56 and 53.1 GHz: closed forms") {
  // Hand values (ρ = 1.72e-8 Ω·m, μ0 = 1.25663706212e-6 H/m), tolerance 1e-9 relative:
  //   26.5625 GHz: δ = 0.4049952049 µm, R_s = 0.04246963863 Ω
  //   53.125 GHz:  δ = 0.2863748558 µm, R_s = 0.06006113894 Ω
  CHECK(skin_depth_m(26.5625e9, kRho20) == doctest::Approx(0.4049952049e-6).epsilon(1e-9));
  CHECK(surface_resistance_Ohm(26.5625e9, kRho20) == doctest::Approx(0.04246963863).epsilon(1e-9));
  CHECK(skin_depth_m(53.125e9, kRho20) == doctest::Approx(0.2863748558e-6).epsilon(1e-9));
  CHECK(surface_resistance_Ohm(53.125e9, kRho20) == doctest::Approx(0.06006113894).epsilon(1e-9));
  // Identities of the closed forms: δ R_s = ρ, and δ ∝ f^-1/2 (to rounding, 1e-14).
  for (double f : {26.5625e9, 53.125e9})
    CHECK(skin_depth_m(f, kRho20) * surface_resistance_Ohm(f, kRho20) ==
          doctest::Approx(kRho20).epsilon(1e-14));
  CHECK(skin_depth_m(26.5625e9, kRho20) / skin_depth_m(53.125e9, kRho20) ==
        doctest::Approx(std::sqrt(2.0)).epsilon(1e-14));
  // physics.md §3.2's rounded figures (2 significant digits, so 2 %): 0.39 / 0.29 µm and
  // 0.044 / 0.060 Ω at 28 / 53 GHz.
  CHECK(skin_depth_m(28e9, kRho20) == doctest::Approx(0.39e-6).epsilon(0.02));
  CHECK(skin_depth_m(53e9, kRho20) == doctest::Approx(0.29e-6).epsilon(0.02));
  CHECK(surface_resistance_Ohm(28e9, kRho20) == doctest::Approx(0.044).epsilon(0.02));
  CHECK(surface_resistance_Ohm(53e9, kRho20) == doctest::Approx(0.060).epsilon(0.02));
}

TEST_CASE("conductor loss: skin regime and thin RDL against hand values (physics.md §3.2)") {
  // α_c = R_s / (2 w Z0): w = 25 µm, Z0 = 50 Ω → 0.1514946883 dB/mm at 28 GHz and
  // 0.2086737697 dB/mm at 53.125 GHz (physics.md: 0.15 / 0.21). Tolerance 1e-9.
  CHECK(skin_conductor_loss_dB_per_m(28e9, kRho20, 25e-6, 50.0, 1.0) * kPerMm ==
        doctest::Approx(0.1514946883).epsilon(1e-9));
  CHECK(skin_conductor_loss_dB_per_m(53.125e9, kRho20, 25e-6, 50.0, 1.0) * kPerMm ==
        doctest::Approx(0.2086737697).epsilon(1e-9));
  // Roughness multiplies.
  CHECK(skin_conductor_loss_dB_per_m(28e9, kRho20, 25e-6, 50.0, 1.3) ==
        doctest::Approx(1.3 * skin_conductor_loss_dB_per_m(28e9, kRho20, 25e-6, 50.0, 1.0))
            .epsilon(1e-14));
  // Thin RDL 2 µm × 1 µm: R' = 8.6 Ω/mm exactly, α = 8.686 · 8600 / 100 dB/m = 0.7469865089 dB/mm.
  CHECK(thin_conductor_loss_dB_per_m(kRho20, 2e-6, 1e-6, 50.0) * kPerMm ==
        doctest::Approx(0.7469865089).epsilon(1e-9));
  CHECK_THROWS_AS(thin_conductor_loss_dB_per_m(kRho20, 0.0, 1e-6, 50.0), std::invalid_argument);
}

TEST_CASE("dielectric loss of ABF (Dk 3.3, Df 0.005) at 28 GHz ≈ 0.023 dB/mm") {
  const double alpha_dB_per_mm = dielectric_loss_dB_per_m(28e9, 3.3, 0.005) * kPerMm;
  // The formula 8.686 π f √Dk Df / c evaluated by hand: 0.0231487999788 dB/mm (1e-6 relative).
  const double hand =
      (20.0 / std::log(10.0)) * kPi * 28e9 * std::sqrt(3.3) * 0.005 / 299792458.0 * kPerMm;
  CHECK(hand == doctest::Approx(0.0231487999788).epsilon(1e-10));
  CHECK(alpha_dB_per_mm == doctest::Approx(hand).epsilon(1e-6));
  // physics.md's rounded "0.0910 dB/mm × f[GHz] √Dk Df" and "0.023 dB/mm" (1 %).
  CHECK(alpha_dB_per_mm == doctest::Approx(0.0910 * 28 * std::sqrt(3.3) * 0.005).epsilon(1e-3));
  CHECK(alpha_dB_per_mm == doctest::Approx(0.023).epsilon(0.01));
  // 53 GHz: 0.044 dB/mm (1 %).
  CHECK(dielectric_loss_dB_per_m(53e9, 3.3, 0.005) * kPerMm ==
        doctest::Approx(0.044).epsilon(0.01));
}

TEST_CASE("COM model a1 √f + a2 f at 26.56 and 53.1 GHz (physics.md §3.2)") {
  const double a1 = com_a1_from_Np_per_mm_sqrtGHz(1.734e-3);
  const double a2 = com_a2_from_Np_per_mm_GHz(1.455e-4);
  // Hand: γ(26.5625) = 0.0128016751935 Np/mm = 0.111193937913 dB/mm;
  //       γ(53.125)  = 0.0203682757321 Np/mm = 0.176916595127 dB/mm (1e-9).
  CHECK(com_loss_dB_per_m(26.5625e9, a1, a2) * kPerMm ==
        doctest::Approx(0.111193937913).epsilon(1e-9));
  CHECK(com_loss_dB_per_m(53.125e9, a1, a2) * kPerMm ==
        doctest::Approx(0.176916595127).epsilon(1e-9));
  // physics.md's rounded 0.11 and 0.18 dB/mm (2 %).
  CHECK(com_loss_dB_per_m(26.56e9, a1, a2) * kPerMm == doctest::Approx(0.11).epsilon(0.02));
  CHECK(com_loss_dB_per_m(53.1e9, a1, a2) * kPerMm == doctest::Approx(0.18).epsilon(0.02));
  // The built-in abf_stripline is this model, at 25 °C.
  const Medium& abf = *find_builtin_medium("abf_stripline");
  CHECK(medium_loss_dB_per_m(abf, 26.5625e9, kLossReference_K) * kPerMm ==
        doctest::Approx(0.111193937913).epsilon(1e-9));
}

TEST_CASE("ρ(T): +0.39 %/K for thin RDL, about +0.2 %/K in the skin regime (physics.md §3.2)") {
  CHECK(copper_resistivity_Ohm_m(293.15) == doctest::Approx(kRho20).epsilon(1e-15));
  CHECK(copper_resistivity_Ohm_m(353.15) ==
        doctest::Approx(kRho20 * (1 + 0.00393 * 60)).epsilon(1e-15));
  CHECK_THROWS_AS(copper_resistivity_Ohm_m(20.0), std::invalid_argument);  // ρ < 0

  // Per kelvin, referred to 20 °C: thin ∝ ρ → 0.393 %/K exactly; skin ∝ √ρ → 0.19646 %/K.
  const double f = 53.125e9;
  auto thin = [&](double T_K) {
    return thin_conductor_loss_dB_per_m(copper_resistivity_Ohm_m(T_K), 2e-6, 1e-6, 50.0);
  };
  auto skin = [&](double T_K) {
    return skin_conductor_loss_dB_per_m(f, copper_resistivity_Ohm_m(T_K), 25e-6, 50.0, 1.0);
  };
  CHECK(thin(294.15) / thin(293.15) - 1 == doctest::Approx(0.00393).epsilon(1e-9));
  CHECK(skin(294.15) / skin(293.15) - 1 == doctest::Approx(std::sqrt(1.00393) - 1).epsilon(1e-9));
  CHECK((skin(294.15) / skin(293.15) - 1) * 100 == doctest::Approx(0.2).epsilon(0.02));
  // A 60 K rise from 25 °C: thin +23 %, skin +11 % (physics.md: ≈ +23 % and ≈ +12 %, 1 %).
  const double rise_thin = thin(358.15) / thin(298.15) - 1;
  const double rise_skin = skin(358.15) / skin(298.15) - 1;
  CHECK(rise_thin == doctest::Approx(0.00393 * 60 / (1 + 0.00393 * 5)).epsilon(1e-12));
  CHECK(rise_thin == doctest::Approx(0.23).epsilon(0.01));
  CHECK(rise_skin == doctest::Approx(std::sqrt(1 + rise_thin) - 1).epsilon(1e-12));
  CHECK(rise_skin == doctest::Approx(0.11).epsilon(0.01));

  // Through medium_loss: si_rdl (1 µm = 3.5 δ at 53 GHz, just beyond the internal impedance's
  // dip at t = πδ, so as δ grows with T it moves into the dip) rises +10.2 %, a little less than
  // the skin limit's √ρ (+11.0 %) and far less than the DC ρ (+23 %); its SiO2 dielectric part
  // is flat (no Df(T)).
  const Medium& rdl = *find_builtin_medium("si_rdl");
  const MediumLoss at25 = medium_loss(rdl, f, 298.15), at85 = medium_loss(rdl, f, 358.15);
  CHECK(at85.conductor_dB_per_m / at25.conductor_dB_per_m == doctest::Approx(1.1024).epsilon(1e-3));
  CHECK(at85.dielectric_dB_per_m == doctest::Approx(at25.dielectric_dB_per_m).epsilon(1e-15));
  // COM: conductor (a1) part ∝ √ρ, dielectric (a2) part × Df(T)/Df(25 °C).
  Medium abf = *find_builtin_medium("abf_stripline");
  abf.Df_T_coefficient_per_K = 0.004;
  const MediumLoss c25 = medium_loss(abf, f, 298.15), c85 = medium_loss(abf, f, 358.15);
  CHECK(c85.conductor_dB_per_m / c25.conductor_dB_per_m ==
        doctest::Approx(1 + rise_skin).epsilon(1e-12));
  CHECK(c85.dielectric_dB_per_m / c25.dielectric_dB_per_m == doctest::Approx(1.24).epsilon(1e-12));
}

TEST_CASE("physical media: dielectric part, organic Df(T), library within §3.3") {
  Medium m;
  m.name = "test";
  m.width_m = 25e-6;
  m.Z0_Ohm = 50.0;
  m.Dk = 3.3;
  m.Df = 0.005;
  m.thickness_m = 1e-6;
  const double f = 53.125e9;
  CHECK(medium_loss(m, f, 298.15).dielectric_dB_per_m ==
        doctest::Approx(dielectric_loss_dB_per_m(f, 3.3, 0.005)).epsilon(1e-15));

  // The default library at 25 °C lies in physics.md §3.3's ranges (dB/mm at 26.6–28 / 53 GHz).
  // The range ends are rounded to 2 digits (the COM stripline gives 0.177 for "0.18"): 2 %.
  struct Range {
    const char* name;
    double lo28, hi28, lo53, hi53;
  };
  const Range ranges[] = {{"abf_stripline", 0.10, 0.15, 0.18, 0.25},
                          {"abf_microstrip", 0.12, 0.18, 0.20, 0.30},
                          {"si_rdl", 0.40, 1.00, 0.50, 1.30},
                          {"glass_interposer", 0.06, 0.10, 0.10, 0.18},
                          {"pcb_midloss", 0.03, 0.05, 0.06, 0.09}};
  for (const auto& r : ranges) {
    const std::string name = r.name;
    CAPTURE(name);
    const Medium* medium = find_builtin_medium(r.name);
    REQUIRE(medium != nullptr);
    CHECK_FALSE(medium->source.empty());
    const double a28 = medium_loss_dB_per_m(*medium, 26.5625e9, 298.15) * kPerMm;
    const double a53 = medium_loss_dB_per_m(*medium, 53.125e9, 298.15) * kPerMm;
    CHECK(a28 >= 0.98 * r.lo28);
    CHECK(a28 <= 1.02 * r.hi28);
    CHECK(a53 >= 0.98 * r.lo53);
    CHECK(a53 <= 1.02 * r.hi53);
  }
  CHECK(find_builtin_medium("nope") == nullptr);
  // Organic media get physics.md §3.2's Df rise (E: +10 to +30 % from 25 to 85 °C): +20 %.
  for (const char* name : {"abf_stripline", "abf_microstrip", "pcb_midloss"}) {
    const Medium& organic = *find_builtin_medium(name);
    CHECK(medium_loss(organic, f, 358.15).dielectric_dB_per_m /
              medium_loss(organic, f, 298.15).dielectric_dB_per_m ==
          doctest::Approx(1.20).epsilon(1e-12));
  }
  CHECK(find_builtin_medium("si_rdl")->Df_T_coefficient_per_K == 0.0);  // SiO2: no data
}

TEST_CASE("transitions: power law through physics.md §3.4's two points") {
  const Transition& c4 = *find_builtin_transition("c4");
  CHECK(transition_loss_dB(c4, 28e9) == doctest::Approx(0.2).epsilon(1e-14));
  CHECK(transition_loss_dB(c4, 53e9) == doctest::Approx(0.35).epsilon(1e-14));
  // Hand: 0.2 (53.125/28)^p, p = ln(1.75)/ln(53/28) = 0.8770205852 → 0.3507238508 dB.
  CHECK(transition_loss_dB(c4, 53.125e9) == doctest::Approx(0.3507238508).epsilon(1e-9));
  CHECK(transition_loss_dB(*find_builtin_transition("ubump"), 1e9) > 0.0);
  CHECK(find_builtin_transition("tsv") != nullptr);
  CHECK(find_builtin_transition("pth") != nullptr);
  CHECK(find_builtin_transition("via") == nullptr);
}

TEST_CASE("budget lookups (physics.md §3.1)") {
  CHECK(find_builtin_budget("CEI-112G-XSR")->loss_dB == 10.0);
  CHECK(find_builtin_budget("CEI-112G-XSR+")->loss_dB == 13.0);
  CHECK(find_builtin_budget("CEI-112G-VSR")->loss_dB == 16.0);
  CHECK(find_builtin_budget("CEI-224G-XSR")->loss_dB == 11.5);
  CHECK(find_builtin_budget("CEI-224G-VSR")->loss_dB == 19.0);
  const Budget& ucie = *find_builtin_budget("UCIe-2D");
  CHECK(ucie.reach_m == 25e-3);
  CHECK(std::isinf(ucie.loss_dB));
  CHECK(find_builtin_budget("UCIe-2.5D")->reach_m == 2e-3);
  CHECK(find_builtin_budget("CEI-999G") == nullptr);
  // 212.5 Gb/s PAM4 is inside the 224G range, outside the 112G one.
  const double baud = baud_rate_Bd(212.5e9, Modulation::pam4);
  CHECK(baud >= find_builtin_budget("CEI-224G-XSR")->baud_min_Bd);
  CHECK(baud <= find_builtin_budget("CEI-224G-XSR")->baud_max_Bd);
  CHECK(baud > find_builtin_budget("CEI-112G-XSR")->baud_max_Bd);
  for (const auto& b : builtin_budgets()) CHECK_FALSE(b.source.empty());
}

TEST_CASE("estimator on a hand-drawn placement: Manhattan + escapes × detour") {
  // Die 10 × 10 mm at the origin; lanes leave its x_min edge between y = 4 and 6 mm. The EIC
  // spans x −6 … −2 mm, y 3 … 7 mm. Pitch 100 µm, 2 bumps per lane: 10 columns fit, 4 lanes use
  // 4 columns of 0.5 mm (y = 4.25, 4.75, 5.25, 5.75 mm), escape ½ pitch = 50 µm. The EIC's
  // 4 mm edge gives 4 columns of 1 mm (y = 3.5, 4.5, 5.5, 6.5 mm); they pair in order.
  LaneEscapeGeometry g;
  g.die_m = {{0.0, 0.0}, {10e-3, 10e-3}};
  g.edge = Edge::x_min;
  g.span_lo_m = 4e-3;
  g.span_hi_m = 6e-3;
  g.engine_m = {{-6e-3, 3e-3}, {-2e-3, 7e-3}};
  g.bump_pitch_m = 100e-6;
  g.bumps_per_lane = 2;
  g.detour_factor = 1.2;
  const auto lanes = estimate_lane_routes(g, 4);
  REQUIRE(lanes.size() == 4);
  const double manhattan_mm[4] = {2.75, 2.25, 2.25, 2.75};  // 2 mm gap + |Δy|
  const double tol = 1e-12;                                 // metres
  for (int i = 0; i < 4; ++i) {
    CAPTURE(i);
    const auto& l = lanes[static_cast<std::size_t>(i)];
    CHECK(std::abs(l.asic_edge_m[0] - 0.0) < tol);
    CHECK(std::abs(l.asic_edge_m[1] - (4.25e-3 + 0.5e-3 * i)) < tol);
    CHECK(std::abs(l.asic_bump_m[0] - 50e-6) < tol);
    CHECK(std::abs(l.engine_edge_m[0] - (-2e-3)) < tol);
    CHECK(std::abs(l.engine_edge_m[1] - (3.5e-3 + 1e-3 * i)) < tol);
    CHECK(std::abs(l.engine_bump_m[0] - (-2.05e-3)) < tol);
    CHECK(std::abs(l.asic_escape_m - 50e-6) < tol);
    CHECK(std::abs(l.engine_escape_m - 50e-6) < tol);
    CHECK(std::abs(l.manhattan_m - manhattan_mm[i] * 1e-3) < tol);
    CHECK(std::abs(l.geometric_length_m - (manhattan_mm[i] + 0.1) * 1e-3) < tol);
    CHECK(std::abs(l.routed_length_m - 1.2 * (manhattan_mm[i] + 0.1) * 1e-3) < tol);
    // The drawn path is Manhattan and as long as the geometric length.
    double length = 0.0;
    for (std::size_t k = 1; k < l.path_m.size(); ++k) {
      const double dx = l.path_m[k][0] - l.path_m[k - 1][0];
      const double dy = l.path_m[k][1] - l.path_m[k - 1][1];
      CHECK((dx == 0.0 || dy == 0.0));
      length += std::abs(dx) + std::abs(dy);
    }
    CHECK(std::abs(length - l.geometric_length_m) < tol);
    CHECK(l.path_m.front() == l.asic_bump_m);
    CHECK(l.path_m.back() == l.engine_bump_m);
  }

  // 12 lanes: 10 per row, so lanes 10 and 11 sit in row 1 (escape 1.5 pitches = 150 µm) at
  // columns 0 and 1 (y = 4.1, 4.3 mm). The EIC's 12 columns of 1/3 mm pair in order along y:
  // lane 10 (y 4.1 mm, second after lane 0) lands on EIC column 1, y = 3.5 mm.
  const auto twelve = estimate_lane_routes(g, 12);
  const auto& l10 = twelve[10];
  CHECK(std::abs(l10.asic_escape_m - 150e-6) < tol);
  CHECK(std::abs(l10.asic_edge_m[1] - 4.1e-3) < tol);
  CHECK(std::abs(l10.engine_edge_m[1] - 3.5e-3) < tol);
  CHECK(std::abs(l10.manhattan_m - 2.6e-3) < tol);
  CHECK(std::abs(l10.geometric_length_m - 2.8e-3) < tol);

  // An x_max edge mirrors it: the engine must lie beyond, else invalid_argument.
  g.edge = Edge::x_max;
  CHECK_THROWS_AS(estimate_lane_routes(g, 4), std::invalid_argument);
  g.edge = Edge::x_min;
  g.detour_factor = 0.9;
  CHECK_THROWS_AS(estimate_lane_routes(g, 4), std::invalid_argument);
}

TEST_CASE("routing layers from lanes per mm of shoreline per layer") {
  CHECK(routing_layers_needed(64, 7.125e-3, 10e3) == 1);  // 71.25 lanes per layer
  CHECK(routing_layers_needed(100, 2e-3, 10e3) == 5);     // 20 per layer
  CHECK(routing_layers_needed(40, 2e-3, 10e3) == 2);      // exactly 2 layers
  CHECK(routing_layers_needed(41, 2e-3, 10e3) == 3);
  CHECK(routing_layers_needed(0, 2e-3, 10e3) == 0);
  CHECK_THROWS_AS(routing_layers_needed(1, 0.0, 10e3), std::invalid_argument);
}

TEST_CASE("reach at zero margin: the formula and its edge cases") {
  // 2 mm fixed with 3 dB, 0.5 dB/mm variable, budget 10 dB: 2 + 7 / 0.5 = 16 mm.
  const double reach = reach_at_zero_margin_m(10.0, 2e-3, 3.0, 500.0);
  CHECK(reach == doctest::Approx(16e-3).epsilon(1e-14));
  CHECK(std::abs(10.0 - (3.0 + 500.0 * (reach - 2e-3))) < 1e-9);  // margin there: 0 to 1e-9 dB
  CHECK(reach_at_zero_margin_m(2.0, 2e-3, 3.0, 500.0) == 2e-3);   // fixed part already over
  CHECK(std::isinf(reach_at_zero_margin_m(kNoLimit, 0.0, 3.0, 500.0)));
  CHECK(std::isinf(reach_at_zero_margin_m(10.0, 0.0, 3.0, 0.0)));
  CHECK_THROWS_AS(reach_at_zero_margin_m(10.0, -1.0, 3.0, 500.0), std::invalid_argument);
}

TEST_CASE("evaluate_margin: loss and reach budgets") {
  RouteLoss loss;
  loss.length_m = 10e-3;
  loss.loss_dB = 8.0;
  loss.loss_25C_dB = 7.0;
  loss.has_variable_medium = true;
  loss.variable_length_m = 8e-3;
  loss.variable_loss_dB = 6.0;
  loss.variable_loss_25C_dB = 5.0;
  loss.variable_dB_per_m = 750.0;
  loss.variable_25C_dB_per_m = 625.0;
  Budget b;
  b.loss_dB = 11.5;
  LaneMargin m = evaluate_margin(loss, b);
  CHECK(m.margin_dB == doctest::Approx(3.5).epsilon(1e-15));
  CHECK(m.margin_25C_dB == doctest::Approx(4.5).epsilon(1e-15));
  CHECK(m.pass);
  CHECK(m.max_reach_m == doctest::Approx(2e-3 + (11.5 - 2.0) / 750.0).epsilon(1e-14));
  CHECK(m.max_reach_25C_m == doctest::Approx(2e-3 + (11.5 - 2.0) / 625.0).epsilon(1e-14));
  // A reach budget (UCIe): no loss limit, pass on length only, reach capped by the limit.
  const Budget& ucie = *find_builtin_budget("UCIe-2.5D");
  m = evaluate_margin(loss, ucie);
  CHECK(std::isinf(m.margin_dB));
  CHECK_FALSE(m.pass);  // 10 mm > 2 mm
  CHECK(m.max_reach_m == 2e-3);
  // Without a variable medium the reach is undefined.
  loss.has_variable_medium = false;
  CHECK(std::isnan(evaluate_margin(loss, b).max_reach_m));
}

TEST_CASE("conductor loss: one model from DC to the skin regime (issue 23)") {
  const double f = 53.125e9, w = 10e-6, Z0 = 50.0;
  const double rho25 = copper_resistivity_Ohm_m(298.15);
  const double delta = skin_depth_m(f, rho25);
  auto loss = [&](double t, double rho, double Kr, double p) {
    return conductor_loss_dB_per_m(f, rho, w, t, Z0, Kr, p);
  };
  SUBCASE("continuous across t = 2δ, where the old auto switch stepped ~2x") {
    for (double Kr : {1.0, 1.3})
      for (double p : {0.0, 1.0}) {
        const double below = loss(2 * delta * (1 - 1e-9), rho25, Kr, p);
        const double above = loss(2 * delta * (1 + 1e-9), rho25, Kr, p);
        CHECK(std::fabs(above / below - 1) < 1e-6);
      }
    // The same through ρ(T): a medium whose 2δ crosses its thickness as it heats (the issue's
    // 10 µm × 0.60 µm line at 212.5 Gb/s) now loses more when hotter, never less.
    Medium m;
    m.name = "issue23";
    m.width_m = 10e-6;
    m.thickness_m = 0.60e-6;
    double previous = 0.0;
    for (double T = 298.15; T <= 358.15; T += 0.5) {
      const double a = medium_loss(m, f, T).conductor_dB_per_m;
      CHECK(a > previous);
      previous = a;
    }
  }
  SUBCASE("DC limit t ≪ δ and skin limit t ≫ δ, each to 1e-3") {
    // t = 1e-3 δ: the strip's own correction is x⁴/180 ≈ 6e-15; the planes add p t/(2δ).
    for (double p : {0.0, 1.0})
      for (double Kr : {1.0, 1.5})
        CHECK(std::fabs(loss(1e-3 * delta, rho25, Kr, p) /
                            thin_conductor_loss_dB_per_m(rho25, w, 1e-3 * delta, Z0) -
                        1) <= 1e-3);
    // t = 1000 δ with planes: R_s/w (physics.md §3.2's skin formula), up to (K_r − 1) 2δ/(K_r t).
    for (double Kr : {1.0, 1.1, 1.5}) {
      const double skin = skin_conductor_loss_dB_per_m(f, rho25, w, Z0, Kr);
      CHECK(std::fabs(loss(1e3 * delta, rho25, Kr, 1.0) / skin - 1) <= 1e-3);
    }
    CHECK(loss(1e3 * delta, rho25, 1.0, 1.0) ==
          doctest::Approx(skin_conductor_loss_dB_per_m(f, rho25, w, Z0, 1.0)).epsilon(1e-14));
    // Without planes the thick limit is the strip's two faces: half of it.
    CHECK(loss(1e3 * delta, rho25, 1.0, 0.0) ==
          doctest::Approx(0.5 * skin_conductor_loss_dB_per_m(f, rho25, w, Z0, 1.0)).epsilon(1e-14));
  }
  SUBCASE("monotone: increasing in T everywhere; decreasing in t up to 2.5 δ") {
    for (double freq : {1e9, 26.5625e9, 53.125e9, 100e9})
      for (double t : {0.05e-6, 0.3e-6, 0.6e-6, 1e-6, 2e-6, 5e-6, 18e-6})
        for (double Kr : {1.0, 1.5})
          for (double p : {0.0, 1.0}) {
            double previous = 0.0;
            for (double T = 233.15; T <= 423.15; T += 1.0) {
              const double a =
                  conductor_loss_dB_per_m(freq, copper_resistivity_Ohm_m(T), w, t, Z0, Kr, p);
              CHECK(a > previous);
              previous = a;
            }
          }
    for (double Kr : {1.0, 1.5})
      for (double p : {0.0, 1.0}) {
        double previous = std::numeric_limits<double>::infinity();
        for (double x = 0.01; x <= 2.5; x += 0.01) {
          const double a = loss(x * delta, rho25, Kr, p);
          CHECK(a < previous);
          previous = a;
        }
      }
    // Beyond that the exact internal impedance is not monotone (the two faces' fields
    // interfere): R_strip = R_s/(2w) (sinh x + sin x)/(cosh x − cos x) has tanh(π/2) at x = π
    // and coth(π) at x = 2π, converging to 1. A thinner strip than 4 δ can lose up to 8 % less
    // than a thick one; tested here at its closed-form values (1e-12).
    const double Rs2w = surface_resistance_Ohm(f, rho25) / (2 * w);
    CHECK(strip_resistance_Ohm_per_m(f, rho25, w, kPi * delta) / Rs2w ==
          doctest::Approx(std::tanh(kPi / 2)).epsilon(1e-12));
    CHECK(strip_resistance_Ohm_per_m(f, rho25, w, 2 * kPi * delta) / Rs2w ==
          doctest::Approx(1 / std::tanh(kPi)).epsilon(1e-12));
    // The small-x series and the closed form agree where they meet (x = 0.1).
    // (R' t removes the 1/t of R_dc, leaving the x-dependence.)
    const double t_lo = 0.1 * delta * (1 - 1e-12), t_hi = 0.1 * delta * (1 + 1e-12);
    CHECK(strip_resistance_Ohm_per_m(f, rho25, w, t_lo) * t_lo ==
          doctest::Approx(strip_resistance_Ohm_per_m(f, rho25, w, t_hi) * t_hi).epsilon(1e-12));
  }
}

TEST_CASE("thin-film line at 53.125 GHz: the closed form against an independent 1D field solve") {
  // si_rdl's strip (2 µm × 1 µm Cu, 25 °C) at the Nyquist frequency of 212.5 Gb/s PAM4. The
  // current density in a strip with current on both faces obeys J'' = (2j/δ²) J across the
  // thickness with J(±t/2) = J_s; R' = Re[ρ J_s / (w ∫J dz)]. Solved here by second-order finite
  // differences on 40000 intervals (error ~ (x/N)² ≈ 1e-8), independently of the coth formula.
  const double f = 53.125e9, w = 2e-6, t = 1e-6;
  const double rho = copper_resistivity_Ohm_m(298.15);
  const double delta = skin_depth_m(f, rho);
  const int N = 40000;  // intervals over [0, t/2], symmetric about z = 0
  const double h = 0.5 * t / N;
  const std::complex<double> kappa2(0.0, 2.0 / (delta * delta));
  // Unknowns J_0 … J_{N−1}; J_N = 1. Row 0 (J'(0) = 0, ghost J_{−1} = J_1): −2J0 + 2J1 = h²κ²J0.
  std::vector<std::complex<double>> diag(N), upper(N), lower(N), rhs(N, 0.0), J(N + 1);
  for (int i = 0; i < N; ++i) {
    diag[i] = -2.0 - h * h * kappa2;
    upper[i] = i == 0 ? 2.0 : 1.0;
    lower[i] = 1.0;
  }
  rhs[N - 1] = -1.0;             // J_N = 1 moved to the right-hand side
  for (int i = 1; i < N; ++i) {  // Thomas algorithm
    const std::complex<double> m = lower[i] / diag[i - 1];
    diag[i] -= m * upper[i - 1];
    rhs[i] -= m * rhs[i - 1];
  }
  J[N] = 1.0;
  J[N - 1] = rhs[N - 1] / diag[N - 1];
  for (int i = N - 2; i >= 0; --i) J[i] = (rhs[i] - upper[i] * J[i + 1]) / diag[i];
  std::complex<double> half_integral = 0.0;  // Simpson over [0, t/2]
  for (int i = 0; i <= N; ++i)
    half_integral += (i == 0 || i == N ? 1.0 : (i % 2 ? 4.0 : 2.0)) * J[i];
  half_integral *= h / 3.0;
  const double R_fd = std::real(rho / (w * 2.0 * half_integral));
  const double R = strip_resistance_Ohm_per_m(f, rho, w, t);
  MESSAGE("si_rdl strip at 53.125 GHz: R' = " << R * 1e-3 << " Ohm/mm (field solve " << R_fd * 1e-3
                                              << "), DC " << rho / (w * t) * 1e-3);
  CHECK(R == doctest::Approx(R_fd).epsilon(1e-6));
  // The reference point quoted in cases/README.md: 14.00 Ω/mm, 1.60× the DC 8.77 Ω/mm, so
  // 1.216 dB/mm conductor loss at Z0 = 50 Ω (0.762 dB/mm by the old DC formula).
  CHECK(R * 1e-3 == doctest::Approx(14.00).epsilon(2e-3));
  CHECK(conductor_loss_dB_per_m(f, rho, w, t, 50.0, 1.0, 0.0) * kPerMm ==
        doctest::Approx(1.216).epsilon(2e-3));
}
