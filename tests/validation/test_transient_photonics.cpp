/// \file
/// Photonics in a [transient] run (cases/run/transient_photonics.hpp) on a lumped slab whose
/// finite-volume model is one isothermal node, C dT/dt = P_block(t) + P_heater(t) − (T − T∞)/R
/// (k = 1e6 W/(m K): the slab is isothermal to ~1e-6 K; C = ρ c_p V = 1e-4 J/K, R = 1/(hA) =
/// 100 K/W, τ = 10 ms). A ring covers the slab; its heater is a 10 µm cube at the centre.
///  1. A PI loop through a block power step against an independent reference: the exact
///     zero-order-hold recursion of the node, T_{k+1} = T∞,k + (T_k − T∞,k) e^{−T_s/τ}, with the
///     PI law written out here; ≤ 1e-3 of the detuning step at every sample.
///  2. A long `ideal` run ends where the steady coupled solve of the final power ends (1e-6 K).
///  3. Energy closes with the heaters on (cumulative, relative 1e-9).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "cases/report/run_and_report.hpp"
#include "cases/resolve/load_case.hpp"
#include "cases/run/build_problem.hpp"
#include "cases/run/photonics_coupling.hpp"
#include "cases/run/run_case.hpp"
#include "solver/steady.hpp"
#include "tests/support/scratch_dir.hpp"

namespace fs = std::filesystem;
using namespace cposim;
using namespace cposim::cases;

namespace {

struct TempDir : cposim::testing::ScratchDir {
  TempDir() : ScratchDir("transient_photonics") {}
};

const fs::path& scratch() {
  static TempDir dir;
  return dir.path;
}

constexpr double kC_J_per_K = 1e-4, kR_K_per_W = 100.0, kTinf = 300.0;
constexpr double kP0 = 0.01, kStepFactor = 5.0, kStepAt_s = 1e-3;
constexpr double kLambda0 = 1300e-9, kTarget = 1305e-9, kDrift = 80e-12, kEta = 1e-7;

/// The lumped slab with a block of power P0 (or `power` keys) and one ring with `ring` keys.
std::string slab_case(const std::string& power, const std::string& ring, const std::string& tail) {
  return "[package]\nfootprint_um = [1000, 1000]\n"
         "[materials.ideal]\nk_W_per_mK = 1e6\nrho_kg_per_m3 = 1000\ncp_J_per_kgK = 1000\n"
         "[[layers]]\nname = \"slab\"\nmaterial = \"ideal\"\nthickness_um = 100\n"
         "[[blocks]]\nname = \"load\"\nmaterial = \"ideal\"\norigin_um = [0, 0, 0]\n"
         "size_um = [1000, 1000, 100]\n" +
         power +
         "\n[boundary.top]\ntype = \"convection\"\nh_W_per_m2K = 1e4\nT_ambient_K = 300\n"
         "[grid]\nmax_cell_xy_um = 250\nmax_cell_z_um = 50\n"
         "[solver]\nlinear_solver = \"direct\"\npicard_tolerance_K = 1e-11\n"
         "max_picard_iterations = 100\n"
         "[[rings]]\nname = \"r\"\ncenter_um = [500, 500, 50]\n"
         "footprint_um = [1000, 1000, 100]\n"
         "lambda0_nm = 1300\ntarget_nm = 1305\ndrift_pm_per_K = 80\n"
         "heater_efficiency_nm_per_mW = 0.1\nheater_max_mW = 1000\n"
         "heater_size_um = [10, 10, 10]\n" +
         ring + tail;
}

const std::string kStep =
    "power_W = 0.01\npower_waveform = { kind = \"steps\", t_s = [0, 0.001], factor = [1, 5] }";

RunSummary run(const std::string& text, const std::string& name) {
  RunOptions options;
  options.out_dir = (scratch() / name).string();
  return run_and_report(read_case_text(text, name + ".toml", ""), options);
}

}  // namespace

