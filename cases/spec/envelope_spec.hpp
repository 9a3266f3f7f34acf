#pragma once
/// \file
/// Plain struct for `[[operating_points]]` (cases/README.md, "The operating envelope"): extra
/// operating points solved in the same run as the case as written, warm-started from it.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cases/spec/case_error.hpp"

namespace cposim::cases {

/// A block whose power an operating point scales, with where it is written.
struct BlockScaleSpec {
  std::string block;
  double scale = 1.0;
  SourceLocation where;
};

/// `[[operating_points]]`.
struct OperatingPointSpec {
  std::string name;
  SourceLocation where;
  SourceLocation name_where;
  std::optional<double> ambient_T_K;              ///< every convection face's T_ambient_K
  std::optional<double> coolant_inlet_T_K;        ///< every cold plate's inlet
  double power_scale = 1.0;                       ///< every block's power_W
  std::vector<BlockScaleSpec> block_power_scale;  ///< per block, on top of power_scale
};

}  // namespace cposim::cases
