#pragma once
/// \file
/// Component roles (`role = "asic"`, … on a layer or block) and the default temperature limit
/// of each (physics.md §4.4).

#include <array>
#include <optional>
#include <string>

#include "cases/spec/case_spec.hpp"

namespace cposim::cases {

/// Role names as written in case files, in ComponentRole order after `none`.
inline constexpr std::array<const char*, 6> kComponentRoleNames = {"asic", "hbm",   "pic",
                                                                   "eic",  "laser", "other"};

/// "asic", "hbm", … ("" for ComponentRole::none).
std::string to_string(ComponentRole role);

/// The role named `name` (one of kComponentRoleNames); nothing if unknown.
std::optional<ComponentRole> component_role(const std::string& name);

/// The default T_max limit of a role in kelvin, physics.md §4.4 (E): ASIC junction 105 °C,
/// HBM 95 °C (upper end of 85–95), PIC 85 °C, EIC 105 °C (lower end of 105–125), laser case
/// 70 °C (commercial grade). Nothing for `none` and `other`.
std::optional<double> default_limit_K(ComponentRole role);

/// Accepted range of T_limit_K, K: wide enough for any package, narrow enough to catch a limit
/// written in °C (105 instead of 378.15).
inline constexpr double kMinLimit_K = 200.0;
inline constexpr double kMaxLimit_K = 1000.0;

}  // namespace cposim::cases
