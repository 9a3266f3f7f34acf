#pragma once
/// \file
/// `[[output.face_stats]]` (cases/README.md, "Face temperatures"): reading, the checks that need
/// only the case, and the echo. Evaluated on the field by cases/run/face_stats.hpp.

#include <ostream>
#include <string>

#include "cases/read/toml_helpers.hpp"
#include "cases/spec/case_spec.hpp"

namespace cposim::cases {

/// The key of `[output]` read_face_stats owns.
inline constexpr const char* kFaceStatsKey = "face_stats";

/// Reads `[[output.face_stats]]` from the `[output]` table `s` into `out`. Throws CaseError.
void read_face_stats(const Section& s, const std::string& file, const std::string& base_dir,
                     OutputSpec& out);
/// Unique names, known regions in `between` (two different layers or blocks), boxes inside
/// the package. Throws CaseError.
void check_face_stats(const CaseSpec& spec);
/// `[[output.face_stats]]` back as TOML.
void echo_face_stats(std::ostream& os, const OutputSpec& output);

}  // namespace cposim::cases
