#pragma once
/// \file
/// Internal to cases/: reads, cross-checks and echoes `[[optics.links]]` (cases/README.md,
/// "Optical links"). Called by case_reader.cpp and case_check.cpp; every user error is a
/// CaseError at the offending node.

#include <toml++/toml.h>

#include <ostream>
#include <string>
#include <vector>

#include "cases/spec/case_spec.hpp"
#include "cases/spec/link_spec.hpp"

namespace cposim::cases {

/// Reads `[optics]` (its only key is `links`) of `root`: types, units (dB/km, km, Gb/s, dBm
/// → SI or W), ranges, unknown keys and exclusive keys. Throws CaseError.
std::vector<LinkSpec> read_links(const toml::table& root, const std::string& file,
                                 const std::string& base_dir);

/// Cross-checks the links against the photonic devices: unique names; the modulator is a
/// [[rings]] or [[mzis]] entry, the demux a [[rings]] entry with one element per channel, the
/// laser a [[lasers]] entry with one element per channel, each waveguide a [[waveguides]]
/// entry. Throws CaseError at the referencing node.
void check_links(const CaseSpec& spec);

/// Writes the links of `photonics` back as TOML with every default filled in.
void echo_links(std::ostream& os, const PhotonicsSpec& photonics);

/// The number of channels of a checked link: the modulator ring's count (1 for an MZI).
int link_channels(const LinkSpec& link, const PhotonicsSpec& photonics);

/// The modulator insertion loss of a link: given, or the default of a ring or an MZI
/// (PHYSICS-SUPPLEMENT.md §L.2).
double modulator_insertion_loss_dB(const LinkSpec& link, const PhotonicsSpec& photonics);

}  // namespace cposim::cases
