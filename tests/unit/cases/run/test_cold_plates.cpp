/// \file
/// Cold plates and h maps end to end (case text → build → SteadySolver with the coolant hook):
/// energy closure, the analytic fluid rise over a uniform-flux slab, downstream sources
/// running hotter, the uniform h map against uniform h, area-weighted h-map resampling,
/// preconditioner reuse, and the run summary.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include "cases/report/run_and_report.hpp"
#include "cases/report/summary_text.hpp"
#include "cases/resolve/load_case.hpp"
#include "cases/run/build_problem.hpp"
#include "cases/run/cold_plate_coupling.hpp"
#include "cases/run/run_case.hpp"
#include "materials/fluids.hpp"
#include "solver/steady.hpp"
#include "solver/transient.hpp"

using namespace cposim;
using namespace cposim::cases;
namespace fs = std::filesystem;

namespace {

fs::path scratch_dir() {
  const fs::path dir = fs::temp_directory_path() / "cposim_test_cold_plates";
  fs::create_directories(dir);
  return dir;
}

CaseSpec read(const std::string& text) {
  return read_case_text(text, "case.toml", scratch_dir().string());
}

/// A built case solved with the cold-plate hook, as run_case does it.
struct Solved {
  CaseSpec spec;
  BuiltProblem built;
  std::vector<double> T_K;
  solver::SolveReport report;
  std::vector<ColdPlateResult> plates;
  int setups = 0;  ///< preconditioner set-ups during the solve
};

Solved solve(const std::string& text) {
  Solved s;
  s.spec = read(text);
  s.built = build_problem(s.spec);
  ColdPlateCoupling coupling(s.spec, s.built);
  solver::SteadyOptions options = s.built.solver_options;
  options.on_phase = [&s](const char* phase) { s.setups += std::string(phase) == "setup"; };
  solver::SteadySolver steady(*s.built.grid, options);
  s.report = steady.solve(s.built.problem(), s.T_K, coupling.hook());
  s.plates = coupling.results(s.T_K);
  return s;
}

const std::string kSolver =
    "[solver]\nlinear_solver = \"direct\"\npicard_tolerance_K = 1e-10\n"
    "max_picard_iterations = 300\n";

/// ρ cp V̇ of water at `L_per_min`, W/K.
double water_capacity(double L_per_min) {
  const auto& w = *materials::find_fluid("water");
  return w.rho_kg_per_m3 * w.cp_J_per_kgK * L_per_min / 60000.0;
}

/// A Cu slab 20 × 10 × 1 mm with two 2 × 2 mm, 20 W sources of `die` (Si: k(T)) at x = 5 and
/// 15 mm (symmetric about the plate centre), a plate over the whole top flowing `direction`.
std::string two_sources(const std::string& direction, const std::string& die = "Si") {
  return "[package]\nfootprint_um = [20000, 10000]\n"
         "[[layers]]\nname = \"slab\"\nmaterial = \"Cu\"\nthickness_um = 1000\n"
         "[[blocks]]\nname = \"up\"\nmaterial = \"" +
         die +
         "\"\norigin_um = [4000, 4000, 0]\n"
         "size_um = [2000, 2000, 200]\npower_W = 20\n"
         "[[blocks]]\nname = \"down\"\nmaterial = \"" +
         die +
         "\"\norigin_um = [14000, 4000, 0]\n"
         "size_um = [2000, 2000, 200]\npower_W = 20\n"
         "[grid]\nmax_cell_xy_um = 1000\nmax_cell_z_um = 250\n" +
         kSolver +
         "[[cold_plates]]\nname = \"cp\"\nface = \"top\"\norigin_um = [0, 0]\n"
         "size_um = [20000, 10000]\ncoolant = \"water\"\ninlet_T_K = 308.15\n"
         "flow_L_per_min = 0.05\nflow_direction = \"" +
         direction + "\"\nh_W_per_m2K = 2e4\n";
}

double region_T_max(const Solved& s, const std::string& name) {
  double T = -1.0;
  for (std::size_t c = 0; c < s.T_K.size(); ++c)
    if (s.built.regions[static_cast<std::size_t>(s.built.region_of_cell[c])].name == name)
      T = std::max(T, s.T_K[c]);
  return T;
}

}  // namespace

