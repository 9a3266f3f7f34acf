/// \file
/// summary.json and the /hot_spots tables of a real run of cases/examples/small_stack.toml:
/// the JSON is parsed by cases/read/json_reader.hpp, the tables are read back with the HDF5 C API.
#include <doctest/doctest.h>
#include <hdf5.h>
#include <unistd.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "cases/read/json_reader.hpp"
#include "cases/report/run_and_report.hpp"
#include "cases/report/summary_json.hpp"
#include "cases/resolve/load_case.hpp"
#include "cases/run/run_case.hpp"
#include "cases/run/thermal_resistance.hpp"
#include "tests/support/scratch_dir.hpp"

namespace fs = std::filesystem;
using namespace cposim::cases;

namespace {

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// A fresh directory under the system temp dir, removed at the end of the test.
struct TempDir : cposim::testing::ScratchDir {
  TempDir() : ScratchDir("summary_json") {}
};

struct H5Id {
  hid_t id;
  herr_t (*close)(hid_t);
  ~H5Id() {
    if (id >= 0) close(id);
  }
};

std::int64_t int_attribute(hid_t object, const char* name) {
  const H5Id a{H5Aopen(object, name, H5P_DEFAULT), H5Aclose};
  REQUIRE(a.id >= 0);
  std::int64_t value = -1;
  REQUIRE(H5Aread(a.id, H5T_NATIVE_INT64, &value) >= 0);
  return value;
}

std::vector<double> read_doubles(hid_t file, const char* path, std::size_t rows) {
  const H5Id d{H5Dopen2(file, path, H5P_DEFAULT), H5Dclose};
  REQUIRE(d.id >= 0);
  std::vector<double> values(rows);
  if (rows > 0)
    REQUIRE(H5Dread(d.id, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) >= 0);
  return values;
}

std::vector<std::string> read_strings(hid_t file, const char* path, std::size_t rows) {
  const H5Id d{H5Dopen2(file, path, H5P_DEFAULT), H5Dclose};
  REQUIRE(d.id >= 0);
  const H5Id t{H5Dget_type(d.id), H5Tclose};
  REQUIRE(H5Tis_variable_str(t.id) == 0);
  const std::size_t width = H5Tget_size(t.id);
  std::vector<char> buffer(width * rows + 1, '\0');
  if (rows > 0) REQUIRE(H5Dread(d.id, t.id, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data()) >= 0);
  std::vector<std::string> out;
  for (std::size_t r = 0; r < rows; ++r)
    out.emplace_back(buffer.data() + r * width, strnlen(buffer.data() + r * width, width));
  return out;
}

void check_finite_numbers(const JsonValue& value, const std::string& where) {
  if (value.kind == JsonValue::Kind::number) CHECK_MESSAGE(std::isfinite(value.number), where);
  for (std::size_t i = 0; i < value.items.size(); ++i)
    check_finite_numbers(value.items[i], where + "[" + std::to_string(i) + "]");
  for (const auto& [k, v] : value.members) check_finite_numbers(v, where + "." + k);
}

}  // namespace

TEST_CASE("summary_json escapes strings and writes non-finite numbers as null") {
  RunSummary s;
  s.title = "quote \" backslash \\ newline \n tab \t bell \x07 µm";
  s.solve.energy.relative = std::nan("");
  const JsonValue doc = parse_json(summary_json(s));
  CHECK(doc.at("title").text == s.title);
  CHECK(doc.at("energy_balance").at("relative").kind == JsonValue::Kind::null);
  CHECK(doc.at("coolant").kind == JsonValue::Kind::null);
  CHECK(doc.at("summary_version").number == summary_json_version);
}

