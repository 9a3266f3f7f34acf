#pragma once
/// \file
/// Writes a run's results as one HDF5 file with a fixed layout plus an XDMF sidecar that
/// ParaView opens. The layout is documented below and in postproc/LAYOUT.md.
///
/// HDF5 layout (results_layout_version 2). Every dataset is little-endian; fields are C-order
/// (nz, ny, nx), i.e. x fastest, which is the cell order of mesh::RectilinearGrid:
///
///     /                       attributes: results_layout_version (int64 = 2) and the
///                             caller's string, real (float64) and integer (int64) attributes
///     /<text>                 scalar fixed-length string dataset per TextDataset (e.g.
///                             /resolved_case): long text, which an attribute cannot hold
///     /mesh/x_nodes_m         float64 (nx+1)   node coordinates, metres
///     /mesh/y_nodes_m         float64 (ny+1)
///     /mesh/z_nodes_m         float64 (nz+1)
///     /fields/<name>          float64 (nz, ny, nx) per cell field; int32 for label fields;
///                             the name carries the unit, e.g. temperature_K
///     /regions/               table, one row per region:
///                               name, num_cells (int64), volume_m3, power_W, T_max_K,
///                               T_mean_K, T_min_K, T_max_x_m, T_max_y_m, T_max_z_m
///     /probes/                table, one row per probe:
///                               name, x_m, y_m, z_m, T_K, cell_index (int64, x fastest)
///     /materials/             table, one row per material:
///                               name, kx_W_per_mK, ky_W_per_mK, kz_W_per_mK, rho_kg_per_m3,
///                               cp_J_per_kgK, source
///     /polylines/<set>/       points_m (n×3), segments (m×2 int64), one float64 (m) per
///                             segment value; the group always exists, possibly empty
///     /<group>/<table>        further tables (ResultsTable), e.g. /photonics/rings
///     /time_series/           transient runs only: times_s and one field per output time
///                             (postproc/io/time_series.hpp); the sidecar is then temporal
///
/// A table is a group of parallel 1-D datasets (one per column, all the same length, strings
/// fixed-length) with the attributes "columns" (comma-separated names, in order) and
/// "num_rows" (int64). The three table groups always exist, possibly with zero rows.
///
/// Sidecar `<stem>.xmf` (Xdmf 3.0): one uniform grid with a 3DRectMesh topology whose
/// Dimensions count points slowest axis first ("nz+1 ny+1 nx+1"), VXVYVZ geometry from
/// /mesh/*_nodes_m, and one cell-centred scalar Attribute per field and label field
/// (DataItem Dimensions "nz ny nx"). The HDF5 file is named relative to the .xmf (file name
/// only), so the pair can be moved together.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "mesh/cell_field.hpp"
#include "mesh/rectilinear_grid.hpp"
#include "postproc/fields/probes.hpp"
#include "postproc/fields/region_statistics.hpp"
#include "postproc/io/field_block.hpp"
#include "postproc/io/hdf5_file.hpp"
#include "postproc/io/time_series.hpp"

