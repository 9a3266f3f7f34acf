#pragma once
/// \file
/// Internal to cases/: reads, checks and echoes `[transient]` and the blocks' `power_waveform`
/// (cases/README.md is the reference). Every user error is a CaseError at the offending node,
/// or at the offending line and column of a waveform CSV file.

#include <toml++/toml.h>

#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "cases/read/toml_helpers.hpp"
#include "cases/spec/case_spec.hpp"
#include "cases/spec/transient_spec.hpp"

namespace cposim::cases {

/// The top-level key read_transient owns.
inline constexpr const char* kTransientTopLevelKey = "transient";

/// Most output times a run may ask for: each keeps a full temperature field in memory and in
/// results.h5.
inline constexpr std::size_t kMaxTransientOutputs = 10000;
/// Most fixed steps (adaptive = false) a run may ask for.
inline constexpr double kMaxFixedSteps = 1e6;

/// Reads `[transient]` from `root` (types, units, ranges, unknown keys, combinations), or
/// nothing if the table is absent. Throws CaseError.
std::optional<TransientSpec> read_transient(const toml::table& root, const std::string& file);

/// Reads the `power_waveform` value at `node` (`path` is its key path, e.g.
/// "blocks[2].power_waveform"): an inline table {kind, t_s, factor} or {csv}. A relative CSV
/// path is relative to the reader's folder (TomlReader::read_data_file). Throws CaseError.
PowerWaveformSpec read_power_waveform(const TomlReader& reader, const toml::node& node,
                                      const std::string& path);

/// Parses a waveform CSV: an optional '#' comment or blank lines, a header `t_s,factor` or
/// `t_s,power_W`, then one `time,value` row per point (times strictly increasing, values
/// finite and ≥ 0). Errors are CaseErrors at the CSV's own line and column (`display_path`
/// names the file). Returns kind linear; an empty `t_s` if there are no rows.
PowerWaveformSpec parse_waveform_csv(std::string_view text, const std::string& display_path);

/// Cross-checks: a power_waveform needs [transient]; a `factor` waveform needs a block with
/// power; [transient] cannot be combined (yet) with photonic devices, cold plates, leakage or
/// power tables. Throws CaseError at the node that is in the way.
void check_transient(const CaseSpec& spec);

/// Writes `[transient]` back as TOML with every default filled in (nothing without it).
void echo_transient(std::ostream& os, const CaseSpec& spec);

/// The resolved-case line of a block's power_waveform ("" if none), ending in a newline.
std::string echo_power_waveform(const std::optional<PowerWaveformSpec>& waveform);

}  // namespace cposim::cases
