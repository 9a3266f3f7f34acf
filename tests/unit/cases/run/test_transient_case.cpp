/// \file
/// [transient] and power_waveform from the case file to results.h5 (issue 5): waveform
/// semantics, the CSV format, the resolved echo, and whole runs whose stored energy is known
/// exactly (an adiabatic block: T_mean(t) = T0 + ∫P dt / (ρ c_p V)), and the photonic
/// devices' heat in the time series (issue 19 §1).
#include <doctest/doctest.h>
#include <hdf5.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cases/read/transient_reader.hpp"
#include "cases/report/run_and_report.hpp"
#include "cases/resolve/load_case.hpp"
#include "cases/run/build_problem.hpp"
#include "cases/run/run_case.hpp"
#include "cases/run/run_transient.hpp"
#include "postproc/io/time_series.hpp"
#include "tests/support/scratch_dir.hpp"

namespace fs = std::filesystem;
using namespace cposim::cases;

namespace {

/// A fresh directory under the system temp dir, removed at the end of the test.
struct TempDir : cposim::testing::ScratchDir {
  explicit TempDir(const std::string& name) : ScratchDir("transient_" + name) {}
};

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

PowerWaveformSpec waveform(PowerWaveformSpec::Kind kind, std::vector<double> t,
                           std::vector<double> v) {
  PowerWaveformSpec w;
  w.kind = kind;
  w.t_s = std::move(t);
  w.values = std::move(v);
  return w;
}

/// A 2 × 2 × 0.5 mm Cu block filling the package, all faces adiabatic, 2 W with `waveform`.
std::string adiabatic_case(const std::string& waveform_line, const std::string& transient) {
  return "[package]\nfootprint_um = [2000, 2000]\n"
         "[[blocks]]\nname = \"block\"\nmaterial = \"Cu\"\norigin_um = [0, 0, 0]\n"
         "size_um = [2000, 2000, 500]\npower_W = 2\n" +
         waveform_line +
         "\n[grid]\nmax_cell_xy_um = 250\nmax_cell_z_um = 125\n"
         "[solver]\nlinear_solver = \"direct\"\n"
         "[[output.probes]]\nname = \"corner\"\nat_um = [100, 100, 450]\n" +
         transient;
}

/// ρ c_p V of the block [J/K] from the materials the run uses.
double heat_capacity_J_per_K(const BuiltProblem& built) {
  for (const auto& m : built.materials_used)
    if (m.name == "Cu") return m.rho_kg_per_m3 * m.cp_J_per_kgK * 2e-3 * 2e-3 * 0.5e-3;
  FAIL("no Cu in the case");
  return 0.0;
}

std::vector<double> read_h5_doubles(const fs::path& file, const char* dataset) {
  const hid_t f = H5Fopen(file.string().c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  REQUIRE(f >= 0);
  const hid_t d = H5Dopen2(f, dataset, H5P_DEFAULT);
  REQUIRE(d >= 0);
  const hid_t space = H5Dget_space(d);
  const auto n = static_cast<std::size_t>(H5Sget_simple_extent_npoints(space));
  std::vector<double> values(n);
  CHECK(H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) >= 0);
  H5Sclose(space);
  H5Dclose(d);
  H5Fclose(f);
  return values;
}

}  // namespace

TEST_CASE("waveform_value: steps hold the earlier value up to a switch, linear interpolates") {
  using K = PowerWaveformSpec::Kind;
  const auto steps = waveform(K::steps, {0.0, 0.5, 1.0}, {0.5, 1.0, 0.0});
  CHECK(waveform_value(steps, -1.0) == 0.5);  // before the first point: the first value
  CHECK(waveform_value(steps, 0.0) == 0.5);
  CHECK(waveform_value(steps, 0.25) == 0.5);
  CHECK(waveform_value(steps, 0.5) == 0.5);  // at the switch: still the value before it
  CHECK(waveform_value(steps, std::nextafter(0.5, 1.0)) == 1.0);
  CHECK(waveform_value(steps, 1.0) == 1.0);
  CHECK(waveform_value(steps, 7.0) == 0.0);  // after the last point: the last value
  const auto linear = waveform(K::linear, {1.0, 3.0}, {2.0, 4.0});
  CHECK(waveform_value(linear, 0.0) == 2.0);
  CHECK(waveform_value(linear, 2.5) == doctest::Approx(3.5).epsilon(1e-15));
  CHECK(waveform_value(linear, 3.0) == 4.0);
  CHECK(waveform_value(linear, 9.0) == 4.0);
  const auto single = waveform(K::steps, {2.0}, {3.0});
  CHECK(waveform_value(single, 0.0) == 3.0);
  CHECK(waveform_value(single, 5.0) == 3.0);
}