TEST_CASE("cold plate: outlet = inlet + Q/(m cp) and Q = the power, to 1e-6") {
  const Solved s = solve(two_sources("+x"));
  REQUIRE(s.report.converged);
  REQUIRE(s.plates.size() == 1);
  const auto& p = s.plates.front();
  const double C = water_capacity(0.05);
  CHECK(p.capacity_W_per_K == doctest::Approx(C).epsilon(1e-14));
  MESSAGE("outlet " << p.outlet_T_K << " K, heat " << p.heat_W << " W, closure "
                    << p.energy_mismatch << ", " << s.report.picard_iterations << " iterates");
  // The plate is the only sink: it carries all 40 W. Closure relative to the heat (and so to
  // ΔT = Q/(m cp)); the coupling stops at 1e-10 K, far inside 1e-6.
  CHECK(std::fabs(p.heat_W - 40.0) <= 1e-6 * 40.0);
  CHECK(p.energy_mismatch <= 1e-6);
  CHECK(std::fabs(p.outlet_T_K - (p.inlet_T_K + p.heat_W / C)) <= 1e-6 * (p.heat_W / C));
  CHECK(s.report.energy.relative <= 1e-9);
}

TEST_CASE("cold plate: the downstream source runs hotter, reversing the flow swaps them") {
  const Solved forward = solve(two_sources("+x"));
  const Solved backward = solve(two_sources("-x"));
  REQUIRE(forward.report.converged);
  REQUIRE(backward.report.converged);
  const double up = region_T_max(forward, "up"), down = region_T_max(forward, "down");
  MESSAGE("+x: upstream " << up << " K, downstream " << down << " K");
  // The coolant warms by 40 W / 3.47 W/K = 11.5 K along the plate; the downstream source sees
  // water several kelvin warmer.
  CHECK(down > up + 1.0);
  // Mirror symmetry: reversing the flow swaps the two (same grid, mirrored), to 1e-9 K.
  CHECK(region_T_max(backward, "up") == doctest::Approx(down).epsilon(1e-11));
  CHECK(region_T_max(backward, "down") == doctest::Approx(up).epsilon(1e-11));
}

TEST_CASE("cold plate: over a uniform-flux slab the fluid rises linearly, to 1e-6") {
  // 20 × 3 mm slab, k_z = 100 W/(m K) but laterally 1e-9 (columns independent), q = 1e5 W/m²
  // into the bottom, plate over the whole top, water 0.1 L/min flowing +x. Every column
  // hands its q A to its lane, so the fluid at x is T_in + q W x / (m cp) exactly, and the
  // cell-centred segment means of the march sit on that line.
  const std::string text =
      "[package]\nfootprint_um = [20000, 3000]\n"
      "[materials.aniso]\nk_W_per_mK = [1e-9, 1e-9, 100]\nrho_kg_per_m3 = 1000\n"
      "cp_J_per_kgK = 1000\n"
      "[[layers]]\nname = \"slab\"\nmaterial = \"aniso\"\nthickness_um = 1000\n"
      "[boundary.bottom]\ntype = \"heat_flux\"\nq_W_per_m2 = 1e5\n"
      "[grid]\nmax_cell_xy_um = 1000\nmax_cell_z_um = 500\n" +
      kSolver +
      "[[cold_plates]]\nname = \"cp\"\nface = \"top\"\norigin_um = [0, 0]\n"
      "size_um = [20000, 3000]\ncoolant = \"water\"\ninlet_T_K = 300\nflow_L_per_min = 0.1\n"
      "flow_direction = \"+x\"\nh_W_per_m2K = 1e4\n";
  const Solved s = solve(text);
  REQUIRE(s.report.converged);
  const auto& p = s.plates.front();
  const double C = water_capacity(0.1), q = 1e5, W = 3e-3, L = 20e-3;
  CHECK(p.lanes == 3);
  CHECK(p.cells_along == 20);
  REQUIRE(p.cells.size() == 60);
  double worst = 0.0;
  for (const auto& c : p.cells) {
    const double rise = q * W * c.at_m[0] / C;
    worst = std::max(worst, std::fabs(c.fluid_T_K - 300.0 - rise) / rise);
  }
  MESSAGE("worst relative error of the fluid rise: " << worst);
  CHECK(worst <= 1e-6);
  const double total_rise = q * W * L / C;
  CHECK(std::fabs(p.outlet_T_K - 300.0 - total_rise) <= 1e-6 * total_rise);
}

