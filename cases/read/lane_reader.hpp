#pragma once
/// \file
/// Internal to cases/: reads the `[electrical]` section of a case file (user media, user
/// transitions and `[[electrical.lanes]]` groups; cases/README.md, "Electrical lanes", is the
/// reference); cross-checked and echoed by cases/resolve/lane_plan.hpp. Called by
/// case_reader.cpp; every user error is a CaseError at the offending node.

#include <toml++/toml.h>

#include <ostream>
#include <string>

#include "cases/spec/case_spec.hpp"
#include "cases/spec/lane_spec.hpp"

namespace cposim::cases {

/// The top-level key read_electrical owns.
inline constexpr const char* kElectricalTopLevelKey = "electrical";

/// Reads `[electrical]` from `root` (types, units, ranges, unknown keys, combinations of keys)
/// into an ElectricalSpec; empty if the key is absent. µm, Gb/s and the COM units become SI
/// here, once. `file` names the case file in messages. Throws CaseError.
ElectricalSpec read_electrical(const toml::table& root, const std::string& file,
                               const std::string& base_dir);

}  // namespace cposim::cases
