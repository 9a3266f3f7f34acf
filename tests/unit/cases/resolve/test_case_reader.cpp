/// \file
/// Unit tests of the case reader: unit conversion, defaults, material forms, power maps,
/// exact error text and the resolved-case echo.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "cases/resolve/load_case.hpp"
#include "tests/support/minimal_case.hpp"

using namespace cposim::cases;
using cposim::testing::minimal_case;
namespace fs = std::filesystem;

namespace {

/// A folder for files the tests write (power maps, case files).
fs::path scratch_dir() {
  const fs::path dir = fs::temp_directory_path() / "cposim_test_case_reader";
  fs::create_directories(dir);
  return dir;
}

std::string write_file(const std::string& name, const std::string& text) {
  const fs::path path = scratch_dir() / name;
  std::ofstream(path) << text;
  return path.string();
}

CaseSpec read_text(const std::string& text) {
  return read_case_text(text, "case.toml", scratch_dir().string());
}

}  // namespace

TEST_CASE("read_case_text: lengths are converted from µm to m once, defaults filled in") {
  const CaseSpec spec = read_text(minimal_case());
  CHECK(spec.title == "case");  // default: the file name without extension
  CHECK(spec.package.footprint_m[0] == 1000e-6);
  CHECK(spec.package.footprint_m[1] == 500e-6);
  CHECK(spec.package.fill.name == "air");
  REQUIRE(spec.layers.size() == 1);
  CHECK(spec.layers[0].thickness_m == 100e-6);
  CHECK_FALSE(spec.layers[0].power_W.has_value());
  CHECK(spec.grid.max_cell_xy_m == 1000e-6);
  CHECK(spec.grid.max_cell_z_m == 250e-6);
  CHECK(spec.grid.max_neighbour_ratio == 1.5);
  CHECK(spec.grid.min_cells_per_layer == 2);
  CHECK(spec.solver.linear_solver == cposim::solver::LinearSolverKind::automatic);
  CHECK(spec.solver.relative_tolerance == 1e-10);
  CHECK(spec.output.fields.size() == 6);
  for (int f = 0; f < 5; ++f)
    CHECK(spec.boundaries[f].kind == cposim::solver::BoundaryKind::adiabatic);
  CHECK(spec.boundaries[5].kind == cposim::solver::BoundaryKind::convection);
  CHECK(spec.boundaries[5].h_W_per_m2K == 1000.0);
  CHECK(spec.boundaries[5].T_ambient_K == 300.0);
}

TEST_CASE("read_case_text: every boundary type and face name maps to solver::DomainFace order") {
  const CaseSpec spec =
      read_text(minimal_case("[boundary.bottom]\ntype = \"fixed_temperature\"\nT_K = 310.5\n"
                             "[boundary.x_min]\ntype = \"heat_flux\"\nq_W_per_m2 = -20\n"
                             "[boundary.y_max]\ntype = \"adiabatic\"\n"));
  using cposim::solver::BoundaryKind;
  CHECK(spec.boundaries[0].kind == BoundaryKind::heat_flux);
  CHECK(spec.boundaries[0].q_W_per_m2 == -20.0);
  CHECK(spec.boundaries[3].kind == BoundaryKind::adiabatic);
  CHECK(spec.boundaries[3].listed);
  CHECK(spec.boundaries[4].kind == BoundaryKind::fixed_temperature);
  CHECK(spec.boundaries[4].T_K == 310.5);
}

