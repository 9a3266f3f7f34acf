#pragma once
/// \file
/// HotSpot model (.flp floorplan, .lcf layer configuration, .ptrace power trace,
/// hotspot.config) → cposim case. What is mapped, approximated or refused is listed in
/// cases/README.md, "Importing HotSpot and 3D-ICE models".

#include "cases/import/hotspot_options.hpp"
#include "cases/import/import_case.hpp"

namespace cposim::cases {

/// Reads the files and converts them. Floorplan files named in the .lcf are relative to the
/// .lcf's folder. Each unit's power_W is the average of the .ptrace rows, as HotSpot's
/// steady-state solve uses. Throws CaseError "<file>:<line>:<col>: error: …" for a malformed or
/// unsupported input (naming what is wrong and what is allowed), "<file>: error: cannot read …" if
/// a file cannot be read.
ImportResult import_hotspot(const HotSpotFiles& files, const HotSpotOptions& options = {});

}  // namespace cposim::cases
