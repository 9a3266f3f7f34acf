/// \file
/// Unit tests of the cross-checks, material resolution and case geometry.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "cases/resolve/case_check.hpp"
#include "cases/resolve/load_case.hpp"
#include "mesh/grid_builder.hpp"
#include "tests/support/minimal_case.hpp"

using namespace cposim::cases;
using cposim::testing::minimal_case;

namespace {

CaseSpec read_text(const std::string& text) { return read_case_text(text, "case.toml", ""); }

std::string block(const std::string& name, const std::string& material, const std::string& origin,
                  const std::string& size) {
  return "[[blocks]]\nname = \"" + name + "\"\nmaterial = \"" + material + "\"\norigin_um = [" +
         origin + "]\nsize_um = [" + size + "]\n";
}

cposim::mesh::Box box(std::array<double, 3> lo, std::array<double, 3> hi) {
  cposim::mesh::Box b;
  b.lo_m = lo;
  b.hi_m = hi;
  return b;
}

}  // namespace

TEST_CASE("boxes_touch: a shared face touches, an edge, a gap or a corner does not") {
  const auto a = box({0, 0, 0}, {1, 1, 1});
  CHECK(boxes_touch(a, box({1, 0.5, 0.5}, {2, 2, 2})));      // face x = 1, footprints overlap
  CHECK(boxes_touch(a, box({0.2, 0.2, 1}, {0.4, 0.4, 3})));  // on top, smaller
  CHECK(boxes_touch(a, box({0.5, 0.5, 0.5}, {2, 2, 2})));    // overlapping volumes
  CHECK_FALSE(boxes_touch(a, box({1, 1, 0}, {2, 2, 1})));    // only an edge in common
  CHECK_FALSE(boxes_touch(a, box({1, 1, 1}, {2, 2, 2})));    // only a corner
  CHECK_FALSE(boxes_touch(a, box({1.5, 0, 0}, {2, 1, 1})));  // a gap
  CHECK(boxes_touch(a, box({1 + 1e-12, 0, 0}, {2, 1, 1})));  // within the tolerance
}

TEST_CASE("package geometry: height is the top of the layers or of the highest block") {
  const CaseSpec low = read_text(minimal_case(block("b", "Cu", "0, 0, 0", "10, 10, 50")));
  CHECK(package_height_m(low) == doctest::Approx(100e-6).epsilon(1e-15));
  const CaseSpec high = read_text(minimal_case(block("b", "Cu", "0, 0, 100", "10, 10, 50")));
  CHECK(package_height_m(high) == doctest::Approx(150e-6).epsilon(1e-15));
  const auto layers = layer_boxes(high);
  REQUIRE(layers.size() == 1);
  CHECK(layers[0].hi_m == std::array<double, 3>{1000e-6, 500e-6, 100e-6});
  CHECK(package_box(high).hi_m[2] == doctest::Approx(150e-6).epsilon(1e-15));
}

TEST_CASE("check: an unknown material lists the valid names") {
  try {
    read_text(minimal_case(block("asic", "Sii", "0, 0, 0", "10, 10, 10")));
    FAIL("no error");
  } catch (const CaseError& e) {
    const std::string what = e.what();
    CHECK(what.rfind("case.toml:13:12: error: unknown material 'Sii' in block 'asic'; known: "
                     "ABF, AlN, ",
                     0) == 0);
    CHECK(what.find(", Si, ") != std::string::npos);
    CHECK(what.find(", underfill, ") != std::string::npos);
  }
}

TEST_CASE("check: the case's own materials are known names, and may replace a built-in") {
  const CaseSpec spec = read_text(
      minimal_case("[materials.Si]\nbase = \"Si\"\nk_W_per_mK = 100\n"
                   "[materials.mine]\nk_W_per_mK = 2\nrho_kg_per_m3 = 1\ncp_J_per_kgK = 1\n" +
                   block("b", "mine", "0, 0, 0", "10, 10, 10")));
  const auto library = resolve_materials(spec);
  CHECK(library.at("Si").k_W_per_mK == std::array<double, 3>{100, 100, 100});
  CHECK(library.at("Si").law == cposim::materials::ConductivityLaw::power_law);  // kept from base
  CHECK(library.at("Si").rho_kg_per_m3 == 2330.0);
  CHECK(library.at("mine").k_W_per_mK[2] == 2.0);
}

