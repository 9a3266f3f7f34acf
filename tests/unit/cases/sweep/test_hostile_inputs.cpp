/// \file
/// Issue 17, the mechanisms behind hostile inputs: one input-opening path (FIFOs, devices and
/// folders refused at once), bounded key nesting, NUL refused, CSV byte-order marks, every read
/// file's digest in the resolved text; and sweeps that cannot serve stale results (the point
/// hash follows referenced files' content, values cannot inject TOML, one path per value,
/// relative CSV paths resolved against the base case's folder).
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include "cases/resolve/load_case.hpp"
#include "cases/spec/input_file.hpp"
#include "cases/sweep/sweep_reader.hpp"
#include "tests/support/minimal_case.hpp"

namespace fs = std::filesystem;
using namespace cposim::cases;
using cposim::testing::minimal_case;

namespace {

/// A fresh folder under the system temporary folder, removed at the end.
struct Scratch {
  fs::path path;
  explicit Scratch(const std::string& name)
      : path(fs::temp_directory_path() /
             ("cposim_hostile_" + name + "_" + std::to_string(::getpid()))) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~Scratch() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
};

void write(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

/// A block with a power map `map` (a path as written in the case).
std::string mapped_block(const std::string& map) {
  return "[[blocks]]\nname = \"die\"\nmaterial = \"Si\"\norigin_um = [100, 100, 0]\n"
         "size_um = [400, 200, 50]\npower_W = 1\npower_map = \"" +
         map + "\"\n";
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

TEST_CASE("read_input_file refuses a FIFO, a device and a folder at once") {
  Scratch dir("fifo");
  const fs::path fifo = dir.path / "case.toml";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  const auto t0 = std::chrono::steady_clock::now();
  CHECK_THROWS_WITH_AS(read_input_file(fifo.string()), "it is not a regular file (a FIFO)",
                       InputFileError);
  CHECK_THROWS_WITH_AS(read_input_file("/dev/zero"),
                       "it is not a regular file (a character device)", InputFileError);
  CHECK_THROWS_WITH_AS(read_input_file(dir.path.string()), "it is a directory", InputFileError);
  // Every command's way in: check and run (read_case), a sweep (read_sweep, and the test that
  // tells a sweep file from a case file).
  CHECK_THROWS_WITH_AS(read_case(fifo.string()),
                       doctest::Contains("cannot read case file: it is not a regular file"),
                       CaseError);
  CHECK_FALSE(is_sweep_only_file(fifo.string()));
  CHECK_FALSE(is_sweep_only_file("/dev/zero"));
  const std::string fifo_message =
      "cannot read sweep file '" + fifo.string() + "': it is not a regular file (a FIFO)";
  CHECK_THROWS_WITH_AS(read_sweep(fifo.string()), doctest::Contains(fifo_message.c_str()),
                       CaseError);
  CHECK_THROWS_WITH_AS(read_sweep("/dev/zero"), doctest::Contains("a character device"), CaseError);
  CHECK(seconds_since(t0) < 5.0);  // none waited for a writer or read forever
}

TEST_CASE("key nesting is bounded: 50,000 dotted keys and a 40,000-deep header are located") {
  std::string dotted = "a";
  for (int i = 0; i < 50000; ++i) dotted += ".a";
  CHECK_THROWS_WITH_AS(read_case_text(minimal_case() + dotted + " = 1\n", "deep.toml", ""),
                       doctest::Contains("deep.toml:11:200: error: a key nested more than 100"),
                       CaseError);
  std::string header = "[a";
  for (int i = 0; i < 40000; ++i) header += ".a";
  CHECK_THROWS_WITH_AS(read_case_text(minimal_case() + header + "]\nx = 1\n", "deep.toml", ""),
                       doctest::Contains("deep.toml:11:201: error: a key nested more than 100"),
                       CaseError);
  // The same through a sweep file (its own parse), and dots inside strings do not count.
  CHECK_THROWS_WITH_AS(read_sweep_text(header + "]\n", "s.toml", ""),
                       doctest::Contains("s.toml:1:201: error: a key nested"), CaseError);
  std::string dots(500, '.');
  CHECK_NOTHROW(read_case_text("title = \"" + dots + "\"\n# " + dots + "\n" + minimal_case(),
                               "dots.toml", ""));
}

TEST_CASE("a NUL character in a string or key is refused where it is") {
  CHECK_THROWS_WITH_AS(read_case_text("title = \"a\\u0000b\"\n" + minimal_case(), "nul.toml", ""),
                       "nul.toml:1:9: error: a string holds a NUL character (\\u0000), which no "
                       "name, path or text may contain",
                       CaseError);
  CHECK_THROWS_WITH_AS(
      read_case_text(minimal_case("[materials.\"x\\u0000\"]\nk_W_per_mK = 1\n"), "nul.toml", ""),
      doctest::Contains("nul.toml:11:12: error: a key holds a NUL character"), CaseError);
}

TEST_CASE("a power map with a UTF-8 byte-order mark reads like one without") {
  Scratch dir("bom");
  write(dir.path / "plain.csv", "1,2\n3,4\n");
  write(dir.path / "bom.csv",
        "\xEF\xBB\xBF"
        "1,2\n3,4\n");
  const auto plain =
      read_case_text(minimal_case(mapped_block("plain.csv")), "c.toml", dir.path.string());
  const auto bom =
      read_case_text(minimal_case(mapped_block("bom.csv")), "c.toml", dir.path.string());
  REQUIRE(bom.blocks.at(0).power_map.has_value());
  CHECK(bom.blocks[0].power_map->tiles == plain.blocks[0].power_map->tiles);
  CHECK(bom.blocks[0].power_map->file_total == doctest::Approx(10.0));
}

TEST_CASE("the resolved text lists every file the case read, with its content digest") {
  Scratch dir("digest");
  write(dir.path / "map.csv", "1,2\n3,4\n");
  const std::string text = minimal_case(mapped_block("map.csv"));
  const auto before = read_case_text(text, "c.toml", dir.path.string());
  REQUIRE(before.input_files.size() == 1);
  CHECK(before.input_files[0].bytes == 8);
  CHECK(before.input_files[0].fnv1a64 == fnv1a64("1,2\n3,4\n"));
  CHECK(before.resolved_text.find("# input file \"" + (dir.path / "map.csv").string() +
                                  "\": 8 bytes, FNV-1a 64 ") != std::string::npos);
  write(dir.path / "map.csv", "1,2\n3,5\n");  // same size, other content
  const auto after = read_case_text(text, "c.toml", dir.path.string());
  CHECK(after.resolved_text != before.resolved_text);
}

namespace {

/// A sweep over die power beside a base case in `dir`/base/ whose power map and waveform CSV
/// are named relative to the base case; the sweep file is in `dir`.
SweepSpec relative_csv_sweep(const fs::path& dir) {
  fs::create_directories(dir / "base");
  write(dir / "base" / "map.csv", "1,2\n3,4\n");
  write(dir / "base" / "base.toml", minimal_case(mapped_block("map.csv")));
  write(dir / "sweep.toml",
        "[sweep]\nbase_case = \"base/base.toml\"\n"
        "[[sweep.parameters]]\nname = \"P\"\npaths = [\"blocks.die.power_W\"]\nvalues = [1, 2]\n");
  return read_sweep((dir / "sweep.toml").string());
}

}  // namespace

TEST_CASE("sweep: a point's hash follows the content of every file it reads") {
  Scratch dir("sweep_hash");
  const auto before = expand_sweep(relative_csv_sweep(dir.path));
  write(dir.path / "base" / "map.csv", "1,2\n3,9\n");  // edited between two runs of the sweep
  const auto after = expand_sweep(read_sweep((dir.path / "sweep.toml").string()));
  REQUIRE(before.size() == 2);
  REQUIRE(after.size() == 2);
  for (std::size_t i = 0; i < 2; ++i) CHECK(before[i].hash != after[i].hash);
  CHECK(expand_sweep(read_sweep((dir.path / "sweep.toml").string()))[0].hash == after[0].hash);
}

TEST_CASE(
    "sweep: relative CSV paths of the base case resolve against its folder in every "
    "point, read from any folder") {
  Scratch dir("sweep_relative");
  const auto points = expand_sweep(relative_csv_sweep(dir.path));
  const std::string absolute = fs::absolute(dir.path / "base" / "map.csv").string();
  for (const auto& p : points) {
    CHECK(p.case_text.find("power_map = '" + absolute + "'") != std::string::npos);
    // The point's run reads its case.toml from its own folder: the same case.
    const auto there = read_case_text(p.case_text, "points/x/case.toml", "/nonexistent/points/x");
    CHECK(point_hash(there.resolved_text) == p.hash);  // the text after its header comment
  }
}

TEST_CASE("sweep: a string value cannot inject TOML into a point's case") {
  const auto spec = read_sweep_text(
      minimal_case("[sweep]\n[[sweep.parameters]]\nname = \"t\"\npaths = [\"title\"]\n"
                   "values = [\"x\\nsolver.relative_tolerance = 0.5\\n[solver]\"]\n"),
      "s.toml", "");
  const auto points = expand_sweep(spec);
  REQUIRE(points.size() == 1);
  const auto point = read_case_text(points[0].case_text, "p.toml", "");
  CHECK(point.title == "x\nsolver.relative_tolerance = 0.5\n[solver]");
  CHECK(point.solver.relative_tolerance ==
        read_case_text(minimal_case(), "m.toml", "").solver.relative_tolerance);
  CHECK(points[0].case_text.find("\n# ") == std::string::npos);  // the comment is one line
}

TEST_CASE("sweep: two paths setting one case value are refused where the second is") {
  const std::string base = minimal_case(
      "[[blocks]]\nname = \"die\"\nmaterial = \"Si\"\norigin_um = [100, 100, 0]\n"
      "size_um = [400, 200, 50]\npower_W = 1\n");
  const std::string two_parameters =
      "[sweep]\n[[sweep.parameters]]\nname = \"a\"\npaths = [\"blocks.die.power_W\"]\n"
      "values = [1, 2]\n[[sweep.parameters]]\nname = \"b\"\npaths = [\"blocks.*.power_W\"]\n"
      "values = [3, 4]\n";
  CHECK_THROWS_WITH_AS(
      expand_sweep(read_sweep_text(base + two_parameters, "s.toml", "")),
      "s.toml:24:10: error: sweep path 'blocks.*.power_W' of parameter 'b' sets "
      "'blocks.die.power_W', which parameter 'a' (path 'blocks.die.power_W') sets too; each "
      "case value may be set by one path only",
      CaseError);
  const std::string one_path_twice =
      "[sweep]\n[[sweep.parameters]]\nname = \"a\"\n"
      "paths = [\"blocks.die.power_W\", \"blocks.die.power_W\"]\nvalues = [1, 2]\n";
  CHECK_THROWS_WITH_AS(expand_sweep(read_sweep_text(base + one_path_twice, "s.toml", "")),
                       doctest::Contains("s.toml:20:32: error: sweep path"), CaseError);
  const std::string set_and_parameter =
      "[sweep]\nset = {\"blocks.die.power_W\" = 5}\n[[sweep.parameters]]\nname = \"a\"\n"
      "paths = [\"blocks.die.power_W\"]\nvalues = [1, 2]\n";
  CHECK_THROWS_WITH_AS(expand_sweep(read_sweep_text(base + set_and_parameter, "s.toml", "")),
                       doctest::Contains("which 'sweep.set' (path 'blocks.die.power_W') sets too"),
                       CaseError);
}
