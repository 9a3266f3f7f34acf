/// \file
/// `[output] formats` and `[[output.maps]]`: reading, the echo, the planes the maps resolve
/// to, the --format option, and a real run of small_stack writing the VTK set and the maps.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "cases/read/output_maps_reader.hpp"
#include "cases/report/run_and_report.hpp"
#include "cases/report/summary_text.hpp"
#include "cases/resolve/load_case.hpp"
#include "cases/run/run_case.hpp"
#include "cases/run/temperature_maps.hpp"
#include "postproc/plots/raster_image.hpp"
#include "tests/support/minimal_case.hpp"

using namespace cposim::cases;
using cposim::testing::minimal_case;
namespace fs = std::filesystem;

namespace {

CaseSpec read_text(const std::string& text) {
  return read_case_text(text, "case.toml", fs::temp_directory_path().string());
}

const std::string kMaps =
    "[output]\nformats = [\"hdf5\", \"vtk\"]\n"
    "[[blocks]]\nname = \"die\"\nmaterial = \"Si\"\norigin_um = [100, 100, 100]\n"
    "size_um = [200, 100, 40]\npower_W = 1\n"
    "[[output.maps]]\nname = \"at_z\"\nz_um = 25\nT_range_K = [300, 310.5]\n"
    "[[output.maps]]\nname = \"slab\"\nlayer = \"slab\"\n"
    "[[output.maps]]\nname = \"die\"\nblock = \"die\"\n"
    "[[output.maps]]\nname = \"side\"\ny_um = 150\n";

}  // namespace

TEST_CASE("[output] formats and [[output.maps]]: read in µm, echoed, read back the same") {
  const CaseSpec spec = read_text(minimal_case(kMaps));
  CHECK(spec.output.vtk);
  REQUIRE(spec.output.maps.size() == 4);
  const auto& z = spec.output.maps[0];
  CHECK(z.name == "at_z");
  CHECK(z.normal_axis == 2);
  CHECK(*z.position_m == 25e-6);
  CHECK((*z.T_range_K)[1] == 310.5);
  CHECK(*spec.output.maps[1].layer == "slab");
  CHECK(*spec.output.maps[2].block == "die");
  CHECK(spec.output.maps[3].normal_axis == 1);
  CHECK(*spec.output.maps[3].position_m == 150e-6);
  CHECK_FALSE(read_text(minimal_case()).output.vtk);
  CHECK(read_text(minimal_case()).output.maps.empty());

  const std::string& echo = spec.resolved_text;
  CHECK(echo.find("formats = [\"hdf5\", \"vtk\"]\n") != std::string::npos);
  CHECK(echo.find("[[output.maps]]\nname = \"at_z\"\nz_um = 25\nT_range_K = [300, 310.5]\n") !=
        std::string::npos);
  CHECK(echo.find("[[output.maps]]\nname = \"side\"\ny_um = 150\n") != std::string::npos);
  const CaseSpec again = read_text(echo);
  CHECK(again.resolved_text.substr(again.resolved_text.find('\n')) == echo.substr(echo.find('\n')));
  CHECK(read_text(minimal_case()).resolved_text.find("formats = [\"hdf5\"]\n") !=
        std::string::npos);
}

TEST_CASE("map_requests: planes through a position, a layer's and a block's mid-height") {
  const CaseSpec spec = read_text(minimal_case(kMaps));
  const cposim::mesh::RectilinearGrid grid({0, 1e-3}, {0, 5e-4}, {0, 1e-4, 1.4e-4});
  const cposim::mesh::CellField T{&grid, "temperature_K", {300.0, 320.0}};
  const auto requests = map_requests(spec, T);
  REQUIRE(requests.size() == 4);
  CHECK(requests[0].first == "at_z");
  CHECK(requests[0].second.position_m == 25e-6);
  CHECK(requests[0].second.T_range_K.has_value());
  CHECK(requests[1].second.position_m == doctest::Approx(50e-6).epsilon(1e-12));
  CHECK(requests[1].second.plane_note == "mid-height of layer 'slab'");
  CHECK(requests[2].second.position_m == doctest::Approx(120e-6).epsilon(1e-12));
  CHECK(requests[3].second.normal_axis == 1);
  // Outlines: the block in plan views; layers and the block in side views.
  CHECK(requests[0].second.outlines.size() == 1);
  CHECK(requests[3].second.outlines.size() == 2);

  // No maps listed: one through the hottest cell (the upper one here).
  const auto fallback = map_requests(read_text(minimal_case()), T);
  REQUIRE(fallback.size() == 1);
  CHECK(fallback[0].first == kDefaultMapName);
  CHECK(fallback[0].second.position_m == doctest::Approx(1.2e-4).epsilon(1e-12));
}

TEST_CASE("parse_format_option: hdf5 and vtk, anything else named in the error") {
  bool vtk = true;
  CHECK(parse_format_option("hdf5", vtk).empty());
  CHECK_FALSE(vtk);
  CHECK(parse_format_option("hdf5,vtk", vtk).empty());
  CHECK(vtk);
  CHECK(parse_format_option("vtk", vtk).empty());
  CHECK(vtk);
  CHECK(parse_format_option("hdf5,vtu", vtk) ==
        "--format takes a comma-separated list of hdf5, vtk (hdf5 is always written); got 'vtu' "
        "in 'hdf5,vtu'");
  CHECK_FALSE(parse_format_option("", vtk).empty());
  CHECK_FALSE(parse_format_option("hdf5,", vtk).empty());
}

TEST_CASE("run_case: small_stack with --format vtk writes the VTK set and its default map") {
  const CaseSpec spec =
      read_case(std::string(CPOSIM_SOURCE_DIR) + "/cases/examples/small_stack.toml");
  const fs::path out =
      fs::temp_directory_path() / ("cposim_test_output_maps_" + std::to_string(::getpid()));
  fs::remove_all(out);
  RunOptions options;
  options.out_dir = out.string();
  options.vtk = true;
  const RunSummary summary = run_and_report(spec, options);
  REQUIRE(summary.vtk_paths.size() == 3);  // .vtr, hot spots .vtp, .pvd
  CHECK(summary.vtk_paths.front() == (out / "results.vtr").string());
  CHECK(summary.vtk_paths.back() == (out / "results.pvd").string());
  for (const auto& p : summary.vtk_paths) CHECK(fs::file_size(p) > 100);
  REQUIRE(summary.map_png_paths.size() == 1);
  CHECK(summary.map_png_paths[0] == (out / "map_hottest.png").string());
  const auto png = cposim::postproc::read_png(summary.map_png_paths[0]);
  CHECK(png.width() > 500);
  const std::string text = format_summary(summary);
  CHECK(text.find("map: " + summary.map_png_paths[0]) != std::string::npos);
  CHECK(text.find("results.pvd") != std::string::npos);

  options.vtk = false;  // --format hdf5 overrides: no VTK files
  fs::remove_all(out);
  CHECK(run_and_report(spec, options).vtk_paths.empty());
  CHECK_FALSE(fs::exists(out / "results.vtr"));
  fs::remove_all(out);
}
