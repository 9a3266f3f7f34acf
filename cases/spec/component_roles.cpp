/// \file
/// Role names and default limits by role (physics.md §4.4).
#include "cases/spec/component_roles.hpp"

#include <cstddef>

#include "mesh/units.hpp"

namespace cposim::cases {
namespace {

using mesh::kKelvinAtZeroCelsius;

}  // namespace

std::string to_string(ComponentRole role) {
  if (role == ComponentRole::none) return "";
  return kComponentRoleNames[static_cast<std::size_t>(role) - 1];
}

std::optional<ComponentRole> component_role(const std::string& name) {
  for (std::size_t i = 0; i < kComponentRoleNames.size(); ++i)
    if (name == kComponentRoleNames[i]) return static_cast<ComponentRole>(i + 1);
  return std::nullopt;
}

std::optional<double> default_limit_K(ComponentRole role) {
  switch (role) {
    case ComponentRole::asic:  // physics.md §4.4: switch/GPU junction T_j,max ≈ 105 °C
      return kKelvinAtZeroCelsius + 105.0;
    case ComponentRole::hbm:  // physics.md §4.4: 85–95 °C
      return kKelvinAtZeroCelsius + 95.0;
    case ComponentRole::pic:  // physics.md §4.4: keep ≤ 85 °C
      return kKelvinAtZeroCelsius + 85.0;
    case ComponentRole::eic:  // physics.md §4.4: 105–125 °C, the lower end
      return kKelvinAtZeroCelsius + 105.0;
    case ComponentRole::laser:  // physics.md §4.4: case 70 °C (commercial 0–70 °C)
      return kKelvinAtZeroCelsius + 70.0;
    case ComponentRole::none:
    case ComponentRole::other:
      break;
  }
  return std::nullopt;
}

}  // namespace cposim::cases
