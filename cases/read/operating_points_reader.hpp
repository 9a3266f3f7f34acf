#pragma once
/// \file
/// The `[[operating_points]]` section (cases/README.md): read, cross-checked, echoed. The points
/// are solved by cases/run/envelope.hpp.

#include <toml++/toml.h>

#include <ostream>
#include <string>
#include <vector>

#include "cases/spec/case_spec.hpp"

namespace cposim::cases {

/// Reads `[[operating_points]]` of `root`. Throws CaseError.
std::vector<OperatingPointSpec> read_operating_points(const toml::table& root,
                                                      const std::string& file,
                                                      const std::string& base_dir);

/// Cross-checks: unique names, known blocks, no [transient], no block with a power P(T).
void check_operating_points(const CaseSpec& spec);

/// Writes the points back as TOML.
void echo_operating_points(std::ostream& os, const CaseSpec& spec);

}  // namespace cposim::cases
