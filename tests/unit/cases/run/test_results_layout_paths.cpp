/// \file
/// postproc/LAYOUT.md against every object of real results files (issue 17): each group and
/// dataset a results.h5 holds has a row in the page whose first cell is its path (`<…>` = one
/// name; a column of a table group is covered by its table's row), and each path the page lists
/// is in the file of one of the runs here (thermal with probes; photonics; electrical lanes with
/// a cold plate and an operating point; a transient; an optical link
/// with an operating point), so the page and the writer cannot
/// drift apart. (test_results_layout.cpp checks the attributes and the table columns.) Also: a case
/// whose resolved text exceeds 64 KiB (4000 probes) runs to exit 0 and its text reads back
/// identical.
#include <doctest/doctest.h>
#include <hdf5.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cases/report/run_and_report.hpp"
#include "cases/resolve/load_case.hpp"
#include "cases/run/run_case.hpp"
#include "tests/support/minimal_case.hpp"
#include "tests/support/scratch_dir.hpp"

namespace fs = std::filesystem;
using namespace cposim::cases;

namespace {

struct Id {
  hid_t id;
  herr_t (*close)(hid_t);
  ~Id() {
    if (id >= 0) close(id);
  }
};

std::vector<std::string> components(const std::string& path) {
  std::vector<std::string> out;
  std::istringstream parts(path);
  for (std::string part; std::getline(parts, part, '/');)
    if (!part.empty()) out.push_back(part);
  return out;
}

/// The paths in the first cell of the table rows of LAYOUT.md's results.h5 sections ("## HDF5
/// layout" and "## Further tables"; the sweep.h5 section is another file), split in components.
std::vector<std::vector<std::string>> documented_paths() {
  std::ifstream in(fs::path(CPOSIM_SOURCE_DIR) / "postproc" / "LAYOUT.md");
  REQUIRE(in);
  std::vector<std::vector<std::string>> out;
  bool in_results = false;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("## ", 0) == 0)
      in_results = line.rfind("## HDF5 layout", 0) == 0 || line.rfind("## Further tables", 0) == 0;
    if (!in_results || line.rfind("| `/", 0) != 0) continue;
    // Every `/path` of the first cell (a row may list several tables of one form).
    const std::string cell = line.substr(1, line.find('|', 1) - 1);
    for (auto open = cell.find('`'); open != std::string::npos;) {
      const auto close = cell.find('`', open + 1);
      REQUIRE(close != std::string::npos);
      const std::string path = cell.substr(open + 1, close - open - 1);
      if (path.size() > 1 && path[0] == '/') out.push_back(components(path));
      open = cell.find('`', close + 1);
    }
  }
  return out;
}

/// True if the first pattern.size() components of `path` match `pattern` ("<x>" = any name).
bool matches_prefix(const std::vector<std::string>& path, const std::vector<std::string>& pattern,
                    std::size_t n) {
  for (std::size_t i = 0; i < n; ++i)
    if (!(pattern[i].front() == '<' && pattern[i].back() == '>') && pattern[i] != path[i])
      return false;
  return true;
}

bool matches(const std::vector<std::string>& path, const std::vector<std::string>& pattern) {
  return path.size() == pattern.size() && matches_prefix(path, pattern, path.size());
}

struct Object {
  std::string path;
  bool group = false;
  bool table_column = false;  ///< a dataset in a table group (one with a `columns` attribute)
};

std::string link_name(hid_t group, hsize_t n) {
  const ssize_t size =
      H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, n, nullptr, 0, H5P_DEFAULT);
  REQUIRE(size > 0);
  std::string name(static_cast<std::size_t>(size) + 1, '\0');
  H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, n, name.data(), name.size(),
                     H5P_DEFAULT);
  name.resize(static_cast<std::size_t>(size));
  return name;
}

