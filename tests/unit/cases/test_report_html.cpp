/// \file
/// report.html: base64 against RFC 4648's test vectors, escaping, pass/fail colouring, the
/// embedded maps, and the file written by a real run (self-contained, no temporary left).
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "cases/case_reader.hpp"
#include "cases/report_html.hpp"
#include "cases/run_case.hpp"

using namespace cposim::cases;
namespace fs = std::filesystem;

namespace {

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

struct TempDir {
  fs::path path = fs::temp_directory_path() /
                  ("cposim_report_html_" + std::to_string(static_cast<long long>(::getpid())));
  TempDir() {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
};

}  // namespace

TEST_CASE("base64 matches the RFC 4648 test vectors") {
  CHECK(base64("") == "");
  CHECK(base64("f") == "Zg==");
  CHECK(base64("fo") == "Zm8=");
  CHECK(base64("foo") == "Zm9v");
  CHECK(base64("foob") == "Zm9vYg==");
  CHECK(base64("fooba") == "Zm9vYmE=");
  CHECK(base64("foobar") == "Zm9vYmFy");
  CHECK(base64(std::string("\xff\x00\x80", 3)) == "/wCA");
}

TEST_CASE("report_html escapes text and colours limits by verdict") {
  RunSummary s;
  s.title = "<script>alert('x')</script> & co";
  s.solve.converged = true;
  cposim::postproc::RegionStatistics hot;
  hot.name = "pic";
  hot.T_max_K = 370.0;
  hot.num_cells = 4;
  cposim::postproc::RegionStatistics cool = hot;
  cool.name = "asic";
  s.regions = {hot, cool};
  s.limits.regions.push_back({"pic", "pic", "role", 358.15, 370.0, -11.85, false});
  s.limits.regions.push_back({"asic", "asic", "role", 378.15, 370.0, 8.15, true});
  const std::string html = report_html(s, "2026-01-01 00:00:00 UTC");
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(html.find("<script>") == std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co") != std::string::npos);
  CHECK(html.find("2026-01-01 00:00:00 UTC") != std::string::npos);
  CHECK(count(html, "<tr class=\"fail\"><td>pic</td>") == 1);
  CHECK(count(html, "<tr class=\"pass\"><td>asic</td>") == 1);
  CHECK(html.find("Temperature limits: 1 FAIL") != std::string::npos);
  // Self-contained: nothing is fetched from elsewhere.
  CHECK(html.find("http") == std::string::npos);
  CHECK(html.find("<link") == std::string::npos);
  CHECK(html.find("src=\"data:image/png;base64,") == std::string::npos);  // no maps given
}

TEST_CASE("report_html embeds each map as a data URI and names an unreadable one") {
  const TempDir dir;
  const fs::path png = dir.path / "map_top.png";
  std::ofstream(png, std::ios::binary) << std::string("\x89PNG\r\n\x1a\n", 8);
  RunSummary s;
  s.map_png_paths = {png.string(), (dir.path / "map_missing.png").string()};
  const std::string html = report_html(s, "now");
  CHECK(html.find("src=\"data:image/png;base64,iVBORw0KGgo=\"") != std::string::npos);
  CHECK(html.find("map map_missing.png could not be read") != std::string::npos);
}

TEST_CASE("run_case writes report.html beside results.h5") {
  const TempDir dir;
  const auto spec =
      read_case((fs::path(CPOSIM_SOURCE_DIR) / "cases" / "examples" / "small_stack.toml").string());
  RunOptions options;
  options.out_dir = dir.path.string();
  const RunSummary summary = run_case(spec, options);
  REQUIRE(summary.exit_code() == exit_ok);
  CHECK(summary.report_html_path == (dir.path / "report.html").string());
  std::ifstream in(summary.report_html_path, std::ios::binary);
  REQUIRE(in);
  std::ostringstream text;
  text << in.rdbuf();
  const std::string html = text.str();
  CHECK(html.find(spec.title) != std::string::npos);
  CHECK(html.find("Energy balance") != std::string::npos);
  CHECK(html.find("Hot spots") != std::string::npos);
  CHECK(html.find("</html>") != std::string::npos);
  for (const auto& map : summary.map_png_paths)
    CHECK_MESSAGE(html.find(fs::path(map).filename().string()) != std::string::npos, map);
  for (const auto& entry : fs::directory_iterator(dir.path))
    CHECK_MESSAGE(entry.path().filename().string().find(".tmp-") == std::string::npos,
                  entry.path());
}