TEST_CASE("parse_waveform_csv: header kinds, comments, and errors at the CSV's line and column") {
  const auto w = parse_waveform_csv("# trace\n\nt_s, power_W\r\n0, 400\n0.5,800\n", "a.csv");
  CHECK(w.in_watts);
  CHECK(w.kind == PowerWaveformSpec::Kind::linear);
  CHECK(w.t_s == std::vector<double>{0.0, 0.5});
  CHECK(w.values == std::vector<double>{400.0, 800.0});
  CHECK_FALSE(parse_waveform_csv("t_s,factor\n0,1\n", "b.csv").in_watts);
  CHECK(parse_waveform_csv("t_s,factor\n", "c.csv").t_s.empty());
  CHECK_THROWS_WITH_AS(parse_waveform_csv("t_s,factor\n0,1\n1,x\n", "d.csv"),
                       "d.csv:3:3: error: waveform factor must be a number, got 'x'", CaseError);
  CHECK_THROWS_WITH_AS(parse_waveform_csv("t_s,factor\n0,1\n1,2,3\n", "e.csv"),
                       "e.csv:3:1: error: waveform CSV row must have 2 values (t_s, factor), got 3",
                       CaseError);
  CHECK_THROWS_WITH_AS(parse_waveform_csv("", "f.csv"),
                       "f.csv:1:1: error: waveform CSV needs a header 't_s,factor' or "
                       "'t_s,power_W', got an empty file",
                       CaseError);
  CHECK_THROWS_WITH_AS(parse_waveform_csv("t_s,factor\n0,inf\n", "g.csv"),
                       "g.csv:2:3: error: waveform factor must be finite, got inf", CaseError);
}

TEST_CASE("read_case: [transient] defaults, output times from 0 to the end, echo reads back") {
  const std::string text = adiabatic_case(
      "power_waveform = { kind = \"steps\", t_s = [0, 0.1], factor = [1, 0.25] }",
      "[transient]\nend_time_s = 0.35\noutput_interval_s = 0.1\ninitial_T_K = 300\n");
  const CaseSpec spec = read_case_text(text, "t.toml", "");
  REQUIRE(spec.transient);
  const TransientSpec& t = *spec.transient;
  CHECK(t.scheme == cposim::solver::TimeScheme::bdf2);
  CHECK(t.initial == InitialState::ambient);
  CHECK(t.tolerance_K == 0.05);
  CHECK(t.adaptive);
  CHECK_FALSE(t.dt_max_s);
  REQUIRE(t.output_times_s.size() == 5);  // 0, 0.1, 0.2, 0.3 and the end 0.35
  CHECK(t.output_times_s.front() == 0.0);
  CHECK(t.output_times_s[2] == 2 * 0.1);
  CHECK(t.output_times_s.back() == 0.35);
  REQUIRE(spec.blocks[0].power_waveform);
  CHECK(spec.blocks[0].power_waveform->values == std::vector<double>{1.0, 0.25});

  // The resolved echo is a case file that reads back to the same transient settings.
  const CaseSpec again = read_case_text(spec.resolved_text, "echo.toml", "");
  REQUIRE(again.transient);
  CHECK(again.transient->output_times_s == t.output_times_s);
  CHECK(again.transient->initial_T_K == t.initial_T_K);
  REQUIRE(again.blocks[0].power_waveform);
  CHECK(again.blocks[0].power_waveform->t_s == spec.blocks[0].power_waveform->t_s);
  auto body = [](const std::string& echo) { return echo.substr(echo.find('\n')); };  // no name
  CHECK(body(again.resolved_text) == body(spec.resolved_text));
}

