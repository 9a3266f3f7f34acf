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

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

/// CPU time of the process (all threads), seconds.
double cpu_seconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

/// Wall and CPU time of one phase, from construction to stop().
struct PhaseClock {
  Clock::time_point wall0 = Clock::now();
  double cpu0 = cpu_seconds();
  void stop(double& wall_s, double& cpu_s) const {
    wall_s = seconds_since(wall0);
    cpu_s = cpu_seconds() - cpu0;
  }
};

bool wants(const BuiltProblem& built, const std::string& field) {
  for (const auto& f : built.output_fields)
    if (f == field) return true;
  return false;
}

/// Fields, tables and attributes of one steady run, in the postproc layout.
postproc::ResultsContent results_content(const CaseSpec& spec, const BuiltProblem& built,
                                         const RunSummary& summary,
                                         const std::vector<double>& T_K) {
  const auto& g = *built.grid;
  postproc::ResultsContent out;
  out.grid = &g;
  if (wants(built, "temperature_K")) out.fields.push_back({&g, "temperature_K", T_K});
  if (wants(built, "power_density_W_per_m3")) {
    std::vector<double> q(g.num_cells());
    for (std::size_t c = 0; c < q.size(); ++c) {
      const auto ijk = g.ijk(c);
      q[c] = built.cell_power_W[c] / g.volume_m3(ijk[0], ijk[1], ijk[2]);
    }
    out.fields.push_back({&g, "power_density_W_per_m3", std::move(q)});
  }
  const char* k_names[3] = {"k_x_W_per_mK", "k_y_W_per_mK", "k_z_W_per_mK"};
  for (int a = 0; a < 3; ++a) {
    if (!wants(built, k_names[a])) continue;
    std::vector<double> k(g.num_cells());
    for (std::size_t c = 0; c < k.size(); ++c)
      k[c] =
          built.region_material[static_cast<std::size_t>(built.region_of_cell[c])].k_at(a, T_K[c]);
    out.fields.push_back({&g, k_names[a], std::move(k)});
  }
  if (wants(built, "region_id")) out.label_fields.push_back({"region_id", built.region_of_cell});
  out.regions = summary.regions;
  out.probes = summary.probes;
  for (const auto& m : built.materials_used)
    out.materials.push_back({m.name, m.k_W_per_mK, m.rho_kg_per_m3, m.cp_J_per_kgK, m.source});

  const auto& s = summary.solve;
  out.string_attributes = {{"title", spec.title},
                           {"case_file", spec.case_path},
                           {"program_version", CPOSIM_VERSION},
                           {"git_hash", CPOSIM_GIT_HASH},
                           {"linear_solver", s.linear_solver}};
  out.texts = {{"resolved_case", spec.resolved_text}};
  if (!summary.thermal_failure.empty())
    out.string_attributes.push_back({"failure_reason", summary.thermal_failure});
  const bool converged = s.converged && s.all_finite && summary.thermal_failure.empty();
  out.integer_attributes = {{"converged", converged ? 1 : 0},
                            {"num_cells", static_cast<std::int64_t>(g.num_cells())},
                            {"linear_iterations", s.linear_iterations},
                            {"picard_iterations", s.picard_iterations},
                            {"runaway", summary.runaway() ? 1 : 0}};
  out.real_attributes = {{"relative_residual", s.relative_residual},
                         {"nonlinear_residual", s.nonlinear_residual},
                         {"power_in_W", s.energy.power_in_W},
                         {"heat_out_W", s.energy.heat_out_W},
                         {"energy_imbalance_W", s.energy.imbalance_W},
                         {"energy_imbalance_relative", summary.energy_relative()},
                         {"energy_imbalance_relative_instantaneous", s.energy.relative},
                         {"assembly_s", summary.times.assembly_s},
                         {"setup_s", summary.times.setup_s},
                         {"solve_s", summary.times.solve_s}};
  for (int f = 0; f < 6; ++f)
    out.real_attributes.push_back({std::string("heat_out_") + solver::kDomainFaceNames[f] + "_W",
                                   s.energy.face_heat_out_W[f]});
  return out;
}

