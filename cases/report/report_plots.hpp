#pragma once
/// \file
/// The PNG plots of a run besides the temperature maps, drawn with postproc/plots/raster_image.hpp:
/// the coolant temperature over each cold plate (coolant_<plate>.png) and the histories of a
/// transient run (history.png). report.html embeds them; neither prints anything.

#include <string>
#include <vector>

#include "cases/run/cold_plate_coupling.hpp"
#include "cases/run/run_transient.hpp"
#include "cases/spec/case_spec.hpp"
#include "mesh/rectilinear_grid.hpp"
#include "postproc/plots/raster_image.hpp"

namespace cposim::cases {

/// Regions whose T_max history history.png draws: the hottest ones by their peak T_max (all
/// regions stay in probes.csv).
inline constexpr std::size_t kHistoryRegions = 6;

/// The coolant temperature over one plate: every face cell under it drawn to scale in the fluid
/// temperature the solid saw there, axes in mm along the face's case axes (case_face_axes), a
/// colour bar in °C, the plate's outline and an arrow in the flow direction. `plate` is the
/// result of `spec` on `grid`; `subtitle` is a second title line ("" for none). Throws
/// std::runtime_error only if the font cannot be loaded.
postproc::RasterImage render_coolant_map(const ColdPlateResult& plate, const ColdPlateSpec& spec,
                                         const mesh::RectilinearGrid& grid,
                                         const std::string& subtitle);

/// Writes `<out_dir>/coolant_<plate>.png` for each plate of `plates` (matched to
/// spec.cold_plates by name), each through temp + rename, and returns the paths in plate
/// order. Throws std::runtime_error naming a file that cannot be written.
std::vector<std::string> write_coolant_maps(const std::vector<ColdPlateResult>& plates,
                                            const CaseSpec& spec, const mesh::RectilinearGrid& grid,
                                            const std::string& out_dir);

/// The histories of a transient run against time in s: an upper panel in °C with each probe
/// (solid) and the T_max of the kHistoryRegions hottest regions (dashed), with a legend, and a
/// lower panel with the total power generated and the heat leaving the faces in W. Lines join
/// the output times as recorded, so a step of the workload shows as it appears in the data;
/// every interval between outputs across which the power changed is shaded in both panels.
/// `title` is the first title line. Throws std::runtime_error only if the font cannot be loaded.
postproc::RasterImage render_history_plot(const TransientSummary& transient,
                                          const std::string& title);

/// Rings whose histories photonics_history.png draws: those with the largest max |detuning|.
inline constexpr std::size_t kHistoryRings = 8;

/// The rings of a transient run with photonic devices (transient.photonics set) against time
/// in s: the measured detuning in nm (upper panel, the tightest lock tolerance drawn as a band
/// around 0) and the heater power in mW (lower panel) of the kHistoryRings rings with the
/// largest max |detuning|, a legend naming those that lost lock. Throws std::runtime_error only
/// if the font cannot be loaded.
postproc::RasterImage render_photonics_history_plot(const TransientSummary& transient,
                                                    const std::string& title);

/// render_photonics_history_plot, then write_png to `path` (temp + rename). Throws as both.
void write_photonics_history_plot(const std::string& path, const TransientSummary& transient,
                                  const std::string& title);

/// render_history_plot, then write_png to `path` (temp + rename). Throws as both.
void write_history_plot(const std::string& path, const TransientSummary& transient,
                        const std::string& title);

}  // namespace cposim::cases
