/// \file
/// summary.json against its schema (tests/data/summary.schema.json): a tiny validator for the
/// schema keywords the file uses, a real run of a small case with limits and probes, a
/// synthetic summary with one row in every table, and negative checks that a missing key, a
/// wrong type and an undocumented key are each caught.
#include <doctest/doctest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "cases/read/json_reader.hpp"
#include "cases/report/run_and_report.hpp"
#include "cases/report/summary_json.hpp"
#include "cases/resolve/load_case.hpp"
#include "cases/run/run_case.hpp"
#include "tests/support/minimal_case.hpp"

namespace fs = std::filesystem;
using namespace cposim::cases;

namespace {

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

const JsonValue& schema() {
  static const JsonValue s =
      parse_json(read_file(fs::path(CPOSIM_TEST_DATA) / "summary.schema.json"));
  return s;
}

bool has_type(const JsonValue& value, const std::string& type) {
  using K = JsonValue::Kind;
  if (type == "object") return value.kind == K::object;
  if (type == "array") return value.kind == K::array;
  if (type == "string") return value.kind == K::string;
  if (type == "boolean") return value.kind == K::boolean;
  if (type == "null") return value.kind == K::null;
  if (type == "number") return value.kind == K::number;
  if (type == "integer") return value.kind == K::number && std::floor(value.number) == value.number;
  FAIL("schema uses an unknown type '" << type << "'");
  return false;
}

bool equal(const JsonValue& a, const JsonValue& b) {
  if (a.kind != b.kind) return false;
  return a.kind != JsonValue::Kind::string ? a.number == b.number && a.boolean == b.boolean
                                           : a.text == b.text;
}

/// Appends "path: what" for every way `value` breaks `s` (keywords: type, required, properties,
/// additionalProperties = false, items, minItems, maxItems, enum; the annotations $schema,
/// $id, title and description are ignored).
void validate(const JsonValue& s, const JsonValue& value, const std::string& path,
              std::vector<std::string>& errors) {
  for (const auto& [keyword, rule] : s.members) {
    if (keyword == "type") {
      bool ok = false;
      if (rule.kind == JsonValue::Kind::string) ok = has_type(value, rule.text);
      for (const auto& t : rule.items) ok = ok || has_type(value, t.text);
      if (!ok) {
        errors.push_back(path + ": wrong type");
        return;  // the other keywords would only repeat it
      }
    }
  }
  for (const auto& [keyword, rule] : s.members) {
    if (keyword == "required" && value.kind == JsonValue::Kind::object) {
      for (const auto& key : rule.items)
        if (value.find(key.text) == nullptr)
          errors.push_back(path + ": missing key '" + key.text + "'");
    } else if (keyword == "properties" && value.kind == JsonValue::Kind::object) {
      for (const auto& [key, sub] : value.members)
        if (const JsonValue* sub_rule = rule.find(key))
          validate(*sub_rule, sub, path + "." + key, errors);
    } else if (keyword == "additionalProperties" && value.kind == JsonValue::Kind::object) {
      REQUIRE(rule.kind == JsonValue::Kind::boolean);
      if (!rule.boolean)
        for (const auto& [key, sub] : value.members)
          if (s.at("properties").find(key) == nullptr)
            errors.push_back(path + ": undocumented key '" + key + "'");
    } else if (keyword == "items" && value.kind == JsonValue::Kind::array) {
      for (std::size_t i = 0; i < value.items.size(); ++i)
        validate(rule, value.items[i], path + "[" + std::to_string(i) + "]", errors);
    } else if (keyword == "minItems" && value.kind == JsonValue::Kind::array) {
      if (static_cast<double>(value.items.size()) < rule.number)
        errors.push_back(path + ": too few items");
    } else if (keyword == "maxItems" && value.kind == JsonValue::Kind::array) {
      if (static_cast<double>(value.items.size()) > rule.number)
        errors.push_back(path + ": too many items");
    } else if (keyword == "enum") {
      bool found = false;
      for (const auto& choice : rule.items) found = found || equal(choice, value);
      if (!found) errors.push_back(path + ": not one of the allowed values");
    } else if (keyword != "type" && keyword != "required" && keyword != "properties" &&
               keyword != "additionalProperties" && keyword != "items" && keyword != "minItems" &&
               keyword != "maxItems" && keyword != "enum" && keyword != "$schema" &&
               keyword != "$id" && keyword != "title" && keyword != "description") {
      FAIL("the validator does not know the schema keyword '" << keyword << "'");
    }
  }
}

std::vector<std::string> errors_of(const JsonValue& document) {
  std::vector<std::string> errors;
  validate(schema(), document, "summary", errors);
  return errors;
}

std::string joined(const std::vector<std::string>& errors) {
  std::string text;
  for (const auto& e : errors) text += e + "\n";
  return text;
}

/// The member `key` of `object`, for editing in the negative checks.
JsonValue& member(JsonValue& object, const std::string& key) {
  for (auto& [k, v] : object.members)
    if (k == key) return v;
  FAIL("no key '" << key << "'");
  throw std::logic_error("unreachable");
}

void erase(JsonValue& object, const std::string& key) {
  for (auto it = object.members.begin(); it != object.members.end(); ++it)
    if (it->first == key) {
      object.members.erase(it);
      return;
    }
  FAIL("no key '" << key << "' to erase");
}

/// A summary with one row in every table, without solving anything.
RunSummary full_synthetic_summary() {
  RunSummary s;
  s.title = "synthetic";
  s.cells_per_axis = {2, 3, 4};
  s.num_cells = 24;
  s.solve.converged = true;
  s.solve.linear_solver = "direct";
  s.regions.push_back({"die", 350.0, {1e-3, 2e-3, 3e-3}, 340.0, 330.0, 1e-9, 2.0, 10});
  s.probes.push_back({"centre", {1e-3, 1e-3, 1e-4}, 345.0, 3});
  s.hot_spots.push_back({"die", 0, 1, {1e-3, 2e-3, 3e-3}, 350.0, 5});
  s.coolant = CoolantReference{5, 300.0, 2.0};
  s.resistances.push_back({"die", 2.0, 350.0, 340.0, 25.0, 20.0});
  s.limits.regions.push_back({"die", "asic", "role", 378.15, 350.0, 28.15, true});
  s.limits.banks.push_back({"tx", 8, 6.0, 5.0, -1.0, false});
  PhotonicsReport p;
  p.message = "settled";
  p.iterations = 2;
  RingResult ring;
  ring.name = "tx.0";
  ring.entry = "tx";
  ring.state.T_K = 340.0;
  p.rings.push_back(ring);
  LaserResult laser;
  laser.name = "dfb";
  laser.state.T_case_K = 315.0;
  laser.state.T_junction_K = 330.0;
  laser.state.lambda_m = 1311e-9;
  laser.state.lasing = true;
  p.lasers.push_back(laser);  // no window: window_margin_nm is null
  s.photonics = p;
  LaneEngineSummary engine;
  engine.engine = "eic";
  engine.lanes = 4;
  engine.worst_margin_dB = std::numeric_limits<double>::infinity();  // no loss budget: null
  s.lane_engines.push_back(engine);
  LaneGroupSummary group;
  group.group = "g";
  group.engine = "eic";
  group.lanes = 4;
  group.worst_lane = 1;
  group.worst_margin_dB = 3.5;
  group.worst_margin_25C_dB = 4.0;
  group.reach_limit_m = std::numeric_limits<double>::infinity();  // no reach limit: null
  s.lane_groups.push_back(group);
  LinkChannelResult link;  // one optical channel (PHYSICS-SUPPLEMENT.md §L)
  link.name = "l.0";
  link.link = "l";
  link.engine = "pic";
  link.laser_T_K = 330.0;
  link.budget.margin_dB = 2.5;
  link.budget.pass = true;
  link.budget.loss_dB[cposim::postproc::link_crosstalk] =
      std::numeric_limits<double>::infinity();  // a closed eye: null
  s.links.push_back(link);
  EnvelopeReport envelope;  // two operating points, one ring
  envelope.points.push_back({"nominal", 340.0, "converged", {}, {}, {}, {}, {}});
  envelope.points.push_back({"cold", 300.0, "converged", {}, {}, {}, {}, {}});
  EnvelopeRing er;
  er.name = "tx.0";
  er.entry = "tx";
  er.binding_point = "cold";
  er.margin_m = 1e-9;
  er.covers = true;
  envelope.rings.push_back(er);
  s.envelope = envelope;
  CavityResult cavity;  // one microchannel cavity between tiers: 20 W warm the water by 5 K
  std::tie(cavity.layer, cavity.coolant) = std::tuple{"cavity", "water"};
  cavity.model = "2rm";
  std::tie(cavity.inlet_T_K, cavity.outlet_T_K, cavity.delta_T_K) = std::tuple{300.0, 305.0, 5.0};
  std::tie(cavity.heat_W, cavity.film.capacity_W_per_K) = std::tuple{20.0, 4.0};
  std::tie(cavity.lanes, cavity.steps) = std::tuple{3, 5};
  s.cavities.push_back(cavity);
  TransientSummary t;  // a transient run with a cold plate and a leaky block
  t.initial = "ambient";
  t.times_s = {0.0, 1.0};
  t.plate_names = {"cp"};
  t.plate_outlet_T_K = {{300.0, 310.0}};
  t.leaky_block_names = {"die"};
  t.leaky_block_W = {{2.0, 3.0}};
  s.transient = std::move(t);
  return s;
}

}  // namespace

