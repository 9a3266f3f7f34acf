#pragma once
/// \file
/// Internal to the 3D-ICE importer: `microchannel 2rm`, `microchannel 4rm` and `pinfin`
/// sections, read from a .stk and written as a cposim `[[cavities]]` entry (cases/README.md,
/// "Coolant cavities between tiers"). Not part of the library's public API.

#include <string>

#include "cases/import/import_3dice_model.hpp"
#include "cases/import/import_3dice_tokens.hpp"

namespace cposim::cases::import_detail::ice {

/// Reads the section starting at its keyword (`microchannel` or `pinfin`), as 3D-ICE's grammar
/// (bison/stack_description_parser.y) has it; the wall or pin material must already be
/// declared in `s`. Throws CaseError at the offending token.
Cavity read_cavity(Reader& r, const Stack& s);

/// The `[[cavities]]` table (TOML, SI keys) for cavity `c` in layer `layer`: 3D-ICE's h,
/// coolant c_v, flow (ml/min → L/min) or Darcy velocity (µm/s → m/s), inlet; the coolant
/// flows along +y, as in 3D-ICE (inlet at the first row, y = 0).
std::string cavity_toml(const Cavity& c, const std::string& layer);

}  // namespace cposim::cases::import_detail::ice
