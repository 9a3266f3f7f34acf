#pragma once
/// \file
/// Internal to cases/: reads, cross-checks and echoes `[output] formats` and `[[output.maps]]`
/// (cases/README.md, "[output]"). Called by case_reader.cpp and case_check.cpp; every user
/// error is a CaseError at the offending node.

#include <ostream>
#include <string>

#include "cases/read/toml_helpers.hpp"
#include "cases/spec/case_spec.hpp"

namespace cposim::cases {

/// The keys of `[output]` that read_output_formats_and_maps owns.
inline constexpr const char* kOutputFormatsKey = "formats";
inline constexpr const char* kOutputMapsKey = "maps";

/// Reads `formats` (each of kOutputFormatNames at most once) and `[[output.maps]]` from the
/// `[output]` table `s` into `out`. µm become metres here. `file` names the case file in
/// messages. Throws CaseError.
void read_output_formats_and_maps(const Section& s, const std::string& file,
                                  const std::string& base_dir, OutputSpec& out);

/// Cross-checks the maps: unique names, known layer and block names, planes inside the
/// package. Throws CaseError at the map's node.
void check_output_maps(const CaseSpec& spec);

/// Parses the value of `cposim run --format LIST` (comma-separated kOutputFormatNames, e.g.
/// "hdf5,vtk"); sets `vtk`. Returns an error message naming the choices, or "" if fine.
std::string parse_format_option(const std::string& list, bool& vtk);

/// `formats = [...]` as a line of the `[output]` table (part of the resolved-case echo).
void echo_output_formats(std::ostream& os, const OutputSpec& output);
/// The `[[output.maps]]` tables, after the rest of `[output]`.
void echo_output_maps(std::ostream& os, const OutputSpec& output);

}  // namespace cposim::cases
