#pragma once
/// \file
/// Cell fields at a series of times (a transient run's outputs): their HDF5 layout under
/// /time_series and the XDMF temporal collection that lets ParaView play them. Used by
/// write_results (results_writer.hpp) when ResultsContent::time_series is not empty.
///
/// HDF5 (postproc/LAYOUT.md):
///
///     /time_series/times_s          float64 (n_times), strictly increasing, seconds
///     /time_series/<field>/<i>      float64 (nz, ny, nx) per output i, named by six digits
///                                   ("000000", "000001", ...), x fastest like /fields
///
/// XDMF: one Grid GridType="Collection" CollectionType="Temporal" holding, per output time,
/// a uniform 3DRectMesh grid with <Time Value="t"/>, the same topology and geometry as the
/// steady sidecar, one cell attribute per time-series field and one per label field (static,
/// from /fields, repeated at every time).

#include <string>
#include <vector>

#include "mesh/rectilinear_grid.hpp"
#include "postproc/io/field_block.hpp"
#include "postproc/io/hdf5_file.hpp"

namespace cposim::postproc {

/// One cell field at every time of a TimeSeries.
struct TimeSeriesField {
  std::string name;  ///< [A-Za-z0-9_.-]+, carrying its unit, e.g. "temperature_K"
  std::vector<std::vector<double>> values;  ///< [time][cell], cells x fastest
};

/// Cell fields at output times. Empty (no times) means a steady result.
struct TimeSeries {
  std::vector<double> times_s;  ///< strictly increasing, finite
  std::vector<TimeSeriesField> fields;
  bool empty() const { return times_s.empty(); }
};

/// The dataset name of output `index` under /time_series/<field>/: six digits, zero-padded.
std::string time_series_index_name(std::size_t index);

/// Throws std::invalid_argument (message starting "write_results: ") if the series has
/// times that are not finite and strictly increasing, a field with a bad or repeated name,
/// a field without one value array per time, or an array without one value per cell (per cell
/// of `block`, if not null: a write from N ranks).
void validate_time_series(const TimeSeries& series, const mesh::RectilinearGrid& grid,
                          const FieldBlock* block = nullptr);

/// Writes /time_series (layout above) under `root`; each array holds the cells of `block` (the
/// whole grid if null), written collectively on a parallel file. Throws std::runtime_error on
/// an HDF5 failure.
void write_time_series(const Hdf5Group& root, const TimeSeries& series,
                       const mesh::RectilinearGrid& grid, const FieldBlock* block = nullptr);

/// The XDMF text of the temporal collection; `label_fields` are int32 datasets under /fields
/// shown at every time; `h5_name` is the HDF5 file's name relative to the .xmf.
std::string temporal_xdmf_text(const mesh::RectilinearGrid& grid, const TimeSeries& series,
                               const std::vector<std::string>& label_fields,
                               const std::string& h5_name);

}  // namespace cposim::postproc
