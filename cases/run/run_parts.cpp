/// \file
/// Shared pieces of a run (run_parts.hpp).
#include "cases/run/run_parts.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <utility>

#include "cposim_version.hpp"
#include "postproc/io/tabulate.hpp"

namespace cposim::cases {

namespace {

/// The path `path` (inside `from`) gets once `from` is published as `to`.
std::string rebased(const std::string& path, const std::filesystem::path& from,
                    const std::filesystem::path& to) {
  if (path.empty()) return path;
  return (to / std::filesystem::path(path).lexically_relative(from)).string();
}

/// Every path of `summary` that names a file of the run, rebased (see rebased()).

}  // namespace

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

double cpu_seconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

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

void write_phase(const RunOptions& options, RunSummary& summary,
                 const std::function<void()>& write) {
  report(options, "write", "writing results", 0.9);
  const PhaseClock phase;
  write();
  phase.stop(summary.times.write_s, summary.times.write_cpu_s);
  report(options, "done", summary.outcome() == RunOutcome::ok ? "done" : summary.failure_reason(),
         1.0);
}

std::filesystem::path staged_paths(postproc::OutputFolder& folder, const RunOptions& options,
                                   RunSummary& summary) {
  const std::filesystem::path dir = folder.staging();
  summary.results_path = (dir / "results.h5").string();
  if (options.write_reports) {
    summary.summary_json_path = (dir / "summary.json").string();
    summary.report_html_path = (dir / "report.html").string();
  }
  return dir;
}

std::string new_run_id() {
  return std::to_string(std::chrono::duration_cast<std::chrono::microseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count()) +
         "-" + std::to_string(static_cast<long long>(::getpid()));
}

bool cancelled(const RunOptions& options) {
  return options.cancel != nullptr && options.cancel->load(std::memory_order_relaxed);
}

/// Calls options.progress, if set, with one event.
void report(const RunOptions& options, const char* phase, std::string message, double fraction) {
  if (!options.progress) return;
  ProgressEvent e;
  e.phase = phase;
  e.message = std::move(message);
  e.fraction = fraction;
  options.progress(e);
}

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

}  // namespace cposim::cases
