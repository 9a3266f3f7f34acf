/// \file
/// Unit tests of the photonic sections of the case reader: unit conversion, defaults, array
/// elements and their geometry, plans, the resolved echo, and the photonics example.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "cases/resolve/load_case.hpp"
#include "cases/run/photonics_coupling.hpp"

using namespace cposim::cases;
namespace fs = std::filesystem;

namespace {

std::string with_devices(const std::string& devices) {
  return "[package]\nfootprint_um = [2000, 1000]\n"
         "[[layers]]\nname = \"board\"\nmaterial = \"Cu\"\nthickness_um = 100\n"
         "[[blocks]]\nname = \"pic\"\nmaterial = \"Si\"\norigin_um = [100, 100, 100]\n"
         "size_um = [1800, 800, 200]\n"
         "[boundary.top]\ntype = \"convection\"\nh_W_per_m2K = 1000\nT_ambient_K = 300\n" +
         devices;
}

CaseSpec read(const std::string& text) { return read_case_text(text, "p.toml", ""); }

}  // namespace

TEST_CASE("rings: units, defaults and bank geometry") {
  const auto spec = read(with_devices(
      "[[rings]]\nname = \"tx\"\ncenter_um = [500, 500, 290]\ncount = 4\npitch_um = [100, 0, 0]\n"
      "block = \"pic\"\ngrid = \"CW-WDM-8\"\nchannel = 2\nlambda0_offset_nm = -1.5\n"
      "drift_pm_per_K = 60\nfsr_nm = 12\nheater_efficiency_nm_per_mW = 0.3\n"
      "heater_max_mW = 40\nheater_offset_um = [0, 0, 2]\n"));
  REQUIRE(spec.photonics.rings.size() == 1);
  const auto& r = spec.photonics.rings[0];
  CHECK(r.count == 4);
  CHECK(*r.drift_m_per_K == doctest::Approx(60e-12).epsilon(1e-15));
  CHECK(*r.fsr_m == doctest::Approx(12e-9).epsilon(1e-15));
  CHECK(*r.lambda0_offset_m == doctest::Approx(-1.5e-9).epsilon(1e-15));
  CHECK(r.heater_efficiency_m_per_W == doctest::Approx(0.3e-6).epsilon(1e-15));
  CHECK(r.heater_max_W == doctest::Approx(0.04).epsilon(1e-15));
  CHECK(ring_loaded_Q(r) == 5000.0);
  CHECK(r.channel->channel == 2);
  CHECK(r.channel->channel_step == 1);
  CHECK(element_name("tx", 3, 4) == "tx.3");
  CHECK(element_name("tx", 0, 1) == "tx");
  const auto box = ring_box(r, 3);  // centre x = 500 + 300 µm, footprint 10 × 10 × 0.22 µm
  CHECK(box.lo_m[0] == doctest::Approx(795e-6).epsilon(1e-12));
  CHECK(box.hi_m[2] - box.lo_m[2] == doctest::Approx(0.22e-6).epsilon(1e-9));
  const auto heater = heater_box(r, 0);
  CHECK(0.5 * (heater.lo_m[2] + heater.hi_m[2]) == doctest::Approx(292e-6).epsilon(1e-12));
  // The echo reads back to the same case.
  const auto again = read(spec.resolved_text);
  CHECK(again.resolved_text.substr(again.resolved_text.find('\n')) ==
        spec.resolved_text.substr(spec.resolved_text.find('\n')));
  CHECK(spec.resolved_text.find("loaded_Q = 5000\n") != std::string::npos);
  CHECK(spec.resolved_text.find("[coupling]\nenabled = true\ntolerance = 0.001\n") !=
        std::string::npos);
}