TEST_CASE("summary schema: a synthetic summary with every table filled validates") {
  const JsonValue doc = parse_json(summary_json(full_synthetic_summary()));
  const auto errors = errors_of(doc);
  CHECK_MESSAGE(errors.empty(), joined(errors));
  // Every table really has a row, so their item schemas were exercised.
  for (const char* table :
       {"regions", "hot_spots", "thermal_resistance", "probes", "rings", "lasers", "lane_engines",
        "lane_groups", "links", "link_engines", "cavities"})
    CHECK_MESSAGE(doc.at(table).items.size() == 1, table);
  CHECK(doc.at("limits").at("ring_banks").items.size() == 1);
  CHECK(doc.at("lasers").items[0].at("window_margin_nm").kind == JsonValue::Kind::null);
  CHECK(doc.at("transient").at("plates").items.size() == 1);
  CHECK(doc.at("transient").at("leaky_blocks").items.size() == 1);
  // The verdict block opens the summary: every class the synthetic run has, with its binding
  // item (the bank over its spread limit fails).
  CHECK(doc.members.at(3).first == "verdict");
  CHECK(doc.members.at(4).first == "headline");
  const JsonValue& verdict = doc.at("verdict");
  CHECK_FALSE(verdict.at("pass").boolean);
  CHECK(verdict.at("failures").number == 1);
  std::vector<std::string> keys;
  for (const auto& c : verdict.at("classes").items) keys.push_back(c.at("key").text);
  CHECK(keys == std::vector<std::string>{"temperature_limits", "ring_banks", "ring_tuning",
                                         "laser_windows", "lane_margins", "link_margins",
                                         "envelope_tuning"});
  CHECK(doc.at("envelope").at("rings").items.size() == 1);
  CHECK(doc.at("links").items[0].at("loss_dB").at("crosstalk").kind == JsonValue::Kind::null);
  CHECK(verdict.at("classes").items[1].at("binding").at("name").text == "tx");
  CHECK(verdict.at("classes").items[1].at("binding").at("margin").number == -1.0);
  CHECK(doc.at("headline").at("T_max_K").number == 350.0);
  CHECK(doc.at("headline").at("worst_lane").text == "g #0");
  CHECK(doc.at("headline").at("coolant_outlet_K").kind == JsonValue::Kind::null);
  const JsonValue& cavity = doc.at("cavities").items.at(0);
  CHECK(cavity.at("model").text == "2rm");
  CHECK(cavity.at("outlet_T_K").number == 305.0);
  CHECK(cavity.at("capacity_W_per_K").number == 4.0);
  CHECK(cavity.at("lanes").number == 3);
}

