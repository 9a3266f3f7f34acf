#pragma once
/// \file
/// Temperature limits as a design verdict: each layer or block with a limit (its own
/// T_limit_K, or the default of its role, physics.md §4.4) passes when its hottest cell stays
/// at or below it; each ring bank passes when its temperature spread stays within
/// kRingBankGradientLimit_K. A failing limit does not fail the run (the exit code is about
/// the solve, not the design).

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "cases/run/photonics_coupling.hpp"
#include "cases/spec/case_spec.hpp"
#include "cases/spec/component_roles.hpp"
#include "postproc/fields/region_statistics.hpp"
#include "postproc/io/results_writer.hpp"

namespace cposim::cases {

/// Largest temperature spread across a ring bank, K (physics.md §4.4, E: "< 2–5 K" so one
/// tuning offset works for the bank; the lenient end, so a fail is a clear one).
inline constexpr double kRingBankGradientLimit_K = 5.0;

/// One region checked against its limit (a row of /limits/regions).
struct RegionLimit {
  std::string region;  ///< layer or block name
  std::string role;    ///< "asic", … or "" (layers, blocks without a role)
  std::string basis;   ///< "T_limit_K" (written in the case) or "role" (physics.md §4.4)
  double limit_K = 0.0;
  double T_max_K = 0.0;   ///< NaN for a region without cells or a non-finite field
  double margin_K = 0.0;  ///< limit − T_max: negative = over the limit (NaN with T_max)
  bool pass = false;      ///< margin ≥ 0 (a NaN margin fails)
};

/// One ring bank (a [[rings]] entry with count > 1) checked against the gradient limit (a row
/// of /limits/ring_banks).
struct BankGradientLimit {
  std::string bank;
  int count = 0;
  double gradient_K = 0.0;  ///< T_max − T_min across the bank's rings
  double limit_K = kRingBankGradientLimit_K;
  double margin_K = 0.0;  ///< limit − gradient
  bool pass = false;
};

/// All limit checks of a run.
struct LimitReport {
  std::vector<RegionLimit> regions;      ///< in region-id order (layers, then blocks)
  std::vector<BankGradientLimit> banks;  ///< in file order; empty without ring banks
  /// Number of failed checks (regions and banks).
  int failures() const;
};

/// Checks every layer and block of `spec` that has a limit against the statistics of the
/// region of the same name (`regions` from postproc::region_statistics), and every ring bank
/// of `photonics` (may be null) against kRingBankGradientLimit_K. Regions without a limit are
/// left out.
LimitReport evaluate_limits(const CaseSpec& spec,
                            const std::vector<postproc::RegionStatistics>& regions,
                            const PhotonicsReport* photonics);

/// Adds the tables /limits/regions and /limits/ring_banks (always, possibly with zero rows)
/// and the root attribute limit_failures (int) to `content` (postproc/LAYOUT.md).
void add_limit_results(const LimitReport& limits, postproc::ResultsContent& content);

/// The stdout section: one row per check (°C, margin in K, pass/FAIL) and, if any fail, a
/// line starting "FAIL:" naming them and saying the exit code is unchanged; "" if there is
/// nothing to check.
std::string format_limits(const LimitReport& limits);

}  // namespace cposim::cases
