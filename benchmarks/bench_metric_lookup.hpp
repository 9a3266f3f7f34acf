#pragma once
/// \file
/// The outcome of looking one metric up in a run's outputs: a number, or why there is none.

#include <optional>
#include <string>

namespace cposim::bench {

struct MetricLookup {
  std::optional<double> value;  ///< set if the metric was found and is a finite number
  std::string error;            ///< why not, e.g. "no member 'T_max' in regions.si"
};

}  // namespace cposim::bench
