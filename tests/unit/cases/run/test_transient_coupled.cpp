/// \file
/// Transient runs with cold plates and leakage P(T) (the transient solver's iterate hook):
/// a cold-plate run that settles on the steady cold-plate solution with the coolant energy
/// balance closed at every output, and a leaky lumped block whose long-time value is the
/// closed-form fixed point and whose early response matches an independent RK4 integration.
///
/// The lumped block is one grid cell of copper (1 × 1 × 0.5 mm) with a convective top and
/// adiabatic elsewhere, so the finite-volume model is exactly C dT/dt = P(T) − (T − T_a)/R with
///   R = d / (2 k A) + 1 / (h A)   (half cell in series with the film), C = ρ c_p V.
#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "cases/report/run_and_report.hpp"
#include "cases/resolve/load_case.hpp"
#include "cases/run/build_problem.hpp"
#include "cases/run/cold_plate_coupling.hpp"
#include "cases/run/run_case.hpp"
#include "cases/run/run_transient.hpp"
#include "materials/fluids.hpp"
#include "solver/steady.hpp"
#include "tests/support/scratch_dir.hpp"

namespace fs = std::filesystem;
using namespace cposim;
using namespace cposim::cases;

namespace {

struct TempDir : cposim::testing::ScratchDir {
  TempDir() : ScratchDir("transient_coupled") {}
};

const fs::path& scratch() {
  static TempDir dir;
  return dir.path;
}

/// A Cu slab 20 × 10 × 1 mm with two 2 × 2 mm, 20 W Cu sources, a water plate over the whole
/// top (h = 2e4 W/(m² K), 0.05 L/min along +x), then `tail` (e.g. a [transient] table).
std::string plate_case(const std::string& tail) {
  return "[package]\nfootprint_um = [20000, 10000]\n"
         "[[layers]]\nname = \"slab\"\nmaterial = \"Cu\"\nthickness_um = 1000\n"
         "[[blocks]]\nname = \"up\"\nmaterial = \"Cu\"\norigin_um = [4000, 4000, 0]\n"
         "size_um = [2000, 2000, 200]\npower_W = 20\n"
         "[[blocks]]\nname = \"down\"\nmaterial = \"Cu\"\norigin_um = [14000, 4000, 0]\n"
         "size_um = [2000, 2000, 200]\npower_W = 20\n"
         "[grid]\nmax_cell_xy_um = 2000\nmax_cell_z_um = 500\n"
         "[solver]\nlinear_solver = \"direct\"\npicard_tolerance_K = 1e-11\n"
         "max_picard_iterations = 300\n"
         "[[cold_plates]]\nname = \"cp\"\nface = \"top\"\norigin_um = [0, 0]\n"
         "size_um = [20000, 10000]\ncoolant = \"water\"\ninlet_T_K = 308.15\n"
         "flow_L_per_min = 0.05\nflow_direction = \"+x\"\nh_W_per_m2K = 2e4\n" +
         tail;
}

constexpr double kSide_m = 1e-3, kThickness_m = 0.5e-3, kK = 398.0;  // built-in Cu
constexpr double kH = 1e5, kTa = 300.0;
constexpr double kArea_m2 = kSide_m * kSide_m;
const double kR_K_per_W = kThickness_m / (2.0 * kK * kArea_m2) + 1.0 / (kH * kArea_m2);

/// One Cu cell with a leaky power, started at ambient, with `transient` keys.
std::string lumped_case(const std::string& leakage, const std::string& transient) {
  return "title = \"lumped\"\n"
         "[package]\nfootprint_um = [1000, 1000]\n"
         "[[blocks]]\nname = \"die\"\nmaterial = \"Cu\"\norigin_um = [0, 0, 0]\n"
         "size_um = [1000, 1000, 500]\npower_W = 2.0\nleakage = { " +
         leakage +
         " }\n[boundary.top]\ntype = \"convection\"\nh_W_per_m2K = 100000\nT_ambient_K = 300\n"
         "[grid]\nmax_cell_xy_um = 2000\nmax_cell_z_um = 1000\nmin_cells_per_layer = 1\n"
         "[solver]\nlinear_solver = \"direct\"\npicard_tolerance_K = 1e-11\n"
         "max_picard_iterations = 300\nrunaway_T_K = 600\n"
         "[output]\nfields = [\"temperature_K\"]\n[transient]\n" +
         transient;
}

RunSummary run(const std::string& text, const std::string& name) {
  RunOptions options;
  options.out_dir = (scratch() / name).string();
  return run_and_report(read_case_text(text, name + ".toml", ""), options);
}

/// Root of f on [lo, hi] by Newton with a bisection safeguard; f(lo) < 0 < f(hi).
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

TEST_CASE("transient cold plate: settles on the steady solution, outlet = inlet + Q(t)/(m cp)") {
  // Steady reference: the same case, solved with the coolant hook as run_case does it.
  CaseSpec steady_spec = read_case_text(plate_case(""), "steady.toml", scratch().string());
  BuiltProblem steady_built = build_problem(steady_spec);
  std::vector<double> T_steady;
  {
    ColdPlateCoupling plates(steady_spec, steady_built);
    solver::SteadySolver steady(*steady_built.grid, steady_built.solver_options);
    const auto report = steady.solve(steady_built.problem(), T_steady, plates.hook());
    REQUIRE(report.converged);
  }
  // Time constant ≈ C (R_film + 1/(2 m cp)) ≈ 0.7 J/K × 0.4 K/W ≈ 0.3 s: 60 s is ~200 of them.
  CaseSpec spec = read_case_text(
      plate_case("[transient]\nend_time_s = 60\noutput_times_s = [0.05, 0.2, 1, 5, 60]\n"
                 "tolerance_K = 1e-3\ndt_initial_s = 1e-4\n"),
      "transient.toml", scratch().string());
  BuiltProblem built = build_problem(spec);
  ColdPlateCoupling plates(spec, built);
  BlockPowerModel block_power(spec, built);
  solver::SteadySolver steady(*built.grid, built.solver_options);
  std::vector<double> T_K;
  TransientSummary s =
      run_transient(spec, built, built.solver_options, steady, T_K, {}, {&block_power, &plates});
  REQUIRE(s.report.completed);
  REQUIRE(T_K.size() == T_steady.size());
  const double inlet = 308.15;
  double rise = 0.0, worst = 0.0;
  for (std::size_t c = 0; c < T_K.size(); ++c) {
    rise = std::max(rise, T_steady[c] - inlet);
    worst = std::max(worst, std::fabs(T_K[c] - T_steady[c]));
  }
  MESSAGE("steady rise " << rise << " K, |T(60 s) − T_steady| ≤ " << worst << " K; "
                         << s.report.steps << " steps, " << s.report.picard_iterations
                         << " iterates, energy relative " << s.report.energy_relative);
  CHECK(worst <= 1e-6 * rise);
  // Energy accounting exact (direct solver): in − out − stored.
  CHECK(s.report.energy_relative <= 1e-9);

  const auto& w = *materials::find_fluid("water");
  const double capacity = w.rho_kg_per_m3 * w.cp_J_per_kgK * 0.05 / 60000.0;
  REQUIRE(s.plate_names == std::vector<std::string>{"cp"});
  REQUIRE(s.plate_outlet_T_K.front().size() == s.times_s.size());
  for (std::size_t i = 0; i < s.times_s.size(); ++i) {
    const double Q = s.plate_heat_W.front()[i];
    const double outlet = s.plate_outlet_T_K.front()[i];
    MESSAGE("t = " << s.times_s[i] << " s: Q_plate = " << Q << " W, outlet " << outlet << " K");
    if (i == 0) {  // the ambient start: no heat, the outlet is the inlet
      CHECK(std::fabs(outlet - inlet) <= 1e-12);
      continue;
    }
    CHECK(Q > 0.0);
    CHECK(std::fabs(outlet - (inlet + Q / capacity)) <= 1e-6 * (Q / capacity));
  }
  // The heat rises to the full 40 W (the plate is the only sink).
  CHECK(std::fabs(s.plate_heat_W.front().back() - 40.0) <= 1e-6 * 40.0);
  CHECK(s.plate_heat_W.front()[1] < s.plate_heat_W.front()[2]);
}

TEST_CASE("transient leakage: long time is the closed-form fixed point, early time is RK4") {
  const double P_d = 2.0, P_l0 = 1.0, beta = 0.02, T_ref = 310.0;
  const std::string leakage = "P_leak_ref_W = 1.0, beta_per_K = 0.02, T_ref_K = 310.0";
  const auto P = [&](double T) { return P_d + P_l0 * std::exp(beta * (T - T_ref)); };

  // Long time: τ ≈ C R / (1 − R β P_l) ≈ 0.02 s; 5 s is > 200 of them.
  const auto s_long = run(lumped_case(leakage,
                                      "end_time_s = 5\noutput_times_s = [5]\ntolerance_K = "
                                      "1e-3\ndt_initial_s = 1e-5\n"),
                          "long");
  REQUIRE(s_long.transient);
  REQUIRE(s_long.transient->report.completed);
  const auto g = [&](double T) { return T - kTa - kR_K_per_W * P(T); };
  const auto dg = [&](double T) {
    return 1.0 - kR_K_per_W * P_l0 * beta * std::exp(beta * (T - T_ref));
  };
  const double T_exact = solve_scalar(g, dg, kTa, kTa + 100.0);
  const auto& tr = *s_long.transient;
  REQUIRE(tr.leaky_block_names == std::vector<std::string>{"die"});
  const double T_end = tr.leaky_block_T_K.front().back();
  MESSAGE("fixed point " << T_exact << " K, transient at 5 s " << T_end << " K, power "
                         << tr.leaky_block_W.front().back() << " W");
  CHECK(std::fabs(T_end - T_exact) <= 1e-6 * (T_exact - kTa));
  CHECK(tr.leaky_block_W.front().back() == doctest::Approx(P(T_exact)).epsilon(1e-6));
  CHECK(s_long.outcome() == RunOutcome::ok);
  CHECK(tr.report.energy_relative <= 1e-9);

  // Early time against RK4 of C dT/dt = P(T) − (T − T_a)/R from T_a.
  const std::vector<double> times{0.002, 0.005, 0.01, 0.02, 0.04};
  const auto s = run(lumped_case(leakage,
                                 "end_time_s = 0.04\noutput_times_s = [0.002, 0.005, 0.01, "
                                 "0.02, 0.04]\ntolerance_K = 1e-5\ndt_initial_s = 1e-7\n"),
                     "early");
  REQUIRE(s.transient);
  REQUIRE(s.transient->report.completed);
  CaseSpec spec =
      read_case_text(lumped_case(leakage, "end_time_s = 1\noutput_times_s = [1]\n"), "c.toml", "");
  const BuiltProblem built = build_problem(spec);
  double C = 0.0;
  for (const auto& m : built.materials_used)
    if (m.name == "Cu") C = m.rho_kg_per_m3 * m.cp_J_per_kgK * kArea_m2 * kThickness_m;
  REQUIRE(C > 0.0);
  const auto f = [&](double T) { return (P(T) - (T - kTa) / kR_K_per_W) / C; };
  double T = kTa, t = 0.0;
  const double dt = 1e-6;
  const auto& tt = *s.transient;
  std::size_t next = 0;
  while (next < times.size()) {
    if (tt.times_s[next + 1] != times[next]) FAIL("output times differ");
    const double h = std::min(dt, times[next] - t);
    const double k1 = f(T), k2 = f(T + 0.5 * h * k1), k3 = f(T + 0.5 * h * k2), k4 = f(T + h * k3);
    T += h / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4);
    t += h;
    if (std::fabs(t - times[next]) <= 1e-15) {
      t = times[next];
      const double got = tt.leaky_block_T_K.front()[next + 1];
      MESSAGE("t = " << t << " s: RK4 " << T << " K, transient " << got << " K, difference "
                     << got - T << " K");
      CHECK(std::fabs(got - T) <= 1e-3);
      ++next;
    }
  }
}

