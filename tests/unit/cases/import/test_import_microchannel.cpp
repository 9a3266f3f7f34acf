/// \file
/// HotSpot microchannel layers through the importer (issue 22 §1): HotSpot's hydraulic model
/// (microchannel.c, hydroC and the pressure circuit) against hand calculations, the network
/// .csv read as straight parallel channels or refused at the offending cell naming why, and
/// HotSpot's shipped example5 imported as a [[cavities]] entry and solved with its coolant
/// energy-balanced.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "cases/import/import_hotspot.hpp"
#include "cases/import/import_hotspot_microchannel.hpp"
#include "cases/resolve/load_case.hpp"
#include "cases/run/build_problem.hpp"
#include "cases/run/cavity_coupling.hpp"
#include "cases/spec/case_error.hpp"
#include "solver/steady.hpp"
#include "tests/support/scratch_dir.hpp"

using namespace cposim;
using namespace cposim::cases;
using namespace cposim::cases::import_detail;
namespace fs = std::filesystem;

namespace {

const std::string kExample5 = std::string(CPOSIM_TEST_DATA) + "/import/hotspot_examples/example5/";

const fs::path& dir() {
  static const cposim::testing::ScratchDir scratch("test_import_microchannel");
  return scratch.path;
}

/// A network file of `rows` (a digit per cell; '-' for a TSV, -1) in HotSpot's ", " form.
std::string network(const std::string& name, const std::vector<std::string>& rows) {
  std::string text;
  for (const std::string& r : rows) {
    for (std::size_t j = 0; j < r.size(); ++j)
      text += (j ? ", " : "") + (r[j] == '-' ? std::string("-1") : std::string(1, r[j]));
    text += "\n";
  }
  const fs::path p = dir() / name;
  std::ofstream(p) << text;
  return p.string();
}

HotSpotFiles example5_files(const std::string& d) {
  HotSpotFiles f;
  f.lcf = d + "example.lcf";
  f.ptrace = d + "example.ptrace";
  f.config = d + "example.config";
  f.materials = d + "example.materials";
  return f;
}

}  // namespace

TEST_CASE("hotspot microchannels: hydroC and the channel flow against hand calculations") {
  // example5: 100 µm high cells 200 µm square, water µ = 8.89e-4 Pa s. By hand (h < w):
  // (1 - 0.63 * 100/200) * (100e-6)^3 * 200e-6 / (12 * 8.89e-4 * 200e-6)
  //   = 0.685 * 2e-16 / 2.1336e-6 = 6.421072366e-11 m³/(s Pa).
  const double link = hotspot_hydro_conductance(100e-6, 200e-6, 200e-6, 8.89e-4);
  CHECK(link == doctest::Approx(6.421072366e-11).epsilon(1e-9));
  // h == w: 0.42229 h⁴ / (12 µ L) = 0.42229 * 1.6e-15 / 2.1336e-6 = 3.166779153e-10.
  CHECK(hotspot_hydro_conductance(200e-6, 200e-6, 200e-6, 8.89e-4) ==
        doctest::Approx(3.166779153e-10).epsilon(1e-9));
  // h > w: the roles swap, (1 - 0.63 * 100/200) * (100e-6)^3 * 200e-6 / (12 µ * 100e-6).
  CHECK(hotspot_hydro_conductance(200e-6, 100e-6, 100e-6, 8.89e-4) ==
        doctest::Approx(1.284214473e-10).epsilon(1e-9));
  // A 39-cell channel at 52 kPa (ideal pump): 38 links in series, 52000 * link / 38
  // = 8.786730606e-8 m³/s; 19 channels 1.669478815e-6 m³/s = 0.1001687289 L/min.
  const double row = hotspot_row_flow_m3_per_s(52000, 0, link, 39);
  CHECK(row == doctest::Approx(8.786730606e-8).epsilon(1e-9));
  CHECK(19 * row * 60000 == doctest::Approx(0.1001687289).epsilon(1e-9));
  // A pump resistance of 1e12 Pa s/m³ per inlet cell in series: 52000 / (1e12 + 38 / link).
  CHECK(hotspot_row_flow_m3_per_s(52000, 1e12, link, 39) ==
        doctest::Approx(3.266739057e-8).epsilon(1e-9));
}

