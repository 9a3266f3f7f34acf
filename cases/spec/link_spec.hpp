#pragma once
/// \file
/// Plain struct for `[[optics.links]]` (cases/README.md, "Optical links"): one optical link
/// laser → modulator → (demux) → photodiode, per channel, or per ring bank expanded per
/// wavelength. The fixed chain parameters are postproc::LinkParameters (SI, dB; defaults
/// PHYSICS-SUPPLEMENT.md §L); this adds the devices the chain runs through.

#include <optional>
#include <string>
#include <vector>

#include "cases/spec/case_error.hpp"
#include "postproc/photonics/link_budget.hpp"

namespace cposim::cases {

/// A device a link names, with where it is written.
struct LinkDeviceRef {
  std::string name;
  SourceLocation where;
};

/// `[[optics.links]]`.
struct LinkSpec {
  std::string name;
  SourceLocation where;
  SourceLocation name_where;
  std::string engine;  ///< label for the per-engine summary; empty: the modulator's block
  /// A [[lasers]] entry (one element per channel) or, exclusive, the power per channel of a
  /// source that is not modelled (key source_power_dBm).
  std::optional<LinkDeviceRef> laser;
  std::optional<double> source_power_W;
  SourceLocation source_where;  ///< laser or source_power_dBm (else the table)
  LinkDeviceRef modulator;      ///< a [[rings]] entry (one channel per element) or an [[mzis]]
  std::optional<LinkDeviceRef> demux;     ///< a [[rings]] entry, one element per channel
  std::vector<LinkDeviceRef> waveguides;  ///< [[waveguides]] every channel passes
  bool insertion_loss_given = false;      ///< else the ring or MZI default (§L.2)
  bool sensitivity_given = false;         ///< else default_sensitivity_dBm
  postproc::LinkParameters parameters;
};

}  // namespace cposim::cases
