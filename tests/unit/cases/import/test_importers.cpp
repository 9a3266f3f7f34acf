/// \file
/// The HotSpot and 3D-ICE importers: the generated case reads back without error and keeps
/// the geometry, the materials and the power of the source files; refused features and
/// malformed inputs fail at their file:line:col with the documented message.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include "cases/import/import_3dice.hpp"
#include "cases/import/import_hotspot.hpp"
#include "cases/resolve/load_case.hpp"
#include "cases/spec/case_error.hpp"

using namespace cposim::cases;
namespace fs = std::filesystem;

namespace {

const std::string kData = std::string(CPOSIM_TEST_DATA) + "/import/";

fs::path scratch_dir() {
  const fs::path dir = fs::temp_directory_path() / "cposim_test_importers";
  fs::create_directories(dir);
  return dir;
}

std::string write_file(const std::string& name, const std::string& text) {
  const fs::path path = scratch_dir() / name;
  std::ofstream(path) << text;
  return path.string();
}

CaseSpec read_back(const ImportResult& r) {
  return read_case_text(r.case_text, "imported.toml", scratch_dir().string());
}

const BlockSpec& block(const CaseSpec& spec, const std::string& name) {
  const auto it = std::find_if(spec.blocks.begin(), spec.blocks.end(),
                               [&](const BlockSpec& b) { return b.name == name; });
  REQUIRE_MESSAGE(it != spec.blocks.end(), "no block ", name);
  return *it;
}

const MaterialSpec& material(const CaseSpec& spec, const std::string& name) {
  const auto it = std::find_if(spec.materials.begin(), spec.materials.end(),
                               [&](const MaterialSpec& m) { return m.name == name; });
  REQUIRE_MESSAGE(it != spec.materials.end(), "no material ", name);
  return *it;
}

double total_power(const CaseSpec& spec) {
  double sum = 0;
  for (const auto& b : spec.blocks) sum += b.power_W.value_or(0.0);
  return sum;
}

/// Checks a box in metres against the µm values of the source file.
void check_box(const BlockSpec& b, std::array<double, 3> origin_um, std::array<double, 3> size_um) {
  CAPTURE(b.name);
  for (int a = 0; a < 3; ++a) {
    CHECK(b.origin_m[a] == doctest::Approx(origin_um[a] * 1e-6).epsilon(1e-12));
    CHECK(b.size_m[a] == doctest::Approx(size_um[a] * 1e-6).epsilon(1e-12));
  }
}

/// k (isotropic or per axis) and ρ·cp of a user material.
void check_material(const MaterialSpec& m, std::array<double, 3> k, double rho_cp) {
  CAPTURE(m.name);
  REQUIRE(m.k_W_per_mK.has_value());
  for (int a = 0; a < 3; ++a) CHECK((*m.k_W_per_mK)[a] == doctest::Approx(k[a]).epsilon(1e-12));
  CHECK(*m.rho_kg_per_m3 * *m.cp_J_per_kgK == doctest::Approx(rho_cp).epsilon(1e-12));
}

HotSpotFiles hs(const std::string& flp, const std::string& lcf, const std::string& ptrace,
                const std::string& config) {
  HotSpotFiles f;
  f.flp = flp;
  f.lcf = lcf;
  f.ptrace = ptrace;
  f.config = config;
  return f;
}

HotSpotFiles hotspot_small() {
  return hs(kData + "hotspot/small.flp", "", kData + "hotspot/small.ptrace",
            kData + "hotspot/small.config");
}

}  // namespace

// --- HotSpot ------------------------------------------------------------------------------

