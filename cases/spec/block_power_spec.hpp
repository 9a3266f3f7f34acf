#pragma once
/// \file
/// Temperature-dependent block power as written in a case file: `leakage = {...}` or
/// `power_table = {...}` in [[blocks]] (cases/README.md). SI units, as read.

#include <array>
#include <vector>

#include "cases/spec/case_error.hpp"

namespace cposim::cases {

/// Which temperature of a block drives its power.
enum class BlockTemperature {
  mean,  ///< volume mean over the block's cells
  max,   ///< its hottest cell
};
inline constexpr std::array<const char*, 2> kBlockTemperatureNames = {"mean", "max"};

/// `leakage = {P_leak_ref_W, beta_per_K, T_ref_K, T_block}`: block power
///   P(T) = power_W + P_leak_ref_W · exp(beta_per_K · (T_block − T_ref_K)).
struct LeakageSpec {
  double P_leak_ref_W = 0.0;  ///< ≥ 0, leakage at T_ref_K
  double beta_per_K = 0.0;    ///< ≥ 0, e-folding rate of the leakage
  double T_ref_K = 0.0;       ///< > 0
  BlockTemperature T_block = BlockTemperature::mean;
  SourceLocation where;
};

/// `power_table = {T_K = [...], P_W = [...], T_block}`: the block's total power against its
/// temperature, linear between points and flat beyond the ends. Excludes power_W and leakage.
struct PowerTableSpec {
  std::vector<double> T_K;  ///< ≥ 2 points, strictly increasing, each > 0
  std::vector<double> P_W;  ///< same length, each ≥ 0
  BlockTemperature T_block = BlockTemperature::mean;
  SourceLocation where;
};

/// Default of [solver] runaway_T_K: 200 °C, far above any junction limit of physics.md §4.4
/// (ASIC 105 °C, EIC 125 °C), so a real design never reaches it, and below solder reflow
/// (SAC305 melts at 217 °C), beyond which the package model no longer means anything.
inline constexpr double kDefaultRunaway_K = 473.15;

}  // namespace cposim::cases
