/// \file
/// Unit tests of postproc/photonics and postproc/laser with hand-computed numbers: ring drift
/// and FSR wrap, heater clamp and out-of-range, the index route of physics.md §2.2, the phase
/// integral on a linear field, laser I_th(T), λ(T) and heat, the channel grids of
/// physics.md §2.5, and box averages with partial overlap.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "postproc/photonics/laser.hpp"
#include "postproc/photonics/photonics.hpp"

using namespace cposim;
using namespace cposim::postproc;

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double c0 = 299792458.0;

/// A grid with the given nodes and a field f(centre).
template <typename F>
mesh::CellField field_on(const mesh::RectilinearGrid& g, F f) {
  mesh::CellField out{&g, "temperature_K", std::vector<double>(g.num_cells())};
  for (std::size_t c = 0; c < g.num_cells(); ++c) {
    const auto ijk = g.ijk(c);
    out.values[c] = f(g.centre(0, ijk[0]), g.centre(1, ijk[1]), g.centre(2, ijk[2]));
  }
  return out;
}

RingModel ring_1550() {
  RingModel r;
  r.lambda0_m = 1550e-9;
  r.T_ref_K = 300.0;
  r.drift_m_per_K = 75e-12;
  r.fsr_m = 18e-9;
  r.loaded_Q = 5000.0;
  r.heater_efficiency_m_per_W = 0.25e-6;  // 0.25 nm/mW
  r.heater_max_W = 0.08;                  // reach 20 nm > FSR
  return r;
}

}  // namespace

TEST_CASE("box_average: uniform field, partial overlaps weighted by volume") {
  const mesh::RectilinearGrid g({0.0, 1.0, 3.0}, {0.0, 1.0}, {0.0, 2.0});
  const auto uniform = field_on(g, [](double, double, double) { return 321.5; });
  mesh::Box box{{0.2, 0.1, 0.3}, {2.7, 0.9, 1.1}};
  CHECK(box_average(uniform, box) == doctest::Approx(321.5).epsilon(1e-15));

  // Cell 0 (width 1) holds 10, cell 1 (width 2) holds 20. Box x ∈ [0.5, 1.75): 0.5 of cell 0
  // and 0.75 of cell 1 → (10·0.5 + 20·0.75) / 1.25 = 16.
  mesh::CellField two{&g, "T", {10.0, 20.0}};
  CHECK(box_average(two, mesh::Box{{0.5, 0, 0}, {1.75, 1, 2}}) ==
        doctest::Approx(16.0).epsilon(1e-14));
  // A box that sticks out of the grid counts only its inside part: x ∈ [0.5, 3) of [0.5, 5).
  CHECK(box_average(two, mesh::Box{{0.5, 0, 0}, {5.0, 1, 2}}) ==
        doctest::Approx((10.0 * 0.5 + 20.0 * 2.0) / 2.5).epsilon(1e-14));
  const auto overlaps = box_overlaps(g, mesh::Box{{0.5, 0.25, 0.5}, {1.75, 0.75, 1.5}});
  REQUIRE(overlaps.size() == 2);
  CHECK(overlaps[0].volume_m3 == doctest::Approx(0.5 * 0.5 * 1.0).epsilon(1e-14));
  CHECK(overlaps[1].volume_m3 == doctest::Approx(0.75 * 0.5 * 1.0).epsilon(1e-14));
  CHECK_THROWS_AS(box_average(two, mesh::Box{{4, 0, 0}, {5, 1, 2}}), std::invalid_argument);
  CHECK_THROWS_AS(box_average(two, mesh::Box{{1, 0, 0}, {1, 1, 2}}), std::invalid_argument);
}

TEST_CASE("ring in a uniform field: Δλ = dλ/dT·(T − T_ref) exactly") {
  const mesh::RectilinearGrid g({0.0, 1e-3, 2e-3}, {0.0, 1e-3}, {0.0, 1e-4, 3e-4});
  const auto T = field_on(g, [](double, double, double) { return 337.25; });
  const double T_ring =
      box_average(T, mesh::Box{{0.9e-3, 0.4e-3, 0.9e-4}, {1.1e-3, 0.6e-3, 1.2e-4}});
  const auto s = evaluate_ring(ring_1550(), T_ring, 1553e-9);
  CHECK(s.T_K == 337.25);
  CHECK(s.drift_m == doctest::Approx(75e-12 * 37.25).epsilon(1e-14));
  CHECK(s.resonance_m == doctest::Approx(1550e-9 + 75e-12 * 37.25).epsilon(1e-15));
  CHECK(s.linewidth_m == doctest::Approx(s.resonance_m / 5000.0).epsilon(1e-14));
}

