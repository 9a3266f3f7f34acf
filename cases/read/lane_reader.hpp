#pragma once
/// \file
/// Internal to cases/: reads, cross-checks and echoes the `[electrical]` section of a case file
/// (user media, user transitions and `[[electrical.lanes]]` groups; cases/README.md,
/// "Electrical lanes", is the reference). Called by case_reader.cpp and case_check.cpp; every
/// user error is a CaseError at the offending node.

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

/// Cross-checks the lane groups against each other and the package: unique group names, known
/// media, transitions and blocks, the SerDes region on its block's edge, the engine beyond
/// that edge, the data rate inside the budget's symbol-rate range, trace heights and explicit
/// routes inside the package, and fixed path lengths shorter than every lane. Throws CaseError
/// at the referencing node. `spec` must have passed the thermal checks.
void check_electrical(const CaseSpec& spec);

/// Writes `[electrical]` back as TOML with every default filled in (part of
/// CaseSpec::resolved_text): user media as full definitions, each group's SerDes edge and span
/// resolved. Nothing for a case without an `[electrical]` section. `spec` must have passed
/// check_electrical.
void echo_electrical(std::ostream& os, const CaseSpec& spec);

}  // namespace cposim::cases
