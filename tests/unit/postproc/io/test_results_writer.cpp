/// \file
/// Unit tests of write_results: reads the file back with the HDF5 C API and checks every
/// documented dataset, shape, type and attribute, the XDMF sidecar text, the temp + rename
/// protocol and the failure paths.
#include <doctest/doctest.h>
#include <hdf5.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "postproc/io/results_writer.hpp"

namespace fs = std::filesystem;
using cposim::mesh::CellField;
using cposim::mesh::RectilinearGrid;
using namespace cposim::postproc;

namespace {

/// A fresh directory under the system temp dir, removed with everything in it at the end.
struct ScratchDir {
  fs::path path;
  explicit ScratchDir(const std::string& tag)
      : path(fs::temp_directory_path() /
             ("cposim_test_" + tag + "_" + std::to_string(::getpid()))) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~ScratchDir() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
  std::string file(const std::string& name) const { return (path / name).string(); }
  /// Names of everything in the directory, sorted.
  std::vector<std::string> entries() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(path))
      names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }
};

// 4 x 3 x 2 cells, non-uniform on every axis.
const RectilinearGrid grid({0.0, 1e-3, 3e-3, 4e-3, 7e-3}, {0.0, 2e-3, 2.5e-3, 5e-3},
                           {0.0, 1e-4, 4e-4});

/// A content that uses every part of the layout. Field values encode their cell index.
ResultsContent full_content() {
  ResultsContent c;
  c.grid = &grid;
  CellField T{&grid, "temperature_K", std::vector<double>(grid.num_cells())};
  CellField q{&grid, "power_density_W_per_m3", std::vector<double>(grid.num_cells())};
  LabelField region{"region_id", std::vector<std::int32_t>(grid.num_cells())};
  for (std::size_t n = 0; n < grid.num_cells(); ++n) {
    T.values[n] = 300.0 + 0.5 * static_cast<double>(n);
    q.values[n] = 1e6 * static_cast<double>(n);
    region.values[n] = static_cast<std::int32_t>(n % 3);
  }
  c.fields = {std::move(T), std::move(q)};
  c.label_fields = {std::move(region)};
  RegionStatistics die;
  die.name = "die";
  die.T_max_K = 350.0;
  die.T_max_at_m = {1e-3, 2e-3, 3e-4};
  die.T_mean_K = 330.0;
  die.T_min_K = 310.0;
  die.volume_m3 = 2e-9;
  die.power_W = 5.5;
  die.num_cells = 7;
  RegionStatistics lid = die;
  lid.name = "lid";
  lid.num_cells = 17;
  c.regions = {die, lid};
  c.probes = {{"asic_centre", {2e-3, 1e-3, 2e-4}, 321.5, 13}};
  c.materials = {{"Si", {148.0, 148.0, 148.0}, 2329.0, 700.0, "built-in, physics.md §1.1 (L)"},
                 {"C4_layer", {0.89, 0.89, 16.8}, 3000.0, 800.0, "case file"}};
  c.string_attributes = {{"title", "writer test"},
                         {"case_text", "[grid]\nmax_cell_xy_um = 250  # 250 µm\n"},
                         {"version", "0.1.0"}};
  c.real_attributes = {{"energy_imbalance_W", 1.25e-9}};
  c.integer_attributes = {{"picard_iterations", 12}, {"num_cells", 24}};
  return c;
}

// ---- reading back with the HDF5 C API -------------------------------------------------------

/// Closes an hid_t with the given function at scope exit.
struct Id {
  hid_t id;
  herr_t (*close)(hid_t);
  ~Id() {
    if (id >= 0) close(id);
  }
};

std::vector<hsize_t> dims_of(hid_t file, const std::string& path) {
  const Id d{H5Dopen2(file, path.c_str(), H5P_DEFAULT), H5Dclose};
  REQUIRE_MESSAGE(d.id >= 0, "missing dataset ", path);
  const Id s{H5Dget_space(d.id), H5Sclose};
  std::vector<hsize_t> dims(static_cast<std::size_t>(H5Sget_simple_extent_ndims(s.id)));
  H5Sget_simple_extent_dims(s.id, dims.data(), nullptr);
  return dims;
}

