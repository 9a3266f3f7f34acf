/// \file
/// Sweeps: expansion (lists, ranges, Latin hypercube, product and zip), paths applied to the
/// case tree, point hashes, the Pareto filter and the best query on hand-made tables, the
/// bad-sweep corpus and the example sweep.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "cases/resolve/load_case.hpp"
#include "cases/sweep/sweep_reader.hpp"
#include "cases/sweep/sweep_report.hpp"
#include "cases/sweep/sweep_table.hpp"
#include "tests/support/minimal_case.hpp"

namespace fs = std::filesystem;
using namespace cposim::cases;
using cposim::testing::minimal_case;

namespace {

/// A case with two blocks and a probe, then `sweep` (a [sweep] table).
std::string case_with(const std::string& sweep) {
  return minimal_case(
             "[[blocks]]\nname = \"die_a\"\nmaterial = \"Si\"\norigin_um = [100, 100, 100]\n"
             "size_um = [200, 200, 50]\npower_W = 1\n"
             "[[blocks]]\nname = \"die_b\"\nmaterial = \"Cu\"\norigin_um = [600, 100, 100]\n"
             "size_um = [200, 200, 50]\npower_W = 2\n"
             "[[output.probes]]\nname = \"p\"\nat_um = [500, 250, 50]\n") +
         sweep;
}

SweepSpec read(const std::string& text) { return read_sweep_text(text, "sweep.toml", ""); }

std::vector<double> numbers(const SweepSpec& spec, std::size_t parameter) {
  std::vector<double> out;
  for (const auto& row : sweep_design(spec)) out.push_back(std::get<double>(row.at(parameter)));
  return out;
}

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// The 1-based line of the first occurrence of `needle` in `text` (its `nth` occurrence).
int line_of(const std::string& text, const std::string& needle, int nth = 1) {
  std::size_t at = std::string::npos;
  for (int i = 0; i < nth; ++i) at = text.find(needle, at == std::string::npos ? 0 : at + 1);
  REQUIRE(at != std::string::npos);
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
}

}  // namespace

TEST_CASE("sweep values: a list, a range by step (stop included) and a range by count") {
  const auto spec = read(case_with(
      "[sweep]\n"
      "[[sweep.parameters]]\nname = \"a\"\nvalues = [3, 1.5]\npaths = [\"blocks.die_a.power_W\"]\n"
      "[[sweep.parameters]]\nname = \"b\"\nrange = { start = 0, stop = 1, step = 0.25 }\n"
      "paths = [\"blocks.die_b.power_W\"]\n"
      "[[sweep.parameters]]\nname = \"c\"\nrange = { start = 10, stop = 0, count = 3 }\n"
      "paths = [\"boundary.top.h_W_per_m2K\"]\n"));
  REQUIRE(spec.parameters.size() == 3);
  CHECK(spec.parameters[1].values.size() == 5);
  CHECK(std::get<double>(spec.parameters[1].values.back()) == 1.0);
  CHECK(std::get<double>(spec.parameters[2].values[1]) == 5.0);
  // Product: 2 × 5 × 3 points, the first parameter slowest, the last fastest.
  const auto design = sweep_design(spec);
  REQUIRE(design.size() == 30);
  CHECK(std::get<double>(design[0][0]) == 3.0);
  CHECK(std::get<double>(design[14][0]) == 3.0);
  CHECK(std::get<double>(design[15][0]) == 1.5);
  CHECK(std::get<double>(design[1][2]) == 5.0);
  CHECK(std::get<double>(design[3][1]) == 0.25);
}

TEST_CASE(
    "sweep values: zip pairs values in order, unequal lengths are an error at the parameter") {
  const std::string two =
      "[[sweep.parameters]]\nname = \"a\"\nvalues = [1, 2, 3]\n"
      "paths = [\"blocks.die_a.power_W\"]\n"
      "[[sweep.parameters]]\nname = \"b\"\nvalues = [4, 5, 6]\n"
      "paths = [\"blocks.die_b.power_W\"]\n";
  const auto spec = read(case_with("[sweep]\ncombine = \"zip\"\n" + two));
  const auto design = sweep_design(spec);
  REQUIRE(design.size() == 3);
  CHECK(std::get<double>(design[2][0]) == 3.0);
  CHECK(std::get<double>(design[2][1]) == 6.0);

  const std::string text = case_with("[sweep]\ncombine = \"zip\"\n" + two +
                                     "[[sweep.parameters]]\nname = \"c\"\nvalues = [1, 2]\n"
                                     "paths = [\"boundary.top.h_W_per_m2K\"]\n");
  const auto bad = read(text);
  const std::string where =
      "sweep.toml:" + std::to_string(line_of(text, "[[sweep.parameters]]", 3)) + ":1: error: ";
  CHECK_THROWS_WITH_AS(sweep_design(bad),
                       (where + "parameter 'c' has 2 values but 'a' has 3; "
                                "combine = \"zip\" needs the same number of values")
                           .c_str(),
                       CaseError);
}

