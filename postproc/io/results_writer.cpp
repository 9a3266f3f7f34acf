/// \file
/// write_results: validation, the HDF5 layout, the XDMF sidecar, and temp-file + rename.
#include "postproc/io/results_writer.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <system_error>

#include "postproc/io/atomic_file.hpp"
#include "postproc/io/field_block.hpp"
#include "postproc/io/hdf5_file.hpp"
#include "postproc/io/xml_text.hpp"

namespace cposim::postproc {

namespace fs = std::filesystem;

namespace {

// ---- validation (std::invalid_argument, before any file is touched) -------------------------

[[noreturn]] void reject(const std::string& message) {
  throw std::invalid_argument("write_results: " + message);
}

bool is_field_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '.' || c == '-';
}

void check_field_name(const std::string& name, std::set<std::string>& seen) {
  if (name.empty() || name == "." || name == ".." ||
      !std::all_of(name.begin(), name.end(), is_field_name_char))
    reject("field name '" + name + "' must be non-empty and use only [A-Za-z0-9_.-]");
  if (!seen.insert(name).second) reject("field name '" + name + "' appears twice");
}

void check_attribute_name(const std::string& name, std::set<std::string>& seen) {
  if (name.empty()) reject("an attribute name is empty");
  if (name == results_layout_version_attribute)
    reject("attribute name '" + name + "' is reserved for the layout version");
  if (!seen.insert(name).second) reject("attribute name '" + name + "' appears twice");
}

void check_text(const std::string& text, const std::string& where) {
  if (text.find('\0') != std::string::npos) reject(where + " contains a NUL byte");
}

/// `block`: the cells this rank holds (a write from N ranks), or null (a serial write).
void validate(const std::string& h5_path, const ResultsContent& content, const FieldBlock* block) {
  const fs::path path(h5_path);
  const std::string file_name = path.filename().string();
  if (file_name.empty()) reject("'" + h5_path + "' names no file");
  if (path.extension() == ".xmf") reject("'" + h5_path + "' would be its own XDMF sidecar");
  for (const char c : file_name)
    if (c == ':' || std::isspace(static_cast<unsigned char>(c)) != 0)
      reject("file name '" + file_name + "' contains ':' or white space, which XDMF cannot " +
             "refer to");

  if (content.grid == nullptr) reject("the grid is null");
  if (block != nullptr) check_block(content.grid->cells_per_axis(), *block, "write_results");
  const std::size_t cells = block == nullptr ? content.grid->num_cells() : block->num_cells();
  std::set<std::string> names;
  for (const auto& field : content.fields) {
    check_field_name(field.name, names);
    if (field.grid != content.grid) reject("field '" + field.name + "' is on another grid");
    if (field.values.size() != cells)
      reject("field '" + field.name + "' has " + std::to_string(field.values.size()) +
             " values for " + std::to_string(cells) + " cells");
  }
  for (const auto& field : content.label_fields) {
    check_field_name(field.name, names);
    if (field.values.size() != cells)
      reject("label field '" + field.name + "' has " + std::to_string(field.values.size()) +
             " values for " + std::to_string(cells) + " cells");
  }

  std::set<std::string> attributes;
  for (const auto& a : content.string_attributes) {
    check_attribute_name(a.name, attributes);
    check_text(a.value, "attribute '" + a.name + "'");
    if (a.value.size() > kMaxStringAttributeBytes)
      reject("attribute '" + a.name + "' holds " + std::to_string(a.value.size()) +
             " bytes, more than " + std::to_string(kMaxStringAttributeBytes) +
             ": long text is a TextDataset");
  }
  for (const auto& a : content.real_attributes) check_attribute_name(a.name, attributes);
  for (const auto& a : content.integer_attributes) check_attribute_name(a.name, attributes);
  for (const auto& r : content.regions) check_text(r.name, "region name '" + r.name + "'");
  for (const auto& p : content.probes) check_text(p.name, "probe name '" + p.name + "'");
  for (const auto& m : content.materials) {
    check_text(m.name, "material name '" + m.name + "'");
    check_text(m.source, "source of material '" + m.name + "'");
  }
  static const std::set<std::string> fixed_groups{"mesh",      "fields",    "regions",    "probes",
                                                  "materials", "polylines", "time_series"};
  std::set<std::string> text_names;
  for (const auto& t : content.texts) {
    check_field_name(t.name, text_names);
    check_text(t.text, "text '" + t.name + "'");
    if (fixed_groups.count(t.name) != 0)
      reject("text name '" + t.name + "' is a group of the fixed layout");
    for (const auto& table : content.tables)
      if (table.group == t.name) reject("text name '" + t.name + "' is a table group");
  }
  std::set<std::string> table_paths;
  for (const auto& t : content.tables) {
    std::set<std::string> group_name, table_name;  // names are checked, not deduplicated here
    check_field_name(t.group, group_name);
    check_field_name(t.name, table_name);
    if (fixed_groups.count(t.group) != 0)
      reject("table group '" + t.group + "' is reserved for the fixed layout");
    if (!table_paths.insert(t.group + "/" + t.name).second)
      reject("table '" + t.group + "/" + t.name + "' appears twice");
  }
  validate_time_series(content.time_series, *content.grid, block);
  std::set<std::string> set_names;
  for (const auto& set : content.polylines) {
    check_field_name(set.name, set_names);
    for (const auto& seg : set.segments)
      for (std::int64_t p : seg)
        if (p < 0 || static_cast<std::size_t>(p) >= set.points_m.size())
          reject("polyline set '" + set.name + "' has a segment with a bad point index");
    std::set<std::string> value_names;
    for (const auto& [name, values] : set.segment_values) {
      check_field_name(name, value_names);
      if (name == "points_m" || name == "segments")
        reject("polyline value name '" + name + "' is reserved");
      if (values.size() != set.segments.size())
        reject("polyline value '" + name + "' of set '" + set.name +
               "' needs one value per segment");
    }
  }
}

// ---- HDF5 -----------------------------------------------------------------------------------

template <typename Row, typename Get>
auto column(const std::vector<Row>& rows, Get get) {
  std::vector<decltype(get(rows.front()))> values;
  values.reserve(rows.size());
  for (const Row& row : rows) values.push_back(get(row));
  return values;
}

void write_mesh(const Hdf5Group& root, const mesh::RectilinearGrid& grid) {
  const Hdf5Group mesh_group = root.create_group("mesh");
  mesh_group.write_dataset("x_nodes_m", grid.nodes(0));
  mesh_group.write_dataset("y_nodes_m", grid.nodes(1));
  mesh_group.write_dataset("z_nodes_m", grid.nodes(2));
}

void write_fields(const Hdf5Group& root, const ResultsContent& content, const FieldBlock* block) {
  const Hdf5Slab slab = hdf5_slab(content.grid->cells_per_axis(), block);  // C order, x fastest
  const Hdf5Group fields = root.create_group("fields");
  for (const auto& field : content.fields)
    fields.write_block(field.name, field.values, slab.shape, slab.offset, slab.count);
  for (const auto& field : content.label_fields)
    fields.write_block(field.name, field.values, slab.shape, slab.offset, slab.count);
}

void write_regions(const Hdf5Group& root, const std::vector<RegionStatistics>& rows) {
  using R = RegionStatistics;
  root.write_table(
      "regions", {{"name", column(rows, [](const R& r) { return r.name; })},
                  {"num_cells",
                   column(rows, [](const R& r) { return static_cast<std::int64_t>(r.num_cells); })},
                  {"volume_m3", column(rows, [](const R& r) { return r.volume_m3; })},
                  {"power_W", column(rows, [](const R& r) { return r.power_W; })},
                  {"T_max_K", column(rows, [](const R& r) { return r.T_max_K; })},
                  {"T_mean_K", column(rows, [](const R& r) { return r.T_mean_K; })},
                  {"T_min_K", column(rows, [](const R& r) { return r.T_min_K; })},
                  {"T_max_x_m", column(rows, [](const R& r) { return r.T_max_at_m[0]; })},
                  {"T_max_y_m", column(rows, [](const R& r) { return r.T_max_at_m[1]; })},
                  {"T_max_z_m", column(rows, [](const R& r) { return r.T_max_at_m[2]; })}});
}

void write_probes(const Hdf5Group& root, const std::vector<ProbeReading>& rows) {
  using P = ProbeReading;
  root.write_table(
      "probes",
      {{"name", column(rows, [](const P& p) { return p.name; })},
       {"x_m", column(rows, [](const P& p) { return p.at_m[0]; })},
       {"y_m", column(rows, [](const P& p) { return p.at_m[1]; })},
       {"z_m", column(rows, [](const P& p) { return p.at_m[2]; })},
       {"T_K", column(rows, [](const P& p) { return p.T_K; })},
       {"cell_index", column(rows, [](const P& p) { return static_cast<std::int64_t>(p.cell); })}});
}

void write_materials(const Hdf5Group& root, const std::vector<MaterialRow>& rows) {
  using M = MaterialRow;
  root.write_table("materials",
                   {{"name", column(rows, [](const M& m) { return m.name; })},
                    {"kx_W_per_mK", column(rows, [](const M& m) { return m.k_W_per_mK[0]; })},
                    {"ky_W_per_mK", column(rows, [](const M& m) { return m.k_W_per_mK[1]; })},
                    {"kz_W_per_mK", column(rows, [](const M& m) { return m.k_W_per_mK[2]; })},
                    {"rho_kg_per_m3", column(rows, [](const M& m) { return m.rho_kg_per_m3; })},
                    {"cp_J_per_kgK", column(rows, [](const M& m) { return m.cp_J_per_kgK; })},
                    {"source", column(rows, [](const M& m) { return m.source; })}});
}

void write_tables(const Hdf5Group& root, const std::vector<ResultsTable>& tables) {
  std::map<std::string, Hdf5Group> groups;
  for (const auto& t : tables) {
    auto it = groups.find(t.group);
    if (it == groups.end()) it = groups.emplace(t.group, root.create_group(t.group)).first;
    it->second.write_table(t.name, t.columns);
  }
}

void write_polylines(const Hdf5Group& root, const std::vector<PolylineSet>& sets) {
  const Hdf5Group group = root.create_group("polylines");
  for (const auto& set : sets) {
    const Hdf5Group g = group.create_group(set.name);
    std::vector<double> xyz;
    for (const auto& p : set.points_m) xyz.insert(xyz.end(), p.begin(), p.end());
    g.write_dataset("points_m", xyz);
    std::vector<std::int64_t> ends;
    for (const auto& seg : set.segments) ends.insert(ends.end(), seg.begin(), seg.end());
    g.write_dataset("segments", ends);
    for (const auto& [name, values] : set.segment_values) g.write_dataset(name, values);
  }
}

void write_hdf5(const std::string& path, const ResultsContent& content, const FieldBlock* block) {
  Hdf5File file = block == nullptr ? Hdf5File::create(path)
                                   : Hdf5File::create_parallel(path, block->mpi_comm_f);
  {
    const Hdf5Group root = file.root();
    root.set_integer_attribute(results_layout_version_attribute, results_layout_version);
    for (const auto& a : content.string_attributes) root.set_string_attribute(a.name, a.value);
    for (const auto& a : content.real_attributes) root.set_real_attribute(a.name, a.value);
    for (const auto& a : content.integer_attributes) root.set_integer_attribute(a.name, a.value);
    for (const auto& t : content.texts) root.write_text(t.name, t.text);
    write_mesh(root, *content.grid);
    write_fields(root, content, block);
    write_regions(root, content.regions);
    write_probes(root, content.probes);
    write_materials(root, content.materials);
    write_tables(root, content.tables);
    write_polylines(root, content.polylines);
    if (!content.time_series.empty())
      write_time_series(root, content.time_series, *content.grid, block);
  }
  file.close();
}

// ---- XDMF -----------------------------------------------------------------------------------

/// The sidecar text. Topology Dimensions count POINTS, slowest axis first (nz+1 ny+1 nx+1):
/// the Xdmf2 reader honours it, and cell counts there would silently drop a layer per axis.
std::string xdmf_text(const ResultsContent& content, const std::string& h5_name) {
  const auto [nx, ny, nz] = content.grid->cells_per_axis();
  const std::string point_dims = xdmf_dimensions({nx + 1, ny + 1, nz + 1});
  const std::string cell_dims = xdmf_dimensions({nx, ny, nz});
  std::string x = xdmf_document_start();
  x += "    <Grid Name=\"cposim\" GridType=\"Uniform\">\n";
  x += "      <Topology TopologyType=\"3DRectMesh\" Dimensions=\"" + point_dims + "\"/>\n";
  x += "      <Geometry GeometryType=\"VXVYVZ\">\n";
  x += "        " + xdmf_data_item(std::to_string(nx + 1), "Float", 8, h5_name, "/mesh/x_nodes_m") +
       "\n";
  x += "        " + xdmf_data_item(std::to_string(ny + 1), "Float", 8, h5_name, "/mesh/y_nodes_m") +
       "\n";
  x += "        " + xdmf_data_item(std::to_string(nz + 1), "Float", 8, h5_name, "/mesh/z_nodes_m") +
       "\n";
  x += "      </Geometry>\n";
  const auto attribute = [&](const std::string& name, const char* number_type, int precision) {
    x += "      <Attribute Name=\"" + name + "\" AttributeType=\"Scalar\" Center=\"Cell\">\n";
    x += "        " +
         xdmf_data_item(cell_dims, number_type, precision, h5_name, "/fields/" + name) + "\n";
    x += "      </Attribute>\n";
  };
  for (const auto& field : content.fields) attribute(field.name, "Float", 8);
  for (const auto& field : content.label_fields) attribute(field.name, "Int", 4);
  x += "    </Grid>\n";
  x += xdmf_document_end();
  return x;
}

/// Sidecar of one polyline set: Polyline topology with 2 nodes per element (one segment per
/// cell), XYZ geometry, one cell attribute per segment value.
std::string polyline_xdmf_text(const PolylineSet& set, const std::string& h5_name) {
  const std::string base = "/polylines/" + set.name + "/";
  const std::string n_seg = std::to_string(set.segments.size());
  std::string x = xdmf_document_start();
  x += "    <Grid Name=\"" + xml_escaped(set.name) + "\" GridType=\"Uniform\">\n";
  x += "      <Topology TopologyType=\"Polyline\" NodesPerElement=\"2\" NumberOfElements=\"" +
       n_seg + "\">\n";
  x += "        " + xdmf_data_item(n_seg + " 2", "Int", 8, h5_name, base + "segments") + "\n";
  x += "      </Topology>\n";
  x += "      <Geometry GeometryType=\"XYZ\">\n";
  x += "        " +
       xdmf_data_item(std::to_string(set.points_m.size()) + " 3", "Float", 8, h5_name,
                      base + "points_m") +
       "\n";
  x += "      </Geometry>\n";
  for (const auto& [name, values] : set.segment_values) {
    x += "      <Attribute Name=\"" + xml_escaped(name) +
         "\" AttributeType=\"Scalar\" Center=\"Cell\">\n";
    x += "        " + xdmf_data_item(n_seg, "Float", 8, h5_name, base + name) + "\n";
    x += "      </Attribute>\n";
  }
  x += "    </Grid>\n";
  x += xdmf_document_end();
  return x;
}

void write_text_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error("write_results: cannot create '" + path + "'");
  out << text;
  out.close();
  if (!out) throw std::runtime_error("write_results: cannot write '" + path + "'");
}