TEST_CASE("heater re-lock: FSR wrap picks the cheapest reachable order (hand cases)") {
  const RingModel r = ring_1550();
  // T = T_ref: resonance 1550, target 1551 → shift 1 nm, 4 mW, order 0.
  auto s = evaluate_ring(r, 300.0, 1551e-9);
  CHECK(s.order == 0);
  CHECK(s.shift_m == doctest::Approx(1e-9).epsilon(1e-9));
  CHECK(s.heater_W == doctest::Approx(4e-3).epsilon(1e-9));
  CHECK(s.in_range);
  CHECK(s.margin_m == doctest::Approx(20e-9 - 1e-9).epsilon(1e-9));
  CHECK(s.residual_m == doctest::Approx(0.0).epsilon(1e-12));
  // 40 K hotter: resonance 1553 nm, red of the 1551 target by 2 nm. The blue neighbour order
  // (1553 − 18 = 1535) needs 16 nm (64 mW): order −1.
  s = evaluate_ring(r, 340.0, 1551e-9);
  CHECK(s.order == -1);
  CHECK(s.shift_m == doctest::Approx(16e-9).epsilon(1e-9));
  CHECK(s.heater_W == doctest::Approx(0.064).epsilon(1e-9));
  CHECK(s.in_range);
  // Target 25 nm red of the resonance: the order one FSR red (1568) is 7 nm short → 28 mW.
  s = evaluate_ring(r, 300.0, 1575e-9);
  CHECK(s.order == 1);
  CHECK(s.shift_m == doctest::Approx(7e-9).epsilon(1e-9));
  CHECK(s.heater_W == doctest::Approx(0.028).epsilon(1e-9));
  // Exactly on a resonance: no power.
  s = evaluate_ring(r, 300.0, 1568e-9);
  CHECK(s.heater_W == doctest::Approx(0.0).epsilon(1e-9));
}

TEST_CASE("heater power is clamped at its maximum and the ring is flagged out of range") {
  RingModel r = ring_1550();
  r.heater_max_W = 0.02;                            // reach 5 nm < FSR
  const auto s = evaluate_ring(r, 340.0, 1551e-9);  // needs 16 nm as above
  CHECK_FALSE(s.in_range);
  CHECK(s.heater_required_W == doctest::Approx(0.064).epsilon(1e-9));
  CHECK(s.heater_W == 0.02);
  CHECK(s.residual_m == doctest::Approx(11e-9).epsilon(1e-9));
  CHECK(s.margin_m == doctest::Approx(-11e-9).epsilon(1e-9));
  // Without an FSR a resonance red of its target cannot be reached at all.
  r.fsr_m = 0.0;
  const auto t = evaluate_ring(r, 340.0, 1551e-9);
  CHECK_FALSE(t.in_range);
  CHECK(t.heater_W == 0.0);
  CHECK(t.margin_m == doctest::Approx(-2e-9).epsilon(1e-9));
  r.heater_max_W = -1.0;
  CHECK_THROWS_AS(evaluate_ring(r, 300.0, 1551e-9), std::invalid_argument);
}