TEST_CASE("latin_hypercube: reproducible from its seed, one sample per stratum on every axis") {
  const auto a = latin_hypercube(16, 3, 42);
  const auto b = latin_hypercube(16, 3, 42);
  const auto c = latin_hypercube(16, 3, 43);
  CHECK(a == b);
  CHECK(a != c);
  for (int d = 0; d < 3; ++d) {
    std::set<int> strata;
    for (const auto& row : a) {
      CHECK(row[static_cast<std::size_t>(d)] >= 0.0);
      CHECK(row[static_cast<std::size_t>(d)] < 1.0);
      strata.insert(static_cast<int>(std::floor(row[static_cast<std::size_t>(d)] * 16)));
    }
    CHECK(strata.size() == 16);
  }
}

TEST_CASE("sweep values: lhs parameters move together and scale to min to max") {
  const auto spec =
      read(case_with("[sweep]\nsamples = 5\nseed = 7\n"
                     "[[sweep.parameters]]\nname = \"h\"\nvalues = [1000, 2000]\n"
                     "paths = [\"boundary.top.h_W_per_m2K\"]\n"
                     "[[sweep.parameters]]\nname = \"pa\"\nlhs = { min = 1, max = 3 }\n"
                     "paths = [\"blocks.die_a.power_W\"]\n"
                     "[[sweep.parameters]]\nname = \"pb\"\nlhs = { min = 0, max = 1 }\n"
                     "paths = [\"blocks.die_b.power_W\"]\n"));
  const auto design = sweep_design(spec);
  REQUIRE(design.size() == 10);  // 2 values × 5 joint samples, not 2 × 5 × 5
  std::set<int> strata;
  for (std::size_t i = 0; i < 5; ++i) {
    const double pa = std::get<double>(design[i][1]);
    CHECK(pa >= 1.0);
    CHECK(pa < 3.0);
    strata.insert(static_cast<int>(std::floor((pa - 1.0) / 2.0 * 5)));
    CHECK(std::get<double>(design[i + 5][1]) == pa);  // same samples for h = 2000
  }
  CHECK(strata.size() == 5);
  CHECK(numbers(spec, 1) ==
        numbers(read(case_with("[sweep]\nsamples = 5\nseed = 7\n"
                               "[[sweep.parameters]]\nname = \"h\"\nvalues = [1000, 2000]\n"
                               "paths = [\"boundary.top.h_W_per_m2K\"]\n"
                               "[[sweep.parameters]]\nname = \"pa\"\nlhs = { min = 1, max = 3 }\n"
                               "paths = [\"blocks.die_a.power_W\"]\n"
                               "[[sweep.parameters]]\nname = \"pb\"\nlhs = { min = 0, max = 1 }\n"
                               "paths = [\"blocks.die_b.power_W\"]\n")),
                1));
}