TEST_CASE("plans, lasers and waveguides: units, defaults, grid resolution") {
  const auto spec = read(with_devices(
      "[[wavelength_plans]]\nname = \"d8\"\ngrid = \"DWDM-100GHz\"\nfirst_channel = 4\n"
      "num_channels = 8\n"
      "[[wavelength_plans]]\nname = \"mine\"\nchannels_nm = [1300, 1302.5]\n"
      "window_half_width_nm = 0.4\n"
      "[[lasers]]\nname = \"fp\"\ntype = \"FP\"\ncenter_um = [1500, 500, 250]\n"
      "grid = \"mine\"\nchannel = 1\nthreshold_mA = 8\ncurrent_mA = 60\n"
      "[[waveguides]]\nname = \"w\"\npath_um = [[200, 200, 290], [1800, 200, 290]]\n"
      "platform = \"SiN\"\nloss_dB_per_cm = 0.5\n"));
  const auto& p = spec.photonics;
  const auto d8 = find_grid(p, "d8");
  REQUIRE(d8);
  CHECK(d8->channels.size() == 8);
  CHECK(d8->channels[0].centre_m ==
        doctest::Approx(cposim::postproc::builtin_grid("DWDM-100GHz")->channels[4].centre_m)
            .epsilon(1e-15));
  const auto mine = find_grid(p, "mine");
  REQUIRE(mine);
  CHECK(mine->channels[1].window_hi_m == doctest::Approx(1302.9e-9).epsilon(1e-14));
  CHECK(find_grid(p, "CWDM4"));
  CHECK_FALSE(find_grid(p, "nope"));
  const auto& l = p.lasers[0];
  CHECK(laser_drift_m_per_K(l) == 0.4e-9);
  CHECK(l.model.threshold_A == doctest::Approx(0.008).epsilon(1e-15));
  CHECK(l.model.current_A == doctest::Approx(0.06).epsilon(1e-15));
  CHECK(l.size_m[0] == doctest::Approx(500e-6).epsilon(1e-15));
  CHECK(*p.waveguides[0].optics.loss_dB_per_m == doctest::Approx(50.0).epsilon(1e-15));
  const auto again = read(spec.resolved_text);
  CHECK(again.resolved_text.substr(again.resolved_text.find('\n')) ==
        spec.resolved_text.substr(spec.resolved_text.find('\n')));
}

TEST_CASE("photonic key errors name the key, the value, the unit and the range") {
  CHECK_THROWS_WITH_AS(read(with_devices("[[rings]]\nname = \"r\"\ncenter_um = [500, 500, 290]\n"
                                         "lambda0_nm = 1310\nloaded_Q = -5\n")),
                       "p.toml:20:12: error: 'rings[0].loaded_Q' must be > 0, got -5", CaseError);
  CHECK_THROWS_WITH_AS(read(with_devices("[[rings]]\nname = \"r\"\ncenter_um = [500, 500, 290]\n"
                                         "lambda0_nm = 1310\nheater_max_mW = -1\n")),
                       "p.toml:20:17: error: 'rings[0].heater_max_mW' must be >= 0 mW, got -1",
                       CaseError);
  CHECK_THROWS_WITH_AS(read(with_devices("[[rings]]\nname = \"r\"\ncenter_um = [500, 500, 290]\n"
                                         "lambda0_nm = 1310\ndrift_pm_K = 70\n")),
                       doctest::Contains("p.toml:20:1: error: unknown key 'drift_pm_K' in "
                                         "rings[0]; known keys: name, role, center_um"),
                       CaseError);
  CHECK_THROWS_WITH_AS(
      read(with_devices("[[rings]]\nname = \"r\"\ncenter_um = [500, 500, 290]\n"
                        "lambda0_offset_nm = -1\ngrid = \"CWDM5\"\n")),
      doctest::Contains("p.toml:20:8: error: unknown grid 'CWDM5' for ring 'r'; known plans and "
                        "built-in grids: CWDM, CWDM4"),
      CaseError);
}

TEST_CASE("the photonics example parses, echoes and resolves its devices") {
  const auto path = fs::path(CPOSIM_SOURCE_DIR) / "cases" / "examples" / "pic_ring_bank.toml";
  const auto spec = read_case(path.string());
  const auto& p = spec.photonics;
  CHECK(p.rings.size() == 3);
  CHECK(p.rings[0].count == 8);
  CHECK(p.lasers.size() == 2);
  CHECK(p.mzis.size() == 1);
  CHECK(p.waveguides.size() == 1);
  const auto again = read_case_text(spec.resolved_text, "echo.toml", spec.base_dir);
  CHECK(again.resolved_text.substr(again.resolved_text.find('\n')) ==
        spec.resolved_text.substr(spec.resolved_text.find('\n')));
}

TEST_CASE("coupling.crosstalk: more than 512 heaters is allowed (issue 23), the bound is 4096") {
  auto rings = [](int count) {
    return "[[rings]]\nname = \"r\"\ncount = " + std::to_string(count) +
           "\npitch_um = [0.2, 0, 0]\ncenter_um = [500, 500, 290]\nlambda0_nm = 1310\n"
           "[coupling]\ncrosstalk = true\n";
  };
  const CaseSpec spec = read(with_devices(rings(1024)));  // the flagship's 1024 rings
  CHECK(spec.photonics.coupling.crosstalk);
  CHECK(spec.photonics.rings.front().count == 1024);
  CHECK_THROWS_AS(read(with_devices(rings(4097))), CaseError);
}