TEST_CASE("index route (physics.md §2.2): a 500 × 220 nm Si ring at 1550 nm drifts 70–80 pm/K") {
  // Γ_Si = 1.0, Γ_SiO2 = 0.3, n_g = 4.2, n_eff = 2.4 with Si's α_sub = 2.6e-6 /K.
  const double si = *builtin_dn_dT_per_K("Si");
  const double ox = *builtin_dn_dT_per_K("SiO2");
  CHECK(si == 1.86e-4);
  CHECK(ox == 0.95e-5);
  const std::vector<ConfinementTerm> terms{{1.0, si}, {0.3, ox}};
  const double drift = ring_drift_m_per_K(1550e-9, 4.2, terms, 2.4, kSiExpansion_per_K);
  const double formula = 1550e-9 / 4.2 * (1.0 * 1.86e-4 + 0.3 * 0.95e-5 + 2.4 * 2.6e-6);
  CHECK(drift == doctest::Approx(formula).epsilon(1e-12));
  MESSAGE("Si ring drift " << drift * 1e12 << " pm/K");
  CHECK(drift > 70e-12);
  CHECK(drift < 80e-12);
  // physics.md §2.2: n_g 4.2 and dn_eff/dT 1.9e-4 give ≈ 70 pm/K.
  CHECK(ring_drift_m_per_K(1550e-9, 4.2, {{1.0, 1.9e-4}}) * 1e12 ==
        doctest::Approx(70.12).epsilon(1e-3));
  // FSR example: R = 5 µm, n_g = 4.2 → 18.2 nm.
  CHECK(ring_fsr_m(1550e-9, 4.2, 5e-6) * 1e9 == doctest::Approx(18.2).epsilon(2e-3));
  CHECK(ring_fsr_m(1550e-9, 4.2, 5e-6) ==
        doctest::Approx(1550e-9 * 1550e-9 / (4.2 * 2 * kPi * 5e-6)).epsilon(1e-14));
  CHECK(ring_linewidth_m(1550e-9, 5000) * 1e9 == doctest::Approx(0.31).epsilon(1e-12));
  CHECK_FALSE(builtin_dn_dT_per_K("unobtainium"));
}

TEST_CASE("Δφ along a straight waveguide in a linear T field matches the closed form") {
  // T = 300 + 2000·x K (x in m) on a non-uniform grid; the waveguide runs node to node, so the
  // cell values (T at centres) integrate the linear field exactly.
  const mesh::RectilinearGrid g({0.0, 1e-4, 3e-4, 4e-4, 7e-4, 1e-3}, {0.0, 2e-4, 4e-4},
                                {0.0, 1e-4});
  const double slope = 2000.0;
  const auto T = field_on(g, [&](double x, double, double) { return 300.0 + slope * x; });
  const double x0 = 1e-4, x1 = 7e-4;
  const auto pieces = path_pieces(g, {{x0, 1.5e-4, 5e-5}, {x1, 1.5e-4, 5e-5}});
  CHECK(pieces.size() == 3);
  WaveguideOptics o = platform_defaults(Platform::si);
  o.T_ref_K = 300.0;
  const auto w = evaluate_waveguide(T, pieces, o);
  const double integral = slope * (x1 * x1 - x0 * x0) / 2.0;  // ∫(T − T_ref) dx
  CHECK(w.path.length_m == doctest::Approx(x1 - x0).epsilon(1e-14));
  CHECK(w.path.integral_dT_K_m == doctest::Approx(integral).epsilon(1e-12));
  CHECK(w.phase_rad == doctest::Approx(2 * kPi / 1310e-9 * 1.9e-4 * integral).epsilon(1e-12));
  CHECK(w.loss_dB == doctest::Approx(2.0 * 0.06).epsilon(1e-12));  // 2 dB/cm × 0.6 mm
  CHECK(w.path.T_mean_K == doctest::Approx(300.0 + slope * (x0 + x1) / 2).epsilon(1e-14));

  // A diagonal path crossing x and y planes: pieces sum to its length.
  const auto diag = path_pieces(g, {{0.0, 0.0, 5e-5}, {1e-3, 4e-4, 5e-5}});
  double L = 0.0;
  for (const auto& p : diag) L += p.length_m;
  CHECK(L == doctest::Approx(std::hypot(1e-3, 4e-4)).epsilon(1e-13));
  CHECK(diag.size() == 6);  // 4 x planes and 1 y plane crossed

  // MZI: arms at y-centres of a field linear in y → imbalance = (2π/λ)·dn/dT·L·g·Δy.
  const auto Ty = field_on(g, [](double, double y, double) { return 310.0 + 5000.0 * y; });
  const auto a = path_pieces(g, {{0.0, 3e-4, 5e-5}, {1e-3, 3e-4, 5e-5}});
  const auto b = path_pieces(g, {{0.0, 1e-4, 5e-5}, {1e-3, 1e-4, 5e-5}});
  const auto m = evaluate_mzi(Ty, a, b, o);
  CHECK(m.arm_dT_K == doctest::Approx(5000.0 * 2e-4).epsilon(1e-12));
  CHECK(m.imbalance_rad ==
        doctest::Approx(2 * kPi / 1310e-9 * 1.9e-4 * 1e-3 * 5000.0 * 2e-4).epsilon(1e-10));
  // physics.md §2.2: L·ΔT for π ≈ 4.1 mm·K in Si at 1550 nm.
  WaveguideOptics c = o;
  c.wavelength_m = 1550e-9;
  CHECK(kPi / thermo_optic_phase_rad(c, 1e-3) == doctest::Approx(4.08).epsilon(1e-2));  // × 1 mm·K
  CHECK_THROWS_AS(path_pieces(g, {{0, 0, 0}}), std::invalid_argument);
  CHECK_THROWS_AS(path_pieces(g, {{0, 0, 0}, {2e-3, 0, 0}}), std::invalid_argument);
  // A point within kSurfaceTolerance_m outside (accepted by check) is on the face (issue 17:
  // it ended in "internal error ... outside the grid"); a micrometre outside is not.
  const double x_end = g.nodes(0).back();
  const auto edge = path_pieces(g, {{0, 1e-4, 5e-5}, {x_end + 1e-10, 1e-4, 5e-5}});
  const auto face = path_pieces(g, {{0, 1e-4, 5e-5}, {x_end, 1e-4, 5e-5}});
  REQUIRE(edge.size() == face.size());
  CHECK(edge.back().to_m[0] == x_end);
  CHECK(edge.back().cell == face.back().cell);
  CHECK_THROWS_AS(path_pieces(g, {{0, 0, 0}, {x_end + 1e-6, 0, 0}}), std::invalid_argument);
}

