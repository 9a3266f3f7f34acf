#pragma once
/// \file
/// The entry point that reads a case file and checks it: the sections (cases/read/), then the
/// cross-references and geometry (case_check.hpp).

#include <string>

#include "cases/spec/case_spec.hpp"

namespace cposim::cases {

/// Reads, validates and cross-checks the case file at `path`. Power-map files named in it are
/// read too (relative to the case file's folder). On success the result is complete and
/// consistent: CaseSpec::resolved_text holds the case echoed back with every default filled
/// in. Throws CaseError "<file>:<line>:<col>: error: …" for anything wrong in the file, and
/// "<path>: error: cannot read case file: <reason>" if it cannot be read.
CaseSpec read_case(const std::string& path);

/// As read_case, for case text held in memory (tests, fuzzing). `display_name` is the file
/// name used in error messages and as CaseSpec::case_path; relative power-map paths are
/// resolved against `base_dir` (empty: the working directory).
CaseSpec read_case_text(const std::string& text, const std::string& display_name,
                        const std::string& base_dir);

}  // namespace cposim::cases