TEST_CASE("import hotspot: a 2D chip keeps its floorplan, materials, average power and sink") {
  const CaseSpec spec = read_back(import_hotspot(hotspot_small()));
  // chip, three units, TIM, spreader, sink; the 60 mm sink sets the footprint.
  CHECK(spec.blocks.size() == 7);
  CHECK(spec.package.footprint_m[0] == doctest::Approx(0.06).epsilon(1e-12));
  // The 10 x 10 mm chip sits centred: offset (60 - 10) / 2 = 25 mm.
  check_box(block(spec, "chip"), {25000, 25000, 0}, {10000, 10000, 150});
  check_box(block(spec, "core0"), {25000, 29000, 0}, {5000, 6000, 150});
  check_box(block(spec, "core1"), {30000, 29000, 0}, {5000, 6000, 150});
  check_box(block(spec, "cache"), {25000, 25000, 0}, {10000, 4000, 150});
  check_box(block(spec, "interface"), {25000, 25000, 150}, {10000, 10000, 20});
  check_box(block(spec, "spreader"), {15000, 15000, 170}, {30000, 30000, 1000});
  check_box(block(spec, "sink"), {0, 0, 1170}, {60000, 60000, 6900});
  // Power: the average of the two .ptrace rows (10 12 3 / 14 8 5).
  CHECK(*block(spec, "core0").power_W == doctest::Approx(12.0).epsilon(1e-12));
  CHECK(*block(spec, "core1").power_W == doctest::Approx(10.0).epsilon(1e-12));
  CHECK(*block(spec, "cache").power_W == doctest::Approx(4.0).epsilon(1e-12));
  CHECK(total_power(spec) == doctest::Approx((10 + 12 + 3 + 14 + 8 + 5) / 2.0).epsilon(1e-12));
  // k = -k_chip, c_v = -p_chip of the config; the TIM from -k_interface, -p_interface.
  check_material(material(spec, "chip"), {130, 130, 130}, 1630300);
  check_material(material(spec, "interface"), {4, 4, 4}, 4e6);
  check_material(material(spec, "sink"), {400, 400, 400}, 3.55e6);
  // r_convec 0.1 K/W over a 60 mm square: h = 1 / (0.1 * 0.06^2).
  const BoundarySpec& top = spec.boundaries[5];
  CHECK(top.kind == cposim::solver::BoundaryKind::convection);
  CHECK(top.h_W_per_m2K == doctest::Approx(1.0 / (0.1 * 0.06 * 0.06)).epsilon(1e-12));
  CHECK(top.T_ambient_K == doctest::Approx(318.15).epsilon(1e-12));
  CHECK(spec.output.probes.size() == 3);
}

TEST_CASE("import hotspot: an .lcf stack keeps layer order, per-unit materials and power") {
  const HotSpotFiles files = hs("", kData + "hotspot/stacked.lcf", kData + "hotspot/stacked.ptrace",
                                kData + "hotspot/small.config");
  const ImportResult r = import_hotspot(files);
  const CaseSpec spec = read_back(r);
  // layer0 + 3 units, layer1 + its TSV strip, layer2 + 2 banks, layer3, spreader, sink.
  CHECK(spec.blocks.size() == 12);
  // Layer 0 is the farthest from the sink: z = 0; thicknesses 150, 20, 100, 20 µm.
  check_box(block(spec, "layer0"), {25000, 25000, 0}, {10000, 10000, 150});
  check_box(block(spec, "layer1"), {25000, 25000, 150}, {10000, 10000, 20});
  check_box(block(spec, "layer1.tsv"), {25000, 25000, 150}, {10000, 1000, 20});
  check_box(block(spec, "bank1"), {30000, 25000, 170}, {5000, 10000, 100});
  check_box(block(spec, "layer3"), {25000, 25000, 270}, {10000, 10000, 20});
  check_box(block(spec, "spreader"), {15000, 15000, 290}, {30000, 30000, 1000});
  // Three rows, each summing to 29 W.
  CHECK(total_power(spec) == doctest::Approx(29.0).epsilon(1e-12));
  CHECK(*block(spec, "bank0").power_W == doctest::Approx(1.0).epsilon(1e-12));
  CHECK(*block(spec, "core0").power_W == doctest::Approx(12.0).epsilon(1e-12));
  // Resistivity 0.01 m K/W → 100 W/(m K); the TSV's own 0.0058 m K/W and 4e6 J/(m³ K).
  check_material(material(spec, block(spec, "layer0").material.name), {100, 100, 100}, 1.75e6);
  check_material(material(spec, block(spec, "layer1.tsv").material.name),
                 {1 / 0.0058, 1 / 0.0058, 1 / 0.0058}, 4e6);
  // "Lateral heat flow N": in-plane k 1000 times below the vertical 4 W/(m K).
  check_material(material(spec, block(spec, "layer3").material.name), {4e-3, 4e-3, 4}, 4e6);
  CHECK(std::any_of(r.notes.begin(), r.notes.end(), [](const std::string& n) {
    return n.find("lateral heat flow N") != std::string::npos;
  }));
}

TEST_CASE("import hotspot: without a config the HotSpot 6 defaults apply") {
  const ImportResult r =
      import_hotspot(hs(kData + "hotspot/small.flp", "", kData + "hotspot/small.ptrace", ""));
  const CaseSpec spec = read_back(r);
  check_material(material(spec, "chip"), {100, 100, 100}, 1.75e6);  // k_chip 100, p_chip 1.75e6
  CHECK(spec.boundaries[5].T_ambient_K == doctest::Approx(318.15).epsilon(1e-12));
}

