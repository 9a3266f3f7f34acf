/// \file
/// 3D-ICE channel sections through the importer: microchannel 2rm / 4rm and pin fins become
/// [[cavities]] (units converted once), and the imported two-die 2rm stack reproduces 3D-ICE's
/// own result (tests/data/3dice_cavities) as the hand-written case does.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include "cases/import/import_3dice.hpp"
#include "cases/resolve/load_case.hpp"
#include "cases/run/build_problem.hpp"
#include "cases/run/cavity_coupling.hpp"
#include "solver/steady.hpp"

using namespace cposim;
using namespace cposim::cases;
namespace fs = std::filesystem;

namespace {

fs::path dir() {
  const fs::path d = fs::temp_directory_path() / "cposim_test_import_cavities";
  fs::create_directories(d);
  return d;
}

std::string write(const std::string& name, const std::string& text) {
  const fs::path p = dir() / name;
  std::ofstream(p) << text;
  return p.string();
}

/// Two 10 × 10 mm silicon dies around the channel `section`, 50 W uniform in each 2 µm source
/// layer, no heat sink (the geometry of 3D-ICE's mc2rm/pf2rm test stacks, written here).
std::string two_dies(const std::string& name, const std::string& section,
                     const std::string& cells = "cell length 200, width 200") {
  // A floorplan per stack: ctest runs these cases in parallel in the same folder.
  const std::string flp = name + ".flp";
  write(flp, "background :\n position 0, 0 ;\n dimension 10000, 10000 ;\n power values 50 ;\n");
  return write(name,
               "material silicon :\n thermal conductivity 1.30e-04 ;\n"
               " volumetric heat capacity 1.63566e-12 ;\n" +
                   section +
                   "dimensions :\n chip length 10000, width 10000 ;\n"
                   " " +
                   cells +
                   " ;\n"
                   "die bottomdie :\n layer 48 silicon ;\n source 2 silicon ;\n"
                   "die topdie :\n source 2 silicon ;\n layer 48 silicon ;\n"
                   "stack :\n die die2 topdie floorplan \"" +
                   flp +
                   "\" ;\n channel ch ;\n"
                   " die die1 bottomdie floorplan \"" +
                   flp +
                   "\" ;\n"
                   "solver :\n steady ;\n initial temperature 300 ;\n");
}

const std::string k2rm =
    "microchannel 2rm :\n height 100 ;\n channel length 50 ;\n wall length 50 ;\n"
    " wall material silicon ;\n coolant flow rate 48.0 ;\n"
    " coolant heat transfer coefficient top 4.7132e-8 , bottom 5.7132e-8 ;\n"
    " coolant volumetric heat capacity 4.172638e-12 ;\n coolant incoming temperature 300.0 ;\n";

CaseSpec imported(const std::string& stk) {
  return read_case_text(import_3dice(stk).case_text, "imported.toml", dir().string());
}

}  // namespace

TEST_CASE("import 3dice: microchannel 2rm becomes a [[cavities]] entry in SI") {
  const CaseSpec s = imported(two_dies("mc2rm.stk", k2rm));
  REQUIRE(s.cavities.size() == 1);
  const auto& c = s.cavities.front();
  CHECK(c.layer == "ch");
  CHECK(c.model == CavityModel::two_resistor);
  CHECK(c.flow_direction == "+y");
  CHECK(*c.flow_L_per_min == doctest::Approx(0.048).epsilon(1e-15));
  CHECK(*c.h_top_W_per_m2K == doctest::Approx(4.7132e4).epsilon(1e-15));
  CHECK(*c.h_bottom_W_per_m2K == doctest::Approx(5.7132e4).epsilon(1e-15));
  CHECK(*c.rho_cp_J_per_m3K == doctest::Approx(4.172638e6).epsilon(1e-15));
  CHECK(c.channel_width_m == doctest::Approx(50e-6).epsilon(1e-15));
  CHECK(s.layers[2].name == "ch");
  CHECK(s.layers[2].thickness_m == doctest::Approx(100e-6).epsilon(1e-15));
}

