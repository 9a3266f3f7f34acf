#pragma once
/// \file
/// The results of the photonic devices of a run: one struct per ring, bank, laser, waveguide
/// and MZI (split from photonics_coupling.hpp, which includes it: the devices of the loop,
/// photonics_device_set.hpp, fill them).

#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include "postproc/photonics/laser.hpp"
#include "postproc/photonics/photonics.hpp"

namespace cposim::cases {

/// One ring (one element of a bank).
struct RingResult {
  std::string name;   ///< element name ("bank.3" in an array)
  std::string entry;  ///< the [[rings]] entry
  int index = 0;      ///< in its entry
  std::array<double, 3> center_m{};
  std::string grid;   ///< grid or plan of the target channel (empty: none)
  int channel = -1;   ///< target channel index (−1: none)
  std::string laser;  ///< laser element tracked (empty: none)
  postproc::RingModel model;
  postproc::RingState state;        ///< at the last solve
  double open_loop_heater_W = 0.0;  ///< required heater power on the field without heaters
  double laser_detuning_m = 0.0;    ///< λ_laser(T_laser) − λ_ring(T_ring) untuned; NaN: none
  /// Footprint rise per watt in its own heater's near field, excluded from state.T_K (the
  /// efficiency holds it; cases/run/heater_self.hpp). 0 until the first solve.
  double heater_self_K_per_W = 0.0;
};

/// One [[rings]] entry (a bank when count > 1).
struct BankResult {
  std::string name;
  int count = 0;
  double T_min_K = 0.0, T_max_K = 0.0;
  double gradient_K = 0.0;  ///< T_max − T_min across the bank (physics.md §4.4: < 2–5 K)
  double heater_W = 0.0;    ///< total heater power of the bank
  double open_loop_heater_W = 0.0;
  double worst_drift_m = 0.0;   ///< largest |Δλ| in the bank
  double worst_margin_m = 0.0;  ///< smallest tuning margin in the bank
  int out_of_range = 0;
};

/// One laser (one element of an array).
struct LaserResult {
  std::string name;
  std::string entry;
  bool external = false;
  std::array<double, 3> center_m{};  ///< NaN for an external laser
  std::string grid;
  int channel = -1;
  postproc::LaserModel model;
  postproc::LaserState state;
  bool has_window = false;
  postproc::Channel window;      ///< the channel's window (has_window)
  double window_margin_m = 0.0;  ///< > 0 inside the window (has_window)
};

/// One waveguide or MZI arm.
struct PathResult {
  std::string name;  ///< waveguide name, or "<mzi>.a" / "<mzi>.b"
  std::string kind;  ///< "waveguide", "mzi_arm"
  postproc::WaveguideOptics optics;
  postproc::WaveguideState state;
  std::vector<postproc::PathPiece> pieces;
  std::vector<double> piece_T_K;  ///< cell temperature of each piece (last solve)
};

/// One MZI.
struct MziResult {
  std::string name;
  double imbalance_rad = 0.0;        ///< Δφ_a − Δφ_b
  double arm_dT_K = 0.0;             ///< T_mean(a) − T_mean(b)
  std::size_t arm_a = 0, arm_b = 0;  ///< indices into PhotonicsReport::paths
};

}  // namespace cposim::cases
