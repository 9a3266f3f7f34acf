/// \file
/// VTK XML writers: base64 inline binary arrays, .vtr / .vtp / .pvd, temp file + rename.
#include "postproc/io/vtk_writer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <stdexcept>
#include <type_traits>
#include <variant>

#include "postproc/io/atomic_file.hpp"
#include "postproc/io/base64.hpp"
#include "postproc/io/field_block.hpp"
#include "postproc/io/xml_text.hpp"

namespace cposim::postproc {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void reject(const std::string& message) {
  throw std::invalid_argument("VTK writer: " + message);
}

bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '.' || c == '-';
}

void check_name(const std::string& name, const std::string& what, std::set<std::string>& seen) {
  if (name.empty() || !std::all_of(name.begin(), name.end(), is_name_char))
    reject(what + " '" + name + "' must be non-empty and use only [A-Za-z0-9_.-]");
  if (!seen.insert(name).second) reject(what + " '" + name + "' appears twice");
}

// ---- little-endian bytes of the VTK types ---------------------------------------------------

template <typename T>
void append_le(std::vector<std::uint8_t>& bytes, T value) {
  static_assert(std::is_arithmetic_v<T>);
  using U = std::conditional_t<sizeof(T) == 8, std::uint64_t,
                               std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint8_t>>;
  static_assert(sizeof(U) == sizeof(T));
  U bits;
  std::memcpy(&bits, &value, sizeof bits);
  for (std::size_t b = 0; b < sizeof bits; ++b)
    bytes.push_back(static_cast<std::uint8_t>(bits >> (8 * b)));
}

template <typename T>
const char* vtk_type_name() {
  if constexpr (std::is_same_v<T, double>) return "Float64";
  if constexpr (std::is_same_v<T, std::int32_t>) return "Int32";
  if constexpr (std::is_same_v<T, std::int64_t>) return "Int64";
  if constexpr (std::is_same_v<T, std::uint8_t>) return "UInt8";
}

bool host_is_little_endian() {
  const std::uint16_t one = 1;
  std::uint8_t first = 0;
  std::memcpy(&first, &one, 1);
  return first == 1;
}

/// Appends the opening of a binary `<DataArray …>` of `num_values` values of type T,
/// `components` per tuple, to `x`, with base64 of its UInt64 byte count (padded on its own):
/// the data follows as one Base64Stream, then data_array_end.
template <typename T>
void data_array_start(std::string& x, const std::string& name, std::size_t num_values,
                      int components = 1) {
  x += "<DataArray type=\"" + std::string(vtk_type_name<T>()) + "\" Name=\"" + xml_escaped(name) +
       "\"";
  if (components != 1) x += " NumberOfComponents=\"" + std::to_string(components) + "\"";
  x += " format=\"binary\">\n";
  std::vector<std::uint8_t> header;
  append_le(header, static_cast<std::uint64_t>(num_values * sizeof(T)));
  append_base64(x, header.data(), header.size());
}

void data_array_end(std::string& x) { x += "\n</DataArray>\n"; }

/// Feeds `size` values at `values` to `stream` as little-endian bytes, straight from memory on a
/// little-endian host (the common case: the memory already is the file's bytes).
template <typename T>
void add_values(Base64Stream& stream, const T* values, std::size_t size) {
  if (host_is_little_endian()) {
    stream.add(reinterpret_cast<const std::uint8_t*>(values), size * sizeof(T));
    return;
  }
  std::vector<std::uint8_t> bytes;
  bytes.reserve(size * sizeof(T));
  for (std::size_t i = 0; i < size; ++i) append_le(bytes, values[i]);
  stream.add(bytes.data(), bytes.size());
}

/// Appends `<DataArray …>` of numeric values, `components` per tuple, to `x`: base64(UInt64
/// byte count) + base64(data).
template <typename T>
void append_data_array(std::string& x, const std::string& name, const std::vector<T>& values,
                       int components = 1) {
  data_array_start<T>(x, name, values.size(), components);
  Base64Stream stream(x);
  add_values(stream, values.data(), values.size());
  stream.finish();
  data_array_end(x);
}