/// Checks the stored type class, size and byte order of a numeric dataset.
void check_type(hid_t file, const std::string& path, H5T_class_t cls, std::size_t size) {
  const Id d{H5Dopen2(file, path.c_str(), H5P_DEFAULT), H5Dclose};
  REQUIRE_MESSAGE(d.id >= 0, "missing dataset ", path);
  const Id t{H5Dget_type(d.id), H5Tclose};
  CAPTURE(path);
  CHECK(H5Tget_class(t.id) == cls);
  CHECK(H5Tget_size(t.id) == size);
  CHECK(H5Tget_order(t.id) == H5T_ORDER_LE);
}

template <typename T>
std::vector<T> read_numbers(hid_t file, const std::string& path, hid_t memory_type) {
  const auto dims = dims_of(file, path);
  std::size_t count = 1;
  for (const auto d : dims) count *= d;
  std::vector<T> values(count);
  const Id d{H5Dopen2(file, path.c_str(), H5P_DEFAULT), H5Dclose};
  if (count > 0)
    REQUIRE(H5Dread(d.id, memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) >= 0);
  return values;
}

std::vector<double> read_doubles(hid_t file, const std::string& path) {
  return read_numbers<double>(file, path, H5T_NATIVE_DOUBLE);
}

std::vector<std::string> read_strings(hid_t file, const std::string& path) {
  const Id d{H5Dopen2(file, path.c_str(), H5P_DEFAULT), H5Dclose};
  REQUIRE_MESSAGE(d.id >= 0, "missing dataset ", path);
  const Id t{H5Dget_type(d.id), H5Tclose};
  REQUIRE(H5Tget_class(t.id) == H5T_STRING);
  REQUIRE(H5Tis_variable_str(t.id) == 0);  // fixed-length
  const std::size_t width = H5Tget_size(t.id);
  const auto dims = dims_of(file, path);
  REQUIRE(dims.size() == 1);
  std::vector<char> buffer(dims[0] * width + 1, '\0');
  if (dims[0] > 0) REQUIRE(H5Dread(d.id, t.id, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data()) >= 0);
  std::vector<std::string> values;
  for (std::size_t row = 0; row < dims[0]; ++row) values.emplace_back(buffer.data() + row * width);
  return values;
}

std::string string_attribute(hid_t object, const std::string& name, H5T_cset_t* cset = nullptr) {
  const Id a{H5Aopen(object, name.c_str(), H5P_DEFAULT), H5Aclose};
  REQUIRE_MESSAGE(a.id >= 0, "missing attribute ", name);
  const Id t{H5Aget_type(a.id), H5Tclose};
  REQUIRE(H5Tget_class(t.id) == H5T_STRING);
  REQUIRE(H5Tis_variable_str(t.id) == 0);  // fixed-length, as ParaView's readers want
  if (cset) *cset = H5Tget_cset(t.id);
  std::vector<char> buffer(H5Tget_size(t.id) + 1, '\0');
  REQUIRE(H5Aread(a.id, t.id, buffer.data()) >= 0);
  return buffer.data();
}

template <typename T>
T number_attribute(hid_t object, const std::string& name, hid_t memory_type, H5T_class_t cls) {
  const Id a{H5Aopen(object, name.c_str(), H5P_DEFAULT), H5Aclose};
  REQUIRE_MESSAGE(a.id >= 0, "missing attribute ", name);
  const Id t{H5Aget_type(a.id), H5Tclose};
  CHECK(H5Tget_class(t.id) == cls);
  CHECK(H5Tget_size(t.id) == 8);
  T value{};
  REQUIRE(H5Aread(a.id, memory_type, &value) >= 0);
  return value;
}