/// Every group and dataset below `path` (depth first).
void walk(hid_t file, const std::string& path, std::vector<Object>& out) {
  const Id g{H5Gopen2(file, path.c_str(), H5P_DEFAULT), H5Gclose};
  REQUIRE_MESSAGE(g.id >= 0, path);
  const bool table = H5Aexists(g.id, "columns") > 0;
  H5G_info_t info;
  REQUIRE(H5Gget_info(g.id, &info) >= 0);
  for (hsize_t n = 0; n < info.nlinks; ++n) {
    const std::string child = (path == "/" ? "/" : path + "/") + link_name(g.id, n);
    H5O_info_t o;
    REQUIRE(H5Oget_info_by_name(file, child.c_str(), &o, H5P_DEFAULT) >= 0);
    REQUIRE_MESSAGE((o.type == H5O_TYPE_GROUP || o.type == H5O_TYPE_DATASET), child);
    out.push_back({child, o.type == H5O_TYPE_GROUP, table && o.type == H5O_TYPE_DATASET});
    if (o.type == H5O_TYPE_GROUP) walk(file, child, out);
  }
}

/// Checks that every object of `h5` is documented; marks the documented paths it holds.
void check_objects(const std::string& h5, const std::vector<std::vector<std::string>>& documented,
                   std::vector<bool>& seen) {
  CAPTURE(h5);
  const Id f{H5Fopen(h5.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose};
  REQUIRE(f.id >= 0);
  std::vector<Object> objects;
  walk(f.id, "/", objects);
  for (const auto& object : objects) {
    const auto path = components(object.path);
    bool listed = object.table_column;  // its table's columns are checked against its row
    for (std::size_t d = 0; d < documented.size(); ++d) {
      const auto& pattern = documented[d];
      if (matches(path, pattern)) {
        listed = true;
        seen[d] = true;
      } else if (object.group && path.size() < pattern.size() &&
                 matches_prefix(path, pattern, path.size())) {
        listed = true;  // a group on the way to a documented path (e.g. /photonics)
      }
    }
    CHECK_MESSAGE(listed, "not in postproc/LAYOUT.md: ", object.path);
  }
}

struct TempDir : cposim::testing::ScratchDir {
  TempDir() : ScratchDir("layout_paths") {}
};

RunSummary run_text(const TempDir& dir, const std::string& name, const std::string& text) {
  const fs::path file = dir.path / (name + ".toml");
  std::ofstream(file) << text;
  RunOptions options;
  options.out_dir = (dir.path / name).string();
  const RunSummary summary = run_and_report(read_case(file.string()), options);
  REQUIRE(summary.outcome() == RunOutcome::ok);
  return summary;
}

const char* kThermal =
    "[[blocks]]\nname = \"die\"\nmaterial = \"Si\"\nrole = \"asic\"\n"
    "origin_um = [250, 100, 50]\nsize_um = [500, 300, 50]\npower_W = 0.01\n"
    "[[output.probes]]\nname = \"centre\"\nat_um = [500, 250, 75]\n";

const char* kPhotonic =
    "[package]\nfootprint_um = [3000, 1000]\n"
    "[[layers]]\nname = \"slab\"\nmaterial = \"Cu\"\nthickness_um = 200\npower_W = 0.2\n"
    "[boundary.top]\ntype = \"convection\"\nh_W_per_m2K = 5000\nT_ambient_K = 300\n"
    "[grid]\nmax_cell_xy_um = 250\nmax_cell_z_um = 100\n"
    "[solver]\nlinear_solver = \"direct\"\n"
    "[[rings]]\nname = \"pair\"\ncenter_um = [500, 500, 150]\ncount = 2\n"
    "pitch_um = [2000, 0, 0]\nlambda0_nm = 1300\ntarget_nm = 1303\ndrift_pm_per_K = 75\n"
    "[[lasers]]\nname = \"dfb\"\ncenter_um = [1500, 500, 150]\nsize_um = [400, 5, 5]\n"
    "lambda0_nm = 1310\ncurrent_mA = 100\nvoltage_V = 1.5\n"
    "[[waveguides]]\nname = \"w\"\npath_um = [[200, 200, 150], [2800, 200, 150]]\n"
    "[[mzis]]\nname = \"m\"\narm_a_path_um = [[200, 800, 150], [2800, 800, 150]]\n"
    "arm_b_path_um = [[200, 700, 150], [2800, 700, 150]]\n"
    "[coupling]\ncrosstalk = true\n";

/// Electrical lanes from an ASIC to an EIC, a water cold plate under the package, a warm point.
const char* kLanesPlate =
    "[package]\nfootprint_um = [10000, 10000]\n"
    "[[layers]]\nname = \"slab\"\nmaterial = \"Si\"\nthickness_um = 500\n"
    "[[blocks]]\nname = \"asic\"\nmaterial = \"Si\"\norigin_um = [4000, 3000, 500]\n"
    "size_um = [4000, 4000, 200]\npower_W = 2\n"
    "[[blocks]]\nname = \"eic\"\nmaterial = \"Si\"\norigin_um = [500, 3500, 500]\n"
    "size_um = [2000, 3000, 200]\n"
    "[grid]\nmax_cell_xy_um = 500\nmax_cell_z_um = 100\n"
    "[boundary.top]\ntype = \"convection\"\nh_W_per_m2K = 10000\nT_ambient_K = 300\n"
    "[[cold_plates]]\nname = \"cp\"\nface = \"bottom\"\norigin_um = [0, 0]\n"
    "size_um = [10000, 10000]\ncoolant = \"water\"\ninlet_T_K = 300\n"
    "flow_L_per_min = 0.05\nflow_direction = \"+x\"\nh_W_per_m2K = 2e4\n"
    "[[operating_points]]\nname = \"warm\"\nambient_T_K = 320\n"
    "[[electrical.lanes]]\nname = \"est\"\ncount = 4\n"
    "from = { block = \"asic\", edge = \"x_min\" }\nto = \"eic\"\ndata_rate_Gbps = 212.5\n"
    "budget = \"CEI-224G-XSR\"\nz_um = 450\nbump_pitch_um = 50\nbumps_per_lane = 4\n"
    "path = [{ medium = \"abf_stripline\", z_um = 250 }]\n";

const char* kTransient =
    "[[blocks]]\nname = \"die\"\nmaterial = \"Si\"\norigin_um = [250, 100, 50]\n"
    "size_um = [500, 300, 50]\npower_W = 0.01\n"
    "[[output.probes]]\nname = \"centre\"\nat_um = [500, 250, 75]\n"
    "[transient]\nend_time_s = 0.01\noutput_interval_s = 0.005\ninitial_T_K = 300\n";

/// An optical link: an external 3-line laser, Tx and Rx ring banks and a bus waveguide on a Si
/// slab held at 320 K (as in test_links.cpp).
const char* kLink =
    "[package]\nfootprint_um = [1000, 500]\n"
    "[[layers]]\nname = \"slab\"\nmaterial = \"Si\"\nthickness_um = 100\n"
    "[boundary.top]\ntype = \"fixed_temperature\"\nT_K = 320\n"
    "[[lasers]]\nname = \"els\"\nplacement = \"external\"\nT_K = 320\nT_ref_K = 320\ncount = 3\n"
    "grid = \"CW-WDM-8\"\nR_th_jc_K_per_W = 0\n"
    "[[rings]]\nname = \"tx\"\ncenter_um = [200, 250, 50]\ncount = 3\npitch_um = [100, 0, 0]\n"
    "laser = \"els\"\nlambda0_offset_nm = -1\nT_ref_K = 320\nradius_um = 5\n"
    "[[rings]]\nname = \"rx\"\nrole = \"filter\"\ncenter_um = [200, 400, 50]\ncount = 3\n"
    "pitch_um = [100, 0, 0]\ngrid = \"CW-WDM-8\"\nlambda0_offset_nm = -1\nT_ref_K = 320\n"
    "radius_um = 5\n"
    "[[waveguides]]\nname = \"bus\"\npath_um = [[100, 100, 50], [900, 100, 50]]\n"
    "[coupling]\nenabled = false\n"
    "[[optics.links]]\nname = \"l\"\nlaser = \"els\"\nlaser_split = 2\nmodulator = \"tx\"\n"
    "demux = \"rx\"\nwaveguides = [\"bus\"]\n"
    "[[operating_points]]\nname = \"hot\"\nambient_T_K = 330\n";

}  // namespace

