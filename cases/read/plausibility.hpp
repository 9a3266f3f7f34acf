#pragma once
/// \file
/// Plausibility of a case file's values: legal but physically implausible values get a
/// located warning (`file:line:col: warning: …`). The bound on the steady state that stops a
/// case before the solve is in cases/run/steady_bound.hpp. The ranges are in cases/README.md
/// ("Plausibility").

#include <toml++/toml.h>

#include <string>
#include <vector>

#include "cases/spec/case_error.hpp"

namespace cposim::cases {

/// Plausible ranges (SI units of the keys, inclusive).
inline constexpr double kPlausibleMinT_K = 200.0;  ///< absolute temperatures
inline constexpr double kPlausibleMaxT_K = 1000.0;
inline constexpr double kPlausibleMinThickness_um = 0.01;  ///< 10 nm
inline constexpr double kPlausibleMaxLength_um = 1e6;      ///< 1 m
inline constexpr double kPlausibleMaxPower_W = 1e4;        ///< per block or layer
inline constexpr double kPlausibleMaxH_W_per_m2K = 1e6;
inline constexpr double kPlausibleMinK_W_per_mK = 1e-3;    ///< below aerogels and vacuum gaps
inline constexpr double kPlausibleMaxK_W_per_mK = 5000.0;  ///< above diamond (≈ 2200)

/// The warnings for every value of the case tree `root` (file `file`) outside its plausible
/// range, in file order: absolute temperatures (T_ambient_K, T_limit_K, T_ref_K, T_K,
/// inlet_T_K, initial_T_K, runaway_T_K, T_range_K) outside [200, 1000] K; thickness_um below
/// 10 nm; any length in µm above 1 m; power_W above 10 kW; h_W_per_m2K above 1e6 W/(m² K);
/// k_W_per_mK outside [1e-3, 5000] W/(m K).
std::vector<CaseWarning> plausibility_warnings(const toml::table& root, const std::string& file);

}  // namespace cposim::cases
