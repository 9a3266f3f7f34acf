#pragma once
/// \file
/// The resolved case in input syntax (3D-ICE's material_print idea), for provenance: every
/// section echoed back with its defaults filled in and its references resolved.

#include <string>

#include "cases/spec/case_spec.hpp"

namespace cposim::cases {

/// The case `spec` as TOML with every default filled in (CaseSpec::resolved_text), followed
/// by one comment line per data file it read (path, size, FNV-1a 64 digest). `spec` must have
/// passed check_case.
std::string resolved_case_text(const CaseSpec& spec);

}  // namespace cposim::cases
