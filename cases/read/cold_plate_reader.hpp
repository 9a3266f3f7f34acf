#pragma once
/// \file
/// Internal to cases/: reads, cross-checks and echoes `[[cold_plates]]` and the `h_map` key of
/// a convection face (cases/README.md, "Cold plates and h maps"). Called by case_reader.cpp and
/// case_check.cpp; every user error is a CaseError at the offending node.

#include <toml++/toml.h>

#include <ostream>
#include <string>
#include <vector>

#include "cases/spec/case_spec.hpp"
#include "mesh/box.hpp"

namespace cposim::cases {

/// Highest mean coolant velocity in a plate's channels, m/s: about Mach 0.3 in air (where the
/// incompressible models end) and far beyond any pumped liquid loop (0.1 to 5 m/s; the pressure
/// drop grows with its square). A faster flow is a located error at `flow_L_per_min`.
inline constexpr double kMaxCoolantVelocity_m_per_s = 100.0;

/// The top-level key read_cold_plates owns.
inline constexpr const char* kColdPlatesTopLevelKey = "cold_plates";

/// Reads `[[cold_plates]]` from `root` (types, units, ranges, unknown keys, coolant, flow
/// direction in the plate's face, h or channels); empty if absent. Throws CaseError.
std::vector<ColdPlateSpec> read_cold_plates(const toml::table& root, const std::string& file,
                                            const std::string& base_dir);

/// Reads the h-map CSV named at `node` (key path `path`; the power-map CSV format). Throws
/// CaseError at the CSV position for a bad value or ragged row, and at the key for a file that
/// cannot be read, holds no values or has no value > 0.
HMapSpec read_h_map(const toml::node& node, const std::string& path, const std::string& file,
                    const std::string& base_dir);

/// Cross-checks the plates against the package: unique names, each plate inside its face, no
/// two plates overlapping on a face, the channels fitting across the plate, and the face's own
/// [boundary.<face>] adiabatic or convection (the plate replaces it only where it covers the
/// face). `spec` must have passed the thermal checks. Throws CaseError.
void check_cold_plates(const CaseSpec& spec);

/// The plate as a box through the package (its rectangle on the face, the package's extent
/// along the face normal), so the grid builder puts planes at its edges.
mesh::Box cold_plate_box(const CaseSpec& spec, const ColdPlateSpec& plate);

/// Writes `[[cold_plates]]` back as TOML (part of CaseSpec::resolved_text).
void echo_cold_plates(std::ostream& os, const CaseSpec& spec);

}  // namespace cposim::cases