TEST_CASE("hotspot microchannels: example5's networks are straight parallel channels") {
  const ChannelNetwork h =
      read_network(kExample5 + "microchannel_geometries/horizontal.csv", 39, 39, "layer 1");
  CHECK(h.axis == 0);
  CHECK(h.sign == -1);  // inlets (2) in the last column, outlets (3) in the first
  CHECK(h.channels == 19);
  CHECK(h.cells_wide == 1);
  CHECK(h.cells_long == 39);
  CHECK(h.wall_cells == 1);
  CHECK(h.margin_low == 1);
  CHECK(h.margin_high == 1);
  const ChannelNetwork v =
      read_network(kExample5 + "microchannel_geometries/vertical.csv", 39, 39, "layer 1");
  CHECK(v.axis == 1);
  CHECK(v.sign == 1);  // inlets in the bottom row (y = 0), outlets in the top row
  CHECK(v.channels == 19);
  CHECK(v.cells_wide == 1);
  CHECK(v.wall_cells == 1);
  // Bands two cells wide at a pitch of three.
  const ChannelNetwork wide = read_network(
      network("wide.csv", {"21113", "21113", "00000", "21113", "21113"}), 5, 5, "layer 1");
  CHECK(wide.sign == 1);
  CHECK(wide.channels == 2);
  CHECK(wide.cells_wide == 2);
  CHECK(wide.wall_cells == 1);
}

TEST_CASE("hotspot microchannels: other networks are refused at the cell, naming why") {
  // Read as a grid of 5 columns and as many rows as given (`rows`: the grid's rows).
  const auto refused = [](const std::string& name, const std::vector<std::string>& cells, int rows,
                          const std::string& where, const std::string& why) {
    const std::string path = network(name, cells);
    CHECK_THROWS_WITH_AS(read_network(path, rows, 5, "layer 1 (x.lcf:8)"),
                         doctest::Contains((path + ":" + where + ": error: " + why).c_str()),
                         CaseError);
  };
  const std::string not_straight =
      "the microchannel network of layer 1 (x.lcf:8) is not straight parallel channels: ";
  // A bend: the channel turns down into the next row.
  refused("bend.csv", {"00000", "31111", "00001", "21111", "00000"}, 5, "2:13",
          not_straight +
              "row 2 has fluid but does not run from an inlet (2) at one edge to an "
              "outlet (3) at the other: its cell at the edge is fluid (1)");
  // An inlet inside the chip.
  refused("inner.csv", {"00000", "31212", "00000", "31112", "00000"}, 5, "2:7",
          not_straight + "this cell is an inlet (2) inside the row's channel, expected fluid (1)");
  // Two channels flowing against each other.
  refused("counter.csv", {"00000", "31112", "00000", "21113", "00000"}, 5, "4:1",
          not_straight + "this row's channel flows the other way than the ones before it");
  // Channels of two widths.
  refused("widths.csv", {"31112", "00000", "31112", "31112", "00000"}, 5, "3:1",
          not_straight + "this channel is 2 cells wide, the first 1");
  // Walls of two widths.
  refused("pitch.csv", {"31112", "00000", "31112", "00000", "00000", "31112", "00000"}, 7, "6:1",
          not_straight + "the wall before this channel is 2 cells wide, the first 1");
  // A TSV cell.
  refused("tsv.csv", {"00000", "31112", "0-000", "31112", "00000"}, 5, "3:4",
          "the microchannel network of layer 1 (x.lcf:8) has a TSV cell (-1)");
  // The wrong size for the grid.
  refused("small.csv", {"00000", "31112", "00000", "31112"}, 5, "4:1",
          "the microchannel network has 4 rows; expected 5 rows of 5 cells");
}

