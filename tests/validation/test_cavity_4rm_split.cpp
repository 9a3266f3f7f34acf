/// \file
/// 4rm cavities: a thin layer next to the channels touches the walls over (1 − φ) of the
/// footprint and the coolant over φ (3D-ICE resolves each wall and channel column; a thin
/// low-k layer such as a BEOL cannot spread its heat sideways over a pitch). Against the
/// resolved 1D networks of such a layer: the coolant path t/(k φ) + 1/(h φ) and the wall path
/// t/(k (1 − φ)) + H/(k_w (1 − φ)), per unit footprint; to 1e-9 of the rise. (Without the
/// split, the coolant path's BEOL term is t/k: 0.25 K lower of the 5.5 K rise here.)
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <string>

#include "cases/resolve/load_case.hpp"
#include "cases/run/build_problem.hpp"
#include "cases/run/cavity_coupling.hpp"
#include "solver/steady.hpp"

using namespace cposim;
using namespace cposim::cases;
namespace fs = std::filesystem;

namespace {

constexpr double kHeaterK = 100, kHeaterT = 200e-6;
constexpr double kBeolK = 2, kBeolT = 10e-6;
constexpr double kWallK = 100, kCavityH = 100e-6;
constexpr double kPhi = 0.5;  // 50 µm channels, 50 µm walls

struct Solved {
  BuiltProblem built;
  std::vector<double> T_K;
  solver::SolveReport report;
  std::vector<CavityResult> cavities;
  /// The heater's top cell (z index) and its height: all of a column's power crosses the face
  /// above it, so T there = the far end + P (d/(2 k A) + the series resistances above).
  std::size_t top = 0;
  double top_height_m = 0.0;
};

/// 20 columns of 1 × 1 mm along the flow (+x), laterally decoupled (k_x 1e-9): a heater (1 W),
/// a BEOL, the 4rm cavity; then `above` (a lid and a convection face, or nothing).
Solved solve(const std::string& films, const std::string& above) {
  const std::string text =
      "[package]\nfootprint_um = [20000, 1000]\n"
      "[materials.heater]\nk_W_per_mK = [1e-9, 100, 100]\nrho_kg_per_m3 = 1\n"
      "cp_J_per_kgK = 1\n"
      "[materials.beol]\nk_W_per_mK = [1e-9, 2, 2]\nrho_kg_per_m3 = 1\ncp_J_per_kgK = 1\n"
      "[materials.wall]\nk_W_per_mK = [1e-9, 100, 100]\nrho_kg_per_m3 = 1\n"
      "cp_J_per_kgK = 1\n"
      "[[layers]]\nname = \"heater\"\nmaterial = \"heater\"\nthickness_um = 200\n"
      "power_W = 1\n"
      "[[layers]]\nname = \"beol\"\nmaterial = \"beol\"\nthickness_um = 10\n"
      "[[layers]]\nname = \"cavity\"\nmaterial = \"wall\"\nthickness_um = 100\n" +
      above +
      "[grid]\nmax_cell_xy_um = 1000\nmax_cell_z_um = 200\n"
      "[solver]\nlinear_solver = \"direct\"\nrelative_tolerance = 1e-14\n"
      "picard_tolerance_K = 1e-12\nmax_picard_iterations = 200\n"
      "[[cavities]]\nlayer = \"cavity\"\nmodel = \"4rm\"\ncoolant = \"water\"\n"
      "inlet_T_K = 300\nflow_L_per_min = 0.01\nflow_direction = \"+x\"\n"
      "channel_width_um = 50\nwall_width_um = 50\n" +
      films;
  const fs::path dir = fs::temp_directory_path() / "cposim_test_cavity_split";
  fs::create_directories(dir);
  const CaseSpec spec = read_case_text(text, "case.toml", dir.string());
  Solved s;
  s.built = build_problem(spec);
  CavityCoupling coupling(spec, s.built);
  solver::SteadySolver steady(*s.built.grid, s.built.solver_options);
  s.report = steady.solve(s.built.problem(), s.T_K, coupling.hook());
  s.cavities = coupling.results(s.T_K);
  const auto& g = *s.built.grid;
  while (g.centre(2, s.top + 1) < kHeaterT) ++s.top;
  s.top_height_m = g.width(2, s.top);
  return s;
}

}  // namespace

TEST_CASE("cavity 4rm: a thin layer reaches the coolant over the channels only") {
  // Coolant path only: no side walls, no ceiling film, nothing above the cavity.
  const Solved s = solve(
      "h_top_W_per_m2K = 1e-12\nh_bottom_W_per_m2K = 2e4\n"
      "h_side_W_per_m2K = 1e-12\n",
      "");
  REQUIRE(s.report.converged);
  const auto& g = *s.built.grid;
  const double A = 1e-6, P = 0.05;  // each column's footprint and power
  const double R = s.top_height_m / (2 * kHeaterK * A) + (kBeolT / kBeolK + 1 / 2e4) / (kPhi * A);
  const auto& c = s.cavities.front();
  double worst = 0.0;
  for (std::size_t i = 0; i < g.cells_per_axis()[0]; ++i)
    worst = std::max(worst, std::fabs(s.T_K[g.cell(i, 0, s.top)] - (c.fluid_T_K[0][i] + P * R)));
  MESSAGE("heater - coolant: max |T - (T_fluid + P R)| = " << worst << " K, P R = " << P * R
                                                           << " K");
  CHECK(worst <= 1e-9 * P * R);
  CHECK(s.report.energy.relative <= 1e-9);
}

TEST_CASE("cavity 4rm: a thin layer reaches the walls over (1 - phi) of the footprint") {
  // Wall path only: negligible films; the heat crosses BEOL, walls and a 5 µm lid to a top
  // convection face of 1e5 W/(m² K) at 300 K.
  const Solved s = solve(
      "h_top_W_per_m2K = 1e-12\nh_bottom_W_per_m2K = 1e-12\n"
      "h_side_W_per_m2K = 1e-12\n",
      "[[layers]]\nname = \"lid\"\nmaterial = \"wall\"\nthickness_um = 5\n"
      "[boundary.top]\ntype = \"convection\"\nh_W_per_m2K = 1e5\n"
      "T_ambient_K = 300\n");
  REQUIRE(s.report.converged);
  const auto& g = *s.built.grid;
  const double A = 1e-6, P = 0.05, lid = 5e-6;
  // Per unit footprint: the heater's half cell; BEOL, walls and lid over (1 − φ); the film.
  const double R = (s.top_height_m / (2 * kHeaterK) +
                    (kBeolT / kBeolK + kCavityH / kWallK + lid / kWallK) / (1 - kPhi) + 1 / 1e5) /
                   A;
  double worst = 0.0;
  for (std::size_t i = 0; i < g.cells_per_axis()[0]; ++i)
    worst = std::max(worst, std::fabs(s.T_K[g.cell(i, 0, s.top)] - (300.0 + P * R)));
  MESSAGE("heater - ambient: max |T - (300 + P R)| = " << worst << " K, P R = " << P * R << " K");
  CHECK(worst <= 1e-9 * P * R);
}
