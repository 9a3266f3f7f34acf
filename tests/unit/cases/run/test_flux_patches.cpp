/// \file
/// Issue 18 item 1: flux maps (q_map) and patches on outer faces — exact power, grid planes
/// at patch edges, the energy balance with them (steady and transient), and the echo.
#include <doctest/doctest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include "cases/read/face_flux_reader.hpp"
#include "cases/resolve/load_case.hpp"
#include "cases/run/build_problem.hpp"
#include "solver/steady.hpp"
#include "solver/transient.hpp"

namespace fs = std::filesystem;
using namespace cposim;

namespace {

/// A Cu slab 4 × 3 mm, 0.5 mm thick, on three faces: top convection with a 2 × 2 q_map,
/// x_min adiabatic with a q_W_per_m2 patch, bottom heat_flux with a power_W patch on it.
std::string flux_case() {
  return "[package]\nfootprint_um = [4000, 3000]\n"
         "[[layers]]\nname = \"slab\"\nmaterial = \"Cu\"\nthickness_um = 500\n"
         "[boundary.top]\ntype = \"convection\"\nh_W_per_m2K = 5e4\nT_ambient_K = 300\n"
         "q_map = \"q.csv\"\n"
         "[boundary.x_min]\ntype = \"adiabatic\"\n"
         "[[boundary.x_min.patches]]\norigin_um = [1000, 100]\nsize_um = [700, 250]\n"
         "q_W_per_m2 = 2e5\n"
         "[boundary.bottom]\ntype = \"heat_flux\"\nq_W_per_m2 = 1e4\n"
         "[[boundary.bottom.patches]]\norigin_um = [333, 777]\nsize_um = [1111, 555]\n"
         "power_W = 3\n"
         "[grid]\nmax_cell_xy_um = 400\nmax_cell_z_um = 100\n"
         "[solver]\nlinear_solver = \"direct\"\nrelative_tolerance = 1e-13\n";
}

struct Dir {
  fs::path path = fs::temp_directory_path() /
                  ("cposim_flux_" + std::to_string(static_cast<long long>(::getpid())));
  Dir() {
    fs::create_directories(path);
    std::ofstream(path / "q.csv") << "1e4, 3e4\n0, 2e4\n";  // row 0 is the lowest y
  }
  ~Dir() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
};

double face_power_W(const cases::BuiltProblem& b, int f) {
  const auto& q = b.face_q_W_per_m2[static_cast<std::size_t>(f)];
  const auto [a, u, v] = solver::face_axes(f);
  const auto& g = *b.grid;
  double sum = 0.0;
  for (std::size_t jv = 0; jv < g.cells_per_axis()[v]; ++jv)
    for (std::size_t iu = 0; iu < g.cells_per_axis()[u]; ++iu)
      sum += q[iu + g.cells_per_axis()[u] * jv] * g.width(u, iu) * g.width(v, jv);
  return sum;
}

}  // namespace

TEST_CASE("flux maps and patches: exact power, planes at patch edges, energy balance") {
  const Dir dir;
  const auto spec =
      cases::read_case_text(flux_case(), (dir.path / "f.toml").string(), dir.path.string());
  const auto built = cases::build_problem(spec);
  // Imposed powers: top map mean (1e4 + 3e4 + 0 + 2e4)/4 = 1.5e4 W/m² over 12 mm² = 0.18 W;
  // x_min patch 2e5 W/m² × 0.7 × 0.25 mm² = 0.035 W; bottom patch 3 W (+ the uniform flux).
  CHECK(face_power_W(built, 5) == doctest::Approx(0.18).epsilon(1e-12));
  CHECK(face_power_W(built, 0) == doctest::Approx(0.035).epsilon(1e-12));
  CHECK(face_power_W(built, 4) == doctest::Approx(3.0).epsilon(1e-12));
  CHECK(cases::imposed_face_power_W(spec.boundaries[5], 4e-3, 3e-3) ==
        doctest::Approx(0.18).epsilon(1e-12));
  // Patch edges are grid planes.
  const auto& g = *built.grid;
  for (double x : {333e-6, 1444e-6}) {
    bool found = false;
    for (double node : g.nodes(0)) found = found || std::fabs(node - x) < 1e-12;
    CHECK_MESSAGE(found, "no x plane at ", x);
  }
  for (double z : {100e-6, 350e-6}) {
    bool found = false;
    for (double node : g.nodes(2)) found = found || std::fabs(node - z) < 1e-12;
    CHECK_MESSAGE(found, "no z plane at ", z);
  }
  const auto problem = built.problem();
  std::vector<double> T;
  const auto r = solver::solve_steady(problem, built.solver_options, T);
  REQUIRE(r.converged);
  const double in_W = 0.18 + 0.035 + 3.0 + 1e4 * 12e-6;
  MESSAGE("flux-map energy balance: relative " << r.energy.relative);
  CHECK(r.energy.relative <= 1e-9);
  CHECK(r.energy.face_heat_out_W[0] == doctest::Approx(-0.035).epsilon(1e-12));
  CHECK(r.energy.face_heat_out_W[4] == doctest::Approx(-3.12).epsilon(1e-12));
  // All of it leaves through the top film, whose net outflow is that less its own map's 0.18 W.
  CHECK(r.energy.face_heat_out_W[5] == doctest::Approx(in_W - 0.18).epsilon(1e-9));

  // The echo reads back to the same per-face-cell fluxes.
  const auto again = cases::build_problem(cases::read_case_text(
      spec.resolved_text, (dir.path / "echo.toml").string(), dir.path.string()));
  for (std::size_t f = 0; f < 6; ++f) CHECK(again.face_q_W_per_m2[f] == built.face_q_W_per_m2[f]);
}

TEST_CASE("flux patches in a transient: the cumulative energy accounting closes to 1e-9") {
  const Dir dir;
  const auto spec =
      cases::read_case_text(flux_case(), (dir.path / "f.toml").string(), dir.path.string());
  const auto built = cases::build_problem(spec);
  solver::TransientOptions o;
  o.linear = built.solver_options.linear;
  o.tolerance_K = 0.01;
  solver::TransientSolver ts(*built.grid, o);
  std::vector<double> T(built.grid->num_cells(), 300.0);
  const auto rep = ts.run(built.problem(), T, 0.0, {0.01, 0.05}, {}, {});
  REQUIRE(rep.completed);
  MESSAGE("transient with patches: cumulative relative " << rep.energy_relative << " in "
                                                         << rep.steps << " steps");
  CHECK(rep.energy_relative <= 1e-9);
  CHECK(rep.energy_in_J == 0.0);  // no volumetric power: everything enters through faces
  CHECK(-rep.heat_out_J == doctest::Approx(rep.stored_change_J).epsilon(1e-9));
}