TEST_CASE("render_point: one parameter moves several paths, each by base + scale·(v − reference)") {
  const auto spec = read(case_with(
      "[sweep]\n"
      "[sweep.set]\n\"grid.max_cell_xy_um\" = 50\n"
      "[[sweep.parameters]]\nname = \"gap\"\nvalues = [300]\nreference = 100\n"
      "paths = [{ path = \"blocks.die_*.origin_um[0]\", scale = 1 },\n"
      "         { path = \"output.probes.p.at_um[1]\", scale = -1 },\n"
      "         { path = \"blocks[1].power_W\", base = 1, scale = 0.5 },\n"
      "         { path = \"boundary.top|bottom.T_ambient_K\", base = 310, scale = 0 }]\n"));
  const std::string text = render_point(spec, sweep_design(spec).front());
  const CaseSpec c = read_case_text(text, "point.toml", "");
  // die_a: 100 + 1·(300 − 100) = 300 µm; die_b: 600 + 200 = 800 µm; the probe 250 − 200.
  CHECK(c.blocks[0].origin_m[0] == doctest::Approx(300e-6).epsilon(1e-12));
  CHECK(c.blocks[1].origin_m[0] == doctest::Approx(800e-6).epsilon(1e-12));
  CHECK(c.output.probes[0].at_m[1] == doctest::Approx(50e-6).epsilon(1e-12));
  CHECK(*c.blocks[1].power_W == doctest::Approx(101.0).epsilon(1e-12));
  CHECK(c.boundaries[5].T_ambient_K == 310.0);  // top; bottom is not in the case: no match
  CHECK(c.grid.max_cell_xy_m == doctest::Approx(50e-6).epsilon(1e-12));
  CHECK(text.find("[sweep") == std::string::npos);
}

TEST_CASE("expand_sweep: a point that is not a valid case names the point and the reason") {
  // die_b ends at 1000 + 200 µm, beyond the 1000 µm footprint.
  const std::string text = case_with(
      "[sweep]\n"
      "[[sweep.parameters]]\nname = \"gap\"\nvalues = [100, 300]\nreference = 100\n"
      "paths = [{ path = \"blocks.die_*.origin_um[0]\", scale = 2 }]\n");
  const auto spec = read(text);
  try {
    expand_sweep(spec);
    FAIL("expected a CaseError");
  } catch (const CaseError& e) {
    const std::string what = e.what();
    CAPTURE(what);
    CHECK(what.rfind("sweep.toml:" + std::to_string(line_of(text, "[sweep]")) +
                         ":1: error: point 1 (gap = 300) is not a valid case: ",
                     0) == 0);
    CHECK(what.find("die_b") != std::string::npos);
  }
}

TEST_CASE("sweep paths that match nothing are errors at the path, with line and column") {
  const auto expect = [](const std::string& path, const std::string& message) {
    const std::string text = case_with(
        "[sweep]\n[[sweep.parameters]]\nname = \"x\"\n"
        "values = [1]\nreference = 0\npaths = [\"" +
        path + "\"]\n");
    const auto spec = read(text);
    CAPTURE(path);
    const std::string where =
        "sweep.toml:" + std::to_string(line_of(text, "paths = [")) + ":10: error: ";
    try {
      render_point(spec, sweep_design(spec).front());
      FAIL("expected a CaseError");
    } catch (const CaseError& e) {
      const std::string what = e.what();
      CAPTURE(what);
      CHECK(what.rfind(where, 0) == 0);
      CHECK(what.find(message) != std::string::npos);
    }
  };
  expect("blocks.die_c.power_W",
         "sweep path 'blocks.die_c.power_W' matches nothing in the base "
         "case: no element of 'blocks' is named 'die_c'; names: die_a, die_b");
  expect("blocks.die_a.origin_um[3]", "index 3 is out of range: 'blocks.die_a.origin_um' has 3");
  expect("blocks.die_a.origin_um", "is an array of 3, not a single value");
  expect("blocks[5].power_W", "index 5 is out of range: 'blocks' has 2 elements");
  expect("package.footprint_um[0].x", "is 1000, so it has no 'x'");
  expect("blocks.die_a.material", "holds 'Si', not a number");
  expect("blocks[x].power_W", "is malformed: index 'x' is not a whole number");
}

TEST_CASE("point_hash: equal resolved cases hash equal, any change hashes differently") {
  const std::string a = "title = \"t\"\n" + minimal_case("[grid]\nmax_cell_xy_um = 100\n");
  // Same case: other key order, spacing, comments and an integer written as a float.
  const std::string b =
      "# a comment\ntitle = 't'\n[boundary.top]\nT_ambient_K = 300.0\ntype   = \"convection\"\n"
      "h_W_per_m2K = 1e3\n[grid]\nmax_cell_xy_um = 100\n[package]\nfootprint_um = [1000, 500]\n"
      "[[layers]]\nthickness_um = 100\nname = \"slab\"\nmaterial = \"Si\"\n";
  const std::string c = "title = \"t\"\n" + minimal_case("[grid]\nmax_cell_xy_um = 101\n");
  const auto hash = [](const std::string& text, const std::string& name) {
    return point_hash(read_case_text(text, name, "").resolved_text);
  };
  const std::string h = hash(a, "a.toml");
  CHECK(h.size() == 16);
  CHECK(h == hash(a, "elsewhere/other_name.toml"));  // the file name is not part of the hash
  CHECK(h == hash(b, "a.toml"));
  CHECK(h != hash(c, "a.toml"));
  CHECK(point_hash("x") != point_hash("y"));
}

