/// \file
/// Temperature limits: role defaults (physics.md §4.4), an explicit limit winning over the
/// role, pass/fail and margins, ring-bank spreads, the printed FAIL line and the resolved echo.
#include <doctest/doctest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include "cases/resolve/load_case.hpp"
#include "cases/run/temperature_limits.hpp"
#include "tests/support/minimal_case.hpp"

using namespace cposim::cases;
namespace fs = std::filesystem;

namespace {

cposim::postproc::RegionStatistics stats(const std::string& name, double T_max_K) {
  cposim::postproc::RegionStatistics r;
  r.name = name;
  r.T_max_K = T_max_K;
  r.num_cells = 1;
  return r;
}

CaseSpec read_text(const std::string& text) {
  const fs::path file =
      fs::temp_directory_path() /
      ("cposim_limits_" + std::to_string(static_cast<long long>(::getpid())) + ".toml");
  std::ofstream(file) << text;
  CaseSpec spec = read_case(file.string());
  fs::remove(file);
  return spec;
}

const char* kBlocks =
    "[[blocks]]\nname = \"asic\"\nmaterial = \"Si\"\nrole = \"asic\"\n"
    "origin_um = [0, 0, 0]\nsize_um = [100, 100, 50]\n"
    "[[blocks]]\nname = \"laser\"\nmaterial = \"Si\"\nrole = \"laser\"\nT_limit_K = 360\n"
    "origin_um = [200, 0, 0]\nsize_um = [100, 100, 50]\n"
    "[[blocks]]\nname = \"misc\"\nmaterial = \"Si\"\nrole = \"other\"\n"
    "origin_um = [400, 0, 0]\nsize_um = [100, 100, 50]\n";

}  // namespace

TEST_CASE("default limits follow physics.md §4.4") {
  CHECK(*default_limit_K(ComponentRole::asic) == doctest::Approx(378.15).epsilon(1e-12));
  CHECK(*default_limit_K(ComponentRole::hbm) == doctest::Approx(368.15).epsilon(1e-12));
  CHECK(*default_limit_K(ComponentRole::pic) == doctest::Approx(358.15).epsilon(1e-12));
  CHECK(*default_limit_K(ComponentRole::eic) == doctest::Approx(378.15).epsilon(1e-12));
  CHECK(*default_limit_K(ComponentRole::laser) == doctest::Approx(343.15).epsilon(1e-12));
  CHECK_FALSE(default_limit_K(ComponentRole::other));
  CHECK_FALSE(default_limit_K(ComponentRole::none));
  for (const char* name : kComponentRoleNames) CHECK(to_string(*component_role(name)) == name);
  CHECK_FALSE(component_role("cpu"));
}

TEST_CASE("evaluate_limits: role default, explicit limit wins, other is unchecked") {
  const CaseSpec spec =
      read_text(cposim::testing::minimal_case("[[layers]]\nname = \"top\"\nmaterial = \"Si\"\n"
                                              "thickness_um = 10\nT_limit_K = 320\n") +
                kBlocks);
  const auto limits = evaluate_limits(spec,
                                      {stats("slab", 400), stats("top", 330), stats("asic", 370),
                                       stats("laser", 350), stats("misc", 500)},
                                      nullptr);
  REQUIRE(limits.regions.size() == 3);  // top (layer), asic, laser; misc has no limit
  CHECK(limits.regions[0].region == "top");
  CHECK(limits.regions[0].basis == "T_limit_K");
  CHECK(limits.regions[0].margin_K == doctest::Approx(-10.0).epsilon(1e-12));
  CHECK_FALSE(limits.regions[0].pass);
  CHECK(limits.regions[1].region == "asic");
  CHECK(limits.regions[1].basis == "role");
  CHECK(limits.regions[1].margin_K == doctest::Approx(8.15).epsilon(1e-9));
  CHECK(limits.regions[1].pass);
  CHECK(limits.regions[2].region == "laser");
  CHECK(limits.regions[2].limit_K == 360.0);  // not the laser role's 343.15
  CHECK(limits.regions[2].basis == "T_limit_K");
  CHECK(limits.regions[2].pass);
  CHECK(limits.failures() == 1);

  const std::string text = format_limits(limits);
  CHECK(text.find("FAIL: 1 temperature limit(s) exceeded: top (T_max 56.85 °C > 46.85 °C)") !=
        std::string::npos);
  CHECK(text.find("exit code is unchanged") != std::string::npos);
}

TEST_CASE("evaluate_limits: a region without a temperature fails with a NaN margin") {
  const CaseSpec spec = read_text(cposim::testing::minimal_case(kBlocks));
  auto empty = stats("asic", std::nan(""));
  empty.num_cells = 0;
  const auto limits = evaluate_limits(spec, {empty}, nullptr);
  REQUIRE(limits.regions.size() == 2);
  CHECK(std::isnan(limits.regions[0].margin_K));
  CHECK_FALSE(limits.regions[0].pass);
}

TEST_CASE("evaluate_limits: ring banks pass within 5 K of spread, single rings are skipped") {
  const CaseSpec spec = read_text(cposim::testing::minimal_case());
  PhotonicsReport p;
  p.banks.push_back({"tight", 8, 300.0, 304.9, 4.9});
  p.banks.push_back({"loose", 8, 300.0, 305.5, 5.5});
  p.banks.push_back({"single", 1, 300.0, 300.0, 0.0});
  const auto limits = evaluate_limits(spec, {}, &p);
  REQUIRE(limits.banks.size() == 2);
  CHECK(limits.banks[0].pass);
  CHECK(limits.banks[0].margin_K == doctest::Approx(0.1).epsilon(1e-9));
  CHECK_FALSE(limits.banks[1].pass);
  CHECK(limits.failures() == 1);
  CHECK(format_limits(limits).find("ring bank loose (spread 5.50 K > 5.00 K)") !=
        std::string::npos);
}

TEST_CASE("no limits: no section is printed") { CHECK(format_limits(LimitReport{}).empty()); }

TEST_CASE("the resolved echo carries role and limit, and reads back the same") {
  const CaseSpec spec = read_text(cposim::testing::minimal_case(kBlocks));
  // A role's default limit is echoed as a comment: it stays a default when read back.
  CHECK(
      spec.resolved_text.find("role = \"asic\"\n# T_limit_K = 378.15 (default of role \"asic\")") !=
      std::string::npos);
  const CaseSpec again = read_text(spec.resolved_text);
  REQUIRE(again.blocks.size() == 3);
  CHECK(again.blocks[0].role == ComponentRole::asic);
  CHECK_FALSE(again.blocks[0].T_limit_K);
  CHECK(*default_limit_K(again.blocks[0].role) == doctest::Approx(378.15).epsilon(1e-12));
  CHECK(again.resolved_text == spec.resolved_text);
  CHECK(again.blocks[1].role == ComponentRole::laser);
  CHECK(*again.blocks[1].T_limit_K == 360.0);
  CHECK(again.blocks[2].role == ComponentRole::other);
  CHECK_FALSE(again.blocks[2].T_limit_K);
}
