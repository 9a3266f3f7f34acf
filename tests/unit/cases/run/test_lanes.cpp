/// \file
/// The `[electrical]` section: reading (units, defaults), the resolved echo, planning
/// (estimated and explicit routes, heights, transitions) and evaluation on a built grid.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <string>

#include "cases/report/run_and_report.hpp"
#include "cases/report/summary_text.hpp"
#include "cases/resolve/load_case.hpp"
#include "cases/run/build_problem.hpp"
#include "cases/run/lane_evaluation.hpp"
#include "cases/run/run_case.hpp"
#include "cases/run/verdicts.hpp"

using namespace cposim;
using namespace cposim::cases;
namespace fs = std::filesystem;

namespace {

/// A 10 × 10 mm package: a 4 × 4 mm ASIC block and a 2 × 3 mm EIC 1.5 mm to its left.
std::string lane_case(const std::string& electrical) {
  return "[package]\n"
         "footprint_um = [10000, 10000]\n"
         "[[layers]]\n"
         "name = \"slab\"\n"
         "material = \"Si\"\n"
         "thickness_um = 500\n"
         "[[blocks]]\n"
         "name = \"asic\"\n"
         "material = \"Si\"\n"
         "origin_um = [4000, 3000, 500]\n"
         "size_um = [4000, 4000, 200]\n"
         "[[blocks]]\n"
         "name = \"eic\"\n"
         "material = \"Si\"\n"
         "origin_um = [500, 3500, 500]\n"
         "size_um = [2000, 3000, 200]\n"
         "[grid]\n"
         "max_cell_xy_um = 500\n"
         "max_cell_z_um = 100\n"
         "[boundary.top]\n"
         "type = \"convection\"\n"
         "h_W_per_m2K = 10000\n"
         "T_ambient_K = 300\n" +
         electrical;
}

const std::string kGroups =
    "[electrical.media.thick_rdl]\n"
    "base = \"si_rdl\"\n"
    "thickness_um = 2\n"
    "[electrical.media.glass_com]\n"
    "model = \"com\"\n"
    "a1_Np_per_mm_sqrtGHz = 1e-3\n"
    "a2_Np_per_mm_GHz = 1e-4\n"
    "Df_T_coefficient_per_K = 0.003\n"
    "[electrical.transitions.pad]\n"
    "IL_28GHz_dB = 0.05\n"
    "IL_53GHz_dB = 0.08\n"
    "[[electrical.lanes]]\n"
    "name = \"est\"\n"
    "count = 8\n"
    "from = { block = \"asic\", edge = \"x_min\" }\n"
    "to = \"eic\"\n"
    "data_rate_Gbps = 212.5\n"
    "budget = \"CEI-224G-XSR\"\n"
    "z_um = 450\n"
    "bump_pitch_um = 50\n"
    "bumps_per_lane = 4\n"
    "path = [{ transition = \"ubump\" }, { medium = \"thick_rdl\", length_um = 300 },\n"
    "        { transition = \"tsv\", count = 2 }, { medium = \"abf_stripline\", z_um = 250 },\n"
    "        { transition = \"pad\" }]\n"
    "[[electrical.lanes]]\n"
    "name = \"explicit\"\n"
    "count = 2\n"
    "route_um = [[4000, 5000, 450], [2500, 5000, 450], [2500, 5000, 600]]\n"
    "to = \"eic\"\n"
    "data_rate_Gbps = 106.25\n"
    "budget_dB = 9\n"
    "extra_loss_dB = 0.5\n"
    "path = [{ medium = \"glass_com\" }]\n";

}  // namespace

TEST_CASE("[electrical]: keys are read in SI units, with defaults") {
  const CaseSpec spec = read_case_text(lane_case(kGroups), "lanes.toml", "");
  const ElectricalSpec& e = spec.electrical;
  REQUIRE(e.media.size() == 2);
  REQUIRE(e.transitions.size() == 1);
  REQUIRE(e.lane_groups.size() == 2);
  const LaneGroupSpec& g = e.lane_groups[0];
  CHECK(g.count == 8);
  CHECK(g.data_rate_bps == 212.5e9);
  CHECK(g.modulation == postproc::Modulation::pam4);  // default
  CHECK(g.bump_pitch_m == 50e-6);
  CHECK(g.bumps_per_lane == 4);
  CHECK(g.detour_factor == 1.1);           // default
  CHECK(g.lanes_per_m_per_layer == 10e3);  // default 10 lanes/mm/layer
  CHECK(*g.z_m == 450e-6);
  REQUIRE(g.path.size() == 5);
  CHECK(*g.path[1].length_m == 300e-6);
  CHECK(g.path[2].count == 2);
  CHECK(*g.path[3].z_m == 250e-6);
  const auto media = resolve_media(e);
  CHECK(media.at("thick_rdl").thickness_m == 2e-6);
  CHECK(media.at("thick_rdl").width_m == 2e-6);  // from its base
  CHECK(media.at("glass_com").a1_Np_per_m_sqrtHz ==
        doctest::Approx(postproc::com_a1_from_Np_per_mm_sqrtGHz(1e-3)).epsilon(1e-15));
  CHECK(e.lane_groups[1].route_m.size() == 3);
  CHECK(*e.lane_groups[1].budget_dB == 9.0);
}

