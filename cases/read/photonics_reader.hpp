#pragma once
/// \file
/// Internal to cases/: reads, cross-checks and echoes the photonic sections of a case file
/// (`[[wavelength_plans]]`, `[[rings]]`, `[[waveguides]]`, `[[mzis]]`, `[[lasers]]`,
/// `[coupling]`; cases/README.md is the reference). Called by case_reader.cpp and
/// case_check.cpp; every user error is a CaseError at the offending node.

#include <toml++/toml.h>

#include <array>
#include <ostream>
#include <string>

#include "cases/spec/case_spec.hpp"
#include "cases/spec/photonics_spec.hpp"

namespace cposim::cases {

/// The top-level keys read_photonics owns.
inline constexpr std::array<const char*, 7> kPhotonicsTopLevelKeys = {
    "wavelength_plans", "rings", "waveguides", "mzis", "lasers", "coupling", "optics"};

/// Reads the photonic sections of `root` (types, units, ranges, unknown keys, combinations of
/// keys) into a PhotonicsSpec. `file` names the case file in messages. Throws CaseError.
PhotonicsSpec read_photonics(const toml::table& root, const std::string& file,
                             const std::string& base_dir);

/// Cross-checks the photonic devices against each other and the package: unique names, known
/// grids, plans, lasers and blocks, channels within their grid, every footprint, heater, laser
/// stripe and path point inside the package (and inside its block, if named). Throws
/// CaseError at the referencing node. `spec` must have passed the thermal checks.
void check_photonics(const CaseSpec& spec);

/// Writes the photonic sections back as TOML with every default filled in (part of
/// CaseSpec::resolved_text); nothing for a case without devices or plans.
void echo_photonics(std::ostream& os, const PhotonicsSpec& photonics);

}  // namespace cposim::cases
