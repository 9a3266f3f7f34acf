/// \file
/// Unit tests of the VTK XML writers, without VTK: parse the files back (attributes, base64
/// blocks with their UInt64 byte-count headers) and compare values; base64 itself; the .pvd;
/// temp + rename; bad input.
#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "postproc/io/vtk_writer.hpp"

namespace fs = std::filesystem;
using cposim::mesh::CellField;
using cposim::mesh::RectilinearGrid;
using namespace cposim::postproc;

namespace {

struct ScratchDir {
  fs::path path;
  explicit ScratchDir(const std::string& tag)
      : path(fs::temp_directory_path() / ("cposim_vtk_" + tag + "_" + std::to_string(::getpid()))) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~ScratchDir() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
  std::string file(const std::string& name) const { return (path / name).string(); }
  std::size_t count() const {
    return static_cast<std::size_t>(std::distance(fs::directory_iterator(path), {}));
  }
};

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// The opening tag of the first `<DataArray … Name="name" …>` in `xml`.
std::string array_tag(const std::string& xml, const std::string& name) {
  const auto at = xml.find("Name=\"" + name + "\"");
  REQUIRE_MESSAGE(at != std::string::npos, "no DataArray named ", name);
  const auto open = xml.rfind("<DataArray", at);
  return xml.substr(open, xml.find('>', at) - open + 1);
}

/// The decoded bytes of DataArray `name`: checks that the first base64 block (12 characters,
/// a UInt64) holds the byte count of the second block.
std::vector<std::uint8_t> array_bytes(const std::string& xml, const std::string& name) {
  const std::string tag = array_tag(xml, name);
  CHECK(tag.find("format=\"binary\"") != std::string::npos);
  const auto begin = xml.find(tag) + tag.size();
  std::string text = xml.substr(begin, xml.find("</DataArray>", begin) - begin);
  text.erase(std::remove_if(text.begin(), text.end(), [](char c) { return c == '\n'; }),
             text.end());
  REQUIRE(text.size() >= 12);
  const auto header = base64_decode(text.substr(0, 12));
  REQUIRE(header.size() == 8);
  std::uint64_t count = 0;
  for (int b = 7; b >= 0; --b) count = (count << 8) | header[static_cast<std::size_t>(b)];
  auto data = base64_decode(text.substr(12));
  CHECK(data.size() == count);
  return data;
}

/// The strings of the ASCII String array `name`: byte codes, each string ended by 0.
std::vector<std::string> string_values(const std::string& xml, const std::string& name) {
  const std::string tag = array_tag(xml, name);
  CHECK(tag.find("type=\"String\"") != std::string::npos);
  CHECK(tag.find("format=\"ascii\"") != std::string::npos);
  const auto begin = xml.find(tag) + tag.size();
  std::istringstream text(xml.substr(begin, xml.find("</DataArray>", begin) - begin));
  std::vector<std::string> out;
  std::string current;
  int code = 0;
  while (text >> code) {
    REQUIRE(code >= 0);
    REQUIRE(code <= 255);
    if (code == 0) {
      out.push_back(current);
      current.clear();
    } else {
      current += static_cast<char>(code);
    }
  }
  CHECK(current.empty());  // every string ended by 0
  return out;
}

template <typename T>
std::vector<T> array_values(const std::string& xml, const std::string& name) {
  const auto bytes = array_bytes(xml, name);
  REQUIRE(bytes.size() % sizeof(T) == 0);
  std::vector<T> values(bytes.size() / sizeof(T));
  std::memcpy(values.data(), bytes.data(), bytes.size());  // the test host is little-endian
  return values;
}

/// 3 x 2 x 2 cells, non-uniform.
const RectilinearGrid grid({0.0, 1e-3, 3e-3, 4e-3}, {0.0, 2e-3, 2.5e-3}, {0.0, 1e-4, 4e-4});

ResultsContent small_content() {
  ResultsContent c;
  c.grid = &grid;
  CellField T{&grid, "temperature_K", std::vector<double>(grid.num_cells())};
  LabelField region{"region_id", std::vector<std::int32_t>(grid.num_cells())};
  for (std::size_t n = 0; n < grid.num_cells(); ++n) {
    T.values[n] = 300.0 + 0.25 * static_cast<double>(n);
    region.values[n] = static_cast<std::int32_t>(n % 2);
  }
  c.fields = {std::move(T)};
  c.label_fields = {std::move(region)};
  RegionStatistics a, b;
  a.name = "asic";
  b.name = "lid & <cap>";
  c.regions = {a, b};
  PolylineSet wg;
  wg.name = "waveguides";
  wg.points_m = {{0, 0, 1e-4}, {1e-3, 0, 1e-4}, {2e-3, 1e-3, 1e-4}};
  wg.segments = {{0, 1}, {1, 2}};
  wg.segment_values = {{"T_K", {301.0, 302.5}}};
  PolylineSet empty;
  empty.name = "lanes";  // no segments: no file
  c.polylines = {wg, empty};
  c.tables.push_back({"hot_spots",
                      "spots",
                      {{"region", std::vector<std::string>{"asic", "ext", "lid"}},
                       {"rank", std::vector<std::int32_t>{1, 1, 2}},
                       {"x_m", std::vector<double>{1e-3, std::nan(""), 2e-3}},
                       {"y_m", std::vector<double>{1e-3, 0.0, 2e-3}},
                       {"z_m", std::vector<double>{1e-4, 0.0, 2e-4}},
                       {"T_K", std::vector<double>{350.0, 340.0, 330.0}}}});
  c.tables.push_back({"photonics", "mzis", {{"name", std::vector<std::string>{"m0"}}}});
  return c;
}

}  // namespace

