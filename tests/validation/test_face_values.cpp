/// \file
/// Issue 18 item 2: face temperatures of a 1-D stack (physics.md §5.1) against the exact
/// piecewise-linear line, to 1e-9 of the rise, on a coarse and a fine grid — through the case
/// file: `[[output.face_stats]]` on an outer face and between two layers (contact R'' there,
/// so the two sides differ), and `on_face` probes. The cell-centre value at the same point is
/// off by about q·Δz/2k, which the test shows too.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "cases/resolve/load_case.hpp"
#include "cases/run/build_problem.hpp"
#include "cases/run/face_stats.hpp"
#include "solver/steady.hpp"

using namespace cposim;

namespace {

// Bottom-up: die 775 µm (k 148), attach 50 µm (k 57), spreader 2000 µm (k 398);
// R''(die|attach) = 1e-5, R''(attach|spreader) = 8e-6; 5e5 W/m² in at the bottom, h = 2e4 to
// 308.15 K on top. Footprint 4 × 3 mm, adiabatic sides: exactly 1-D.
constexpr double kQ = 5e5, kH = 2e4, kTinf = 308.15, kR1 = 1e-5, kR2 = 8e-6;
constexpr double kT[3] = {775e-6, 50e-6, 2000e-6}, kK[3] = {148, 57, 398};

std::string stack_case(double cell_z_um) {
  std::string text = "[package]\nfootprint_um = [4000, 3000]\n";
  const char* names[3] = {"die", "attach", "spreader"};
  for (int l = 0; l < 3; ++l)
    text += "[materials.m" + std::to_string(l) + "]\nk_W_per_mK = " + std::to_string(kK[l]) +
            "\nrho_kg_per_m3 = 2000\ncp_J_per_kgK = 700\n";
  for (int l = 0; l < 3; ++l)
    text += "[[layers]]\nname = \"" + std::string(names[l]) + "\"\nmaterial = \"m" +
            std::to_string(l) + "\"\nthickness_um = " + std::to_string(kT[l] * 1e6) + "\n";
  text +=
      "[[interfaces]]\nbetween = [\"die\", \"attach\"]\nR_m2K_per_W = 1e-5\n"
      "[[interfaces]]\nbetween = [\"attach\", \"spreader\"]\nR_m2K_per_W = 8e-6\n"
      "[boundary.bottom]\ntype = \"heat_flux\"\nq_W_per_m2 = 5e5\n"
      "[boundary.top]\ntype = \"convection\"\nh_W_per_m2K = 2e4\nT_ambient_K = 308.15\n"
      "[grid]\nmax_cell_xy_um = 1000\nmax_cell_z_um = " +
      std::to_string(cell_z_um) +
      "\nmin_cells_per_layer = 1\n"
      "[solver]\nlinear_solver = \"direct\"\nrelative_tolerance = 1e-14\n"
      "[[output.face_stats]]\nname = \"die_bottom\"\nface = \"bottom\"\n"
      "[[output.face_stats]]\nname = \"die_top\"\nbetween = [\"die\", \"attach\"]\n"
      "[[output.face_stats]]\nname = \"spreader_bottom\"\nbetween = [\"spreader\", \"attach\"]\n"
      "origin_um = [0, 0, 0]\nsize_um = [2000, 3000, 3000]\n"
      "[[output.face_stats]]\nname = \"top\"\nface = \"top\"\n"
      "[[output.probes]]\nname = \"die_top_face\"\nat_um = [1300, 1700, 775]\non_face = \"z\"\n"
      "[[output.probes]]\nname = \"die_top_cell\"\nat_um = [1300, 1700, 775]\n";
  return text;
}

struct Errors {
  double face = 0.0, cell = 0.0;
};

Errors check_stack(double cell_z_um) {
  const auto spec = cases::read_case_text(stack_case(cell_z_um), "stack.toml", ".");
  const auto built = cases::build_problem(spec);
  std::vector<double> T;
  const auto r = solver::solve_steady(built.problem(), built.solver_options, T);
  REQUIRE(r.converged);
  // Exact surface temperatures: T∞ + q (resistance from the surface to the fluid).
  const double top = kTinf + kQ / kH;
  const double spreader_bottom = top + kQ * kT[2] / kK[2];
  const double attach_top = spreader_bottom + kQ * kR2;
  const double attach_bottom = attach_top + kQ * kT[1] / kK[1];
  const double die_top = attach_bottom + kQ * kR1;
  const double die_bottom = die_top + kQ * kT[0] / kK[0];
  const double rise = die_bottom - kTinf;
  const double area = 4e-3 * 3e-3;
  const auto stats = cases::face_statistics(spec, built, T);
  REQUIRE(stats.size() == 4);
  Errors e;
  auto face = [&](const cases::FaceStatsResult& s, double exact) {
    CAPTURE(s.name);
    for (double t : {s.T_max_K, s.T_mean_K, s.T_min_K})
      e.face = std::max(e.face, std::fabs(t - exact) / rise);
  };
  face(stats[0], die_bottom);
  face(stats[1], die_top);
  face(stats[2], spreader_bottom);
  face(stats[3], top);
  // Heat crossing: out through the bottom (−q A), die → attach q A, spreader → attach within
  // the half-footprint box −q A / 2, out through the top q A.
  CHECK(stats[0].heat_W == doctest::Approx(-kQ * area).epsilon(1e-12));
  CHECK(stats[1].heat_W == doctest::Approx(kQ * area).epsilon(1e-9));
  CHECK(stats[2].heat_W == doctest::Approx(-kQ * area / 2).epsilon(1e-9));
  CHECK(stats[2].area_m2 == doctest::Approx(area / 2).epsilon(1e-12));
  CHECK(stats[3].heat_W == doctest::Approx(kQ * area).epsilon(1e-9));
  // Probes at the die's top plane: the face probe reads the upper (attach) side.
  std::vector<postproc::ProbeReading> readings(2);
  readings[0].T_K = readings[1].T_K = std::nan("");
  cases::apply_face_probes(built, T, readings);
  e.face = std::max(e.face, std::fabs(readings[0].T_K - attach_bottom) / rise);
  CHECK(std::isnan(readings[1].T_K));               // a cell probe is left alone
  const auto cell = built.grid->locate(2, 775e-6);  // the attach cell above the plane
  e.cell = std::fabs(T[built.grid->cell(1, 1, cell)] - attach_bottom) / rise;
  return e;
}

}  // namespace

TEST_CASE("validation: face temperatures of a 1-D stack match the exact line to 1e-9") {
  const Errors coarse = check_stack(250);
  const Errors fine = check_stack(25);
  MESSAGE("face values, max |T - exact| / rise: coarse (250 µm) "
          << coarse.face << ", fine (25 µm) " << fine.face
          << "; cell-centre value there: " << coarse.cell << " / " << fine.cell);
  CHECK(coarse.face <= 1e-9);
  CHECK(fine.face <= 1e-9);
  CHECK(coarse.cell > 1e-3);  // what a cell probe reported before
}