TEST_CASE("import 3dice: microchannel 4rm and pin fins") {
  const CaseSpec four = imported(two_dies(
      "mc4rm.stk",
      "microchannel 4rm :\n height 100 ;\n channel length 50 ;\n wall length 50 ;\n"
      " first wall length 25 ;\n last wall length 25 ;\n wall material silicon ;\n"
      " coolant flow rate 48.0 ;\n coolant heat transfer coefficient side 2.7132e-08 ,"
      " top 4.7132e-08 , bottom 5.7132e-08 ;\n coolant volumetric heat capacity 4.172638e-12 ;\n"
      " coolant incoming temperature 300.0 ;\n"));
  REQUIRE(four.cavities.size() == 1);
  CHECK(four.cavities[0].model == CavityModel::four_resistor);
  CHECK(*four.cavities[0].h_side_W_per_m2K == doctest::Approx(2.7132e4).epsilon(1e-15));
  const CaseSpec pins = imported(two_dies(
      "pf2rm.stk",
      "pinfin :\n height 100 ;\n pin diameter 50 ;\n pin pitch 100 ;\n"
      " pin distribution staggered ;\n pin material silicon ;\n darcy velocity 1.1066e+06 ;\n"
      " coolant volumetric heat capacity 4.172638e-12 ;\n"
      " coolant incoming temperature 300.0 ;\n"));
  REQUIRE(pins.cavities.size() == 1);
  const auto& p = pins.cavities[0];
  CHECK(p.model == CavityModel::pin_fin);
  CHECK(p.staggered);
  CHECK(*p.darcy_velocity_m_per_s == doctest::Approx(1.1066).epsilon(1e-15));
  CHECK(p.pin_diameter_m == doctest::Approx(50e-6).epsilon(1e-15));
}

TEST_CASE("import 3dice: across the flow no cell finer than the channel pitch") {
  // 3D-ICE's 4rm needs cell length = channel width (50 um); cposim homogenises the channels,
  // so its lateral cap is the pitch (100 um), not above the cell along the flow (200 um).
  const std::string k4rm =
      "microchannel 4rm :\n height 100 ;\n channel length 50 ;\n wall length 50 ;\n"
      " first wall length 25 ;\n last wall length 25 ;\n wall material silicon ;\n"
      " coolant flow rate 48.0 ;\n coolant heat transfer coefficient side 2.7132e-08 ,"
      " top 4.7132e-08 , bottom 5.7132e-08 ;\n coolant volumetric heat capacity 4.172638e-12 ;\n"
      " coolant incoming temperature 300.0 ;\n";
  const auto four = import_3dice(two_dies("cap4.stk", k4rm, "cell length 50, width 200"));
  const CaseSpec s = read_case_text(four.case_text, "imported.toml", dir().string());
  CHECK(s.grid.max_cell_xy_m == doctest::Approx(100e-6).epsilon(1e-12));
  std::string notes;
  for (const auto& n : four.notes) notes += n + "\n";
  CHECK(notes.find("grid: max_cell_xy_um = 100 um: 3D-ICE's cell (50 x 200 um) across the "
                   "flow only resolves its 50 um channels") != std::string::npos);
  // The cell along the flow still caps it; without a cavity the smaller side stays.
  CHECK(imported(two_dies("cap2.stk", k2rm, "cell length 50, width 50")).grid.max_cell_xy_m ==
        doctest::Approx(50e-6).epsilon(1e-12));
}

TEST_CASE("import 3dice: a channel element without a channel section fails at its line") {
  const std::string stk = two_dies("nochannel.stk", "");
  CHECK_THROWS_WITH_AS(import_3dice(stk),
                       doctest::Contains("nochannel.stk:15:2: error: a channel stack element "
                                         "needs a 'microchannel' or 'pinfin' section"),
                       CaseError);
}

TEST_CASE("import 3dice: the imported mc2rm stack matches 3D-ICE 4.0 to 0.1 % of the rise") {
  const CaseSpec spec = imported(two_dies("mc2rm_run.stk", k2rm));
  BuiltProblem built = build_problem(spec);
  CavityCoupling coupling(spec, built);
  solver::SteadyOptions options = built.solver_options;
  options.picard_tolerance_K = 1e-10;
  options.max_picard_iterations = 300;
  options.linear.relative_tolerance = 1e-12;  // the balance is as good as the linear solve
  solver::SteadySolver steady(*built.grid, options);
  std::vector<double> T_K;
  const auto report = steady.solve(built.problem(), T_K, coupling.hook());
  REQUIRE(report.converged);
  MESSAGE("energy balance " << report.energy.relative);
  CHECK(report.energy.relative <= 1e-9);
  CHECK(coupling.results(T_K).front().energy_mismatch <= 1e-9);
  // 3D-ICE's node2: die2's source cell [0, 0] (tests/data/3dice_cavities/references.csv).
  const double reference_K = 311.251373641056;
  const auto& g = *built.grid;
  const double T = T_K[g.cell(0, 0, g.cells_per_axis()[2] - 1)];
  MESSAGE("die2 corner " << T << " K, 3D-ICE " << reference_K << " K");
  CHECK(std::fabs(T - reference_K) <= 1e-3 * (reference_K - 300.0));
}
