#pragma once
/// \file
/// Metrics read from a run's results.h5 (postproc/LAYOUT.md): table columns and numeric
/// attributes that summary.json does not carry, e.g. ring heater powers or lane margins.

#include <string>

#include "benchmarks/bench_metric_lookup.hpp"

namespace cposim::bench {

/// Looks up one "h5:" metric in the HDF5 file `h5_path`. `selector` is the text after "h5:":
///
///     /GROUP@ATTR              numeric attribute ATTR of GROUP ("/" is the root group)
///     /TABLE/COLUMN:REDUCER    REDUCER of the column over all rows: min, max, sum, mean, count
///     /TABLE/COLUMN[N]         row N (0-based)
///     /TABLE/COLUMN[KEY=TEXT]  the first row whose text column KEY equals TEXT
///
/// e.g. "h5:/@total_heater_W", "h5:/photonics/rings/heater_W:sum",
/// "h5:/photonics/banks/gradient_K[name=tx]". Columns are numeric datasets (float64, int32,
/// int64); count is the number of rows. NaN values make min, max, sum and mean NaN, and a NaN
/// or infinite result is reported as an error. Never throws for a missing file or object: the
/// reason goes into MetricLookup::error. Not thread-safe (serial HDF5).
MetricLookup lookup_h5_metric(const std::string& h5_path, const std::string& selector);

}  // namespace cposim::bench