TEST_CASE("transient PI loop on a lumped ring: the exact sampled response to 1e-3 of the step") {
  const double Ts = 1e-4, kp = 0.1 / kEta, ki = 0.05 / (kEta * Ts);  // g_p 0.1, g_i 0.05
  const double end = 0.06;
  const auto s = run(slab_case(kStep,
                               "control = \"pi\"\npi_period_s = 1e-4\npi_kp_mW_per_nm = 1\n"
                               "pi_ki_mW_per_nm_s = 5000\nlock_tolerance_nm = 0.02\n",
                               "[transient]\ninitial = \"steady\"\nend_time_s = 0.06\n"
                               "output_interval_s = 1e-4\ntolerance_K = 1e-6\n"),
                     "pi");
  REQUIRE(s.outcome() == RunOutcome::ok);
  REQUIRE(s.transient);
  REQUIRE(s.transient->photonics);
  REQUIRE(s.photonics);
  const auto& series = *s.transient->photonics;
  const double R_self = s.photonics->rings[0].heater_self_K_per_W;
  // Independent reference: the node's exact response to piecewise-constant power.
  const double r = std::exp(-Ts / (kC_J_per_K * kR_K_per_W));
  auto shift = [&](double T, double u) {
    return kTarget - kLambda0 - kDrift * (T - R_self * u - 300.0);
  };
  // Locked steady start: shift(T0, u) = η u with T0 = T∞ + R (P0 + u).
  double u =
      (kTarget - kLambda0 - kDrift * kR_K_per_W * kP0) / (kEta + kDrift * (kR_K_per_W - R_self));
  double T = kTinf + kR_K_per_W * (kP0 + u);
  double I = u;
  const double step = kDrift * kR_K_per_W * kP0 * (kStepFactor - 1.0);  // 0.32 nm
  const auto n = static_cast<std::size_t>(std::lround(end / Ts));
  REQUIRE(s.transient->times_s.size() == n + 1);
  double worst = 0.0, worst_heater = 0.0, out_of_lock_s = 0.0, energy_J = 0.0;
  const double tolerance = 0.02e-9;
  for (std::size_t k = 0; k <= n; ++k) {
    const double e = shift(T, u) - kEta * u;  // measured with the power held since the last sample
    worst = std::max(worst, std::fabs(series.ring_detuning_m[0][k] - e));
    worst_heater = std::max(worst_heater, std::fabs(series.ring_heater_W[0][k] - u));
    if (k > 0 && std::fabs(e) > tolerance) out_of_lock_s += Ts;
    if (k > 0) energy_J += u * Ts;  // the power held over the interval ending here
    I = std::clamp(I + ki * Ts * e, 0.0, 1.0);
    u = std::clamp(kp * e + I, 0.0, 1.0);
    const double t = static_cast<double>(k) * Ts;
    const double P = kP0 * (t + 0.5 * Ts > kStepAt_s ? kStepFactor : 1.0);
    const double T_inf = kTinf + kR_K_per_W * (P + u);
    T = T_inf + (T - T_inf) * r;
  }
  MESSAGE("PI: worst detuning error " << worst * 1e9 << " nm of a " << step * 1e9
                                      << " nm step; heater " << worst_heater * 1e3 << " mW");
  CHECK(worst <= 1e-3 * step);
  CHECK(worst_heater <= 1e-3 * step / kEta);
  // The step pushes the ring beyond its 0.02 nm lock tolerance for a while: the lock
  // statistics at the samples are those of the reference (within one sample where |e| ≈ tol).
  const auto& lock = series.rings[0];
  CHECK(lock.lock_tolerance_m == doctest::Approx(tolerance));
  CHECK(lock.stats.max_abs_detuning_m > lock.lock_tolerance_m);
  CHECK(out_of_lock_s > 10.0 * Ts);
  CHECK(std::fabs(lock.stats.time_out_of_lock_s - out_of_lock_s) <= 1.0001 * Ts);
  CHECK(lock.stats.heater_energy_J == doctest::Approx(energy_J).epsilon(1e-3));
  CHECK_FALSE(lock.pass());
  CHECK(s.transient->report.energy_relative <= 1e-9);
}

TEST_CASE(
    "transient ideal control: a long run ends on the steady coupled solution; energy closes") {
  const std::string ideal = "control = \"ideal\"\n";
  const auto s = run(slab_case(kStep, ideal,
                               "[transient]\ninitial = \"steady\"\nend_time_s = 0.3\n"
                               "output_times_s = [0.0005, 0.002, 0.01, 0.3]\ntolerance_K = 1e-4\n"),
                     "ideal");
  REQUIRE(s.outcome() == RunOutcome::ok);
  REQUIRE(s.transient);
  // Steady reference: the coupled loop at the final power, to a tight tolerance.
  CaseSpec spec = read_case_text(
      slab_case("power_W = 0.05", ideal, "[coupling]\ntolerance = 1e-13\n"), "steady.toml", "");
  BuiltProblem built = build_problem(spec);
  std::vector<double> T_steady;
  solver::SteadySolver steady(*built.grid, built.solver_options);
  const auto report = run_photonics_coupling(spec, built, steady, T_steady);
  REQUIRE(report.status == CouplingStatus::converged);
  // The final field of the transient run is in results; compare through the region maxima and
  // the ring's heater power.
  const auto& series = *s.transient->photonics;
  const double u_end = series.ring_heater_W[0].back();
  MESSAGE("ideal: heater " << u_end * 1e3 << " mW, steady " << report.rings[0].state.heater_W * 1e3
                           << " mW; ring T " << series.ring_T_K[0].back() << " K vs "
                           << report.rings[0].state.T_K << " K");
  CHECK(std::fabs(series.ring_T_K[0].back() - report.rings[0].state.T_K) <= 1e-6);
  CHECK(std::fabs(u_end - report.rings[0].state.heater_W) <= 1e-9);
  const auto T_max_steady = *std::max_element(T_steady.begin(), T_steady.end());
  const auto T_min_steady = *std::min_element(T_steady.begin(), T_steady.end());
  CHECK(std::fabs(s.solve.max_T_K - T_max_steady) <= 1e-6);
  for (const auto& region : s.regions) {  // every non-empty region within the steady range
    if (std::isnan(region.T_max_K)) continue;
    CHECK(region.T_max_K <= T_max_steady + 1e-6);
    CHECK(region.T_min_K >= T_min_steady - 1e-6);
  }
  // Locked throughout: the ideal heater follows within the Picard tolerance.
  CHECK(series.rings[0].stats.time_out_of_lock_s == 0.0);
  CHECK(series.rings[0].stats.max_abs_detuning_m < 1e-12);
  // Energy closes with the heater on.
  CHECK(s.transient->report.energy_relative <= 1e-9);
  CHECK(series.rings[0].stats.heater_energy_J > 0.0);
}
