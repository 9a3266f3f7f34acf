#pragma once
/// \file
/// The entry of a built-in table found by its `name` member (materials, fluids).

#include <string>
#include <vector>

namespace cposim::materials {

/// The first entry of `table` whose name is `name`, or nullptr.
template <class Entry>
const Entry* find_named(const std::vector<Entry>& table, const std::string& name) {
  for (const auto& entry : table)
    if (entry.name == name) return &entry;
  return nullptr;
}

}  // namespace cposim::materials