TEST_CASE("cold plate: fluid temperatures move only the right-hand side: one set-up") {
  const Solved s = solve(two_sources("+x", "Cu"));  // constant k: the matrix never changes
  REQUIRE(s.report.converged);
  CHECK(s.report.picard_iterations > 2);
  CHECK(s.setups == 1);
}

TEST_CASE("cold plate: channels give the correlation's h through the case keys") {
  // The laminar example of test_coolant.cpp: 60 channels of 300 × 1500 µm, 1.5 L/min, a plate
  // 100 mm wide across a +x flow: h_footprint = 14873.56 W/(m² K), Re = 641.075.
  const auto spec = read(
      "[package]\nfootprint_um = [110000, 110000]\n"
      "[[layers]]\nname = \"lid\"\nmaterial = \"Cu\"\nthickness_um = 2000\npower_W = 100\n"
      "[[cold_plates]]\nname = \"main\"\nface = \"top\"\norigin_um = [5000, 5000]\n"
      "size_um = [100000, 100000]\ncoolant = \"water\"\ninlet_T_K = 308.15\n"
      "flow_L_per_min = 1.5\nflow_direction = \"+x\"\n"
      "channels = { count = 60, width_um = 300.0, height_um = 1500.0 }\n");
  const PlateFilm film = plate_film(spec.cold_plates.front());
  REQUIRE(film.channels);
  CHECK(film.channels->reynolds == doctest::Approx(641.075).epsilon(1e-6));
  CHECK(film.h_W_per_m2K == doctest::Approx(14873.56).epsilon(1e-6));
  CHECK(spec.resolved_text.find("channels = { count = 60, width_um = 300, height_um = 1500 }") !=
        std::string::npos);
}

TEST_CASE("h map: a uniform map gives the uniform-h solution to 1e-12") {
  std::ofstream(scratch_dir() / "h_uniform.csv") << "1e4, 1e4, 1e4\n1e4, 1e4, 1e4\n";
  const std::string head =
      "[package]\nfootprint_um = [3000, 2000]\n"
      "[[layers]]\nname = \"slab\"\nmaterial = \"Si\"\nthickness_um = 500\npower_W = 2\n"
      "[grid]\nmax_cell_xy_um = 400\nmax_cell_z_um = 100\n[solver]\nlinear_solver = \"direct\"\n"
      "[boundary.top]\ntype = \"convection\"\nT_ambient_K = 300\n";
  const auto uniform = build_problem(read(head + "h_W_per_m2K = 1e4\n"));
  const auto mapped = build_problem(read(head + "h_map = \"h_uniform.csv\"\n"));
  REQUIRE(mapped.face_h_W_per_m2K[5].size() ==
          mapped.grid->cells_per_axis()[0] * mapped.grid->cells_per_axis()[1]);
  for (double h : mapped.face_h_W_per_m2K[5]) CHECK(h == doctest::Approx(1e4).epsilon(1e-12));
  std::vector<double> T_u, T_m;
  solver::SteadyOptions options = uniform.solver_options;
  solver::solve_steady(uniform.problem(), options, T_u);
  solver::solve_steady(mapped.problem(), options, T_m);
  REQUIRE(T_u.size() == T_m.size());
  double worst = 0.0;
  for (std::size_t c = 0; c < T_u.size(); ++c)
    worst = std::max(worst, std::fabs(T_u[c] - T_m[c]) / T_u[c]);
  CHECK(worst <= 1e-12);
}