/// `<DataArray type="String" format="ascii">`: every byte of every string as a decimal number,
/// each string ended by 0 (how vtkXMLWriter writes a vtkStringArray in ASCII), 16 strings per
/// line. Not binary: VTK 9.2's reader (ParaView 5.11) crashes on inline binary string arrays
/// beyond about 1 KB (issue 23; the flagship's 256-ring table, checked with real ParaView by
/// tests/paraview/check_case_in_paraview.sh). A NUL inside a string becomes a space.
std::string string_array(const std::string& name, const std::vector<std::string>& values) {
  std::string x = "<DataArray type=\"String\" Name=\"" + xml_escaped(name) +
                  "\" NumberOfTuples=\"" + std::to_string(values.size()) + "\" format=\"ascii\">\n";
  std::size_t n = 0;
  for (const auto& v : values) {
    for (const char c : v) {
      x += std::to_string(c == '\0' ? 32 : static_cast<unsigned char>(c));
      x += ' ';
    }
    x += ++n % 16 == 0 || n == values.size() ? "0\n" : "0 ";
  }
  return x + "</DataArray>\n";
}

void append_column_array(std::string& x, const Hdf5Column& column) {
  std::visit(
      [&](const auto& values) {
        using V = typename std::decay_t<decltype(values)>::value_type;
        if constexpr (std::is_same_v<V, std::string>)
          x += string_array(column.name, values);
        else
          append_data_array(x, column.name, values);
      },
      column.values);
}

std::size_t column_size(const Hdf5Column& column) {
  return std::visit([](const auto& values) { return values.size(); }, column.values);
}

std::string file_head(const char* type) {
  return std::string("<?xml version=\"1.0\"?>\n<VTKFile type=\"") + type +
         "\" version=\"1.0\" byte_order=\"LittleEndian\" header_type=\"UInt64\">\n";
}

/// `block`: the cells this rank holds (a write from N ranks), or null (the whole grid).
void check_grid_fields(const mesh::RectilinearGrid& grid,
                       const std::vector<mesh::CellField>& fields,
                       const std::vector<LabelField>& label_fields,
                       const FieldBlock* block = nullptr) {
  if (block != nullptr) check_block(grid.cells_per_axis(), *block, "VTK writer");
  const std::size_t cells = block == nullptr ? grid.num_cells() : block->num_cells();
  std::set<std::string> names;
  for (const auto& f : fields) {
    check_name(f.name, "field name", names);
    if (f.grid != &grid) reject("field '" + f.name + "' is on another grid");
    if (f.values.size() != cells)
      reject("field '" + f.name + "' has " + std::to_string(f.values.size()) + " values for " +
             std::to_string(cells) + " cells");
  }
  for (const auto& f : label_fields) {
    check_name(f.name, "field name", names);
    if (f.values.size() != cells)
      reject("label field '" + f.name + "' has " + std::to_string(f.values.size()) +
             " values for " + std::to_string(cells) + " cells");
  }
}

void check_polylines(const PolylineSet& set) {
  for (const auto& seg : set.segments)
    for (const std::int64_t p : seg)
      if (p < 0 || static_cast<std::size_t>(p) >= set.points_m.size())
        reject("polyline set '" + set.name + "' has a segment with a bad point index");
  std::set<std::string> names;
  for (const auto& [name, values] : set.segment_values) {
    check_name(name, "polyline value name", names);
    if (values.size() != set.segments.size())
      reject("polyline value '" + name + "' of set '" + set.name + "' needs one value per segment");
  }
}

void check_points(const PointSet& set) {
  std::set<std::string> names;
  for (const auto& column : set.point_values) {
    check_name(column.name, "point value name", names);
    if (column_size(column) != set.points_m.size())
      reject("point value '" + column.name + "' of set '" + set.name + "' has " +
             std::to_string(column_size(column)) + " values for " +
             std::to_string(set.points_m.size()) + " points");
  }
}