TEST_CASE("import hotspot: malformed floorplans fail at their line and column") {
  const std::string four = write_file("four.flp", "a 0.001 0.001 0 0\nb 0.001 0.001 0.001\n");
  CHECK_THROWS_WITH_AS(import_hotspot(hs(four, "", "", "")),
                       doctest::Contains("four.flp:2:1: error: a floorplan line has 5 or 7 "
                                         "fields: <unit-name> <width> <height> <left-x> "
                                         "<bottom-y> [<specific-heat> <resistivity>] (metres; "
                                         "J/(m³ K); m K/W), got 4"),
                       CaseError);
  const std::string negative = write_file("negative.flp", "a\t-0.001\t0.001\t0\t0\n");
  CHECK_THROWS_WITH_AS(
      import_hotspot(hs(negative, "", "", "")),
      doctest::Contains("negative.flp:1:3: error: the width of unit 'a' must be > 0 m, got -0.001"),
      CaseError);
  const std::string text = write_file("text.flp", "a 0.001 x 0 0\n");
  CHECK_THROWS_WITH_AS(
      import_hotspot(hs(text, "", "", "")),
      doctest::Contains("text.flp:1:9: error: the height of unit 'a' must be a number, got 'x'"),
      CaseError);
  const std::string overlap =
      write_file("overlap.flp", "a 0.002 0.002 0 0\n# comment\nb 0.002 0.002 0.001 0.001\n");
  CHECK_THROWS_WITH_AS(import_hotspot(hs(overlap, "", "", "")),
                       doctest::Contains("overlap.flp:3:1: error: unit 'b' overlaps unit 'a' "
                                         "(line 1) by 1000 x 1000 µm"),
                       CaseError);
}

TEST_CASE("import hotspot: power traces must name known units and give valid powers") {
  const std::string flp = kData + "hotspot/small.flp";
  const std::string unknown = write_file("unknown.ptrace", "core0 gpu\n1 2\n");
  CHECK_THROWS_WITH_AS(import_hotspot(hs(flp, "", unknown, "")),
                       doctest::Contains("unknown.ptrace:1:7: error: unknown unit 'gpu' in the "
                                         "power trace; the power-dissipating floorplans have: "
                                         "cache, core0, core1"),
                       CaseError);
  const std::string short_row = write_file("short.ptrace", "core0 core1\n1 2\n3\n");
  CHECK_THROWS_WITH_AS(import_hotspot(hs(flp, "", short_row, "")),
                       doctest::Contains("short.ptrace:3:1: error: this row has 1 power values; "
                                         "the header names 2 units"),
                       CaseError);
  const std::string negative = write_file("negative.ptrace", "core0 core1\n1 -2\n");
  CHECK_THROWS_WITH_AS(import_hotspot(hs(flp, "", negative, "")),
                       doctest::Contains("negative.ptrace:2:3: error: the power of unit 'core1' "
                                         "must be >= 0 W, got -2"),
                       CaseError);
  const std::string passive = write_file("passive.ptrace", "core0 fill\n1 2\n");
  CHECK_THROWS_WITH_AS(
      import_hotspot(hs("", kData + "hotspot/stacked.lcf", passive, "")),
      doctest::Contains("passive.ptrace:1:7: error: unit 'fill' is in layer 1, which does not "
                        "dissipate power (power dissipation N)"),
      CaseError);
}

TEST_CASE("import hotspot: layer files and configs are checked, unsupported models refused") {
  const std::string flp = kData + "hotspot/small.flp";
  const std::string lcf = write_file("short.lcf", "0\nY\nY\n1.75e6\n0.01\n0.00015\n");
  CHECK_THROWS_WITH_AS(import_hotspot(hs("", lcf, "", "")),
                       doctest::Contains("short.lcf:6:1: error: a layer configuration file has per "
                                         "layer: the layer number"),
                       CaseError);
  CHECK_THROWS_WITH_AS(import_hotspot(hs("", lcf, "", "")),
                       doctest::Contains("; the last layer lacks the floorplan file"), CaseError);
  const std::string yn = write_file("yn.lcf", "0\nmaybe\nY\n1.75e6\n0.01\n0.00015\nx.flp\n");
  CHECK_THROWS_WITH_AS(
      import_hotspot(hs("", yn, "", "")),
      doctest::Contains("yn.lcf:2:1: error: lateral heat flow must be Y or N, got 'maybe'"),
      CaseError);
  const std::string secondary = write_file("secondary.config", "# c\n-model_secondary\t1\n");
  CHECK_THROWS_WITH_AS(import_hotspot(hs(flp, "", "", secondary)),
                       doctest::Contains("secondary.config:2:18: error: -model_secondary 1 asks "
                                         "for the secondary heat path"),
                       CaseError);
  const std::string small_sink = write_file("small_sink.config", "-s_sink 0.02\n");
  CHECK_THROWS_WITH_AS(import_hotspot(hs(flp, "", "", small_sink)),
                       doctest::Contains("small_sink.config:1:9: error: the sink side (20000 µm) "
                                         "must be at least the spreader side (30000 µm)"),
                       CaseError);
}

