#pragma once
/// \file
/// What `cposim import` is given for a HotSpot model: its files and the conversion options
/// (shared by import_hotspot and the hotspot.config reader).

#include <string>

namespace cposim::cases {

/// The HotSpot files of one model, as the user named them. Empty means not given.
struct HotSpotFiles {
  std::string flp;        ///< floorplan; required unless `lcf` is given (its layers name theirs)
  std::string lcf;        ///< layer configuration file (HotSpot's grid model, -grid_layer_file)
  std::string ptrace;     ///< power trace; without it every unit dissipates 0 W
  std::string config;     ///< hotspot.config; without it HotSpot 6's built-in defaults are used
  std::string materials;  ///< materials file (-materials_file); else the config's, if any
  std::string init_file;  ///< -init_file (start temperatures); else the config's, if any
};

/// How to convert.
struct HotSpotOptions {
  /// Also import the trace's time variation: a `[transient]` table (one row per
  /// -sampling_intvl, from a uniform -init_temp) and a `power_waveform` per powered unit.
  bool transient = false;
  /// Factor on every volumetric heat capacity. 1: the physical values. HotSpot itself scales
  /// every capacitance by C_FACTOR = 0.333 (temperature.h); 0.333 reproduces its transients.
  double capacitance_factor = 1.0;
  /// Floorplan edges closer than this (µm) snap together: the smallest feature kept. HotSpot's
  /// ev6 floorplans leave 1 µm gaps between abutting units, which would otherwise become 1 µm
  /// cells. 0 snaps only edges within 1 nm (round-off). Must be >= 0.
  double snap_um = 5.0;
};

}  // namespace cposim::cases