std::vector<double> flat_points(const std::vector<std::array<double, 3>>& points) {
  std::vector<double> xyz;
  xyz.reserve(3 * points.size());
  for (const auto& p : points) xyz.insert(xyz.end(), p.begin(), p.end());
  return xyz;
}

/// A .vtr up to its first cell array (appended to `x`).
void append_vtr_head(std::string& x, const mesh::RectilinearGrid& grid,
                     const std::vector<mesh::CellField>& fields,
                     const std::vector<std::string>& region_names) {
  const auto [nx, ny, nz] = grid.cells_per_axis();
  const std::string extent =
      "0 " + std::to_string(nx) + " 0 " + std::to_string(ny) + " 0 " + std::to_string(nz);
  x += file_head("RectilinearGrid");
  x += "<RectilinearGrid WholeExtent=\"" + extent + "\">\n";
  if (!region_names.empty())
    x += "<FieldData>\n" + string_array("region_names", region_names) + "</FieldData>\n";
  x += "<Piece Extent=\"" + extent + "\">\n<PointData>\n</PointData>\n<CellData";
  if (!fields.empty()) x += " Scalars=\"" + xml_escaped(fields.front().name) + "\"";
  x += ">\n";
}

/// A .vtr after its last cell array: the coordinates and the closing tags.
void append_vtr_tail(std::string& x, const mesh::RectilinearGrid& grid) {
  x += "</CellData>\n<Coordinates>\n";
  append_data_array(x, "x_m", grid.nodes(0));
  append_data_array(x, "y_m", grid.nodes(1));
  append_data_array(x, "z_m", grid.nodes(2));
  x += "</Coordinates>\n</Piece>\n</RectilinearGrid>\n</VTKFile>\n";
}

std::string vtr_text(const mesh::RectilinearGrid& grid, const std::vector<mesh::CellField>& fields,
                     const std::vector<LabelField>& label_fields,
                     const std::vector<std::string>& region_names) {
  const auto [nx, ny, nz] = grid.cells_per_axis();
  std::string x;
  // The base64 text of every array, reserved once: the file is built without reallocation.
  const std::size_t n = grid.num_cells();
  x.reserve((n * (sizeof(double) * fields.size() + sizeof(std::int32_t) * label_fields.size()) +
             sizeof(double) * (nx + ny + nz + 3)) /
                3 * 4 +
            1024 * (fields.size() + label_fields.size() + 8 + region_names.size()));
  append_vtr_head(x, grid, fields, region_names);
  for (const auto& f : fields) append_data_array(x, f.name, f.values);
  for (const auto& f : label_fields) append_data_array(x, f.name, f.values);
  append_vtr_tail(x, grid);
  return x;
}

/// The end of a PolyData file: the points, one block of cells (`Lines` or `Verts`) and the
/// closing tags.
void append_points_and_cells(std::string& x, const std::vector<std::array<double, 3>>& points_m,
                             const char* block, const std::vector<std::int64_t>& connectivity,
                             const std::vector<std::int64_t>& offsets) {
  x += "<Points>\n";
  append_data_array(x, "points_m", flat_points(points_m), 3);
  x += fmt::format("</Points>\n<{}>\n", block);
  append_data_array(x, "connectivity", connectivity);
  append_data_array(x, "offsets", offsets);
  x += fmt::format("</{}>\n</Piece>\n</PolyData>\n</VTKFile>\n", block);
}

