#pragma once
/// \file
/// Internal to cases/: reads and echoes a block's temperature-dependent power, `leakage` and
/// `power_table` in [[blocks]] (cases/README.md). Every error is a CaseError at the node.

#include <toml++/toml.h>

#include <string>

#include "cases/read/toml_helpers.hpp"
#include "cases/spec/block_power_spec.hpp"

namespace cposim::cases {

/// `leakage = {P_leak_ref_W, beta_per_K, T_ref_K, T_block}` at `node`; `path` is its key path
/// ("blocks[0].leakage"). P_leak_ref_W ≥ 0, beta_per_K ≥ 0 and T_ref_K > 0 are required;
/// T_block is "mean" (default) or "max".
LeakageSpec read_leakage(const TomlReader& reader, const toml::node& node, const std::string& path);

/// `power_table = {T_K = [...], P_W = [...], T_block}` at `node`: ≥ 2 points, T_K strictly
/// increasing and > 0, P_W ≥ 0 and of the same length.
PowerTableSpec read_power_table(const TomlReader& reader, const toml::node& node,
                                const std::string& path);

/// The resolved-case echo of the block's leakage or power_table line ("" if neither).
std::string echo_block_power(const std::optional<LeakageSpec>& leakage,
                             const std::optional<PowerTableSpec>& table);

}  // namespace cposim::cases
