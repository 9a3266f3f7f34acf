#pragma once
/// \file
/// 3D-ICE stack description (.stk) and its floorplans (.flp) → cposim case. What is mapped,
/// approximated or refused is listed in cases/README.md, "Importing HotSpot and 3D-ICE
/// models".

#include <string>

#include "cases/import/import_case.hpp"

namespace cposim::cases {

/// Reads the .stk at `stk_path` and the floorplans it names (relative to the .stk's folder)
/// and converts them. Accepts the grammar of 3D-ICE 2.x to 4.0 (`conventional heat sink` as
/// well as `top`/`bottom heat sink`). Microchannels, pin fins, pluggable heat sinks and layout
/// files are refused. Throws CaseError "<file>:<line>:<col>: error: …" for a malformed or
/// unsupported input, "<file>: error: cannot read …" if a file cannot be read.
ImportResult import_3dice(const std::string& stk_path);

}  // namespace cposim::cases
