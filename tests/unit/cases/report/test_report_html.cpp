/// \file
/// report.html: base64 against RFC 4648's test vectors, escaping, pass/fail colouring, the
/// embedded maps, and the file written by a real run (self-contained, no temporary left).
#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

#include "cases/report/report_html.hpp"
#include "cases/report/run_and_report.hpp"
#include "cases/report/summary_text.hpp"
#include "cases/resolve/load_case.hpp"
#include "cases/run/run_case.hpp"
#include "postproc/plots/raster_image.hpp"
#include "tests/support/scratch_dir.hpp"

using namespace cposim::cases;
namespace fs = std::filesystem;

namespace {

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

struct TempDir : cposim::testing::ScratchDir {
  TempDir() : ScratchDir("report_html") {}
};

}  // namespace

TEST_CASE("base64 matches the RFC 4648 test vectors") {
  CHECK(base64("") == "");
  CHECK(base64("f") == "Zg==");
  CHECK(base64("fo") == "Zm8=");
  CHECK(base64("foo") == "Zm9v");
  CHECK(base64("foob") == "Zm9vYg==");
  CHECK(base64("fooba") == "Zm9vYmE=");
  CHECK(base64("foobar") == "Zm9vYmFy");
  CHECK(base64(std::string("\xff\x00\x80", 3)) == "/wCA");
}

