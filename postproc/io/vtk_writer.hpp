#pragma once
/// \file
/// Writes results as VTK XML files (the documented format of VTK/ParaView) without linking
/// VTK: a rectilinear grid `.vtr` with the cell fields, `.vtp` poly data with the polylines
/// (waveguides, lane routes) and the located table rows (devices, hot spots) as points, and
/// `.pvd` collections (a run's parts, or a time series).
///
/// Encoding: every numeric DataArray is inline `format="binary"`: base64 of a UInt64 byte
/// count, followed by base64 of the little-endian data, each padded separately (what
/// vtkXMLWriter writes; `header_type="UInt64"`). String arrays are `format="ascii"` (each byte
/// as a number, each string ended by 0): ParaView 5.11 / VTK 9.2 crashes on inline binary
/// string arrays over about 1 KB. No `<AppendedData>`: ParaView 5.11 on an up-to-date
/// Debian 12 (libexpat 2.5.0-1+deb12u2) rejects appended data as "not well-formed". Files are
/// written to `<path>.tmp-<pid>` and renamed over `path`.
///
/// The files of write_vtk_results, beside `<stem>.vtr`:
///
///     <stem>.vtr               RectilinearGrid; CellData: every field (Float64) and label
///                              field (Int32) of ResultsContent, with the same names as in
///                              the HDF5 /fields group; FieldData region_names (String, row r
///                              = region id r) when there are regions
///     <stem>_<set>.vtp         PolyData, one line cell per segment of polyline set <set>;
///                              CellData: the segment values (Float64)
///     <stem>_<group>_<table>.vtp  PolyData, one vertex per row of a ResultsTable with
///                              columns x_m, y_m, z_m (rows with a non-finite coordinate are
///                              left out); PointData: every other column (Float64, Int32,
///                              Int64, String), plus `row` (Int64, the row in the HDF5 table)
///     <stem>.pvd               Collection naming all of the above as parts of time step 0,
///                              so ParaView opens them together

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "mesh/cell_field.hpp"
#include "mesh/rectilinear_grid.hpp"
#include "postproc/io/base64.hpp"  // base64_encode/decode, once declared here
#include "postproc/io/hdf5_file.hpp"
#include "postproc/io/results_writer.hpp"

namespace cposim::postproc {

/// Points with per-point values, written as a PolyData of vertices (devices, hot spots).
struct PointSet {
  std::string name;  ///< [A-Za-z0-9_.-]+
  std::vector<std::array<double, 3>> points_m;
  /// One column per point value, each with one entry per point (Hdf5Column's types).
  std::vector<Hdf5Column> point_values;
};

/// One `<DataSet>` of a .pvd collection.
/// A constructor rather than an aggregate, so `{time, file}` alone is complete.
struct PvdDataSet {
  PvdDataSet(double time, std::string file_name, int part_index = 0, std::string block_name = "")
      : time_s(time), file(std::move(file_name)), part(part_index), name(std::move(block_name)) {}
  double time_s;     ///< the `timestep` attribute, seconds
  std::string file;  ///< relative to the .pvd's folder (or absolute)
  int part;          ///< parts of one time step become blocks of a multiblock
  std::string name;  ///< optional block name ("" writes none)
};

/// Writes the grid and cell fields as a `.vtr`. Throws std::invalid_argument if a field is on
/// another grid, has the wrong size or a bad or repeated name ([A-Za-z0-9_.-]+), and
/// std::runtime_error naming the file if it cannot be written.
void write_vtr(const std::string& path, const mesh::RectilinearGrid& grid,
               const std::vector<mesh::CellField>& fields,
               const std::vector<LabelField>& label_fields = {},
               const std::vector<std::string>& region_names = {});

/// Writes one polyline set as a `.vtp` of line cells (one per segment). Throws as write_vtr
/// (bad point index, value count ≠ segment count).
void write_vtp_polylines(const std::string& path, const PolylineSet& set);

/// Writes a point set as a `.vtp` of vertices. Throws as write_vtr (a value column whose
/// length is not the number of points).
void write_vtp_points(const std::string& path, const PointSet& set);

/// Writes a `.pvd` collection, e.g. a transient series {{0.0, "T_0000.vtr"}, {1e-3,
/// "T_0001.vtr"}, …}. Throws std::invalid_argument if a file name is empty or a time is not
/// finite, std::runtime_error if the file cannot be written.
void write_pvd(const std::string& path, const std::vector<PvdDataSet>& datasets);

/// The located rows of `table` (float64 columns x_m, y_m, z_m) as a point set named
/// `<group>_<name>`, or nullopt if the table has no such columns.
std::optional<PointSet> table_points(const ResultsTable& table);

/// Writes `content` as the VTK set described in the file comment, with `vtr_path` =
/// `<stem>.vtr`. Returns the paths written, the .vtr first and the .pvd last. Each file is
/// renamed into place as soon as it is complete; on failure the files already renamed stay
/// (they are complete on their own) and std::runtime_error names the file that failed.
/// Throws std::invalid_argument, before writing anything, for bad content (as write_results)
/// or if two parts would get the same file name.
std::vector<std::string> write_vtk_results(const std::string& vtr_path,
                                           const ResultsContent& content);

/// write_vtk_results from every rank of the communicator `block.mpi_comm_f` (collective): the
/// same files, byte for byte, as the serial write of the whole fields. Every field and label
/// field of `content` holds this rank's `block` only (x fastest inside it); everything else is
/// the same on every rank. Rank 0 writes every file; it gathers each field one z-plane at a
/// time (nx·ny values) and encodes it as it goes, so no rank holds a 3-D field. Outcomes are
/// agreed (checks, the .vtr, the other parts): a failure on any rank throws on every rank, as
/// write_results with a block does; the .vtr is renamed into place only when complete. Returns
/// the paths written on rank 0, nothing on the other ranks.
std::vector<std::string> write_vtk_results(const std::string& vtr_path,
                                           const ResultsContent& content, const FieldBlock& block);

}  // namespace cposim::postproc
