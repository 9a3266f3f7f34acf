#pragma once
/// \file
/// `[sweep]` → SweepSpec → points. Every point is the base case with the sweep's values written
/// into its parsed TOML tree at the parameters' paths, re-serialised and read back with
/// read_case_text, so it is validated exactly like a case file before anything runs. Errors are
/// CaseError "<file>:<line>:<col>: error: …" at the offending key of the sweep file. The format
/// is documented in cases/README.md ("Sweeps").

#include <cstdint>
#include <string>
#include <vector>

#include "cases/sweep/sweep_spec.hpp"

namespace cposim::cases {

/// Reads the `[sweep]` table of the file at `path` (and the base case it names, or the file
/// itself). Throws CaseError for a missing or bad [sweep] table, an unknown key, bad values,
/// ranges or requirements, and if the base case cannot be read as TOML. Paths are checked by
/// expand_sweep.
SweepSpec read_sweep(const std::string& path);

/// As read_sweep, for text held in memory; `display_name` names the file in messages and
/// `base_dir` is the folder relative paths (base_case, power maps) start from.
SweepSpec read_sweep_text(const std::string& text, const std::string& display_name,
                          const std::string& base_dir);

/// True if the file at `path` parses as TOML and has a `[sweep]` table with `base_case` (a
/// sweep-only file, which read_case cannot read). False otherwise, also for unreadable files.
bool is_sweep_only_file(const std::string& path);

/// `n` Latin-hypercube samples in [0, 1)^dims: along every dimension each of the n equal
/// strata holds exactly one sample. Reproducible from `seed` on every platform (mt19937_64 and
/// a hand-written shuffle, not the implementation-defined std distributions). Rows are samples.
std::vector<std::vector<double>> latin_hypercube(int n, int dims, std::uint64_t seed);

/// The values of every point, one row per point and one value per parameter, in the order the
/// sweep's combine rule gives (product: the first parameter varies slowest; Latin-hypercube
/// parameters always move together, as one factor of the product). Throws CaseError at a
/// parameter for zip with unequal lengths, or at [sweep] for more than 100000 points.
std::vector<std::vector<SweepValue>> sweep_design(const SweepSpec& spec);

/// The case file of one point: the base case with `[sweep.set]` and the parameters' values
/// (one per parameter) applied, `[sweep]` removed, relative power-map paths made absolute and a
/// title added if the base case has none. Throws CaseError at a target's path for a path that
/// matches nothing, an index out of range, or a value of the wrong kind there.
std::string render_point(const SweepSpec& spec, const std::vector<SweepValue>& values);

/// Every point of the sweep: rendered, read with read_case_text (a point that is not a valid
/// case is a CaseError at [sweep] naming the point, its values and the reason) and hashed.
std::vector<SweepPoint> expand_sweep(const SweepSpec& spec);

/// The folder name of a point: FNV-1a 64 of its resolved case text (the first comment line,
/// which names the file it was read from, left out) as 16 lowercase hex digits. Equal resolved
/// cases give equal hashes whatever the key order, spacing or comments of their sources.
std::string point_hash(const std::string& resolved_text);

/// "gap_um = 1000, h = 2e4": a point's values for messages and reports.
std::string describe_point(const SweepSpec& spec, const std::vector<SweepValue>& values);

}  // namespace cposim::cases