/// Commits `file`, naming write_results in the error.
void commit(PendingFile& file) {
  try {
    file.commit();
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(std::string("write_results: ") + e.what());
  }
}

/// The files of one write_results: the .h5, its sidecar and the polyline sidecars, each first
/// under its temporary name.
struct PendingResults {
  explicit PendingResults(const std::string& h5_path, const ResultsContent& content)
      : h5(h5_path), xmf(xdmf_sidecar_path(h5_path)) {
    for (const auto& set : content.polylines)
      polylines.push_back(std::make_unique<PendingFile>(polyline_sidecar_path(h5_path, set.name)));
  }
  PendingFile h5;
  PendingFile xmf;
  std::vector<std::unique_ptr<PendingFile>> polylines;
};

/// Writes the sidecars of `content` to their temporaries and renames all files into place.
void write_sidecars_and_commit(PendingResults& files, const ResultsContent& content) {
  const std::string h5_name = fs::path(files.h5.final_path()).filename().string();
  std::vector<std::string> label_names;
  for (const auto& field : content.label_fields) label_names.push_back(field.name);
  const std::string xmf =
      content.time_series.empty()
          ? xdmf_text(content, h5_name)
          : temporal_xdmf_text(*content.grid, content.time_series, label_names, h5_name);
  write_text_file(files.xmf.temp_path(), xmf);
  for (std::size_t s = 0; s < content.polylines.size(); ++s)
    write_text_file(files.polylines[s]->temp_path(),
                    polyline_xdmf_text(content.polylines[s], h5_name));

  commit(files.h5);
  try {
    commit(files.xmf);
  } catch (...) {
    // The .h5 is already replaced: an old sidecar would describe the wrong file.
    std::error_code ignored;
    const std::string& xmf_path = files.xmf.final_path();
    if (fs::is_regular_file(xmf_path, ignored)) fs::remove(xmf_path, ignored);
    throw;
  }
  for (const auto& file : files.polylines) commit(*file);
}

