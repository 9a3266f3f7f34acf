/// \file
/// Every example case parses (aesthetics.md rule 9), builds, and has the size it promises.
#include <doctest/doctest.h>

#include <filesystem>
#include <numeric>
#include <string>
#include <vector>

#include "cases/resolve/load_case.hpp"
#include "cases/run/build_problem.hpp"
#include "cases/sweep/sweep_reader.hpp"
#include "solver/steady.hpp"

namespace fs = std::filesystem;
using namespace cposim::cases;

namespace {

fs::path examples_dir() { return fs::path(CPOSIM_SOURCE_DIR) / "cases" / "examples"; }

double total_power_W(const BuiltProblem& p) {
  return std::accumulate(p.cell_power_W.begin(), p.cell_power_W.end(), 0.0);
}

}  // namespace

TEST_CASE("every example case file passes read_case") {
  int parsed = 0;
  for (const auto& entry : fs::directory_iterator(examples_dir())) {
    if (entry.path().extension() != ".toml") continue;
    CAPTURE(entry.path().filename().string());
    if (is_sweep_only_file(entry.path().string())) {  // [sweep] + base_case: every point is read
      CHECK_NOTHROW(expand_sweep(read_sweep(entry.path().string())));
      continue;
    }
    CHECK_NOTHROW(read_case(entry.path().string()));
    ++parsed;
  }
  CHECK(parsed >= 2);
}

TEST_CASE("small_stack.toml: a few thousand cells, solves quickly with a closed energy balance") {
  const auto spec = read_case((examples_dir() / "small_stack.toml").string());
  const auto built = build_problem(spec);
  const std::size_t cells = built.grid->num_cells();
  MESSAGE("small_stack: " << cells << " cells");
  CHECK(cells >= 1000);
  CHECK(cells <= 10000);
  CHECK(total_power_W(built) == doctest::Approx(3.0).epsilon(1e-12));
  REQUIRE(built.power_maps.size() == 1);
  CHECK(built.power_maps[0].file_total == 22.0);

  std::vector<double> T_K;
  const auto report = cposim::solver::solve_steady(built.problem(), built.solver_options, T_K);
  MESSAGE("small_stack: " << report.picard_iterations << " Picard steps, energy imbalance "
                          << report.energy.relative);
  CHECK(report.converged);
  CHECK(report.energy.relative < 1e-8);
}

TEST_CASE("cpo_102t_2p5d.toml: 1440 W on a grid of 0.5 to 1.5 million cells") {
  const auto spec = read_case((examples_dir() / "cpo_102t_2p5d.toml").string());
  const auto built = build_problem(spec);
  const auto n = built.grid->cells_per_axis();
  MESSAGE("cpo_102t_2p5d: " << n[0] << " x " << n[1] << " x " << n[2] << " = "
                            << built.grid->num_cells() << " cells");
  CHECK(built.grid->num_cells() >= 500000);
  CHECK(built.grid->num_cells() <= 1500000);
  CHECK(total_power_W(built) == doctest::Approx(800.0 + 16 * 40.0).epsilon(1e-12));
  // Every layer and block keeps cells after painting (none is hidden by a later one); the
  // fill has none, since the lid's cavity block paints the air explicitly.
  std::vector<std::size_t> cells_of(built.regions.size(), 0);
  for (auto r : built.region_of_cell) ++cells_of[static_cast<std::size_t>(r)];
  for (std::size_t r = 1; r < built.regions.size(); ++r) {
    CAPTURE(built.regions[r].name);
    CHECK(cells_of[r] > 0);
  }
}

TEST_CASE("cpo_102t_2p5d.toml is a true 102.4T: 16 engines x (32 Tx + 32 Rx) rings, 1024 lanes") {
  // 6.4T per engine = 32 × 200G (issue 23): 32 modulator and 32 filter rings, 64 lanes each.
  const auto spec = read_case((examples_dir() / "cpo_102t_2p5d.toml").string());
  int tx = 0, rx = 0, lanes = 0;
  for (const auto& r : spec.photonics.rings) (r.role == "filter" ? rx : tx) += r.count;
  for (const auto& g : spec.electrical.lane_groups) lanes += g.count;
  CHECK(tx == 16 * 32);
  CHECK(rx == 16 * 32);
  CHECK(lanes == 16 * 64);
}

TEST_CASE("cpo_51t_2p5d.toml: 51.2T, 500 W ASIC + 8 engines of 6.4T (512 rings, 512 lanes)") {
  const auto spec = read_case((examples_dir() / "cpo_51t_2p5d.toml").string());
  const auto built = build_problem(spec);
  CHECK(built.grid->num_cells() <= 1500000);
  CHECK(total_power_W(built) == doctest::Approx(500.0 + 8 * 40.0).epsilon(1e-12));
  int rings = 0, lanes = 0;
  for (const auto& r : spec.photonics.rings) rings += r.count;
  for (const auto& g : spec.electrical.lane_groups) lanes += g.count;
  CHECK(rings == 8 * 64);
  CHECK(lanes == 8 * 64);
}

TEST_CASE("cpo_102t_coldplate.toml: the plate covers exactly its 100 x 100 mm of the lid") {
  const auto spec = read_case((examples_dir() / "cpo_102t_coldplate.toml").string());
  const auto built = build_problem(spec);
  REQUIRE(spec.cold_plates.size() == 1);
  const auto& g = *built.grid;
  const auto& h = built.face_h_W_per_m2K[5];  // top: x fastest
  REQUIRE(h.size() == g.cells_per_axis()[0] * g.cells_per_axis()[1]);
  // The plate's edges are grid planes, so the cells under it add up to its area exactly (to
  // rounding); the 5 mm rim outside keeps the face's adiabatic default (h = 0).
  double plate_area = 0.0, h_plate = 0.0;
  for (std::size_t j = 0; j < g.cells_per_axis()[1]; ++j)
    for (std::size_t i = 0; i < g.cells_per_axis()[0]; ++i) {
      const double hc = h[i + g.cells_per_axis()[0] * j];
      if (hc == 0.0) continue;
      h_plate = hc;
      plate_area += g.width(0, i) * g.width(1, j);
    }
  CHECK(plate_area == doctest::Approx(0.1 * 0.1).epsilon(1e-12));
  MESSAGE("cpo_102t_coldplate: h under the plate " << h_plate << " W/(m² K)");
  CHECK(h_plate > 1e4);  // physics.md §4.3: 1e4–5e4 for microchannel plates
  CHECK(h_plate < 5e4);
}

TEST_CASE("cpo_workload_step.toml: a transient ASIC step 400 -> 800 W on a coarse flagship grid") {
  const auto spec = read_case((examples_dir() / "cpo_workload_step.toml").string());
  REQUIRE(spec.transient);
  CHECK(spec.transient->initial == InitialState::steady);
  CHECK(spec.transient->output_times_s.size() == 13);  // tests/CMakeLists.txt expects 13 steps
  CHECK(spec.photonics.empty());
  const auto built = build_problem(spec);
  MESSAGE("cpo_workload_step: " << built.grid->num_cells() << " cells");
  CHECK(built.grid->num_cells() <= 100000);  // small enough to run in about a minute
  CHECK(total_power_W(built) == doctest::Approx(800.0 + 16 * 40.0).epsilon(1e-12));
  int waveforms = 0;
  for (const auto& b : spec.blocks) waveforms += b.power_waveform ? 1 : 0;
  CHECK(waveforms == 1);
}
