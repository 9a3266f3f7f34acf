/// \file
/// Temperature-dependent block power through the real run (read_case_text → run_case): a
/// lumped block whose fixed point is known in closed form, a power_table block, a runaway,
/// and the combination of hooks.
///
/// The block is one grid cell of copper (1 × 1 × 0.5 mm) with a convective top and adiabatic
/// elsewhere, so the finite-volume solution is exactly lumped: T = T_a + R P with
///   R = d / (2 k A) + 1 / (h A)   (half cell in series with the film).
#include <doctest/doctest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <functional>
#include <string>

#include "cases/report/run_and_report.hpp"
#include "cases/resolve/load_case.hpp"
#include "cases/run/iterate_hooks.hpp"
#include "cases/run/run_case.hpp"
#include "tests/support/scratch_dir.hpp"

namespace fs = std::filesystem;
using namespace cposim::cases;

namespace {

constexpr double kSide_m = 1e-3, kThickness_m = 0.5e-3, kK = 398.0;  // built-in Cu
constexpr double kH = 1e5, kTa = 300.0;
constexpr double kArea_m2 = kSide_m * kSide_m;
const double kR_K_per_W = kThickness_m / (2.0 * kK * kArea_m2) + 1.0 / (kH * kArea_m2);

/// One Cu cell with `block_power` (keys of the [[blocks]] table) and `solver` lines.
std::string lumped_case(const std::string& block_power, const std::string& solver = "",
                        int max_picard_iterations = 300) {
  return "title = \"lumped\"\n"
         "[package]\nfootprint_um = [1000, 1000]\n"
         "[[blocks]]\nname = \"die\"\nmaterial = \"Cu\"\norigin_um = [0, 0, 0]\n"
         "size_um = [1000, 1000, 500]\n" +
         block_power +
         "\n[boundary.top]\ntype = \"convection\"\nh_W_per_m2K = 100000\nT_ambient_K = 300\n"
         "[grid]\nmax_cell_xy_um = 2000\nmax_cell_z_um = 1000\nmin_cells_per_layer = 1\n"
         "[solver]\nlinear_solver = \"direct\"\npicard_tolerance_K = 1e-10\n"
         "max_picard_iterations = " +
         std::to_string(max_picard_iterations) + "\n" + solver +
         "[output]\nfields = [\"temperature_K\"]\n";
}

struct TempDir : cposim::testing::ScratchDir {
  TempDir() : ScratchDir("leakage") {}
};

RunSummary run(const std::string& text, const std::string& name) {
  static TempDir dir;
  RunOptions options;
  options.out_dir = (dir.path / name).string();
  return run_and_report(read_case_text(text, name + ".toml", ""), options);
}

/// Root of f on [lo, hi] by Newton from hi with bisection safeguard; f(lo) < 0 < f(hi).
double solve_scalar(const std::function<double(double)>& f, const std::function<double(double)>& df,
                    double lo, double hi) {
  double x = lo;
  for (int i = 0; i < 200; ++i) {
    double next = x - f(x) / df(x);
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    (f(next) < 0.0 ? lo : hi) = next;
    if (std::fabs(next - x) < 1e-13 * std::fabs(next)) return next;
    x = next;
  }
  return x;
}

}  // namespace

