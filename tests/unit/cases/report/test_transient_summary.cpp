/// \file
/// Issue 18 items 3 and 4: the solver's reference temperature is weighted by conductance
/// (a face with tiny h and a far ambient does not move it), and a transient summary reports
/// the cumulative energy accounting as the run's figure, the instantaneous one separately.
/// Issue 19 §1: a transient run's final state has no heater power "without feedback".
#include <doctest/doctest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "cases/read/json_reader.hpp"
#include "cases/report/run_and_report.hpp"
#include "cases/report/summary_text.hpp"
#include "cases/resolve/load_case.hpp"
#include "cases/run/run_case.hpp"
#include "cases/run/run_transient.hpp"
#include "solver/steady.hpp"
#include "tests/support/owned_problem.hpp"
#include "tests/support/scratch_dir.hpp"

namespace fs = std::filesystem;
using namespace cposim;
using namespace cposim::cases;

namespace {

struct TempDir : cposim::testing::ScratchDir {
  explicit TempDir(const std::string& name) : ScratchDir("transient_summary_" + name) {}
};

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// Runs the case `text` through run_and_report into dir/out; it must end ok as a transient run.
RunSummary run_transient_text(const TempDir& dir, const std::string& text) {
  const CaseSpec spec = read_case_text(text, (dir.path / "c.toml").string(), dir.path.string());
  RunOptions options;
  options.out_dir = (dir.path / "out").string();
  RunSummary summary = run_and_report(spec, options);
  REQUIRE(summary.transient);
  REQUIRE(summary.outcome() == RunOutcome::ok);
  return summary;
}

}  // namespace

TEST_CASE("reference temperature: weighted by conductance, a tiny-h far ambient barely moves it") {
  // 1 × 1 mm, 0.5 mm of k = 100: top h = 1e4 to 300 K; bottom h = 1e-6 to 1e6 K (a flux of
  // about 1 W/m² imposed through a near-zero film). Area-weighted, the reference was ~5e5 K.
  testing::OwnedProblem p(testing::stretched_nodes(0, 1e-3, 4),
                          testing::stretched_nodes(0, 1e-3, 4),
                          testing::stretched_nodes(0, 0.5e-3, 5));
  p.materials.push_back(testing::make_material(100, 100, 100));
  p.boundaries[4] = {solver::BoundaryKind::convection, 1e-6, 1e6, 0};
  p.boundaries[5] = {solver::BoundaryKind::convection, 1e4, 300, 0};
  const double ref = solver::boundary_reference_temperature(p.view());
  // Exact conductance weighting: G = A/(d/2k + 1/h) per face, d = 0.1 mm.
  const double A = 1e-6, d = 0.1e-3;
  const double G_top = A / (0.5 * d / 100 + 1.0 / 1e4), G_bot = A / (0.5 * d / 100 + 1.0 / 1e-6);
  CHECK(ref == doctest::Approx((G_top * 300 + G_bot * 1e6) / (G_top + G_bot)).epsilon(1e-12));
  CHECK(std::fabs(ref - 300.0) < 1e-3);
  // The steady solve from the default start closes its energy balance.
  p.power_W.assign(p.grid->num_cells(), 1e-3);
  std::vector<double> T;
  const auto r = solver::solve_steady(
      p.view(), testing::options_for(solver::LinearSolverKind::gmg_cg, 1e-12), T);
  REQUIRE(r.converged);
  CHECK(r.energy.relative <= 1e-8);
}

