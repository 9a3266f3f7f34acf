#pragma once
/// \file
/// Plain structs mirroring a case file (cases/README.md is the reference). Everything is in
/// SI units: the reader converts µm to m exactly once. Optional keys take their default here,
/// in the member initialisers, and nowhere else. Each struct keeps the SourceLocation of the
/// node it came from, so later checks can point at it.

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "cases/spec/block_power_spec.hpp"
#include "cases/spec/case_error.hpp"
#include "cases/spec/cavity_spec.hpp"
#include "cases/spec/cold_plate_spec.hpp"
#include "cases/spec/envelope_spec.hpp"
#include "cases/spec/input_file.hpp"
#include "cases/spec/lane_spec.hpp"
#include "cases/spec/output_maps_spec.hpp"
#include "cases/spec/photonics_spec.hpp"
#include "cases/spec/transient_spec.hpp"
#include "materials/effective_medium.hpp"
#include "solver/boundary.hpp"
#include "solver/linear/linear_solver.hpp"
#include "solver/steady.hpp"

namespace cposim::cases {

/// A name that refers to something defined elsewhere (a material, a layer or a block), with
/// the location of the reference so an unknown name can be reported where it is written.
struct NameRef {
  std::string name;
  SourceLocation where;
};

/// `[package]`: the footprint starts at (0, 0); z starts at 0 and the height is the top of
/// the layer stack or of the highest block, whichever is higher.
struct PackageSpec {
  std::array<double, 2> footprint_m{};  ///< x, y extent, each > 0
  NameRef fill{"air", {}};              ///< material of cells no layer or block covers
  SourceLocation where;
};

/// `k_table = {T_K = [...], k_W_per_mK = [...]}`: isotropic k(T), linear between points.
struct KTableSpec {
  std::vector<double> T_K;         ///< strictly increasing, each > 0
  std::vector<double> k_W_per_mK;  ///< same length, each > 0
  SourceLocation where;
};

/// `bump_array = {pitch_um, diameter_um, bump, fill}`: square array of cylinders in a fill
/// (materials::cylinder_array).
struct BumpArraySpec {
  double pitch_m = 0.0;     ///< > 0
  double diameter_m = 0.0;  ///< > 0 and < pitch
  NameRef bump{"SAC305", {}};
  NameRef fill{"underfill", {}};
  SourceLocation where;
};

/// One entry of `laminate = [{material, thickness_um}, ...]`.
struct LaminaSpec {
  NameRef material;
  double thickness_m = 0.0;  ///< > 0
  SourceLocation where;
};

/// `metal_coverage = {coverage, metal, dielectric}` (materials::metal_coverage).
struct MetalCoverageSpec {
  double coverage = 0.0;  ///< area fraction of metal, 0..1
  materials::ThroughPlaneRule kz = materials::ThroughPlaneRule::parallel;  ///< key kz_rule
  NameRef metal;
  NameRef dielectric;
  SourceLocation where;
};

/// `[materials.NAME]`: a user material. Exactly one way of defining it is used.
struct MaterialSpec {
  enum class Kind {
    full,            ///< k_W_per_mK, rho_kg_per_m3 and cp_J_per_kgK given
    based,           ///< `base = "..."` plus optional overrides
    bump_array,      ///< effective medium: cylinder array
    laminate,        ///< effective medium: stack of laminae
    metal_coverage,  ///< effective medium: metal fraction in a dielectric
  };
  std::string name;
  Kind kind = Kind::full;
  NameRef base;  ///< based only

  // Properties: required for `full`, overrides for `based`, absent for effective media.
  std::optional<std::array<double, 3>> k_W_per_mK;  ///< kx, ky, kz at T_ref_K
  bool k_is_scalar = false;                         ///< written as one number (for the echo)
  std::optional<double> rho_kg_per_m3;
  std::optional<double> cp_J_per_kgK;
  std::optional<double> k_T_exponent;  ///< k = k_ref (T / T_ref)^exponent
  std::optional<double> T_ref_K;       ///< reference temperature of k_W_per_mK (default 300)
  std::optional<KTableSpec> k_table;

