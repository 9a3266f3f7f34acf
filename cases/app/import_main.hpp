#pragma once
/// \file
/// The `cposim import` subcommand (command line only; the conversion is import_hotspot.hpp and
/// import_3dice.hpp).

#include <cstdio>

namespace cposim::cases {

/// Runs `cposim import hotspot|3dice ...` with main's argv (argv[1] is "import"). Prints the
/// notes and a summary, writes the case file (temporary file, then rename; an existing file is
/// kept unless --force). Returns the exit code: 0 written, 2 bad command line or input file,
/// 4 the case file could not be written, 1 internal error.
int run_import_command(int argc, char** argv);

/// The usage lines of `cposim import`, for main's usage text.
void print_import_usage(std::FILE* out);

}  // namespace cposim::cases
