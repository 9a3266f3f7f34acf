// gmg_aspect: gmg_cg iterations on extreme aspect-ratio grids (issue 18 item 7).
//
//   gmg_aspect [--json FILE] [--threads N]
//
// Steady cases built with the real case reader, grid builder and problem builder: a 10 × 10 mm
// package (an organic substrate, a 775 µm Si die with 40 W and a 1 × 1 mm 10 W hot spot,
// h = 2e4 W/m²K on top, 10 on the bottom), solved by SteadySolver with gmg_cg at rtol 1e-10
// from a zero guess, on grids that stretch the cells:
//   regular         250 µm lateral cells, ≤ 100 µm in z (the reference)
//   thin_layers     a 1 µm BEOL and a 0.1 µm passivation in 1 mm wide cells (aspect 1e4, 1e5)
//   thin_layers_5mm the same package at 20 × 20 mm in 5 mm cells (aspect up to 5e5)
//   graded          2 µm cells at the hot spot graded by 1.5 to 250 µm (lateral aspect ~40)
//   graded_steep    the same graded by 3 (max_neighbour_ratio)
//   slivers         power blocks whose edges are 1 µm apart in x and y: 1 µm columns and
//                   rows through 250 µm cells (aspect 250) and, through the thin layers, 1e4
//   crossing        fine bands (25 µm strips every 1 mm, in x and in y) through 1 mm cells:
//                   cells stretched laterally both ways
//   orthotropic     two 20 µm redistribution layers, one conducting along x (k 400/4/4), the
//                   other along y (4/400/4), over each other
//   min1_thin       min_cells_per_layer = 1 with the thin layers: one cell per layer
//   slivers_graded, slivers_crossing, ortho_graded, ortho_slivers: two of the above at once
//   everything      thin layers, slivers, steep grading, crossing bands and the orthotropic
//                   layers at once
// Prints cells, levels, grid complexity, iterations and their ratio to `regular`, and writes
// JSON (default gmg_aspect.json). Not a test: the bound (≤ 2 × regular) is asserted on a
// representative grid in tests/unit/solver/linear/test_gmg_cg.cpp.
#ifdef _OPENMP
#include <omp.h>
#endif
#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <tuple>
#include <vector>

#include "benchmarks/json_rows.hpp"
#include "cases/resolve/load_case.hpp"
#include "cases/run/build_problem.hpp"
#include "solver/linear/gmg_cg.hpp"
#include "solver/steady.hpp"