TEST_CASE("laser: λ(T), I_th(T), slope efficiency, optical power and heat by hand") {
  LaserModel l;  // 1310 nm DFB, I_th0 20 mA, T0 60 K, η 0.35 W/A, T1 200 K, 300 mA, 1.6 V
  l.R_th_jc_K_per_W = 0.0;  // junction at the case: the hand values below
  CHECK(default_drift_m_per_K(LaserKind::dfb) == 0.09e-9);
  CHECK(default_drift_m_per_K(LaserKind::fabry_perot) == 0.4e-9);
  const auto s0 = evaluate_laser(l, 300.0);
  CHECK(s0.lambda_m == doctest::Approx(1310e-9).epsilon(1e-15));
  CHECK(s0.threshold_A == doctest::Approx(0.02).epsilon(1e-14));
  CHECK(s0.optical_W == doctest::Approx(0.35 * 0.28).epsilon(1e-14));
  CHECK(s0.electrical_W == doctest::Approx(0.48).epsilon(1e-14));
  CHECK(s0.heat_W == doctest::Approx(0.48 - 0.098).epsilon(1e-14));
  const auto s = evaluate_laser(l, 330.0);  // ΔT = 30 K
  CHECK(s.lambda_m == doctest::Approx(1310e-9 + 30 * 0.09e-9).epsilon(1e-15));
  CHECK(s.threshold_A == doctest::Approx(0.02 * std::exp(0.5)).epsilon(1e-14));
  CHECK(s.slope_W_per_A == doctest::Approx(0.35 * std::exp(-0.15)).epsilon(1e-14));
  const double P = 0.35 * std::exp(-0.15) * (0.3 - 0.02 * std::exp(0.5));
  CHECK(s.optical_W == doctest::Approx(P).epsilon(1e-14));
  CHECK(s.heat_W == doctest::Approx(0.48 - P).epsilon(1e-14));
  CHECK(s.heat_W > s0.heat_W);  // hotter laser → less light → more heat (§6 item 6)
  // Below threshold: no light, all heat.
  l.current_A = 0.01;
  const auto off = evaluate_laser(l, 300.0);
  CHECK_FALSE(off.lasing);
  CHECK(off.optical_W == 0.0);
  CHECK(off.heat_W == doctest::Approx(0.016).epsilon(1e-14));
  l.T0_K = 0.0;
  CHECK_THROWS_AS(evaluate_laser(l, 300.0), std::invalid_argument);
}

