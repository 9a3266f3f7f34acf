/// \file
/// Inter-tier cavities against 3D-ICE 4.0's own mc2rm, mc4rm and pf2rm regression stacks
/// (tests/data/3dice_cavities: the stacks' geometry and the reference temperatures 3D-ICE
/// computed, with provenance). The stacks are written here as cposim cases; the solver
/// energy balance and the coolant closure must hold to 1e-9, and the probe temperature rises
/// above the inlet must agree with 3D-ICE's within the tolerances stated per model below.
/// Label benchmark (about 20 s): ctest -L benchmark.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "cases/resolve/load_case.hpp"
#include "cases/run/build_problem.hpp"
#include "cases/run/cavity_coupling.hpp"
#include "solver/steady.hpp"

using namespace cposim;
using namespace cposim::cases;
namespace fs = std::filesystem;

namespace {

/// references.csv: (model, stack, probe) → T_K.
std::map<std::string, double> references() {
  std::ifstream in(fs::path(CPOSIM_TEST_DATA) / "3dice_cavities" / "references.csv");
  std::map<std::string, double> out;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::stringstream row(line);
    std::string model, stack, probe, die, x, y, T;
    std::getline(row, model, ',');
    std::getline(row, stack, ',');
    std::getline(row, probe, ',');
    std::getline(row, die, ',');
    std::getline(row, x, ',');
    std::getline(row, y, ',');
    std::getline(row, T, ',');
    out[model + "/" + stack + "/" + probe] = std::stod(T);
  }
  return out;
}

/// The cavity section of 3D-ICE's test stack for `model` (README.md there).
std::string cavity(const std::string& model) {
  const std::string common =
      "[[cavities]]\nlayer = \"cavity\"\ncoolant = \"water\"\n"
      "coolant_rho_cp_J_per_m3K = 4.172638e6\ninlet_T_K = 300\nflow_direction = \"+y\"\n";
  if (model == "pf2rm")
    return common +
           "model = \"pinfin\"\ndarcy_velocity_m_per_s = 1.1066\npin_diameter_um = 50\n"
           "pin_pitch_um = 100\npin_arrangement = \"inline\"\n";
  const std::string channels =
      "flow_L_per_min = 0.048\nchannel_width_um = 50\nwall_width_um = 50\n"
      "h_top_W_per_m2K = 4.7132e4\nh_bottom_W_per_m2K = 5.7132e4\n";
  if (model == "mc4rm")
    return common + "model = \"4rm\"\n" + channels + "h_side_W_per_m2K = 2.7132e4\n";
  return common + "model = \"2rm\"\n" + channels;
}

/// Power blocks of one die's source layer (z0: its bottom, µm) for `stack`.
std::string sources(const std::string& die, double z0, const std::string& stack) {
  const auto block = [&](const std::string& name, double x, double y, double size, double P) {
    std::ostringstream s;
    s << "[[blocks]]\nname = \"" << die << "." << name << "\"\nmaterial = \"silicon\"\n"
      << "origin_um = [" << x << ", " << y << ", " << z0 << "]\nsize_um = [" << size << ", " << size
      << ", 2]\npower_W = " << P << "\n";
    return s.str();
  };
  if (stack == "background") return block("background", 0, 0, 10000, 50);
  return block("lower_left", 0, 0, 5000, 12.5) + block("upper_right", 5000, 5000, 5000, 12.5);
}

std::string case_text(const std::string& model, const std::string& stack) {
  return "[package]\nfootprint_um = [10000, 10000]\n"
         "[materials.silicon]\nk_W_per_mK = 130\nrho_kg_per_m3 = 1000\ncp_J_per_kgK = 1635.66\n"
         "[[layers]]\nname = \"die1.source\"\nmaterial = \"silicon\"\nthickness_um = 2\n"
         "[[layers]]\nname = \"die1.layer0\"\nmaterial = \"silicon\"\nthickness_um = 48\n"
         "[[layers]]\nname = \"cavity\"\nmaterial = \"silicon\"\nthickness_um = 100\n"
         "[[layers]]\nname = \"die2.layer1\"\nmaterial = \"silicon\"\nthickness_um = 48\n"
         "[[layers]]\nname = \"die2.source\"\nmaterial = \"silicon\"\nthickness_um = 2\n" +
         sources("die1", 0, stack) + sources("die2", 198, stack) +
         "[grid]\nmax_cell_xy_um = 200\nmax_cell_z_um = 100\nmin_cells_per_layer = 1\n"
         "[solver]\nlinear_solver = \"gmg_cg\"\nrelative_tolerance = 1e-12\n"
         "picard_tolerance_K = 1e-10\nmax_picard_iterations = 300\n" +
         cavity(model);
}