TEST_CASE("every object of results.h5 is in LAYOUT.md, and every path there is in a results file") {
  const auto documented = documented_paths();
  REQUIRE(documented.size() >= 40);  // the page was read
  std::vector<bool> seen(documented.size(), false);
  const TempDir dir;
  check_objects(run_text(dir, "thermal", cposim::testing::minimal_case(kThermal)).results_path,
                documented, seen);
  check_objects(run_text(dir, "photonic", kPhotonic).results_path, documented, seen);
  check_objects(run_text(dir, "lanes", kLanesPlate).results_path, documented, seen);
  check_objects(run_text(dir, "transient", cposim::testing::minimal_case(kTransient)).results_path,
                documented, seen);
  check_objects(run_text(dir, "link", kLink).results_path, documented, seen);
  // The photonic case in time: one ring bank under a PI loop, no crosstalk (steady only).
  std::string photonic_transient = kPhotonic;
  photonic_transient.insert(photonic_transient.find("[[lasers]]"),
                            "control = \"pi\"\npi_period_s = 0.005\n");
  photonic_transient.replace(photonic_transient.find("[coupling]"), std::string::npos,
                             "[transient]\nend_time_s = 0.01\noutput_interval_s = 0.005\n");
  check_objects(run_text(dir, "photonic_transient", photonic_transient).results_path, documented,
                seen);
  std::ifstream cavity(fs::path(CPOSIM_SOURCE_DIR) / "cases/examples/two_tier_microchannel.toml");
  check_objects(
      run_text(dir, "cavity", std::string(std::istreambuf_iterator<char>(cavity), {})).results_path,
      documented, seen);
  for (std::size_t d = 0; d < documented.size(); ++d) {
    std::string path;
    for (const auto& c : documented[d]) path += "/" + c;
    CHECK_MESSAGE(seen[d], "listed in postproc/LAYOUT.md but in none of the results files: ", path);
  }
}