TEST_CASE("[electrical]: the resolved echo fills defaults and reads back the same") {
  const CaseSpec spec = read_case_text(lane_case(kGroups), "lanes.toml", "");
  const std::string& echo = spec.resolved_text;
  CHECK(echo.find("[electrical.media.thick_rdl]\nmodel = \"physical\"\n") != std::string::npos);
  CHECK(echo.find("return_plane_factor = 0\n") != std::string::npos);
  CHECK(echo.find("from = { block = \"asic\", edge = \"x_min\", span_um = [3000, 7000] }") !=
        std::string::npos);
  CHECK(echo.find("detour_factor = 1.1\n") != std::string::npos);
  const CaseSpec again = read_case_text(echo, "lanes.toml", "");
  CHECK(again.resolved_text.substr(again.resolved_text.find('\n')) == echo.substr(echo.find('\n')));
}

TEST_CASE(
    "plan_lane_groups: estimated routes lie at each medium's height, explicit ones as given") {
  const CaseSpec spec = read_case_text(lane_case(kGroups), "lanes.toml", "");
  const auto plans = plan_lane_groups(spec);
  REQUIRE(plans.size() == 2);
  const LaneGroupPlan& est = plans[0];
  CHECK(est.estimated);
  CHECK(est.nyquist_Hz == doctest::Approx(53.125e9).epsilon(1e-15));
  CHECK(est.shoreline_m == doctest::Approx(4e-3).epsilon(1e-15));
  CHECK(est.routing_layers_needed == 1);  // 8 lanes over 4 mm at 10 per mm
  REQUIRE(est.routes.size() == 8);
  // 4 mm / (4 × 50 µm) = 20 columns ≥ 8 lanes: 8 columns of 0.5 mm; EIC 3 mm: 8 of 0.375 mm.
  // Lane 0: ASIC y = 3.25 mm, EIC y = 3.6875 mm; Manhattan 1.5 + 0.4375 mm; escapes 25 µm each.
  const auto& e0 = est.estimates[0];
  CHECK(e0.manhattan_m == doctest::Approx(1.9375e-3).epsilon(1e-12));
  CHECK(e0.routed_length_m == doctest::Approx(1.1 * 1.9875e-3).epsilon(1e-12));
  const auto& steps = est.routes[0].steps;
  REQUIRE(steps.size() == 5);
  CHECK(steps[0].points_m[0][2] == 450e-6);  // leading transition: height of the next medium
  CHECK(steps[1].points_m.front()[2] == 450e-6);
  CHECK(steps[2].count == 2);
  CHECK(steps[2].points_m[0][2] == 450e-6);  // after a medium: that medium's height
  CHECK(steps[3].points_m.front()[2] == 250e-6);
  CHECK(steps[3].variable);
  CHECK(steps[4].transition.name == "pad");
  const LaneGroupPlan& ex = plans[1];
  CHECK_FALSE(ex.estimated);
  CHECK(ex.routes.size() == 2);
  CHECK(ex.routes[0].extra_loss_dB == 0.5);
  CHECK(ex.routes[0].steps[0].points_m.size() == 3);
  CHECK(ex.routes[0].steps[0].points_m.back()[2] == 600e-6);
}

TEST_CASE("evaluate_lanes on a uniform field: lengths, losses, tables, polylines, summary") {
  const CaseSpec spec = read_case_text(lane_case(kGroups), "lanes.toml", "");
  const BuiltProblem built = build_problem(spec);
  const double T = 340.0;
  const mesh::CellField field{built.grid.get(), "temperature_K",
                              std::vector<double>(built.grid->num_cells(), T)};
  const LaneEvaluation ev = evaluate_lanes(spec, field);
  REQUIRE(ev.lanes.size() == 10);
  const LaneResult& l0 = ev.lanes[0];
  CHECK(l0.length_m == doctest::Approx(ev.plans[0].estimates[0].routed_length_m).epsilon(1e-12));
  CHECK(l0.loss.T_mean_K == doctest::Approx(T).epsilon(1e-14));
  CHECK(l0.loss.loss_dB > l0.loss.loss_25C_dB);  // hotter than 25 °C
  CHECK(l0.margin.margin_dB == doctest::Approx(11.5 - l0.loss.loss_dB).epsilon(1e-14));
  // Explicit route: 1.5 mm of glass_com (the vertical 150 µm counts too): 1.65 mm.
  const LaneResult& x0 = ev.lanes[8];
  CHECK(x0.length_m == doctest::Approx(1.65e-3).epsilon(1e-12));
  CHECK(std::isnan(x0.manhattan_m));
  CHECK(x0.margin.margin_dB == doctest::Approx(9.0 - x0.loss.loss_dB).epsilon(1e-14));
  REQUIRE(ev.engines.size() == 1);
  CHECK(ev.engines[0].engine == "eic");
  CHECK(ev.engines[0].lanes == 10);

  postproc::ResultsContent content;
  add_lane_results(ev, spec, content);
  REQUIRE(content.tables.size() == 2);
  CHECK(content.tables[0].name == "lanes");
  CHECK(content.tables[1].name == "lane_groups");
  REQUIRE(content.polylines.size() == 1);
  const auto& lines = content.polylines[0];
  CHECK(lines.name == "lanes");
  for (const auto& [name, values] : lines.segment_values) {
    CAPTURE(name);
    CHECK(values.size() == lines.segments.size());
  }
  CHECK(format_lane_summary(ev.engines).find("eic") != std::string::npos);
  CHECK(format_lane_summary({}).empty());
}

