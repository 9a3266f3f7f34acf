/// \file
/// A case across MPI ranks (run_distributed.hpp): window problems, the distributed solve, and
/// statistics reduced over the ranks.
#include "cases/run/run_distributed.hpp"

#include <fmt/format.h>

#include <array>
#include <filesystem>
#include <limits>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "cases/run/build_problem.hpp"
#include "cases/run/run_parts.hpp"
#include "cases/run/temperature_limits.hpp"
#include "cases/run/temperature_maps.hpp"
#include "cases/run/thermal_resistance.hpp"
#include "cases/run/verdicts.hpp"
#include "cposim_version.hpp"
#include "mesh/partition.hpp"
#include "postproc/fields/hot_spots.hpp"
#include "postproc/fields/probes.hpp"
#include "postproc/fields/region_statistics.hpp"
#include "postproc/io/field_block.hpp"
#include "postproc/io/output_folder.hpp"
#include "postproc/io/results_writer.hpp"
#include "postproc/io/vtk_writer.hpp"
#include "postproc/plots/temperature_map.hpp"
#include "solver/distributed/distributed_steady.hpp"

namespace cposim::cases {

namespace {

[[noreturn]] void refuse(const SourceLocation& where, const std::string& what, const Ranks& ranks) {
  throw CaseError(where, fmt::format("{} cannot run on {} MPI ranks yet: a distributed run solves "
                                     "the steady field (k(T), contacts, convection, h and q maps, "
                                     "patches) and reports region statistics, hot spots, probes "
                                     "and temperature limits; run this case on one process",
                                     what, ranks.size));
}

/// A window field's values on the owned cells, in the owned box's order.
template <typename T>
std::vector<T> owned_values(const BuiltProblem& built, const std::vector<T>& values) {
  const mesh::IndexBox box = built.window->owned_in_window();
  const mesh::RectilinearGrid& g = *built.grid;
  std::vector<T> out;
  out.reserve(box.num_cells());
  for (std::size_t k = box.first[2]; k < box.first[2] + box.count[2]; ++k)
    for (std::size_t j = box.first[1]; j < box.first[1] + box.count[1]; ++j) {
      const std::size_t row = g.cell(box.first[0], j, k);
      out.insert(out.end(), values.begin() + static_cast<std::ptrdiff_t>(row),
                 values.begin() + static_cast<std::ptrdiff_t>(row + box.count[0]));
    }
  return out;
}

std::vector<std::string> region_names(const BuiltProblem& built) {
  std::vector<std::string> names;
  for (const auto& r : built.regions) names.push_back(r.name);
  return names;
}

/// Region statistics of the whole grid: each rank's owned cells, merged.
std::vector<postproc::RegionStatistics> reduce_region_statistics(const BuiltProblem& built,
                                                                 const std::vector<double>& T_K,
                                                                 const Ranks& ranks) {
  const WindowInfo& w = *built.window;
  const mesh::RectilinearGrid owned_grid = mesh::sub_grid(*w.global_grid, w.owned);
  const auto names = region_names(built);
  const auto mine = postproc::region_statistics(
      mesh::CellField{&owned_grid, "temperature_K", owned_values(built, T_K)},
      owned_values(built, built.region_of_cell), names, owned_values(built, built.cell_power_W));
  constexpr std::size_t kFields = 10;
  std::vector<double> packed;
  for (const auto& s : mine)
    packed.insert(packed.end(),
                  {static_cast<double>(s.num_cells), s.volume_m3, s.power_W, s.T_max_K,
                   s.T_max_at_m[0], s.T_max_at_m[1], s.T_max_at_m[2], s.T_mean_K, s.T_min_K, 0.0});
  const std::vector<double> all = ranks.gather(packed);
  std::vector<std::vector<postproc::RegionStatistics>> parts(static_cast<std::size_t>(ranks.size));
  for (std::size_t r = 0; r < parts.size(); ++r)
    for (std::size_t i = 0; i < names.size(); ++i) {
      const double* v = &all[(r * names.size() + i) * kFields];
      postproc::RegionStatistics s;
      s.name = names[i];
      s.num_cells = static_cast<std::size_t>(v[0]);
      s.volume_m3 = v[1];
      s.power_W = v[2];
      s.T_max_K = v[3];
      s.T_max_at_m = {v[4], v[5], v[6]};
      s.T_mean_K = v[7];
      s.T_min_K = v[8];
      parts[r].push_back(std::move(s));
    }
  return postproc::merge_region_statistics(parts);
}

/// Hot spots of the whole grid: every rank's candidates (its owned local maxima, judged with
/// the halo), gathered, then picked as find_hot_spots picks them.
std::vector<postproc::HotSpot> reduce_hot_spots(const BuiltProblem& built,
                                                const std::vector<double>& T_K,
                                                const Ranks& ranks) {
  const WindowInfo& w = *built.window;
  postproc::GridPiece piece;
  piece.offset = w.window.first;
  piece.whole_cells = w.global_grid->cells_per_axis();
  piece.search = w.owned_in_window();
  const auto names = region_names(built);
  std::vector<double> packed;
  for (const auto& c :
       postproc::hot_spot_candidates(mesh::CellField{built.grid.get(), "temperature_K", T_K},
                                     built.region_of_cell, names.size(), piece))
    packed.insert(packed.end(), {static_cast<double>(c.region_id), c.T_K,
                                 static_cast<double>(c.cell), c.at_m[0], c.at_m[1], c.at_m[2]});
  const std::vector<double> all = ranks.gather(packed);
  std::vector<postproc::HotSpotCandidate> candidates;
  for (std::size_t i = 0; i + 6 <= all.size(); i += 6)
    candidates.push_back({static_cast<std::size_t>(all[i]),
                          all[i + 1],
                          static_cast<mesh::CellIndex>(all[i + 2]),
                          {all[i + 3], all[i + 4], all[i + 5]}});
  return postproc::pick_hot_spots(std::move(candidates), names,
                                  {kHotSpotsPerRegion, kHotSpotMinSeparation_m});
}

/// Probe readings: each probe read by the rank owning its cell (its window holds the
/// neighbours an interpolation needs), then shared.
std::vector<postproc::ProbeReading> reduce_probes(const BuiltProblem& built,
                                                  const std::vector<double>& T_K,
                                                  const Ranks& ranks) {
  const WindowInfo& w = *built.window;
  const mesh::RectilinearGrid& whole = *w.global_grid;
  std::vector<postproc::ProbeReading> readings;
  std::vector<double> values;  // T_K and the whole grid's cell index per probe
  for (const auto& p : built.probes) {
    const std::size_t i = whole.locate(0, p.at_m[0]), j = whole.locate(1, p.at_m[1]);
    postproc::ProbeReading reading{p.name, p.at_m, 0.0, 0};
    double T = 0.0, cell = 0.0;
    if (w.partition.owner(i, j) == w.rank) {
      const auto mine = postproc::read_probes(
          mesh::CellField{built.grid.get(), "temperature_K", T_K}, {{p.name, p.at_m}});
      const auto ijk = built.grid->ijk(mine.front().cell);
      T = mine.front().T_K;
      cell = static_cast<double>(
          whole.cell(ijk[0] + w.window.first[0], ijk[1] + w.window.first[1], ijk[2]));
    }
    values.insert(values.end(), {T, cell});
    readings.push_back(std::move(reading));
  }
  ranks.sum(values);  // one owner per probe, zeros elsewhere
  for (std::size_t n = 0; n < readings.size(); ++n) {
    readings[n].T_K = values[2 * n];
    readings[n].cell = static_cast<mesh::CellIndex>(values[2 * n + 1]);
  }
  return readings;
}

/// field_bounds_failure over all ranks: the message of the first rank whose cells fail.
std::string reduce_bounds_failure(const BuiltProblem& built, const std::vector<double>& T_K,
                                  const Ranks& ranks) {
  const WindowInfo& w = *built.window;
  const mesh::RectilinearGrid owned_grid = mesh::sub_grid(*w.global_grid, w.owned);
  const std::string mine = field_bounds_failure(owned_grid, owned_values(built, T_K));
  const std::vector<double> failed = ranks.gather({mine.empty() ? 0.0 : 1.0});
  for (std::size_t r = 0; r < failed.size(); ++r)
    if (failed[r] != 0.0) return ranks.broadcast(mine, static_cast<int>(r));
  return "";
}

/// Values of a window field on the owned cells of every field of `content` (made on the
/// window grid), and the whole grid as the content's grid.
void to_owned_block(const BuiltProblem& built, postproc::ResultsContent& content) {
  const mesh::RectilinearGrid& whole = *built.window->global_grid;
  content.grid = &whole;
  for (auto& f : content.fields) {
    f.values = owned_values(built, f.values);
    f.grid = &whole;
  }
  for (auto& l : content.label_fields) l.values = owned_values(built, l.values);
  for (auto& a : content.integer_attributes)
    if (a.name == "num_cells") a.value = static_cast<std::int64_t>(whole.num_cells());
}

/// The z-normal temperature maps (map_requests), each plane gathered onto the root one at a
/// time and drawn there on a grid one cell thick.
std::vector<std::string> write_distributed_maps(const CaseSpec& spec, const BuiltProblem& built,
                                                const std::vector<double>& owned_T_K,
                                                const RunSummary& summary,
                                                const postproc::FieldBlock& block,
                                                const Ranks& ranks, const std::string& dir) {
  const mesh::RectilinearGrid& whole = *built.window->global_grid;
  const auto n = whole.cells_per_axis();
  // The hottest cell of the whole grid (first in cell order on a tie), as the default map's.
  std::array<double, 3> hottest = {0.5 * (whole.nodes(0).front() + whole.nodes(0).back()),
                                   0.5 * (whole.nodes(1).front() + whole.nodes(1).back()),
                                   0.5 * (whole.nodes(2).front() + whole.nodes(2).back())};
  double T_max = -std::numeric_limits<double>::infinity();
  const auto earlier = [](const std::array<double, 3>& a, const std::array<double, 3>& b) {
    return std::tie(a[2], a[1], a[0]) < std::tie(b[2], b[1], b[0]);
  };
  for (const auto& r : summary.regions)
    if (r.num_cells > 0 &&
        (r.T_max_K > T_max || (r.T_max_K == T_max && earlier(r.T_max_at_m, hottest)))) {
      T_max = r.T_max_K;
      hottest = r.T_max_at_m;
    }
  std::vector<std::string> paths;
  postproc::PlaneGather<double> gather(block, n[0], n[1]);
  std::vector<double> plane(ranks.root() ? n[0] * n[1] : 0);
  // The requests' planes come from the case; the default one's (the hottest cell) from above.
  const mesh::RectilinearGrid owned_grid = mesh::sub_grid(whole, built.window->owned);
  auto requests = map_requests(spec, mesh::CellField{&owned_grid, "temperature_K", owned_T_K});
  for (auto& [name, request] : requests) {
    if (name == kDefaultMapName) request.position_m = hottest[2];
    const std::size_t k = whole.locate(2, request.position_m);
    gather.gather(owned_T_K, k, plane);
    if (!ranks.root()) continue;
    const mesh::RectilinearGrid slab(whole.nodes(0), whole.nodes(1),
                                     {whole.nodes(2)[k], whole.nodes(2)[k + 1]});
    const std::string path = (std::filesystem::path(dir) / ("map_" + name + ".png")).string();
    postproc::write_temperature_map(path, mesh::CellField{&slab, "temperature_K", plane}, request);
    paths.push_back(path);
  }
  return paths;
}

/// The write phase of a distributed run: every file through the collective output folder, the
/// fields as each rank's block, the reports by the root; published only if every rank wrote
/// its part (OutputError on every rank otherwise).
void write_distributed_outputs(const CaseSpec& spec, const BuiltProblem& built,
                               const std::vector<double>& T_K, const RunOptions& options,
                               const Ranks& ranks, postproc::OutputFolder& folder,
                               RunSummary& summary) {
  namespace fs = std::filesystem;
  const WindowInfo& w = *built.window;
  const postproc::FieldBlock block{w.owned.first, w.owned.count, ranks.comm_f};
  try {
    const fs::path dir = staged_paths(folder, options, summary);
    auto content = results_content(spec, built, summary, T_K);
    to_owned_block(built, content);
    add_hot_spot_results(summary, content);
    add_limit_results(summary.limits, content);
    add_verdict_results(collect_verdicts(summary), content);
    auto t0 = Clock::now();
    postproc::write_results(summary.results_path, content, block);
    summary.times.results_h5_s = seconds_since(t0);
    summary.xdmf_path = postproc::xdmf_sidecar_path(summary.results_path);
    if (options.vtk.value_or(spec.output.vtk)) {
      t0 = Clock::now();
      summary.vtk_paths =
          postproc::write_vtk_results((dir / "results.vtr").string(), content, block);
      summary.vtk_write_s = seconds_since(t0);
    }
    t0 = Clock::now();
    const std::vector<double> owned_T_K = owned_values(built, T_K);
    postproc::run_agreed(ranks.comm_f, [&] {
      summary.map_png_paths =
          write_distributed_maps(spec, built, owned_T_K, summary, block, ranks, dir.string());
    });
    summary.times.maps_s = seconds_since(t0);
    t0 = Clock::now();
    postproc::run_agreed(ranks.comm_f, [&] {
      if (ranks.root() && options.write_reports)
        options.write_reports(spec, built, dir.string(), summary);
    });
    summary.times.reports_s = seconds_since(t0);
    const std::string run_id = ranks.broadcast(new_run_id());
    folder.publish(run_id, spec.case_path, CPOSIM_VERSION);
    rebase_paths(summary, dir, fs::path(folder.path()));
  } catch (const std::runtime_error& e) {
    throw OutputError(std::string("cannot write results to '") + folder.path() + "': " + e.what() +
                      "; the folder still holds its previous contents");
  }
}

}  // namespace

void check_distributable(const CaseSpec& spec, const Ranks& ranks) {
  if (ranks.size <= 1) return;
  if (spec.transient) refuse(spec.transient->where, "a transient ([transient])", ranks);
  const auto& ph = spec.photonics;
  if (!ph.rings.empty()) refuse(ph.rings.front().where, "photonic rings", ranks);
  if (!ph.lasers.empty()) refuse(ph.lasers.front().where, "lasers", ranks);
  if (!ph.waveguides.empty()) refuse(ph.waveguides.front().where, "waveguides", ranks);
  if (!ph.mzis.empty()) refuse(ph.mzis.front().where, "MZIs", ranks);
  if (!ph.links.empty()) refuse(ph.links.front().where, "optical links", ranks);
  if (!ph.plans.empty()) refuse(ph.plans.front().where, "wavelength plans", ranks);
  if (!spec.electrical.lane_groups.empty())
    refuse(spec.electrical.lane_groups.front().where, "electrical lanes", ranks);
  if (!spec.cold_plates.empty()) refuse(spec.cold_plates.front().where, "cold plates", ranks);
  if (!spec.cavities.empty()) refuse(spec.cavities.front().where, "coolant cavities", ranks);
  if (!spec.operating_points.empty())
    refuse(spec.operating_points.front().where, "operating points", ranks);
  for (const auto& b : spec.blocks)
    if (b.leakage || b.power_table)
      refuse(b.where, "temperature-dependent block power (leakage, power_table)", ranks);
  if (!spec.output.face_stats.empty())
    refuse(spec.output.face_stats.front().where, "face statistics", ranks);
  for (const auto& p : spec.output.probes)
    if (p.on_face_axis >= 0) refuse(p.where, "a face probe", ranks);
  for (const auto& m : spec.output.maps)
    if (m.normal_axis != 2) refuse(m.where, "a side-view map (x_um or y_um)", ranks);
}

RunSummary run_case_distributed(const CaseSpec& spec, const RunOptions& options,
                                const Ranks& ranks) {
  check_distributable(spec, ranks);
  std::optional<postproc::OutputFolder> folder;
  try {
    folder.emplace(options.out_dir, ranks.comm_f);
  } catch (const std::exception& e) {
    throw OutputError(std::string("cannot write results to '") +
                      (options.out_dir.empty() ? "." : options.out_dir) + "': " + e.what());
  }
  RunSummary summary;
  summary.title = spec.title;
  summary.max_energy_imbalance = spec.solver.max_energy_imbalance;
  report(options, "build", "building this rank's window of the grid and its problem", 0.0);
  PhaseClock phase;
  BuildWindow window{ranks.size, ranks.rank, ranks.ranks_on_node,
                     [&ranks](std::vector<double>& v) { ranks.sum(v); }};
  BuiltProblem built = build_problem(spec, options.limits, &window);
  phase.stop(summary.times.build_s, summary.times.build_cpu_s);
  const mesh::RectilinearGrid& whole = *built.window->global_grid;
  summary.cells_per_axis = whole.cells_per_axis();
  summary.num_cells = whole.num_cells();
  summary.power_maps = built.power_maps;

  solver::SteadyOptions solver_options = run_solver_options(built, options, summary);
  if (!ranks.all(!cancelled(options)))
    throw Interrupted("interrupted before the solve; nothing written");
  std::vector<double> T_K;
  phase = PhaseClock{};
  {
    solver::DistributedSteadySolver steady(built.window->partition, ranks.comm_f, *built.grid,
                                           solver_options);
    summary.solve = steady.solve(built.problem(), T_K);
  }
  phase.stop(summary.times.solve_phase_s, summary.times.solve_phase_cpu_s);
  summary.work = {summary.solve.linear_solves, summary.solve.linear_iterations};
  summary.times.assembly_s = summary.solve.assembly_s;
  summary.times.setup_s = summary.solve.setup_s;
  summary.times.solve_s = summary.solve.solve_s;
  if (summary.solve.cancelled)
    throw Interrupted("interrupted during the solve (after " +
                      std::to_string(summary.solve.linear_iterations) +
                      " linear iterations); nothing written");
  summary.thermal_failure = thermal_failure(summary.solve, spec.solver, solver_options);
  if (summary.thermal_failure.empty())
    summary.thermal_failure = reduce_bounds_failure(built, T_K, ranks);

  report(options, "postprocess", "statistics, probes, hot spots, limits", 0.8);
  phase = PhaseClock{};
  summary.regions = reduce_region_statistics(built, T_K, ranks);
  summary.probes = reduce_probes(built, T_K, ranks);
  summary.hot_spots = reduce_hot_spots(built, T_K, ranks);
  summary.coolant = coolant_reference(built.boundaries, summary.solve.energy);
  if (summary.coolant) summary.resistances = source_resistances(summary.regions, *summary.coolant);
  summary.limits = evaluate_limits(spec, summary.regions, nullptr);
  phase.stop(summary.times.postprocess_s, summary.times.postprocess_cpu_s);

  if (!ranks.all(!cancelled(options)))
    throw Interrupted("interrupted before writing results; nothing written");
  write_phase(options, summary, [&] {
    write_distributed_outputs(spec, built, T_K, options, ranks, *folder, summary);
  });
  return summary;
}

}  // namespace cposim::cases