/// /hot_spots/spots and /hot_spots/resistance (see postproc/LAYOUT.md).
void add_hot_spot_results(const RunSummary& summary, postproc::ResultsContent& content) {
  content.tables.push_back(postproc::tabulate(
      "hot_spots", "spots", {"region", "rank", "x_m", "y_m", "z_m", "T_K"}, summary.hot_spots,
      [](const postproc::HotSpot& h) {
        return std::tuple{h.region, h.rank, h.at_m[0], h.at_m[1], h.at_m[2], h.T_K};
      }));
  content.tables.push_back(postproc::tabulate(
      "hot_spots", "resistance",
      {"region", "power_W", "T_max_K", "R_max_K_per_W", "R_mean_K_per_W"}, summary.resistances,
      [](const SourceResistance& r) {
        return std::tuple{r.region, r.power_W, r.T_max_K, r.R_max_K_per_W, r.R_mean_K_per_W};
      }));
  if (summary.coolant) {
    content.string_attributes.push_back(
        {"coolant_face",
         solver::kDomainFaceNames[static_cast<std::size_t>(summary.coolant->face)]});
    content.real_attributes.push_back({"coolant_T_K", summary.coolant->T_K});
  }
}

/// The path `path` (inside `from`) gets once `from` is published as `to`.
std::string rebased(const std::string& path, const std::filesystem::path& from,
                    const std::filesystem::path& to) {
  if (path.empty()) return path;
  return (to / std::filesystem::path(path).lexically_relative(from)).string();
}

/// Every path of `summary` that names a file of the run, rebased (see rebased()).
void rebase_paths(RunSummary& summary, const std::filesystem::path& from,
                  const std::filesystem::path& to) {
  for (std::string* p : {&summary.results_path, &summary.summary_json_path,
                         &summary.report_html_path, &summary.xdmf_path, &summary.crosstalk_csv_path,
                         &summary.history_png_path, &summary.photonics_history_png_path})
    *p = rebased(*p, from, to);
  if (summary.transient) {
    summary.transient->probes_csv_path = rebased(summary.transient->probes_csv_path, from, to);
    summary.transient->photonics_csv_path =
        rebased(summary.transient->photonics_csv_path, from, to);
  }
  for (auto& p : summary.vtk_paths) p = rebased(p, from, to);
  for (auto& p : summary.map_png_paths) p = rebased(p, from, to);
}