// --- 3D-ICE -------------------------------------------------------------------------------

TEST_CASE("import 3dice: the stack keeps its layers, floorplans, materials and first power") {
  const ImportResult r = import_3dice(kData + "3dice/small.stk");
  const CaseSpec spec = read_back(r);
  CHECK(spec.package.footprint_m[0] == doctest::Approx(0.010).epsilon(1e-12));
  CHECK(spec.package.footprint_m[1] == doctest::Approx(0.008).epsilon(1e-12));
  // The stack lists the top first; the case stacks bottom-up: CORE_DIE (its top BEOL layer
  // listed first, so last here), BOND, then MEMORY_DIE.
  const std::vector<std::string> names = {"CORE_DIE.layer2",   "CORE_DIE.source",
                                          "CORE_DIE.layer0",   "BOND",
                                          "MEMORY_DIE.layer1", "MEMORY_DIE.source"};
  const std::vector<double> thickness_um = {50, 2, 10, 20, 50, 2};
  REQUIRE(spec.layers.size() == names.size());
  for (std::size_t i = 0; i < names.size(); ++i) {
    CHECK(spec.layers[i].name == names[i]);
    CHECK(spec.layers[i].thickness_m == doctest::Approx(thickness_um[i] * 1e-6).epsilon(1e-12));
  }
  CHECK(spec.blocks.size() == 6);
  check_box(block(spec, "CORE_DIE.Core0"), {0, 0, 50}, {5000, 4000, 2});
  check_box(block(spec, "CORE_DIE.Cache"), {0, 4000, 50}, {10000, 4000, 2});
  check_box(block(spec, "MEMORY_DIE.Banks.1"), {0, 6000, 132}, {10000, 2000, 2});
  // Steady analysis: the first power value of each element; Banks' 3 W split by area.
  CHECK(*block(spec, "CORE_DIE.Core0").power_W == doctest::Approx(12.5).epsilon(1e-12));
  CHECK(*block(spec, "MEMORY_DIE.Banks.0").power_W == doctest::Approx(1.5).epsilon(1e-12));
  CHECK(total_power(spec) == doctest::Approx(12.5 + 10.0 + 4.0 + 3.0).epsilon(1e-12));
  // W/(µm K) x 1e6, J/(µm³ K) x 1e18; COPPER is anisotropic and the Cache element's material.
  check_material(material(spec, "SILICON"), {130, 130, 130}, 1.628e6);
  check_material(material(spec, "BEOL"), {2.25, 2.25, 2.25}, 2.175e6);
  check_material(material(spec, "COPPER"), {390, 390, 350}, 3.45e6);
  CHECK(block(spec, "CORE_DIE.Cache").material.name == "COPPER");
  // Top heat sink 1e-8 W/(µm² K) = 1e4 W/(m² K) at 300 K; the bottom stays adiabatic.
  CHECK(spec.boundaries[5].h_W_per_m2K == doctest::Approx(1e4).epsilon(1e-12));
  CHECK(spec.boundaries[5].T_ambient_K == doctest::Approx(300).epsilon(1e-12));
  CHECK(spec.boundaries[4].kind == cposim::solver::BoundaryKind::adiabatic);
  CHECK(spec.grid.max_cell_xy_m == doctest::Approx(200e-6).epsilon(1e-12));
}

TEST_CASE("import 3dice: a transient stack (2.x syntax) keeps its slots as power waveforms") {
  const ImportResult r = import_3dice(kData + "3dice/transient.stk");
  const CaseSpec spec = read_back(r);
  CHECK(spec.layers.size() == 3);
  CHECK(spec.layers[0].name == "BASE");
  CHECK(spec.boundaries[5].h_W_per_m2K == doctest::Approx(1e4).epsilon(1e-12));
  // power_W is the mean over the slots; the waveform steps through the slot values.
  const BlockSpec& core0 = block(spec, "CORE_DIE.Core0");
  CHECK(*core0.power_W == doctest::Approx(20.0).epsilon(1e-12));
  CHECK(*block(spec, "CORE_DIE.Core1").power_W == doctest::Approx(1.5).epsilon(1e-12));
  REQUIRE(core0.power_waveform.has_value());
  CHECK(core0.power_waveform->kind == PowerWaveformSpec::Kind::steps);
  const std::vector<double> t_s = {0, 0.2, 0.4}, watts = {10, 20, 30};
  REQUIRE(core0.power_waveform->t_s.size() == 3);
  for (std::size_t k = 0; k < 3; ++k) {
    CHECK(core0.power_waveform->t_s[k] == doctest::Approx(t_s[k]).epsilon(1e-12));
    CHECK(core0.power_waveform->values[k] * *core0.power_W ==
          doctest::Approx(watts[k]).epsilon(1e-12));
  }
  // 3D-ICE's fixed backward-Euler step, three slots of 0.2 s, from the initial temperature.
  REQUIRE(spec.transient.has_value());
  CHECK(spec.transient->scheme == cposim::solver::TimeScheme::backward_euler);
  CHECK_FALSE(spec.transient->adaptive);
  CHECK(spec.transient->dt_initial_s == doctest::Approx(0.02).epsilon(1e-12));
  CHECK(spec.transient->end_time_s == doctest::Approx(0.6).epsilon(1e-12));
  CHECK(*spec.transient->initial_T_K == doctest::Approx(300).epsilon(1e-12));
}