TEST_CASE("transient leakage: no fixed point stops the run as a runaway, exit code 5") {
  // R β P_l ≥ 1 at every temperature (R β P_l0 ≈ 1.06): the block heats without bound and
  // passes runaway_T_K = 600 K.
  const auto s = run(lumped_case("P_leak_ref_W = 2.0, beta_per_K = 0.05, T_ref_K = 300.0",
                                 "end_time_s = 10\noutput_times_s = [10]\n"),
                     "runaway");
  REQUIRE(s.transient);
  MESSAGE("stopped: " << s.transient->report.failure);
  CHECK_FALSE(s.transient->report.completed);
  CHECK(s.transient->report.runaway);
  CHECK(s.transient->report.max_T_K > 600.0);
  CHECK(s.runaway());
  CHECK(s.outcome() == RunOutcome::thermal_runaway);
  CHECK(s.failure_reason().find("thermal runaway") != std::string::npos);
}

TEST_CASE("transient leakage: a blow-up faster than the step control is still a runaway") {
  // β = 0.2 K⁻¹, P_l0 = 10 W: the rise runs away in finite time and the step size collapses
  // (near 430 K) before an accepted state passes 600 K; the failed attempt went past it.
  const auto s = run(lumped_case("P_leak_ref_W = 10.0, beta_per_K = 0.2, T_ref_K = 300.0",
                                 "end_time_s = 10\noutput_times_s = [10]\n"),
                     "blow_up");
  REQUIRE(s.transient);
  MESSAGE("stopped: " << s.transient->report.failure);
  CHECK(s.transient->report.runaway);
  CHECK(s.transient->report.max_T_K < 600.0);
  CHECK(s.outcome() == RunOutcome::thermal_runaway);
  CHECK(s.failure_reason().find("heading above [solver] runaway_T_K = 600 K") != std::string::npos);
}