TEST_CASE("the flagship example's lanes echo back and read back the same") {
  const std::string path = std::string(CPOSIM_SOURCE_DIR) + "/cases/examples/cpo_102t_2p5d.toml";
  const CaseSpec spec = read_case(path);
  REQUIRE(spec.electrical.lane_groups.size() == 16);
  const CaseSpec again = read_case_text(spec.resolved_text, "echo.toml", spec.base_dir);
  REQUIRE(again.electrical.lane_groups.size() == 16);
  auto electrical_part = [](const std::string& text) {
    const auto at = text.find("\n[[electrical.lanes]]");
    return at == std::string::npos ? std::string() : text.substr(at);
  };
  CHECK_FALSE(electrical_part(spec.resolved_text).empty());
  CHECK(electrical_part(again.resolved_text) == electrical_part(spec.resolved_text));
}

TEST_CASE("the worst lane counts reach failures, lane margins and reach are verdict classes") {
  // Issue 23 item 4. "short": 1.65 mm under a 9 dB budget (margin ~8.9 dB, passes). "long":
  // 3.15 mm under UCIe-2.5D (no loss limit, 2 mm reach): fails by reach only. The worst lane
  // of the engine used to be the smallest loss margin, i.e. a passing "short" lane.
  const std::string groups =
      "[[electrical.lanes]]\nname = \"short\"\ncount = 2\n"
      "route_um = [[4000, 5000, 450], [2500, 5000, 450], [2500, 5000, 600]]\n"
      "to = \"eic\"\ndata_rate_Gbps = 106.25\nbudget_dB = 9\npath = [{ medium = \"si_rdl\" }]\n"
      "[[electrical.lanes]]\nname = \"long\"\ncount = 3\n"
      "route_um = [[4000, 6500, 450], [2500, 6500, 450], [2500, 5000, 450]]\n"
      "to = \"eic\"\ndata_rate_Gbps = 32\nbudget = \"UCIe-2.5D\"\npath = [{ medium = \"si_rdl\" "
      "}]\n";
  const CaseSpec spec = read_case_text(lane_case("[electrical]\n" + groups), "reach.toml", "");
  const fs::path out = fs::temp_directory_path() / "cposim_test_lane_reach";
  fs::remove_all(out);
  RunOptions options;
  options.out_dir = out.string();
  const RunSummary s = run_and_report(spec, options);
  fs::remove_all(out);
  CHECK(s.outcome() == RunOutcome::ok);
  REQUIRE(s.lane_engines.size() == 1);
  const LaneEngineSummary& e = s.lane_engines[0];
  CHECK(e.failing == 3);
  CHECK(e.failing_reach == 3);
  CHECK(e.worst_group == "long");
  CHECK_FALSE(e.worst_pass);
  REQUIRE(s.lane_groups.size() == 2);
  const LaneGroupSummary& g = s.lane_groups[1];
  CHECK(g.failing_reach == 3);
  CHECK(g.failing_loss == 0);
  CHECK(g.reach_limit_m == 2e-3);
  CHECK(g.reach_margin_m == doctest::Approx(2e-3 - g.worst_reach_length_m).epsilon(1e-12));
  CHECK(g.worst_reach_length_m == doctest::Approx(1.5e-3 + 1.5e-3).epsilon(1e-9));
  const Verdicts v = collect_verdicts(s);
  const VerdictClass* reach = v.find("lane_reach");
  REQUIRE(reach != nullptr);
  CHECK(reach->checked == 3);  // only the group with a reach limit
  CHECK(reach->failed == 3);
  CHECK(reach->binding->name == "long #0");
  CHECK(reach->binding->margin == doctest::Approx(-1.0).epsilon(1e-6));  // mm
  const VerdictClass* loss = v.find("lane_margins");
  REQUIRE(loss != nullptr);
  CHECK(loss->checked == 5);
  CHECK(loss->failed == 0);
  CHECK(format_summary(s).find("FAIL: lane reach: 3 of 3 fail: long #0 (routed 3.00 mm, reach "
                               "limit 2.00 mm, margin -1 mm, 3 of 3 failing)") !=
        std::string::npos);
}
