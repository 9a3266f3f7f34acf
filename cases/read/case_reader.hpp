#pragma once
/// \file
/// Case file (TOML) → CaseSpec: syntax, types, units, ranges, unknown keys, power maps, then
/// the cross-checks of case_check.hpp. The format is documented in cases/README.md.

#include <string>
#include <string_view>
#include <vector>

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

/// Parses the text of a power-map CSV (format in cases/README.md): one line per row of tiles,
/// the first row the lowest y, values separated by commas, every row the same length; blank
/// lines and lines starting with '#' are skipped. Returns tiles[row][column], every value
/// finite and ≥ 0; empty if the text holds no values (the caller reports that at its key).
/// Throws CaseError "<display_path>:<line>:<col>: error: …" for a value that is not a number,
/// not finite or negative, and for a row whose length differs from the first row's; `what`
/// names the map in those messages (h maps use the same format).
std::vector<std::vector<double>> parse_power_map_csv(std::string_view text,
                                                     const std::string& display_path,
                                                     const std::string& what = "power map");

}  // namespace cposim::cases