TEST_CASE("import hotspot: --transient steps through the trace rows at -sampling_intvl") {
  const std::string config =
      write_file("transient.config", "-sampling_intvl 0.01\n-init_temp 320\n");
  HotSpotOptions options;
  options.transient = true;
  const CaseSpec spec = read_back(import_hotspot(
      hs(kData + "hotspot/small.flp", "", kData + "hotspot/small.ptrace", config), options));
  REQUIRE(spec.transient.has_value());
  CHECK(spec.transient->end_time_s == doctest::Approx(0.02).epsilon(1e-12));
  CHECK(*spec.transient->initial_T_K == doctest::Approx(320).epsilon(1e-12));
  const BlockSpec& core1 = block(spec, "core1");  // rows 12, 8 W
  REQUIRE(core1.power_waveform.has_value());
  CHECK(core1.power_waveform->t_s[1] == doctest::Approx(0.01).epsilon(1e-12));
  CHECK(core1.power_waveform->values[0] * *core1.power_W == doctest::Approx(12).epsilon(1e-12));
  CHECK(core1.power_waveform->values[1] * *core1.power_W == doctest::Approx(8).epsilon(1e-12));
}

namespace {

/// A valid .stk with `section` inserted after the material (line 4 onwards).
std::string stk_with(
    const std::string& name, const std::string& section,
    const std::string& sink =
        "top heat sink :\n heat transfer coefficient 1e-8 ;\n temperature 300 ;\n") {
  write_file("one.flp", "A :\n position 0, 0 ;\n dimension 1000, 1000 ;\n power values 1 ;\n");
  return write_file(
      name, "material SI :\n thermal conductivity 1.3e-4 ;\n volumetric heat capacity 1.6e-12 ;\n" +
                section + sink +
                "die D :\n source 2 SI ;\n"
                "dimensions :\n chip length 1000, width 1000 ;\n cell length 100, width 100 ;\n"
                "stack :\n die TOP D floorplan \"one.flp\" ;\n"
                "solver :\n steady ;\n initial temperature 300 ;\n");
}

}  // namespace

TEST_CASE("import 3dice: incomplete channel sections and pluggable sinks fail where written") {
  // Complete microchannel and pin-fin sections import as [[cavities]]
  // (test_import_cavities.cpp); an incomplete one fails at the first missing phrase.
  const std::string mc =
      stk_with("mc2rm.stk", "\nmicrochannel 2rm :\n height 100 ;\n channel length 50 ;\n");
  CHECK_THROWS_WITH_AS(import_3dice(mc),
                       doctest::Contains("mc2rm.stk:8:1: error: expected 'wall length' in the "
                                         "channel section, got 'top'"),
                       CaseError);
  const std::string mc4 = stk_with("mc4rm.stk", "  microchannel 4rm :\n");
  CHECK_THROWS_WITH_AS(import_3dice(mc4),
                       doctest::Contains("mc4rm.stk:5:1: error: expected 'height' in the channel "
                                         "section, got 'top'"),
                       CaseError);
  const std::string pf = stk_with("pinfin.stk", "pinfin :\n height 100 ;\n");
  CHECK_THROWS_WITH_AS(import_3dice(pf),
                       doctest::Contains("pinfin.stk:6:1: error: expected 'pin diameter' in the "
                                         "channel section, got 'top'"),
                       CaseError);
  const std::string plug = stk_with("plug.stk", "", "top pluggable heat sink :\n");
  CHECK_THROWS_WITH_AS(import_3dice(plug),
                       doctest::Contains("plug.stk:4:1: error: 'top pluggable heat sink' is not "
                                         "supported: its model is an external plugin (a shared "
                                         "library"),
                       CaseError);
}