std::string polylines_text(const PolylineSet& set) {
  std::vector<std::int64_t> connectivity, offsets;
  for (const auto& seg : set.segments) {
    connectivity.insert(connectivity.end(), seg.begin(), seg.end());
    offsets.push_back(static_cast<std::int64_t>(connectivity.size()));
  }
  std::string x = file_head("PolyData");
  x += "<PolyData>\n<Piece NumberOfPoints=\"" + std::to_string(set.points_m.size()) +
       "\" NumberOfVerts=\"0\" NumberOfLines=\"" + std::to_string(set.segments.size()) +
       "\" NumberOfStrips=\"0\" NumberOfPolys=\"0\">\n<PointData>\n</PointData>\n<CellData>\n";
  for (const auto& [name, values] : set.segment_values) append_data_array(x, name, values);
  x += "</CellData>\n";
  append_points_and_cells(x, set.points_m, "Lines", connectivity, offsets);
  return x;
}

std::string points_text(const PointSet& set) {
  const std::size_t n = set.points_m.size();
  std::vector<std::int64_t> connectivity(n), offsets(n);
  for (std::size_t i = 0; i < n; ++i) {
    connectivity[i] = static_cast<std::int64_t>(i);
    offsets[i] = static_cast<std::int64_t>(i + 1);
  }
  std::string x = file_head("PolyData");
  x += "<PolyData>\n<Piece NumberOfPoints=\"" + std::to_string(n) + "\" NumberOfVerts=\"" +
       std::to_string(n) +
       "\" NumberOfLines=\"0\" NumberOfStrips=\"0\" NumberOfPolys=\"0\">\n<PointData>\n";
  for (const auto& column : set.point_values) append_column_array(x, column);
  x += "</PointData>\n<CellData>\n</CellData>\n";
  append_points_and_cells(x, set.points_m, "Verts", connectivity, offsets);
  return x;
}

std::string format_time(double t) { return fmt::format("{:.17g}", t); }

/// `<stem>` of `<dir>/<stem>.vtr`, and the sibling `<dir>/<stem><suffix>`.
fs::path sibling(const fs::path& vtr, const std::string& suffix) {
  return vtr.parent_path() / (vtr.stem().string() + suffix);
}

}  // namespace

void write_vtr(const std::string& path, const mesh::RectilinearGrid& grid,
               const std::vector<mesh::CellField>& fields,
               const std::vector<LabelField>& label_fields,
               const std::vector<std::string>& region_names) {
  check_grid_fields(grid, fields, label_fields);
  write_file_atomically(path, vtr_text(grid, fields, label_fields, region_names));
}

void write_vtp_polylines(const std::string& path, const PolylineSet& set) {
  check_polylines(set);
  write_file_atomically(path, polylines_text(set));
}

void write_vtp_points(const std::string& path, const PointSet& set) {
  check_points(set);
  write_file_atomically(path, points_text(set));
}

void write_pvd(const std::string& path, const std::vector<PvdDataSet>& datasets) {
  std::string x =
      "<?xml version=\"1.0\"?>\n<VTKFile type=\"Collection\" version=\"1.0\" "
      "byte_order=\"LittleEndian\" header_type=\"UInt64\">\n<Collection>\n";
  for (const auto& d : datasets) {
    if (d.file.empty()) reject("a .pvd data set has an empty file name");
    if (!std::isfinite(d.time_s)) reject("the time of '" + d.file + "' is not finite");
    x += "  <DataSet timestep=\"" + format_time(d.time_s) + "\" group=\"\" part=\"" +
         std::to_string(d.part) + "\" file=\"" + xml_escaped(d.file) + "\"";
    if (!d.name.empty()) x += " name=\"" + xml_escaped(d.name) + "\"";
    x += "/>\n";
  }
  x += "</Collection>\n</VTKFile>\n";
  write_file_atomically(path, x);
}