TEST_CASE("transient summary: the run's energy figure is the cumulative accounting") {
  // A Cu block under a film, 20 ms into a 2 W step: far from steady (the instantaneous
  // imbalance is most of the power), while the run's accounting closes to round-off.
  const TempDir dir("cumulative");
  const std::string text =
      "[package]\nfootprint_um = [2000, 2000]\n"
      "[[blocks]]\nname = \"block\"\nmaterial = \"Cu\"\norigin_um = [0, 0, 0]\n"
      "size_um = [2000, 2000, 500]\npower_W = 2\n"
      "[grid]\nmax_cell_xy_um = 500\nmax_cell_z_um = 125\n"
      "[solver]\nlinear_solver = \"direct\"\nrelative_tolerance = 1e-13\n"
      "[boundary.top]\ntype = \"convection\"\nh_W_per_m2K = 1e4\nT_ambient_K = 300\n"
      "[transient]\nend_time_s = 0.02\noutput_interval_s = 0.01\ninitial_T_K = 300\n";
  const RunSummary summary = run_transient_text(dir, text);
  const auto& rep = summary.transient->report;
  MESSAGE("cumulative " << rep.energy_relative << ", instantaneous "
                        << summary.solve.energy.relative);
  CHECK(rep.energy_relative <= 1e-9);
  CHECK(summary.solve.energy.relative > 0.5);  // most of the power still goes into storage
  CHECK(summary.energy_relative() == rep.energy_relative);
  const JsonValue doc = parse_json(read_text(dir.path / "out" / "summary.json"));
  const JsonValue& e = doc.at("energy_balance");
  CHECK(e.at("basis").text == "transient_cumulative");
  CHECK(e.at("relative").number == rep.energy_relative);
  CHECK(e.at("instantaneous_relative").number == summary.solve.energy.relative);
  CHECK(format_summary(summary).find("energy balance of the run (in - out - stored)") !=
        std::string::npos);
}

TEST_CASE("transient photonics: the heater power without feedback is n/a, not 0, in every report") {
  // No field without heater heat exists after a history of it, so the final-state report
  // must not quote one (it printed 0): NaN in the report, "n/a in a transient run" on stdout
  // (headline and photonics block, bank table "n/a") and in report.html, null in summary.json.
  const TempDir dir("open_loop");
  const std::string text =
      "[package]\nfootprint_um = [1000, 1000]\n"
      "[[layers]]\nname = \"base\"\nmaterial = \"Si\"\nthickness_um = 150\npower_W = 0.05\n"
      "[grid]\nmax_cell_xy_um = 250\nmax_cell_z_um = 75\n"
      "[solver]\nlinear_solver = \"direct\"\n"
      "[boundary.top]\ntype = \"convection\"\nh_W_per_m2K = 2e4\nT_ambient_K = 300\n"
      "[[rings]]\nname = \"solo\"\ncenter_um = [500, 500, 100]\nlambda0_nm = 1310\n"
      "target_nm = 1311\ndrift_pm_per_K = 80\n"
      "[transient]\nend_time_s = 0.004\noutput_interval_s = 0.002\n";
  const RunSummary summary = run_transient_text(dir, text);
  REQUIRE(summary.photonics);
  const auto& p = *summary.photonics;
  CHECK(p.total_heater_W > 0.0);
  CHECK(std::isnan(p.open_loop_heater_W));
  for (const auto& r : p.rings) CHECK(std::isnan(r.open_loop_heater_W));
  for (const auto& b : p.banks) CHECK(std::isnan(b.open_loop_heater_W));
  const std::string out = format_summary(summary);
  CAPTURE(out);
  std::size_t na = 0;
  for (auto at = out.find("without feedback n/a in a transient run"); at != std::string::npos;
       at = out.find("without feedback n/a in a transient run", at + 1))
    ++na;
  CHECK(na == 2);  // the headline and the photonics block
  CHECK(out.find(" W without") == std::string::npos);
  CHECK(out.find("mW without") == std::string::npos);
  CHECK(out.find("nan") == std::string::npos);
  const auto bank_row = out.find("\nsolo ");
  REQUIRE(bank_row != std::string::npos);
  CHECK(out.substr(bank_row, out.find('\n', bank_row + 1) - bank_row).find(" n/a ") !=
        std::string::npos);
  const JsonValue doc = parse_json(read_text(dir.path / "out" / "summary.json"));
  CHECK(doc.at("headline").at("heater_open_loop_W").kind == JsonValue::Kind::null);
  CHECK(doc.at("photonics").at("open_loop_heater_W").kind == JsonValue::Kind::null);
  CHECK(doc.at("headline").at("heater_W").number == p.total_heater_W);
  const std::string html = read_text(dir.path / "out" / "report.html");
  CHECK(html.find("without feedback n/a in a transient run") != std::string::npos);
  CHECK(html.find("without feedback 0") == std::string::npos);
}