TEST_CASE("import 3dice: malformed stacks and floorplans fail at their line and column") {
  const std::string semicolon = write_file(
      "semicolon.stk",
      "material SI :\n thermal conductivity 1.3e-4\n volumetric heat capacity 1.6e-12 ;\n");
  CHECK_THROWS_WITH_AS(import_3dice(semicolon),
                       doctest::Contains("semicolon.stk:3:2: error: expected ';' after the thermal "
                                         "conductivity in material SI, got 'volumetric'"),
                       CaseError);
  const std::string negative =
      write_file("negative.stk", "material SI :\n thermal conductivity -1.3e-4 ;\n");
  CHECK_THROWS_WITH_AS(import_3dice(negative),
                       doctest::Contains("negative.stk:2:23: error: a thermal conductivity in "
                                         "material SI must be > 0 W/(µm K), got -1.3e-4"),
                       CaseError);
  const std::string no_sink = stk_with("nosink.stk", "", "");
  CHECK_THROWS_WITH_AS(import_3dice(no_sink),
                       doctest::Contains("nosink.stk: error: the stack declares no heat sink"),
                       CaseError);
  const std::string unknown = stk_with("unknown.stk", "die E :\n source 2 GOLD ;\n");
  CHECK_THROWS_WITH_AS(import_3dice(unknown),
                       doctest::Contains("unknown.stk:5:11: error: unknown material 'GOLD' in "
                                         "die E; declared: SI"),
                       CaseError);
  // A floorplan element outside the 1000 x 1000 µm chip.
  write_file("outside.flp", "A :\n position 500, 0 ;\n dimension 1000, 1000 ;\n");
  const std::string outside = write_file(
      "outside.stk",
      "material SI :\n thermal conductivity 1.3e-4 ;\n volumetric heat capacity 1.6e-12 ;\n"
      "top heat sink :\n heat transfer coefficient 1e-8 ;\n temperature 300 ;\n"
      "die D :\n source 2 SI ;\n"
      "dimensions :\n chip length 1000, width 1000 ;\n cell length 100, width 100 ;\n"
      "stack :\n die TOP D floorplan \"outside.flp\" ;\nsolver :\n steady ;\n");
  CHECK_THROWS_WITH_AS(import_3dice(outside),
                       doctest::Contains("outside.flp:2:11: error: floorplan element A (500, 0, "
                                         "1000 x 1000 µm) is outside of the IC (1000 x 1000 µm)"),
                       CaseError);
  write_file("overlap.flp",
             "A :\n rectangle (0, 0, 600, 600) ;\nB :\n rectangle (500, 500, 500, 500) ;\n");
  const std::string overlap = write_file(
      "overlap.stk",
      "material SI :\n thermal conductivity 1.3e-4 ;\n volumetric heat capacity 1.6e-12 ;\n"
      "top heat sink :\n heat transfer coefficient 1e-8 ;\n temperature 300 ;\n"
      "die D :\n source 2 SI ;\n"
      "dimensions :\n chip length 1000, width 1000 ;\n cell length 100, width 100 ;\n"
      "stack :\n die TOP D floorplan \"overlap.flp\" ;\nsolver :\n steady ;\n");
  CHECK_THROWS_WITH_AS(import_3dice(overlap),
                       doctest::Contains("overlap.flp:4:13: error: floorplan element B intersects "
                                         "A (line 2) over 100 x 100 µm"),
                       CaseError);
}

// --- issue 22: the peers' models as shipped ---------------------------------------------

namespace {

bool has_note(const ImportResult& r, const std::string& part) {
  return std::any_of(r.notes.begin(), r.notes.end(),
                     [&](const std::string& n) { return n.find(part) != std::string::npos; });
}

}  // namespace

