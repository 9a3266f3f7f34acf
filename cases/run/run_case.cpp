/// \file
/// The run: build → solve → statistics and probes → results files. The phase structure is
/// visible here and nowhere else; each phase is a named call with plain inputs and outputs.
#include "cases/run/run_case.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <optional>
#include <sstream>

#include "cases/run/face_stats.hpp"
#include "cases/run/iterate_hooks.hpp"
#include "cases/run/run_parts.hpp"
#include "cases/run/temperature_maps.hpp"
#include "cases/run/verdicts.hpp"
#include "cposim_version.hpp"
#include "mesh/units.hpp"
#include "postproc/io/output_folder.hpp"
#include "postproc/io/results_writer.hpp"
#include "postproc/io/tabulate.hpp"
#include "postproc/io/vtk_writer.hpp"

namespace cposim::cases {
namespace {

/// The write phase: every output file into the folder's staging folder, then published in one
/// step (postproc/io/output_folder.hpp); `summary`'s paths name the published files.
void write_outputs(const CaseSpec& spec, const BuiltProblem& built, const LaneEvaluation& lanes,
                   const std::vector<double>& T_K, const RunOptions& options,
                   postproc::OutputFolder& folder, RunSummary& summary) {
  namespace fs = std::filesystem;
  const auto& g = *built.grid;
  const mesh::CellField temperature{&g, "temperature_K", T_K};
  try {
    const fs::path dir = staged_paths(folder, options, summary);
    auto content = results_content(spec, built, summary, T_K);
    if (summary.photonics) add_photonics_results(*summary.photonics, g, content);
    add_lane_results(lanes, spec, content);
    add_link_results(summary.links, content);
    if (summary.envelope) add_envelope_results(*summary.envelope, content);
    add_hot_spot_results(summary, content);
    add_leakage_results(summary.leakage.value_or(LeakageReport{}), content);  // 0 rows: none
    add_limit_results(summary.limits, content);
    add_verdict_results(collect_verdicts(summary), content);
    add_cold_plate_results(summary.cold_plates, g, content);
    add_cavity_results(summary.cavities, content);
    if (summary.transient) add_transient_results(*summary.transient, content);
    auto phase_t0 = Clock::now();
    postproc::write_results(summary.results_path, content);
    summary.times.results_h5_s = seconds_since(phase_t0);
    summary.xdmf_path = postproc::xdmf_sidecar_path(summary.results_path);
    if (summary.transient) {
      summary.transient->probes_csv_path = (dir / "probes.csv").string();
      write_transient_csv(summary.transient->probes_csv_path, *summary.transient);
      if (summary.transient->photonics) {
        summary.transient->photonics_csv_path = (dir / "photonics.csv").string();
        write_transient_photonics_csv(summary.transient->photonics_csv_path,
                                      *summary.transient->photonics, summary.transient->times_s);
      }
    }
    if (summary.photonics && !summary.photonics->crosstalk_K_per_W.empty()) {
      summary.crosstalk_csv_path = (dir / "crosstalk_K_per_W.csv").string();
      write_crosstalk_csv(summary.crosstalk_csv_path, *summary.photonics);
    }
    if (options.vtk.value_or(spec.output.vtk)) {
      const auto vtk_t0 = Clock::now();
      summary.vtk_paths = postproc::write_vtk_results((dir / "results.vtr").string(), content);
      summary.vtk_write_s = seconds_since(vtk_t0);
    }
    phase_t0 = Clock::now();
    summary.map_png_paths = write_temperature_maps(spec, temperature, dir.string());
    summary.times.maps_s = seconds_since(phase_t0);
    phase_t0 = Clock::now();
    if (options.write_reports) options.write_reports(spec, built, dir.string(), summary);
    summary.times.reports_s = seconds_since(phase_t0);
    folder.publish(new_run_id(), spec.case_path, CPOSIM_VERSION);
    rebase_paths(summary, dir, fs::path(folder.path()));
  } catch (const std::runtime_error& e) {
    // The writers throw std::runtime_error (or a subclass: filesystem_error, ios failure) when
    // the file system fails them. A std::logic_error (invalid_argument, out_of_range: content
    // a writer cannot take) or any other exception is a bug, not an I/O error: it passes
    // through to main's internal error (exit 1), the folder likewise left as it was.
    throw OutputError(std::string("cannot write results to '") + folder.path() + "': " + e.what() +
                      "; the folder still holds its previous contents");
  }
}

}  // namespace

/// Why a thermal solve is a failure (see RunSummary::thermal_failure), or "".
std::string thermal_failure(const solver::SolveReport& s, const SolverSpec& solver_spec,
                            const solver::SteadyOptions& options) {
  std::string text;
  if (!s.all_finite)
    return "the temperatures are not finite (NaN or infinite): the linear solve diverged";
  if (!s.linear_converged && s.linear_stagnated) {
    text = fmt::format(
        "the linear solver {} stagnated: relative residual {:.3g} after {} iterations "
        "(relative_tolerance = {:.3g}, round-off floor {:.3g}); more iterations would not "
        "help: choose another linear_solver",
        s.linear_solver, s.relative_residual, s.linear_iterations,
        options.linear.relative_tolerance, s.roundoff_residual);
    return text;
  }
  if (!s.linear_converged) {
    text = fmt::format(
        "the linear solver {} did not converge: relative residual {:.3g} after {} "
        "iterations, relative_tolerance = {:.3g}, max_iterations = {}; raise [solver] "
        "max_iterations or choose another linear_solver",
        s.linear_solver, s.relative_residual, s.linear_iterations,
        options.linear.relative_tolerance, options.linear.max_iterations);
    return text;
  }
  if (!s.converged) {
    text = fmt::format(
        "the Picard iteration on k(T) did not settle in max_picard_iterations = {}: "
        "last change {:.3g} K, picard_tolerance_K = {:.3g}; raise [solver] "
        "max_picard_iterations",
        options.max_picard_iterations, s.last_change_K, options.picard_tolerance_K);
    return text;
  }
  if (!(s.energy.relative <= solver_spec.max_energy_imbalance)) {
    text = fmt::format(
        "the energy balance is off by {:.3g} (relative; power in {:.6g} W, heat out {:.6g} W), "
        "more than [solver] max_energy_imbalance = {:.3g}; lower relative_tolerance",
        s.energy.relative, s.energy.power_in_W, s.energy.heat_out_W,
        solver_spec.max_energy_imbalance);
    return text;
  }
  return "";
}

namespace {

/// Updates between outer iterates, combined into one hook (iterate_hooks.hpp): block power
/// P(T) starts at the solve's initial temperature, so its iterates rise to the fixed point.
solver::IterateHook iterate_hook(const CaseSpec& spec, const BuiltProblem& built,
                                 BlockPowerModel& block_power, ColdPlateCoupling& cold_plates,
                                 CavityCoupling& cavities, solver::SteadyOptions& solver_options) {
  std::vector<solver::IterateHook> hooks;
  if (!block_power.empty()) {
    solver_options.runaway_T_K = spec.solver.runaway_T_K;
    if (!spec.transient) {  // a transient run starts P(T) at its own initial temperature
      block_power.initialise(solver::boundary_reference_temperature(built.problem()));
      // Steady: secant steps and the loop-gain runaway criterion (leakage.hpp), restarted with
      // every solve (the photonic coupling changes the heater power between solves).
      block_power.set_accelerated(true);
      solver_options.on_solve_start = [&block_power] { block_power.restart(); };
      solver_options.stop_after_hook = [&block_power] { return block_power.runaway_detected(); };
    }
    hooks.push_back(block_power.hook());
  }
  if (!cold_plates.empty()) hooks.push_back(cold_plates.hook());
  if (!cavities.empty()) hooks.push_back(cavities.hook());  // coolant cavities, likewise
  return combine_hooks(std::move(hooks));
}

/// The photonic coupling's progress: one "coupling" event per iteration.
std::function<void(const CouplingStep&)> coupling_progress(const RunOptions& options) {
  return [&options](const CouplingStep& step) {
    if (!options.progress) return;
    ProgressEvent e;
    e.phase = "coupling";
    e.message = "coupling iteration: heaters " + std::to_string(step.heater_W) + " W, laser heat " +
                std::to_string(step.laser_heat_W) + " W";
    e.iteration = step.iteration;
    e.residual = step.change;
    options.progress(e);
  };
}

/// The solve of the case into T_K: transient, steady, or steady with the photonic coupling;
/// sets summary.solve, its times and the transient or photonic results.
void solve_case(const CaseSpec& spec, BuiltProblem& built, const RunOptions& options,
                const solver::SteadyOptions& solver_options, solver::SteadySolver& steady,
                const solver::IterateHook& hook, BlockPowerModel& block_power,
                ColdPlateCoupling& cold_plates, CavityCoupling& cavities, std::vector<double>& T_K,
                RunSummary& summary) {
  if (spec.transient) {
    // [transient]: initial state, time integration and outputs (run_transient.hpp); photonic
    // devices under their heater control, the final state as a photonics report.
    TransientPhotonics devices(spec, built);
    summary.transient = run_transient(spec, built, solver_options, steady, T_K, options.progress,
                                      {&block_power, &cold_plates, &cavities, &devices});
    if (!devices.empty() && summary.transient->photonics)
      summary.photonics = devices.final_report(T_K);
    summary.solve = summary.transient->final_state;
    summary.work = {summary.transient->report.picard_iterations,
                    summary.transient->report.linear_iterations};
    if (summary.transient->initial_solve)
      summary.work.linear_solves += summary.transient->initial_solve->linear_solves;
    summary.times.assembly_s = summary.solve.assembly_s;
    summary.times.setup_s = summary.solve.setup_s;
    summary.times.solve_s = summary.solve.solve_s;
  } else if (spec.photonics.empty()) {
    summary.solve = steady.solve(built.problem(), T_K, hook);
    summary.work = {summary.solve.linear_solves, summary.solve.linear_iterations};
    summary.times.assembly_s = summary.solve.assembly_s;
    summary.times.setup_s = summary.solve.setup_s;
    summary.times.solve_s = summary.solve.solve_s;
  } else {
    // Photonic devices: solve ↔ heater and laser power until they agree (one solver, warm
    // starts); built.cell_power_W then includes the device heat of the last solve.
    summary.photonics =
        run_photonics_coupling(spec, built, steady, T_K, coupling_progress(options), hook);
    summary.solve = summary.photonics->last_solve;
    summary.work = {summary.photonics->linear_solves, summary.photonics->linear_iterations};
    summary.times.assembly_s = summary.photonics->assembly_s;
    summary.times.setup_s = summary.photonics->setup_s;
    summary.times.solve_s = summary.photonics->solve_s;
  }
}

/// Statistics, probes, hot spots, devices, lanes, limits and the envelope of the solved field.
LaneEvaluation postprocess(const CaseSpec& spec, const BuiltProblem& built,
                           const std::vector<double>& T_K, const RunOptions& options,
                           RunSummary& summary) {
  const auto& g = *built.grid;
  const mesh::CellField temperature{&g, "temperature_K", T_K};
  std::vector<std::string> names;
  for (const auto& r : built.regions) names.push_back(r.name);
  summary.regions =
      postproc::region_statistics(temperature, built.region_of_cell, names, built.cell_power_W);
  std::vector<postproc::Probe> probes;
  for (const auto& p : built.probes) probes.push_back({p.name, p.at_m});
  summary.probes = postproc::read_probes(temperature, probes);
  apply_face_probes(built, T_K, summary.probes);  // on_face probes: face values
  summary.face_stats = face_statistics(spec, built, T_K);
  summary.hot_spots = postproc::find_hot_spots(temperature, built.region_of_cell, names,
                                               {kHotSpotsPerRegion, kHotSpotMinSeparation_m});
  summary.coolant = coolant_reference(built.boundaries, summary.solve.energy);
  if (summary.coolant) summary.resistances = source_resistances(summary.regions, *summary.coolant);
  // Electrical lanes: loss integrated along each route through the solved field.
  LaneEvaluation lanes = evaluate_lanes(spec, temperature);
  summary.lane_engines = lanes.engines;
  summary.lane_groups = lane_group_summaries(lanes, spec);
  summary.limits =
      evaluate_limits(spec, summary.regions, summary.photonics ? &*summary.photonics : nullptr);
  if (summary.photonics) summary.links = evaluate_links(spec.photonics, *summary.photonics);
  if (!spec.operating_points.empty())
    summary.envelope =
        run_operating_points(spec, summary.photonics ? &*summary.photonics : nullptr, summary.links,
                             summary.lane_groups, T_K, options.linear_solver);
  return lanes;
}

}  // namespace

RunSummary run_case(const CaseSpec& spec, const RunOptions& options) {
  std::optional<postproc::OutputFolder> folder;
  open_output_folder(options, folder);
  RunSummary summary;
  summary.title = spec.title;
  summary.max_energy_imbalance = spec.solver.max_energy_imbalance;

  report(options, "build", "building the grid and the problem", 0.0);
  PhaseClock phase;
  BuiltProblem built = build_problem(spec, options.limits);
  phase.stop(summary.times.build_s, summary.times.build_cpu_s);
  const auto& g = *built.grid;
  summary.cells_per_axis = g.cells_per_axis();
  summary.num_cells = g.num_cells();
  summary.power_maps = built.power_maps;

  solver::SteadyOptions solver_options = run_solver_options(built, options, summary);
  if (cancelled(options)) throw Interrupted("interrupted before the solve; nothing written");
  std::vector<double> T_K;
  BlockPowerModel block_power(spec, built);
  ColdPlateCoupling cold_plates(spec, built);  // coolant march between iterates
  CavityCoupling cavities(spec, built);        // coolant cavities between tiers, likewise
  const solver::IterateHook hook =
      iterate_hook(spec, built, block_power, cold_plates, cavities, solver_options);
  solver::SteadySolver steady(g, solver_options);
  phase = PhaseClock{};
  solve_case(spec, built, options, solver_options, steady, hook, block_power, cold_plates, cavities,
             T_K, summary);
  phase.stop(summary.times.solve_phase_s, summary.times.solve_phase_cpu_s);
  if (summary.solve.cancelled || cancelled(options))
    throw Interrupted("interrupted during the solve (after " +
                      std::to_string(summary.solve.linear_iterations) +
                      " linear iterations); nothing written");
  summary.thermal_failure = summary.transient
                                ? transient_failure(*summary.transient, spec.solver)
                                : thermal_failure(summary.solve, spec.solver, solver_options);
  if (!block_power.empty()) {
    summary.leakage = block_power.report(T_K, summary.solve, solver_options.runaway_T_K);
    if (summary.leakage->runaway) summary.thermal_failure = summary.leakage->message;
  }
  if (summary.thermal_failure.empty())  // a "converged" field must still be physical
    summary.thermal_failure = field_bounds_failure(g, T_K);
  summary.cold_plates = cold_plates.results(T_K);
  summary.cavities = cavities.results(T_K);

  report(options, "postprocess", "statistics, probes, hot spots, devices, lanes, limits", 0.8);
  phase = PhaseClock{};
  const LaneEvaluation lanes = postprocess(spec, built, T_K, options, summary);
  phase.stop(summary.times.postprocess_s, summary.times.postprocess_cpu_s);

  if (cancelled(options)) throw Interrupted("interrupted before writing results; nothing written");
  write_phase(options, summary,
              [&] { write_outputs(spec, built, lanes, T_K, options, *folder, summary); });
  return summary;
}

}  // namespace cposim::cases