TEST_CASE("read_case_text: blocks, interfaces, grid, solver and output sections") {
  const CaseSpec spec = read_text(
      minimal_case("[[blocks]]\nname = \"die\"\nmaterial = \"Cu\"\norigin_um = [100, 0, 100]\n"
                   "size_um = [200, 300, 50]\npower_W = 2\n"
                   "[[interfaces]]\nbetween = [\"slab\", \"die\"]\nR_m2K_per_W = 1e-5\n"
                   "[grid]\nmax_cell_xy_um = 50\nmax_cell_z_um = 20.5\nmax_neighbour_ratio = 1.3\n"
                   "min_cells_per_layer = 3\n"
                   "[[grid.refine]]\norigin_um = [0, 0, 0]\nsize_um = [100, 100, 100]\n"
                   "max_cell_um = [10, 10, 5]\n"
                   "[solver]\nlinear_solver = \"jacobi_cg\"\nrelative_tolerance = 1e-8\n"
                   "max_iterations = 500\npicard_tolerance_K = 1e-3\nmax_picard_iterations = 7\n"
                   "[output]\nfields = [\"temperature_K\", \"region_id\"]\n"
                   "[[output.probes]]\nname = \"p\"\nat_um = [500, 250, 120]\n"));
  REQUIRE(spec.blocks.size() == 1);
  const auto& b = spec.blocks[0];
  CHECK(b.origin_m == std::array<double, 3>{100e-6, 0.0, 100e-6});
  CHECK(b.size_m == std::array<double, 3>{200e-6, 300e-6, 50e-6});
  CHECK(b.power_W == 2.0);
  REQUIRE(spec.interfaces.size() == 1);
  CHECK(spec.interfaces[0].between[1].name == "die");
  CHECK(spec.interfaces[0].R_m2K_per_W == 1e-5);
  CHECK(spec.grid.max_cell_z_m == 20.5e-6);
  CHECK(spec.grid.max_neighbour_ratio == 1.3);
  CHECK(spec.grid.min_cells_per_layer == 3);
  REQUIRE(spec.grid.refine.size() == 1);
  CHECK(spec.grid.refine[0].max_cell_m[2] == 5e-6);
  CHECK(spec.solver.linear_solver == cposim::solver::LinearSolverKind::jacobi_cg);
  CHECK(spec.solver.max_iterations == 500);
  CHECK(spec.solver.max_picard_iterations == 7);
  CHECK(spec.output.fields == std::vector<std::string>{"temperature_K", "region_id"});
  REQUIRE(spec.output.probes.size() == 1);
  CHECK(spec.output.probes[0].at_m == std::array<double, 3>{500e-6, 250e-6, 120e-6});
}

TEST_CASE("read_case_text: the four ways of defining a material") {
  const CaseSpec spec = read_text(
      minimal_case("[materials.iso]\nk_W_per_mK = 5\nrho_kg_per_m3 = 1000\ncp_J_per_kgK = 800\n"
                   "[materials.ortho]\nk_W_per_mK = [30, 30.5, 0.5]\nrho_kg_per_m3 = 2000\n"
                   "cp_J_per_kgK = 900\nk_T_exponent = -0.5\nT_ref_K = 350\n"
                   "[materials.Si_soft]\nbase = \"Si\"\nk_table = { T_K = [300, 400], k_W_per_mK = "
                   "[140, 100] }\n"
                   "[materials.c4]\nbump_array = { pitch_um = 150, diameter_um = 90 }\n"
                   "[materials.lam]\nlaminate = [{ material = \"Cu\", thickness_um = 10 },"
                   " { material = \"ABF\", thickness_um = 30 }]\n"
                   "[materials.mc]\nmetal_coverage = { coverage = 0.25, metal = \"Cu\", dielectric "
                   "= \"SiO2\", kz_rule = \"series\" }\n"));
  REQUIRE(spec.materials.size() == 6);  // sorted by name
  const auto& si_soft = spec.materials[0];
  CHECK(si_soft.name == "Si_soft");
  CHECK(si_soft.kind == MaterialSpec::Kind::based);
  CHECK(si_soft.base.name == "Si");
  REQUIRE(si_soft.k_table.has_value());
  CHECK(si_soft.k_table->k_W_per_mK == std::vector<double>{140, 100});
  const auto& c4 = spec.materials[1];
  CHECK(c4.kind == MaterialSpec::Kind::bump_array);
  CHECK(c4.bump_array.pitch_m == 150e-6);
  CHECK(c4.bump_array.bump.name == "SAC305");     // default
  CHECK(c4.bump_array.fill.name == "underfill");  // default
  const auto& iso = spec.materials[2];
  CHECK(iso.kind == MaterialSpec::Kind::full);
  CHECK(iso.k_is_scalar);
  CHECK(*iso.k_W_per_mK == std::array<double, 3>{5, 5, 5});
  const auto& lam = spec.materials[3];
  CHECK(lam.kind == MaterialSpec::Kind::laminate);
  REQUIRE(lam.laminae.size() == 2);
  CHECK(lam.laminae[1].thickness_m == 30e-6);
  const auto& mc = spec.materials[4];
  CHECK(mc.kind == MaterialSpec::Kind::metal_coverage);
  CHECK(mc.metal_coverage.coverage == 0.25);
  CHECK(mc.metal_coverage.kz == cposim::materials::ThroughPlaneRule::series);
  const auto& ortho = spec.materials[5];
  CHECK(*ortho.k_W_per_mK == std::array<double, 3>{30, 30.5, 0.5});
  CHECK(ortho.k_T_exponent == -0.5);
  CHECK(ortho.T_ref_K == 350.0);
}

