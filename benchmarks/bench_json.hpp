#pragma once
/// \file
/// Looking numbers up in a parsed summary.json (cases/read/json_reader.hpp) by a dotted metric
/// path.

#include <string>

#include "benchmarks/bench_metric_lookup.hpp"
#include "cases/read/json_reader.hpp"

namespace cposim::bench {

/// Follows a dotted path such as "regions.si.T_max_K" or "energy_balance.relative" from the
/// root. A segment applied to an object selects that member; applied to an array it selects
/// the element with that index (all digits) or else the first object element whose "name" or,
/// failing that, "region" member equals the segment (summary.json's region, hot-spot and
/// resistance lists). true/false read as 1/0; a null value (NaN or inf when written) is
/// reported as an error.
MetricLookup lookup_number(const cases::JsonValue& root, const std::string& path);

}  // namespace cposim::bench