void write_hdf5_named(const std::string& temp_path, const std::string& h5_path,
                      const ResultsContent& content, const FieldBlock* block) {
  try {
    write_hdf5(temp_path, content, block);
  } catch (const std::runtime_error& e) {
    throw std::runtime_error("write_results: writing '" + h5_path + "' failed: " + e.what());
  }
}

}  // namespace

std::string xdmf_sidecar_path(const std::string& h5_path) {
  return fs::path(h5_path).replace_extension(".xmf").string();
}

std::string polyline_sidecar_path(const std::string& h5_path, const std::string& set_name) {
  const fs::path p(h5_path);
  return (p.parent_path() / (p.stem().string() + "_" + set_name + ".xmf")).string();
}

void write_results(const std::string& h5_path, const ResultsContent& content) {
  validate(h5_path, content, nullptr);
  PendingResults files(h5_path, content);
  write_hdf5_named(files.h5.temp_path(), h5_path, content, nullptr);
  write_sidecars_and_commit(files, content);
}

void write_results(const std::string& h5_path, const ResultsContent& content,
                   const FieldBlock& block) {
  const int comm = block.mpi_comm_f;
  if (!parallel_output_available())
    throw std::runtime_error("write_results: '" + h5_path +
                             "': writing from MPI ranks needs a build with parallel HDF5");
  const std::string path_on_rank0 = broadcast_text(comm, h5_path);
  run_agreed(comm, [&] {
    if (h5_path != path_on_rank0)
      reject("'" + h5_path + "' is not the path rank 0 writes, '" + path_on_rank0 + "'");
    validate(h5_path, content, &block);
  });
  // Rank 0 owns the temporaries (its pid names them); the others learn the .h5's name.
  std::unique_ptr<PendingResults> files;
  run_agreed(comm, [&] {
    if (rank_in(comm) == 0) files = std::make_unique<PendingResults>(h5_path, content);
  });
  const std::string temp = broadcast_text(comm, files ? files->h5.temp_path() : std::string());
  run_agreed(comm, [&] { write_hdf5_named(temp, h5_path, content, &block); });
  run_agreed(comm, [&] {
    if (files) write_sidecars_and_commit(*files, content);
  });
}

}  // namespace cposim::postproc
