#pragma once
/// \file
/// The neutral model that the HotSpot and 3D-ICE importers fill, and its rendering as a cposim
/// case file (cases/README.md, "Importing HotSpot and 3D-ICE models"). Lengths here are µm,
/// as in the case file; the importers convert their own units once, when they fill it.

#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cposim::cases {

/// What an importer returns: the case file text and what it had to approximate or leave out.
struct ImportResult {
  std::string case_text;           ///< a complete case file (TOML), valid for read_case
  std::vector<std::string> notes;  ///< one line each, also written as comments in case_text
  /// What is legal but likely not what the user wants (e.g. a model at 0 W); also comments.
  std::vector<std::string> warnings;
};

/// `[materials.NAME]`, a full definition.
struct ImportedMaterial {
  std::string name;
  std::array<double, 3> k_W_per_mK{};  ///< kx, ky, kz
  double rho_kg_per_m3 = 0.0;
  double cp_J_per_kgK = 0.0;
  std::string comment;    ///< where it came from (one line, no '#')
  std::string requested;  ///< the name asked for (ImportedCase::material); `name` may add a suffix
};

/// `[[layers]]`: a full-footprint slab (stacked bottom-up in list order).
struct ImportedLayer {
  std::string name, material;
  double thickness_um = 0.0;
  std::string comment;
};

/// `[[blocks]]`.
struct ImportedBlock {
  std::string name, material;
  std::array<double, 3> origin_um{}, size_um{};
  std::optional<double> power_W;
  std::string comment;
};

/// `[boundary.FACE]` of type convection.
struct ImportedConvection {
  std::string face;  ///< "top", "bottom", ...
  double h_W_per_m2K = 0.0;
  double T_ambient_K = 0.0;
  std::string comment;
};

/// `[[output.probes]]`.
struct ImportedProbe {
  std::string name;
  std::array<double, 3> at_um{};
};

/// `[[grid.refine]]`.
struct ImportedRefine {
  std::array<double, 3> origin_um{}, size_um{}, max_cell_um{};
  std::string comment;
};

/// A block's `power_waveform` of kind "steps": factors on its power_W, each holding from its
/// time to the next one (the first also before it, the last to the end).
struct ImportedWaveform {
  std::vector<double> t_s, factor;
};

/// `[transient]`.
struct ImportedTransient {
  bool backward_euler = false;  ///< else bdf2
  double end_time_s = 0.0;
  double output_interval_s = 0.0;
  std::optional<double> fixed_step_s;  ///< adaptive = false with this step
  double initial_T_K = 0.0;
  bool initial_steady = false;  ///< initial = "steady" (initial_T_K unused)
  std::string comment;
};

/// A whole imported case.
struct ImportedCase {
  std::string title;
  std::vector<std::string> header;  ///< comment lines for the top of the file (sources)
  std::array<double, 2> footprint_um{};
  std::string fill = "air";
  std::vector<ImportedMaterial> materials;
  std::vector<ImportedLayer> layers;
  std::vector<ImportedBlock> blocks;
  std::vector<ImportedConvection> faces;
  std::optional<double> max_cell_xy_um, max_cell_z_um;
  std::vector<ImportedRefine> refine;
  std::vector<ImportedProbe> probes;
  std::optional<ImportedTransient> transient;
  std::map<std::string, ImportedWaveform> waveforms;  ///< by block name
  std::vector<std::string> notes;
  std::vector<std::string> warnings;
  std::vector<std::string> sections;  ///< further tables as TOML text (e.g. [[cavities]])

  /// The name of the material asked for as `name` with exactly these properties, adding it
  /// (made unique with a suffix if the name is taken) when there is none yet. Asking twice
  /// with the same name and properties gives one entry.
  std::string material(const std::string& name, const std::array<double, 3>& k_W_per_mK,
                       double rho_kg_per_m3, double cp_J_per_kgK, const std::string& comment);
};

/// Density given to every imported material. HotSpot and 3D-ICE give only the volumetric heat
/// capacity c_v = ρ·cp; cposim asks for ρ and cp. The importers keep the product: ρ = 1000
/// kg/m³ (nominal) and cp = c_v / 1000. Only ρ·cp enters a transient solve; a steady one uses
/// neither.
inline constexpr double kImportedDensity_kg_per_m3 = 1000.0;

/// The case file text: a header of comments (sources, then the notes), then the tables.
std::string to_case_toml(const ImportedCase& c);

}  // namespace cposim::cases