/// Names of the links in a group, sorted.
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

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("write_results: every documented dataset, shape, type and attribute is there") {
  const ScratchDir dir("writer_layout");
  const std::string h5 = dir.file("r.h5");
  write_results(h5, full_content());
  CHECK(dir.entries() == std::vector<std::string>{"r.h5", "r.xmf"});  // no .tmp left

  const Id f{H5Fopen(h5.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose};
  REQUIRE(f.id >= 0);
  CHECK(members(f.id, "/") ==
        std::vector<std::string>{"fields", "materials", "mesh", "polylines", "probes", "regions"});

  SUBCASE("root attributes") {
    const Id root{H5Gopen2(f.id, "/", H5P_DEFAULT), H5Gclose};
    CHECK(number_attribute<std::int64_t>(root.id, "results_layout_version", H5T_NATIVE_INT64,
                                         H5T_INTEGER) == 2);
    CHECK(string_attribute(root.id, "title") == "writer test");
    H5T_cset_t cset = H5T_CSET_ERROR;
    CHECK(string_attribute(root.id, "case_text", &cset) ==
          "[grid]\nmax_cell_xy_um = 250  # 250 µm\n");
    CHECK(cset == H5T_CSET_UTF8);  // non-ASCII text is marked UTF-8
    CHECK(string_attribute(root.id, "version", &cset) == "0.1.0");
    CHECK(cset == H5T_CSET_ASCII);
    CHECK(number_attribute<double>(root.id, "energy_imbalance_W", H5T_NATIVE_DOUBLE, H5T_FLOAT) ==
          1.25e-9);
    CHECK(number_attribute<std::int64_t>(root.id, "picard_iterations", H5T_NATIVE_INT64,
                                         H5T_INTEGER) == 12);
    CHECK(number_attribute<std::int64_t>(root.id, "num_cells", H5T_NATIVE_INT64, H5T_INTEGER) ==
          24);
    H5O_info_t info;
    H5Oget_info(root.id, &info);
    CHECK(info.num_attrs == 7);  // layout version + 3 string + 1 real + 2 integer
  }

  SUBCASE("mesh: node coordinates, float64") {
    CHECK(members(f.id, "/mesh") ==
          std::vector<std::string>{"x_nodes_m", "y_nodes_m", "z_nodes_m"});
    const char* names[] = {"/mesh/x_nodes_m", "/mesh/y_nodes_m", "/mesh/z_nodes_m"};
    for (int a = 0; a < 3; ++a) {
      check_type(f.id, names[a], H5T_FLOAT, 8);
      CHECK(read_doubles(f.id, names[a]) == grid.nodes(a));
    }
  }

  SUBCASE("fields: shaped (nz, ny, nx), x fastest") {
    CHECK(members(f.id, "/fields") ==
          std::vector<std::string>{"power_density_W_per_m3", "region_id", "temperature_K"});
    const std::vector<hsize_t> shape{2, 3, 4};
    CHECK(dims_of(f.id, "/fields/temperature_K") == shape);
    CHECK(dims_of(f.id, "/fields/power_density_W_per_m3") == shape);
    CHECK(dims_of(f.id, "/fields/region_id") == shape);
    check_type(f.id, "/fields/temperature_K", H5T_FLOAT, 8);
    check_type(f.id, "/fields/region_id", H5T_INTEGER, 4);
    const auto T = read_doubles(f.id, "/fields/temperature_K");
    // element [k][j][i] of the (nz, ny, nx) array is cell (i, j, k)
    CHECK(T[(1 * 3 + 2) * 4 + 3] == 300.0 + 0.5 * static_cast<double>(grid.cell(3, 2, 1)));
    CHECK(T == full_content().fields[0].values);
    const auto region = read_numbers<std::int32_t>(f.id, "/fields/region_id", H5T_NATIVE_INT32);
    CHECK(region == full_content().label_fields[0].values);
  }

  SUBCASE("regions table") {
    CHECK(members(f.id, "/regions") ==
          std::vector<std::string>{"T_max_K", "T_max_x_m", "T_max_y_m", "T_max_z_m", "T_mean_K",
                                   "T_min_K", "name", "num_cells", "power_W", "volume_m3"});
    const Id g{H5Gopen2(f.id, "/regions", H5P_DEFAULT), H5Gclose};
    CHECK(string_attribute(g.id, "columns") ==
          "name,num_cells,volume_m3,power_W,T_max_K,T_mean_K,T_min_K,T_max_x_m,T_max_y_m,"
          "T_max_z_m");
    CHECK(number_attribute<std::int64_t>(g.id, "num_rows", H5T_NATIVE_INT64, H5T_INTEGER) == 2);
    for (const auto& name : members(f.id, "/regions")) {
      CAPTURE(name);
      CHECK(dims_of(f.id, "/regions/" + name) == std::vector<hsize_t>{2});
    }
    CHECK(read_strings(f.id, "/regions/name") == std::vector<std::string>{"die", "lid"});
    check_type(f.id, "/regions/num_cells", H5T_INTEGER, 8);
    CHECK(read_numbers<std::int64_t>(f.id, "/regions/num_cells", H5T_NATIVE_INT64) ==
          std::vector<std::int64_t>{7, 17});
    CHECK(read_doubles(f.id, "/regions/T_max_K") == std::vector<double>{350.0, 350.0});
    CHECK(read_doubles(f.id, "/regions/T_mean_K") == std::vector<double>{330.0, 330.0});
    CHECK(read_doubles(f.id, "/regions/T_min_K") == std::vector<double>{310.0, 310.0});
    CHECK(read_doubles(f.id, "/regions/T_max_x_m") == std::vector<double>{1e-3, 1e-3});
    CHECK(read_doubles(f.id, "/regions/T_max_y_m") == std::vector<double>{2e-3, 2e-3});
    CHECK(read_doubles(f.id, "/regions/T_max_z_m") == std::vector<double>{3e-4, 3e-4});
    CHECK(read_doubles(f.id, "/regions/volume_m3") == std::vector<double>{2e-9, 2e-9});
    CHECK(read_doubles(f.id, "/regions/power_W") == std::vector<double>{5.5, 5.5});
  }

  SUBCASE("probes table") {
    CHECK(members(f.id, "/probes") ==
          std::vector<std::string>{"T_K", "cell_index", "name", "x_m", "y_m", "z_m"});
    const Id g{H5Gopen2(f.id, "/probes", H5P_DEFAULT), H5Gclose};
    CHECK(string_attribute(g.id, "columns") == "name,x_m,y_m,z_m,T_K,cell_index");
    CHECK(number_attribute<std::int64_t>(g.id, "num_rows", H5T_NATIVE_INT64, H5T_INTEGER) == 1);
    CHECK(read_strings(f.id, "/probes/name") == std::vector<std::string>{"asic_centre"});
    CHECK(read_doubles(f.id, "/probes/x_m") == std::vector<double>{2e-3});
    CHECK(read_doubles(f.id, "/probes/y_m") == std::vector<double>{1e-3});
    CHECK(read_doubles(f.id, "/probes/z_m") == std::vector<double>{2e-4});
    CHECK(read_doubles(f.id, "/probes/T_K") == std::vector<double>{321.5});
    check_type(f.id, "/probes/cell_index", H5T_INTEGER, 8);
    CHECK(read_numbers<std::int64_t>(f.id, "/probes/cell_index", H5T_NATIVE_INT64) ==
          std::vector<std::int64_t>{13});
  }

  SUBCASE("materials table") {
    CHECK(members(f.id, "/materials") ==
          std::vector<std::string>{"cp_J_per_kgK", "kx_W_per_mK", "ky_W_per_mK", "kz_W_per_mK",
                                   "name", "rho_kg_per_m3", "source"});
    const Id g{H5Gopen2(f.id, "/materials", H5P_DEFAULT), H5Gclose};
    CHECK(string_attribute(g.id, "columns") ==
          "name,kx_W_per_mK,ky_W_per_mK,kz_W_per_mK,rho_kg_per_m3,cp_J_per_kgK,source");
    CHECK(read_strings(f.id, "/materials/name") == std::vector<std::string>{"Si", "C4_layer"});
    CHECK(read_doubles(f.id, "/materials/kx_W_per_mK") == std::vector<double>{148.0, 0.89});
    CHECK(read_doubles(f.id, "/materials/ky_W_per_mK") == std::vector<double>{148.0, 0.89});
    CHECK(read_doubles(f.id, "/materials/kz_W_per_mK") == std::vector<double>{148.0, 16.8});
    CHECK(read_doubles(f.id, "/materials/rho_kg_per_m3") == std::vector<double>{2329.0, 3000.0});
    CHECK(read_doubles(f.id, "/materials/cp_J_per_kgK") == std::vector<double>{700.0, 800.0});
    CHECK(read_strings(f.id, "/materials/source") ==
          std::vector<std::string>{"built-in, physics.md §1.1 (L)", "case file"});
  }
}

TEST_CASE("write_results: empty tables still exist, with zero rows") {
  const ScratchDir dir("writer_empty");
  ResultsContent c;
  c.grid = &grid;
  write_results(dir.file("e.h5"), c);
  const Id f{H5Fopen(dir.file("e.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose};
  REQUIRE(f.id >= 0);
  CHECK(members(f.id, "/fields").empty());
  CHECK(dims_of(f.id, "/regions/T_max_K") == std::vector<hsize_t>{0});
  CHECK(read_strings(f.id, "/probes/name").empty());
  const Id g{H5Gopen2(f.id, "/materials", H5P_DEFAULT), H5Gclose};
  CHECK(number_attribute<std::int64_t>(g.id, "num_rows", H5T_NATIVE_INT64, H5T_INTEGER) == 0);
}

TEST_CASE(
    "write_results: the XDMF sidecar counts points slowest-first and names the h5 relatively") {
  const ScratchDir dir("writer_xdmf");
  write_results(dir.file("r.h5"), full_content());
  CHECK(xdmf_sidecar_path(dir.file("r.h5")) == dir.file("r.xmf"));
  const std::string x = read_text(dir.file("r.xmf"));
  CAPTURE(x);
  CHECK(contains(x, "<Xdmf xmlns:xi=\"http://www.w3.org/2001/XInclude\" Version=\"3.0\">"));
  // 4 x 3 x 2 cells: points "nz+1 ny+1 nx+1" = "3 4 5", never "5 4 3" or cell counts.
  CHECK(contains(x, "<Topology TopologyType=\"3DRectMesh\" Dimensions=\"3 4 5\"/>"));
  CHECK(contains(x, "<Geometry GeometryType=\"VXVYVZ\">"));
  CHECK(contains(x,
                 "<DataItem Dimensions=\"5\" NumberType=\"Float\" Precision=\"8\" "
                 "Format=\"HDF\">r.h5:/mesh/x_nodes_m</DataItem>"));
  CHECK(contains(x,
                 "<DataItem Dimensions=\"4\" NumberType=\"Float\" Precision=\"8\" "
                 "Format=\"HDF\">r.h5:/mesh/y_nodes_m</DataItem>"));
  CHECK(contains(x,
                 "<DataItem Dimensions=\"3\" NumberType=\"Float\" Precision=\"8\" "
                 "Format=\"HDF\">r.h5:/mesh/z_nodes_m</DataItem>"));
  CHECK(contains(x,
                 "<Attribute Name=\"temperature_K\" AttributeType=\"Scalar\" Center=\"Cell\">\n"
                 "        <DataItem Dimensions=\"2 3 4\" NumberType=\"Float\" Precision=\"8\" "
                 "Format=\"HDF\">r.h5:/fields/temperature_K</DataItem>"));
  CHECK(contains(x, "<Attribute Name=\"power_density_W_per_m3\""));
  CHECK(contains(x,
                 "<DataItem Dimensions=\"2 3 4\" NumberType=\"Int\" Precision=\"4\" "
                 "Format=\"HDF\">r.h5:/fields/region_id</DataItem>"));
  CHECK_FALSE(contains(x, dir.path.string()));  // relative: the pair can be moved together
}

TEST_CASE("write_results: a second write replaces both files and leaves no temporary") {
  const ScratchDir dir("writer_replace");
  const std::string h5 = dir.file("r.h5");
  write_results(h5, full_content());
  ResultsContent second = full_content();
  second.fields.pop_back();
  second.string_attributes = {{"title", "second"}};
  write_results(h5, second);
  CHECK(dir.entries() == std::vector<std::string>{"r.h5", "r.xmf"});
  const Id f{H5Fopen(h5.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose};
  const Id root{H5Gopen2(f.id, "/", H5P_DEFAULT), H5Gclose};
  CHECK(string_attribute(root.id, "title") == "second");
  CHECK_FALSE(contains(read_text(dir.file("r.xmf")), "power_density_W_per_m3"));
}

TEST_CASE("write_results: an unwritable directory throws and leaves no file behind") {
  const ScratchDir dir("writer_unwritable");
  // A directory that does not exist cannot be written, even by root.
  const std::string h5 = dir.file("missing/r.h5");
  const std::string expected = "write_results: writing '" + h5 + "' failed: HDF5: " + h5 + ".tmp-" +
                               std::to_string(::getpid()) +
                               ": cannot create the file: unable to open file";
  CHECK_THROWS_WITH_AS(write_results(h5, full_content()), doctest::Contains(expected.c_str()),
                       std::runtime_error);
  CHECK_FALSE(fs::exists(dir.path / "missing"));
  CHECK(dir.entries().empty());
}

TEST_CASE("write_results: a failed rename removes the temporaries") {
  const ScratchDir dir("writer_rename");
  fs::create_directory(dir.path / "r.h5");  // a directory sits on the final name
  CHECK_THROWS_WITH_AS(write_results(dir.file("r.h5"), full_content()),
                       doctest::Contains("write_results: cannot rename"), std::runtime_error);
  CHECK(dir.entries() == std::vector<std::string>{"r.h5"});
  CHECK(fs::is_directory(dir.path / "r.h5"));
}

TEST_CASE("write_results: a failure before the renames keeps the previous results") {
  const ScratchDir dir("writer_keep");
  const std::string h5 = dir.file("r.h5");
  write_results(h5, full_content());
  // Block the sidecar's temporary name so that writing it fails after the .h5 temporary.
  const std::string blocked = dir.file("r.xmf.tmp-" + std::to_string(::getpid()));
  fs::create_directory(blocked);
  ResultsContent second = full_content();
  second.string_attributes = {{"title", "second"}};
  CHECK_THROWS_WITH_AS(write_results(h5, second), doctest::Contains("cannot create"),
                       std::runtime_error);
  fs::remove(blocked);
  CHECK(dir.entries() == std::vector<std::string>{"r.h5", "r.xmf"});
  const Id f{H5Fopen(h5.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose};
  const Id root{H5Gopen2(f.id, "/", H5P_DEFAULT), H5Gclose};
  CHECK(string_attribute(root.id, "title") == "writer test");
}

TEST_CASE("write_results: bad content is rejected before any file is touched") {
  const ScratchDir dir("writer_invalid");
  const std::string h5 = dir.file("r.h5");
  const auto rejects = [&](const ResultsContent& c, const std::string& message,
                           const std::string& path) {
    CHECK_THROWS_WITH_AS(write_results(path, c), doctest::Contains(message.c_str()),
                         std::invalid_argument);
  };
  ResultsContent c = full_content();
  c.grid = nullptr;
  rejects(c, "the grid is null", h5);

  c = full_content();
  c.fields[0].values.pop_back();
  rejects(c, "field 'temperature_K' has 23 values for 24 cells", h5);

  c = full_content();
  const RectilinearGrid other({0.0, 1.0}, {0.0, 1.0}, {0.0, 1.0});
  c.fields[1].grid = &other;
  rejects(c, "field 'power_density_W_per_m3' is on another grid", h5);

  c = full_content();
  c.label_fields[0].name = "temperature_K";
  rejects(c, "field name 'temperature_K' appears twice", h5);

  c = full_content();
  c.fields[0].name = "T/K";
  rejects(c, "field name 'T/K' must be non-empty and use only [A-Za-z0-9_.-]", h5);

  c = full_content();
  c.integer_attributes.push_back({"results_layout_version", 2});
  rejects(c, "is reserved", h5);

  c = full_content();
  c.real_attributes.push_back({"title", 1.0});
  rejects(c, "attribute name 'title' appears twice", h5);

  c = full_content();
  c.string_attributes.push_back({"bad", std::string("a\0b", 3)});
  rejects(c, "attribute 'bad' contains a NUL byte", h5);

  rejects(full_content(), "contains ':' or white space", dir.file("my results.h5"));
  rejects(full_content(), "would be its own XDMF sidecar", dir.file("r.xmf"));
  CHECK(dir.entries().empty());
}

TEST_CASE("write_results: extra tables share their group, polylines get data and a sidecar") {
  const ScratchDir dir("writer_extra");
  ResultsContent c;
  c.grid = &grid;
  c.tables = {{"photonics",
               "rings",
               {{"name", std::vector<std::string>{"r0", "r1"}},
                {"T_K", std::vector<double>{301.0, 302.5}}}},
              {"photonics", "lasers", {{"lambda_nm", std::vector<double>{1310.5}}}}};
  PolylineSet lanes;
  lanes.name = "lanes";
  lanes.points_m = {{0, 0, 1e-4}, {2e-3, 0, 1e-4}, {2e-3, 3e-3, 1e-4}};
  lanes.segments = {{0, 1}, {1, 2}};
  lanes.segment_values = {{"T_K", {310.0, 312.0}}};
  c.polylines = {lanes};
  write_results(dir.file("x.h5"), c);
  const Id f{H5Fopen(dir.file("x.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose};
  REQUIRE(f.id >= 0);
  CHECK(members(f.id, "/photonics") == std::vector<std::string>{"lasers", "rings"});
  CHECK(read_doubles(f.id, "/photonics/rings/T_K") == std::vector<double>{301.0, 302.5});
  CHECK(read_strings(f.id, "/photonics/rings/name") == std::vector<std::string>{"r0", "r1"});
  CHECK(read_doubles(f.id, "/polylines/lanes/points_m").size() == 9);
  CHECK(read_doubles(f.id, "/polylines/lanes/T_K") == std::vector<double>{310.0, 312.0});
  const std::string side = read_text(polyline_sidecar_path(dir.file("x.h5"), "lanes"));
  CHECK(polyline_sidecar_path(dir.file("x.h5"), "lanes") == dir.file("x_lanes.xmf"));
  CHECK(contains(side, "TopologyType=\"Polyline\" NodesPerElement=\"2\" NumberOfElements=\"2\""));
  CHECK(contains(side, "x.h5:/polylines/lanes/segments"));
  CHECK(contains(side, "Dimensions=\"3 3\""));
  // A segment pointing past the points, or a reserved group, is rejected before writing.
  c.polylines[0].segments[1] = {1, 3};
  CHECK_THROWS_AS(write_results(dir.file("y.h5"), c), std::invalid_argument);
  c.polylines.clear();
  c.tables[0].group = "mesh";
  CHECK_THROWS_AS(write_results(dir.file("y.h5"), c), std::invalid_argument);
  CHECK_FALSE(fs::exists(dir.file("y.h5")));
}

TEST_CASE("FieldBlock: the HDF5 slab of a block, and blocks that are not whole z columns") {
  // A 13 x 11 x 5 grid; the rank holding x 7..12 and y 6..10 (the last of a 2 x 2 split).
  const std::array<std::size_t, 3> n{13, 11, 5};
  const FieldBlock block{{7, 6, 0}, {6, 5, 5}, 0};
  const Hdf5Slab slab = hdf5_slab(n, &block);
  CHECK(slab.shape == std::array<std::size_t, 3>{5, 11, 13});  // slowest axis first
  CHECK(slab.offset == std::array<std::size_t, 3>{0, 6, 7});
  CHECK(slab.count == std::array<std::size_t, 3>{5, 5, 6});
  CHECK(block.num_cells() == 150);
  const Hdf5Slab whole = hdf5_slab(n, nullptr);
  CHECK(whole.offset == std::array<std::size_t, 3>{0, 0, 0});
  CHECK(whole.count == whole.shape);
  CHECK_NOTHROW(check_block(n, block, "test"));
  CHECK_NOTHROW(
      check_block(n, FieldBlock{{0, 0, 0}, {0, 0, 5}, 0}, "test"));  // a rank without cells
  CHECK_THROWS_AS(check_block(n, FieldBlock{{8, 6, 0}, {6, 5, 5}, 0}, "test"),
                  std::invalid_argument);  // past x
  CHECK_THROWS_AS(check_block(n, FieldBlock{{7, 6, 1}, {6, 5, 4}, 0}, "test"),
                  std::invalid_argument);  // not whole columns
  CHECK_THROWS_AS(check_block(n, FieldBlock{{7, 6, 0}, {6, 5, 4}, 0}, "test"),
                  std::invalid_argument);
}
