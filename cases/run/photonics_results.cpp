/// \file
/// The photonic results in results.h5: one table per device kind, the coupling history, the
/// crosstalk matrix, the waveguide polylines and the device power density (split from
/// photonics_coupling.cpp).
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "cases/run/photonics_coupling.hpp"

namespace cposim::cases {
namespace {

using postproc::Hdf5Column;

template <typename Row, typename F>
std::vector<double> column(const std::vector<Row>& rows, F f) {
  std::vector<double> out;
  for (const auto& r : rows) out.push_back(static_cast<double>(f(r)));
  return out;
}
template <typename Row, typename F>
std::vector<std::string> text_column(const std::vector<Row>& rows, F f) {
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(f(r));
  return out;
}
template <typename Row, typename F>
std::vector<std::int32_t> int_column(const std::vector<Row>& rows, F f) {
  std::vector<std::int32_t> out;
  for (const auto& r : rows) out.push_back(static_cast<std::int32_t>(f(r)));
  return out;
}

constexpr double kNm = 1e9;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// /photonics/rings: one row per ring element.
postproc::ResultsTable rings_table(const PhotonicsReport& report) {
  const auto& R = report.rings;
  return {
      "photonics",
      "rings",
      {{"name", text_column(R, [](const RingResult& r) { return r.name; })},
       {"entry", text_column(R, [](const RingResult& r) { return r.entry; })},
       {"index", int_column(R, [](const RingResult& r) { return r.index; })},
       {"x_m", column(R, [](const RingResult& r) { return r.center_m[0]; })},
       {"y_m", column(R, [](const RingResult& r) { return r.center_m[1]; })},
       {"z_m", column(R, [](const RingResult& r) { return r.center_m[2]; })},
       {"T_K", column(R, [](const RingResult& r) { return r.state.T_K; })},
       {"lambda0_nm", column(R, [](const RingResult& r) { return r.model.lambda0_m * kNm; })},
       {"drift_pm_per_K",
        column(R, [](const RingResult& r) { return r.model.drift_m_per_K * 1e12; })},
       {"delta_lambda_nm", column(R, [](const RingResult& r) { return r.state.drift_m * kNm; })},
       {"resonance_nm", column(R, [](const RingResult& r) { return r.state.resonance_m * kNm; })},
       {"target_nm", column(R, [](const RingResult& r) { return r.state.target_m * kNm; })},
       {"grid", text_column(R, [](const RingResult& r) { return r.grid; })},
       {"channel", int_column(R, [](const RingResult& r) { return r.channel; })},
       {"laser", text_column(R, [](const RingResult& r) { return r.laser; })},
       {"detuning_nm", column(R, [](const RingResult& r) { return r.state.detuning_m * kNm; })},
       {"order", int_column(R, [](const RingResult& r) { return r.state.order; })},
       {"shift_nm", column(R, [](const RingResult& r) { return r.state.shift_m * kNm; })},
       {"fsr_nm", column(R, [](const RingResult& r) { return r.model.fsr_m * kNm; })},
       {"heater_W", column(R, [](const RingResult& r) { return r.state.heater_W; })},
       {"heater_required_W",
        column(R, [](const RingResult& r) { return r.state.heater_required_W; })},
       {"heater_max_W", column(R, [](const RingResult& r) { return r.model.heater_max_W; })},
       {"heater_self_K_per_W",
        column(R, [](const RingResult& r) { return r.heater_self_K_per_W; })},
       {"open_loop_heater_W", column(R, [](const RingResult& r) { return r.open_loop_heater_W; })},
       {"in_range", int_column(R, [](const RingResult& r) { return r.state.in_range ? 1 : 0; })},
       {"margin_nm", column(R, [](const RingResult& r) { return r.state.margin_m * kNm; })},
       {"residual_nm", column(R, [](const RingResult& r) { return r.state.residual_m * kNm; })},
       {"linewidth_nm", column(R, [](const RingResult& r) { return r.state.linewidth_m * kNm; })},
       {"laser_detuning_nm",
        column(R, [](const RingResult& r) { return r.laser_detuning_m * kNm; })}}};
}

/// /photonics/banks: one row per [[rings]] entry.
postproc::ResultsTable banks_table(const PhotonicsReport& report) {
  const auto& B = report.banks;
  return {
      "photonics",
      "banks",
      {{"name", text_column(B, [](const BankResult& b) { return b.name; })},
       {"count", int_column(B, [](const BankResult& b) { return b.count; })},
       {"T_min_K", column(B, [](const BankResult& b) { return b.T_min_K; })},
       {"T_max_K", column(B, [](const BankResult& b) { return b.T_max_K; })},
       {"gradient_K", column(B, [](const BankResult& b) { return b.gradient_K; })},
       {"heater_W", column(B, [](const BankResult& b) { return b.heater_W; })},
       {"open_loop_heater_W", column(B, [](const BankResult& b) { return b.open_loop_heater_W; })},
       {"worst_delta_lambda_nm",
        column(B, [](const BankResult& b) { return b.worst_drift_m * kNm; })},
       {"worst_margin_nm", column(B, [](const BankResult& b) { return b.worst_margin_m * kNm; })},
       {"out_of_range", int_column(B, [](const BankResult& b) { return b.out_of_range; })}}};
}

/// /photonics/lasers: one row per laser element.
postproc::ResultsTable lasers_table(const PhotonicsReport& report) {
  const auto& L = report.lasers;
  return {"photonics",
          "lasers",
          {{"name", text_column(L, [](const LaserResult& l) { return l.name; })},
           {"placement",
            text_column(
                L, [](const LaserResult& l) { return l.external ? "external" : "on_package"; })},
           {"x_m", column(L, [](const LaserResult& l) { return l.center_m[0]; })},
           {"y_m", column(L, [](const LaserResult& l) { return l.center_m[1]; })},
           {"z_m", column(L, [](const LaserResult& l) { return l.center_m[2]; })},
           {"T_case_K", column(L, [](const LaserResult& l) { return l.state.T_case_K; })},
           {"T_junction_K", column(L, [](const LaserResult& l) { return l.state.T_junction_K; })},
           {"lambda_nm", column(L, [](const LaserResult& l) { return l.state.lambda_m * kNm; })},
           {"grid", text_column(L, [](const LaserResult& l) { return l.grid; })},
           {"channel", int_column(L, [](const LaserResult& l) { return l.channel; })},
           {"window_lo_nm", column(L,
                                   [](const LaserResult& l) {
                                     return l.has_window ? l.window.window_lo_m * kNm : kNaN;
                                   })},
           {"window_hi_nm", column(L,
                                   [](const LaserResult& l) {
                                     return l.has_window ? l.window.window_hi_m * kNm : kNaN;
                                   })},
           {"window_margin_nm", column(L,
                                       [](const LaserResult& l) {
                                         return l.has_window ? l.window_margin_m * kNm : kNaN;
                                       })},
           {"threshold_A", column(L, [](const LaserResult& l) { return l.state.threshold_A; })},
           {"slope_W_per_A", column(L, [](const LaserResult& l) { return l.state.slope_W_per_A; })},
           {"optical_W", column(L, [](const LaserResult& l) { return l.state.optical_W; })},
           {"electrical_W", column(L, [](const LaserResult& l) { return l.state.electrical_W; })},
           {"heat_W", column(L, [](const LaserResult& l) { return l.state.heat_W; })},
           {"lasing", int_column(L, [](const LaserResult& l) { return l.state.lasing ? 1 : 0; })}}};
}

/// /photonics/waveguides: one row per waveguide and MZI arm.
postproc::ResultsTable waveguides_table(const PhotonicsReport& report) {
  const auto& P = report.paths;
  return {
      "photonics",
      "waveguides",
      {{"name", text_column(P, [](const PathResult& p) { return p.name; })},
       {"kind", text_column(P, [](const PathResult& p) { return p.kind; })},
       {"length_m", column(P, [](const PathResult& p) { return p.state.path.length_m; })},
       {"T_mean_K", column(P, [](const PathResult& p) { return p.state.path.T_mean_K; })},
       {"T_min_K", column(P, [](const PathResult& p) { return p.state.path.T_min_K; })},
       {"T_max_K", column(P, [](const PathResult& p) { return p.state.path.T_max_K; })},
       {"phase_rad", column(P, [](const PathResult& p) { return p.state.phase_rad; })},
       {"loss_dB", column(P, [](const PathResult& p) { return p.state.loss_dB; })},
       {"group_delay_s", column(P, [](const PathResult& p) { return p.state.group_delay_s; })}}};
}

/// /photonics/mzis: one row per MZI.
postproc::ResultsTable mzis_table(const PhotonicsReport& report) {
  const auto& P = report.paths;
  const auto& M = report.mzis;
  return {
      "photonics",
      "mzis",
      {{"name", text_column(M, [](const MziResult& m) { return m.name; })},
       {"phase_a_rad", column(M, [&](const MziResult& m) { return P[m.arm_a].state.phase_rad; })},
       {"phase_b_rad", column(M, [&](const MziResult& m) { return P[m.arm_b].state.phase_rad; })},
       {"imbalance_rad", column(M, [](const MziResult& m) { return m.imbalance_rad; })},
       {"arm_dT_K", column(M, [](const MziResult& m) { return m.arm_dT_K; })}}};
}

/// /photonics/coupling: one row per coupling iteration.
postproc::ResultsTable coupling_table(const PhotonicsReport& report) {
  const auto& H = report.history;
  return {"photonics",
          "coupling",
          {{"iteration", int_column(H, [](const CouplingStep& s) { return s.iteration; })},
           {"heater_W", column(H, [](const CouplingStep& s) { return s.heater_W; })},
           {"laser_heat_W", column(H, [](const CouplingStep& s) { return s.laser_heat_W; })},
           {"change", column(H, [](const CouplingStep& s) { return s.change; })},
           {"max_ring_T_K", column(H, [](const CouplingStep& s) { return s.max_ring_T_K; })},
           {"linear_iterations",
            int_column(H, [](const CouplingStep& s) { return s.linear_iterations; })},
           {"out_of_range", int_column(H, [](const CouplingStep& s) { return s.out_of_range; })}}};
}

/// /photonics/crosstalk: the rise of each ring per watt in each heater.
postproc::ResultsTable crosstalk_table(const PhotonicsReport& report) {
  std::vector<std::string> ring, heater;
  std::vector<double> value;
  const auto& R = report.rings;
  const std::size_t n = R.size();
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      ring.push_back(R[i].name);
      heater.push_back(R[j].name);
      value.push_back(report.crosstalk_K_per_W[i * n + j]);
    }
  return {"photonics", "crosstalk", {{"ring", ring}, {"heater", heater}, {"dT_dP_K_per_W", value}}};
}

/// Waveguides and MZI arms for ParaView: one segment per piece (each inside one cell).
postproc::PolylineSet waveguide_polylines(const PhotonicsReport& report) {
  const auto& P = report.paths;
  postproc::PolylineSet set;
  set.name = "waveguides";
  std::vector<double> T, dT, device;
  for (std::size_t d = 0; d < P.size(); ++d)
    for (const auto& piece : P[d].pieces) {
      const auto first = static_cast<std::int64_t>(set.points_m.size());
      set.points_m.push_back(piece.from_m);
      set.points_m.push_back(piece.to_m);
      set.segments.push_back({first, first + 1});
      device.push_back(static_cast<double>(d));
    }
  for (const auto& p : P) {
    T.insert(T.end(), p.piece_T_K.begin(), p.piece_T_K.end());
    for (double t : p.piece_T_K) dT.push_back(t - p.optics.T_ref_K);
  }
  set.segment_values = {{"T_K", T}, {"delta_T_K", dT}, {"device", device}};
  return set;
}

/// The heater and laser heat per volume of the last solve.
mesh::CellField device_power_density(const PhotonicsReport& report,
                                     const mesh::RectilinearGrid& grid) {
  std::vector<double> q(grid.num_cells(), 0.0);
  for (std::size_t c = 0; c < q.size() && c < report.device_cell_power_W.size(); ++c) {
    const auto ijk = grid.ijk(c);
    q[c] = report.device_cell_power_W[c] / grid.volume_m3(ijk[0], ijk[1], ijk[2]);
  }
  return {&grid, "device_power_density_W_per_m3", std::move(q)};
}

}  // namespace