TEST_CASE("laser junction: T_j = T_case + R_th,jc · heat(T_j) against an independent bisection") {
  LaserModel l;  // default: R_th,jc 40 K/W (physics.md §4.4: active region 10–20 K above case)
  CHECK(l.R_th_jc_K_per_W == 40.0);
  // The default laser dissipates 0.382 W at its reference: 15.3 K, inside §4.4's 10–20 K.
  CHECK(evaluate_laser_at_junction(l, 300.0).heat_W * l.R_th_jc_K_per_W ==
        doctest::Approx(15.28).epsilon(1e-12));
  // Independent scalar root of g(T) = T − T_case − R·heat(T) by plain bisection on the bracket
  // [T_case, T_case + R·I·V] (the heat lies in [0, I·V]); heat(T) written out here by hand.
  auto junction_by_bisection = [](const LaserModel& m, double T_case) {
    auto heat = [&](double T) {
      const double ith = m.threshold_A * std::exp((T - m.T_ref_K) / m.T0_K);
      const double eta = m.slope_W_per_A * std::exp(-(T - m.T_ref_K) / m.T1_K);
      return m.current_A * m.voltage_V - (m.current_A > ith ? eta * (m.current_A - ith) : 0.0);
    };
    double lo = T_case, hi = T_case + m.R_th_jc_K_per_W * m.current_A * m.voltage_V;
    for (int k = 0; k < 200; ++k) {
      const double mid = 0.5 * (lo + hi);
      (mid - T_case - m.R_th_jc_K_per_W * heat(mid) < 0.0 ? lo : hi) = mid;
    }
    return 0.5 * (lo + hi);
  };
  for (double T_case : {280.0, 320.0, 350.0}) {
    const LaserState s = evaluate_laser(l, T_case);
    CHECK(s.T_case_K == T_case);
    CHECK(s.T_junction_K == doctest::Approx(junction_by_bisection(l, T_case)).epsilon(1e-11));
    CHECK(s.T_junction_K - T_case == doctest::Approx(40.0 * s.heat_W).epsilon(1e-10));
    // λ, I_th, η and the heat are those of the junction, not of the case.
    const LaserState at_j = evaluate_laser_at_junction(l, s.T_junction_K);
    CHECK(s.lambda_m == at_j.lambda_m);
    CHECK(s.threshold_A == at_j.threshold_A);
    CHECK(s.optical_W == at_j.optical_W);
    CHECK(s.T_junction_K > T_case + 10.0);  // hotter than the case by §4.4's 10–20 K
    CHECK(s.T_junction_K < T_case + 20.0);
  }
  // A large resistance: the junction runs so hot that the laser stops lasing (all heat).
  l.R_th_jc_K_per_W = 2000.0;
  const LaserState hot = evaluate_laser(l, 300.0);
  CHECK(hot.T_junction_K == doctest::Approx(junction_by_bisection(l, 300.0)).epsilon(1e-10));
  CHECK_FALSE(hot.lasing);
  CHECK(hot.T_junction_K == doctest::Approx(300.0 + 2000.0 * 0.48).epsilon(1e-12));
  // R = 0: the junction is the case.
  l.R_th_jc_K_per_W = 0.0;
  CHECK(evaluate_laser(l, 310.0).T_junction_K == 310.0);
  l.R_th_jc_K_per_W = -1.0;
  CHECK_THROWS_AS(evaluate_laser(l, 300.0), std::invalid_argument);
}

