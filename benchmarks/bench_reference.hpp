#pragma once
/// \file
/// Reference files of the regression suite (benchmarks/regression/references/NAME.toml): which
/// case to run, the metrics to compare with their tolerances, and where the values came from.
/// Format and rules: benchmarks/README.md.

#include <map>
#include <string>
#include <vector>

namespace cposim::bench {

/// Where the reference values came from; rewritten by `cposim_bench --update NAME`.
struct Provenance {
  std::string date;     ///< UTC, YYYY-MM-DD
  std::string commit;   ///< `git rev-parse --short HEAD` (+ "-dirty" if the tree had changes)
  std::string machine;  ///< CPU model and core count
  std::string cposim;   ///< `cposim --version` of the executable that produced the values
};

/// One compared number.
struct MetricReference {
  /// "regions.si.T_max_K" (a path into summary.json) or "h5:/photonics/rings/heater_W:sum"
  /// (read from results.h5; syntax in bench_results_h5.hpp).
  std::string path;
  double value = 0.0;
  double abs_tol = 0.0;  ///< pass if |x − value| ≤ abs_tol + rel_tol·|value|
  double rel_tol = 0.0;
  std::string source;  ///< free text, e.g. "analytic §5.1" or "run"
  bool fixed = false;  ///< a theory value: --update leaves it alone
  int line = 0;        ///< in the reference file, 1-based

  /// The allowed |x − value|.
  double tolerance() const;
  /// True if `x` is within tolerance() of value (false for NaN).
  bool accepts(double x) const;
};

/// One reference file.
struct CaseReference {
  std::string name;       ///< the file's stem: what --only and --update take
  std::string file;       ///< path of the reference file
  std::string case_path;  ///< the cposim case file, resolved against the reference's folder
  std::string description;
  bool quick = false;             ///< in the --quick subset (seconds, for CI)
  std::vector<std::string> args;  ///< extra `cposim run` arguments, e.g. ["--solver", "direct"]
  int expect_exit = 0;            ///< exit code `cposim run` must return
  double timeout_s = 1800.0;      ///< the run is killed and fails after this
  std::string todo;               ///< non-empty: a placeholder, listed but not run
  Provenance provenance;
  std::vector<MetricReference> metrics;  ///< in file order
};

/// Reads and checks one reference file. Throws std::runtime_error "FILE:LINE:COL: error: ..."
/// for a TOML error, an unknown key, a wrong type, a metric without a tolerance or a negative
/// tolerance, or (unless it is a todo entry) no `case` or no metrics.
CaseReference read_reference(const std::string& path);

/// The reference files (*.toml) in `dir`, sorted by name. Throws std::runtime_error if `dir`
/// cannot be listed.
std::vector<std::string> list_references(const std::string& dir);

/// `text` (a reference file) with the `value` of every metric named in `values` replaced, and
/// its [provenance] table replaced by `provenance` (placed just before [metrics]). Comments,
/// tolerances, sources and the order of lines are kept. Throws std::runtime_error if a metric
/// in `values` has no single-line `"PATH" = { value = ... }` entry under [metrics].
std::string updated_reference_text(const std::string& text, const Provenance& provenance,
                                   const std::map<std::string, double>& values);

/// Shortest decimal text that reads back as exactly `x` (at most 17 significant digits).
std::string round_trip_number(double x);

}  // namespace cposim::bench