TEST_CASE(
    "a case whose resolved text exceeds 64 KiB runs, and /resolved_case reads back identical") {
  std::string probes;
  for (int n = 0; n < 4000; ++n)
    probes += "[[output.probes]]\nname = \"p" + std::to_string(n) + "\"\nat_um = [" +
              std::to_string(100 + (n % 80) * 10) + ", " + std::to_string(50 + (n / 80) * 8) +
              ", 50]\n";
  const TempDir dir;
  const fs::path file = dir.path / "many_probes.toml";
  std::ofstream(file) << cposim::testing::minimal_case(probes);
  const CaseSpec spec = read_case(file.string());
  REQUIRE(spec.resolved_text.size() > 65536);
  RunOptions options;
  options.out_dir = (dir.path / "out").string();
  const RunSummary summary = run_and_report(spec, options);
  REQUIRE(summary.outcome() == RunOutcome::ok);
  CHECK(summary.probes.size() == 4000);

  const Id f{H5Fopen(summary.results_path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose};
  REQUIRE(f.id >= 0);
  const Id d{H5Dopen2(f.id, "/resolved_case", H5P_DEFAULT), H5Dclose};
  REQUIRE(d.id >= 0);
  const Id type{H5Dget_type(d.id), H5Tclose};
  std::string text(H5Tget_size(type.id), '\0');
  REQUIRE(H5Dread(d.id, type.id, H5S_ALL, H5S_ALL, H5P_DEFAULT, text.data()) >= 0);
  text.resize(text.find('\0'));
  CHECK(text == spec.resolved_text);
  // The stored text is a case file: read again it resolves to the same text.
  CHECK(read_case_text(text, file.string(), dir.path.string()).resolved_text == text);
}
