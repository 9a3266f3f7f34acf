/// \file
/// [[optics.links]] end to end: a link in a uniform temperature field against the chain by
/// hand, the echo read back, the verdict class and the per-engine summary; margins falling
/// with the laser temperature through the whole run (PHYSICS-SUPPLEMENT.md §L).
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <string>

#include "cases/read/link_reader.hpp"
#include "cases/report/run_and_report.hpp"
#include "cases/resolve/load_case.hpp"
#include "cases/run/link_evaluation.hpp"
#include "cases/run/run_case.hpp"
#include "cases/run/verdicts.hpp"
#include "cases/sweep/sweep_reader.hpp"
#include "postproc/photonics/photonics.hpp"

using namespace cposim::cases;
namespace fs = std::filesystem;

namespace {

/// A Si slab held at `T_K` (fixed top, no power: a uniform field), three Tx rings tracking an
/// external 3-line source at `laser_T_K` (junction = case: R_th,jc = 0; its lines sit on
/// CW-WDM-8 channels 0–2 at T_ref 320 K), three Rx drop rings on those channels, one
/// waveguide 800 µm long, heaters not fed back.
std::string link_case(double T_K, double laser_T_K, const std::string& link_extra = "") {
  const std::string T = std::to_string(T_K);
  return "[package]\nfootprint_um = [1000, 500]\n"
         "[[layers]]\nname = \"slab\"\nmaterial = \"Si\"\nthickness_um = 100\n"
         "[boundary.top]\ntype = \"fixed_temperature\"\nT_K = " +
         T + "\n[[lasers]]\nname = \"els\"\nplacement = \"external\"\nT_K = " +
         std::to_string(laser_T_K) +
         "\nT_ref_K = 320\ncount = 3\ngrid = \"CW-WDM-8\"\nR_th_jc_K_per_W = 0\n"
         "[[rings]]\nname = \"tx\"\ncenter_um = [200, 250, 50]\ncount = 3\n"
         "pitch_um = [100, 0, 0]\nlaser = \"els\"\nlambda0_offset_nm = -1\nT_ref_K = " +
         T +
         "\nradius_um = 5\n"
         "[[rings]]\nname = \"rx\"\nrole = \"filter\"\ncenter_um = [200, 400, 50]\ncount = 3\n"
         "pitch_um = [100, 0, 0]\ngrid = \"CW-WDM-8\"\nlambda0_offset_nm = -1\nT_ref_K = " +
         T +
         "\nradius_um = 5\n"
         "[[waveguides]]\nname = \"bus\"\npath_um = [[100, 100, 50], [900, 100, 50]]\n"
         "[coupling]\nenabled = false\n"
         "[[optics.links]]\nname = \"l\"\nlaser = \"els\"\nlaser_split = 2\nmodulator = \"tx\"\n"
         "demux = \"rx\"\nwaveguides = [\"bus\"]\n" +
         link_extra;
}

RunSummary run(const std::string& text, const std::string& tag) {
  const CaseSpec spec = read_case_text(text, tag + ".toml", "");
  const fs::path out = fs::temp_directory_path() / ("cposim_test_links_" + tag);
  fs::remove_all(out);
  RunOptions options;
  options.out_dir = out.string();
  RunSummary s = run_and_report(spec, options);
  fs::remove_all(out);
  return s;
}

}  // namespace

TEST_CASE("a link in a uniform temperature field matches the chain by hand") {
  const RunSummary s = run(link_case(320.0, 320.0), "uniform");
  REQUIRE(s.outcome() == RunOutcome::ok);
  REQUIRE(s.links.size() == 3);
  const auto grid = *cposim::postproc::builtin_grid("CW-WDM-8");
  // The default laser at its reference junction: 0.35 W/A × (300 − 20) mA = 98 mW.
  const double source_dBm = 10.0 * std::log10(0.35 * (0.3 - 0.02) / 1e-3);
  const double r = std::pow(10.0, 0.35);  // ER 3.5 dB
  for (int k = 0; k < 3; ++k) {
    const LinkChannelResult& c = s.links[k];
    CAPTURE(k);
    CHECK(std::abs(c.modulator_T_K - 320.0) < 1e-9);
    CHECK(std::abs(c.demux_T_K - 320.0) < 1e-9);
    const double lambda = grid.channels[k].centre_m;
    CHECK(std::abs(c.signal_m - lambda) < 1e-18);
    CHECK(std::abs(c.modulator_detuning_m) < 1e-18);  // tracking ring, in range: locked
    CHECK(std::abs(c.demux_detuning_m) < 1e-18);      // carrier on the grid, ring on it
    // Adjacent carriers through drop ring k of FWHM λ_r/Q (RingState::linewidth_m): its
    // heater-off resonance λ_k − 1 nm over the filter default Q 20000.
    const double w = (lambda - 1e-9) / 20000.0;
    double X = 0.0;
    for (int j : {k - 1, k + 1})
      if (j >= 0 && j < 3)
        X += 1.0 / (1.0 + std::pow(2.0 * (grid.channels[j].centre_m - lambda) / w, 2));
    const double losses = 10.0 * std::log10(2.0) + 1.5 + 2 * 1.5 +
                          0.08 * 2.0 /* 0.8 mm × 2 dB/cm */ + 2.0 +
                          10.0 * std::log10((r + 1) / (2 * (r - 1))) + 1.0 -
                          10.0 * std::log10(1.0 - 3.0 * X) + 2 * 0.5 + 0.5 * 0.4;
    const double margin = source_dBm - losses - (-4.4);
    CHECK(std::abs(c.budget.margin_dB - margin) < 1e-9);
    CHECK(c.budget.pass);
  }
  const Verdicts v = collect_verdicts(s);
  const VerdictClass* links = v.find("link_margins");
  REQUIRE(links != nullptr);
  CHECK(links->checked == 3);
  CHECK(links->failed == 0);
  CHECK(links->binding->name == "l.1");  // the middle channel has two neighbours
  CHECK(verdict_margin_metric("link_margins", "dB") == "link_margins_margin_dB");
  const auto engines = link_engine_summaries(s.links);
  REQUIRE(engines.size() == 1);
  CHECK(engines[0].engine == "l");
  CHECK(engines[0].worst == "l.1");
  CHECK(format_links(s.links).find("l.1") != std::string::npos);
}