double probe(const BuiltProblem& b, const std::vector<double>& T_K, double x, double y, double z) {
  const auto& g = *b.grid;
  std::array<std::size_t, 3> idx{};
  const std::array<double, 3> at{x, y, z};
  for (int a = 0; a < 3; ++a) {
    const auto& nodes = g.nodes(a);
    for (std::size_t i = 0; i + 1 < nodes.size(); ++i)
      if (at[a] >= nodes[i] && at[a] < nodes[i + 1]) idx[a] = i;
  }
  return T_K[g.cell(idx[0], idx[1], idx[2])];
}

struct Compared {
  double node1_K = 0.0, node2_K = 0.0;
};

Compared run(const std::string& model, const std::string& stack) {
  const fs::path dir = fs::temp_directory_path() / "cposim_test_cavity_3dice";
  fs::create_directories(dir);
  const CaseSpec spec = read_case_text(case_text(model, stack), "case.toml", dir.string());
  BuiltProblem built = build_problem(spec);
  CavityCoupling coupling(spec, built);
  solver::SteadySolver steady(*built.grid, built.solver_options);
  std::vector<double> T_K;
  const auto report = steady.solve(built.problem(), T_K, coupling.hook());
  REQUIRE(report.converged);
  MESSAGE(model << " " << stack << ": " << built.grid->num_cells() << " cells, "
                << report.picard_iterations << " iterates, " << report.linear_iterations
                << " CG iterations");
  const auto c = coupling.results(T_K).front();
  const double P = stack == "background" ? 100.0 : 50.0;
  CHECK(report.energy.relative <= 1e-9);
  CHECK(std::fabs(c.heat_W - P) <= 1e-9 * P);
  CHECK(c.energy_mismatch <= 1e-9);
  // 3D-ICE's probe cells: [25, 24] (2RM, pin fins: x 5000..5200, y 4800..5000; four_elements:
  // [24, 24], x 4800..5000) and, for 4RM, the 50 µm column x 4975..5025, which straddles the
  // x = 5000 plane of cposim's grid: the mean of the cells on either side stands for it.
  Compared out;
  if (model == "mc4rm") {
    out.node1_K = 0.5 * (probe(built, T_K, 4900e-6, 4900e-6, 1e-6) +
                         probe(built, T_K, 5100e-6, 4900e-6, 1e-6));
  } else {
    const double x1 = stack == "background" ? 5100.0 : 4900.0;
    out.node1_K = probe(built, T_K, x1 * 1e-6, 4900e-6, 1e-6);
  }
  out.node2_K = probe(built, T_K, 100e-6, 100e-6, 199e-6);
  return out;
}

}  // namespace

TEST_CASE("cavity vs 3D-ICE 4.0: mc2rm, mc4rm and pf2rm regression stacks") {
  const auto ref = references();
  REQUIRE(ref.size() == 12);
  for (const std::string model : {"mc2rm", "mc4rm", "pf2rm"})
    for (const std::string stack : {"background", "four_elements"}) {
      CAPTURE(model);
      CAPTURE(stack);
      const Compared c = run(model, stack);
      const double r1 = ref.at(model + "/" + stack + "/node1");
      const double r2 = ref.at(model + "/" + stack + "/node2");
      // Error relative to 3D-ICE's rise above the 300 K inlet.
      const double e1 = (c.node1_K - r1) / (r1 - 300.0), e2 = (c.node2_K - r2) / (r2 - 300.0);
      MESSAGE(model << " " << stack << ": node1 " << c.node1_K << " K (3D-ICE " << r1 << ", "
                    << 100 * e1 << " % of the rise), node2 " << c.node2_K << " K (3D-ICE " << r2
                    << ", " << 100 * e2 << " %)");
      // Measured (2026-12-07): mc2rm ≤ 0.21 %, pf2rm ≤ 0.76 %, mc4rm ≤ 2.5 % of the rise (see
      // the run's messages); the bounds leave a little room. 4RM is looser: 3D-ICE resolves
      // each channel and wall column, cposim homogenises them per cell.
      const double tolerance = model == "mc2rm" ? 0.005 : (model == "pf2rm" ? 0.01 : 0.03);
      CHECK(std::fabs(e1) <= tolerance);
      CHECK(std::fabs(e2) <= tolerance);
    }
}