/// The write phase: every output file into the folder's staging folder, then published in one
/// step (postproc/io/output_folder.hpp); `summary`'s paths name the published files.
void write_outputs(const CaseSpec& spec, const BuiltProblem& built, const LaneEvaluation& lanes,
                   const std::vector<double>& T_K, const RunOptions& options,
                   postproc::OutputFolder& folder, RunSummary& summary) {
  namespace fs = std::filesystem;
  const auto& g = *built.grid;
  const mesh::CellField temperature{&g, "temperature_K", T_K};
  try {
    const fs::path dir = folder.staging();
    summary.results_path = (dir / "results.h5").string();
    if (options.write_reports) {
      summary.summary_json_path = (dir / "summary.json").string();
      summary.report_html_path = (dir / "report.html").string();
    }
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
    const std::string run_id =
        std::to_string(std::chrono::duration_cast<std::chrono::microseconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count()) +
        "-" + std::to_string(static_cast<long long>(::getpid()));
    folder.publish(run_id, spec.case_path, CPOSIM_VERSION);
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

bool cancelled(const RunOptions& options) {
  return options.cancel != nullptr && options.cancel->load(std::memory_order_relaxed);
}

/// Calls options.progress, if set, with one event.
void report(const RunOptions& options, const char* phase, std::string message,
            double fraction = std::nan("")) {
  if (!options.progress) return;
  ProgressEvent e;
  e.phase = phase;
  e.message = std::move(message);
  e.fraction = fraction;
  options.progress(e);
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

/// Why a solved field cannot be trusted although the solver converged, or "": a temperature
/// that is not finite, below 0 K, or above kMaxFieldTemperature_K (no package material is
/// solid there). Names the worst cell and where it is.
std::string field_bounds_failure(const mesh::RectilinearGrid& g, const std::vector<double>& T_K) {
  std::size_t worst = T_K.size();
  const char* why = nullptr;
  for (std::size_t c = 0; c < T_K.size() && why == nullptr; ++c) {
    if (!std::isfinite(T_K[c])) {
      worst = c;
      why = "not finite";
    }
  }
  if (why == nullptr && !T_K.empty()) {
    const auto [lo, hi] = std::minmax_element(T_K.begin(), T_K.end());
    if (*lo < 0.0) {
      worst = static_cast<std::size_t>(lo - T_K.begin());
      why = "below absolute zero";
    } else if (*hi > kMaxFieldTemperature_K) {
      worst = static_cast<std::size_t>(hi - T_K.begin());
      why = "above the physical ceiling";
    }
  }
  if (why == nullptr) return "";
  const auto ijk = g.ijk(worst);
  const double at[3] = {g.centre(0, ijk[0]), g.centre(1, ijk[1]), g.centre(2, ijk[2])};
  std::string text;
  text = fmt::format(
      "the solved field is outside physical bounds: {:.6g} K at ({:.4g}, {:.4g}, {:.4g}) mm is "
      "{} (allowed 0 to {:.0f} K); the inputs (power, flux, film coefficients, "
      "conductivities) are far outside what a package can carry",
      T_K[worst], at[0] * 1e3, at[1] * 1e3, at[2] * 1e3, why, kMaxFieldTemperature_K);
  return text;
}

/// Locks the output folder for the whole run, so a second run into it fails at once.
void open_output_folder(const RunOptions& options, std::optional<postproc::OutputFolder>& folder) {
  try {
    folder.emplace(options.out_dir);
  } catch (const std::exception& e) {
    throw OutputError(std::string("cannot write results to '") +
                      (options.out_dir.empty() ? "." : options.out_dir) + "': " + e.what());
  }
}

/// The case's solver options with the command line's choices and the progress reports.
solver::SteadyOptions run_solver_options(const BuiltProblem& built, const RunOptions& options,
                                         const RunSummary& summary) {
  solver::SteadyOptions solver_options = built.solver_options;
  if (options.linear_solver) solver_options.linear.kind = *options.linear_solver;
  solver_options.linear.cancel = options.cancel;
  if (!options.progress) return solver_options;
  const std::string grid_text = std::to_string(summary.cells_per_axis[0]) + " x " +
                                std::to_string(summary.cells_per_axis[1]) + " x " +
                                std::to_string(summary.cells_per_axis[2]) + " = " +
                                std::to_string(summary.num_cells) + " cells";
  solver_options.on_phase = [&options, grid_text](const char* phase) {
    const std::string what = std::string(phase) == "assembly" ? "assembling the system"
                             : std::string(phase) == "setup"
                                 ? "preconditioner or factorisation set-up"
                                 : "linear solve";
    report(options, phase, what + " (grid " + grid_text + ")");
  };
  solver_options.linear.on_iteration = [&options](int iteration, double residual) {
    ProgressEvent e;
    e.phase = "solve";
    e.message = "linear iteration";
    e.iteration = iteration;
    e.residual = residual;
    options.progress(e);
  };
  return solver_options;
}

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
  report(options, "write", "writing results", 0.9);
  phase = PhaseClock{};
  write_outputs(spec, built, lanes, T_K, options, *folder, summary);
  phase.stop(summary.times.write_s, summary.times.write_cpu_s);
  report(options, "done", summary.outcome() == RunOutcome::ok ? "done" : summary.failure_reason(),
         1.0);
  return summary;
}

}  // namespace cposim::cases