std::optional<PointSet> table_points(const ResultsTable& table) {
  const std::vector<double>*xs = nullptr, *ys = nullptr, *zs = nullptr;
  for (const auto& c : table.columns) {
    const auto* values = std::get_if<std::vector<double>>(&c.values);
    if (c.name == "x_m") xs = values;
    if (c.name == "y_m") ys = values;
    if (c.name == "z_m") zs = values;
  }
  if (xs == nullptr || ys == nullptr || zs == nullptr) return std::nullopt;
  if (xs->size() != ys->size() || xs->size() != zs->size())
    reject("table '" + table.group + "/" + table.name +
           "' has coordinate columns of different "
           "lengths");
  std::vector<std::size_t> rows;
  PointSet set;
  set.name = table.group + "_" + table.name;
  for (std::size_t r = 0; r < xs->size(); ++r) {
    const std::array<double, 3> p{(*xs)[r], (*ys)[r], (*zs)[r]};
    if (!std::isfinite(p[0]) || !std::isfinite(p[1]) || !std::isfinite(p[2])) continue;
    rows.push_back(r);
    set.points_m.push_back(p);
  }
  std::vector<std::int64_t> row_index(rows.begin(), rows.end());
  set.point_values.push_back({"row", std::move(row_index)});
  for (const auto& c : table.columns) {
    if (c.name == "x_m" || c.name == "y_m" || c.name == "z_m" || c.name == "row") continue;
    Hdf5Column picked{c.name, {}};
    std::visit(
        [&](const auto& values) {
          std::decay_t<decltype(values)> kept;
          for (const std::size_t r : rows)
            if (r < values.size()) kept.push_back(values[r]);
          if (kept.size() != rows.size())
            reject("column '" + c.name + "' of table '" + table.group + "/" + table.name +
                   "' is shorter than its coordinates");
          picked.values = std::move(kept);
        },
        c.values);
    set.point_values.push_back(std::move(picked));
  }
  return set;
}

