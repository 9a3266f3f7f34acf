#pragma once
/// \file
/// Internal to the HotSpot importer: reading HotSpot's power traces (.ptrace), floorplans (.flp),
/// layer configuration files (.lcf) and materials files. Not part of the library's public API. The
/// formats are described in cases/import/import_hotspot.cpp and cases/README.md.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cases/import/import_text.hpp"
#include "cases/spec/case_error.hpp"

namespace cposim::cases::import_detail {

/// Two floorplan edges closer than this (m) touch; HotSpot's own tolerance is similar
/// (util.c, eq() at 1e-5 relative on grid cell fractions).
inline constexpr double kTouch_m = 1e-9;

SourceLocation at(const std::string& file, int line, int column);

/// A word of a line as a number; `what` names the field in the message.
double number_at(const std::string& file, const Line& line, std::size_t index,
                 const std::string& what);
/// As number_at, and > 0 (`unit` is named in the message).
double positive_at(const std::string& file, const Line& line, std::size_t index,
                   const std::string& what, const std::string& unit);

struct Unit {
  std::string name;
  double width_m = 0, height_m = 0, left_m = 0, bottom_m = 0;
  std::optional<double> specific_heat, resistivity;  ///< J/(m³ K), m K/W
  SourceLocation where;
};

struct Floorplan {
  std::string path;
  std::vector<Unit> units;
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;  ///< bounding box, m
  double snapped_m = 0;  ///< the largest distance an edge moved when snapping (0: none moved)
};

/// Reads a floorplan; edges closer than `snap_m` (at least kTouch_m) are snapped together (the
/// outline is kept), then units must not overlap.
Floorplan read_flp(const std::string& path, double snap_m);

/// An entry of a HotSpot materials file (materials.c: name, solid|fluid, k W/(m K),
/// c_v J/(m³ K), and for a fluid the dynamic viscosity Pa s).
struct HotSpotMaterial {
  std::string name;
  bool fluid = false;
  double k_W_per_mK = 0, specific_heat = 0;
  double viscosity_Pa_s = 0;  ///< fluids only
  SourceLocation where;
};

struct MaterialsFile {
  std::string path;  ///< empty: none given
  std::map<std::string, HotSpotMaterial> by_name;
  /// The material called `name` (a word at `where`); throws a CaseError naming the file and
  /// the known names when there is none (or no materials file was given).
  const HotSpotMaterial& find(const std::string& name, const SourceLocation& where) const;
};

MaterialsFile read_materials(const std::string& path);

struct Layer {
  int number = 0;
  bool lateral = true, power = true;
  double specific_heat = 0, resistivity = 0, thickness_m = 0;  ///< J/(m³ K), m K/W, m
  std::string material;      ///< the materials-file name, when the .lcf names one
  Floorplan flp;             ///< empty for a microchannel layer (`network`)
  SourceLocation where;      ///< the layer-number line
  SourceLocation flp_where;  ///< the floorplan-file line
  std::string network;       ///< a microchannel network (.csv), resolved; empty: none
};

/// Reads an .lcf: per layer its number, lateral heat flow Y/N, power dissipation Y/N, then
/// either specific heat and resistivity or the name of a material of `materials`, then the
/// thickness and the floorplan file (relative to the .lcf's folder). A microchannel network
/// (a `.csv` file in place of the floorplan) is kept as `network`, not read here (its cells
/// follow -grid_rows and -grid_cols: import_hotspot_microchannel.hpp).
/// Each floorplan is read as read_flp(…, snap_m).
std::vector<Layer> read_lcf(const std::string& path, const MaterialsFile& materials, double snap_m);

/// A power trace (.ptrace): a line of unit names, then one line of powers (W) per row.
struct Trace {
  std::vector<Word> names;
  int header_line = 0;
  std::vector<double> average_W;              ///< per name
  std::vector<std::vector<double>> values_W;  ///< per name, one value per row
  std::size_t rows = 0;
};

/// Reads a power trace; names must be distinct words, every row must give one power >= 0 W
/// per name, and there must be at least one row.
Trace read_ptrace(const std::string& path);

}  // namespace cposim::cases::import_detail
