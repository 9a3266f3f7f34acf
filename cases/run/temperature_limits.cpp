/// \file
/// Temperature limits: defaults by role (physics.md §4.4), the checks, their table and text.
#include "cases/run/temperature_limits.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <sstream>

#include "mesh/units.hpp"
#include "postproc/io/tabulate.hpp"

namespace cposim::cases {
namespace {

using mesh::kKelvinAtZeroCelsius;

/// The statistics of the region called `name`, or null.
const postproc::RegionStatistics* find_region(
    const std::vector<postproc::RegionStatistics>& regions, const std::string& name) {
  for (const auto& r : regions)
    if (r.name == name) return &r;
  return nullptr;
}

RegionLimit check_region(const std::string& name, ComponentRole role, double limit_K,
                         bool explicit_limit,
                         const std::vector<postproc::RegionStatistics>& regions) {
  RegionLimit out;
  out.region = name;
  out.role = to_string(role);
  out.basis = explicit_limit ? "T_limit_K" : "role";
  out.limit_K = limit_K;
  const auto* stats = find_region(regions, name);
  out.T_max_K = stats != nullptr && stats->num_cells > 0 ? stats->T_max_K : std::nan("");
  out.margin_K = limit_K - out.T_max_K;
  out.pass = out.margin_K >= 0.0;  // false for NaN
  return out;
}

}  // namespace

int LimitReport::failures() const {
  int n = 0;
  for (const auto& r : regions) n += r.pass ? 0 : 1;
  for (const auto& b : banks) n += b.pass ? 0 : 1;
  return n;
}

LimitReport evaluate_limits(const CaseSpec& spec,
                            const std::vector<postproc::RegionStatistics>& regions,
                            const PhotonicsReport* photonics) {
  LimitReport out;
  for (const auto& l : spec.layers)
    if (l.T_limit_K)
      out.regions.push_back(check_region(l.name, ComponentRole::none, *l.T_limit_K, true, regions));
  for (const auto& b : spec.blocks) {
    const std::optional<double> limit = b.T_limit_K ? b.T_limit_K : default_limit_K(b.role);
    if (limit)
      out.regions.push_back(check_region(b.name, b.role, *limit, b.T_limit_K.has_value(), regions));
  }
  if (photonics != nullptr)
    for (const auto& bank : photonics->banks) {
      if (bank.count < 2) continue;  // one ring has no spread
      BankGradientLimit g;
      g.bank = bank.name;
      g.count = bank.count;
      g.gradient_K = bank.gradient_K;
      g.margin_K = g.limit_K - g.gradient_K;
      g.pass = g.margin_K >= 0.0;
      out.banks.push_back(g);
    }
  return out;
}

void add_limit_results(const LimitReport& limits, postproc::ResultsContent& content) {
  content.tables.push_back(postproc::tabulate(
      "limits", "regions", {"region", "role", "basis", "limit_K", "T_max_K", "margin_K", "pass"},
      limits.regions, [](const RegionLimit& r) {
        return std::tuple{r.region, r.role, r.basis, r.limit_K, r.T_max_K, r.margin_K, r.pass};
      }));
  content.tables.push_back(postproc::tabulate(
      "limits", "ring_banks", {"bank", "count", "gradient_K", "limit_K", "margin_K", "pass"},
      limits.banks, [](const BankGradientLimit& b) {
        return std::tuple{b.bank, b.count, b.gradient_K, b.limit_K, b.margin_K, b.pass};
      }));
  content.integer_attributes.push_back({"limit_failures", limits.failures()});
}

std::string format_limits(const LimitReport& limits) {
  if (limits.regions.empty() && limits.banks.empty()) return "";
  std::ostringstream out;
  std::string line;
  out << "\ntemperature limits (T_limit_K, or the role's default: physics.md §4.4)\n"
         "region                     role    limit °C   T_max °C   margin K  verdict\n";
  std::string failed;
  for (const auto& r : limits.regions) {
    line = fmt::format("{:<26.26} {:<6} {:9.2f} {:10.2f} {:10.2f}  {}\n", r.region,
                       r.role.empty() ? "-" : r.role, r.limit_K - kKelvinAtZeroCelsius,
                       r.T_max_K - kKelvinAtZeroCelsius, r.margin_K, r.pass ? "pass" : "FAIL");
    out << line;
    if (!r.pass) {
      line = fmt::format("{}{} (T_max {:.2f} °C > {:.2f} °C)", failed.empty() ? "" : ", ", r.region,
                         r.T_max_K - kKelvinAtZeroCelsius, r.limit_K - kKelvinAtZeroCelsius);
      failed += line;
    }
  }
  if (!limits.banks.empty())
    out << "ring bank                  rings    limit K  spread K   margin K  verdict\n";
  for (const auto& b : limits.banks) {
    line = fmt::format("{:<26.26} {:6} {:9.2f} {:10.3f} {:10.3f}  {}\n", b.bank, b.count, b.limit_K,
                       b.gradient_K, b.margin_K, b.pass ? "pass" : "FAIL");
    out << line;
    if (!b.pass) {
      line = fmt::format("{}ring bank {} (spread {:.2f} K > {:.2f} K)", failed.empty() ? "" : ", ",
                         b.bank, b.gradient_K, b.limit_K);
      failed += line;
    }
  }
  if (!failed.empty())
    out << "FAIL: " << limits.failures() << " temperature limit(s) exceeded: " << failed
        << " (a design verdict: the exit code is unchanged)\n";
  return out.str();
}

}  // namespace cposim::cases
