#pragma once
/// \file
/// Cold plates and h maps in a run (cases/README.md, "Cold plates and h maps"): the
/// per-face-cell convection the solver sees, the coolant march between solves (an
/// IterateHook), and the per-plate results for the summary, summary.json and results.h5.
///
/// Coupling (a Dirichlet–Robin outer iteration): the solid is solved with the fluid
/// temperatures fixed, then each plate's coolant is marched along its lanes with the solid
/// fixed (solver/coolant.hpp), which moves only the right-hand side, so the preconditioner is
/// reused. SteadySolver repeats until the solid temperatures settle to picard_tolerance_K;
/// the mixed outlet then equals inlet + (heat into the coolant)/(ṁ cp) to that precision.

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "cases/run/built_problem.hpp"
#include "cases/spec/case_spec.hpp"
#include "postproc/io/results_writer.hpp"
#include "solver/coolant.hpp"
#include "solver/steady.hpp"

namespace cposim::cases {

/// Fills built.face_h_W_per_m2K / face_T_K for every face with an h map or a cold plate and
/// makes such a face convective: an h map is resampled onto the face cells area-weighted
/// (each cell gets Σ tile h × overlap area / cell area); a plate sets its film coefficient
/// and inlet temperature on the face cells whose centres it covers, the rest keep the face's
/// own adiabatic (h = 0) or convection condition. The face's T_K becomes the inlet of its
/// first plate (the coolant reference of the thermal resistances). `spec` must have passed
/// read_case; called by build_problem.
/// Also fills built.face_q_W_per_m2 for faces with a flux map or patches (face_maps.hpp).
void apply_face_maps(const CaseSpec& spec, BuiltProblem& built);

/// The film coefficient a plate applies to its footprint, and the channel numbers behind it.
struct PlateFilm {
  double h_W_per_m2K = 0.0;                             ///< referred to the plate footprint
  std::optional<solver::ChannelHeatTransfer> channels;  ///< set with `channels = {...}`
};

/// h_W_per_m2K as given, or solver::channel_heat_transfer for the plate's channels (plate
/// width = its size across the flow). `plate` must have passed read_case.
PlateFilm plate_film(const ColdPlateSpec& plate);

/// One face cell under a plate, for the fluid table.
struct CoolantCell {
  int lane = 0;                  ///< 0-based, across the flow
  int step = 0;                  ///< 0 = at the inlet
  std::size_t cell = 0;          ///< the boundary cell (grid index)
  std::array<double, 3> at_m{};  ///< centre of the face cell, on the face
  double fluid_T_K = 0.0;        ///< fluid temperature the solid saw in the last solve
  double heat_W = 0.0;           ///< heat the solid gave the coolant through this cell
};

/// What one plate did in the last solve.
struct ColdPlateResult {
  std::string name;
  int face = 5;  ///< solver::DomainFace index
  std::string coolant;
  double inlet_T_K = 0.0;
  double outlet_T_K = 0.0;  ///< mixed outlet of the march the last solve used
  double delta_T_K = 0.0;   ///< outlet − inlet
  double heat_W = 0.0;      ///< heat out of the solid through the plate (solver side)
  double flow_L_per_min = 0.0;
  double mass_flow_kg_per_s = 0.0;
  double capacity_W_per_K = 0.0;  ///< ṁ cp
  /// |ṁ cp ΔT − heat_W| / |heat_W| (0 without heat): the coupling's energy closure.
  double energy_mismatch = 0.0;
  PlateFilm film;
  int lanes = 0;
  int cells_along = 0;             ///< cells per lane along the flow
  std::vector<CoolantCell> cells;  ///< lane by lane, inlet first
};

/// The coolant side of a run. Holds `built` (lent; must outlive this object) and writes the
/// fluid temperatures into built.face_T_K.
class ColdPlateCoupling {
 public:
  ColdPlateCoupling(const CaseSpec& spec, BuiltProblem& built);

  bool empty() const { return plates_.empty(); }

  /// Marches every plate's coolant on solid temperatures T_K and stores the fluid
  /// temperatures for the next solve. Returns a one-line note (outlet per plate).
  std::string march(const std::vector<double>& T_K);

  /// march() as a SteadySolver hook (empty for a case without plates).
  solver::IterateHook hook();

  /// The plates' results for the solved field T_K (after the solve that used the last march).
  std::vector<ColdPlateResult> results(const std::vector<double>& T_K) const;

 private:
  struct Plate {
    const ColdPlateSpec* spec = nullptr;
    solver::ColdPlateGeometry geometry;
    std::vector<solver::CoolantLane> lanes;
    double capacity_W_per_K = 0.0;
    PlateFilm film;
    solver::PlateMarch last;  ///< of the last march (initially: no heat, outlet = inlet)
  };
  BuiltProblem* built_;
  std::vector<Plate> plates_;
  std::vector<double> G_, heat_out_, T_face_, heat_;  ///< scratch, one per face cell
};

/// /cold_plates/plates and /cold_plates/fluid, the field coolant_T_K (fluid temperature on
/// the plates' boundary cells, NaN elsewhere) and nothing for an empty list.
void add_cold_plate_results(const std::vector<ColdPlateResult>& plates,
                            const mesh::RectilinearGrid& grid, postproc::ResultsContent& content);

/// The human summary: one block per plate (outlet, ΔT, heat, h, Re/Nu/Pr for channels).
std::string format_cold_plates(const std::vector<ColdPlateResult>& plates);

}  // namespace cposim::cases