TEST_CASE("read_case_text: integers are fine where a float is expected") {
  const CaseSpec spec = read_text(minimal_case("[solver]\nrelative_tolerance = 1e-6\n"));
  CHECK(spec.layers[0].thickness_m == 100e-6);  // written as the integer 100
}

TEST_CASE("read_case_text: errors name the file, line, column, key, unit and value") {
  const std::string text =
      "[package]\n"
      "footprint_um = [1000, 1000]\n"
      "[[layers]]\n"
      "name = \"a\"\n"
      "material = \"Si\"\n"
      "thickness_um = 100\n"
      "[[layers]]\n"
      "name = \"b\"\n"
      "material = \"Si\"\n"
      "thickness_um = -5\n";
  CHECK_THROWS_WITH_AS(read_case_text(text, "small.toml", ""),
                       "small.toml:10:16: error: 'layers[1].thickness_um' must be > 0 µm, got -5",
                       CaseError);
}

TEST_CASE("read_case_text: an unknown key points at the key and lists the known ones") {
  const std::string text = minimal_case() + "h_W_per_m2 = 5\n";  // still in [boundary.top]
  CHECK_THROWS_WITH_AS(read_text(text),
                       "case.toml:11:1: error: unknown key 'h_W_per_m2' in [boundary.top]; "
                       "known keys: type, h_W_per_m2K, h_map, T_ambient_K, q_map, patches",
                       CaseError);
}

TEST_CASE("read_case_text: a string where a number is expected") {
  const std::string text = "[package]\nfootprint_um = [1000, \"abc\"]\n";
  CHECK_THROWS_WITH_AS(
      read_text(text),
      "case.toml:2:23: error: 'package.footprint_um[1]' must be a number, got 'abc'", CaseError);
}

TEST_CASE("read_case_text: a syntax error is reported at the parser's position") {
  try {
    read_text("[package\nfootprint_um = [1, 1]\n");
    FAIL("no error");
  } catch (const CaseError& e) {
    CHECK(e.where().file == "case.toml");
    CHECK(e.where().line == 1);
    CHECK(e.where().column == 9);
    CHECK(std::string(e.what()).rfind("case.toml:1:9: error: ", 0) == 0);
  }
}

TEST_CASE("read_case: an unreadable file names the path and the reason") {
  const std::string path = (scratch_dir() / "does_not_exist.toml").string();
  CHECK_THROWS_WITH_AS(read_case(path),
                       (path + ": error: cannot read case file: No such file or directory").c_str(),
                       CaseError);
}