TEST_CASE("leakage: lumped block matches T = T_a + R (P_d + P_l0 e^{β (T − T_ref)})") {
  const double P_d = 2.0, P_l0 = 1.0, beta = 0.02, T_ref = 310.0;
  const auto s = run(lumped_case("power_W = 2.0\nleakage = { P_leak_ref_W = 1.0, "
                                 "beta_per_K = 0.02, T_ref_K = 310.0 }\n"),
                     "lumped");
  // Residual g(T) = T − T_a − R P(T): g' = 1 − R β P_l > 0 below the stable root.
  const auto g = [&](double T) {
    return T - kTa - kR_K_per_W * (P_d + P_l0 * std::exp(beta * (T - T_ref)));
  };
  const auto dg = [&](double T) {
    return 1.0 - kR_K_per_W * P_l0 * beta * std::exp(beta * (T - T_ref));
  };
  const double T_exact = solve_scalar(g, dg, kTa, kTa + 100.0);
  const double rise = T_exact - kTa;
  REQUIRE(s.leakage);
  REQUIRE(s.leakage->blocks.size() == 1);
  const auto& b = s.leakage->blocks.front();
  MESSAGE("R = " << kR_K_per_W << " K/W, exact T = " << T_exact << " K, solved " << b.T_K
                 << " K, P = " << b.total_W << " W after " << s.solve.picard_iterations
                 << " iterates");
  CHECK(std::fabs(b.T_K - T_exact) <= 1e-6 * rise);
  CHECK(b.dynamic_W == doctest::Approx(P_d).epsilon(1e-12));
  CHECK(b.total_W ==
        doctest::Approx(P_d + P_l0 * std::exp(beta * (T_exact - T_ref))).epsilon(1e-8));
  CHECK(b.leakage_W == doctest::Approx(b.total_W - P_d).epsilon(1e-12));
  CHECK(s.solve.converged);
  CHECK_FALSE(s.runaway());
  CHECK(s.outcome() == RunOutcome::ok);
  CHECK(s.solve.energy.power_in_W == doctest::Approx(b.total_W).epsilon(1e-12));
}

TEST_CASE("power_table: lumped block matches the closed form on its linear segment") {
  // P(T) = 1 + 0.03 (T − 300) W on [300, 400] K: T − T_a = R (1 + 0.03 (T − 300)).
  const auto s = run(lumped_case("power_table = { T_K = [250, 300, 400, 500], "
                                 "P_W = [1.0, 1.0, 4.0, 4.0], T_block = \"max\" }\n"),
                     "table");
  const double slope = 0.03;
  const double T_exact = kTa + kR_K_per_W * 1.0 / (1.0 - kR_K_per_W * slope);
  REQUIRE(s.leakage);
  const auto& b = s.leakage->blocks.front();
  MESSAGE("exact " << T_exact << " K, solved " << b.T_K << " K");
  CHECK(T_exact > 300.0);
  CHECK(T_exact < 400.0);
  CHECK(std::fabs(b.T_K - T_exact) <= 1e-6 * (T_exact - kTa));
  CHECK(b.model == "power_table");
  CHECK(b.T_block == "max");
  CHECK(b.dynamic_W == 0.0);
  CHECK(b.total_W == doctest::Approx(1.0 + slope * (T_exact - 300.0)).epsilon(1e-8));
  CHECK(s.outcome() == RunOutcome::ok);
}

TEST_CASE("leakage: no fixed point is a runaway, exit code 5, with the block in the message") {
  // R β P_l ≥ 1 for every T above T_ref here: the leakage outruns the film for ever.
  const auto s = run(lumped_case("power_W = 5.0\nleakage = { P_leak_ref_W = 5.0, "
                                 "beta_per_K = 0.2, T_ref_K = 300.0 }\n",
                                 "runaway_T_K = 450\n"),
                     "runaway");
  REQUIRE(s.leakage);
  CHECK(s.runaway());
  CHECK(s.outcome() == RunOutcome::thermal_runaway);
  CHECK(s.solve.runaway);
  CHECK(s.solve.max_T_K > 450.0);
  const std::string why = s.failure_reason();
  CHECK(why.find("thermal runaway") != std::string::npos);
  CHECK(why.find("block 'die'") != std::string::npos);
  CHECK(why.find("runaway_T_K = 450 K") != std::string::npos);
  CHECK(fs::exists(s.results_path));
}

