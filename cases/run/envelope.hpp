#pragma once
/// \file
/// The operating envelope (`[[operating_points]]`, cases/README.md): the case as written
/// ("nominal") and each extra point (ambient, coolant inlet, power scale per block) solved in
/// the same run with the photonic coupling, warm-started from the nominal field. Per ring: the
/// red shift and heater power every point needs, the span between the points against the
/// heater's range and the FSR, and the binding point; per laser: the window margin at each
/// point; per link and lane group: the worst margin over the points. The verdict class
/// `envelope_tuning` (cases/run/verdicts.hpp): "tuning covers the envelope" per ring bank, its
/// margin in nm (and mW in the detail).

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "cases/run/link_evaluation.hpp"
#include "cases/run/photonics_coupling.hpp"
#include "cases/spec/case_spec.hpp"
#include "postproc/io/results_writer.hpp"
#include "solver/steady.hpp"

namespace cposim::cases {

struct LaneGroupSummary;

/// One point's figures.
struct EnvelopePoint {
  std::string name;
  double T_max_K = 0.0;
  std::string status;  ///< the coupling status at this point ("converged", …; "" without devices)
  std::vector<postproc::RingState> rings;     ///< in PhotonicsReport::rings order
  std::vector<double> laser_window_margin_m;  ///< NaN: no window; −∞: not lasing
  std::vector<double> laser_T_junction_K;
  std::vector<double> link_margin_dB;        ///< per channel
  std::vector<double> lane_group_margin_dB;  ///< worst lane margin per lane group
};

/// One ring over the envelope.
struct EnvelopeRing {
  std::string name, entry;
  double shift_min_m = 0.0, shift_max_m = 0.0;  ///< red shift needed, over the points
  double span_m = 0.0;                          ///< shift_max − shift_min
  double heater_max_W = 0.0, range_m = 0.0;     ///< η · heater_max
  double fsr_m = 0.0;                           ///< 0: unknown
  double heater_needed_W = 0.0;                 ///< at the binding point
  std::string binding_point;                    ///< the point needing the most shift
  double margin_m = 0.0;                        ///< range − shift_max
  double margin_W = 0.0;                        ///< heater_max − heater_needed
  bool covers = false;                          ///< every point in range and the span below the FSR
};

/// Everything the envelope produced.
struct EnvelopeReport {
  std::vector<EnvelopePoint> points;  ///< "nominal" first
  std::vector<EnvelopeRing> rings;
  std::vector<std::string> lasers, links, lane_groups;  ///< row names of the other tables
  double solve_s = 0.0;                                 ///< wall time of the extra points
};

/// Solves every `[[operating_points]]` entry of `spec` (the nominal point's results are
/// `nominal`, `nominal_links` and `nominal_lanes`, its field `T_nominal_K`), warm-started from
/// the nominal field with `linear` overriding the case's solver if set. Throws CaseError for a
/// point that cannot be built.
EnvelopeReport run_operating_points(const CaseSpec& spec, const PhotonicsReport* nominal,
                                    const std::vector<LinkChannelResult>& nominal_links,
                                    const std::vector<LaneGroupSummary>& nominal_lanes,
                                    const std::vector<double>& T_nominal_K,
                                    std::optional<solver::LinearSolverKind> linear);

/// Tables /envelope/points, /envelope/rings, /envelope/lasers, /envelope/links,
/// /envelope/lane_groups (postproc/LAYOUT.md).
void add_envelope_results(const EnvelopeReport& envelope, postproc::ResultsContent& content);

/// The stdout block: one table per quantity with the binding point named.
std::string format_envelope(const EnvelopeReport& envelope);

/// The report.html section: the points and the per-ring table. "" without extra points.
std::string envelope_html(const EnvelopeReport& envelope);

}  // namespace cposim::cases
