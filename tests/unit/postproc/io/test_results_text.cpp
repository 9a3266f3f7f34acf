/// \file
/// Long text in results.h5 (issue 17): a TextDataset is a scalar fixed-length string dataset
/// of any size (the resolved case of a large package passes the 64 KiB an attribute holds), read
/// back byte for byte; string attributes are capped well below that limit, and bad texts are
/// refused before any file is touched.
#include <doctest/doctest.h>
#include <hdf5.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "postproc/io/hdf5_file.hpp"
#include "postproc/io/results_writer.hpp"

namespace fs = std::filesystem;
using namespace cposim::postproc;
using cposim::mesh::CellField;
using cposim::mesh::RectilinearGrid;

namespace {

struct Id {
  hid_t id;
  herr_t (*close)(hid_t);
  ~Id() {
    if (id >= 0) close(id);
  }
};

struct ScratchDir {
  fs::path path = fs::temp_directory_path() /
                  ("cposim_text_" + std::to_string(static_cast<long long>(::getpid())));
  ScratchDir() {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~ScratchDir() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
};

const RectilinearGrid grid({0.0, 1e-3, 2e-3}, {0.0, 1e-3}, {0.0, 1e-4});

ResultsContent small_content() {
  ResultsContent c;
  c.grid = &grid;
  c.fields = {CellField{&grid, "temperature_K", std::vector<double>(grid.num_cells(), 300.0)}};
  c.string_attributes = {{"title", "text test"}};
  return c;
}

/// A TOML-like text of `bytes` bytes or a little more, with non-ASCII characters and newlines.
std::string long_text(std::size_t bytes) {
  std::string text;
  for (int n = 0; text.size() < bytes; ++n)
    text += "[[output.probes]]\nname = \"p" + std::to_string(n) + "\"  # 25 µm\n";
  return text;
}

/// The scalar string dataset `path`: its text, and its character set.
std::string read_text_dataset(hid_t file, const std::string& path, H5T_cset_t* cset) {
  const Id d{H5Dopen2(file, path.c_str(), H5P_DEFAULT), H5Dclose};
  REQUIRE_MESSAGE(d.id >= 0, "missing dataset ", path);
  const Id space{H5Dget_space(d.id), H5Sclose};
  CHECK(H5Sget_simple_extent_type(space.id) == H5S_SCALAR);
  const Id type{H5Dget_type(d.id), H5Tclose};
  REQUIRE(H5Tget_class(type.id) == H5T_STRING);
  REQUIRE(H5Tis_variable_str(type.id) == 0);  // fixed-length, like every string of the layout
  *cset = H5Tget_cset(type.id);
  std::vector<char> buffer(H5Tget_size(type.id) + 1, '\0');
  REQUIRE(H5Dread(d.id, type.id, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data()) >= 0);
  return buffer.data();
}

void rejects(const ResultsContent& c, const std::string& part, const fs::path& h5) {
  try {
    write_results(h5.string(), c);
    FAIL("accepted, expected: ", part);
  } catch (const std::invalid_argument& e) {
    CHECK_MESSAGE(std::string(e.what()).find(part) != std::string::npos, e.what());
  }
  CHECK(!fs::exists(h5));
}

}  // namespace

TEST_CASE("write_results: a text of 300 KiB is a scalar dataset that reads back identical") {
  const ScratchDir dir;
  const fs::path h5 = dir.path / "r.h5";
  ResultsContent c = small_content();
  const std::string text = long_text(300 * 1024);
  REQUIRE(text.size() > 4 * 65536);  // far past what one attribute holds
  c.texts = {{"resolved_case", text}, {"short", "plain ASCII"}};
  write_results(h5.string(), c);

  const Id f{H5Fopen(h5.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose};
  REQUIRE(f.id >= 0);
  H5T_cset_t cset = H5T_CSET_ERROR;
  CHECK(read_text_dataset(f.id, "/resolved_case", &cset) == text);
  CHECK(cset == H5T_CSET_UTF8);
  CHECK(read_text_dataset(f.id, "/short", &cset) == "plain ASCII");
  CHECK(cset == H5T_CSET_ASCII);
  CHECK(H5Aexists_by_name(f.id, "/", "resolved_case", H5P_DEFAULT) == 0);  // not an attribute
}

TEST_CASE("write_results: an empty text is an empty string dataset") {
  const ScratchDir dir;
  const fs::path h5 = dir.path / "r.h5";
  ResultsContent c = small_content();
  c.texts = {{"resolved_case", ""}};
  write_results(h5.string(), c);
  const Id f{H5Fopen(h5.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose};
  H5T_cset_t cset = H5T_CSET_ERROR;
  CHECK(read_text_dataset(f.id, "/resolved_case", &cset).empty());
}

TEST_CASE("write_results: long attributes and bad texts are refused before any file is touched") {
  const ScratchDir dir;
  const fs::path h5 = dir.path / "r.h5";
  ResultsContent c = small_content();
  c.string_attributes.push_back({"resolved_case", long_text(kMaxStringAttributeBytes + 1)});
  rejects(c, "long text is a TextDataset", h5);

  c = small_content();  // the limit itself is accepted
  c.string_attributes.push_back({"note", std::string(kMaxStringAttributeBytes, 'x')});
  write_results(h5.string(), c);
  CHECK(fs::exists(h5));
  fs::remove(h5);
  fs::remove(dir.path / "r.xmf");

  c = small_content();
  c.texts = {{"resolved_case", std::string("a\0b", 3)}};
  rejects(c, "text 'resolved_case' contains a NUL byte", h5);
  c.texts = {{"fields", "x"}};
  rejects(c, "text name 'fields' is a group of the fixed layout", h5);
  c.texts = {{"a/b", "x"}};
  rejects(c, "field name 'a/b' must be non-empty", h5);
  c.texts = {{"t", "x"}, {"t", "y"}};
  rejects(c, "'t' appears twice", h5);
  c.texts = {{"photonics", "x"}};
  c.tables = {{"photonics", "rings", {{"x_m", std::vector<double>{1.0}}}}};
  rejects(c, "text name 'photonics' is a table group", h5);
}

TEST_CASE("Hdf5Group: a string attribute over the limit throws, write_text has no limit") {
  const ScratchDir dir;
  const std::string path = (dir.path / "raw.h5").string();
  Hdf5File file = Hdf5File::create(path);
  {
    const Hdf5Group root = file.root();
    CHECK_THROWS_AS(root.set_string_attribute("big", std::string(70000, 'x')),
                    std::invalid_argument);
    root.write_text("big", std::string(70000, 'x'));
  }
  file.close();
  const Id f{H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose};
  H5T_cset_t cset = H5T_CSET_ERROR;
  CHECK(read_text_dataset(f.id, "/big", &cset) == std::string(70000, 'x'));
}