TEST_CASE("base64: RFC 4648 test vectors both ways") {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                         {"f", "Zg=="},
                                                         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},
                                                         {"foob", "Zm9vYg=="},
                                                         {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, coded] : vectors) {
    CAPTURE(plain);
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(plain);
    CHECK(base64_encode(bytes, std::strlen(plain)) == coded);
    const auto back = base64_decode(coded);
    CHECK(std::string(back.begin(), back.end()) == plain);
  }
  CHECK_THROWS_AS(base64_decode("Zm9"), std::invalid_argument);
  CHECK_THROWS_AS(base64_decode("Zm9*"), std::invalid_argument);
  CHECK_THROWS_AS(base64_decode("Zg==Zm9v"), std::invalid_argument);
}

TEST_CASE("Base64Stream: any split into pieces gives the text of the whole") {
  // Every split of 0..13 bytes into three pieces (pieces of 0, 1, 2 and 3k bytes, and held
  // bytes carried across an empty piece) must encode exactly as base64_encode of all bytes.
  std::vector<std::uint8_t> bytes;
  for (int i = 0; i < 13; ++i) bytes.push_back(static_cast<std::uint8_t>(37 * i + 250));
  for (std::size_t n = 0; n <= bytes.size(); ++n)
    for (std::size_t a = 0; a <= n; ++a)
      for (std::size_t b = a; b <= n; ++b) {
        CAPTURE(n);
        CAPTURE(a);
        CAPTURE(b);
        std::string text = "<";
        Base64Stream stream(text);
        stream.add(bytes.data(), a);
        stream.add(bytes.data() + a, b - a);
        stream.add(bytes.data() + b, n - b);
        stream.finish();
        CHECK(text == "<" + base64_encode(bytes.data(), n));
      }
}