namespace {

using namespace cposim;

/// What a case adds to the base package.
struct Stretch {
  std::string name;
  double footprint_um = 10000;
  double max_cell_xy_um = 250;
  bool thin_layers = false, slivers = false, crossing = false, orthotropic = false;
  double hot_cell_um = 0.0;  ///< > 0: a refinement zone of this cell size at the hot spot
  double neighbour_ratio = 1.5;
  int min_cells_per_layer = 2;
};

std::string layer(const char* name, const char* material, double thickness_um,
                  double power_W = 0.0) {
  return fmt::format("[[layers]]\nname = \"{}\"\nmaterial = \"{}\"\nthickness_um = {}\n{}", name,
                     material, thickness_um,
                     power_W > 0.0 ? fmt::format("power_W = {}\n", power_W) : "");
}

std::string block(const std::string& name, const char* material, double x, double y, double z,
                  double sx, double sy, double sz, double power_W) {
  return fmt::format(
      "[[blocks]]\nname = \"{}\"\nmaterial = \"{}\"\norigin_um = [{}, {}, {}]\n"
      "size_um = [{}, {}, {}]\n{}",
      name, material, x, y, z, sx, sy, sz,
      power_W > 0.0 ? fmt::format("power_W = {}\n", power_W) : "");
}

std::string case_text(const Stretch& s) {
  const double L = s.footprint_um, mid = 0.5 * L;
  std::string t = fmt::format("[package]\nfootprint_um = [{}, {}]\n", L, L);
  t += "[materials.sub]\nk_W_per_mK = [30, 30, 0.5]\nrho_kg_per_m3 = 1900\ncp_J_per_kgK = 1000\n"
       "[materials.si]\nk_W_per_mK = 148\nrho_kg_per_m3 = 2330\ncp_J_per_kgK = 700\n"
       "[materials.beol]\nk_W_per_mK = [10, 10, 1.5]\nrho_kg_per_m3 = 2300\ncp_J_per_kgK = 700\n"
       "[materials.ox]\nk_W_per_mK = 1.4\nrho_kg_per_m3 = 2200\ncp_J_per_kgK = 730\n"
       "[materials.rdl_x]\nk_W_per_mK = [400, 4, 4]\nrho_kg_per_m3 = 5000\ncp_J_per_kgK = 500\n"
       "[materials.rdl_y]\nk_W_per_mK = [4, 400, 4]\nrho_kg_per_m3 = 5000\ncp_J_per_kgK = 500\n";
  double z = 0.0;
  const auto add = [&](const char* name, const char* material, double th, double power = 0.0) {
    t += layer(name, material, th, power);
    z += th;
  };
  add("substrate", "sub", 1000);
  if (s.orthotropic) {
    add("rdl_x", "rdl_x", 20);
    add("rdl_y", "rdl_y", 20);
  }
  if (s.thin_layers) add("beol", "beol", 1);
  const double die_z = z;
  add("die", "si", 775, 40);
  if (s.thin_layers) add("passivation", "ox", 0.1);
  // The hot spot; with slivers, two more powered blocks whose edges stop 1 µm short of it.
  t += block("hot", "si", mid - 500, mid - 500, die_z, 1000, 1000, 775, 10);
  if (s.slivers) {
    t += block("left", "si", mid - 1501, mid - 500, die_z, 1000, 1000, 775, 2);
    t += block("below", "si", mid - 500, mid - 1501, die_z, 1000, 1000, 775, 2);
    t += block("right", "si", mid + 501, mid + 501, die_z, 1000, 1000, 775, 2);
  }
  if (s.crossing)  // 25 µm strips of die silicon every mm, along y and along x
    for (int e = 1; e < static_cast<int>(L / 1000.0); e += 2) {
      t += block(fmt::format("sx{}", e), "si", 1000.0 * e + 10.0, 0, die_z, 25, L, 775, 0);
      t += block(fmt::format("sy{}", e), "si", 0, 1000.0 * e + 510.0, die_z, L, 25, 775, 0);
    }
  t += "[boundary.top]\ntype = \"convection\"\nh_W_per_m2K = 20000\nT_ambient_K = 308.15\n"
       "[boundary.bottom]\ntype = \"convection\"\nh_W_per_m2K = 10\nT_ambient_K = 308.15\n";
  t += fmt::format(
      "[grid]\nmax_cell_xy_um = {}\nmax_cell_z_um = 100\nmax_neighbour_ratio = {}\n"
      "min_cells_per_layer = {}\n",
      s.max_cell_xy_um, s.neighbour_ratio, s.min_cells_per_layer);
  if (s.hot_cell_um > 0.0)
    t += fmt::format(
        "[[grid.refine]]\norigin_um = [{}, {}, {}]\nsize_um = [100, 100, 100]\n"
        "max_cell_um = [{}, {}, 100]\n",
        mid - 50, mid - 50, die_z + 675, s.hot_cell_um, s.hot_cell_um);
  return t;
}

/// A case from its name, the stretchings it combines ("thin", "slivers", "crossing", "ortho",
/// "graded": 2 µm hot-spot cells graded by 1.5, "steep": graded by 3, "min1", "wide": a 20 mm
/// package) and its largest lateral cell.
Stretch stretch(const char* name, const std::string& what, double max_cell_xy_um) {
  const auto has = [&what](const char* w) {
    return ("," + what + ",").find(fmt::format(",{},", w)) != std::string::npos;
  };
  Stretch s{name};
  s.thin_layers = has("thin");
  s.slivers = has("slivers");
  s.crossing = has("crossing");
  s.orthotropic = has("ortho");
  if (has("graded") || has("steep")) s.hot_cell_um = 2;
  if (has("steep")) s.neighbour_ratio = 3;
  if (has("min1")) s.min_cells_per_layer = 1;
  if (has("wide")) s.footprint_um = 20000;
  s.max_cell_xy_um = max_cell_xy_um;
  return s;
}

struct Row {
  Stretch stretch;
  std::size_t cells = 0, nx = 0, ny = 0, nz = 0, levels = 0;
  double complexity = 0.0, min_width_um = 0.0, min_height_um = 0.0, T_max_K = 0.0;
  long iterations = 0;
  bool converged = false;
};

double smallest_width_um(const std::vector<double>& nodes) {
  double w = nodes.back() - nodes.front();
  for (std::size_t i = 1; i < nodes.size(); ++i) w = std::min(w, nodes[i] - nodes[i - 1]);
  return 1e6 * w;
}

Row run(const Stretch& s) {
  const cases::BuiltProblem built =
      cases::build_problem(cases::read_case_text(case_text(s), s.name + ".toml", ""));
  solver::SteadyOptions options = built.solver_options;  // rtol: the case default, 1e-10
  options.linear.kind = solver::LinearSolverKind::gmg_cg;
  solver::SteadySolver steady(*built.grid, options);
  std::vector<double> T;
  const solver::SolveReport report = steady.solve(built.problem(), T);
  Row r;
  r.stretch = s;
  const auto [nx, ny, nz] = built.grid->cells_per_axis();
  r.cells = built.grid->num_cells();
  r.nx = nx;
  r.ny = ny;
  r.nz = nz;
  r.iterations = report.linear_iterations;
  r.converged = report.linear_converged;
  r.min_width_um =
      std::min(smallest_width_um(built.grid->nodes(0)), smallest_width_um(built.grid->nodes(1)));
  r.min_height_um = smallest_width_um(built.grid->nodes(2));
  r.T_max_K = *std::max_element(T.begin(), T.end());
  // The hierarchy of the same matrix, for its depth and complexity.
  solver::LinearSystem system(*built.grid);
  system.assemble(built.problem(), T, 308.15);
  solver::GmgCgSolver gmg(options.linear, built.grid->cells_per_axis());
  gmg.setup(system.matrix());
  r.levels = gmg.num_levels();
  r.complexity = gmg.grid_complexity();
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  std::string json_path = "gmg_aspect.json";
  int threads = 1;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--json") && i + 1 < argc) {
      json_path = argv[++i];
    } else if (!std::strcmp(argv[i], "--threads") && i + 1 < argc) {
      threads = std::atoi(argv[++i]);
    } else {
      std::fprintf(stderr, "usage: gmg_aspect [--json FILE] [--threads N]\n");
      return 2;
    }
  }
