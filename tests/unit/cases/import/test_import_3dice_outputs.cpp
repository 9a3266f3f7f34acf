/// \file
/// 3D-ICE `output :` requests through the importer: each `T ( DIE, X, Y, "file", step )` is a
/// probe at the centre of 3D-ICE's thermal cell holding (x, y), mid-height of the die's source
/// layer, and a `step` request writes every step; malformed or unknown-die requests fail at
/// their line. (3D-ICE's shipped test/*/transient stacks compared at these probes:
/// benchmarks/peers/README.md, "3D-ICE transients".)
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "cases/import/import_3dice.hpp"
#include "cases/resolve/load_case.hpp"
#include "cases/spec/case_error.hpp"
#include "tests/support/scratch_dir.hpp"

using namespace cposim::cases;
namespace fs = std::filesystem;

namespace {

/// One scratch folder per test case (a fresh one for each: ctest runs them in parallel).
struct Scratch : cposim::testing::ScratchDir {
  Scratch() : ScratchDir("import_3dice_outputs") {}
};

/// Two 10 × 10 mm silicon dies (3D-ICE's test/solid geometry, written here), 50 × 200 µm cells,
/// a transient of 2 ms steps and 20 ms slots, and the output section `outputs`.
std::string stack(const fs::path& dir, const std::string& name, const std::string& outputs) {
  std::ofstream(dir / (name + ".flp"))
      << "background :\n position 0, 0 ;\n dimension 10000, 10000 ;\n power values 50, 0 ;\n";
  const fs::path p = dir / name;
  std::ofstream(p)
      << "material silicon :\n thermal conductivity 1.30e-04 ;\n"
         " volumetric heat capacity 1.63566e-12 ;\n"
         "top heat sink :\n heat transfer coefficient 1e-07 ;\n temperature 300 ;\n"
         "dimensions :\n chip length 10000, width 10000 ;\n"
         " cell length 50, width 200 ;\n"
         "die bottomdie :\n layer 48 silicon ;\n source 2 silicon ;\n"
         "die topdie :\n source 2 silicon ;\n layer 48 silicon ;\n"
         "stack :\n die die2 topdie floorplan \"" +
             name +
             ".flp\" ;\n"
             " die die1 bottomdie floorplan \"" +
             name +
             ".flp\" ;\n"
             "solver :\n transient step 0.002, slot 0.02 ;\n initial temperature 300 ;\n"
             "output :\n"
      << outputs;
  return p.string();
}

CaseSpec imported(const fs::path& dir, const std::string& stk) {
  return read_case_text(import_3dice(stk).case_text, "imported.toml", dir.string());
}

}  // namespace

TEST_CASE("import 3dice: T output requests are probes at 3D-ICE's cell centres, every step") {
  const Scratch tmp;
  const CaseSpec s = imported(tmp.path, stack(tmp.path, "points.stk",
                                              " T ( die1, 5000, 4800, \"node1.txt\", step ) ;\n"
                                              " Tflp ( die2, \"flp.txt\", maximum, slot ) ;\n"
                                              " T ( die2, 0, 0, \"node2.txt\", step ) ;\n"
                                              " T ( die2, 20000, 9999, \"far.txt\", final ) ;\n"));
  REQUIRE(s.output.probes.size() >= 3);
  // Cell (100, 24) of 50 × 200 µm: centre (5025, 4900) µm; die1's source layer is the bottom
  // 2 µm (z 0 … 2), die2's the top 2 µm of the 100 µm stack (98 … 100).
  const auto& p0 = s.output.probes[0];
  CHECK(p0.name == "die1.T_5000_4800");
  CHECK(p0.at_m[0] == doctest::Approx(5025e-6).epsilon(1e-12));
  CHECK(p0.at_m[1] == doctest::Approx(4900e-6).epsilon(1e-12));
  CHECK(p0.at_m[2] == doctest::Approx(1e-6).epsilon(1e-12));
  const auto& p1 = s.output.probes[1];
  CHECK(p1.name == "die2.T_0_0");
  CHECK(p1.at_m[0] == doctest::Approx(25e-6).epsilon(1e-12));
  CHECK(p1.at_m[1] == doctest::Approx(100e-6).epsilon(1e-12));
  CHECK(p1.at_m[2] == doctest::Approx(99e-6).epsilon(1e-12));
  // A point beyond the chip is 3D-ICE's nearest cell: the last column and row.
  const auto& p2 = s.output.probes[2];
  CHECK(p2.name == "die2.T_20000_9999");
  CHECK(p2.at_m[0] == doctest::Approx(9975e-6).epsilon(1e-12));
  CHECK(p2.at_m[1] == doctest::Approx(9900e-6).epsilon(1e-12));
  // `step` requests: outputs at 3D-ICE's step, not only at the slot ends.
  REQUIRE(s.transient.has_value());
  CHECK(s.transient->output_interval_s == doctest::Approx(0.002).epsilon(1e-12));
  CHECK(s.transient->end_time_s == doctest::Approx(0.04).epsilon(1e-12));
}

