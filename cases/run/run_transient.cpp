/// \file
/// The transient run: power over time → initial state → time integration with outputs →
/// results. The phase structure of a [transient] case is visible in run_transient() and
/// nowhere else.
#include "cases/run/run_transient.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <numeric>
#include <sstream>
#include <stdexcept>
#include <system_error>

#include "cases/run/face_stats.hpp"
#include "cases/run/iterate_hooks.hpp"
#include "mesh/units.hpp"
#include "postproc/fields/probes.hpp"
#include "postproc/fields/region_statistics.hpp"
#include "solver/energy_balance.hpp"

namespace cposim::cases {
namespace {

using mesh::kKelvinAtZeroCelsius;
/// Rows of the probe history shown in the printed summary (evenly spread over the outputs).
constexpr std::size_t kSummaryRows = 12;
/// Probe columns shown in the printed summary (all of them are in probes.csv).
constexpr std::size_t kSummaryProbes = 6;

bool wants(const BuiltProblem& built, const std::string& field) {
  return std::find(built.output_fields.begin(), built.output_fields.end(), field) !=
         built.output_fields.end();
}

double sum(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0); }

/// Output times plus the waveform points in between: the times the solver lands on.
std::vector<double> landing_times(const std::vector<double>& outputs,
                                  const std::vector<double>& breakpoints) {
  std::vector<double> all = outputs;
  all.insert(all.end(), breakpoints.begin(), breakpoints.end());
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  return all;
}

}  // namespace

double waveform_value(const PowerWaveformSpec& w, double t_s) {
  const auto it = std::lower_bound(w.t_s.begin(), w.t_s.end(), t_s);  // first point ≥ t
  if (it == w.t_s.end()) return w.values.back();
  const auto hi = static_cast<std::size_t>(it - w.t_s.begin());
  if (hi == 0) return w.values.front();
  // t_s[hi-1] < t ≤ t_s[hi]: steps keep the earlier value up to and including t_s[hi].
  if (w.kind == PowerWaveformSpec::Kind::steps) return w.values[hi - 1];
  const double s = (t_s - w.t_s[hi - 1]) / (w.t_s[hi] - w.t_s[hi - 1]);
  return w.values[hi - 1] + s * (w.values[hi] - w.values[hi - 1]);
}

TransientPower::TransientPower(const CaseSpec& spec, const BuiltProblem& built)
    : region_of_cell_(&built.region_of_cell),
      unit_W_(built.cell_power_W),
      waveform_of_region_(built.regions.size(), nullptr),
      scale_(built.regions.size(), 1.0) {
  const auto& g = *built.grid;
  for (std::size_t b = 0; b < spec.blocks.size(); ++b) {
    const auto& block = spec.blocks[b];
    if (!block.power_waveform) continue;
    const std::size_t region = 1 + spec.layers.size() + b;  // build_problem's region ids
    waveform_of_region_[region] = &*block.power_waveform;
    if (!block.power_waveform->in_watts) continue;
    // Watts: spread in the shape of the steady power, or by volume if there is none.
    double total = 0.0, volume = 0.0;
    for (std::size_t c = 0; c < g.num_cells(); ++c) {
      if (static_cast<std::size_t>(built.region_of_cell[c]) != region) continue;
      const auto ijk = g.ijk(c);
      total += built.cell_power_W[c];
      volume += g.volume_m3(ijk[0], ijk[1], ijk[2]);
    }
    if (!(total > 0.0) && (block.power_map || !(volume > 0.0)))
      throw CaseError(block.power_waveform->where,
                      "block '" + block.name + "' has no cells " +
                          (volume > 0.0 ? "with power in its power map " : "left after painting ") +
                          "to spread the waveform's power_W over");
    for (std::size_t c = 0; c < g.num_cells(); ++c) {
      if (static_cast<std::size_t>(built.region_of_cell[c]) != region) continue;
      const auto ijk = g.ijk(c);
      unit_W_[c] = total > 0.0 ? built.cell_power_W[c] / total
                               : g.volume_m3(ijk[0], ijk[1], ijk[2]) / volume;
    }
  }
}