namespace cposim::postproc {

/// One row of the material table. Plain data, so postproc needs no materials/ header.
struct MaterialRow {
  std::string name;
  std::array<double, 3> k_W_per_mK{};  ///< kx, ky, kz in W/(m K), at the reference temperature
  double rho_kg_per_m3 = 0.0;
  double cp_J_per_kgK = 0.0;
  std::string source;  ///< where the values come from, e.g. "built-in, physics.md §1.1 (L)"
};

/// A per-cell integer field (e.g. region_id), written as int32 and shown by ParaView as a
/// cell array like any other field.
struct LabelField {
  std::string name;
  std::vector<std::int32_t> values;  ///< one per cell, x fastest
};

/// A string attribute on "/" (e.g. version, git hash, solver, title). At most
/// kMaxStringAttributeBytes: long text is a TextDataset.
struct StringAttribute {
  std::string name;
  std::string value;  ///< text without NUL bytes; stored fixed-length, ASCII or UTF-8
};

/// A text written as a scalar string dataset /<name> (e.g. the resolved case): unlike an
/// attribute, no size limit.
struct TextDataset {
  std::string name;  ///< [A-Za-z0-9_.-]+, not a group name of the layout
  std::string text;  ///< any text without NUL bytes; stored fixed-length, ASCII or UTF-8
};

/// A float64 attribute on "/"; the name carries the unit (e.g. energy_imbalance_W).
struct RealAttribute {
  std::string name;
  double value = 0.0;
};

/// An int64 attribute on "/" (e.g. picard_iterations, num_cells).
struct IntegerAttribute {
  std::string name;
  std::int64_t value = 0;
};

/// A table outside the fixed ones (e.g. /photonics/rings, /electrical/lanes): written as the
/// group `group` (created once, shared by tables with the same group) holding the table
/// `name` in the same parallel-column form as /regions.
struct ResultsTable {
  std::string group;  ///< e.g. "electrical"; must not be mesh, fields, regions, probes, materials
  std::string name;   ///< e.g. "lanes"
  std::vector<Hdf5Column> columns;
};

/// Line segments drawn together with the grid (waveguides, lane routes, device outlines).
/// Stored under /polylines/<name>/ as points_m (n_points × 3), segments (n_segments × 2,
/// int64 point indices) and one float64 dataset per segment value; described by its own
/// XDMF sidecar `<stem>_<name>.xmf` (Polyline topology, 2 nodes per element) so ParaView
/// opens it next to the grid.
struct PolylineSet {
  std::string name;  ///< [A-Za-z0-9_.-]+
  std::vector<std::array<double, 3>> points_m;
  std::vector<std::array<std::int64_t, 2>> segments;  ///< indices into points_m
  /// Per-segment scalars, e.g. {"T_K", …}, {"lane", …}; each has one value per segment.
  std::vector<std::pair<std::string, std::vector<double>>> segment_values;
};

/// Everything write_results writes. Plain data: the grid is lent (it must outlive the call),
/// everything else is owned. Move large fields in (`std::move`) to avoid copies.
struct ResultsContent {
  const mesh::RectilinearGrid* grid = nullptr;  ///< lent; every field must live on this grid
  std::vector<mesh::CellField> fields;          ///< written to /fields/<name> as float64
  std::vector<LabelField> label_fields;         ///< written to /fields/<name> as int32
  std::vector<RegionStatistics> regions;        ///< /regions table, in this order
  std::vector<ProbeReading> probes;             ///< /probes table, in this order
  std::vector<MaterialRow> materials;           ///< /materials table, in this order
  std::vector<ResultsTable> tables;             ///< further tables, /<group>/<name>
  std::vector<PolylineSet> polylines;           ///< /polylines/<name> + their own sidecars
  std::vector<TextDataset> texts;               ///< /<name>, scalar string datasets
  std::vector<StringAttribute> string_attributes;
  std::vector<RealAttribute> real_attributes;
  std::vector<IntegerAttribute> integer_attributes;
  /// Fields over time (a transient run): written to /time_series, and the sidecar becomes an
  /// XDMF temporal collection of them plus the label fields (postproc/io/time_series.hpp).
  TimeSeries time_series;
};

/// Name of the layout-version attribute that write_results puts on "/" (reserved).
inline constexpr const char* results_layout_version_attribute = "results_layout_version";
/// Version of the layout described in this header.
/// 2: the resolved case is the dataset /resolved_case (was an attribute) and the
/// region_names attribute is gone (/regions/name holds the names, row r = region id r).
inline constexpr std::int64_t results_layout_version = 2;

/// The sidecar path for `h5_path`: the same path with the extension replaced by ".xmf".
std::string xdmf_sidecar_path(const std::string& h5_path);
/// The sidecar of polyline set `set_name`: `<stem>_<set_name>.xmf` beside `h5_path`.
std::string polyline_sidecar_path(const std::string& h5_path, const std::string& set_name);

/// Writes `content` to `h5_path` in the layout above, then the XDMF sidecar
/// xdmf_sidecar_path(h5_path).
///
/// Both files are first written in full to temporaries in the same directory
/// (`<file>.tmp-<pid>`) and then renamed over the final names, .h5 first, so a reader never
/// sees a half-written file. On any failure the temporaries are removed and the previous
/// files are left as they were; only if the final rename of the .xmf fails after the .h5 was
/// replaced is the old .xmf removed as well, so that no sidecar describes a file it does not
/// match.
///
/// Throws std::invalid_argument, before touching the file system, if the grid is null, a
/// field is on another grid or has the wrong size, a field or text name is empty, repeats or has
/// a character outside [A-Za-z0-9_.-], a text name is a group of the layout, an attribute name
/// is empty, repeats or is reserved, a string attribute is longer than
/// kMaxStringAttributeBytes, a string contains a NUL byte, the file name contains ':' or white
/// space (XDMF cannot refer to it), or `h5_path` ends in ".xmf". Throws std::runtime_error naming
/// the file if writing or renaming fails (e.g. the directory does not exist or is not writable).
void write_results(const std::string& h5_path, const ResultsContent& content);

/// write_results from every rank of the communicator `block.mpi_comm_f` (collective): the same
/// files, layout and content as the serial write of the whole fields. Every field, label field
/// and time-series array of `content` holds this rank's `block` only (block.num_cells() values,
/// x fastest inside the block); everything else is the same on every rank. The .h5 is written
/// through MPI-IO (each rank its hyperslab of /fields/<name> and /time_series, collective
/// transfer; small datasets by rank 0), the sidecars by rank 0, and the temporaries are named
/// by rank 0's pid.
///
/// Outcomes are agreed: validation, then the HDF5 file, then the sidecars and renames; if a step
/// fails on any rank, every rank throws the lowest failing rank's exception (its kind and
/// message, with " (rank r)" appended) and nothing is renamed into place. Throws
/// std::invalid_argument as write_results, or if the block is not whole z columns inside the
/// grid or `h5_path` is not rank 0's; std::runtime_error if the build has no parallel HDF5.
void write_results(const std::string& h5_path, const ResultsContent& content,
                   const FieldBlock& block);

}  // namespace cposim::postproc