TEST_CASE("channel grids against physics.md §2.5") {
  const auto cwdm4 = *builtin_grid("CWDM4");
  REQUIRE(cwdm4.channels.size() == 4);
  const double centres[4] = {1271, 1291, 1311, 1331};
  const double lo[4] = {1264.5, 1284.5, 1304.5, 1324.5};
  for (int i = 0; i < 4; ++i) {
    CHECK(cwdm4.channels[i].centre_m * 1e9 == doctest::Approx(centres[i]).epsilon(1e-12));
    CHECK(cwdm4.channels[i].window_lo_m * 1e9 == doctest::Approx(lo[i]).epsilon(1e-12));
    CHECK(cwdm4.channels[i].window_hi_m * 1e9 == doctest::Approx(lo[i] + 13).epsilon(1e-12));
  }
  CHECK(builtin_grid("FR4")->channels.size() == 4);
  const auto dr4 = *builtin_grid("DR4");
  REQUIRE(dr4.channels.size() == 1);
  CHECK(dr4.channels[0].window_lo_m * 1e9 == doctest::Approx(1304.5).epsilon(1e-12));
  CHECK(dr4.channels[0].window_hi_m * 1e9 == doctest::Approx(1317.5).epsilon(1e-12));
  const auto lan = *builtin_grid("LAN-WDM");
  const double lan_nm[4] = {1295.56, 1300.05, 1304.58, 1309.14};
  for (int i = 0; i < 4; ++i)
    CHECK(lan.channels[i].centre_m * 1e9 == doctest::Approx(lan_nm[i]).epsilon(1e-12));
  const auto cwdm = *builtin_grid("CWDM");
  CHECK(cwdm.channels.size() == 18);
  CHECK(cwdm.channels.back().centre_m * 1e9 == doctest::Approx(1611).epsilon(1e-12));
  // CW-WDM: 8/16/32 λ at 400/200/100 GHz ≈ 2.27/1.13/0.57 nm at 1310, centred on 1310 nm.
  const struct {
    const char* name;
    std::size_t n;
    double spacing_Hz, spacing_nm;
  } cw[] = {
      {"CW-WDM-8", 8, 400e9, 2.27}, {"CW-WDM-16", 16, 200e9, 1.13}, {"CW-WDM-32", 32, 100e9, 0.57}};
  for (const auto& c : cw) {
    CAPTURE(c.name);
    const auto g = *builtin_grid(c.name);
    REQUIRE(g.channels.size() == c.n);
    double f_sum = 0.0;
    for (std::size_t i = 0; i < c.n; ++i) {
      f_sum += c0 / g.channels[i].centre_m;
      if (i > 0) {
        CHECK(c0 / g.channels[i - 1].centre_m - c0 / g.channels[i].centre_m ==
              doctest::Approx(c.spacing_Hz).epsilon(1e-9));
        CHECK(g.channels[i].centre_m > g.channels[i - 1].centre_m);
      }
    }
    CHECK(f_sum / static_cast<double>(c.n) == doctest::Approx(c0 / 1310e-9).epsilon(1e-12));
    const std::size_t mid = c.n / 2;
    CHECK((g.channels[mid].centre_m - g.channels[mid - 1].centre_m) * 1e9 ==
          doctest::Approx(c.spacing_nm).epsilon(1e-2));
    CHECK((g.channels[0].window_hi_m - g.channels[0].window_lo_m) * 1e9 ==
          doctest::Approx(c.spacing_nm / 2).epsilon(2e-2));
  }
  // DWDM: anchor 193.1 THz (1552.52 nm), 100/50 GHz ≈ 0.8/0.4 nm.
  const auto d100 = *builtin_grid("DWDM-100GHz");
  CHECK(d100.channels.size() == 40);
  CHECK(d100.channels[0].centre_m == doctest::Approx(c0 / 193.1e12).epsilon(1e-14));
  CHECK((d100.channels[1].centre_m - d100.channels[0].centre_m) * 1e9 ==
        doctest::Approx(0.8).epsilon(1e-2));
  const auto d50 = *builtin_grid("DWDM-50GHz");
  CHECK(d50.channels.size() == 80);
  CHECK((d50.channels[1].centre_m - d50.channels[0].centre_m) * 1e9 ==
        doctest::Approx(0.4).epsilon(1e-2));
  CHECK_FALSE(builtin_grid("CWDM5"));
  CHECK(builtin_grid_names().size() == 10);
  CHECK(window_margin_m(cwdm4.channels[0], 1270e-9) == doctest::Approx(5.5e-9).epsilon(1e-9));
  CHECK(window_margin_m(cwdm4.channels[0], 1280e-9) == doctest::Approx(-2.5e-9).epsilon(1e-9));
}

TEST_CASE("spread: max − min") {
  CHECK(spread({}) == 0.0);
  CHECK(spread({3.0}) == 0.0);
  CHECK(spread({3.0, 1.0, 4.5}) == 3.5);
}