TEST_CASE("transient run: an adiabatic block stores exactly the energy of its power steps (BE)") {
  // P = 2 W on (0, 0.1], 0.5 W on (0.1, 0.3], 0 after: E(t) is piecewise linear and the
  // mean temperature T0 + E(t)/(ρ c_p V) exactly. Backward Euler integrates the power at each
  // step's end, and the run lands on both switches, so the discrete energy is exact up to the
  // linear solve (direct here): checked to 1e-9 of the rise.
  const TempDir dir("be");
  const std::string text = adiabatic_case(
      "power_waveform = { kind = \"steps\", t_s = [0, 0.1, 0.3], factor = [1, 0.25, 0] }",
      "[transient]\nscheme = \"backward_euler\"\nend_time_s = 0.5\n"
      "output_times_s = [0.05, 0.1, 0.2, 0.3, 0.4]\ninitial_T_K = 300\ntolerance_K = 0.01\n");
  const CaseSpec spec = read_case_text(text, (dir.path / "be.toml").string(), dir.path.string());
  const double C = heat_capacity_J_per_K(build_problem(spec));
  RunOptions options;
  options.out_dir = (dir.path / "out").string();
  const RunSummary summary = run_and_report(spec, options);
  REQUIRE(summary.transient);
  CHECK(summary.outcome() == RunOutcome::ok);
  const TransientSummary& t = *summary.transient;
  REQUIRE(t.report.completed);
  const std::vector<double> times{0.0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5};
  REQUIRE(t.times_s == times);
  auto energy_J = [](double s) {
    return 2.0 * std::min(s, 0.1) + 0.5 * std::clamp(s - 0.1, 0.0, 0.2);
  };
  std::size_t block = 0;
  while (t.region_names[block] != "block") ++block;
  const double rise = energy_J(0.5) / C;
  double worst = 0.0;
  for (std::size_t i = 0; i < times.size(); ++i)
    worst =
        std::max(worst, std::fabs(t.region_T_mean_K[block][i] - 300.0 - energy_J(times[i]) / C));
  MESSAGE("adiabatic BE: rise " << rise << " K, worst |T_mean - exact| = " << worst << " K in "
                                << t.report.steps << " steps");
  CHECK(worst <= 1e-9 * rise);
  CHECK(t.report.energy_in_J == doctest::Approx(0.3).epsilon(1e-12));
  CHECK(std::fabs(t.report.heat_out_J) <= 1e-12);
  CHECK(t.report.stored_change_J == doctest::Approx(0.3).epsilon(1e-9));
  const std::vector<double> power{2.0, 2.0, 2.0, 0.5, 0.5, 0.0, 0.0};  // left limits at switches
  REQUIRE(t.power_W.size() == power.size());
  for (std::size_t i = 0; i < power.size(); ++i)
    CHECK(t.power_W[i] == doctest::Approx(power[i]).epsilon(1e-12));
  // The corner probe never cools: the block is adiabatic.
  REQUIRE(t.probe_T_K.size() == 1);
  for (std::size_t i = 1; i < times.size(); ++i)
    CHECK(t.probe_T_K[0][i] >= t.probe_T_K[0][i - 1] - 1e-9);  // flat (to round-off) once off

  // results.h5: /time_series and the histories; results.xmf: a temporal collection; probes.csv.
  const fs::path out = dir.path / "out";
  CHECK(read_h5_doubles(out / "results.h5", "/time_series/times_s") == times);
  const auto last = read_h5_doubles(out / "results.h5", "/time_series/temperature_K/000006");
  CHECK(last.size() == summary.num_cells);
  CHECK(read_h5_doubles(out / "results.h5", "/transient/probes/corner_T_K") == t.probe_T_K[0]);
  CHECK(read_h5_doubles(out / "results.h5", "/transient/regions/block_T_mean_K") ==
        t.region_T_mean_K[block]);
  const std::string xmf = read_file(out / "results.xmf");
  CHECK(xmf.find("CollectionType=\"Temporal\"") != std::string::npos);
  std::size_t time_tags = 0;
  for (auto at = xmf.find("<Time Value="); at != std::string::npos;
       at = xmf.find("<Time Value=", at + 1))
    ++time_tags;
  CHECK(time_tags == times.size());
  const std::string csv = read_file(out / "probes.csv");
  CHECK(csv.rfind("t_s,corner_T_K,", 0) == 0);
  CHECK(std::count(csv.begin(), csv.end(), '\n') == static_cast<long>(times.size() + 1));
  for (const auto& entry : fs::directory_iterator(out))
    CHECK_MESSAGE(entry.path().filename().string().find(".tmp-") == std::string::npos,
                  entry.path().filename().string());
}