TEST_CASE(
    "import 3dice: slot-only outputs keep the slot interval, bad T requests fail at their line") {
  const Scratch tmp;
  const CaseSpec slot =
      imported(tmp.path, stack(tmp.path, "slot.stk", " T ( die1, 10, 10, \"n.txt\", slot ) ;\n"));
  REQUIRE(slot.transient.has_value());
  CHECK(slot.transient->output_interval_s == doctest::Approx(0.02).epsilon(1e-12));
  CHECK(slot.output.probes.front().name == "die1.T_10_10");
  CHECK_THROWS_WITH_AS(
      import_3dice(stack(tmp.path, "nodie.stk", " T ( die9, 10, 10, \"n.txt\", step ) ;\n")),
      doctest::Contains("nodie.stk:23:2: error: T ( die9, ... ) names no die of the stack"),
      CaseError);
  CHECK_THROWS_WITH_AS(
      import_3dice(stack(tmp.path, "short.stk", " T ( die1, 10, \"n.txt\", step ) ;\n")),
      doctest::Contains("short.stk:23:16: error: expected the y coordinate (um) in T ( DIE"),
      CaseError);
  CHECK_THROWS_WITH_AS(
      import_3dice(stack(tmp.path, "when.stk", " T ( die1, 10, 10, \"n.txt\", often ) ;\n")),
      doctest::Contains("when.stk:23:29: error: expected step, slot or final in T ( DIE"),
      CaseError);
}

TEST_CASE(
    "import 3dice: the other output requests are warned of at their line, with the "
    "nearest cposim output") {
  const Scratch tmp;
  const auto r = import_3dice(stack(tmp.path, "other.stk",
                                    " T ( die1, 10, 10, \"n.txt\", step ) ;\n"
                                    " Tflp ( die2, \"flp.txt\", maximum, slot ) ;\n"
                                    " Tflpel ( die1.background, \"el.txt\", average, slot ) ;\n"
                                    " Tmap ( die1, \"map.txt\", final ) ;\n"
                                    " T3d ( \"t3d.txt\", final ) ;\n"));
  std::string all;
  for (const auto& w : r.warnings) all += w + "\n";
  CAPTURE(all);
  CHECK(r.warnings.size() == 4);
  CHECK(all.find("other.stk:24:2: output request Tflp (die2, ...) is not produced as a file: "
                 "the floorplan elements of die2 are the regions 'die2.<element>'") !=
        std::string::npos);
  CHECK(all.find("other.stk:25:2: output request Tflpel (die1.background, ...) is not produced "
                 "as a file: the element is the region 'die1.background'") != std::string::npos);
  CHECK(all.find("other.stk:26:2: output request Tmap (die1, ...) is not produced as a file: "
                 "the temperature field is in results.h5 (/fields/temperature_K") !=
        std::string::npos);
  CHECK(all.find("other.stk:27:2: output request T3d (") != std::string::npos);
}
