#pragma once
/// \file
/// Internal to cases/: per-face-cell values from what the case gives per face (tiles of an
/// h map or a q_map, flux patches), resampled area-weighted onto the cells of the face.

#include <vector>

#include "cases/spec/case_spec.hpp"
#include "mesh/rectilinear_grid.hpp"

namespace cposim::cases {

/// Tiles (tiles[row][column], columns along the face's first case axis, rows along the
/// second, splitting the whole face into equal parts) resampled onto the cells of face `f`
/// (solver::FaceAxes order), area-weighted: cell value = Σ tile · overlap area / cell area.
std::vector<double> resample_face_tiles(const std::vector<std::vector<double>>& tiles,
                                        const mesh::RectilinearGrid& grid, int f);

/// The imposed flux into the package [W/m²] of each cell of face `f` (solver::FaceAxes
/// order): the q_map resampled area-weighted plus every patch's flux times the fraction of
/// the cell it covers. Σ q·A over the face equals the map's and the patches' totals exactly
/// (to rounding), whether or not the patch edges are grid planes. Empty if the face has
/// neither.
std::vector<double> face_flux_W_per_m2(const BoundarySpec& b, const mesh::RectilinearGrid& grid,
                                       int f);

}  // namespace cposim::cases
