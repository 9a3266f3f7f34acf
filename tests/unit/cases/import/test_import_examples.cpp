/// \file
/// The peers' shipped examples through the importers (issue 22 §5): every HotSpot example of
/// uvahotspot/HotSpot (tests/data/import/hotspot_examples, with HotSpot's LICENSE) imports with
/// the files its run.sh passes and solves on a coarse grid, or is refused at its line for a
/// stated reason; cposim's own 3D-ICE stacks of the shipped solid kinds (top, bottom and both
/// heat sinks; steady and transient) import and solve.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "cases/import/import_3dice.hpp"
#include "cases/import/import_hotspot.hpp"
#include "cases/resolve/load_case.hpp"
#include "cases/run/build_problem.hpp"
#include "cases/spec/case_error.hpp"
#include "solver/steady.hpp"

using namespace cposim::cases;
namespace fs = std::filesystem;

namespace {

const std::string kData = std::string(CPOSIM_TEST_DATA) + "/import/";
const std::string kHotSpot = kData + "hotspot_examples/";

struct Solved {
  double power_W = 0;     ///< the case's block power
  double T_max_K = 0;     ///< the hottest cell
  double T_min_K = 0;     ///< the coldest cell
  std::size_t cells = 0;  ///< of the coarse grid
};

/// The imported case, read back as a case file.
CaseSpec read_imported(const ImportResult& r) {
  const fs::path dir = fs::temp_directory_path() / "cposim_test_import_examples";
  fs::create_directories(dir);
  return read_case_text(r.case_text, "imported.toml", dir.string());
}

/// Reads the imported case back, coarsens its grid (cells up to `cell_um` across, no refine
/// zones: the test checks that the model is complete and solvable, not its resolution) and
/// solves it steady. Checks convergence and the energy balance.
Solved solve_coarse(const ImportResult& r, double cell_um) {
  CaseSpec spec = read_imported(r);
  spec.grid.max_cell_xy_m = cell_um * 1e-6;
  spec.grid.max_cell_z_m = 1e-3;
  spec.grid.max_neighbour_ratio = 4.0;
  spec.grid.min_cells_per_layer = 1;
  spec.grid.refine.clear();
  const BuiltProblem built = build_problem(spec);
  Solved s;
  s.cells = built.grid->num_cells();
  for (const BlockSpec& b : spec.blocks) s.power_W += b.power_W.value_or(0.0);
  std::vector<double> T_K;
  const auto report = cposim::solver::solve_steady(built.problem(), built.solver_options, T_K);
  CHECK(report.converged);
  CHECK(report.energy.relative < 1e-6);
  REQUIRE(!T_K.empty());
  s.T_max_K = *std::max_element(T_K.begin(), T_K.end());
  s.T_min_K = *std::min_element(T_K.begin(), T_K.end());
  MESSAGE(s.cells << " cells, " << s.power_W << " W, T " << s.T_min_K << " .. " << s.T_max_K
                  << " K");
  return s;
}

bool has_note(const ImportResult& r, const std::string& part) {
  return std::any_of(r.notes.begin(), r.notes.end(),
                     [&](const std::string& n) { return n.find(part) != std::string::npos; });
}

/// The files a HotSpot example's run.sh passes (-c, -f or -grid_layer_file, -p,
/// -materials_file), relative to its folder.
HotSpotFiles example(const std::string& folder, const std::string& flp, const std::string& lcf,
                     const std::string& ptrace, const std::string& materials) {
  const std::string d = kHotSpot + folder + "/";
  HotSpotFiles f;
  f.config = d + "example.config";
  if (!flp.empty()) f.flp = d + flp;
  if (!lcf.empty()) f.lcf = d + lcf;
  f.ptrace = d + ptrace;
  if (!materials.empty()) f.materials = d + materials;
  return f;
}

}  // namespace

// --- HotSpot's shipped examples -----------------------------------------------------------

TEST_CASE("hotspot example1 (ev6, block model, materials file) imports and solves") {
  const ImportResult r =
      import_hotspot(example("example1", "ev6.flp", "", "gcc.ptrace", "example.materials"));
  CHECK(has_note(r, "block model"));
  CHECK(has_note(r, "snapped together (the largest move was 1 µm)"));
  const Solved s = solve_coarse(r, 5000);
  CHECK(s.power_W == doctest::Approx(40.2073).epsilon(1e-5));  // the mean of gcc.ptrace's rows
  CHECK(s.T_max_K > s.T_min_K + 1.0);
}