TEST_CASE("run_case writes summary.json and the /hot_spots tables for small_stack") {
  const TempDir dir;
  const auto spec =
      read_case((fs::path(CPOSIM_SOURCE_DIR) / "cases" / "examples" / "small_stack.toml").string());
  RunOptions options;
  options.out_dir = dir.path.string();
  const RunSummary summary = run_and_report(spec, options);
  REQUIRE(summary.outcome() == RunOutcome::ok);

  // --- summary.json beside results.h5, no temporary left over
  const fs::path json_path = dir.path / "summary.json";
  CHECK(summary.summary_json_path == json_path.string());
  REQUIRE(fs::is_regular_file(json_path));
  for (const auto& entry : fs::directory_iterator(dir.path))
    CHECK_MESSAGE(entry.path().filename().string().find(".tmp-") == std::string::npos,
                  entry.path());
  const JsonValue doc = parse_json(read_file(json_path));
  REQUIRE(doc.kind == JsonValue::Kind::object);
  for (const char* key :
       {"summary_version", "program_version", "title", "grid", "solver", "energy_balance",
        "regions", "hot_spots", "coolant", "thermal_resistance"})
    CHECK_MESSAGE(doc.find(key) != nullptr, key);
  check_finite_numbers(doc, "summary");
  CHECK(doc.at("title").text == spec.title);
  CHECK(doc.at("grid").at("num_cells").number == static_cast<double>(summary.num_cells));
  CHECK(doc.at("solver").at("converged").boolean);
  CHECK(doc.at("solver").at("linear_iterations").number > 0);
  CHECK(doc.at("energy_balance").at("power_in_W").number == doctest::Approx(3.0).epsilon(1e-9));
  REQUIRE(doc.at("regions").items.size() == summary.regions.size());
  for (const auto& r : doc.at("regions").items)
    for (const char* key : {"name", "num_cells", "power_W", "T_max_K", "T_max_C", "T_mean_K",
                            "T_mean_C", "T_min_K", "T_min_C", "T_max_at_m"})
      CHECK_MESSAGE(r.find(key) != nullptr, key);

  // The hot spots: the die's first spot is the global maximum of the die.
  REQUIRE(!summary.hot_spots.empty());
  REQUIRE(doc.at("hot_spots").items.size() == summary.hot_spots.size());
  const cposim::postproc::RegionStatistics* die = nullptr;
  for (const auto& r : summary.regions)
    if (r.name == "die") die = &r;
  REQUIRE(die != nullptr);
  bool die_first_is_max = false;
  for (const auto& h : summary.hot_spots)
    if (h.region == "die" && h.rank == 1) die_first_is_max = h.T_K == die->T_max_K;
  CHECK(die_first_is_max);
  CHECK(doc.at("hot_spots").items[0].at("T_K").number == summary.hot_spots[0].T_K);

  // One heat source (the die) and a coolant face (top, most heat).
  REQUIRE(doc.at("coolant").kind == JsonValue::Kind::object);
  CHECK(doc.at("coolant").at("face").text == "z_max");
  CHECK(doc.at("coolant").at("T_K").number == doctest::Approx(308.15).epsilon(1e-12));
  REQUIRE(doc.at("thermal_resistance").items.size() == 1);
  const JsonValue& R = doc.at("thermal_resistance").items[0];
  CHECK(R.at("region").text == "die");
  CHECK(R.at("R_max_K_per_W").number ==
        doctest::Approx((die->T_max_K - 308.15) / die->power_W).epsilon(1e-12));
  CHECK(R.at("R_max_K_per_W").number > R.at("R_mean_K_per_W").number);
  CHECK(R.at("R_mean_K_per_W").number > 0.0);

  // --- /hot_spots in results.h5
  const H5Id file{H5Fopen((dir.path / "results.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT),
                  H5Fclose};
  REQUIRE(file.id >= 0);
  const H5Id spots{H5Gopen2(file.id, "/hot_spots/spots", H5P_DEFAULT), H5Gclose};
  REQUIRE(spots.id >= 0);
  const auto rows = static_cast<std::size_t>(int_attribute(spots.id, "num_rows"));
  REQUIRE(rows == summary.hot_spots.size());
  const auto T_K = read_doubles(file.id, "/hot_spots/spots/T_K", rows);
  const auto z_m = read_doubles(file.id, "/hot_spots/spots/z_m", rows);
  const auto regions = read_strings(file.id, "/hot_spots/spots/region", rows);
  for (std::size_t r = 0; r < rows; ++r) {
    CHECK(T_K[r] == summary.hot_spots[r].T_K);
    CHECK(z_m[r] == summary.hot_spots[r].at_m[2]);
    CHECK(regions[r] == summary.hot_spots[r].region);
  }
  const H5Id resistance{H5Gopen2(file.id, "/hot_spots/resistance", H5P_DEFAULT), H5Gclose};
  REQUIRE(resistance.id >= 0);
  REQUIRE(int_attribute(resistance.id, "num_rows") == 1);
  const auto R_max = read_doubles(file.id, "/hot_spots/resistance/R_max_K_per_W", 1);
  CHECK(R_max[0] == R.at("R_max_K_per_W").number);
}

TEST_CASE("PendingSummaryJson: nothing changes until commit, a failed write leaves nothing") {
  const TempDir dir;
  const fs::path path = dir.path / "summary.json";
  {
    std::ofstream old(path);
    old << "old";
  }
  RunSummary s;
  s.title = "new";
  {
    PendingSummaryJson pending(path.string(), s);
    CHECK(read_file(path) == "old");
  }  // not committed: the temporary goes, the old file stays
  CHECK(read_file(path) == "old");
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(dir.path)) files += entry.is_regular_file();
  CHECK(files == 1);
  PendingSummaryJson(path.string(), s).commit();
  CHECK(parse_json(read_file(path)).at("title").text == "new");
  CHECK_THROWS_AS(write_summary_json((dir.path / "missing" / "summary.json").string(), s),
                  std::runtime_error);
}

TEST_CASE("coolant_reference and source_resistances: most heat out wins, R = dT / P") {
  std::array<cposim::solver::FaceBoundary, 6> faces{};
  faces[4] = {cposim::solver::BoundaryKind::convection, 10.0, 300.0, 0.0};        // z_min
  faces[5] = {cposim::solver::BoundaryKind::fixed_temperature, 0.0, 320.0, 0.0};  // z_max
  faces[0] = {cposim::solver::BoundaryKind::heat_flux, 0.0, 0.0, -1e3};  // never the coolant
  cposim::solver::EnergyBalance energy;
  energy.face_heat_out_W = {5.0, 0.0, 0.0, 0.0, 1.0, 4.0};
  auto coolant = coolant_reference(faces, energy);
  REQUIRE(coolant);
  CHECK(coolant->face == 5);
  CHECK(coolant->T_K == 320.0);
  energy.face_heat_out_W = {5.0, 0.0, 0.0, 0.0, 0.0, 0.0};
  CHECK_FALSE(coolant_reference(faces, energy));

  std::vector<cposim::postproc::RegionStatistics> regions(3);
  regions[0].name = "fill";
  regions[1] = {"asic", 360.0, {}, 340.0, 330.0, 1e-6, 10.0, 4};
  regions[2] = {"eic", 350.0, {}, 345.0, 335.0, 1e-6, 2.0, 4};
  const auto R = source_resistances(regions, CoolantReference{5, 320.0, 4.0});
  REQUIRE(R.size() == 2);  // the fill has no power
  CHECK(R[0].region == "asic");
  CHECK(R[0].R_max_K_per_W == doctest::Approx(4.0).epsilon(1e-15));   // (360 - 320) / 10
  CHECK(R[0].R_mean_K_per_W == doctest::Approx(2.0).epsilon(1e-15));  // (340 - 320) / 10
  CHECK(R[1].region == "eic");
  CHECK(R[1].R_max_K_per_W == doctest::Approx(15.0).epsilon(1e-15));  // (350 - 320) / 2
}