TEST_CASE("import hotspot: materials files name .lcf layers and the config's parts") {
  HotSpotFiles files = hs("", kData + "hotspot/named.lcf", kData + "hotspot/small.ptrace",
                          kData + "hotspot/named.config");
  files.materials = kData + "hotspot/example.materials";
  const ImportResult r = import_hotspot(files);
  const CaseSpec spec = read_back(r);
  // Layer 0 names silicon (k 130, c_v 1630300); layer 1 gives its numbers (r 0.25 → k 4).
  check_material(material(spec, "layer0"), {130, 130, 130}, 1630300);
  check_material(material(spec, "layer1"), {4, 4, 4}, 4e6);
  // -material_sink / -material_spreader copper: k 400, c_v 3.55e6.
  check_material(material(spec, "sink"), {400, 400, 400}, 3.55e6);
  check_material(material(spec, "spreader"), {400, 400, 400}, 3.55e6);
  CHECK(total_power(spec) == doctest::Approx(12 + 10 + 4).epsilon(1e-12));  // row averages
  CHECK(has_note(r, "-model_type block"));
  CHECK(has_note(r, "-detailed_3D on results carry"));

  // Without a materials file, and with a name the file lacks: at the word naming it.
  files.materials.clear();
  CHECK_THROWS_WITH_AS(import_hotspot(files),
                       doctest::Contains("named.config:2:19: error: material 'copper' is named, "
                                         "but no materials file was given"),
                       CaseError);
  files.config.clear();
  CHECK_THROWS_WITH_AS(import_hotspot(files),
                       doctest::Contains("named.lcf:8:1: error: material 'silicon' is named, but "
                                         "no materials file was given"),
                       CaseError);
  const std::string lcf = write_file("unknown_material.lcf",
                                     "0\nY\nY\ngranite\n1e-4\n" + kData + "hotspot/small.flp\n");
  files = hs("", lcf, "", "");
  files.materials = kData + "hotspot/example.materials";
  CHECK_THROWS_WITH_AS(import_hotspot(files),
                       doctest::Contains("unknown_material.lcf:4:1: error: unknown material "
                                         "'granite'; the materials file "),
                       CaseError);
  CHECK_THROWS_WITH_AS(import_hotspot(files), doctest::Contains("has: copper, silicon, water"),
                       CaseError);
  const std::string bad = write_file("bad.materials", "silicon\nsolid\n130\n");
  files.materials = bad;
  CHECK_THROWS_WITH_AS(import_hotspot(files),
                       doctest::Contains("bad.materials:3:1: error: a materials file has per "
                                         "material"),
                       CaseError);
  const std::string gas = write_file("gas.materials", "air\ngas\n0.026\n1200\n");
  files.materials = gas;
  CHECK_THROWS_WITH_AS(import_hotspot(files),
                       doctest::Contains("gas.materials:2:1: error: the type of material 'air' "
                                         "must be solid or fluid, got 'gas'"),
                       CaseError);
}

TEST_CASE("import hotspot: a microchannel layer whose network file is missing names the file") {
  // A microchannel layer becomes a [[cavities]] entry (test_import_microchannel.cpp); its
  // network is read with the grid (here HotSpot's default 64 x 64).
  HotSpotFiles files = hs("", kData + "hotspot/microchannel.lcf", "", "");
  files.materials = kData + "hotspot/example.materials";
  CHECK_THROWS_WITH_AS(import_hotspot(files),
                       doctest::Contains("hotspot/channels.csv: error: cannot read microchannel "
                                         "network"),
                       CaseError);
}

TEST_CASE("import hotspot: floorplan edges within 5 µm snap together") {
  const ImportResult r = import_hotspot(hs(kData + "hotspot/gaps.flp", "", "", ""));
  const CaseSpec spec = read_back(r);
  // a, b, c were 1033 µm wide with 1 µm gaps under a 3100 µm unit d: the edges now meet.
  const BlockSpec& a = block(spec, "a");
  const BlockSpec& b = block(spec, "b");
  const BlockSpec& c = block(spec, "c");
  const BlockSpec& d = block(spec, "d");
  CHECK(a.origin_m[0] + a.size_m[0] == doctest::Approx(b.origin_m[0]).epsilon(1e-15));
  CHECK(b.origin_m[0] + b.size_m[0] == doctest::Approx(c.origin_m[0]).epsilon(1e-15));
  CHECK(c.origin_m[0] + c.size_m[0] == doctest::Approx(d.origin_m[0] + d.size_m[0]).epsilon(1e-15));
  CHECK(c.size_m[0] == doctest::Approx(1034e-6).epsilon(1e-9));  // the 1 µm went to c
  CHECK(has_note(r, "snapped together (the largest move was 1 µm)"));
  const std::string tiny = write_file("tiny.flp",
                                      "a 0.001 0.001 0 0\nsliver 0.000003 0.001 "
                                      "0.001 0\n");
  CHECK_THROWS_WITH_AS(import_hotspot(hs(tiny, "", "", "")),
                       doctest::Contains("tiny.flp:2:1: error: unit 'sliver' is 3 x 1000 µm; units "
                                         "must be larger than the snapping distance 5 µm"),
                       CaseError);
  // The snapping distance is an option: below the 1 µm gaps they stay (and become cells).
  HotSpotOptions fine;
  fine.snap_um = 0.5;
  const ImportResult kept = import_hotspot(hs(kData + "hotspot/gaps.flp", "", "", ""), fine);
  const CaseSpec kept_spec = read_back(kept);
  CHECK(block(kept_spec, "c").size_m[0] == doctest::Approx(1033e-6).epsilon(1e-9));
  CHECK(block(kept_spec, "b").origin_m[0] - block(kept_spec, "a").origin_m[0] ==
        doctest::Approx(1033e-6).epsilon(1e-9));
  CHECK(!has_note(kept, "snapped together"));
  HotSpotOptions coarse;
  coarse.snap_um = 20;
  CHECK(has_note(import_hotspot(hs(kData + "hotspot/gaps.flp", "", "", ""), coarse),
                 "closer than 20 µm (--hotspot-snap-um, the smallest feature kept)"));
  coarse.snap_um = -1;
  CHECK_THROWS_WITH_AS(import_hotspot(hs(kData + "hotspot/gaps.flp", "", "", ""), coarse),
                       doctest::Contains("--hotspot-snap-um) must be >= 0 µm, got -1"), CaseError);
}

