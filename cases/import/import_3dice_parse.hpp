#pragma once
/// \file
/// Internal to the 3D-ICE importer: reading the stack description (.stk) and floorplan (.flp)
/// files into the types of import_3dice_model.hpp (cases/import/import_3dice_parse.cpp).

#include <string>
#include <vector>

#include "cases/import/import_3dice_model.hpp"

namespace cposim::cases::import_detail::ice {

/// Reads a .stk file. Throws CaseError at the offending token.
Stack read_stk(const std::string& path);

/// Reads a floorplan file of the stack `s`. Throws CaseError at the offending token.
std::vector<Element> read_floorplan(const std::string& path, const Stack& s);

}  // namespace cposim::cases::import_detail::ice
