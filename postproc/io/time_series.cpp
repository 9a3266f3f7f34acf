/// \file
/// /time_series in HDF5 and the XDMF temporal collection over it.
#include "postproc/io/time_series.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <set>
#include <stdexcept>

#include "postproc/io/xml_text.hpp"

namespace cposim::postproc {
namespace {

[[noreturn]] void reject(const std::string& message) {
  throw std::invalid_argument("write_results: " + message);
}

bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '.' || c == '-';
}

/// A time as XDMF reads it back bitwise (17 significant digits).
std::string time_text(double t_s) { return fmt::format("{:.17g}", t_s); }

}  // namespace

std::string time_series_index_name(std::size_t index) { return fmt::format("{:06}", index); }

void validate_time_series(const TimeSeries& series, const mesh::RectilinearGrid& grid,
                          const FieldBlock* block) {
  const std::size_t cells = block == nullptr ? grid.num_cells() : block->num_cells();
  const auto& t = series.times_s;
  for (std::size_t i = 0; i < t.size(); ++i)
    if (!std::isfinite(t[i]) || (i > 0 && !(t[i] > t[i - 1])))
      reject("time series times must be finite and strictly increasing (time " + std::to_string(i) +
             ")");
  std::set<std::string> names;
  for (const auto& f : series.fields) {
    if (f.name.empty() || f.name == "times_s" ||
        !std::all_of(f.name.begin(), f.name.end(), is_name_char))
      reject("time series field name '" + f.name +
             "' must be non-empty, not 'times_s', and use only [A-Za-z0-9_.-]");
    if (!names.insert(f.name).second) reject("time series field '" + f.name + "' appears twice");
    if (f.values.size() != t.size())
      reject("time series field '" + f.name + "' has " + std::to_string(f.values.size()) +
             " states for " + std::to_string(t.size()) + " times");
    for (const auto& v : f.values)
      if (v.size() != cells)
        reject("time series field '" + f.name + "' has a state with " + std::to_string(v.size()) +
               " values for " + std::to_string(cells) + " cells");
  }
}

void write_time_series(const Hdf5Group& root, const TimeSeries& series,
                       const mesh::RectilinearGrid& grid, const FieldBlock* block) {
  const Hdf5Slab slab = hdf5_slab(grid.cells_per_axis(), block);  // C order, x fastest
  const Hdf5Group group = root.create_group("time_series");
  group.write_dataset("times_s", series.times_s);
  for (const auto& f : series.fields) {
    const Hdf5Group field = group.create_group(f.name);
    for (std::size_t i = 0; i < f.values.size(); ++i)
      field.write_block(time_series_index_name(i), f.values[i], slab.shape, slab.offset,
                        slab.count);
  }
}

std::string temporal_xdmf_text(const mesh::RectilinearGrid& grid, const TimeSeries& series,
                               const std::vector<std::string>& label_fields,
                               const std::string& h5_name) {
  const auto [nx, ny, nz] = grid.cells_per_axis();
  // Topology Dimensions count POINTS, slowest axis first (the Xdmf2 reader honours it).
  const std::string point_dims = xdmf_dimensions({nx + 1, ny + 1, nz + 1});
  const std::string cell_dims = xdmf_dimensions({nx, ny, nz});
  std::string x = xdmf_document_start();
  x += "    <Grid Name=\"cposim\" GridType=\"Collection\" CollectionType=\"Temporal\">\n";
  for (std::size_t i = 0; i < series.times_s.size(); ++i) {
    const std::string index = time_series_index_name(i);
    x += "      <Grid Name=\"t" + index + "\" GridType=\"Uniform\">\n";
    x += "        <Time Value=\"" + time_text(series.times_s[i]) + "\"/>\n";
    x += "        <Topology TopologyType=\"3DRectMesh\" Dimensions=\"" + point_dims + "\"/>\n";
    x += "        <Geometry GeometryType=\"VXVYVZ\">\n";
    const char* axes[3] = {"/mesh/x_nodes_m", "/mesh/y_nodes_m", "/mesh/z_nodes_m"};
    for (int a = 0; a < 3; ++a)
      x += "          " +
           xdmf_data_item(std::to_string(grid.nodes(a).size()), "Float", 8, h5_name, axes[a]) +
           "\n";
    x += "        </Geometry>\n";
    const auto attribute = [&](const std::string& name, const char* type, int precision,
                               const std::string& dataset) {
      x += "        <Attribute Name=\"" + xml_escaped(name) +
           "\" AttributeType=\"Scalar\" Center=\"Cell\">\n";
      x += "          " + xdmf_data_item(cell_dims, type, precision, h5_name, dataset) + "\n";
      x += "        </Attribute>\n";
    };
    for (const auto& f : series.fields)
      attribute(f.name, "Float", 8, "/time_series/" + f.name + "/" + index);
    for (const auto& name : label_fields) attribute(name, "Int", 4, "/fields/" + name);
    x += "      </Grid>\n";
  }
  x += "    </Grid>\n";
  x += xdmf_document_end();
  return x;
}

}  // namespace cposim::postproc