TEST_CASE("import hotspot: capacitance factor and -init_file for transients") {
  HotSpotFiles files = hotspot_small();
  files.init_file = "gcc.init";
  HotSpotOptions options;
  options.transient = true;
  ImportResult r = import_hotspot(files, options);
  CaseSpec spec = read_back(r);
  REQUIRE(spec.transient.has_value());
  CHECK(spec.transient->initial == InitialState::steady);
  CHECK(has_note(r, "C_FACTOR = 0.333"));
  check_material(material(spec, "chip"), {130, 130, 130}, 1630300);
  options.capacitance_factor = 0.333;
  r = import_hotspot(files, options);
  spec = read_back(r);
  check_material(material(spec, "chip"), {130, 130, 130}, 0.333 * 1630300);
  check_material(material(spec, "sink"), {400, 400, 400}, 0.333 * 3.55e6);
  CHECK(has_note(r, "multiplied by 0.333"));
}

TEST_CASE("import 3dice: floorplans relative to folders above, discretization as resolution") {
  const ImportResult r = import_3dice(kData + "3dice/nested/deeper/parent_floorplan.stk");
  const CaseSpec spec = read_back(r);
  CHECK(has_note(r, "relative to a folder above the .stk's"));
  CHECK(total_power(spec) == doctest::Approx(30).epsilon(1e-12));
  // Left asks for 10 x 20 cells: 500 x 500 µm; the die element for 4 x 5 over the chip.
  bool element = false, die = false;
  for (const RefineSpec& z : spec.grid.refine) {
    if (z.max_cell_m[0] == doctest::Approx(500e-6) && z.max_cell_m[1] == doctest::Approx(500e-6))
      element = true;
    if (z.max_cell_m[0] == doctest::Approx(2500e-6) && z.max_cell_m[1] == doctest::Approx(2000e-6))
      die = true;
  }
  CHECK(element);
  CHECK(die);
  // 5 mm cells would put one cell on each 5 mm element: the cap is 5000 / 8 µm.
  CHECK(spec.grid.max_cell_xy_m == doctest::Approx(625e-6).epsilon(1e-12));
  // A floorplan found nowhere: the error names the .stk line and the paths tried.
  const std::string stk =
      write_file("missing_flp.stk",
                 "material S :\n thermal conductivity 1e-4 ;\n volumetric heat capacity 1e-12 ;\n"
                 "top heat sink :\n heat transfer coefficient 1e-7 ;\n temperature 300 ;\n"
                 "dimensions :\n chip length 1000, width 1000 ;\n cell length 100, width 100 ;\n"
                 "die D :\n source 2 S ;\nstack:\n die X D floorplan \"nowhere.flp\" ;\n"
                 "solver:\n steady ;\n initial temperature 300 ;\n");
  CHECK_THROWS_WITH_AS(import_3dice(stk),
                       doctest::Contains("missing_flp.stk:13:20: error: cannot open the floorplan "
                                         "file 'nowhere.flp' of stack element X: tried "),
                       CaseError);
}

TEST_CASE("import 3dice: a stack at 0 W is warned, the transient note counts its slot") {
  const ImportResult r = import_3dice(kData + "3dice/nopower.stk");
  const CaseSpec spec = read_back(r);
  CHECK(total_power(spec) == 0);
  REQUIRE(r.warnings.size() == 1);
  CHECK(r.warnings[0].find("no floorplan element gives power values") != std::string::npos);
  CHECK(r.case_text.find("# warning:") == std::string::npos);
  CHECK(r.case_text.find("#   - warning: no floorplan element") != std::string::npos);
  CHECK(has_note(r, "up to 0.05 s (1 slot of 0.05 s)"));
  REQUIRE(spec.transient.has_value());
  CHECK(spec.transient->end_time_s == doctest::Approx(0.05).epsilon(1e-12));
}