TEST_CASE("report_html escapes text and colours limits by verdict") {
  RunSummary s;
  s.title = "<script>alert('x')</script> & co";
  s.solve.converged = true;
  cposim::postproc::RegionStatistics hot;
  hot.name = "pic";
  hot.T_max_K = 370.0;
  hot.num_cells = 4;
  cposim::postproc::RegionStatistics cool = hot;
  cool.name = "asic";
  s.regions = {hot, cool};
  s.limits.regions.push_back({"pic", "pic", "role", 358.15, 370.0, -11.85, false});
  s.limits.regions.push_back({"asic", "asic", "role", 378.15, 370.0, 8.15, true});
  const std::string html = report_html(s, "2026-01-01 00:00:00 UTC");
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(html.find("<script>") == std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co") != std::string::npos);
  CHECK(html.find("2026-01-01 00:00:00 UTC") != std::string::npos);
  CHECK(count(html, "<tr class=\"fail\"><td>pic</td>") == 1);
  CHECK(count(html, "<tr class=\"pass\"><td>asic</td>") == 1);
  CHECK(html.find("Temperature limits: 1 FAIL") != std::string::npos);
  // Self-contained: nothing is fetched from elsewhere.
  CHECK(html.find("http") == std::string::npos);
  CHECK(html.find("<link") == std::string::npos);
  CHECK(html.find("src=\"data:image/png;base64,") == std::string::npos);  // no maps given
}

TEST_CASE("report_html embeds each map as a data URI and names an unreadable one") {
  const TempDir dir;
  const fs::path png = dir.path / "map_top.png";
  std::ofstream(png, std::ios::binary) << std::string("\x89PNG\r\n\x1a\n", 8);
  RunSummary s;
  s.map_png_paths = {png.string(), (dir.path / "map_missing.png").string()};
  const std::string html = report_html(s, "now");
  CHECK(html.find("src=\"data:image/png;base64,iVBORw0KGgo=\"") != std::string::npos);
  CHECK(html.find("map map_missing.png could not be read") != std::string::npos);
}

TEST_CASE("run_case writes report.html beside results.h5") {
  const TempDir dir;
  const auto spec =
      read_case((fs::path(CPOSIM_SOURCE_DIR) / "cases" / "examples" / "small_stack.toml").string());
  RunOptions options;
  options.out_dir = dir.path.string();
  const RunSummary summary = run_and_report(spec, options);
  REQUIRE(summary.outcome() == RunOutcome::ok);
  CHECK(summary.report_html_path == (dir.path / "report.html").string());
  std::ifstream in(summary.report_html_path, std::ios::binary);
  REQUIRE(in);
  std::ostringstream text;
  text << in.rdbuf();
  const std::string html = text.str();
  CHECK(html.find(spec.title) != std::string::npos);
  CHECK(html.find("Energy balance") != std::string::npos);
  CHECK(html.find("Hot spots") != std::string::npos);
  CHECK(html.find("</html>") != std::string::npos);
  for (const auto& map : summary.map_png_paths)
    CHECK_MESSAGE(html.find(fs::path(map).filename().string()) != std::string::npos, map);
  for (const auto& entry : fs::directory_iterator(dir.path))
    CHECK_MESSAGE(entry.path().filename().string().find(".tmp-") == std::string::npos,
                  entry.path());
}

namespace {

/// A steady summary with nothing optional: the sections below must stay out of it.
RunSummary plain_summary() {
  RunSummary s;
  s.title = "plain";
  s.solve.converged = true;
  return s;
}

ColdPlateResult plate_result(const std::string& name, double mismatch) {
  ColdPlateResult p;
  p.name = name;
  p.coolant = "water";
  p.inlet_T_K = 308.15;
  p.outlet_T_K = 318.15;
  p.delta_T_K = 10.0;
  p.heat_W = 1234.0;
  p.flow_L_per_min = 2.0;
  p.film.h_W_per_m2K = 2.5e4;
  p.energy_mismatch = mismatch;
  return p;
}

}  // namespace

TEST_CASE("report_html: optional physics sections are absent without their data") {
  const std::string html = report_html(plain_summary(), "now");
  CHECK(html.find("<h2>Cold plates</h2>") == std::string::npos);
  CHECK(html.find("<h2>Temperature-dependent block power</h2>") == std::string::npos);
  CHECK(html.find("<h2>Transient</h2>") == std::string::npos);
  CHECK(html.find("nonlinear residual") == std::string::npos);  // a linear solve
  CHECK(html.find("RUNAWAY") == std::string::npos);
}

TEST_CASE("report_html: nonlinear residual and Picard change in the solver table") {
  RunSummary s = plain_summary();
  s.solve.nonlinear_residual = 3.25e-11;
  s.solve.last_change_K = 4.5e-7;
  s.solve.picard_iterations = 7;
  std::string html = report_html(s, "now");
  CHECK(html.find("<tr><td>Picard steps</td><td>7</td></tr>") != std::string::npos);
  CHECK(html.find("<tr class=\"pass\"><td>nonlinear residual") != std::string::npos);
  CHECK(html.find("<td>3.250e-11</td>") != std::string::npos);
  CHECK(html.find("<tr class=\"pass\"><td>last Picard change K</td><td>4.500e-07</td>") !=
        std::string::npos);
  s.solve.converged = false;
  html = report_html(s, "now");
  CHECK(html.find("<tr class=\"fail\"><td>nonlinear residual") != std::string::npos);
}

TEST_CASE("report_html: cold plates with channel numbers, closure verdicts and coolant maps") {
  const TempDir dir;
  RunSummary s = plain_summary();
  s.max_energy_imbalance = 1e-6;
  ColdPlateResult good = plate_result("lid", 2e-9);
  cposim::solver::ChannelHeatTransfer channels;
  channels.reynolds = 263.8;
  channels.prandtl = 5.02;
  channels.nusselt = 6.05;
  good.film.channels = channels;
  s.cold_plates = {good, plate_result("side", 5e-3)};
  const fs::path png = dir.path / "coolant_lid.png";
  std::ofstream(png, std::ios::binary) << std::string("\x89PNG\r\n\x1a\n", 8);
  const fs::path other = dir.path / "map_top.png";
  std::ofstream(other, std::ios::binary) << std::string("\x89PNG\r\n\x1a\n", 8);
  s.map_png_paths = {other.string(), png.string()};
  const std::string html = report_html(s, "now");
  CHECK(html.find("<h2>Cold plates</h2>") != std::string::npos);
  CHECK(count(html, "<tr class=\"pass\"><td>lid</td><td>top</td><td>water</td><td>35.00</td>") ==
        1);
  CHECK(html.find("<td>263.8</td><td>5.02</td><td>6.05</td><td>1234</td><td>45.00</td>"
                  "<td>10.000</td><td>2.00e-09</td><td>pass</td>") != std::string::npos);
  CHECK(count(html, "<tr class=\"fail\"><td>side</td>") == 1);
  CHECK(html.find("<td>5.00e-03</td><td>FAIL</td>") != std::string::npos);
  // The coolant map sits in the cold-plate section, once; the other map is the dashboard's
  // main map, once; the coolant outlet is a headline figure.
  CHECK(count(html, "alt=\"coolant_lid.png\"") == 1);
  CHECK(count(html, "alt=\"map_top.png\"") == 1);
  const auto dashboard_at = html.find("<section id=\"dashboard\">");
  const auto plates_at = html.find("<h2>Cold plates</h2>");
  REQUIRE(dashboard_at != std::string::npos);
  CHECK(dashboard_at < html.find("alt=\"map_top.png\""));
  CHECK(html.find("alt=\"map_top.png\"") < html.find("</section>"));
  CHECK(html.find("<div class=\"label\">coolant outlet</div>") < html.find("</section>"));
  CHECK(plates_at < html.find("alt=\"coolant_lid.png\""));
}

TEST_CASE("report_html opens with the dashboard: verdicts, binding items, totals, main map") {
  // Issue 23 item 10: the design answer first, the tables and solver details after it.
  const TempDir dir;
  RunSummary s = plain_summary();
  s.limits.regions.push_back({"asic", "asic", "role", 378.15, 380.15, -2.0, false});
  s.limits.regions.push_back({"hbm", "hbm", "role", 368.15, 350.0, 18.15, true});
  s.limits.banks.push_back({"tx", 8, 1.5, 5.0, 3.5, true});
  const fs::path png = dir.path / "map_top.png";
  std::ofstream(png, std::ios::binary) << std::string("\x89PNG\r\n\x1a\n", 8);
  s.map_png_paths = {png.string()};
  const std::string html = report_html(s, "now");
  const auto dashboard_at = html.find("<section id=\"dashboard\">");
  const auto dashboard_end = html.find("</section>");
  REQUIRE(dashboard_at != std::string::npos);
  CHECK(html.find("<h2>") > dashboard_end);  // every other section follows it
  CHECK(html.find("Design FAILS: 1 of 3 checks") < dashboard_end);
  CHECK(html.find("<tr class=\"fail\"><td>temperature limits</td><td>FAIL</td><td>2</td><td>1</td>"
                  "<td title=\"T_max 107.00 °C, limit 105.00 °C\">asic") < dashboard_end);
  CHECK(html.find("<td>-2 K</td>") < dashboard_end);
  CHECK(html.find("<tr class=\"pass\"><td>ring-bank spread</td><td>pass</td>") < dashboard_end);
  CHECK(html.find("<div class=\"label\">package power</div>") < dashboard_end);
  CHECK(html.find("alt=\"map_top.png\"") < dashboard_end);
  CHECK(count(html, "alt=\"map_top.png\"") == 1);
}

TEST_CASE("report_html: leakage blocks, and a red banner for a runaway") {
  RunSummary s = plain_summary();
  LeakageReport l;
  l.updates = 6;
  l.runaway_T_K = 473.15;
  l.blocks.push_back({"asic", "leakage", "max", 360.0, 800.0, 95.5, 895.5, 895.5});
  s.leakage = l;
  std::string html = report_html(s, "now");
  CHECK(html.find("<h2>Temperature-dependent block power</h2>") != std::string::npos);
  CHECK(html.find("<div class=\"banner pass\">Leakage settled: 6 power update(s)") !=
        std::string::npos);
  CHECK(html.find("<tr class=\"pass\"><td>asic</td><td>leakage</td><td>max</td><td>86.85</td>"
                  "<td>800</td><td>95.5</td><td>895.5</td>") != std::string::npos);
  CHECK(html.find("RUNAWAY") == std::string::npos);

  s.leakage->runaway = true;
  s.leakage->message = "thermal runaway: 'asic' at 201 °C > runaway_T_K";
  html = report_html(s, "now");
  CHECK(html.find("<div class=\"banner fail\">THERMAL RUNAWAY: &#39;asic&#39; at 201 °C") !=
        std::string::npos);
  CHECK(html.find("<tr class=\"fail\"><td>asic</td>") != std::string::npos);
  CHECK(html.find("<div class=\"banner fail\">Solve: FAILED") != std::string::npos);
}

TEST_CASE("report_html: transient steps, Δt range, energy verdict and the history plot") {
  const TempDir dir;
  RunSummary s = plain_summary();
  s.max_energy_imbalance = 1e-6;
  TransientSummary t;
  t.report.completed = true;
  t.report.scheme = "bdf2";
  t.report.steps = 58;
  t.report.rejected_steps = 4;
  t.report.dt_smallest_s = 1e-4;
  t.report.dt_largest_s = 0.125;
  t.report.t_reached_s = 3.0;
  t.report.energy_in_J = 3000.0;
  t.report.heat_out_J = 2000.0;
  t.report.stored_change_J = 1000.0;
  t.report.energy_relative = 2e-9;
  t.end_time_s = 3.0;
  t.initial = "steady";
  t.times_s = {0.0, 1.0, 2.0};
  t.probe_names = {"junction"};
  t.probe_T_K = {{340.0, 370.0, 360.0}};
  s.transient = t;
  s.history_png_path = (dir.path / "history.png").string();
  std::ofstream(s.history_png_path, std::ios::binary) << std::string("\x89PNG\r\n\x1a\n", 8);
  std::string html = report_html(s, "now");
  CHECK(html.find("<h2>Transient</h2>") != std::string::npos);
  CHECK(html.find("<div class=\"banner pass\">Time integration: completed at t = 3 s of 3 s") !=
        std::string::npos);
  CHECK(html.find("<td>scheme</td><td>bdf2, adaptive</td>") != std::string::npos);
  CHECK(html.find("<td>steps</td><td>58</td>") != std::string::npos);
  CHECK(html.find("<td>rejected steps</td><td>4</td>") != std::string::npos);
  CHECK(html.find("<td>Δt range s</td><td>0.0001 … 0.125</td>") != std::string::npos);
  CHECK(html.find("<tr class=\"pass\"><td>3000</td><td>2000</td><td>1000</td>") !=
        std::string::npos);
  // The probe peaks at t = 1 s, 96.85 °C.
  CHECK(html.find("<td>junction</td><td>66.85</td><td>86.85</td><td>96.85</td><td>1</td>") !=
        std::string::npos);
  CHECK(html.find("alt=\"history.png\" src=\"data:image/png;base64,iVBORw0KGgo=\"") !=
        std::string::npos);

  s.transient->report.completed = false;
  s.transient->report.failure = "step below dt_min";
  s.transient->report.energy_relative = 3e-4;
  html = report_html(s, "now");
  CHECK(html.find("<div class=\"banner fail\">Time integration: STOPPED: step below dt_min") !=
        std::string::npos);
  CHECK(html.find("<tr class=\"fail\"><td>3000</td>") != std::string::npos);
}

TEST_CASE("run_case: coolant map and history plot beside results.h5, listed and embedded") {
  const TempDir dir;
  const std::string base =
      "[package]\nfootprint_um = [2000, 1000]\n"
      "[[layers]]\nname = \"slab\"\nmaterial = \"Cu\"\nthickness_um = 200\n"
      "[[blocks]]\nname = \"die\"\nmaterial = \"Si\"\norigin_um = [500, 250, 0]\n"
      "size_um = [500, 500, 100]\npower_W = 2\n"
      "[grid]\nmax_cell_xy_um = 250\nmax_cell_z_um = 100\n";
  SUBCASE("a cold plate: coolant_<plate>.png in map_png_paths and in the cold-plate section") {
    const auto spec =
        read_case_text(base +
                           "[[cold_plates]]\nname = \"cp\"\nface = \"top\"\norigin_um = [0, 0]\n"
                           "size_um = [2000, 1000]\ncoolant = \"water\"\ninlet_T_K = 300\n"
                           "flow_L_per_min = 0.001\nflow_direction = \"+x\"\nh_W_per_m2K = 1e4\n",
                       (dir.path / "cp.toml").string(), dir.path.string());
    RunOptions options;
    options.out_dir = (dir.path / "cp").string();
    const RunSummary s = run_and_report(spec, options);
    REQUIRE(s.outcome() == RunOutcome::ok);
    const std::string png = (dir.path / "cp" / "coolant_cp.png").string();
    REQUIRE(fs::exists(png));
    CHECK(std::count(s.map_png_paths.begin(), s.map_png_paths.end(), png) == 1);
    CHECK(s.history_png_path.empty());
    CHECK(format_summary(s).find("map: " + png) != std::string::npos);
    std::ifstream in(s.report_html_path);
    const std::string html((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(html.find("<h2>Cold plates</h2>") != std::string::npos);
    CHECK(count(html, "alt=\"coolant_cp.png\"") == 1);
  }
  SUBCASE("a transient run: history.png, and the transient section embeds it") {
    const auto spec = read_case_text(
        base +
            "[boundary.top]\ntype = \"convection\"\nh_W_per_m2K = 1e4\nT_ambient_K = 300\n"
            "[transient]\nend_time_s = 0.02\noutput_times_s = [0.005, 0.01]\n"
            "initial_T_K = 300\n",
        (dir.path / "tr.toml").string(), dir.path.string());
    RunOptions options;
    options.out_dir = (dir.path / "tr").string();
    const RunSummary s = run_and_report(spec, options);
    REQUIRE(s.outcome() == RunOutcome::ok);
    CHECK(s.history_png_path == (dir.path / "tr" / "history.png").string());
    CHECK(cposim::postproc::read_png(s.history_png_path).width() > 900);
    CHECK(format_summary(s).find("history plot: " + s.history_png_path) != std::string::npos);
    std::ifstream in(s.report_html_path);
    const std::string html((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(html.find("<h2>Transient</h2>") != std::string::npos);
    CHECK(count(html, "alt=\"history.png\"") == 1);
    CHECK(html.find("<h2>Cold plates</h2>") == std::string::npos);
  }
}