TEST_CASE("resolve_materials: effective media follow physics.md §1.4 by hand") {
  const CaseSpec spec = read_text(minimal_case(
      "[materials.c4]\nbump_array = { pitch_um = 150, diameter_um = 90, bump = \"SAC305\","
      " fill = \"underfill\" }\n"
      "[materials.lam]\nlaminate = [{ material = \"Cu\", thickness_um = 10 },"
      " { material = \"ABF\", thickness_um = 30 }]\n"
      "[materials.mc]\nmetal_coverage = { coverage = 0.25, metal = \"Cu\", dielectric = \"SiO2\", "
      "kz_rule = \"parallel\" }\n"
      "[materials.tab]\nbase = \"Cu\"\nk_table = { T_K = [300, 400], k_W_per_mK = [400, 380] }\n"));
  const auto lib = resolve_materials(spec);
  const double phi = M_PI * 90.0 * 90.0 / (4.0 * 150.0 * 150.0);  // 0.2827
  CHECK(lib.at("c4").k_W_per_mK[2] ==
        doctest::Approx(phi * 58.0 + (1.0 - phi) * 0.6).epsilon(1e-12));
  CHECK(lib.at("c4").k_W_per_mK[2] == doctest::Approx(16.83).epsilon(1e-3));  // §1.4: ≈ 16.8
  // Laminate: in-plane (398·10 + 0.3·30)/40, through-plane 40/(10/398 + 30/0.3).
  CHECK(lib.at("lam").k_W_per_mK[0] ==
        doctest::Approx((398.0 * 10 + 0.3 * 30) / 40).epsilon(1e-12));
  CHECK(lib.at("lam").k_W_per_mK[2] ==
        doctest::Approx(40.0 / (10.0 / 398.0 + 30.0 / 0.3)).epsilon(1e-12));
  CHECK(lib.at("mc").k_W_per_mK[1] == doctest::Approx(0.25 * 398 + 0.75 * 1.38).epsilon(1e-12));
  const auto& tab = lib.at("tab");
  CHECK(tab.law == cposim::materials::ConductivityLaw::table);
  CHECK(tab.k_at(0, 350.0) == doctest::Approx(390.0).epsilon(1e-12));
  CHECK(tab.rho_kg_per_m3 == 8930.0);
}

TEST_CASE("check: a material that depends on itself through another is an error") {
  CHECK_THROWS_WITH_AS(
      read_text(minimal_case("[materials.a]\nbase = \"b\"\n[materials.b]\nbase = \"a\"\n")),
      "case.toml:14:8: error: material 'b' depends on itself through 'a'", CaseError);
}

TEST_CASE("check: a block outside the package reports the axis and both ranges") {
  CHECK_THROWS_WITH_AS(read_text(minimal_case(block("b", "Cu", "900, 0, 0", "200, 10, 10"))),
                       "case.toml:14:13: error: block 'b' extends outside the package: x from 900 "
                       "to 1100 µm, package x from 0 to 1000 µm",
                       CaseError);
}

TEST_CASE("check: interfaces must name two touching regions") {
  const std::string two = block("lo", "Cu", "0, 0, 100", "100, 100, 10") +
                          block("hi", "Cu", "0, 0, 120", "100, 100, 10");
  CHECK_THROWS_WITH_AS(read_text(minimal_case(two + "[[interfaces]]\nbetween = [\"lo\", \"hii\"]\n"
                                                    "R_m2K_per_W = 1e-5\n")),
                       "case.toml:22:18: error: unknown region 'hii' in interface; known layers "
                       "and blocks: hi, lo, slab",
                       CaseError);
  CHECK_THROWS_WITH_AS(read_text(minimal_case(two + "[[interfaces]]\nbetween = [\"lo\", \"hi\"]\n"
                                                    "R_m2K_per_W = 1e-5\n")),
                       "case.toml:21:1: error: interface between 'lo' and 'hi': the two boxes do "
                       "not touch (no shared face)",
                       CaseError);
  // The slab's top face is the lower block's bottom face: they touch.
  CHECK_NOTHROW(read_text(minimal_case(two + "[[interfaces]]\nbetween = [\"slab\", \"lo\"]\n"
                                             "R_m2K_per_W = 1e-5\n")));
}

