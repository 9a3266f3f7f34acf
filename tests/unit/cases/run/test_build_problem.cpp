/// \file
/// Unit tests of build_problem: regions, grid, painting, power placement, power maps,
/// contacts, boundaries and options, all with hand-checkable numbers.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "cases/resolve/load_case.hpp"
#include "cases/run/build_problem.hpp"
#include "tests/support/minimal_case.hpp"

using namespace cposim::cases;
namespace fs = std::filesystem;

namespace {

fs::path scratch_dir() {
  const fs::path dir = fs::temp_directory_path() / "cposim_test_build_problem";
  fs::create_directories(dir);
  return dir;
}

void write_file(const std::string& name, const std::string& text) {
  std::ofstream(scratch_dir() / name) << text;
}

/// Footprint 1000 × 500 µm, cells of 250 µm laterally and ≤ 50 µm vertically, a 100 µm Si
/// slab and a convective top. `extra` is appended.
std::string base_case(const std::string& extra) {
  return cposim::testing::minimal_case(
      "[grid]\n"
      "max_cell_xy_um = 250\n"
      "max_cell_z_um = 50\n" +
      extra);
}

BuiltProblem build(const std::string& text) {
  return build_problem(read_case_text(text, "case.toml", scratch_dir().string()));
}

/// Σ cell power over the cells of `region`.
double region_power(const BuiltProblem& p, int region) {
  double sum = 0.0;
  for (std::size_t c = 0; c < p.cell_power_W.size(); ++c)
    if (p.region_of_cell[c] == region) sum += p.cell_power_W[c];
  return sum;
}

/// Σ over z of the power in column (i, j).
double column_power(const BuiltProblem& p, std::size_t i, std::size_t j) {
  double sum = 0.0;
  for (std::size_t k = 0; k < p.grid->cells_per_axis()[2]; ++k)
    sum += p.cell_power_W[p.grid->cell(i, j, k)];
  return sum;
}

}  // namespace

TEST_CASE("build_problem: a two-layer stack gives the expected cells and region ids") {
  // 100 µm Si + 100 µm Cu, cells ≤ 50 µm: 2 + 2 equal cells in z; 4 × 2 laterally.
  const auto p =
      build(base_case("[[layers]]\nname = \"cap\"\nmaterial = \"Cu\"\n"
                      "thickness_um = 100\n"));
  REQUIRE(p.grid->cells_per_axis() == std::array<std::size_t, 3>{4, 2, 4});
  for (std::size_t k = 0; k < 4; ++k)
    CHECK(p.grid->width(2, k) == doctest::Approx(50e-6).epsilon(1e-12));
  REQUIRE(p.regions.size() == 3);
  CHECK(p.regions[0].kind == RegionInfo::Kind::fill);
  CHECK(p.regions[0].material == "air");
  CHECK(p.regions[1].name == "slab");
  CHECK(p.regions[2].name == "cap");
  CHECK(p.regions[2].box.lo_m[2] == doctest::Approx(100e-6).epsilon(1e-15));
  for (std::size_t k = 0; k < 4; ++k)
    CHECK(p.region_of_cell[p.grid->cell(3, 1, k)] == (k < 2 ? 1 : 2));
  CHECK(p.region_material[1].name == "Si");
  CHECK(p.region_material[2].name == "Cu");
  REQUIRE(p.materials_used.size() == 3);  // sorted by name; the fill counts
  CHECK(p.materials_used[0].name == "Cu");
  CHECK(p.materials_used[1].name == "Si");
  CHECK(p.materials_used[2].name == "air");
}

TEST_CASE("build_problem: a block's power lands exactly and uniformly in its cells") {
  const auto p =
      build(base_case("[[blocks]]\nname = \"die\"\nmaterial = \"Cu\"\n"
                      "origin_um = [250, 0, 100]\nsize_um = [500, 250, 50]\n"
                      "power_W = 2\n"));
  CHECK(region_power(p, 2) == doctest::Approx(2.0).epsilon(1e-13));
  CHECK(p.regions[2].power_W == doctest::Approx(2.0).epsilon(1e-13));
  const double density = 2.0 / (500e-6 * 250e-6 * 50e-6);  // W/m³
  for (std::size_t c = 0; c < p.cell_power_W.size(); ++c) {
    const auto [i, j, k] = p.grid->ijk(c);
    if (p.region_of_cell[c] == 2)
      CHECK(p.cell_power_W[c] / p.grid->volume_m3(i, j, k) ==
            doctest::Approx(density).epsilon(1e-12));
    else
      CHECK(p.cell_power_W[c] == 0.0);
  }
}

