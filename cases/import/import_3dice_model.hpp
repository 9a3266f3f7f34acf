#pragma once
/// \file
/// Internal to the 3D-ICE importer: the types of the stack description (.stk) and floorplan
/// (.flp) as read (import_3dice_parse.hpp reads them; import_3dice_cavity.hpp maps cavities).
/// Lengths µm and 3D-ICE's own units, as in the files. Not part of the library's public API.

#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cases/spec/case_error.hpp"

namespace cposim::cases::import_detail::ice {

inline constexpr double kTouch_um = 1e-3;  // edges closer than 1 nm touch

// --- the stack description ----------------------------------------------------------------

struct Material {
  std::array<double, 3> k{};  ///< W/(µm K)
  double vhc = 0;             ///< J/(µm³ K)
  SourceLocation where;
};

struct Sink {
  double htc = 0, T = 0;  ///< W/(µm² K), K
  SourceLocation where;
};

struct LayerDef {
  double height_um = 0;
  std::string material;
  SourceLocation material_where;
  std::string declared;  ///< name of a declared layer it copies (else empty)
};

struct Die {
  std::vector<LayerDef> layers;  ///< top first
  std::size_t source = 0;        ///< index of the source layer in `layers`
  SourceLocation where;
};

/// A `microchannel 2rm|4rm` or `pinfin` section (3D-ICE units: µm, ml/min, W/(µm² K),
/// J/(µm³ K), µm/s).
struct Cavity {
  std::string model;  ///< "2rm", "4rm" or "pinfin"
  double height_um = 0, channel_um = 0, wall_um = 0;
  double flow_ml_per_min = 0;
  double htc_top = 0, htc_bottom = 0, htc_side = 0;
  double vhc = 0, T_in_K = 0;
  double pin_diameter_um = 0, pin_pitch_um = 0, darcy_um_per_s = 0;
  bool staggered = false;
  std::string material;
  SourceLocation where, material_where;
};

struct StackElement {
  enum class Kind { layer, die, channel } kind = Kind::layer;
  std::string id;
  SourceLocation where;
  LayerDef layer;         ///< layer elements
  std::string die;        ///< die elements: the die's name
  std::string floorplan;  ///< die elements: the path as written
  SourceLocation floorplan_where;
  double discr_x = 0, discr_y = 0;  ///< `discretization X Y`: cells across the chip (0: none)
};

/// An `output :` request `T ( DIE , X , Y , "file" , step|slot|final ) ;`: the temperature of
/// the thermal cell holding (x, y) in the die's source layer.
struct OutputPoint {
  std::string die;
  double x_um = 0, y_um = 0;
  bool each_step = false;  ///< `step` (else `slot` or `final`)
  SourceLocation where;
};

/// An output request other than T ( ... ): Tflp, Tflpel, Tmap, T3d, Tcoolant, ... (not imported).
struct OtherOutput {
  std::string kind;    ///< the keyword, e.g. "Tmap"
  std::string target;  ///< its first argument (a die, DIE.ELEMENT or a channel)
  SourceLocation where;
};

struct Stack {
  std::map<std::string, Material> materials;
  std::optional<Sink> top, bottom;
  double chip_length = 0, chip_width = 0, cell_length = 0, cell_width = 0;
  bool has_dimensions = false;
  std::map<std::string, LayerDef> layers;  ///< 4.0 `layer NAME :` declarations
  std::map<std::string, Die> dies;
  std::optional<Cavity> cavity;        ///< the one channel section, if any
  std::vector<StackElement> elements;  ///< top first
  bool has_stack = false;
  bool transient = false;
  double step_s = 0, slot_s = 0;  ///< transient: time step and power slot
  double initial_T_K = 300;       ///< solver's initial temperature
  bool has_output = false;
  std::vector<OutputPoint> output_points;  ///< the T (...) requests; other outputs are skipped
  std::vector<OtherOutput> other_outputs;  ///< Tflp, Tflpel, Tmap, T3d, ... (not imported)
  bool nonuniform = false, discretization = false;
};

// --- floorplans ---------------------------------------------------------------------------

struct Rect {
  double x = 0, y = 0, length = 0, width = 0;  ///< µm: south-west corner, extent along x, y
  SourceLocation where;
};

struct Element {
  std::string name;
  std::vector<Rect> rects;
  std::string material;  ///< empty: the source layer's
  SourceLocation where, material_where;
  std::vector<double> power_W;      ///< one per time slot
  double discr_x = 0, discr_y = 0;  ///< `discretization X, Y`: cells across it (0: none)
};

/// The declared material names, ", "-separated.
inline std::string list_keys(const std::map<std::string, Material>& m) {
  std::string out;
  for (const auto& [k, v] : m) out += (out.empty() ? "" : ", ") + k;
  return out;
}

}  // namespace cposim::cases::import_detail::ice