TEST_CASE("hotspot example5 (microchannel layer) imports as a [[cavities]] entry and solves") {
  const ImportResult r = import_hotspot(example5_files(kExample5));
  const CaseSpec spec = read_case_text(r.case_text, "imported.toml", dir().string());
  // The chip is the footprint, every layer a [[layers]] entry (the spreader and sink on top).
  CHECK(spec.package.footprint_m[0] == doctest::Approx(7.8e-3).epsilon(1e-12));
  REQUIRE(spec.layers.size() == 7);
  CHECK(spec.layers[1].name == "layer1");
  CHECK(spec.layers[1].thickness_m == doctest::Approx(100e-6).epsilon(1e-12));
  REQUIRE(spec.cavities.size() == 1);
  const CavitySpec& c = spec.cavities.front();
  CHECK(c.layer == "layer1");
  CHECK(c.model == CavityModel::four_resistor);
  CHECK(c.flow_direction == "-x");
  CHECK(*c.flow_L_per_min == doctest::Approx(0.1001687289).epsilon(1e-9));  // hand value above
  CHECK(c.channel_width_m == doctest::Approx(200e-6).epsilon(1e-12));
  // The solid margin rows (one at each edge) stay solid but for half a wall next to the first
  // and last channel: the cavity spans y = 100 µm … 7.7 mm (the 37 channel rows and half a
  // wall row either side) over the whole chip along the flow; pitch 7.6 mm / 19 = 400 µm, the
  // network's own (one channel, one wall cell of 200 µm).
  REQUIRE(c.has_extent);
  CHECK(c.origin_m[0] == 0.0);
  CHECK(c.origin_m[1] == doctest::Approx(100e-6).epsilon(1e-12));
  CHECK(c.size_m[0] == doctest::Approx(7.8e-3).epsilon(1e-12));
  CHECK(c.size_m[1] == doctest::Approx(7.6e-3).epsilon(1e-12));
  CHECK(c.channel_width_m + c.wall_width_m == doctest::Approx(400e-6).epsilon(1e-12));
  CHECK(*c.h_top_W_per_m2K == 27132);
  CHECK(*c.h_bottom_W_per_m2K == 27132);
  CHECK(*c.h_side_W_per_m2K == 27132);
  CHECK(*c.rho_cp_J_per_m3K == 4172638);  // the materials file's water
  CHECK(c.inlet_T_K == 298.15);           // -inlet_temperature

  // Solved with the coolant march: the 32.7 W leave through the coolant (the 'none' sink on
  // top conducts 1e-5 W/(m K)), so the outlet rises by P / (ṁ cp) = 32.7 / (4172638 x
  // 1.669478815e-6) = 4.694141 K.
  BuiltProblem built = build_problem(spec);
  CavityCoupling coupling(spec, built);
  solver::SteadyOptions options = built.solver_options;
  options.picard_tolerance_K = 1e-10;
  options.max_picard_iterations = 300;
  options.linear.relative_tolerance = 1e-12;
  solver::SteadySolver steady(*built.grid, options);
  std::vector<double> T_K;
  const auto report = steady.solve(built.problem(), T_K, coupling.hook());
  REQUIRE(report.converged);
  CHECK(report.energy.relative <= 1e-9);
  const auto results = coupling.results(T_K);
  REQUIRE(results.size() == 1);
  CHECK(results.front().energy_mismatch <= 1e-9);
  MESSAGE("outlet rise " << results.front().delta_T_K << " K, heat " << results.front().heat_W);
  CHECK(results.front().heat_W == doctest::Approx(32.7).epsilon(1e-6));
  CHECK(results.front().delta_T_K == doctest::Approx(4.694141).epsilon(1e-6));
}

TEST_CASE("hotspot example5 with a bent network is refused at the network's cell") {
  const fs::path d = dir() / "example5_bent";
  fs::remove_all(d);
  fs::copy(kExample5, d, fs::copy_options::recursive);
  // Row 3 of horizontal.csv (a wall) gets a fluid cell joining channels 1 and 2.
  const fs::path csv = d / "microchannel_geometries" / "horizontal.csv";
  std::ifstream in(csv);
  std::string text, line;
  for (int i = 0; std::getline(in, line); ++i)
    text += (i == 2 ? "1" + line.substr(1) : line) + "\n";
  in.close();
  std::ofstream(csv) << text;
  CHECK_THROWS_WITH_AS(
      import_hotspot(example5_files(d.string() + "/")),
      doctest::Contains(("horizontal.csv:3:1: error: the microchannel network of layer 1 (" +
                         d.string() +
                         "/example.lcf:38) is not straight parallel channels: row 3 has fluid "
                         "but does not run from an inlet (2) at one edge to an outlet (3)")
                            .c_str()),
      CaseError);
}

TEST_CASE("hotspot example5 with --hotspot-capacitance-factor keeps the coolant's c_v") {
  HotSpotOptions options;
  options.transient = true;
  options.capacitance_factor = 0.333;
  const ImportResult r = import_hotspot(example5_files(kExample5), options);
  const CaseSpec spec = read_case_text(r.case_text, "imported.toml", dir().string());
  REQUIRE(spec.cavities.size() == 1);
  CHECK(*spec.cavities.front().rho_cp_J_per_m3K == 4172638);  // also sets m cp: not scaled
  bool noted = false;
  for (const std::string& n : r.notes)
    noted = noted || n.find("layer1: the coolant's c_v is not scaled") != std::string::npos;
  CHECK(noted);
}

TEST_CASE("hotspot -use_microfluidic_cooling (not a HotSpot 7 option) is noted, not refused") {
  std::ifstream in(kExample5 + "example.config");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string key = "-use_microfluidic_cooling 0";
  REQUIRE(text.find(key) != std::string::npos);
  text.replace(text.find(key), key.size(), "-use_microfluidic_cooling 1");
  const fs::path config = dir() / "microfluidic.config";
  std::ofstream(config) << text;
  HotSpotFiles files = example5_files(kExample5);
  files.config = config.string();
  const ImportResult r = import_hotspot(files);
  bool noted = false;
  for (const std::string& n : r.notes)
    noted = noted || n.find("-use_microfluidic_cooling 1 is not read by HotSpot 7") == 0;
  CHECK(noted);
}