TEST_CASE("read_case: a file on disk reads like its text, with the file as display name") {
  const std::string path = write_file("on_disk.toml", "title = \"disk\"\n" + minimal_case());
  const CaseSpec spec = read_case(path);
  CHECK(spec.case_path == path);
  CHECK(spec.title == "disk");
  CHECK(spec.base_dir == scratch_dir().string());
}

TEST_CASE("read_case_text: a power map is read relative to the base folder, first row = lowest y") {
  write_file("map_2x3.csv", "# comment line\n1, 2, 3\n\n4,5,6\r\n");
  const CaseSpec spec = read_text(
      minimal_case("[[blocks]]\nname = \"die\"\nmaterial = \"Si\"\norigin_um = [0, 0, 100]\n"
                   "size_um = [300, 200, 50]\npower_map = \"map_2x3.csv\"\n"));
  const auto& map = *spec.blocks[0].power_map;
  CHECK(map.path == "map_2x3.csv");
  CHECK(map.resolved_path == (scratch_dir() / "map_2x3.csv").string());
  REQUIRE(map.tiles.size() == 2);
  CHECK(map.tiles[0] == std::vector<double>{1, 2, 3});
  CHECK(map.tiles[1] == std::vector<double>{4, 5, 6});
  CHECK(map.file_total == 21.0);
  CHECK_FALSE(spec.blocks[0].power_W.has_value());
}

TEST_CASE("read_case_text: a power-map error points into the CSV file") {
  write_file("map_bad.csv", "1, 2\n3, -0.5\n");
  const std::string csv = (scratch_dir() / "map_bad.csv").string();
  CHECK_THROWS_WITH_AS(read_text(minimal_case("[[blocks]]\nname = \"die\"\nmaterial = \"Si\"\n"
                                              "origin_um = [0, 0, 100]\nsize_um = [300, 200, 50]\n"
                                              "power_map = \"map_bad.csv\"\n")),
                       (csv + ":2:4: error: power map value must be >= 0, got -0.5").c_str(),
                       CaseError);
}

TEST_CASE("read_case_text: the resolved text echoes every default and reads back the same") {
  write_file("echo_map.csv", "1, 3\n");
  const CaseSpec spec = read_text(
      "title = \"echo \\\"quoted\\\"\"\n" +
      minimal_case("[materials.c4]\nbump_array = { pitch_um = 150, diameter_um = 90 }\n"
                   "[materials.lam]\nlaminate = [{ material = \"Cu\", thickness_um = 12.5 }]\n"
                   "[materials.soft]\nbase = \"Si\"\nk_T_exponent = -1\n"
                   "[[blocks]]\nname = \"die\"\nmaterial = \"c4\"\norigin_um = [0, 0, 100]\n"
                   "size_um = [300, 200, 50]\npower_map = \"echo_map.csv\"\n"
                   "[[output.probes]]\nname = \"p\"\nat_um = [1, 2, 3]\n"));
  const std::string& echo = spec.resolved_text;
  CHECK(echo.find("max_neighbour_ratio = 1.5\n") != std::string::npos);
  CHECK(echo.find("[boundary.x_min]\ntype = \"adiabatic\"\n") != std::string::npos);
  CHECK(echo.find("thickness_um = 100\n") != std::string::npos);
  CHECK(echo.find("T_ref_K = 300\n") != std::string::npos);
  CHECK(echo.find("linear_solver = \"auto\"\n") != std::string::npos);
  const CaseSpec again = read_text(echo);
  CHECK(again.title == spec.title);
  CHECK(again.resolved_text.substr(again.resolved_text.find('\n')) ==
        echo.substr(echo.find('\n')));  // identical after the first (comment) line
  CHECK(again.blocks[0].origin_m == spec.blocks[0].origin_m);
  CHECK(again.materials[1].laminae[0].thickness_m == spec.materials[1].laminae[0].thickness_m);
  CHECK(again.blocks[0].power_map->file_total == 4.0);
  CHECK_FALSE(again.blocks[0].power_W.has_value());  // the map still holds watts
}