TEST_CASE("leakage: no fixed point just beyond critical is decided by the loop gain, not a cap") {
  // Just beyond critical: the maximum over T of T − T_a − R (12 + e^{0.01 (T − T_a)}) is
  // −3.4 K (at T − T_a = 224 K), so there is no fixed point. runaway_T_K is out of reach and
  // the iteration cap generous: the loop gain reaching 1 while heating must end it, early.
  const auto s = run(lumped_case("power_W = 12.0\nleakage = { P_leak_ref_W = 1.0, "
                                 "beta_per_K = 0.01, T_ref_K = 300.0 }\n",
                                 "runaway_T_K = 1e6\n", 300),
                     "stalled");
  REQUIRE(s.leakage);
  CHECK_FALSE(s.solve.runaway);
  CHECK(s.solve.stopped);
  CHECK(s.solve.picard_iterations < 30);
  CHECK(s.runaway());
  CHECK(s.outcome() == RunOutcome::thermal_runaway);
  CHECK(s.failure_reason().find("loop gain of block 'die' reached") != std::string::npos);
}

TEST_CASE("leakage: loop gain 0.5, 0.9, 0.99 converge to the closed-form T, 1.01 runs away") {
  // Lumped block: T = T_a + R (P_d + P_l0 e^{β (T − T_ref)}), T_ref = T_a. At a fixed point
  // T* with loop gain g = R β P_l(T*), P_l(T*) = g / (R β) and T* − T_a = R P_d + g/β, so
  // P_l0 = P_l(T*) e^{−β (T* − T_a)}: T* is known exactly for each g (g < 1 is the stable
  // root). g = 1 is critical; P_l0 × 1.01 beyond it has no fixed point. Plain Picard needs
  // ln(1e-10 / 50 K) / ln g iterates: 2600 at 0.99, beyond the 300 allowed here.
  const double P_d = 2.0, beta = 0.02;
  auto P_l0 = [&](double g) {
    return g / (kR_K_per_W * beta) * std::exp(-(kR_K_per_W * P_d + g / beta) * beta);
  };
  auto leaky = [&](double P_l0_W) {
    char text[200];
    std::snprintf(text, sizeof text,
                  "power_W = %.17g\nleakage = { P_leak_ref_W = %.17g, beta_per_K = %.17g, "
                  "T_ref_K = 300.0 }\n",
                  P_d, P_l0_W, beta);
    return std::string(text);
  };
  for (double g : {0.5, 0.9, 0.99}) {
    CAPTURE(g);
    const auto s = run(lumped_case(leaky(P_l0(g)), "runaway_T_K = 1e6\n", 300),
                       "gain" + std::to_string(static_cast<int>(g * 100)));
    REQUIRE(s.leakage);
    const auto& b = s.leakage->blocks.front();
    const double T_exact = kTa + kR_K_per_W * P_d + g / beta;
    MESSAGE("loop gain " << g << ": T* = " << T_exact << " K, solved " << b.T_K << " K in "
                         << s.solve.picard_iterations << " iterates, reported gain "
                         << b.loop_gain);
    CHECK(s.solve.converged);
    CHECK(s.outcome() == RunOutcome::ok);
    CHECK(std::fabs(b.T_K - T_exact) <= 1e-6 * (T_exact - kTa));
    CHECK(b.loop_gain == doctest::Approx(g).epsilon(1e-3));
    CHECK(s.solve.picard_iterations <= 25);
  }
  const auto s = run(lumped_case(leaky(1.01 * P_l0(1.0)), "runaway_T_K = 1e6\n", 300), "gain101");
  REQUIRE(s.leakage);
  CHECK(s.runaway());
  CHECK(s.outcome() == RunOutcome::thermal_runaway);
  CHECK_FALSE(s.solve.runaway);  // decided by the criterion, far below runaway_T_K
  CHECK(s.solve.picard_iterations < 60);
  CHECK(s.failure_reason().find("loop gain of block 'die' reached") != std::string::npos);
}

TEST_CASE("leakage: the iteration cap alone is a non-converged solve (exit 3), not a runaway") {
  // A stable fixed point (loop gain 0.5) that three iterates cannot reach.
  const auto s = run(lumped_case("power_W = 2.0\nleakage = { P_leak_ref_W = 1.0, "
                                 "beta_per_K = 0.02, T_ref_K = 300.0 }\n",
                                 "", 2),
                     "capped");
  REQUIRE(s.leakage);
  CHECK_FALSE(s.solve.converged);
  CHECK_FALSE(s.runaway());
  CHECK(s.outcome() == RunOutcome::not_converged);
}

