#pragma once
/// \file
/// The sweep's aggregate table, rebuilt from the point folders every time (so it is complete
/// after a resume): one row per point with its parameter values, hash, status and metrics read
/// from the point's summary.json and point.json; the Pareto set; the `[sweep.best]` answer; and
/// the table written as CSV and HDF5 (each to a temporary, then renamed).

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cases/sweep/sweep_spec.hpp"

namespace cposim::cases {

/// One point's row.
struct SweepRow {
  std::size_t index = 0;
  std::vector<SweepValue> values;  ///< one per parameter
  std::string hash;
  /// "ok" (ran, every design verdict passes), "infeasible" (ran, exit code 0, but some design
  /// verdict fails: kept in the table, never in the Pareto set or the best answer), "failed"
  /// (non-zero exit, see exit_code), "pending" (not run).
  std::string status;
  int exit_code = -1;  ///< −1 while pending
  std::string error;   ///< the child's error line for a failed point
  /// Every metric by name (kSweepMetricNames and T_max_K.<region>); NaN when the point's files
  /// do not give it (pending, or a case without rings or lanes).
  std::map<std::string, double> metrics;
  bool pareto = false;
};

/// The whole table.
struct SweepTable {
  std::vector<std::string> parameters;  ///< parameter names, in order
  /// Metric columns, in order: kSweepMetricNames, the verdict margins
  /// (verdict_margin_metric_names), then T_max_K.<region> for each region with power (as found
  /// in the first summary.json read).
  std::vector<std::string> columns;
  std::vector<SweepRow> rows;

  /// A parameter's number, or a metric, of row `r`; NaN if unknown or not a number.
  double value(const SweepRow& r, const std::string& name) const;
};

/// Reads every point's folder under `out_dir` (sweep_runner.hpp gives the layout) and marks
/// the Pareto set. Points without a finished folder are "pending". Never throws for a missing
/// or damaged point file: its metrics are NaN (a damaged summary.json leaves the status).
SweepTable collect_sweep_table(const SweepSpec& spec, const std::vector<SweepPoint>& points,
                               const std::string& out_dir);

/// The non-dominated rows of `objectives` (one row of values to minimise per candidate): row i
/// is kept unless some row j is ≤ in every objective and < in one. Rows holding a NaN are never
/// kept and never dominate. Equal rows are all kept.
std::vector<bool> pareto_front(const std::vector<std::vector<double>>& objectives);

/// Marks SweepRow::pareto: the "ok" (feasible) rows not dominated in (worst lane margin ↑, total
/// heater power ↓, T_max ↓). An objective that no ok row has (no lanes, no rings) is left out.
void mark_pareto(SweepTable& table);

/// The Pareto objectives mark_pareto uses, as "name ↑" or "name ↓" text, for reports.
std::vector<std::string> pareto_objectives_text();

/// True if `value op threshold` holds (false for NaN).
bool requirement_holds(const SweepRequirement& requirement, double value);

/// The answer to `[sweep.best]`.
struct SweepBestAnswer {
  std::optional<std::size_t> row;  ///< index into SweepTable::rows; none if no point qualifies
  std::size_t candidates = 0;      ///< "ok" rows meeting every requirement
  std::string text;                ///< one line, e.g. "best: point 3 (gap_um = 2000): ..."
};

/// The "ok" (feasible) row that minimises (maximises) the objective among those meeting every
/// requirement; ties go to the earlier row.
SweepBestAnswer answer_best(const SweepTable& table, const SweepBest& best, const SweepSpec& spec);

/// Writes the table as CSV: index, parameters, hash, status, exit_code, metric columns, pareto,
/// error. NaN is an empty field; text fields are quoted when needed (RFC 4180). Written to a
/// temporary and renamed; throws std::runtime_error naming the file on failure.
void write_sweep_csv(const SweepTable& table, const std::string& path);

/// Writes the table as HDF5: the table /points (postproc/LAYOUT.md's parallel-column form) and
/// root attributes sweep_file, base_case, parameters and best. Written to a temporary and
/// renamed; throws std::runtime_error on failure.
void write_sweep_h5(const SweepTable& table, const SweepSpec& spec, const std::string& best_text,
                    const std::string& path);

}  // namespace cposim::cases