TEST_CASE("write_vtr: extents, coordinates and cell data decode to the values written") {
  const ScratchDir dir("vtr");
  const auto content = small_content();
  std::vector<std::string> names;
  for (const auto& r : content.regions) names.push_back(r.name);
  write_vtr(dir.file("r.vtr"), grid, content.fields, content.label_fields, names);
  CHECK(dir.count() == 1);  // no temporary left
  const std::string xml = slurp(dir.file("r.vtr"));
  CHECK(xml.rfind("<?xml version=\"1.0\"?>\n<VTKFile type=\"RectilinearGrid\"", 0) == 0);
  CHECK(xml.find("byte_order=\"LittleEndian\" header_type=\"UInt64\"") != std::string::npos);
  CHECK(xml.find("WholeExtent=\"0 3 0 2 0 2\"") != std::string::npos);
  CHECK(xml.find("<Piece Extent=\"0 3 0 2 0 2\">") != std::string::npos);
  CHECK(xml.find("AppendedData") == std::string::npos);
  CHECK(array_tag(xml, "temperature_K").find("type=\"Float64\"") != std::string::npos);
  CHECK(array_tag(xml, "region_id").find("type=\"Int32\"") != std::string::npos);
  CHECK(array_values<double>(xml, "temperature_K") == content.fields[0].values);
  CHECK(array_values<std::int32_t>(xml, "region_id") == content.label_fields[0].values);
  CHECK(array_values<double>(xml, "x_m") == grid.nodes(0));
  CHECK(array_values<double>(xml, "y_m") == grid.nodes(1));
  CHECK(array_values<double>(xml, "z_m") == grid.nodes(2));
  // Region names: ASCII byte codes, each string ended by 0 (no XML escaping needed there).
  CHECK(string_values(xml, "region_names") == std::vector<std::string>{"asic", "lid & <cap>"});
  CHECK(array_tag(xml, "region_names").find("NumberOfTuples=\"2\"") != std::string::npos);
}

TEST_CASE("String arrays are ASCII (ParaView 5.11 crashes on binary ones over ~1 KB)") {
  // Issue 23 item 7: 256 ring names of 10 characters crashed ParaView 5.11 as a binary array.
  ScratchDir dir("strings");
  ResultsContent c = small_content();
  std::vector<std::string> names;
  std::vector<double> x, y, z;
  for (int i = 0; i < 256; ++i) {
    names.push_back(i % 7 == 0 ? std::string() : "oe_w1_tx." + std::to_string(i) + " \xc3\xbc");
    x.push_back(1e-3);
    y.push_back(1e-3);
    z.push_back(1e-4);
  }
  names[5] = std::string("nul\0inside", 10);
  c.tables = {{"photonics", "rings", {{"name", names}, {"x_m", x}, {"y_m", y}, {"z_m", z}}}};
  const auto written = write_vtk_results(dir.file("results.vtr"), c);
  const std::string rings = slurp(dir.file("results_photonics_rings.vtp"));
  auto expected = names;
  expected[5] = "nul inside";
  CHECK(string_values(rings, "name") == expected);
  CHECK(rings.find("type=\"String\" Name=\"name\" NumberOfTuples=\"256\"") != std::string::npos);
}