TEST_CASE("build_problem: power stays with the cells a block keeps after later blocks paint") {
  // 4 W in a full-footprint block; a later block covers its right half.
  const auto p =
      build(base_case("[[blocks]]\nname = \"a\"\nmaterial = \"Cu\"\norigin_um = [0, 0, 100]\n"
                      "size_um = [1000, 500, 50]\npower_W = 4\n"
                      "[[blocks]]\nname = \"b\"\nmaterial = \"Si\"\norigin_um = [500, 0, 100]\n"
                      "size_um = [500, 500, 50]\n"));
  CHECK(region_power(p, 2) == doctest::Approx(4.0).epsilon(1e-13));
  CHECK(region_power(p, 3) == 0.0);
  CHECK(column_power(p, 0, 0) == doctest::Approx(1.0).epsilon(1e-13));  // 4 W over 2 × 2 columns
  CHECK(column_power(p, 3, 0) == 0.0);
}

TEST_CASE("build_problem: a block with power whose cells are all painted over is an error") {
  const std::string text = base_case(
      "[[blocks]]\nname = \"a\"\nmaterial = \"Cu\"\norigin_um = [0, 0, 100]\n"
      "size_um = [500, 500, 50]\npower_W = 4\n"
      "[[blocks]]\nname = \"b\"\nmaterial = \"Si\"\norigin_um = [0, 0, 100]\n"
      "size_um = [1000, 500, 50]\n");
  CHECK_THROWS_WITH_AS(build(text),
                       "case.toml:14:1: error: block 'a' has 4 W of power but none of its cells "
                       "that should carry it remain: later blocks paint over them",
                       CaseError);
}

TEST_CASE("build_problem: a power map on a conforming grid puts each tile's watts in its cells") {
  // 2 rows × 4 columns of 250 µm tiles over the whole footprint: one tile per cell column.
  write_file("map_2x4.csv", "1, 2, 3, 4\n5, 6, 7, 8\n");
  const std::string block =
      "[[blocks]]\nname = \"die\"\nmaterial = \"Si\"\norigin_um = [0, 0, 100]\n"
      "size_um = [1000, 500, 50]\npower_map = \"map_2x4.csv\"\n";
  const auto watts = build(base_case(block));
  for (std::size_t j = 0; j < 2; ++j)
    for (std::size_t i = 0; i < 4; ++i)
      CHECK(column_power(watts, i, j) ==
            doctest::Approx(1.0 + static_cast<double>(i + 4 * j)).epsilon(1e-13));
  REQUIRE(watts.power_maps.size() == 1);
  CHECK(watts.power_maps[0].block == "die");
  CHECK(watts.power_maps[0].file_total == 36.0);
  CHECK(watts.power_maps[0].total_W == doctest::Approx(36.0).epsilon(1e-13));

  // With power_W the map is a shape: 72 W doubles every tile.
  const auto scaled = build(base_case(block + "power_W = 72\n"));
  CHECK(column_power(scaled, 2, 1) == doctest::Approx(14.0).epsilon(1e-13));
  CHECK(scaled.power_maps[0].total_W == doctest::Approx(72.0).epsilon(1e-13));
}

TEST_CASE("build_problem: a power map that does not align with the cells is spread by area") {
  // Three 333.3 µm tiles [3, 0, 3] W over four 250 µm cells along x:
  // cell 0 gets 3·250/333.3 = 2.25 W, cell 1 gets 3·83.3/333.3 = 0.75 W, and symmetrically.
  write_file("map_1x3.csv", "3, 0, 3\n");
  const auto p =
      build(base_case("[[blocks]]\nname = \"die\"\nmaterial = \"Si\"\n"
                      "origin_um = [0, 0, 100]\nsize_um = [1000, 500, 50]\n"
                      "power_map = \"map_1x3.csv\"\n"));
  const double expected[4] = {2.25, 0.75, 0.75, 2.25};
  for (std::size_t i = 0; i < 4; ++i)
    CHECK(column_power(p, i, 0) + column_power(p, i, 1) ==
          doctest::Approx(expected[i]).epsilon(1e-12));
  CHECK(column_power(p, 0, 0) == doctest::Approx(1.125).epsilon(1e-12));  // half in each y row
}