TEST_CASE("summary schema: a real run with limits and probes validates, bad edits are caught") {
  const fs::path dir = fs::temp_directory_path() /
                       ("cposim_schema_" + std::to_string(static_cast<long long>(::getpid())));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path case_file = dir / "limits.toml";
  std::ofstream(case_file) << cposim::testing::minimal_case(
      "[[blocks]]\nname = \"die\"\nmaterial = \"Si\"\nrole = \"pic\"\n"
      "origin_um = [250, 100, 50]\nsize_um = [500, 300, 50]\npower_W = 0.01\n"
      "[[blocks]]\nname = \"chip\"\nmaterial = \"Si\"\nT_limit_K = 300.5\n"
      "origin_um = [0, 0, 0]\nsize_um = [200, 200, 50]\n"
      "[[output.probes]]\nname = \"centre\"\nat_um = [500, 250, 75]\n");
  RunOptions options;
  options.out_dir = (dir / "out").string();
  const RunSummary summary = run_and_report(read_case(case_file.string()), options);
  REQUIRE(summary.outcome() == RunOutcome::ok);
  JsonValue doc = parse_json(read_file(summary.summary_json_path));
  fs::remove_all(dir);

  const auto errors = errors_of(doc);
  CHECK_MESSAGE(errors.empty(), joined(errors));
  REQUIRE(doc.at("limits").at("regions").items.size() == 2);
  const JsonValue& die = doc.at("limits").at("regions").items[0];
  CHECK(die.at("region").text == "die");
  CHECK(die.at("basis").text == "role");
  CHECK(die.at("limit_K").number == doctest::Approx(358.15).epsilon(1e-12));
  CHECK(die.at("pass").boolean);
  // The chip sits beside the heat source above a 300 K coolant: warmer than 300.5 K, so it
  // fails, and the failure is counted but does not fail the run (RunOutcome::ok above).
  const JsonValue& chip = doc.at("limits").at("regions").items[1];
  CHECK(chip.at("basis").text == "T_limit_K");
  CHECK_FALSE(chip.at("pass").boolean);
  CHECK(chip.at("margin_K").number < 0.0);
  CHECK(doc.at("limits").at("failures").number == 1);
  REQUIRE(doc.at("probes").items.size() == 1);

  SUBCASE("a missing key is caught") {
    erase(member(member(doc, "limits"), "regions").items[0], "pass");
    const auto e = errors_of(doc);
    REQUIRE(e.size() == 1);
    CHECK(e[0] == "summary.limits.regions[0]: missing key 'pass'");
  }
  SUBCASE("a wrong type is caught") {
    JsonValue& T = member(member(doc, "probes").items[0], "T_K");
    T.kind = JsonValue::Kind::string;
    T.text = "345";
    const auto e = errors_of(doc);
    REQUIRE(e.size() == 1);
    CHECK(e[0] == "summary.probes[0].T_K: wrong type");
  }
  SUBCASE("a boolean written as a number is caught") {
    JsonValue& converged = member(member(doc, "solver"), "converged");
    converged.kind = JsonValue::Kind::number;
    converged.number = 1;
    CHECK(errors_of(doc).size() == 1);
  }
  SUBCASE("an undocumented key is caught") {
    JsonValue extra;
    extra.kind = JsonValue::Kind::number;
    member(doc, "grid").members.emplace_back("cells", extra);
    const auto e = errors_of(doc);
    REQUIRE(e.size() == 1);
    CHECK(e[0] == "summary.grid: undocumented key 'cells'");
  }
  SUBCASE("a value outside an enum is caught") {
    member(member(member(doc, "limits"), "regions").items[0], "role").text = "cpu";
    CHECK(errors_of(doc).size() == 1);
  }
}

