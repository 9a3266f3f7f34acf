#pragma once
/// \file
/// A ring heater's own near field on the grid, so that it is counted once.
///
/// heater_efficiency_nm_per_mW is the ring's tuning per milliwatt in its own heater: it already
/// holds the heater warming its ring. The grid, given the heater's power in the cells of its
/// box, warms the ring's footprint by the same heat a second time, by an amount set by the cell
/// size (a few % of the tuning, growing as the grid is refined). The coupling loop therefore
/// samples each ring at T_footprint − R_self·P_own, where R_self is the footprint's rise per
/// watt in the ring's own heater computed on its near patch: the cells overlapping the heater
/// box widened by kHeaterNearField_m on every side (at most kHeaterPatchMaxCells cells per
/// axis), with the rest of the package held at its temperature. The heater's heat beyond the
/// patch — the package-level rise, as for any other heat source — and every other heater's
/// heat (crosstalk) stay counted. cases/README.md "[[rings]] heater self-heating".

#include <vector>

#include "mesh/box.hpp"
#include "mesh/rectilinear_grid.hpp"
#include "postproc/photonics/photonics.hpp"
#include "solver/thermal_problem.hpp"

namespace cposim::cases {

/// Half-width added around the heater box for its near patch, m.
inline constexpr double kHeaterNearField_m = 100e-6;
/// Most cells per axis in a near patch (bounds the local solve on fine grids).
inline constexpr std::size_t kHeaterPatchMaxCells = 24;

/// Footprint-average rise per watt in the heater, K/W, on the near patch of the heater: the
/// matrix of `problem` is assembled at `T_K` (k(T) frozen there), restricted to the patch with
/// the cells outside it held fixed, and solved for the heater's deposit (in proportion to the
/// overlapped volume, as the coupling loop deposits it). One assembly for all rings: element
/// i is for heater_boxes[i], heaters[i] (its overlaps) and footprints[i] (postproc::
/// box_overlaps on the problem's grid). A heater box wider than the cap keeps its own cells.
/// Throws std::invalid_argument for mismatched sizes, empty overlaps or a singular patch.
std::vector<double> heater_self_responses_K_per_W(
    const solver::ThermalProblem& problem, const std::vector<double>& T_K,
    const std::vector<mesh::Box>& heater_boxes,
    const std::vector<std::vector<postproc::CellOverlap>>& heaters,
    const std::vector<std::vector<postproc::CellOverlap>>& footprints);

}  // namespace cposim::cases
