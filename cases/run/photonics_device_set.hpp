#pragma once
/// \file
/// The photonic devices of a case resolved on the grid for the coupling loop (split from
/// photonics_coupling.cpp): models, targets and footprints; their evaluation on a field;
/// their heat per cell; bank summaries. Internal to cases/run.

#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "cases/run/photonics_device_results.hpp"
#include "cases/spec/case_spec.hpp"
#include "mesh/box.hpp"
#include "mesh/cell_field.hpp"
#include "mesh/rectilinear_grid.hpp"
#include "postproc/photonics/photonics.hpp"
#include "solver/thermal_problem.hpp"

namespace cposim::cases {

/// A ring element with everything the loop needs.
struct LiveRing {
  std::vector<postproc::CellOverlap> footprint, heater;
  mesh::Box heater_box;
  double heater_volume_m3 = 0.0;
  int laser = -1;               ///< index into the live lasers (tracked), or −1
  double fixed_target_m = 0.0;  ///< when not tracking a laser
  std::vector<int> orders_seen;
};

/// A laser element's stripe on the grid (empty for an external laser).
struct LiveLaser {
  std::vector<postproc::CellOverlap> stripe;
  double volume_m3 = 0.0;
};

/// Adds `power_W` to `cells` over `overlaps`, in proportion to the overlapped volume.
void deposit(std::vector<double>& cells, const std::vector<postproc::CellOverlap>& overlaps,
             double volume_m3, double power_W);

/// Every device of the spec resolved on the grid: models, targets, footprints. Throws
/// std::invalid_argument for a waveguide path without length.
class PhotonicsDeviceSet {
 public:
  PhotonicsDeviceSet(const CaseSpec& spec, const mesh::RectilinearGrid& grid);

  /// Evaluates lasers then rings on `T`, each ring without its own heater's near field (its
  /// self-response times `own_W`, the power its heater had in `T`: cases/run/heater_self.hpp);
  /// returns the new heater powers and laser heat.
  void evaluate(const mesh::CellField& T, const std::vector<double>& own_W,
                std::vector<double>& heater_W, std::vector<double>& laser_heat_W);

  /// Heater and laser heat per cell.
  std::vector<double> device_power(const std::vector<double>& heater_W,
                                   const std::vector<double>& laser_heat_W) const;

  /// Each ring's near-field rise per watt in its own heater on the field `T_K`.
  void compute_self_responses(const solver::ThermalProblem& problem,
                              const std::vector<double>& T_K);

  /// Footprint temperature of every ring on `T`.
  std::vector<double> ring_temperatures(const mesh::CellField& T) const;

  /// Records each ring's resonance order; true if one returned to an order it had left.
  bool order_flip_flop();

  /// Fills the bank results from their rings' states.
  void summarise_banks();

  std::vector<RingResult> rings;
  std::vector<BankResult> banks;
  std::vector<LaserResult> lasers;
  std::vector<PathResult> paths;
  std::vector<MziResult> mzis;
  std::vector<LiveRing> live_rings;
  std::vector<LiveLaser> live_lasers;
  std::vector<double> external_T_K;
  std::vector<std::size_t> ring_bank;   ///< bank index of each ring
  std::vector<std::size_t> bank_first;  ///< first ring of each bank

 private:
  /// Each [[lasers]] entry's first element and count, by name.
  using LaserEntries = std::map<std::string, std::pair<int, int>>;
  LaserEntries add_lasers(const PhotonicsSpec& p);
  void add_rings(const PhotonicsSpec& p, const LaserEntries& laser_entries);
  void add_path(const std::string& name, const std::string& kind, const PathSpec& path,
                const WaveguideOpticsSpec& o);
  void evaluate_lasers(const mesh::CellField& T, std::vector<double>& laser_heat_W);
  void evaluate_rings(const mesh::CellField& T, const std::vector<double>& own_W,
                      std::vector<double>& heater_W);
  void evaluate_paths(const mesh::CellField& T);

  const mesh::RectilinearGrid& grid_;
};

}  // namespace cposim::cases