namespace {

/// The parts of write_vtk_results beside the .vtr, checked before the first file is written.
struct VtkParts {
  std::vector<const PolylineSet*> polylines;
  std::vector<PointSet> point_sets;
};

VtkParts checked_vtk_parts(const std::string& vtr_path, const ResultsContent& content,
                           const FieldBlock* block) {
  if (content.grid == nullptr) reject("the grid is null");
  if (fs::path(vtr_path).extension() != ".vtr") reject("'" + vtr_path + "' does not end in .vtr");
  check_grid_fields(*content.grid, content.fields, content.label_fields, block);
  VtkParts parts;
  std::set<std::string> part_names;
  for (const auto& set : content.polylines) {
    check_name(set.name, "polyline set name", part_names);
    check_polylines(set);
    if (!set.segments.empty()) parts.polylines.push_back(&set);
  }
  for (const auto& table : content.tables) {
    auto set = table_points(table);
    if (!set) continue;
    check_name(set->name, "point set name", part_names);
    check_points(*set);
    if (!set->points_m.empty()) parts.point_sets.push_back(std::move(*set));
  }
  return parts;
}

std::vector<std::string> region_names_of(const ResultsContent& content) {
  std::vector<std::string> names;
  for (const auto& r : content.regions) names.push_back(r.name);
  return names;
}

/// Writes the .vtp parts and the .pvd beside the (already written) .vtr; returns all paths.
std::vector<std::string> write_vtk_parts(const fs::path& vtr, const VtkParts& vtk) {
  std::vector<std::string> written{vtr.string()};
  std::vector<PvdDataSet> parts{{0.0, vtr.filename().string(), 0, "grid"}};
  for (const auto* set : vtk.polylines) {
    const fs::path path = sibling(vtr, "_" + set->name + ".vtp");
    write_file_atomically(path.string(), polylines_text(*set));
    written.push_back(path.string());
    parts.push_back({0.0, path.filename().string(), static_cast<int>(parts.size()), set->name});
  }
  for (const auto& set : vtk.point_sets) {
    const fs::path path = sibling(vtr, "_" + set.name + ".vtp");
    write_file_atomically(path.string(), points_text(set));
    written.push_back(path.string());
    parts.push_back({0.0, path.filename().string(), static_cast<int>(parts.size()), set.name});
  }
  const fs::path pvd = sibling(vtr, ".pvd");
  write_pvd(pvd.string(), parts);
  written.push_back(pvd.string());
  return written;
}

/// Rank 0's end of a .vtr streamed from the ranks: the text not yet written, flushed to the
/// file in pieces of about 4 MB.
struct VtrOutput {
  std::string text;
  std::ofstream file;
  void flush(std::size_t at_least) {
    if (text.size() < at_least) return;
    file.write(text.data(), static_cast<std::streamsize>(text.size()));
    text.clear();
  }
};

/// One cell array of a .vtr gathered a z-plane at a time from the ranks' blocks; `out` is null
/// on the ranks other than 0.
template <typename T>
void stream_cell_array(VtrOutput* out, const std::string& name, const std::vector<T>& block_values,
                       const FieldBlock& block, const std::array<std::size_t, 3>& n) {
  PlaneGather<T> gather(block, n[0], n[1]);
  std::vector<T> plane;
  if (out) data_array_start<T>(out->text, name, n[0] * n[1] * n[2]);
  std::string unused;
  Base64Stream stream(out ? out->text : unused);
  for (std::size_t k = 0; k < n[2]; ++k) {
    gather.gather(block_values, k, plane);
    if (!out) continue;
    add_values(stream, plane.data(), plane.size());
    out->flush(std::size_t{1} << 22);
  }
  if (!out) return;
  stream.finish();
  data_array_end(out->text);
}

/// The .vtr of `content` from every rank (collective): rank 0 writes the text of write_vtr,
/// gathering each field a z-plane at a time, so it never holds a 3-D field.
void write_vtr_blocks(const std::string& path, const ResultsContent& content,
                      const FieldBlock& block) {
  const int comm = block.mpi_comm_f;
  const bool root = rank_in(comm) == 0;
  std::unique_ptr<PendingFile> pending;
  VtrOutput output;
  VtrOutput* out = root ? &output : nullptr;
  run_agreed(comm, [&] {
    if (!root) return;
    pending = std::make_unique<PendingFile>(path);
    output.file.open(pending->temp_path(), std::ios::binary | std::ios::trunc);
    if (!output.file) throw std::runtime_error("VTK writer: cannot write '" + path + "'");
  });
  const auto& grid = *content.grid;
  if (out) append_vtr_head(out->text, grid, content.fields, region_names_of(content));
  for (const auto& f : content.fields)
    stream_cell_array(out, f.name, f.values, block, grid.cells_per_axis());
  for (const auto& f : content.label_fields)
    stream_cell_array(out, f.name, f.values, block, grid.cells_per_axis());
  run_agreed(comm, [&] {
    if (!root) return;
    append_vtr_tail(output.text, grid);
    output.flush(0);
    output.file.close();
    if (!output.file) throw std::runtime_error("VTK writer: cannot write '" + path + "'");
    pending->commit();
  });
}

}  // namespace

std::vector<std::string> write_vtk_results(const std::string& vtr_path,
                                           const ResultsContent& content) {
  const VtkParts parts = checked_vtk_parts(vtr_path, content, nullptr);
  write_vtr(vtr_path, *content.grid, content.fields, content.label_fields,
            region_names_of(content));
  return write_vtk_parts(fs::path(vtr_path), parts);
}

std::vector<std::string> write_vtk_results(const std::string& vtr_path,
                                           const ResultsContent& content, const FieldBlock& block) {
  const int comm = block.mpi_comm_f;
  VtkParts parts;
  const std::string path_on_rank0 = broadcast_text(comm, vtr_path);
  run_agreed(comm, [&] {
    if (vtr_path != path_on_rank0)
      reject("'" + vtr_path + "' is not the path rank 0 writes, '" + path_on_rank0 + "'");
    parts = checked_vtk_parts(vtr_path, content, &block);
  });
  write_vtr_blocks(vtr_path, content, block);
  std::vector<std::string> written;
  run_agreed(comm, [&] {
    if (rank_in(comm) == 0) written = write_vtk_parts(fs::path(vtr_path), parts);
  });
  return written;
}

}  // namespace cposim::postproc