TEST_CASE("transient run: BDF2 integrates a linear power ramp from a CSV trace in watts") {
  // P(t) = 4 t W (CSV, t_s,power_W) for t in [0, 0.5], then 2 W: E(t) = 2 t² up to 0.5 s.
  // BDF2 is exact for a quadratic E except for its backward-Euler start-up steps and the
  // step after the kink; with tolerance 1e-3 K they cost < 1e-4 of the rise.
  const TempDir dir("bdf2");
  std::ofstream(dir.path / "ramp.csv") << "t_s,power_W\n0,0\n0.5,2\n";
  const std::string text =
      adiabatic_case("power_waveform = { csv = \"ramp.csv\" }",
                     "[transient]\nend_time_s = 0.8\noutput_times_s = [0.25, 0.5]\n"
                     "initial_T_K = 300\ntolerance_K = 1e-3\ndt_initial_s = 1e-5\n");
  const CaseSpec spec = read_case_text(text, (dir.path / "r.toml").string(), dir.path.string());
  const double C = heat_capacity_J_per_K(build_problem(spec));
  RunOptions options;
  options.out_dir = (dir.path / "out").string();
  const RunSummary summary = run_and_report(spec, options);
  REQUIRE(summary.transient);
  const TransientSummary& t = *summary.transient;
  REQUIRE(t.report.completed);
  REQUIRE(t.times_s == std::vector<double>{0.0, 0.25, 0.5, 0.8});
  auto energy_J = [](double s) { return s <= 0.5 ? 2.0 * s * s : 0.5 + 2.0 * (s - 0.5); };
  std::size_t block = 0;
  while (t.region_names[block] != "block") ++block;
  const double rise = energy_J(0.8) / C;
  double worst = 0.0;
  for (std::size_t i = 0; i < t.times_s.size(); ++i)
    worst = std::max(worst,
                     std::fabs(t.region_T_mean_K[block][i] - 300.0 - energy_J(t.times_s[i]) / C));
  MESSAGE("adiabatic BDF2 ramp: rise " << rise << " K, worst |T_mean - exact| = " << worst
                                       << " K in " << t.report.steps << " steps");
  CHECK(worst <= 1e-4 * rise);
  CHECK(t.report.energy_relative <= 1e-9);
}

TEST_CASE("validate_time_series: bad times, names and sizes are rejected before writing") {
  const cposim::mesh::RectilinearGrid grid({0.0, 1.0, 2.0}, {0.0, 1.0}, {0.0, 1.0});  // 2 cells
  cposim::postproc::TimeSeries ok{{0.0, 1.0}, {{"temperature_K", {{1.0, 2.0}, {3.0, 4.0}}}}};
  CHECK_NOTHROW(cposim::postproc::validate_time_series(ok, grid));
  auto decreasing = ok;
  decreasing.times_s = {1.0, 1.0};
  CHECK_THROWS_AS(cposim::postproc::validate_time_series(decreasing, grid), std::invalid_argument);
  auto short_state = ok;
  short_state.fields[0].values[1] = {1.0};
  CHECK_THROWS_AS(cposim::postproc::validate_time_series(short_state, grid), std::invalid_argument);
  auto missing_state = ok;
  missing_state.fields[0].values.pop_back();
  CHECK_THROWS_AS(cposim::postproc::validate_time_series(missing_state, grid),
                  std::invalid_argument);
  auto bad_name = ok;
  bad_name.fields[0].name = "T/K";
  CHECK_THROWS_AS(cposim::postproc::validate_time_series(bad_name, grid), std::invalid_argument);
  CHECK(cposim::postproc::time_series_index_name(42) == "000042");
}