TEST_CASE("expand_sweep: the point at the reference value is the base case (same hash)") {
  const std::string text = case_with(
      "[sweep]\n[[sweep.parameters]]\nname = \"gap\"\nvalues = [100, 150]\n"
      "reference = 100\npaths = [\"blocks.die_a.origin_um[0]\"]\n");
  const auto points = expand_sweep(read(text));
  REQUIRE(points.size() == 2);
  CHECK(points[0].hash == point_hash(read_case_text(text, "sweep.toml", "").resolved_text));
  CHECK(points[1].hash != points[0].hash);
}

TEST_CASE("pareto_front: keeps the non-dominated rows, never rows with NaN") {
  // Minimise both columns.
  const std::vector<std::vector<double>> rows = {{1, 5}, {2, 3}, {3, 3},    {4, 1},
                                                 {2, 3}, {5, 5}, {kNaN, 0}, {0.5, 6}};
  const auto keep = pareto_front(rows);
  const std::vector<bool> expected = {true, true, false, true, true, false, false, true};
  CHECK(keep == expected);
}

namespace {

/// A hand-made table: gap, lane margin, heater power, T_max, rings in range, status.
SweepTable hand_made_table(SweepSpec& spec) {
  spec.parameters.resize(1);
  spec.parameters[0].name = "gap_um";
  SweepTable t;
  t.parameters = {"gap_um"};
  struct R {
    double gap, margin, heater, T, in_range;
    const char* status;
  };
  const std::vector<R> rows = {{1000, 3.0, 1.0, 360, 0, "ok"}, {2000, 2.5, 1.1, 355, 1, "ok"},
                               {3000, 2.0, 1.2, 356, 1, "ok"}, {4000, 1.5, 0.9, 350, 1, "ok"},
                               {5000, 0.8, 0.8, 349, 1, "ok"}, {6000, 5.0, 0.1, 300, 1, "failed"},
                               {7000, 1.2, 2.0, 351, 1, "ok"}};
  for (std::size_t i = 0; i < rows.size(); ++i) {
    SweepRow r;
    r.index = i;
    r.values = {rows[i].gap};
    r.status = rows[i].status;
    r.exit_code = r.status == "ok" ? 0 : 3;
    r.metrics["worst_lane_margin_dB"] = rows[i].margin;
    r.metrics["total_heater_W"] = rows[i].heater;
    r.metrics["T_max_K"] = rows[i].T;
    r.metrics["rings_in_range"] = rows[i].in_range;
    t.rows.push_back(r);
  }
  return t;
}

}  // namespace

TEST_CASE("mark_pareto: lane margin up, heater power and T_max down, over the rows that ran") {
  SweepSpec spec;
  SweepTable t = hand_made_table(spec);
  mark_pareto(t);
  std::vector<bool> pareto;
  for (const auto& r : t.rows) pareto.push_back(r.pareto);
  // Row 2 is dominated by row 1; row 6 by row 3; row 5 failed (never Pareto, never dominates).
  const std::vector<bool> expected = {true, true, false, true, true, false, false};
  CHECK(pareto == expected);
}

TEST_CASE("answer_best: minimise or maximise under requirements, none qualifying is said") {
  SweepSpec spec;
  SweepTable t = hand_made_table(spec);
  const auto requirement = [](const char* metric, const char* op, double v) {
    SweepRequirement r;
    r.metric = metric;
    r.op = op;
    r.value = v;
    r.text = std::string(metric) + " " + op + " " + format_number(v);
    return r;
  };
  SweepBest best;
  best.objective = "gap_um";
  best.maximize = true;
  best.requirements = {requirement("worst_lane_margin_dB", ">=", 1.0),
                       requirement("rings_in_range", "==", 1)};
  auto a = answer_best(t, best, spec);
  REQUIRE(a.row);
  CHECK(*a.row == 6);  // 7000 µm: margin 1.2 dB; row 5 (6000) failed
  CHECK(a.candidates == 4);
  CHECK(a.text.find("point 6 (gap_um = 7000)") != std::string::npos);

  best.maximize = false;
  a = answer_best(t, best, spec);
  REQUIRE(a.row);
  CHECK(*a.row == 1);  // row 0 has a ring out of range

  best.objective = "total_heater_W";
  best.requirements.push_back(requirement("T_max_K", "<", 351));
  a = answer_best(t, best, spec);
  REQUIRE(a.row);
  CHECK(*a.row == 3);

  best.requirements.push_back(requirement("worst_lane_margin_dB", ">", 10));
  a = answer_best(t, best, spec);
  CHECK(!a.row);
  CHECK(a.text.find("no point qualifies") != std::string::npos);
}

