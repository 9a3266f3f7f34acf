#pragma once
/// \file
/// The built-in material library (physics.md §1), each entry with its source tag.

#include <string>
#include <vector>

#include "materials/material.hpp"

namespace cposim::materials {

/// All built-in materials, sorted by name. Values at about 300 K.
const std::vector<Material>& builtin_materials();

/// The built-in material called `name`, or nullptr.
const Material* find_builtin(const std::string& name);

}  // namespace cposim::materials
