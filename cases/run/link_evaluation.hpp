#pragma once
/// \file
/// `[[optics.links]]` at the solved temperatures: each link expanded per channel, its chain
/// fed from the photonic results (laser power at its junction temperature, the routed
/// waveguides' loss, each ring's residual detuning after heater tuning and the neighbouring
/// drop rings' actual detunings) into postproc::evaluate_link; the per-channel table
/// (/optics/links in results.h5), the worst channel per engine (stdout, summary.json,
/// report.html) and the link_margins verdict (cases/run/verdicts.hpp).

#include <string>
#include <vector>

#include "cases/run/photonics_coupling.hpp"
#include "cases/spec/photonics_spec.hpp"
#include "postproc/io/results_writer.hpp"
#include "postproc/photonics/link_budget.hpp"

namespace cposim::cases {

/// One channel of a link.
struct LinkChannelResult {
  std::string name;    ///< "<link>.<k>" (or the link name for a one-channel link)
  std::string link;    ///< the [[optics.links]] entry
  std::string engine;  ///< its `engine`, else the modulator ring's block, else the link name
  int channel = 0;     ///< element index k
  std::string laser;   ///< laser element ("" : source_power_dBm)
  std::string modulator, demux;       ///< ring elements or the MZI ("" : none)
  double laser_T_K = 0.0;             ///< junction temperature; NaN without a modelled laser
  double modulator_T_K = 0.0;         ///< footprint temperature; NaN for an MZI
  double demux_T_K = 0.0;             ///< NaN without a demux
  double signal_m = 0.0;              ///< the carrier: the laser line (else the ring's target)
  double modulator_detuning_m = 0.0;  ///< signal − tuned modulator resonance (0 for an MZI)
  double demux_detuning_m = 0.0;      ///< signal − tuned drop resonance
  double crosstalk_ratio = 0.0;       ///< adjacent channels through this drop ring
  double required_margin_dB = 0.0;
  postproc::LinkBudget budget;
};

/// The worst channel of one engine.
struct LinkEngineSummary {
  std::string engine;
  int channels = 0;
  int failing = 0;
  std::string worst;  ///< the channel with the smallest margin
  double worst_margin_dB = 0.0;
  double worst_laser_T_K = 0.0;
};

/// Every channel of every link of `photonics`, evaluated on `report` (the coupling's last
/// state). `photonics` must have passed check_links. Throws std::invalid_argument only for
/// internal errors.
std::vector<LinkChannelResult> evaluate_links(const PhotonicsSpec& photonics,
                                              const PhotonicsReport& report);

/// The worst channel per engine, engines in first-appearance order.
std::vector<LinkEngineSummary> link_engine_summaries(const std::vector<LinkChannelResult>& links);

/// The table /optics/links (one row per channel; see postproc/LAYOUT.md). Nothing without links.
void add_link_results(const std::vector<LinkChannelResult>& links,
                      postproc::ResultsContent& content);

/// The stdout block: the worst channel per engine with its margin and the element that costs
/// most. "" without links.
std::string format_links(const std::vector<LinkChannelResult>& links);

/// The report.html section: the per-engine table and the per-element budget of each engine's
/// worst channel. `escape` is the page's HTML escaping. "" without links.
std::string links_html(const std::vector<LinkChannelResult>& links);

}  // namespace cposim::cases
