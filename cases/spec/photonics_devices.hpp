#pragma once
/// \file
/// Where the devices of the [photonics] section sit (ring, heater and laser boxes of each array
/// element) and the defaults they resolve to; shared by the reader's checks and the coupling loop.

#include <array>
#include <optional>
#include <string>

#include "cases/spec/photonics_spec.hpp"
#include "mesh/box.hpp"
#include "postproc/photonics/laser.hpp"
#include "postproc/photonics/photonics.hpp"

namespace cposim::cases {

/// "<name>.<index>" for an element of an array (count > 1), else `name`.
std::string element_name(const std::string& name, int index, int count);

/// Centre of element `index` of an array: centre + index·pitch, metres.
std::array<double, 3> element_centre(const std::array<double, 3>& centre,
                                     const std::array<double, 3>& pitch, int index);

/// Footprint box of ring element `index`: its centre is center + index·pitch.
mesh::Box ring_box(const RingSpec& ring, int index);

/// Heater box of ring element `index`: heater_size (default: the footprint) centred at the
/// ring centre + heater_offset.
mesh::Box heater_box(const RingSpec& ring, int index);

/// Active-stripe box of on-package laser element `index`.
mesh::Box laser_box(const LaserSpec& laser, int index);

/// The loaded Q of a ring: given, or 5000 for a modulator and 20000 for a filter
/// (physics.md §2.2, E: modulators 3k–10k, filters 1e4–1e5).
double ring_loaded_Q(const RingSpec& ring);

/// The wavelength drift of a laser: given, or the default of its type
/// (postproc/photonics/laser.hpp).
double laser_drift_m_per_K(const LaserSpec& laser);

/// The channel grid a device's `grid` names: a `[[wavelength_plans]]` entry (resolved against
/// its built-in grid, subset and window override) or a built-in grid; nothing if unknown.
std::optional<postproc::WavelengthGrid> find_grid(const PhotonicsSpec& photonics,
                                                  const std::string& name);

}  // namespace cposim::cases
