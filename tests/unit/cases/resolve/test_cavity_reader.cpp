/// \file
/// `[[cavities]]` reader: located errors (unknown key, unknown layer, a model's missing keys,
/// bad direction) and the echo round trip.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "cases/resolve/load_case.hpp"

using namespace cposim::cases;
namespace fs = std::filesystem;

namespace {

const std::string kBase =
    "[package]\nfootprint_um = [1000, 1000]\n"
    "[[layers]]\nname = \"die\"\nmaterial = \"Si\"\nthickness_um = 100\npower_W = 1\n"
    "[[layers]]\nname = \"cavity\"\nmaterial = \"Si\"\nthickness_um = 100\n";

CaseSpec read(const std::string& cavity) {
  const fs::path dir = fs::temp_directory_path() / "cposim_test_cavity_reader";
  fs::create_directories(dir);
  return read_case_text(kBase + "[[cavities]]\n" + cavity, "case.toml", dir.string());
}

const std::string kGood =
    "layer = \"cavity\"\nmodel = \"2rm\"\ncoolant = \"water\"\ninlet_T_K = 300\n"
    "flow_direction = \"+y\"\nflow_L_per_min = 0.05\nchannel_width_um = 50\n"
    "wall_width_um = 50\n";

}  // namespace

TEST_CASE("cavity reader: a good 2rm cavity reads in SI and echoes") {
  const CaseSpec s = read(kGood);
  REQUIRE(s.cavities.size() == 1);
  const auto& c = s.cavities.front();
  CHECK(c.model == CavityModel::two_resistor);
  CHECK(c.flow_axis == 1);
  CHECK(c.channel_width_m == doctest::Approx(50e-6).epsilon(1e-15));
  CHECK(*c.flow_m3_per_s == doctest::Approx(0.05e-3 / 60).epsilon(1e-15));
  CHECK(s.resolved_text.find("[[cavities]]\nlayer = \"cavity\"\nmodel = \"2rm\"") !=
        std::string::npos);
}

TEST_CASE("cavity reader: errors point at the key with value, unit and range") {
  CHECK_THROWS_WITH_AS(read(kGood + "height_um = 3\n"),
                       doctest::Contains("case.toml:21:1: error: unknown key 'height_um'"),
                       CaseError);
  CHECK_THROWS_WITH_AS(read("layer = \"nope\"\n" + kGood.substr(kGood.find('\n') + 1)),
                       doctest::Contains("case.toml:13:9: error: 'cavities[0].layer' = 'nope' "
                                         "is not a [[layers]] name"),
                       CaseError);
  CHECK_THROWS_WITH_AS(read(kGood + "h_top_W_per_m2K = 1e4\n"),
                       doctest::Contains("give all of h_top_W_per_m2K, h_bottom_W_per_m2K"),
                       CaseError);
  std::string bad_flow = kGood;
  bad_flow.replace(bad_flow.find("0.05"), 4, "-1");
  CHECK_THROWS_WITH_AS(
      read(bad_flow),
      doctest::Contains("case.toml:18:18: error: 'cavities[0].flow_L_per_min' must be > 0 "
                        "L/min, got -1"),
      CaseError);
  std::string bad_dir = kGood;
  bad_dir.replace(bad_dir.find("+y"), 2, "+z");
  CHECK_THROWS_AS(read(bad_dir), CaseError);
  CHECK_THROWS_WITH_AS(read("layer = \"cavity\"\nmodel = \"pinfin\"\ncoolant = \"water\"\n"
                            "inlet_T_K = 300\nflow_direction = \"+x\"\npin_diameter_um = 120\n"
                            "pin_pitch_um = 100\npin_arrangement = \"inline\"\n"
                            "darcy_velocity_m_per_s = 1\n"),
                       doctest::Contains("'cavities[0].pin_diameter_um' = 120 µm must be below "
                                         "pin_pitch_um = 100 µm"),
                       CaseError);
}

TEST_CASE("cavity reader: the extent (origin_um, size_um) reads in SI, echoes, and is checked") {
  const CaseSpec s = read(kGood + "origin_um = [0, 250]\nsize_um = [1000, 500]\n");
  const auto& c = s.cavities.front();
  REQUIRE(c.has_extent);
  CHECK(c.origin_m[1] == doctest::Approx(250e-6).epsilon(1e-15));
  CHECK(c.size_m[1] == doctest::Approx(500e-6).epsilon(1e-15));
  CHECK(s.resolved_text.find("origin_um = [0, 250]\nsize_um = [1000, 500]") != std::string::npos);
  CHECK_FALSE(read(kGood).cavities.front().has_extent);
  CHECK_THROWS_WITH_AS(read(kGood + "origin_um = [0, 250]\n"),
                       doctest::Contains("case.toml:21:13: error: cavity in layer 'cavity': give "
                                         "both 'cavities[0].origin_um' and"),
                       CaseError);
  CHECK_THROWS_WITH_AS(read(kGood + "origin_um = [-10, 0]\nsize_um = [500, 500]\n"),
                       doctest::Contains("case.toml:21:13: error: 'cavities[0].origin_um' x = -10 "
                                         "µm is outside the package footprint (0 … 1000 µm)"),
                       CaseError);
  CHECK_THROWS_WITH_AS(read(kGood + "origin_um = [0, 0]\nsize_um = [0, 500]\n"),
                       doctest::Contains("case.toml:22:"), CaseError);
  CHECK_THROWS_WITH_AS(read(kGood + "origin_um = [600, 0]\nsize_um = [500, 500]\n"),
                       doctest::Contains("case.toml:22:11: error: 'cavities[0].size_um': the "
                                         "cavity reaches x = 1100 µm"),
                       CaseError);
}
