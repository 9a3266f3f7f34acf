#pragma once
/// \file
/// Test support: the smallest valid case file, for tests that add one feature to it.

#include <string>

namespace cposim::testing {

/// A package 1000 × 500 µm with a 100 µm Si slab and a convective top, valid on its own;
/// `extra` is appended (it must start with a table header or a top-level key).
inline std::string minimal_case(const std::string& extra = "") {
  return "[package]\n"
         "footprint_um = [1000, 500]\n"
         "[[layers]]\n"
         "name = \"slab\"\n"
         "material = \"Si\"\n"
         "thickness_um = 100\n"
         "[boundary.top]\n"
         "type = \"convection\"\n"
         "h_W_per_m2K = 1000\n"
         "T_ambient_K = 300\n" +
         extra;
}

}  // namespace cposim::testing
