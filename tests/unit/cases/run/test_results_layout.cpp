/// \file
/// results.h5 of real runs against postproc/LAYOUT.md, read by this test: every root attribute
/// of the "Root attributes of a run" table (type; present exactly when its "When" says), every
/// table whose columns the page lists (the `columns` attribute in the documented order, one
/// 1-D dataset per column with `num_rows` rows, int32/int64 where the page says so), the mesh,
/// fields and polyline sets. Two runs: a thermal case with probes, hot spots and limits (no
/// photonics), and a small photonic case with a ring bank, a laser, a waveguide, an MZI and
/// the crosstalk matrix. (test_results_writer.cpp checks the writer itself on synthetic data.)
#include <doctest/doctest.h>
#include <hdf5.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "cases/read/json_reader.hpp"
#include "cases/report/run_and_report.hpp"
#include "cases/resolve/load_case.hpp"
#include "cases/run/run_case.hpp"
#include "cases/run/verdicts.hpp"
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

std::string trim(const std::string& s) {
  const auto a = s.find_first_not_of(' ');
  const auto b = s.find_last_not_of(' ');
  return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

/// The cells of a Markdown table row "| a | b | c |".
std::vector<std::string> cells(const std::string& line) {
  std::vector<std::string> out;
  std::string cell;
  for (std::size_t i = 1; i < line.size(); ++i) {
    if (line[i] == '|') {
      out.push_back(trim(cell));
      cell.clear();
    } else {
      cell += line[i];
    }
  }
  return out;
}

/// The first `backticked` text of `s`, or "".
std::string first_code(const std::string& s) {
  const auto a = s.find('`');
  const auto b = a == std::string::npos ? a : s.find('`', a + 1);
  return b == std::string::npos ? "" : s.substr(a + 1, b - a - 1);
}

struct DocColumn {
  std::string name;
  std::string type;  ///< "int32", "int64" or "" (any type: float64, an integer or text)
};

struct DocAttribute {
  std::string type;  ///< "string", "float64", "int64"
  std::string when;  ///< "always", "a coolant face", "photonic devices", "failed solve"
};

/// When a documented table is in results.h5, from the heading of its section.
enum class Presence {
  always,     ///< "### Tables" or a section "…, always written"
  photonics,  ///< "written when a case has photonic devices"
  optional,   ///< written for other features: checked where present
};

struct DocTable {
  std::vector<DocColumn> columns;
  bool open = false;  ///< the page also lists columns by description ("each parameter")
  Presence presence = Presence::optional;
};

/// What postproc/LAYOUT.md documents about results.h5 (sections of other files are skipped).
struct Layout {
  std::map<std::string, DocTable> tables;  ///< "/group/table" or "/regions"
  std::map<std::string, DocAttribute> root_attributes;
};

/// Splits a columns cell ("`a`, `b` (int32, 1 = x), `c`") at the commas outside parentheses.
/// An entry that does not start with a `name` describes columns (the table is then open).
DocTable parse_columns(const std::string& cell) {
  DocTable out;
  std::string item;
  int depth = 0;
  auto flush = [&] {
    const std::string t = trim(item);
    item.clear();
    if (t.empty()) return;
    if (t[0] != '`') {
      out.open = true;
      return;
    }
    DocColumn c;
    c.name = first_code(t);
    const auto paren = t.find('(');
    if (paren != std::string::npos) {
      const std::string note = t.substr(paren + 1);
      if (note.rfind("int32", 0) == 0) c.type = "int32";
      if (note.rfind("int64", 0) == 0) c.type = "int64";
    }
    out.columns.push_back(c);
  };
  for (const char ch : cell) {
    if (ch == '(') ++depth;
    if (ch == ')') --depth;
    if (ch == ',' && depth == 0)
      flush();
    else
      item += ch;
  }
  flush();
  return out;
}

Layout read_layout() {
  std::ifstream in(fs::path(CPOSIM_SOURCE_DIR) / "postproc" / "LAYOUT.md");
  REQUIRE(in);
  Layout layout;
  std::string line;
  bool in_attributes = false, in_results = false;
  Presence presence = Presence::optional;
  auto has = [&line](const char* text) { return line.find(text) != std::string::npos; };
  while (std::getline(in, line)) {
    if (line.rfind("## ", 0) == 0)
      in_results = line.rfind("## HDF5 layout", 0) == 0 || line.rfind("## Further tables", 0) == 0;
    if (line.rfind("#", 0) == 0) {
      in_attributes = has("Root attributes of a run");
      presence = line == "### Tables" || has("always written") ? Presence::always
                 : has("photonic devices")                     ? Presence::photonics
                                                               : Presence::optional;
    }
    if (!in_results) continue;
    if (line.rfind("| `", 0) != 0) continue;
    const auto c = cells(line);
    if (in_attributes) {
      REQUIRE(c.size() >= 3);
      layout.root_attributes[first_code(c[0])] = {c[1], c[2]};
      continue;
    }
    const std::string path = first_code(c[0]);
    if (c.size() < 2 || path.empty() || path[0] != '/' || path.find('<') != std::string::npos ||
        c[1].find('`') == std::string::npos)
      continue;  // not a table with its columns listed
    std::string key = path;
    if (key.size() > 1 && key.back() == '/') key.pop_back();
    layout.tables[key] = parse_columns(c[1]);
    layout.tables[key].presence = presence;
  }
  return layout;
}

bool exists(hid_t file, const std::string& path) {
  // Walks the path link by link (H5Lexists needs every parent to exist).
  std::string prefix;
  std::istringstream parts(path);
  std::string part;
  while (std::getline(parts, part, '/')) {
    if (part.empty()) continue;
    prefix += "/" + part;
    if (H5Lexists(file, prefix.c_str(), H5P_DEFAULT) <= 0) return false;
  }
  return true;
}

std::vector<std::string> members(hid_t file, const std::string& group) {
  const Id g{H5Gopen2(file, group.c_str(), H5P_DEFAULT), H5Gclose};
  REQUIRE_MESSAGE(g.id >= 0, "missing group ", group);
  H5G_info_t info;
  H5Gget_info(g.id, &info);
  std::vector<std::string> names;
  for (hsize_t n = 0; n < info.nlinks; ++n) {
    char name[256] = {};
    H5Lget_name_by_idx(g.id, ".", H5_INDEX_NAME, H5_ITER_INC, n, name, sizeof name, H5P_DEFAULT);
    names.emplace_back(name);
  }
  return names;
}

bool is_group(hid_t file, const std::string& path) {
  H5O_info_t info;
  return H5Oget_info_by_name(file, path.c_str(), &info, H5P_DEFAULT) >= 0 &&
         info.type == H5O_TYPE_GROUP;
}

std::vector<hsize_t> dims_of(hid_t file, const std::string& path) {
  const Id d{H5Dopen2(file, path.c_str(), H5P_DEFAULT), H5Dclose};
  REQUIRE_MESSAGE(d.id >= 0, "missing dataset ", path);
  const Id s{H5Dget_space(d.id), H5Sclose};
  std::vector<hsize_t> dims(static_cast<std::size_t>(H5Sget_simple_extent_ndims(s.id)));
  H5Sget_simple_extent_dims(s.id, dims.data(), nullptr);
  return dims;
}

/// "float64", "int32", "int64", "string" or "other" for a dataset or attribute type.
std::string type_name(hid_t type) {
  const H5T_class_t cls = H5Tget_class(type);
  const std::size_t size = H5Tget_size(type);
  if (cls == H5T_FLOAT && size == 8) return "float64";
  if (cls == H5T_INTEGER && size == 4) return "int32";
  if (cls == H5T_INTEGER && size == 8) return "int64";
  if (cls == H5T_STRING && H5Tis_variable_str(type) == 0) return "string";
  return "other";
}

std::string dataset_type(hid_t file, const std::string& path) {
  const Id d{H5Dopen2(file, path.c_str(), H5P_DEFAULT), H5Dclose};
  REQUIRE_MESSAGE(d.id >= 0, "missing dataset ", path);
  const Id t{H5Dget_type(d.id), H5Tclose};
  return type_name(t.id);
}

std::string attribute_type(hid_t object, const std::string& name) {
  const Id a{H5Aopen(object, name.c_str(), H5P_DEFAULT), H5Aclose};
  REQUIRE_MESSAGE(a.id >= 0, "missing attribute ", name);
  const Id t{H5Aget_type(a.id), H5Tclose};
  return type_name(t.id);
}

std::string string_attribute(hid_t object, const std::string& name) {
  const Id a{H5Aopen(object, name.c_str(), H5P_DEFAULT), H5Aclose};
  REQUIRE_MESSAGE(a.id >= 0, "missing attribute ", name);
  const Id t{H5Aget_type(a.id), H5Tclose};
  std::vector<char> buffer(H5Tget_size(t.id) + 1, '\0');
  REQUIRE(H5Aread(a.id, t.id, buffer.data()) >= 0);
  return buffer.data();
}

std::int64_t int_attribute(hid_t object, const std::string& name) {
  const Id a{H5Aopen(object, name.c_str(), H5P_DEFAULT), H5Aclose};
  REQUIRE_MESSAGE(a.id >= 0, "missing attribute ", name);
  std::int64_t value = -1;
  REQUIRE(H5Aread(a.id, H5T_NATIVE_INT64, &value) >= 0);
  return value;
}

/// A table group: `columns` and `num_rows` attributes, one 1-D dataset per listed column.
void check_table(hid_t file, const std::string& path, const DocTable* documented) {
  CAPTURE(path);
  const Id g{H5Gopen2(file, path.c_str(), H5P_DEFAULT), H5Gclose};
  REQUIRE(g.id >= 0);
  REQUIRE(attribute_type(g.id, "columns") == "string");
  REQUIRE(attribute_type(g.id, "num_rows") == "int64");
  const auto rows = static_cast<hsize_t>(int_attribute(g.id, "num_rows"));
  std::vector<std::string> columns;
  std::istringstream list(string_attribute(g.id, "columns"));
  for (std::string c; std::getline(list, c, ',');) columns.push_back(c);
  auto sorted = columns;
  std::sort(sorted.begin(), sorted.end());
  CHECK(members(file, path) == sorted);  // nothing but the listed columns
  for (const auto& c : columns) {
    CAPTURE(c);
    CHECK(dims_of(file, path + "/" + c) == std::vector<hsize_t>{rows});
    CHECK(dataset_type(file, path + "/" + c) != "other");
  }
  if (documented == nullptr) return;
  std::vector<std::string> names;
  for (const auto& d : documented->columns) {
    names.push_back(d.name);
    CHECK_MESSAGE(exists(file, path + "/" + d.name), "documented column missing: ", d.name);
    if (!d.type.empty() && exists(file, path + "/" + d.name))
      CHECK_MESSAGE(dataset_type(file, path + "/" + d.name) == d.type, d.name);
  }
  if (!documented->open) CHECK(columns == names);  // documented columns, in documented order
}

/// Checks the whole file against `layout`. `photonics`: the run has photonic devices.
void check_file(const fs::path& h5, const Layout& layout, bool photonics) {
  const Id f{H5Fopen(h5.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose};
  REQUIRE(f.id >= 0);

  // Root attributes: documented type; present exactly when documented.
  const Id root{H5Gopen2(f.id, "/", H5P_DEFAULT), H5Gclose};
  REQUIRE(layout.root_attributes.size() >= 30);
  for (const auto& [name, doc] : layout.root_attributes) {
    CAPTURE(name);
    const bool expected = doc.when == "always" || doc.when == "a coolant face" ||
                          (doc.when == "photonic devices" && photonics);
    REQUIRE_MESSAGE(doc.when != "", name);
    if (doc.when == "failed solve") {
      CHECK(H5Aexists(root.id, name.c_str()) == 0);  // these runs converge
      continue;
    }
    REQUIRE(H5Aexists(root.id, name.c_str()) == (expected ? 1 : 0));
    if (expected) CHECK(attribute_type(root.id, name) == doc.type);
  }
  for (const char* face : {"x_max", "y_min", "y_max", "z_min", "z_max"})
    CHECK(attribute_type(root.id, std::string("heat_out_") + face + "_W") == "float64");
  CHECK(int_attribute(root.id, "results_layout_version") == 2);

  // Mesh and fields.
  std::array<hsize_t, 3> n{};
  const char* axes[] = {"/mesh/x_nodes_m", "/mesh/y_nodes_m", "/mesh/z_nodes_m"};
  for (int a = 0; a < 3; ++a) {
    const auto dims = dims_of(f.id, axes[a]);
    REQUIRE(dims.size() == 1);
    n[static_cast<std::size_t>(a)] = dims[0] - 1;
    CHECK(dataset_type(f.id, axes[a]) == "float64");
  }
  for (const auto& field : members(f.id, "/fields")) {
    CAPTURE(field);
    CHECK(dims_of(f.id, "/fields/" + field) == std::vector<hsize_t>{n[2], n[1], n[0]});
    CHECK(dataset_type(f.id, "/fields/" + field) == (field == "region_id" ? "int32" : "float64"));
  }

  // Documented tables: there when their model ran, with the documented columns.
  for (const auto& [path, table] : layout.tables) {
    CAPTURE(path);
    if (table.presence == Presence::photonics && !photonics) {
      CHECK(!exists(f.id, path));
      continue;
    }
    if (table.presence == Presence::optional && !exists(f.id, path)) continue;
    REQUIRE_MESSAGE(exists(f.id, path), "documented table missing: ", path);
    check_table(f.id, path, &table);
  }
  // Every other table group (e.g. /electrical/*) has the generic table form.
  for (const auto& group : members(f.id, "/")) {
    if (group == "mesh" || group == "fields" || group == "polylines") continue;
    const std::string g = "/" + group;
    if (layout.tables.count(g) || !is_group(f.id, g)) continue;  // e.g. the text /resolved_case
    for (const auto& table : members(f.id, g))
      if (is_group(f.id, g + "/" + table) && !layout.tables.count(g + "/" + table))
        check_table(f.id, g + "/" + table, nullptr);
  }

  // Polyline sets: points_m (3n float64), segments (2m int64 indices below n), per-segment
  // float64 values.
  for (const auto& set : members(f.id, "/polylines")) {
    CAPTURE(set);
    const std::string p = "/polylines/" + set;
    const auto points = dims_of(f.id, p + "/points_m");
    const auto segments = dims_of(f.id, p + "/segments");
    REQUIRE(points.size() == 1);
    CHECK(points[0] % 3 == 0);
    REQUIRE(segments.size() == 1);
    CHECK(segments[0] % 2 == 0);
    CHECK(dataset_type(f.id, p + "/points_m") == "float64");
    CHECK(dataset_type(f.id, p + "/segments") == "int64");
    for (const auto& value : members(f.id, p)) {
      if (value == "points_m" || value == "segments") continue;
      CHECK(dims_of(f.id, p + "/" + value) == std::vector<hsize_t>{segments[0] / 2});
      CHECK(dataset_type(f.id, p + "/" + value) == "float64");
    }
    CHECK(fs::is_regular_file(h5.parent_path() / ("results_" + set + ".xmf")));
  }
}

struct TempDir : cposim::testing::ScratchDir {
  TempDir() : ScratchDir("layout") {}
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

}  // namespace

TEST_CASE("LAYOUT.md is readable by this test") {
  const Layout layout = read_layout();
  for (const char* table :
       {"/regions", "/probes", "/materials", "/hot_spots/spots", "/hot_spots/resistance",
        "/photonics/rings", "/photonics/banks", "/photonics/lasers", "/photonics/waveguides",
        "/photonics/mzis", "/photonics/coupling", "/photonics/crosstalk", "/limits/regions",
        "/limits/ring_banks"})
    CHECK_MESSAGE(layout.tables.count(table) == 1, table);
  CHECK(layout.tables.at("/hot_spots/spots").columns[1].name == "rank");
  CHECK(layout.tables.at("/hot_spots/spots").columns[1].type == "int32");
  CHECK(layout.tables.at("/hot_spots/spots").presence == Presence::always);
  CHECK(layout.tables.at("/photonics/rings").presence == Presence::photonics);
  CHECK(layout.tables.at("/regions").columns[1].type == "int64");
  CHECK(layout.tables.at("/regions").presence == Presence::always);
  CHECK(layout.tables.count("/points") == 0);  // sweep.h5, not results.h5
  CHECK(layout.root_attributes.at("converged").type == "int64");
  CHECK(layout.root_attributes.at("title").type == "string");
}

TEST_CASE("results.h5 of a thermal run matches LAYOUT.md (probes, hot spots, limits)") {
  const TempDir dir;
  const RunSummary s =
      run_text(dir, "thermal",
               cposim::testing::minimal_case(
                   "[[blocks]]\nname = \"die\"\nmaterial = \"Si\"\nrole = \"asic\"\n"
                   "origin_um = [250, 100, 50]\nsize_um = [500, 300, 50]\npower_W = 0.01\n"
                   "[[output.probes]]\nname = \"centre\"\nat_um = [500, 250, 75]\n"));
  REQUIRE(!s.hot_spots.empty());
  REQUIRE(s.limits.regions.size() == 1);
  check_file(s.results_path, read_layout(), false);
}

TEST_CASE("results.h5 of a photonic run matches LAYOUT.md (rings, laser, waveguide, MZI)") {
  const TempDir dir;
  const RunSummary s =
      run_text(dir, "photonic",
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
               "[coupling]\ncrosstalk = true\n");
  REQUIRE(s.photonics);
  REQUIRE(s.photonics->rings.size() == 2);
  REQUIRE(s.limits.banks.size() == 1);
  check_file(s.results_path, read_layout(), true);
  // One name and unit for a ring's drift in summary.json and /photonics/rings (issue 23):
  // delta_lambda_nm; the laser reports its case and junction temperatures in both.
  std::ifstream in(fs::path(s.results_path).parent_path() / "summary.json");
  std::stringstream text;
  text << in.rdbuf();
  const JsonValue doc = parse_json(text.str());
  const JsonValue& rings = doc.at("rings");
  REQUIRE(rings.items.size() == 2);
  for (std::size_t i = 0; i < 2; ++i) {
    CHECK(rings.items[i].find("drift_pm") == nullptr);
    CHECK(rings.items[i].number_or("delta_lambda_nm", 0.0) ==
          doctest::Approx(s.photonics->rings[i].state.drift_m * 1e9).epsilon(1e-12));
  }
  CHECK(doc.at("headline").find("worst_delta_lambda_nm") != nullptr);
  const JsonValue& laser = doc.at("lasers").items.at(0);
  CHECK(laser.number_or("T_junction_K", 0.0) - laser.number_or("T_case_K", 0.0) ==
        doctest::Approx(40.0 * laser.number_or("heat_W", 0.0)).epsilon(1e-9));
  // summary_version 3: ring tuning margins in nm too; the headline holds the hottest laser
  // junction and its case (issue 23 items 2, 8, 10). 4: the cavities (issue 22).
  CHECK(doc.number_or("summary_version", 0.0) == 4.0);
  CHECK(rings.items[0].find("margin_pm") == nullptr);
  CHECK(rings.items[0].number_or("margin_nm", 0.0) ==
        doctest::Approx(s.photonics->rings[0].state.margin_m * 1e9).epsilon(1e-12));
  CHECK(laser.find("window_margin_pm") == nullptr);
  const JsonValue& h = doc.at("headline");
  CHECK(h.number_or("laser_T_junction_K", 0.0) == laser.number_or("T_junction_K", 1.0));
  CHECK(h.number_or("laser_T_case_K", 0.0) == laser.number_or("T_case_K", 1.0));
  CHECK(h.text_or("hottest_laser", "") == "dfb");
  // The same in the stdout headline and the report's dashboard: Δλ in nm, no pm anywhere.
  const std::string text_out = format_verdicts(collect_verdicts(s), make_headline(s));
  CHECK(text_out.find("hottest laser junction") != std::string::npos);
  CHECK(text_out.find(" nm (pair.") != std::string::npos);
  CHECK(text_out.find(" pm") == std::string::npos);
  std::ifstream page(s.report_html_path);
  std::stringstream html;
  html << page.rdbuf();
  const std::string dashboard = html.str().substr(0, html.str().find("</section>"));
  CHECK(dashboard.find("hottest laser junction") != std::string::npos);
  CHECK(dashboard.find("worst Δλ") != std::string::npos);
  CHECK(dashboard.find(">pm<") == std::string::npos);
  CHECK(dashboard.find(" pm<") == std::string::npos);
}