TEST_CASE("link margins fall as the external laser heats, through the whole run") {
  double previous = INFINITY;
  for (double T : {300.0, 320.0, 340.0}) {
    // Tx rings track the laser; no demux: only the laser's power changes with its T.
    std::string text = link_case(320.0, T);
    const auto at = text.find("demux = \"rx\"\n");
    text.erase(at, std::string("demux = \"rx\"\n").size());
    const RunSummary s = run(text, "mono" + std::to_string(static_cast<int>(T)));
    REQUIRE(s.links.size() == 3);
    CAPTURE(T);
    CHECK(s.links[0].budget.margin_dB < previous);
    previous = s.links[0].budget.margin_dB;
  }
}

TEST_CASE("the resolved echo reads back to the same links") {
  const CaseSpec spec = read_case_text(
      link_case(320.0, 320.0, "fiber_length_km = 2\nmodulation = \"nrz\"\nconnectors = 4\n"),
      "echo.toml", "");
  const CaseSpec again = read_case_text(spec.resolved_text, "echo.toml", "");
  REQUIRE(again.photonics.links.size() == 1);
  const auto& a = spec.photonics.links[0].parameters;
  const auto& b = again.photonics.links[0].parameters;
  CHECK(b.fiber_length_m == a.fiber_length_m);
  CHECK(b.connectors == 4);
  CHECK(b.modulation == cposim::postproc::LinkModulation::nrz);
  CHECK(b.sensitivity_dBm == a.sensitivity_dBm);
  CHECK(b.modulator_insertion_loss_dB == 2.0);
  CHECK(again.photonics.links[0].demux->name == "rx");
}

TEST_CASE("the link margin is a sweep metric: objective, requirement and a swept link key") {
  const std::string sweep =
      "[sweep]\nplot = [\"link_margins_margin_dB\"]\n[[sweep.parameters]]\nname = \"km\"\n"
      "values = [0.5, 2]\npaths = [\"optics.links.l.fiber_length_km\"]\n[sweep.best]\n"
      "maximize = \"link_margins_margin_dB\"\nrequire = [\"link_margins_margin_dB >= 1\"]\n";
  const SweepSpec spec = read_sweep_text(link_case(320.0, 320.0) + sweep, "sweep.toml", "");
  CHECK(spec.plot_y == std::vector<std::string>{"link_margins_margin_dB"});
  REQUIRE(spec.best);
  CHECK(spec.best->objective == "link_margins_margin_dB");
  const auto points = expand_sweep(spec);
  REQUIRE(points.size() == 2);
  // The swept key reaches the link: 2 km of fibre on the second point.
  const CaseSpec second = read_case_text(render_point(spec, sweep_design(spec)[1]), "p.toml", "");
  CHECK(second.photonics.links[0].parameters.fiber_length_m == 2000.0);
}

TEST_CASE("the flagship links every Tx bank to the far engine's Rx bank: 512 channels") {
  const CaseSpec spec =
      read_case(std::string(CPOSIM_SOURCE_DIR) + "/cases/examples/cpo_102t_2p5d.toml");
  REQUIRE(spec.photonics.links.size() == 64);
  int channels = 0;
  for (const auto& l : spec.photonics.links) channels += link_channels(l, spec.photonics);
  CHECK(channels == 512);
  CHECK(spec.photonics.links[0].parameters.data_rate_bps == 212.5e9);
}