#ifdef _OPENMP
  omp_set_num_threads(threads);
#endif
  // name, the stretchings it combines, largest lateral cell (µm)
  const std::vector<std::tuple<const char*, const char*, double>> table = {
      {"regular", "", 250},
      {"thin_layers", "thin", 1000},
      {"thin_layers_5mm", "thin,wide", 5000},
      {"graded", "graded", 250},
      {"graded_steep", "steep", 250},
      {"slivers", "thin,slivers", 250},
      {"crossing", "crossing", 1000},
      {"orthotropic", "ortho", 250},
      {"min1_thin", "thin,min1", 1000},
      {"slivers_graded", "thin,slivers,steep", 1000},
      {"slivers_crossing", "slivers,crossing", 1000},
      {"ortho_graded", "ortho,steep", 1000},
      {"ortho_slivers", "ortho,slivers", 1000},
      {"everything", "thin,slivers,crossing,ortho,steep", 1000}};
  std::vector<Stretch> cases;
  for (const auto& [name, what, cell_um] : table) cases.push_back(stretch(name, what, cell_um));

  std::printf("%-16s %8s %13s %10s %10s %6s %6s %6s %7s %10s\n", "case", "cells", "nx x ny x nz",
              "min_w_um", "min_h_um", "levels", "cmplx", "iter", "ratio", "T_max_K");
  std::vector<Row> rows;
  for (const Stretch& c : cases) {
    rows.push_back(run(c));
    const Row& r = rows.back();
    const double ratio =
        static_cast<double>(r.iterations) / static_cast<double>(rows.front().iterations);
    std::printf("%-16s %8zu %4zux%4zux%3zu %10.3g %10.3g %6zu %6.2f %6ld %7.2f %10.4f%s\n",
                c.name.c_str(), r.cells, r.nx, r.ny, r.nz, r.min_width_um, r.min_height_um,
                r.levels, r.complexity, r.iterations, ratio, r.T_max_K,
                r.converged ? "" : "  NOT CONVERGED");
    std::fflush(stdout);
  }
  std::vector<bench::JsonRow> json_rows;
  for (const Row& r : rows)
    json_rows.push_back(
        {{"case", r.stretch.name},
         {"cells", r.cells},
         {"nx", r.nx},
         {"ny", r.ny},
         {"nz", r.nz},
         {"min_cell_width_um", bench::rounded(r.min_width_um, "{:.4g}")},
         {"min_cell_height_um", bench::rounded(r.min_height_um, "{:.4g}")},
         {"levels", r.levels},
         {"grid_complexity", bench::rounded(r.complexity, "{:.3f}")},
         {"iterations", r.iterations},
         {"ratio_to_regular", bench::rounded(static_cast<double>(r.iterations) /
                                                 static_cast<double>(rows.front().iterations),
                                             "{:.3f}")},
         {"converged", r.converged},
         {"T_max_K", bench::rounded(r.T_max_K, "{:.8g}")}});
  if (!bench::write_json_rows(
          json_path,
          {{"benchmark", "gmg_aspect"}, {"threads", threads}, {"relative_tolerance", 1e-10}},
          "rows", json_rows)) {
    std::fprintf(stderr, "gmg_aspect: cannot write %s\n", json_path.c_str());
    return 1;
  }
  std::printf("written: %s\n", json_path.c_str());
  return 0;
}
