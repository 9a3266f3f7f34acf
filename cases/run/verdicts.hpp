#pragma once
/// \file
/// The design verdicts of a run in one place: every check a design can miss (temperature
/// limits, ring-bank spread, ring tuning range, laser windows, lane loss margins, lane reach)
/// is a verdict class with its items, pass/fail and the binding item (the smallest margin).
/// A verdict never changes the exit code: the run exits 0, prints `FAIL:` lines and records
/// pass/fail in stdout, summary.json, report.html and results.h5 (README.md, "Exit codes").
///
/// Adding a class is one entry in kVerdictKinds (verdicts.cpp): a key, a title, the unit of
/// its margins and a function that adds the class's items from a RunSummary.
///
/// The headline: the figures a team quotes (package power, heater power with and without
/// feedback, worst Δλ, worst lane margin, coolant outlet, T_max) beside the verdicts, at the
/// top of summary.json, report.html and the stdout summary.

#include <optional>
#include <string>
#include <vector>

#include "postproc/io/results_writer.hpp"

namespace cposim::cases {

struct RunSummary;

/// One checked item of a verdict class (a region, a bank, a ring, a laser, a lane group).
struct VerdictItem {
  std::string name;
  /// Headroom in the class's unit (VerdictClass::unit): ≥ 0 passes, negative fails by that
  /// much; NaN fails (no finite field); +∞ passes without a limit.
  double margin = 0.0;
  bool pass = false;
  std::string detail;  ///< one phrase, e.g. "T_max 107.20 °C > limit 105.00 °C"
};

/// One class of checks.
struct VerdictClass {
  std::string key;    ///< "temperature_limits", "ring_banks", … (summary.json, results.h5)
  std::string title;  ///< "temperature limits", … (stdout, report.html)
  std::string unit;   ///< unit of the margins: "K", "nm", "dB", "mm"
  int checked = 0;    ///< items checked (a lane group counts its lanes)
  int failed = 0;     ///< items failing
  /// The item with the smallest margin (a failing item before any passing one); none when
  /// nothing was checked.
  std::optional<VerdictItem> binding;
  std::vector<std::string> failures;  ///< "name (detail)" of each failing item, in order

  bool pass() const { return failed == 0; }
  /// Adds `count` checked items of which `failing` fail, represented by `item` (the worst of
  /// them): counts them, keeps the binding item and lists a failing one.
  void add(const VerdictItem& item, int count = 1, int failing = -1);
};

/// The verdict classes a run has (those with at least one checked item), in kVerdictKinds order.
struct Verdicts {
  std::vector<VerdictClass> classes;
  int failures() const;  ///< failing items over all classes
  int checked() const;
  bool pass() const { return failures() == 0; }
  /// The class with `key`, or null.
  const VerdictClass* find(const std::string& key) const;
};

/// Every verdict of `summary`.
Verdicts collect_verdicts(const RunSummary& summary);

/// Adds the table /verdicts/classes (key, title, pass, checked, failed, margin_unit,
/// binding, binding_margin, binding_detail; one row per class the run has) and the root
/// attributes verdict_pass (int 0/1) and verdict_failures (int) to `content`.
void add_verdict_results(const Verdicts& verdicts, postproc::ResultsContent& content);

/// The keys of every verdict class, in order (summary.json, sweeps, the schema test).
std::vector<std::string> verdict_class_keys();

/// The sweep metric holding a class's binding margin: "<key>_margin_<unit>", e.g.
/// "temperature_limits_margin_K", "lane_reach_margin_mm".
std::string verdict_margin_metric(const std::string& key, const std::string& unit);

/// verdict_margin_metric of every verdict class, in order.
std::vector<std::string> verdict_margin_metric_names();

/// The totals a team quotes. NaN (and empty names) where the run has no such thing.
struct Headline {
  double package_power_W = 0.0;  ///< all power into the package (blocks, heaters, lasers)
  double T_max_K = 0.0;
  std::string hottest_region;
  double heater_W = 0.0;            ///< ring heaters with feedback (the coupled answer)
  double heater_open_loop_W = 0.0;  ///< on the field without heater heat
  double worst_drift_m = 0.0;       ///< largest |Δλ| of a ring before tuning
  std::string worst_drift_ring;
  double worst_lane_margin_dB = 0.0;  ///< at the solved temperature
  std::string worst_lane;             ///< "group #lane"
  double coolant_outlet_K = 0.0;      ///< hottest cold-plate outlet
  std::string coolant_outlet_plate;
  double laser_junction_K = 0.0;  ///< hottest laser junction (active region)
  double laser_case_K = 0.0;      ///< that laser's case temperature
  std::string hottest_laser;
};

Headline make_headline(const RunSummary& summary);

/// The stdout block that opens the summary: one line per verdict class (pass/FAIL, checked,
/// binding item and margin), the headline totals and, if any class fails, one `FAIL:` line
/// per failing class naming its failing items and saying the exit code is unchanged.
std::string format_verdicts(const Verdicts& verdicts, const Headline& headline);

/// The `FAIL:` lines of format_verdicts alone ("" when everything passes).
std::string format_verdict_failures(const Verdicts& verdicts);

/// A margin in its class unit as text, e.g. "+3.25 K", "−0.41 dB", "∞" (no limit), "–" (NaN).
std::string format_margin(double margin, const std::string& unit);

}  // namespace cposim::cases
