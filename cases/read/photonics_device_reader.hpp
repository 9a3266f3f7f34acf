#pragma once
/// \file
/// Internal to cases/read: the reader of the photonic sections, shared by its files
/// (photonics_reader.cpp: the entry, plans, waveguides, MZIs, [coupling] and the shared keys;
/// photonics_ring_reader.cpp: rings and their heaters; photonics_laser_reader.cpp: lasers),
/// the units they convert and the µm text of the checks and the echo.

#include <toml++/toml.h>

#include <array>
#include <optional>
#include <string>

#include "cases/read/toml_helpers.hpp"
#include "cases/spec/photonics_spec.hpp"

namespace cposim::cases::photonics_read {

inline constexpr double kNmPerMetre = 1e9;
inline constexpr double kPmPerMetre = 1e12;
inline constexpr double kMilli = 1e3;
inline constexpr const char* kNm = "nm";
inline constexpr const char* kNmPerMW = "nm/mW";
inline constexpr const char* kMW = "mW";
inline constexpr const char* kMA = "mA";

/// Metres as µm text.
inline std::string um(double metres) { return format_number(metres * kUmPerMetre); }

/// Reads [[wavelength_plans]], [[rings]], [[waveguides]], [[mzis]], [[lasers]] and
/// [coupling] (µm, nm, pm/K, nm/mW, mW, mA, dB/cm → SI, once); throws CaseError.
class PhotonicsReader : public TomlReader {
 public:
  using TomlReader::TomlReader;

  PhotonicsSpec read(const toml::table& root) const;

 private:
  // Keys shared by the devices (photonics_reader.cpp).

  DeviceRef device_ref(const toml::node& node, const std::string& path) const;
  double nm(const toml::node& node, const std::string& path) const;
  /// An array of ≥ 2 points [x, y, z] in µm.
  PathSpec path(const toml::node& node, const std::string& key) const;
  /// `grid`, `channel`, `channel_step` of a device, if `grid` is present.
  std::optional<ChannelRef> channel_ref(const Section& s) const;
  /// `count` and `pitch_um` of an array entry; `positioned` = false (an external laser
  /// source) takes no pitch.
  void read_array(const Section& s, int& count, std::array<double, 3>& pitch_m,
                  bool positioned = true) const;
  void read_optics(const Section& s, WaveguideOpticsSpec& o) const;

  WavelengthPlanSpec read_plan(const Section& s) const;
  WaveguideSpec read_waveguide(const Section& s) const;
  MziSpec read_mzi(const Section& s) const;
  CouplingSpec read_coupling(const toml::node& node) const;

  // Rings (photonics_ring_reader.cpp).
  RingSpec read_ring(const Section& s) const;
  /// Thermo-optics: a drift, or the index route (physics.md §2.2); the FSR and Q.
  void read_ring_optics(const Section& s, RingSpec& r) const;
  /// The index route's `confinement` and `dn_dT_per_K` tables.
  void read_confinement(const Section& s, const toml::node& confinement, RingSpec& r) const;
  /// What the ring tracks (laser, grid channel or target) and its λ0.
  void read_ring_target(const Section& s, RingSpec& r) const;
  /// The heater (physics.md §2.3).
  void read_heater(const Section& s, RingSpec& r) const;
  /// Heater control in a [transient] run: ideal or a PI loop (PHYSICS-SUPPLEMENT.md §R).
  void read_control(const Section& s, RingSpec& r) const;

  // Lasers (photonics_laser_reader.cpp).
  LaserSpec read_laser(const Section& s) const;
  /// Placement: on the package (centre, size, block) or external at its own T_K.
  void read_laser_placement(const Section& s, LaserSpec& l) const;
  /// Emission wavelength: λ0, or a grid channel plus an offset.
  void read_laser_wavelength(const Section& s, LaserSpec& l) const;
  /// Threshold, slope, drive and junction resistance.
  void read_laser_electrical(const Section& s, LaserSpec& l) const;
};

}  // namespace cposim::cases::photonics_read