void TransientPower::evaluate(double t_s, const std::vector<double>& /*T_K*/,
                              std::vector<double>& cell_power_W) const {
  for (std::size_t r = 0; r < scale_.size(); ++r)
    scale_[r] = waveform_of_region_[r] ? waveform_value(*waveform_of_region_[r], t_s) : 1.0;
  cell_power_W.resize(unit_W_.size());
  for (std::size_t c = 0; c < unit_W_.size(); ++c)
    cell_power_W[c] = unit_W_[c] * scale_[static_cast<std::size_t>((*region_of_cell_)[c])];
}

std::vector<double> TransientPower::breakpoints(double t0_s, double t1_s) const {
  std::vector<double> out;
  for (const auto* w : waveform_of_region_)
    if (w != nullptr)
      for (double t : w->t_s)
        if (t > t0_s && t < t1_s) out.push_back(t);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

namespace {

/// The leakage or cold-plate coupling of a run, null if absent or empty.
template <class Coupling>
Coupling* non_empty(Coupling* c) {
  return c && !c->empty() ? c : nullptr;
}

/// Sets the state at t = 0 in T_K: the steady solve (initial = steady) or a uniform
/// temperature. False if the steady start failed (out.final_state then says how).
bool set_initial_state(const TransientSpec& ts, const solver::ThermalProblem& problem,
                       solver::SteadySolver& steady, const solver::IterateHook& hook,
                       std::size_t num_cells, std::vector<double>& T_K, TransientSummary& out) {
  if (ts.initial == InitialState::steady) {
    out.initial = "steady";
    if (!problem.has_heat_sink())
      throw CaseError(ts.where,
                      "[transient] initial = \"steady\" needs a convection or fixed_temperature "
                      "face (without one no steady state exists); use initial = \"ambient\"");
    T_K.clear();
    out.initial_solve = steady.solve(problem, T_K, hook);
    out.initial_T_K = std::numeric_limits<double>::quiet_NaN();
    const auto& s = *out.initial_solve;
    if (s.cancelled || !s.converged || !s.all_finite || s.runaway) {
      out.final_state = s;
      out.final_state.converged = false;
      return false;
    }
    return true;
  }
  out.initial = "ambient";
  const double T0 =
      ts.initial_T_K ? *ts.initial_T_K : solver::boundary_reference_temperature(problem);
  if (!(T0 > 0.0))
    throw CaseError(ts.where,
                    "[transient] initial = \"ambient\" takes the mean temperature of the "
                    "convection and fixed_temperature faces, but there are none; set "
                    "initial_T_K");
  out.initial_T_K = T0;
  T_K.assign(num_cells, T0);
  return true;
}

/// The time integrator's options from [transient] and [solver].
solver::TransientOptions transient_options(const TransientSpec& ts,
                                           const solver::SteadyOptions& solver_options) {
  solver::TransientOptions o;
  o.linear = solver_options.linear;
  o.scheme = ts.scheme;
  o.adaptive = ts.adaptive;
  o.dt_initial_s = ts.dt_initial_s;
  if (ts.dt_max_s) o.dt_max_s = *ts.dt_max_s;
  o.dt_min_s = std::min(o.dt_min_s, ts.dt_initial_s);
  o.tolerance_K = ts.tolerance_K;
  o.picard_tolerance_K = solver_options.picard_tolerance_K;
  o.max_picard_iterations = solver_options.max_picard_iterations;
  o.runaway_T_K = solver_options.runaway_T_K;
  return o;
}

/// Records the requested output times into a TransientSummary: totals, probes, regions,
/// coolant, leaky blocks and the fields; one progress event per output.
class OutputRecorder {
 public:
  OutputRecorder(const TransientSpec& ts, const BuiltProblem& built, BlockPowerModel* leaky,
                 ColdPlateCoupling* plates, const solver::ThermalProblem& problem,
                 const std::vector<double>& T_K,
                 const std::function<void(const ProgressEvent&)>& progress, TransientSummary& out)
      : ts_(ts),
        built_(built),
        leaky_(leaky),
        plates_(plates),
        progress_(progress),
        out_(out),
        with_density_(wants(built, "power_density_W_per_m3")),
        p_out_(problem) {
    for (const auto& p : built.probes) {
      probes_.push_back({p.name, p.at_m});
      out.probe_names.push_back(p.name);
    }
    for (const auto& r : built.regions) out.region_names.push_back(r.name);
    out.probe_T_K.assign(probes_.size(), {});
    out.region_T_max_K.assign(built.regions.size(), {});
    out.region_T_mean_K.assign(built.regions.size(), {});
    if (plates)
      for (const auto& r : plates->results(T_K)) out.plate_names.push_back(r.name);
    if (leaky) out.leaky_block_names = leaky->names();
    out.plate_outlet_T_K.assign(out.plate_names.size(), {});
    out.plate_heat_W.assign(out.plate_names.size(), {});
    out.leaky_block_T_K.assign(out.leaky_block_names.size(), {});
    out.leaky_block_W.assign(out.leaky_block_names.size(), {});
    p_out_.cell_power_W = &P_;
  }
  OutputRecorder(const OutputRecorder&) = delete;
  OutputRecorder& operator=(const OutputRecorder&) = delete;

  /// Called by the solver at every landing time; records only the output times.
  void operator()(double t, const std::vector<double>& T) {
    if (next_output_ >= ts_.output_times_s.size() || t != ts_.output_times_s[next_output_]) return;
    ++next_output_;
    P_ = built_.cell_power_W;  // the power the step's solution was computed with
    out_.times_s.push_back(t);
    out_.power_W.push_back(sum(P_));
    out_.heat_out_W.push_back(solver::compute_energy_balance(p_out_, T).heat_out_W);
    record_points(T);
    record_fields(T);
    report_progress(t);
  }

  /// Moves the recorded fields into out.series.
  void finish() {
    out_.series.times_s = out_.times_s;
    out_.series.fields.push_back(std::move(temperature_));
    if (with_density_) out_.series.fields.push_back(std::move(density_));
  }

 private:
  /// Probes, region statistics, coolant and leaky blocks at one output.
  void record_points(const std::vector<double>& T) {
    const mesh::CellField field{built_.grid.get(), "temperature_K", T};
    auto readings = postproc::read_probes(field, probes_);
    apply_face_probes(built_, T, readings);  // on_face probes: face values
    for (std::size_t i = 0; i < readings.size(); ++i) out_.probe_T_K[i].push_back(readings[i].T_K);
    const auto stats =
        postproc::region_statistics(field, built_.region_of_cell, out_.region_names, P_);
    for (std::size_t r = 0; r < stats.size(); ++r) {
      out_.region_T_max_K[r].push_back(stats[r].T_max_K);
      out_.region_T_mean_K[r].push_back(stats[r].T_mean_K);
    }
    if (plates_) {
      const auto results = plates_->results(T);
      for (std::size_t i = 0; i < results.size(); ++i) {
        out_.plate_outlet_T_K[i].push_back(results[i].outlet_T_K);
        out_.plate_heat_W[i].push_back(results[i].heat_W);
      }
    }
    if (leaky_) {
      const auto samples = leaky_->sample(T);
      for (std::size_t i = 0; i < samples.size(); ++i) {
        out_.leaky_block_T_K[i].push_back(samples[i].first);
        out_.leaky_block_W[i].push_back(samples[i].second);
      }
    }
  }

  /// The temperature field and, if asked for, the power density at one output.
  void record_fields(const std::vector<double>& T) {
    temperature_.values.push_back(T);
    if (!with_density_) return;
    const auto& g = *built_.grid;
    std::vector<double> q(g.num_cells());
    for (std::size_t c = 0; c < q.size(); ++c) {
      const auto ijk = g.ijk(c);
      q[c] = P_[c] / g.volume_m3(ijk[0], ijk[1], ijk[2]);
    }
    density_.values.push_back(std::move(q));
  }

  void report_progress(double t) const {
    if (!progress_) return;
    ProgressEvent e;
    e.phase = "solve";
    std::string text = fmt::format("t = {:.6g} s of {:.6g} s (output {} of {})", t, ts_.end_time_s,
                                   next_output_, ts_.output_times_s.size());
    e.message = text;
    e.iteration = static_cast<int>(next_output_);
    e.fraction = 0.1 + 0.7 * t / ts_.end_time_s;
    progress_(e);
  }

  const TransientSpec& ts_;
  const BuiltProblem& built_;
  BlockPowerModel* leaky_;
  ColdPlateCoupling* plates_;
  const std::function<void(const ProgressEvent&)>& progress_;
  TransientSummary& out_;
  bool with_density_;
  std::vector<postproc::Probe> probes_;
  postproc::TimeSeriesField temperature_{"temperature_K", {}};
  postproc::TimeSeriesField density_{"power_density_W_per_m3", {}};
  std::size_t next_output_ = 0;
  std::vector<double> P_;
  solver::ThermalProblem p_out_;
};

/// The final state as the shared post-processing sees it: a steady report of the last state.
void set_final_state(const BuiltProblem& built, const std::vector<double>& T_K,
                     TransientSummary& out) {
  solver::SolveReport& f = out.final_state;
  f.converged = out.report.completed;
  f.linear_solver = out.report.linear_solver;
  f.picard_iterations = static_cast<int>(out.report.picard_iterations);
  f.linear_iterations = static_cast<int>(out.report.linear_iterations);
  f.linear_converged = out.report.linear_converged;
  f.all_finite = out.report.all_finite;
  f.cancelled = out.report.cancelled;
  f.runaway = out.report.runaway;
  f.hook_note = out.report.hook_note;
  if (out.initial_solve) {  // the steady start's work counts too
    f.assembly_s = out.initial_solve->assembly_s;
    f.setup_s = out.initial_solve->setup_s;
    f.solve_s = out.initial_solve->solve_s;
  }
  f.setup_s += out.report.setup_s;
  f.solve_s += out.report.solve_s;
  f.energy = solver::compute_energy_balance(built.problem(), T_K);
  f.max_T_K = T_K.empty() ? 0.0 : *std::max_element(T_K.begin(), T_K.end());
}

}  // namespace

TransientSummary run_transient(const CaseSpec& spec, BuiltProblem& built,
                               const solver::SteadyOptions& solver_options,
                               solver::SteadySolver& steady, std::vector<double>& T_K,
                               const std::function<void(const ProgressEvent&)>& progress,
                               const TransientCoupling& coupling) {
  const TransientSpec& ts = *spec.transient;
  const auto& g = *built.grid;
  TransientSummary out;
  out.end_time_s = ts.end_time_s;
  out.adaptive = ts.adaptive;
  out.tolerance_K = ts.tolerance_K;

  // 1. Power over time: the waveforms' base power, then the leaky blocks' P(T) − dynamic share
  // (the base is rewritten every step, so the leakage is applied again on top of it).
  const TransientPower power(spec, built);
  BlockPowerModel* leaky = non_empty(coupling.block_power);
  ColdPlateCoupling* plates = non_empty(coupling.cold_plates);
  TransientPhotonics* devices = non_empty(coupling.photonics);
  auto evaluate_power = [&](double t, const std::vector<double>& T) {
    power.evaluate(t, T, built.cell_power_W);
    if (leaky) leaky->reapply();
    if (devices) devices->add_power(built.cell_power_W);
  };
  std::vector<solver::IterateHook> hooks;
  if (leaky) hooks.push_back(leaky->hook());
  if (plates) hooks.push_back(plates->hook());
  CavityCoupling* cavities = non_empty(coupling.cavities);
  if (cavities) hooks.push_back(cavities->hook());
  std::vector<solver::IterateHook> step_hooks = hooks;
  if (devices) {
    hooks.push_back(devices->initial_hook());  // the steady start: every ring locked
    step_hooks.push_back(devices->step_hook());
  }
  const solver::IterateHook hook = combine_hooks(std::move(hooks));
  const solver::IterateHook step_hook = combine_hooks(std::move(step_hooks));

  // 2. Initial state at t = 0.
  power.evaluate(0.0, T_K, built.cell_power_W);
  const solver::ThermalProblem problem = built.problem();
  const double T_start = ts.initial == InitialState::ambient && ts.initial_T_K
                             ? *ts.initial_T_K
                             : solver::boundary_reference_temperature(problem);
  // P(T) at the start temperature (steady: the iterates rise from there).
  if (leaky) leaky->initialise(T_start);
  if (devices && T_start > 0.0)  // heaters' own near field, laser heat at T_ref
    devices->prepare(problem, std::vector<double>(g.num_cells(), T_start));
  if (!set_initial_state(ts, problem, steady, hook, g.num_cells(), T_K, out)) return out;
  if (devices) devices->start(T_K);  // heaters locked on the initial state, PI loops from there

  // 3. Time integration; outputs recorded at the requested times (the solver also lands on
  // waveform points and PI samples, which are not outputs).
  std::vector<double> events = power.breakpoints(0.0, ts.end_time_s);
  if (devices) {
    const auto samples = devices->sample_times(ts.end_time_s);
    events.insert(events.end(), samples.begin(), samples.end());
  }
  const std::vector<double> landings = landing_times(ts.output_times_s, events);
  OutputRecorder recorder(ts, built, leaky, plates, problem, T_K, progress, out);
  std::size_t next_output = 0;
  auto record = [&](double t, const std::vector<double>& T) {
    recorder(t, T);
    if (!devices) return;
    const bool output =
        next_output < ts.output_times_s.size() && t == ts.output_times_s[next_output];
    if (output) ++next_output;
    devices->on_landing(t, T, output);
  };
  solver::TransientSolver solver(g, transient_options(ts, solver_options));
  if (cavities) cavities->start_transient(0.0, T_K);  // the coolant stores heat from here on
  const solver::PowerCallback power_at = [&](double t, const std::vector<double>& T,
                                             std::vector<double>& cell_power_W) {
    if (cavities) cavities->begin_step(t, T);
    evaluate_power(t, T);
    cell_power_W = built.cell_power_W;
  };
  out.report = solver.run(problem, T_K, 0.0, landings, power_at, record, step_hook);

  // 4. The final state as the shared post-processing sees it.
  evaluate_power(out.report.t_reached_s, T_K);
  recorder.finish();
  if (devices) out.photonics = devices->series();
  set_final_state(built, T_K, out);
  return out;
}

std::string transient_failure(const TransientSummary& s, const SolverSpec& solver_spec) {
  std::string text;
  if (s.initial_solve && (!s.initial_solve->converged || !s.initial_solve->all_finite))
    return "the steady solve for initial = \"steady\" did not converge (linear solver " +
           s.initial_solve->linear_solver + "); check [solver] or use initial = \"ambient\"";
  const auto& r = s.report;
  if (!r.completed) {
    text = fmt::format("the transient run stopped at t = {:.6g} s of {:.6g} s: {}; {}",
                       r.t_reached_s, s.end_time_s, r.failure,
                       s.adaptive ? "raise [transient] tolerance_K or check [solver]"
                                  : "use a smaller [transient] dt_initial_s or adaptive = true");
    return text;
  }
  if (!(r.energy_relative <= solver_spec.max_energy_imbalance)) {
    text = fmt::format(
        "the transient energy accounting is off by {:.3g} (relative; in {:.6g} J, out "
        "{:.6g} J, stored {:.6g} J), more than [solver] max_energy_imbalance = {:.3g}; lower "
        "relative_tolerance",
        r.energy_relative, r.energy_in_J, r.heat_out_J, r.stored_change_J,
        solver_spec.max_energy_imbalance);
    return text;
  }
  return "";
}

void add_transient_results(TransientSummary& s, postproc::ResultsContent& content) {
  content.time_series = std::move(s.series);
  s.series = {};
  if (s.photonics)  // the heaters' and lasers' heat beside T in the temporal collection
    content.time_series.fields.push_back(std::move(s.photonics->device_power));
  content.tables.push_back(
      {"transient",
       "outputs",
       {{"t_s", s.times_s}, {"power_W", s.power_W}, {"heat_out_W", s.heat_out_W}}});
  std::vector<postproc::Hdf5Column> probes{{"t_s", s.times_s}};
  for (std::size_t i = 0; i < s.probe_names.size(); ++i)
    probes.push_back({s.probe_names[i] + "_T_K", s.probe_T_K[i]});
  content.tables.push_back({"transient", "probes", std::move(probes)});
  std::vector<postproc::Hdf5Column> regions{{"t_s", s.times_s}};
  for (std::size_t r = 0; r < s.region_names.size(); ++r) {
    regions.push_back({s.region_names[r] + "_T_max_K", s.region_T_max_K[r]});
    regions.push_back({s.region_names[r] + "_T_mean_K", s.region_T_mean_K[r]});
  }
  content.tables.push_back({"transient", "regions", std::move(regions)});
  std::vector<postproc::Hdf5Column> coupled{{"t_s", s.times_s}};
  for (std::size_t i = 0; i < s.plate_names.size(); ++i) {
    coupled.push_back({s.plate_names[i] + "_outlet_T_K", s.plate_outlet_T_K[i]});
    coupled.push_back({s.plate_names[i] + "_heat_W", s.plate_heat_W[i]});
  }
  for (std::size_t i = 0; i < s.leaky_block_names.size(); ++i) {
    coupled.push_back({s.leaky_block_names[i] + "_T_K", s.leaky_block_T_K[i]});
    coupled.push_back({s.leaky_block_names[i] + "_power_W", s.leaky_block_W[i]});
  }
  content.tables.push_back({"transient", "coupling", std::move(coupled)});
  if (s.photonics) add_transient_photonics_results(*s.photonics, s.times_s, content);
  const auto& r = s.report;
  content.string_attributes.push_back({"transient_scheme", r.scheme});
  content.string_attributes.push_back({"transient_initial", s.initial});
  if (!r.failure.empty()) content.string_attributes.push_back({"transient_failure", r.failure});
  content.integer_attributes.push_back({"transient_completed", r.completed ? 1 : 0});
  content.integer_attributes.push_back({"transient_adaptive", s.adaptive ? 1 : 0});
  content.integer_attributes.push_back({"transient_steps", r.steps});
  content.integer_attributes.push_back({"transient_rejected_steps", r.rejected_steps});
  content.integer_attributes.push_back({"transient_setups", r.setups});
  content.integer_attributes.push_back({"transient_picard_iterations", r.picard_iterations});
  content.integer_attributes.push_back(
      {"transient_outputs", static_cast<std::int64_t>(s.times_s.size())});
  content.real_attributes.push_back({"transient_end_time_s", s.end_time_s});
  content.real_attributes.push_back({"transient_t_reached_s", r.t_reached_s});
  content.real_attributes.push_back({"transient_tolerance_K", s.tolerance_K});
  content.real_attributes.push_back({"transient_dt_min_s", r.dt_smallest_s});
  content.real_attributes.push_back({"transient_dt_max_s", r.dt_largest_s});
  content.real_attributes.push_back({"transient_max_error_estimate_K", r.max_error_estimate_K});
  content.real_attributes.push_back({"transient_energy_in_J", r.energy_in_J});
  content.real_attributes.push_back({"transient_heat_out_J", r.heat_out_J});
  content.real_attributes.push_back({"transient_stored_change_J", r.stored_change_J});
  content.real_attributes.push_back({"transient_energy_imbalance_J", r.energy_imbalance_J});
  content.real_attributes.push_back({"transient_energy_relative", r.energy_relative});
  if (s.initial == "ambient")
    content.real_attributes.push_back({"transient_initial_T_K", s.initial_T_K});
}

void write_transient_csv(const std::string& path, const TransientSummary& s) {
  namespace fs = std::filesystem;
  const std::string tmp = path + ".tmp-" + std::to_string(static_cast<long long>(::getpid()));
  {
    std::ofstream csv(tmp, std::ios::binary | std::ios::trunc);
    if (!csv) throw std::runtime_error("cannot create '" + tmp + "'");
    csv << "t_s";
    for (const auto& p : s.probe_names) csv << "," << p << "_T_K";
    for (const auto& r : s.region_names) csv << "," << r << "_T_max_K," << r << "_T_mean_K";
    csv << "\n";
    std::string cell;
    for (std::size_t i = 0; i < s.times_s.size(); ++i) {
      cell = fmt::format("{:.10g}", s.times_s[i]);
      csv << cell;
      for (const auto& p : s.probe_T_K) {
        cell = fmt::format(",{:.10g}", p[i]);
        csv << cell;
      }
      for (std::size_t r = 0; r < s.region_names.size(); ++r) {
        cell = fmt::format(",{:.10g},{:.10g}", s.region_T_max_K[r][i], s.region_T_mean_K[r][i]);
        csv << cell;
      }
      csv << "\n";
    }
    csv.close();
    if (!csv) {
      std::error_code ignored;
      fs::remove(tmp, ignored);
      throw std::runtime_error("cannot write '" + tmp + "'");
    }
  }
  std::error_code error;
  fs::rename(tmp, path, error);
  if (error) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    throw std::runtime_error("cannot rename '" + tmp + "' to '" + path + "': " + error.message());
  }
}