TEST_CASE("write_vtk_results: polylines as lines, located table rows as vertices, a .pvd") {
  const ScratchDir dir("set");
  const auto written = write_vtk_results(dir.file("results.vtr"), small_content());
  REQUIRE(written.size() == 4);
  CHECK(written[0] == dir.file("results.vtr"));
  CHECK(written[1] == dir.file("results_waveguides.vtp"));
  CHECK(written[2] == dir.file("results_hot_spots_spots.vtp"));
  CHECK(written[3] == dir.file("results.pvd"));
  CHECK(dir.count() == 4);  // the empty set and the table without coordinates give no file

  const std::string lines = slurp(written[1]);
  CHECK(lines.find("NumberOfPoints=\"3\" NumberOfVerts=\"0\" NumberOfLines=\"2\"") !=
        std::string::npos);
  CHECK(array_values<std::int64_t>(lines, "connectivity") == std::vector<std::int64_t>{0, 1, 1, 2});
  CHECK(array_values<std::int64_t>(lines, "offsets") == std::vector<std::int64_t>{2, 4});
  CHECK(array_values<double>(lines, "T_K") == std::vector<double>{301.0, 302.5});
  CHECK(array_tag(lines, "points_m").find("NumberOfComponents=\"3\"") != std::string::npos);
  CHECK(array_values<double>(lines, "points_m").size() == 9);

  // The row with a NaN x is left out; `row` keeps the HDF5 row numbers.
  const std::string spots = slurp(written[2]);
  CHECK(spots.find("NumberOfPoints=\"2\" NumberOfVerts=\"2\"") != std::string::npos);
  CHECK(array_values<std::int64_t>(spots, "row") == std::vector<std::int64_t>{0, 2});
  CHECK(array_values<std::int32_t>(spots, "rank") == std::vector<std::int32_t>{1, 2});
  CHECK(array_values<double>(spots, "T_K") == std::vector<double>{350.0, 330.0});
  CHECK(array_values<double>(spots, "points_m") ==
        std::vector<double>{1e-3, 1e-3, 1e-4, 2e-3, 2e-3, 2e-4});
  CHECK(string_values(spots, "region") == std::vector<std::string>{"asic", "lid"});
  CHECK(spots.find("Name=\"x_m\"") == std::string::npos);

  const std::string pvd = slurp(written[3]);
  CHECK(pvd.find("<DataSet timestep=\"0\" group=\"\" part=\"0\" file=\"results.vtr\" "
                 "name=\"grid\"/>") != std::string::npos);
  CHECK(pvd.find("part=\"1\" file=\"results_waveguides.vtp\"") != std::string::npos);
  CHECK(pvd.find("part=\"2\" file=\"results_hot_spots_spots.vtp\"") != std::string::npos);
}

TEST_CASE("write_pvd: a time series keeps its times exactly and escapes file names") {
  const ScratchDir dir("pvd");
  write_pvd(dir.file("series.pvd"), {{0.0, "T_0000.vtr"}, {1.5e-3, "T & 1.vtr"}, {0.1, "c.vtr"}});
  const std::string pvd = slurp(dir.file("series.pvd"));
  CHECK(pvd.find("<VTKFile type=\"Collection\"") != std::string::npos);
  CHECK(pvd.find("timestep=\"0.0015\" group=\"\" part=\"0\" file=\"T &amp; 1.vtr\"/>") !=
        std::string::npos);
  CHECK(pvd.find("timestep=\"0.10000000000000001\"") != std::string::npos);  // %.17g round-trips
  CHECK_THROWS_AS(write_pvd(dir.file("bad.pvd"), {{std::nan(""), "a.vtr"}}), std::invalid_argument);
  CHECK_THROWS_AS(write_pvd(dir.file("bad.pvd"), {{0.0, ""}}), std::invalid_argument);
  CHECK(!fs::exists(dir.file("bad.pvd")));
}

TEST_CASE("VTK writers: bad content is rejected before any file is written") {
  const ScratchDir dir("bad");
  auto content = small_content();
  content.fields[0].values.pop_back();
  CHECK_THROWS_AS(write_vtk_results(dir.file("results.vtr"), content), std::invalid_argument);
  content = small_content();
  content.polylines[0].segments.push_back({0, 7});
  CHECK_THROWS_AS(write_vtk_results(dir.file("results.vtr"), content), std::invalid_argument);
  content = small_content();
  content.polylines[1].name = "hot_spots_spots";  // would collide with the point set
  CHECK_THROWS_AS(write_vtk_results(dir.file("results.vtr"), content), std::invalid_argument);
  CHECK_THROWS_AS(write_vtk_results(dir.file("results.vti"), small_content()),
                  std::invalid_argument);
  CHECK(dir.count() == 0);
  CHECK_THROWS_AS(write_vtk_results(dir.file("no/such/dir/results.vtr"), small_content()),
                  std::runtime_error);
}