TEST_CASE("bad sweep files fail with the message written on their first line") {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(fs::path(CPOSIM_TEST_DATA) / "bad_sweeps"))
    if (entry.path().extension() == ".toml") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  int checked = 0;
  for (const auto& path : files) {
    std::ifstream in(path);
    std::string first;
    std::getline(in, first);
    const std::string tag = "# expect: ";
    CAPTURE(path.filename().string());
    REQUIRE(first.rfind(tag, 0) == 0);
    const auto read_and_expand = [&] { expand_sweep(read_sweep(path.string())); };
    CHECK_THROWS_WITH_AS(read_and_expand(), doctest::Contains(first.substr(tag.size()).c_str()),
                         CaseError);
    ++checked;
  }
  CHECK(checked >= 8);
}

TEST_CASE("the example gap sweep expands into valid flagship cases that move every engine") {
  const fs::path file =
      fs::path(CPOSIM_SOURCE_DIR) / "cases" / "examples" / "cpo_102t_gap_sweep.toml";
  CHECK(is_sweep_only_file(file.string()));
  const auto spec = read_sweep(file.string());
  const auto points = expand_sweep(spec);
  REQUIRE(points.size() >= 8);
  std::set<std::string> hashes;
  for (const auto& p : points) hashes.insert(p.hash);
  CHECK(hashes.size() == points.size());
  // The 8 mm point is the flagship as written.
  const auto base = read_case(spec.base_case_path);
  const auto at_8mm = std::find_if(points.begin(), points.end(), [](const SweepPoint& p) {
    return std::get<double>(p.values[0]) == 8000.0;
  });
  REQUIRE(at_8mm != points.end());
  CHECK(at_8mm->hash == point_hash(base.resolved_text));
  // At 14 mm the west engines sit 6 mm farther west, the north ones 6 mm farther north.
  const auto far = read_case_text(points.back().case_text, "far.toml", "");
  const auto block = [&](const CaseSpec& c, const std::string& name) {
    return *std::find_if(c.blocks.begin(), c.blocks.end(),
                         [&](const BlockSpec& b) { return b.name == name; });
  };
  CHECK(block(far, "oe_w2_pic").origin_m[0] ==
        doctest::Approx(block(base, "oe_w2_pic").origin_m[0] - 6e-3).epsilon(1e-12));
  CHECK(block(far, "oe_n3_eic").origin_m[1] ==
        doctest::Approx(block(base, "oe_n3_eic").origin_m[1] + 6e-3).epsilon(1e-12));
  CHECK(block(far, "interposer").size_m[0] ==
        doctest::Approx(block(base, "interposer").size_m[0] + 12e-3).epsilon(1e-12));
  CHECK(far.photonics.rings.front().center_m[0] ==
        doctest::Approx(base.photonics.rings.front().center_m[0] - 6e-3).epsilon(1e-12));
}