TEST_CASE("check: layer and block names share one namespace, probe names are unique") {
  CHECK_THROWS_WITH_AS(read_text(minimal_case(block("slab", "Cu", "0, 0, 0", "1, 1, 1"))),
                       "case.toml:12:8: error: duplicate name 'slab': already used by layer "
                       "'slab' at line 4",
                       CaseError);
  CHECK_THROWS_WITH_AS(
      read_text(minimal_case("[[output.probes]]\nname = \"p\"\nat_um = [0, 0, 0]\n"
                             "[[output.probes]]\nname = \"p\"\nat_um = [1, 1, 1]\n")),
      "case.toml:15:8: error: duplicate probe name 'p': already used at line 12", CaseError);
}

TEST_CASE("check: probes and refinement zones must lie in the package (its faces included)") {
  CHECK_NOTHROW(
      read_text(minimal_case("[[output.probes]]\nname = \"corner\"\n"
                             "at_um = [1000, 500, 100]\n")));
  CHECK_THROWS_WITH_AS(read_text(minimal_case("[[output.probes]]\nname = \"p\"\n"
                                              "at_um = [10, 10, 101]\n")),
                       "case.toml:13:9: error: probe 'p' is outside the package: z = 101 µm, "
                       "package z from 0 to 100 µm",
                       CaseError);
  CHECK_THROWS_WITH_AS(
      read_text(minimal_case("[grid]\n[[grid.refine]]\norigin_um = [-1, 0, 0]\n"
                             "size_um = [10, 10, 10]\nmax_cell_um = [1, 1, 1]\n")),
      "case.toml:13:13: error: refinement zone grid.refine[0] extends outside the package: x "
      "from -1 to 9 µm, package x from 0 to 1000 µm",
      CaseError);
}

TEST_CASE("check: a package without a convective or fixed face has no steady state") {
  const std::string text =
      "[package]\nfootprint_um = [10, 10]\n[[layers]]\nname = \"a\"\nmaterial = \"Si\"\n"
      "thickness_um = 1\n";
  CHECK_THROWS_WITH_AS(read_text(text),
                       "case.toml: error: no boundary removes heat, so no steady state exists: "
                       "make at least one [boundary.<face>] convection or fixed_temperature",
                       CaseError);
}

TEST_CASE("grid: min_cells_per_layer = 1 gives a layer next to a thinner one exactly one cell") {
  // A 20 µm TIM under a 100 µm die, neighbour ratio 10: one cell each (issue 18 item 7); with
  // the default min_cells_per_layer = 2 the layers keep their graded minimum of two or more.
  const std::string stack =
      "[package]\nfootprint_um = [1000, 500]\n"
      "[[layers]]\nname = \"tim\"\nmaterial = \"Si\"\nthickness_um = 20\n"
      "[[layers]]\nname = \"die\"\nmaterial = \"Si\"\nthickness_um = 100\n"
      "[boundary.top]\ntype = \"convection\"\nh_W_per_m2K = 1000\n"
      "T_ambient_K = 300\n";
  const std::string grid = "[grid]\nmax_cell_z_um = 500\nmax_neighbour_ratio = 10\n";
  using cposim::mesh::build_grid;
  const auto one = build_grid(grid_request(read_text(stack + grid + "min_cells_per_layer = 1\n")));
  CHECK(one.cells_per_axis()[2] == 2);
  const auto two = build_grid(grid_request(read_text(stack + grid)));
  CHECK(two.cells_per_axis()[2] >= 4);
}
