#pragma once
/// \file
/// Case file (TOML) → CaseSpec: syntax, types, units, ranges, unknown keys, power maps. The
/// cross-checks (cases/resolve/case_check.hpp) are passed in; the entry point that reads and
/// checks a case is read_case (cases/resolve/load_case.hpp). The format is documented in
/// cases/README.md.

#include <functional>
#include <string>

#include "cases/spec/case_spec.hpp"

namespace cposim::cases {

/// A check of a whole case that runs after its sections are read; throws CaseError.
using CaseCheck = std::function<void(const CaseSpec&)>;

/// Reads every section of the case text `text`, validates each key, then calls `check` with
/// the result, then collects the plausibility warnings (CaseSpec::warnings) and the data files
/// the sections read (CaseSpec::input_files). CaseSpec::resolved_text is left empty. `display_name`
/// is the file name used in error messages and as CaseSpec::case_path; relative data-file paths are
/// resolved against `base_dir` (empty: the working directory). Throws CaseError
/// "<file>:<line>:<col>: error: …".
CaseSpec read_case_sections(const std::string& text, const std::string& display_name,
                            const std::string& base_dir, const CaseCheck& check);

}  // namespace cposim::cases