TEST_CASE("hotspot example1's transient run (-init_file gcc.init) imports as a transient case") {
  // run.sh: hotspot ... -init_file gcc.init -o outputs/gcc.ttrace, gcc.init being the steady
  // file of the first run.
  HotSpotFiles files = example("example1", "ev6.flp", "", "gcc.ptrace", "example.materials");
  files.init_file = kHotSpot + "example1/gcc.init";
  HotSpotOptions options;
  options.transient = true;
  options.capacitance_factor = 0.333;
  const ImportResult r = import_hotspot(files, options);
  CHECK(has_note(r, "maps to initial = \"steady\""));
  CHECK(has_note(r, "multiplied by 0.333"));
  const CaseSpec spec = read_imported(r);
  REQUIRE(spec.transient.has_value());
  CHECK(spec.transient->initial == InitialState::steady);
  CHECK(spec.transient->end_time_s == doctest::Approx(100 * 0.01).epsilon(1e-12));  // 100 rows
}

TEST_CASE("hotspot example2 (ev6, grid model, materials file) imports and solves") {
  const ImportResult r =
      import_hotspot(example("example2", "ev6.flp", "", "gcc.ptrace", "example.materials"));
  // example.config names -material_sink aluminum of example.materials (k 237 W/(m K)).
  CHECK(r.case_text.find("aluminum") != std::string::npos);
  CHECK(r.case_text.find("237") != std::string::npos);
  const Solved s = solve_coarse(r, 5000);
  CHECK(s.power_W == doctest::Approx(40.2073).epsilon(1e-5));
  CHECK(s.T_max_K > s.T_min_K + 1.0);
}

TEST_CASE("hotspot example3 (two-die .lcf, -detailed_3D, materials file) imports and solves") {
  const ImportResult r =
      import_hotspot(example("example3", "", "example.lcf", "example.ptrace", "example.materials"));
  CHECK(has_note(r, "-detailed_3D on"));
  // floorplan2.flp's edges meet up to round-off (0.0049 + 0.0031 m): nothing to report.
  CHECK(!has_note(r, "snapped together"));
  const Solved s = solve_coarse(r, 5000);
  CHECK(s.power_W == doctest::Approx(98.6064).epsilon(1e-5));
  CHECK(s.T_max_K > s.T_min_K + 1.0);
}

TEST_CASE("hotspot example4 (ev6 3D stack with TSV units, -detailed_3D) imports and solves") {
  const ImportResult r = import_hotspot(example("example4", "", "ev6_3D.lcf", "ev6_3D.ptrace", ""));
  CHECK(has_note(r, "units with their own specific heat and resistivity keep them"));
  const Solved s = solve_coarse(r, 5000);
  CHECK(s.power_W == doctest::Approx(146.195).epsilon(1e-5));
  CHECK(s.T_max_K > s.T_min_K + 1.0);
}

// example5 (microchannel layer) imports as a [[cavities]] entry: test_import_microchannel.cpp.

// --- cposim's own 3D-ICE solid stacks (3D-ICE's test/solid kinds) ------------------------

TEST_CASE("3dice solid stacks: top, bottom and both heat sinks import and solve") {
  const std::string d = kData + "3dice/solid/";
  // Steady: each element's first power value: west 3 + east 1.5 + middle 0.5 + north 0 W.
  const Solved top = solve_coarse(import_3dice(d + "topsink.stk"), 500);
  CHECK(top.power_W == doctest::Approx(5.0).epsilon(1e-12));
  CHECK(top.T_min_K > 300.0);  // all heat leaves through the top sink at 300 K
  const Solved bottom = solve_coarse(import_3dice(d + "bottomsink.stk"), 500);
  CHECK(bottom.power_W == doctest::Approx(5.0).epsilon(1e-12));
  CHECK(bottom.T_min_K > 310.0);  // the bottom sink is at 310 K
  const Solved both = solve_coarse(import_3dice(d + "bothsink.stk"), 500);
  CHECK(both.T_min_K > 300.0);  // both sinks at 300 K
  // The second sink takes heat away: the hottest cell is cooler than with either alone.
  CHECK(both.T_max_K < top.T_max_K);
  CHECK(both.T_max_K < bottom.T_max_K);
}

TEST_CASE("3dice solid stack, transient: slots become waveforms up to the last slot") {
  const ImportResult r = import_3dice(kData + "3dice/solid/bothsink_transient.stk");
  CHECK(has_note(r, "up to 0.15 s (3 slots of 0.05 s)"));
  const CaseSpec spec = read_imported(r);
  REQUIRE(spec.transient.has_value());
  CHECK(spec.transient->end_time_s == doctest::Approx(0.15).epsilon(1e-12));
  // power_W is each element's mean over the slots: 2 + 1 + 3.5 / 3 + 1 / 3 W.
  const Solved s = solve_coarse(r, 1000);
  CHECK(s.power_W == doctest::Approx(4.5).epsilon(1e-12));
}
