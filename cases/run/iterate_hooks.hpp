#pragma once
/// \file
/// Several solver::IterateHook updates (leakage P(T), a cold plate's coolant march, ...) as the
/// one hook SteadySolver::solve takes. Each hook changes its own share of the data lent to the
/// problem (by difference, not by rewriting it), so their order does not matter.

#include <string>
#include <utility>
#include <vector>

#include "solver/steady.hpp"

namespace cposim::cases {

/// A hook that calls each non-empty hook of `hooks` in order and joins their notes with "; ".
/// Empty if none is set, so a case without updates stays a single linear solve.
inline solver::IterateHook combine_hooks(std::vector<solver::IterateHook> hooks) {
  std::vector<solver::IterateHook> set;
  for (auto& h : hooks)
    if (h) set.push_back(std::move(h));
  if (set.empty()) return {};
  if (set.size() == 1) return set.front();
  return [set = std::move(set)](const std::vector<double>& T_K) {
    std::string notes;
    for (const auto& h : set) {
      const std::string note = h(T_K);
      if (!note.empty()) notes += (notes.empty() ? "" : "; ") + note;
    }
    return notes;
  };
}

}  // namespace cposim::cases