TEST_CASE("collect_sweep_table: metrics from point.json and summary.json, missing points pending") {
  const auto spec =
      read(case_with("[sweep]\n[[sweep.parameters]]\nname = \"h\"\n"
                     "values = [1000, 2000, 3000]\n"
                     "paths = [\"boundary.top.h_W_per_m2K\"]\n"));
  const auto points = expand_sweep(spec);
  REQUIRE(points.size() == 3);
  const fs::path out = fs::temp_directory_path() / ("cposim_test_sweep_" + points[0].hash);
  fs::remove_all(out);
  const auto write = [](const fs::path& file, const std::string& text) {
    fs::create_directories(file.parent_path());
    std::ofstream(file) << text;
  };
  const fs::path p0 = out / "points" / points[0].hash;
  write(p0 / "point.json", "{\"exit_code\": 0, \"wall_s\": 12.5, \"error\": \"\"}");
  write(
      p0 / "summary.json",
      "{\"regions\": [{\"name\": \"slab\", \"power_W\": 1, \"T_max_K\": 350},"
      " {\"name\": \"die_a\", \"power_W\": 0, \"T_max_K\": 360}, {\"name\": \"air\","
      " \"power_W\": 0, \"T_max_K\": null}],"
      " \"energy_balance\": {\"power_in_W\": 3, \"relative\": 1e-9},"
      " \"solver\": {\"times_s\": {\"solve\": 0.5}},"
      " \"limits\": {\"failures\": 2},"
      " \"photonics\": {\"total_heater_W\": 0.02, \"open_loop_heater_W\": 0.03},"
      " \"rings\": [{\"heater_W\": 0.015, \"margin_nm\": 2.5, \"T_K\": 330, \"in_range\": true},"
      "  {\"heater_W\": 0.005, \"margin_nm\": -0.1, \"T_K\": 331, \"in_range\": false}],"
      " \"lane_engines\": [{\"worst_margin_dB\": 1.5, \"worst_margin_25C_dB\": 2, \"failing\": 0},"
      "  {\"worst_margin_dB\": -0.5, \"worst_margin_25C_dB\": 0.5, \"failing\": 3}]}");
  const fs::path p1 = out / "points" / points[1].hash;
  write(p1 / "point.json", "{\"exit_code\": 5, \"wall_s\": 3, \"error\": \"runaway\"}");
  const SweepTable t = collect_sweep_table(spec, points, out.string());
  fs::remove_all(out);
  REQUIRE(t.rows.size() == 3);
  const SweepRow& r = t.rows[0];
  CHECK(r.status == "ok");
  CHECK(t.value(r, "h") == 1000.0);
  CHECK(t.value(r, "T_max_K") == 360.0);
  CHECK(t.value(r, "T_max_K.slab") == 350.0);
  CHECK(t.value(r, "total_heater_W") == 0.02);
  CHECK(t.value(r, "max_heater_W") == 0.015);
  CHECK(t.value(r, "rings") == 2.0);
  CHECK(t.value(r, "rings_in_range") == 0.0);
  CHECK(t.value(r, "rings_out_of_range") == 1.0);
  CHECK(t.value(r, "worst_ring_margin_nm") == doctest::Approx(-0.1).epsilon(1e-12));
  CHECK(t.value(r, "max_ring_T_K") == 331.0);
  CHECK(t.value(r, "worst_lane_margin_dB") == -0.5);
  CHECK(t.value(r, "worst_lane_margin_25C_dB") == 0.5);
  CHECK(t.value(r, "failing_lanes") == 3.0);
  CHECK(t.value(r, "solve_time_s") == 0.5);
  CHECK(t.value(r, "run_time_s") == 12.5);
  CHECK(t.value(r, "limit_failures") == 2.0);
  CHECK(r.pareto);
  CHECK(std::find(t.columns.begin(), t.columns.end(), "T_max_K.slab") != t.columns.end());
  CHECK(t.rows[1].status == "failed");
  CHECK(t.rows[1].exit_code == 5);
  CHECK(t.rows[1].error == "runaway");
  CHECK(std::isnan(t.value(t.rows[1], "T_max_K")));
  CHECK(t.rows[2].status == "pending");
  CHECK(!t.rows[2].pareto);
}