TEST_CASE("summary schema: a run with a cavity lists it, all heat leaves through the coolant") {
  // 10 × 1 mm heater (0.5 W) under a 2rm cavity; every other face adiabatic, so the coolant
  // takes all 0.5 W and warms by P / (ṁ cp) (energy balance, to 1e-9 relative).
  const fs::path dir =
      fs::temp_directory_path() /
      ("cposim_schema_cavity_" + std::to_string(static_cast<long long>(::getpid())));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path case_file = dir / "cavity.toml";
  std::ofstream(case_file)
      << "[package]\nfootprint_um = [10000, 1000]\n"
         "[[layers]]\nname = \"heater\"\nmaterial = \"Si\"\nthickness_um = 200\npower_W = 0.5\n"
         "[[layers]]\nname = \"cavity\"\nmaterial = \"Si\"\nthickness_um = 100\n"
         "[grid]\nmax_cell_xy_um = 1000\nmax_cell_z_um = 200\n"
         "[solver]\npicard_tolerance_K = 1e-10\n"
         "[[cavities]]\nlayer = \"cavity\"\nmodel = \"2rm\"\ncoolant = \"water\"\n"
         "inlet_T_K = 300\nflow_L_per_min = 0.02\nflow_direction = \"+x\"\n"
         "channel_width_um = 50\nwall_width_um = 50\n"
         "h_top_W_per_m2K = 3e4\nh_bottom_W_per_m2K = 2e4\n";
  RunOptions options;
  options.out_dir = (dir / "out").string();
  const RunSummary summary = run_and_report(read_case(case_file.string()), options);
  REQUIRE(summary.outcome() == RunOutcome::ok);
  const JsonValue doc = parse_json(read_file(summary.summary_json_path));
  fs::remove_all(dir);

  const auto errors = errors_of(doc);
  CHECK_MESSAGE(errors.empty(), joined(errors));
  REQUIRE(doc.at("cavities").items.size() == 1);
  const JsonValue& c = doc.at("cavities").items[0];
  CHECK(c.at("layer").text == "cavity");
  CHECK(c.at("model").text == "2rm");
  CHECK(c.at("inlet_T_K").number == 300.0);
  CHECK(c.at("heat_W").number == doctest::Approx(0.5).epsilon(1e-9));
  const double capacity = c.at("capacity_W_per_K").number;
  CHECK(c.at("delta_T_K").number == doctest::Approx(0.5 / capacity).epsilon(1e-9));
  CHECK(c.at("outlet_T_K").number - c.at("inlet_T_K").number ==
        doctest::Approx(c.at("delta_T_K").number).epsilon(1e-12));
  CHECK(c.at("energy_mismatch").number < 1e-9);
}
