#pragma once
/// \file
/// report.html: one self-contained page per run (inline CSS, maps embedded as base64 data
/// URIs, no external assets) that a browser opens from the results folder.

#include <string>

#include "cases/run/run_summary.hpp"

namespace cposim::cases {

/// The HTML document of `summary`: title, `generated` (the date line, e.g. an ISO 8601 UTC
/// time), program version, grid, solver figures, energy balance, per-region temperatures
/// against their limits (pass/fail coloured), ring-bank spreads, hot spots, thermal
/// resistances, rings, lasers and lane margins when present; when present too, the nonlinear
/// residual and Picard figures, the temperature-dependent block power (a red banner for a
/// runaway), the cold plates (energy closure against summary.max_energy_imbalance, with their
/// coolant_<plate>.png maps) and the transient run (steps, Δt range, energy accounting, probe
/// peaks and history.png); and every other PNG of summary.map_png_paths embedded as a data URI
/// (a map that cannot be read is named in a note instead). Text is HTML-escaped. Throws nothing but
/// std::bad_alloc.
std::string report_html(const RunSummary& summary, const std::string& generated);

/// Base64 (RFC 4648, with padding) of `bytes`.
std::string base64(const std::string& bytes);

/// Writes report_html(summary, <now, UTC>) to `path`: in full to `<path>.tmp-<pid>` first,
/// then renamed over `path`. On failure the temporary is removed, an existing `path` is left
/// as it was, and std::runtime_error names the file and the reason.
void write_report_html(const std::string& path, const RunSummary& summary);

}  // namespace cposim::cases