TEST_CASE("collect_sweep_table: a point that misses a design verdict is kept as infeasible") {
  // Issue 23 item 4: a ring out of its tuning range (exit 0 now) or any failing verdict keeps
  // its row and metrics but never enters the Pareto set or the best answer; the plot's default
  // panels are the binding constraints.
  const auto spec =
      read(case_with("[sweep]\n[[sweep.parameters]]\nname = \"h\"\n"
                     "values = [1000, 2000]\n"
                     "paths = [\"boundary.top.h_W_per_m2K\"]\n"));
  const auto points = expand_sweep(spec);
  REQUIRE(points.size() == 2);
  const fs::path out =
      fs::temp_directory_path() / ("cposim_test_sweep_infeasible_" + points[0].hash);
  fs::remove_all(out);
  const auto write = [](const fs::path& file, const std::string& text) {
    fs::create_directories(file.parent_path());
    std::ofstream(file) << text;
  };
  const auto summary = [](double T_max, double heater, double ring_margin, int failures) {
    return "{\"verdict\": {\"pass\": " + std::string(failures ? "false" : "true") +
           ", \"checks\": 3, \"failures\": " + std::to_string(failures) +
           ", \"classes\": [{\"key\": \"ring_tuning\", \"margin_unit\": \"nm\", \"binding\": "
           "{\"name\": \"r\", \"margin\": " +
           std::to_string(ring_margin) +
           "}}]},"
           " \"regions\": [{\"name\": \"die_a\", \"power_W\": 1, \"T_max_K\": " +
           std::to_string(T_max) +
           "}], \"photonics\": {\"total_heater_W\": " + std::to_string(heater) + "}}";
  };
  // Point 0 is cooler and cheaper, but its ring is out of range: it would dominate point 1.
  write(out / "points" / points[0].hash / "point.json", "{\"exit_code\": 0, \"wall_s\": 1}");
  write(out / "points" / points[0].hash / "summary.json", summary(340, 0.01, -0.25, 1));
  write(out / "points" / points[1].hash / "point.json", "{\"exit_code\": 0, \"wall_s\": 1}");
  write(out / "points" / points[1].hash / "summary.json", summary(350, 0.02, 0.5, 0));
  const SweepTable t = collect_sweep_table(spec, points, out.string());
  fs::remove_all(out);
  REQUIRE(t.rows.size() == 2);
  CHECK(t.rows[0].status == "infeasible");
  CHECK(t.value(t.rows[0], "feasible") == 0.0);
  CHECK(t.value(t.rows[0], "verdict_failures") == 1.0);
  CHECK(t.value(t.rows[0], "ring_tuning_margin_nm") == doctest::Approx(-0.25).epsilon(1e-12));
  CHECK(t.value(t.rows[0], "T_max_K") == 340.0);  // the metrics are kept
  CHECK_FALSE(t.rows[0].pareto);
  CHECK(t.rows[1].status == "ok");
  CHECK(t.value(t.rows[1], "feasible") == 1.0);
  CHECK(t.rows[1].pareto);
  SweepBest best;
  best.objective = "T_max_K";
  const auto answer = answer_best(t, best, spec);
  REQUIRE(answer.row);
  CHECK(*answer.row == 1);
  CHECK(default_plot_metrics(t) == std::vector<std::string>{"ring_tuning_margin_nm"});
  const std::string md = sweep_report_markdown(spec, t, answer, "");
  CHECK(md.find("1 feasible, 1 infeasible") != std::string::npos);
  CHECK(md.find("ring_tuning_margin_nm = -0.25") != std::string::npos);
}

TEST_CASE("[sweep] plot selects the plot's panels, unknown metrics are errors at the item") {
  const std::string base =
      "[sweep]\nplot = [\"T_max_K\", \"lane_reach_margin_mm\"]\n[[sweep.parameters]]\n"
      "name = \"h\"\nvalues = [1000, 2000]\npaths = [\"boundary.top.h_W_per_m2K\"]\n";
  const auto spec = read(case_with(base));
  CHECK(spec.plot_y == std::vector<std::string>{"T_max_K", "lane_reach_margin_mm"});
  const auto table_form = read(
      case_with("[sweep]\n[sweep.plot]\nx = \"h\"\ny = [\"total_heater_W\"]\n[[sweep.parameters]]\n"
                "name = \"h\"\nvalues = [1000, 2000]\npaths = [\"boundary.top.h_W_per_m2K\"]\n"));
  CHECK(table_form.plot_y == std::vector<std::string>{"total_heater_W"});
  const std::string bad = case_with(
      "[sweep]\nplot = [\"T_max_K\", \"lane_margin\"]\n[[sweep.parameters]]\n"
      "name = \"h\"\nvalues = [1000, 2000]\npaths = [\"boundary.top.h_W_per_m2K\"]\n");
  try {
    read(bad);
    FAIL("expected a CaseError");
  } catch (const CaseError& e) {
    const std::string what = e.what();
    CHECK(what.find("sweep.toml:" + std::to_string(line_of(bad, "plot = ")) + ":") == 0);
    CHECK(what.find("'sweep.plot[1]' names 'lane_margin'") != std::string::npos);
  }
}