  BumpArraySpec bump_array;          ///< bump_array only
  std::vector<LaminaSpec> laminae;   ///< laminate only
  MetalCoverageSpec metal_coverage;  ///< metal_coverage only
  SourceLocation where;              ///< the [materials.NAME] table
};

/// `role` of a block: the kind of component, which gives its default temperature limit
/// (cases/run/temperature_limits.hpp, physics.md §4.4).
enum class ComponentRole { none, asic, hbm, pic, eic, laser, other };

/// `[[layers]]`: a full-footprint slab; layers stack from z = 0 upwards in file order.
struct LayerSpec {
  std::string name;
  NameRef material;
  double thickness_m = 0.0;       ///< > 0
  std::optional<double> power_W;  ///< ≥ 0, uniform by volume over the cells it keeps
  SourceLocation where;           ///< the [[layers]] header
  SourceLocation name_where;
  /// Pass/fail limit on the layer's T_max, K (none: unchecked).
  std::optional<double> T_limit_K;
};

/// `power_map = "file.csv"`: per-tile values over a block's x-y footprint.
struct PowerMapSpec {
  std::string path;           ///< as written in the case file
  std::string resolved_path;  ///< relative paths are relative to the case file's folder
  /// tiles[row][column]; row 0 is the lowest y, column 0 the lowest x. Rectangular, every
  /// value finite and ≥ 0.
  std::vector<std::vector<double>> tiles;
  double file_total = 0.0;  ///< sum of all tiles as written
  SourceLocation where;     ///< the power_map value in the case file
};

/// `[[blocks]]`: a box painted over the layers and earlier blocks (a later block wins).
struct BlockSpec {
  std::string name;
  NameRef material;
  std::array<double, 3> origin_m{};  ///< lowest corner
  std::array<double, 3> size_m{};    ///< each > 0
  /// ≥ 0. Without a power map: uniform by volume. With one: the map's shape scaled to this.
  std::optional<double> power_W;
  std::optional<PowerMapSpec> power_map;
  /// `role`; none when not written.
  ComponentRole role = ComponentRole::none;
  /// Pass/fail limit on the block's T_max, K; wins over the role's default.
  std::optional<double> T_limit_K;
  /// Temperature-dependent power (cases/run/leakage.hpp): leakage on top of power_W, or a table
  /// of the total power (then power_W and leakage are absent). At most one is set.
  std::optional<LeakageSpec> leakage;
  std::optional<PowerTableSpec> power_table;
  /// Power over time in a [transient] run (cases/spec/transient_spec.hpp); none: constant.
  std::optional<PowerWaveformSpec> power_waveform;
  SourceLocation where;  ///< the block's table
  SourceLocation name_where;
  SourceLocation origin_where;
};

/// `[[interfaces]]`: zero-thickness contact resistance on faces between two regions.
struct InterfaceSpec {
  std::array<NameRef, 2> between;  ///< layer or block names
  double R_m2K_per_W = 0.0;        ///< ≥ 0
  SourceLocation where;
};

/// `[boundary.<face>]`: a condition on one outer face. Faces not listed are adiabatic.
struct BoundarySpec {
  solver::BoundaryKind kind = solver::BoundaryKind::adiabatic;
  double h_W_per_m2K = 0.0;       ///< convection: > 0
  double T_ambient_K = 0.0;       ///< convection: > 0
  double T_K = 0.0;               ///< fixed_temperature: > 0
  double q_W_per_m2 = 0.0;        ///< heat_flux: into the package
  std::optional<HMapSpec> h_map;  ///< convection: per-tile h instead of h_W_per_m2K
  /// Any type but fixed_temperature: an imposed flux into the package [W/m²] per tile (q_map)
  /// and on rectangles (patches), added to the face's condition (cases/read/face_flux_reader.hpp).
  std::optional<HMapSpec> q_map;
  std::vector<FluxPatchSpec> patches;
  bool listed = false;  ///< written in the file (else the adiabatic default)
  SourceLocation where;
};

/// Face names as written in case files, in solver::DomainFace order.
inline constexpr std::array<const char*, 6> kBoundaryFaceNames = {"x_min", "x_max",  "y_min",
                                                                  "y_max", "bottom", "top"};

/// `[[grid.refine]]`: a zone with smaller maximum cell sizes.
struct RefineSpec {
  std::array<double, 3> origin_m{};
  std::array<double, 3> size_m{};      ///< each > 0
  std::array<double, 3> max_cell_m{};  ///< each > 0
  SourceLocation where;
  SourceLocation origin_where;
};

/// `[grid]`: what the grid builder is asked for.
struct GridSpec {
  double max_cell_xy_m = 1000e-6;    ///< largest cell width along x and y
  double max_cell_z_m = 250e-6;      ///< largest cell height
  double max_neighbour_ratio = 1.5;  ///< > 1
  int min_cells_per_layer = 2;       ///< ≥ 1, cells between two z planes
  std::vector<RefineSpec> refine;
  SourceLocation where;
};

/// `[solver]`: steady solve controls (defaults are the solver's own).
struct SolverSpec {
  solver::LinearSolverKind linear_solver = solver::LinearSolverKind::automatic;
  double relative_tolerance = solver::LinearSolverOptions{}.relative_tolerance;
  int max_iterations = solver::LinearSolverOptions{}.max_iterations;
  double picard_tolerance_K = solver::SteadyOptions{}.picard_tolerance_K;
  int max_picard_iterations = solver::SteadyOptions{}.max_picard_iterations;
  /// Largest accepted |power in − heat out| / power (solver::EnergyBalance::relative); a
  /// solve above it is a failure (exit 3), like one that does not converge.
  double max_energy_imbalance = 1e-6;
  /// Thermal-runaway limit [K] (solver::SteadyOptions::runaway_T_K) for cases with a block
  /// power P(T); > 0. Default: see kDefaultRunaway_K.
  double runaway_T_K = kDefaultRunaway_K;
  SourceLocation where;
  SourceLocation linear_solver_where;
};

/// `[[output.probes]]`: a named point where the temperature is reported.
struct ProbeSpec {
  std::string name;
  std::array<double, 3> at_m{};
  /// `on_face = "x" | "y" | "z"`: the point lies on a grid plane normal to that axis and the
  /// probe reads the face temperature there (solver/face_values.hpp); −1: cell values.
  int on_face_axis = -1;
  SourceLocation where;
  SourceLocation name_where;
  SourceLocation at_where;
};

/// `[[output.face_stats]]`: statistics of the surface temperature on an outer face or on the
/// faces between two named regions, optionally within a box (cases/run/face_stats.hpp).
struct FaceStatsSpec {
  std::string name;
  int face = -1;                   ///< solver::DomainFace index, or −1 with `between`
  std::array<NameRef, 2> between;  ///< region names (layers, blocks) when face = −1
  bool has_box = false;            ///< origin_um / size_um given
  std::array<double, 3> lo_m{}, hi_m{};
  SourceLocation where;
  SourceLocation name_where;
};

/// Every field the results file can hold, in the order written.
inline constexpr std::array<const char*, 6> kOutputFieldNames = {
    "temperature_K", "power_density_W_per_m3", "region_id",
    "k_x_W_per_mK",  "k_y_W_per_mK",           "k_z_W_per_mK"};

/// `[output]`.
struct OutputSpec {
  std::vector<std::string> fields{kOutputFieldNames.begin(), kOutputFieldNames.end()};
  std::vector<ProbeSpec> probes;
  bool vtk = false;           ///< `formats` lists "vtk": also write the VTK XML set
  std::vector<MapSpec> maps;  ///< `[[output.maps]]`; none: one map through the hottest point
  std::vector<FaceStatsSpec> face_stats;  ///< `[[output.face_stats]]`
  SourceLocation where;
};

/// A whole case file.
struct CaseSpec {
  std::string case_path;      ///< the file as named by the caller (display name)
  std::string base_dir;       ///< folder that relative paths in the file are relative to
  std::string title;          ///< default: the case file's name without extension
  std::string resolved_text;  ///< the case echoed back as TOML with every default filled in
  /// Every file the case read (CSV data), with its content digest; listed at the end of
  /// resolved_text, so the text (and a sweep point's hash) changes with any file's content.
  std::vector<InputFileDigest> input_files;
  PackageSpec package;
  std::vector<MaterialSpec> materials;  ///< user materials, sorted by name
  std::vector<LayerSpec> layers;        ///< bottom to top
  std::vector<BlockSpec> blocks;        ///< painting order
  std::vector<InterfaceSpec> interfaces;
  std::array<BoundarySpec, 6> boundaries{};  ///< solver::DomainFace order
  GridSpec grid;
  SolverSpec solver;
  OutputSpec output;
  PhotonicsSpec photonics;                 ///< rings, waveguides, MZIs, lasers, plans, coupling
  ElectricalSpec electrical;               ///< [electrical]: user media, transitions, lane groups
  std::vector<ColdPlateSpec> cold_plates;  ///< [[cold_plates]], in file order
  std::vector<CavitySpec> cavities;        ///< [[cavities]], in file order
  std::optional<TransientSpec> transient;  ///< [transient]: run in time instead of steady
  std::vector<OperatingPointSpec> operating_points;  ///< [[operating_points]] (envelope.hpp)
  /// Legal but implausible values (cases/read/plausibility.hpp), in file order; main prints them.
  std::vector<CaseWarning> warnings;
};

}  // namespace cposim::cases