TEST_CASE("h map: the transient solver sees a uniform map like the uniform h") {
  // Cu slab (constant k), 2 W, fixed Δt = 1 ms for 50 steps from 300 K: the two runs match to
  // 1e-12 and each closes its energy balance (stored + out = in) to 1e-9.
  std::ofstream(scratch_dir() / "h_uniform.csv") << "1e4, 1e4, 1e4\n1e4, 1e4, 1e4\n";
  const std::string head =
      "[package]\nfootprint_um = [3000, 2000]\n"
      "[[layers]]\nname = \"slab\"\nmaterial = \"Cu\"\nthickness_um = 500\npower_W = 2\n"
      "[grid]\nmax_cell_xy_um = 400\nmax_cell_z_um = 100\n[solver]\nlinear_solver = \"direct\"\n"
      "[boundary.top]\ntype = \"convection\"\nT_ambient_K = 300\n";
  const auto uniform = build_problem(read(head + "h_W_per_m2K = 1e4\n"));
  const auto mapped = build_problem(read(head + "h_map = \"h_uniform.csv\"\n"));
  solver::TransientOptions options;
  options.linear = uniform.solver_options.linear;
  options.adaptive = false;
  options.dt_initial_s = 1e-3;
  std::vector<double> T_u(uniform.grid->num_cells(), 300.0), T_m = T_u;
  solver::TransientSolver a(*uniform.grid, options), b(*mapped.grid, options);
  const auto ra = a.run(uniform.problem(), T_u, 0.0, {0.05}, {}, {});
  const auto rb = b.run(mapped.problem(), T_m, 0.0, {0.05}, {}, {});
  REQUIRE(ra.completed);
  REQUIRE(rb.completed);
  CHECK(rb.energy_relative <= 1e-9);
  double worst = 0.0;
  for (std::size_t c = 0; c < T_u.size(); ++c)
    worst = std::max(worst, std::fabs(T_u[c] - T_m[c]) / T_u[c]);
  CHECK(worst <= 1e-12);
  CHECK(rb.heat_out_J == doctest::Approx(ra.heat_out_J).epsilon(1e-10));
}

TEST_CASE("h map: tiles are resampled onto face cells by overlap area") {
  // Footprint 3000 µm in x with 1000 µm cells and two tiles of 1500 µm (h = 1000 and 3000):
  // the middle cell is half in each, so it gets 2000; one tile row over all of y.
  std::ofstream(scratch_dir() / "h_two.csv") << "1000, 3000\n";
  const auto built = build_problem(
      read("[package]\nfootprint_um = [3000, 1000]\n"
           "[[layers]]\nname = \"slab\"\nmaterial = \"Si\"\nthickness_um = 500\n"
           "[grid]\nmax_cell_xy_um = 1000\n"
           "[boundary.bottom]\ntype = \"convection\"\nh_map = \"h_two.csv\"\nT_ambient_K = 300\n"));
  REQUIRE(built.grid->cells_per_axis()[0] == 3);
  REQUIRE(built.grid->cells_per_axis()[1] == 1);
  const auto& h = built.face_h_W_per_m2K[4];
  REQUIRE(h.size() == 3);
  CHECK(h[0] == doctest::Approx(1000).epsilon(1e-14));
  CHECK(h[1] == doctest::Approx(2000).epsilon(1e-14));
  CHECK(h[2] == doctest::Approx(3000).epsilon(1e-14));
}

TEST_CASE("h map on an x face: columns along y, rows along z") {
  // x_max face: FaceAxes order is (y, z) with y fastest; the CSV's columns run along y and its
  // rows along z (row 0 lowest). 2 × 2 tiles on a 2 × 2-cell face map one to one.
  std::ofstream(scratch_dir() / "h_x.csv") << "1, 2\n3, 4\n";
  const auto built = build_problem(
      read("[package]\nfootprint_um = [1000, 2000]\n"
           "[[layers]]\nname = \"slab\"\nmaterial = \"Si\"\nthickness_um = 2000\n"
           "[grid]\nmax_cell_xy_um = 1000\nmax_cell_z_um = 1000\nmin_cells_per_layer = 1\n"
           "[boundary.x_max]\ntype = \"convection\"\nh_map = \"h_x.csv\"\nT_ambient_K = 300\n"));
  REQUIRE(built.grid->cells_per_axis()[1] == 2);
  REQUIRE(built.grid->cells_per_axis()[2] == 2);
  const auto& h = built.face_h_W_per_m2K[1];
  REQUIRE(h.size() == 4);
  for (std::size_t i = 0; i < 4; ++i)
    CHECK(h[i] == doctest::Approx(static_cast<double>(i + 1)).epsilon(1e-14));
}