std::string format_transient(const TransientSummary& s) {
  std::ostringstream os;
  std::string line;
  const auto& r = s.report;
  line = fmt::format(
      "\ntransient ({}, {}, initial {}): {} at t = {:.6g} s of {:.6g} s\n"
      "  {} steps ({} rejected), dt {:.3g} .. {:.3g} s, {} set-ups, {} Picard "
      "iterates, max error estimate {:.3g} K (tolerance {:.3g} K)\n",
      r.scheme, s.adaptive ? "adaptive" : "fixed step", s.initial,
      r.completed ? "completed" : "STOPPED", r.t_reached_s, s.end_time_s, r.steps, r.rejected_steps,
      r.dt_smallest_s, r.dt_largest_s, r.setups, r.picard_iterations, r.max_error_estimate_K,
      s.tolerance_K);
  os << line;
  if (!r.failure.empty()) os << "  stopped: " << r.failure << "\n";
  line = fmt::format(
      "  energy: in {:.6g} J, out {:.6g} J, stored {:.6g} J, imbalance {:.3e} J (relative "
      "{:.2e}); the balance line below is the instantaneous one at the last time\n",
      r.energy_in_J, r.heat_out_J, r.stored_change_J, r.energy_imbalance_J, r.energy_relative);
  os << line;
  if (s.photonics) os << format_transient_photonics(*s.photonics);
  if (s.times_s.empty()) return os.str();
  // Probe histories in brief: up to kSummaryRows outputs (first and last included).
  const std::size_t n = s.times_s.size();
  const std::size_t shown = std::min(s.probe_names.size(), kSummaryProbes);
  os << "  probe history °C (" << n << " outputs; all in probes.csv)\n  " << std::string(10, ' ');
  for (std::size_t p = 0; p < shown; ++p) {
    line = fmt::format(" {:12.12}", s.probe_names[p]);
    os << line;
  }
  line = fmt::format(" {:>10}\n", "power W");
  os << line;
  std::vector<std::size_t> rows;
  for (std::size_t k = 0; k < std::min(n, kSummaryRows); ++k)
    rows.push_back(n <= kSummaryRows ? k : k * (n - 1) / (kSummaryRows - 1));
  for (std::size_t i : rows) {
    line = fmt::format("  t {:<8.4g}", s.times_s[i]);
    os << line;
    for (std::size_t p = 0; p < shown; ++p) {
      line = fmt::format(" {:12.2f}", s.probe_T_K[p][i] - kKelvinAtZeroCelsius);
      os << line;
    }
    line = fmt::format(" {:10.3f}\n", s.power_W[i]);
    os << line;
  }
  return os.str();
}

}  // namespace cposim::cases