TEST_CASE("combine_hooks: calls every hook in order and joins their notes") {
  std::string order;
  const auto hook = combine_hooks({[&](const std::vector<double>&) {
                                     order += "a";
                                     return std::string("first");
                                   },
                                   {},
                                   [&](const std::vector<double>&) {
                                     order += "b";
                                     return std::string("second");
                                   }});
  REQUIRE(hook);
  CHECK(hook({300.0}) == "first; second");
  CHECK(order == "ab");
  CHECK_FALSE(combine_hooks({}));
  CHECK_FALSE(combine_hooks({cposim::solver::IterateHook{}}));
}

TEST_CASE("leakage and power_table: the resolved case reads back to the same spec") {
  const std::string text = lumped_case(
      "power_W = 2.0\nleakage = { P_leak_ref_W = 1.5, beta_per_K = 0.025, T_ref_K = 358.15, "
      "T_block = \"max\" }\n[[blocks]]\nname = \"b2\"\nmaterial = \"Cu\"\n"
      "origin_um = [0, 0, 500]\nsize_um = [1000, 1000, 100]\n"
      "power_table = { T_K = [300, 400.5], P_W = [0, 2.25] }\n",
      "runaway_T_K = 400\n");
  const CaseSpec spec = read_case_text(text, "echo.toml", "");
  const CaseSpec again = read_case_text(spec.resolved_text, "echo_again.toml", "");
  REQUIRE(again.blocks.size() == 2);
  REQUIRE(again.blocks[0].leakage);
  CHECK(again.blocks[0].leakage->P_leak_ref_W == 1.5);
  CHECK(again.blocks[0].leakage->beta_per_K == 0.025);
  CHECK(again.blocks[0].leakage->T_ref_K == 358.15);
  CHECK(again.blocks[0].leakage->T_block == BlockTemperature::max);
  REQUIRE(again.blocks[1].power_table);
  CHECK_FALSE(again.blocks[1].power_W);
  CHECK(again.blocks[1].power_table->T_K == std::vector<double>{300, 400.5});
  CHECK(again.blocks[1].power_table->P_W == std::vector<double>{0, 2.25});
  CHECK(again.blocks[1].power_table->T_block == BlockTemperature::mean);
  CHECK(again.solver.runaway_T_K == 400.0);
  CHECK(read_case_text(lumped_case(""), "default.toml", "").solver.runaway_T_K == 473.15);
}

TEST_CASE("leakage composes with the photonic coupling: the block keeps P(T) in its cells") {
  // pic_ring_bank's heaters and lasers change their cells by differences between coupling
  // passes, so the leakage the hook adds to the EIC stays; at the end its cells hold P(T).
  CaseSpec spec = read_case(CPOSIM_SOURCE_DIR "/cases/examples/pic_ring_bank.toml");
  bool found = false;
  for (auto& b : spec.blocks)
    if (b.name == "eic") {
      b.leakage = LeakageSpec{1.0, 0.02, 330.0, BlockTemperature::mean, {}};
      found = true;
    }
  REQUIRE(found);
  static TempDir dir;
  RunOptions options;
  options.out_dir = (dir.path / "pic").string();
  const RunSummary s = run_and_report(spec, options);
  REQUIRE(s.photonics);
  CHECK(s.photonics->ok());
  REQUIRE(s.leakage);
  const auto& b = s.leakage->blocks.front();
  MESSAGE("eic: " << b.total_W << " W at " << b.T_K << " K, P(T) = " << b.P_at_T_W << " W");
  CHECK(b.total_W == doctest::Approx(b.P_at_T_W).epsilon(1e-6));  // Picard tolerance 1e-6 K
  CHECK(b.leakage_W == doctest::Approx(std::exp(0.02 * (b.T_K - 330.0))).epsilon(1e-6));
  for (const auto& r : s.regions)
    if (r.name == "eic") CHECK(r.power_W == doctest::Approx(b.total_W).epsilon(1e-9));
  CHECK(s.outcome() == RunOutcome::ok);
}