TEST_CASE("build_problem: layer power is uniform by volume") {
  const auto p =
      build(base_case("[[layers]]\nname = \"hot\"\nmaterial = \"Si\"\n"
                      "thickness_um = 50\npower_W = 8\n"));
  CHECK(region_power(p, 2) == doctest::Approx(8.0).epsilon(1e-13));
  CHECK(column_power(p, 1, 1) == doctest::Approx(1.0).epsilon(1e-13));  // 8 W over 8 columns
  CHECK(region_power(p, 1) == 0.0);
}

TEST_CASE("build_problem: contacts, boundaries, solver options, probes and fields") {
  const auto p = build(base_case(
      "[materials.c4]\nbump_array = { pitch_um = 150, diameter_um = 90 }\n"
      "[[blocks]]\nname = \"die\"\nmaterial = \"c4\"\norigin_um = [0, 0, 100]\n"
      "size_um = [500, 500, 50]\n"
      "[[interfaces]]\nbetween = [\"die\", \"slab\"]\nR_m2K_per_W = 1e-5\n"
      "[boundary.bottom]\ntype = \"fixed_temperature\"\nT_K = 310\n"
      "[boundary.y_min]\ntype = \"heat_flux\"\nq_W_per_m2 = 50\n"
      "[solver]\nlinear_solver = \"direct\"\nrelative_tolerance = 1e-8\nmax_iterations = 500\n"
      "picard_tolerance_K = 1e-4\nmax_picard_iterations = 9\n"
      "[output]\nfields = [\"temperature_K\"]\n"
      "[[output.probes]]\nname = \"p\"\nat_um = [100, 200, 50]\n"));
  CHECK(p.contacts.num_regions() == 3);
  CHECK(p.contacts.get(1, 2) == 1e-5);
  CHECK(p.contacts.get(2, 1) == 1e-5);
  CHECK(p.contacts.get(0, 2) == 0.0);
  using cposim::solver::BoundaryKind;
  CHECK(p.boundaries[0].kind == BoundaryKind::adiabatic);
  CHECK(p.boundaries[2].kind == BoundaryKind::heat_flux);
  CHECK(p.boundaries[2].q_in_W_per_m2 == 50.0);
  CHECK(p.boundaries[4].kind == BoundaryKind::fixed_temperature);
  CHECK(p.boundaries[4].T_K == 310.0);
  CHECK(p.boundaries[5].kind == BoundaryKind::convection);
  CHECK(p.boundaries[5].h_W_per_m2K == 1000.0);
  CHECK(p.boundaries[5].T_K == 300.0);
  CHECK(p.solver_options.linear.kind == cposim::solver::LinearSolverKind::direct);
  CHECK(p.solver_options.linear.relative_tolerance == 1e-8);
  CHECK(p.solver_options.linear.max_iterations == 500);
  CHECK(p.solver_options.picard_tolerance_K == 1e-4);
  CHECK(p.solver_options.max_picard_iterations == 9);
  REQUIRE(p.probes.size() == 1);
  CHECK(p.probes[0].at_m == std::array<double, 3>{100e-6, 200e-6, 50e-6});
  CHECK(p.output_fields == std::vector<std::string>{"temperature_K"});
  // The effective medium is used with its computed k (kz ≈ 16.8 W/mK, physics.md §1.4).
  CHECK(p.region_material[2].name == "c4");
  CHECK(p.region_material[2].k_W_per_mK[2] == doctest::Approx(16.83).epsilon(1e-3));

  const auto view = p.problem();
  CHECK_NOTHROW(view.validate());
  CHECK(view.grid == p.grid.get());
  CHECK(view.contacts == &p.contacts);
  CHECK(view.boundaries[4].T_K == 310.0);
}