TEST_CASE(
    "transient photonics: the device heat in /time_series integrates to the heaters + lasers") {
  // Two rings under a PI loop and an on-package laser on a Cu slab; a block steps from 0.1 to
  // 0.3 W at 4 ms, so the heaters move. At every output time the volume integral of
  // /time_series/device_power_W_per_m3 equals Σ <ring>_heater_W + Σ <laser>_heat_W of
  // /transient/rings and /transient/lasers there: 1e-9 relative (both are sums of the same
  // powers; only round-off separates them).
  const TempDir dir("photonic");
  const std::string text =
      "[package]\nfootprint_um = [3000, 1000]\n"
      "[[layers]]\nname = \"slab\"\nmaterial = \"Cu\"\nthickness_um = 200\n"
      "[[blocks]]\nname = \"load\"\nmaterial = \"Si\"\norigin_um = [1000, 0, 0]\n"
      "size_um = [1000, 1000, 100]\npower_W = 0.1\n"
      "power_waveform = { kind = \"steps\", t_s = [0, 0.004], factor = [1, 3] }\n"
      "[boundary.top]\ntype = \"convection\"\nh_W_per_m2K = 5000\nT_ambient_K = 300\n"
      "[grid]\nmax_cell_xy_um = 250\nmax_cell_z_um = 100\n"
      "[solver]\nlinear_solver = \"direct\"\n"
      "[[rings]]\nname = \"duo\"\ncenter_um = [500, 500, 150]\ncount = 2\n"
      "pitch_um = [2000, 0, 0]\nlambda0_nm = 1300\ntarget_nm = 1302\ndrift_pm_per_K = 75\n"
      "control = \"pi\"\npi_period_s = 0.001\n"
      "[[lasers]]\nname = \"dfb\"\ncenter_um = [1500, 500, 150]\nsize_um = [400, 5, 5]\n"
      "lambda0_nm = 1310\ncurrent_mA = 80\nvoltage_V = 1.4\n"
      "[transient]\nend_time_s = 0.01\noutput_interval_s = 0.002\ninitial_T_K = 300\n";
  const CaseSpec spec = read_case_text(text, (dir.path / "ph.toml").string(), dir.path.string());
  const BuiltProblem built = build_problem(spec);
  RunOptions options;
  options.out_dir = (dir.path / "out").string();
  const RunSummary summary = run_and_report(spec, options);
  REQUIRE(summary.outcome() == RunOutcome::ok);
  REQUIRE(summary.transient);
  REQUIRE(summary.transient->photonics);
  const auto& ph = *summary.transient->photonics;
  const fs::path h5 = dir.path / "out" / "results.h5";
  const auto times = read_h5_doubles(h5, "/time_series/times_s");
  REQUIRE(times.size() == 6);
  std::vector<double> device_W(times.size(), 0.0);
  for (const auto& ring : ph.ring_names) {
    const auto u = read_h5_doubles(h5, ("/transient/rings/" + ring + "_heater_W").c_str());
    REQUIRE(u.size() == times.size());
    for (std::size_t i = 0; i < u.size(); ++i) device_W[i] += u[i];
  }
  REQUIRE(ph.laser_names.size() == 1);
  const auto laser_W = read_h5_doubles(h5, "/transient/lasers/dfb_heat_W");
  REQUIRE(laser_W.size() == times.size());
  const auto& g = *built.grid;
  double worst = 0.0;
  for (std::size_t i = 0; i < times.size(); ++i) {
    device_W[i] += laser_W[i];
    const std::string name =
        "/time_series/device_power_W_per_m3/" + cposim::postproc::time_series_index_name(i);
    const auto q = read_h5_doubles(h5, name.c_str());
    REQUIRE(q.size() == g.num_cells());
    double integral_W = 0.0;
    for (std::size_t c = 0; c < q.size(); ++c) {
      const auto ijk = g.ijk(c);
      integral_W += q[c] * g.volume_m3(ijk[0], ijk[1], ijk[2]);
    }
    worst = std::max(worst, std::fabs(integral_W - device_W[i]) / device_W[i]);
  }
  MESSAGE("device heat " << device_W.front() << " W at t = 0, " << device_W.back()
                         << " W at the end; worst |∫q dV − Σ P| / Σ P = " << worst);
  CHECK(worst <= 1e-9);
  CHECK(laser_W.front() > 0.0);
  CHECK(std::fabs(device_W.back() - device_W.front()) > 1e-6);  // the heaters moved
  // The temporal collection shows it beside T at every time.
  const std::string xmf = read_file(dir.path / "out" / "results.xmf");
  std::size_t shown = 0;
  for (auto at = xmf.find("Name=\"device_power_W_per_m3\""); at != std::string::npos;
       at = xmf.find("Name=\"device_power_W_per_m3\"", at + 1))
    ++shown;
  CHECK(shown == times.size());
}