void add_photonics_results(const PhotonicsReport& report, const mesh::RectilinearGrid& grid,
                           postproc::ResultsContent& content) {
  content.tables.push_back(rings_table(report));
  content.tables.push_back(banks_table(report));
  content.tables.push_back(lasers_table(report));
  content.tables.push_back(waveguides_table(report));
  content.tables.push_back(mzis_table(report));
  content.tables.push_back(coupling_table(report));
  if (!report.crosstalk_K_per_W.empty()) content.tables.push_back(crosstalk_table(report));
  content.polylines.push_back(waveguide_polylines(report));
  content.fields.push_back(device_power_density(report, grid));
  content.string_attributes.push_back({"photonics_status", to_string(report.status)});
  content.string_attributes.push_back({"photonics_message", report.message});
  content.integer_attributes.push_back({"coupling_iterations", report.iterations});
  content.integer_attributes.push_back({"photonics_ok", report.ok() ? 1 : 0});
  content.real_attributes.push_back({"total_heater_W", report.total_heater_W});
  content.real_attributes.push_back({"open_loop_heater_W", report.open_loop_heater_W});
  content.real_attributes.push_back({"laser_heat_W", report.laser_heat_W});
  content.real_attributes.push_back({"coupling_tolerance", report.tolerance});
}

}  // namespace cposim::cases
