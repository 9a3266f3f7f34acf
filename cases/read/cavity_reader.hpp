#pragma once
/// \file
/// Internal to cases/: reads, cross-checks and echoes `[[cavities]]` (cases/README.md, "Coolant
/// cavities between tiers"). Called by case_reader.cpp; every user error is a CaseError at the
/// offending node.

#include <toml++/toml.h>

#include <array>
#include <ostream>
#include <string>
#include <vector>

#include "cases/spec/case_spec.hpp"

namespace cposim::cases {

/// The top-level key read_cavities owns.
inline constexpr const char* kCavitiesTopLevelKey = "cavities";

/// Reads `[[cavities]]` from `root` (types, units, ranges, unknown keys, model, coolant, flow
/// direction x or y, the model's geometry, the optional extent inside `footprint_m`) and checks
/// each names a distinct layer of `layers`; empty if absent. Throws CaseError.
std::vector<CavitySpec> read_cavities(const toml::table& root, const std::string& file,
                                      const std::vector<LayerSpec>& layers,
                                      const std::array<double, 2>& footprint_m);

/// Writes `[[cavities]]` back as TOML (part of CaseSpec::resolved_text).
void echo_cavities(std::ostream& os, const CaseSpec& spec);

}  // namespace cposim::cases