TEST_CASE("cold plate on a convective face: cells off the plate keep the face's h and T") {
  // Top face 4 × 2 mm in 1 mm cells; the plate covers x in [1, 3] mm, all of y. Off the plate:
  // h = 50 to 320 K; under it: the plate's 2e4 to its 300 K inlet (before any march).
  const auto built = build_problem(
      read("[package]\nfootprint_um = [4000, 2000]\n"
           "[[layers]]\nname = \"slab\"\nmaterial = \"Cu\"\nthickness_um = 500\npower_W = 1\n"
           "[grid]\nmax_cell_xy_um = 1000\n"
           "[boundary.top]\ntype = \"convection\"\nh_W_per_m2K = 50\nT_ambient_K = 320\n"
           "[[cold_plates]]\nname = \"cp\"\nface = \"top\"\norigin_um = [1000, 0]\n"
           "size_um = [2000, 2000]\ncoolant = \"PG25\"\ninlet_T_K = 300\nflow_L_per_min = 0.5\n"
           "flow_direction = \"-x\"\nh_W_per_m2K = 2e4\n"));
  REQUIRE(built.grid->cells_per_axis()[0] == 4);
  REQUIRE(built.grid->cells_per_axis()[1] == 2);
  const auto& h = built.face_h_W_per_m2K[5];
  const auto& T = built.face_T_K[5];
  for (std::size_t j = 0; j < 2; ++j)
    for (std::size_t i = 0; i < 4; ++i) {
      const bool under = i == 1 || i == 2;
      CHECK(h[i + 4 * j] == (under ? 2e4 : 50.0));
      CHECK(T[i + 4 * j] == (under ? 300.0 : 320.0));
    }
  CHECK(built.boundaries[5].T_K == 300.0);  // the coolant reference: the plate's inlet
}

TEST_CASE("cold plates and h maps: the resolved case reads back to itself") {
  std::ofstream(scratch_dir() / "h_echo.csv") << "10, 20\n30, 40\n";
  const auto spec = read(two_sources("-y") +
                         "[boundary.bottom]\ntype = \"convection\"\nh_map = \"h_echo.csv\"\n"
                         "T_ambient_K = 310\n"
                         "[[cold_plates]]\nname = \"side\"\nface = \"x_min\"\n"
                         "origin_um = [0, 0]\nsize_um = [10000, 1000]\ncoolant = \"PG25\"\n"
                         "inlet_T_K = 305\nflow_L_per_min = 0.25\nflow_direction = \"+z\"\n"
                         "channels = { count = 4, width_um = 1000, height_um = 500 }\n");
  const std::string& echo = spec.resolved_text;
  CHECK(echo.find("h_map = \"h_echo.csv\"") != std::string::npos);
  CHECK(echo.find("flow_direction = \"+z\"") != std::string::npos);
  const CaseSpec again = read(echo);
  CHECK(again.resolved_text.substr(again.resolved_text.find('\n')) ==
        echo.substr(echo.find('\n')));  // identical after the first (comment) line
  REQUIRE(again.cold_plates.size() == 2);
  CHECK(again.cold_plates[1].flow_m3_per_s == spec.cold_plates[1].flow_m3_per_s);
  CHECK(again.cold_plates[1].flow_axis == 2);
}

TEST_CASE("run_case: cold plates in the summary text, summary.json and results") {
  const auto spec = read(two_sources("+y"));
  RunOptions options;
  options.out_dir = (scratch_dir() / "run").string();
  const RunSummary summary = run_and_report(spec, options);
  CHECK(summary.outcome() == RunOutcome::ok);
  REQUIRE(summary.cold_plates.size() == 1);
  CHECK(summary.cold_plates.front().energy_mismatch <= 1e-6);
  const std::string text = format_summary(summary);
  CHECK(text.find("cold plates") != std::string::npos);
  CHECK(text.find("outlet") != std::string::npos);
  std::ifstream json(summary.summary_json_path);
  const std::string body((std::istreambuf_iterator<char>(json)), std::istreambuf_iterator<char>());
  CHECK(body.find("\"cold_plates\"") != std::string::npos);
  CHECK(body.find("\"outlet_T_K\"") != std::string::npos);
}
