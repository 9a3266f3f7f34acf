/// \file
/// CaseSpec → BuiltProblem: regions, the conforming grid, painting, power, contacts,
/// boundaries and solver options.
#include "cases/run/build_problem.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "cases/resolve/case_check.hpp"
#include "cases/resolve/memory_estimate.hpp"
#include "cases/run/cavity_coupling.hpp"
#include "cases/run/cold_plate_coupling.hpp"
#include "cases/run/face_stats.hpp"
#include "cases/run/steady_bound.hpp"
#include "mesh/grid_builder.hpp"

namespace cposim::cases {
namespace {

/// The cells whose centres lie in `box`, as index ranges per axis.
struct CellBlock {
  mesh::IndexRange x, y, z;
};

CellBlock cells_in(const mesh::RectilinearGrid& grid, const mesh::Box& box) {
  return {mesh::cells_with_centre_in(grid, 0, box.lo_m[0], box.hi_m[0]),
          mesh::cells_with_centre_in(grid, 1, box.lo_m[1], box.hi_m[1]),
          mesh::cells_with_centre_in(grid, 2, box.lo_m[2], box.hi_m[2])};
}

/// Per cell along one axis: the tiles it overlaps and the overlapped fraction of each tile's
/// width. Tiles split [lo, hi) into `tiles` equal parts.
std::vector<std::vector<std::pair<std::size_t, double>>> tile_overlaps(
    const mesh::RectilinearGrid& grid, int axis, const mesh::IndexRange& cells, double lo,
    double hi, std::size_t tiles) {
  const double width = (hi - lo) / static_cast<double>(tiles);
  std::vector<std::vector<std::pair<std::size_t, double>>> out;
  for (std::size_t c = cells.first; c < cells.last; ++c) {
    const double a = std::max(lo, grid.nodes(axis)[c]);
    const double b = std::min(hi, grid.nodes(axis)[c + 1]);
    std::vector<std::pair<std::size_t, double>> parts;
    // Start one tile early: rounding in (a - lo) / width must not skip a sliver of overlap.
    const auto guess = static_cast<std::size_t>(std::max(0.0, std::floor((a - lo) / width)));
    const std::size_t start = std::min(guess, tiles);
    for (std::size_t t = start > 0 ? start - 1 : 0; t < tiles; ++t) {
      const double t_lo = lo + static_cast<double>(t) * width;
      if (t_lo >= b) break;
      const double overlap = std::min(b, t_lo + width) - std::max(a, t_lo);
      if (overlap > 0.0) parts.emplace_back(t, overlap / width);
    }
    out.push_back(std::move(parts));
  }
  return out;
}

/// A sum over every cell of the grid: each cell of a single-process run; in a distributed run
/// (issue 20) the cells this rank owns in its window, completed over the ranks, so halo cells
/// count once, on their owner.
struct GridSum {
  const BuildWindow* window = nullptr;
  mesh::IndexBox owned;  ///< in the window grid's indices; unused without a window
  bool counts(std::size_t i, std::size_t j, std::size_t k) const {
    return window == nullptr || owned.contains(i, j, k);
  }
  double total(double local) const {
    if (window == nullptr) return local;
    std::vector<double> v{local};
    window->sum_over_ranks(v);
    return v[0];
  }
};

/// Assigns `total_W` to the cells of `region` inside `box` in proportion to `weight(i, j, k)`,
/// so the sum (over the whole grid, `over`) is exact. Returns false (assigning nothing) if the
/// region's cells carry no weight. `weight` is evaluated for the region's own cells only.
template <typename Weight>
bool distribute(const mesh::RectilinearGrid& grid,
                const std::vector<mesh::RegionId>& region_of_cell, const mesh::Box& box,
                mesh::RegionId region, double total_W, Weight weight,
                std::vector<double>& cell_power_W, const GridSum& over) {
  const CellBlock cells = cells_in(grid, box);
  double sum = 0.0;
  for (std::size_t k = cells.z.first; k < cells.z.last; ++k)
    for (std::size_t j = cells.y.first; j < cells.y.last; ++j)
      for (std::size_t i = cells.x.first; i < cells.x.last; ++i)
        if (over.counts(i, j, k) && region_of_cell[grid.cell(i, j, k)] == region)
          sum += weight(i, j, k);
  sum = over.total(sum);
  if (!(sum > 0.0)) return false;
  const double scale = total_W / sum;
  for (std::size_t k = cells.z.first; k < cells.z.last; ++k)
    for (std::size_t j = cells.y.first; j < cells.y.last; ++j)
      for (std::size_t i = cells.x.first; i < cells.x.last; ++i) {
        const auto c = grid.cell(i, j, k);
        if (region_of_cell[c] == region) cell_power_W[c] += weight(i, j, k) * scale;
      }
  return true;
}

[[noreturn]] void throw_painted_over(const SourceLocation& where, const std::string& kind,
                                     const std::string& name, double power_W) {
  throw CaseError(where, kind + " '" + name + "' has " + format_number(power_W) +
                             " W of power but none of its cells that should carry it remain: "
                             "later blocks paint over them");
}

/// Throws CaseError at [grid] if grid `e` exceeds limits.max_cells or the memory; `what`
/// introduces the grid in the message ("the grid would have at least ").
void check_limits(const CaseSpec& spec, const BuildLimits& limits, const GridEstimate& e,
                  const std::string& what) {
  if (e.cells > limits.max_cells)
    throw CaseError(spec.grid.where, what + to_string(e) + ", more than the limit of " +
                                         format_number(limits.max_cells) + "; " + kHowToCoarsen);
  if (!limits.check_memory) return;
  const std::optional<double> memory = limits.memory_bytes > 0.0
                                           ? std::optional<double>(limits.memory_bytes)
                                           : available_memory_bytes();
  const double bytes = estimate_run_bytes(spec, e.cells, limits.linear_solver);
  if (memory && bytes > *memory) {
    const auto gb = [](double b) { return format_number(std::round(b / 1e7) / 100); };
    const auto kind = limits.linear_solver ? *limits.linear_solver : spec.solver.linear_solver;
    throw CaseError(spec.grid.where,
                    what + to_string(e) + " and need about " + gb(bytes) + " GB (" +
                        format_number(std::round(bytes_per_cell(spec, limits.linear_solver))) +
                        " bytes per cell, " + (spec.transient ? "transient" : "steady") + ", " +
                        solver::to_string(kind) + "), more than the " + gb(*memory) +
                        " GB of memory available; " + kHowToCoarsen +
                        " (or run with --force-memory to try anyway)");
  }
}

/// Regions: 0 = fill, then layers bottom-up, then blocks in file (painting) order.
void add_regions(const CaseSpec& spec, const std::vector<mesh::Box>& layers, BuiltProblem& out) {
  const mesh::Box package = package_box(spec);
  out.regions.push_back({RegionInfo::Kind::fill, "fill", spec.package.fill.name, package, 0.0});
  for (std::size_t i = 0; i < spec.layers.size(); ++i)
    out.regions.push_back({RegionInfo::Kind::layer, spec.layers[i].name,
                           spec.layers[i].material.name, layers[i], 0.0});
  for (const auto& b : spec.blocks)
    out.regions.push_back({RegionInfo::Kind::block, b.name, b.material.name, block_box(b), 0.0});
}

/// Grid: every layer and block face is a grid plane. Its size is checked before anything is
/// allocated.
void make_grid(const CaseSpec& spec, const BuildLimits& limits, BuiltProblem& out) {
  check_limits(spec, limits, estimate_grid(spec), "the grid would have at least ");
  const mesh::GridRequest request = grid_request(spec);
  try {
    out.grid = std::make_unique<mesh::RectilinearGrid>(mesh::build_grid(request));
  } catch (const std::exception& e) {
    throw CaseError(spec.grid.where, std::string("cannot build the grid: ") + e.what());
  }
  const auto& grid = *out.grid;
  // The builder can need more cells than estimated (neighbour ratios close to 1): check the
  // grid itself too, before the per-cell arrays are allocated.
  GridEstimate built;
  for (int a = 0; a < 3; ++a)
    built.cells_per_axis[a] = static_cast<double>(grid.cells_per_axis()[a]);
  built.cells = static_cast<double>(grid.num_cells());
  built.bytes = estimate_run_bytes(spec, built.cells, limits.linear_solver);
  check_limits(spec, limits, built, "the grid has ");
}

/// Power map: tile values spread over the block's footprint by overlap area, and through its
/// thickness by cell height; a shape scaled to power_W if given, else watts.
void add_power_map(const BlockSpec& block, mesh::RegionId region, const mesh::Box& box,
                   const GridSum& over, BuiltProblem& out) {
  const auto& grid = *out.grid;
  const auto& map = *block.power_map;
  const double P = block.power_W.value_or(map.file_total);
  out.power_maps.push_back({block.name, map.resolved_path, map.file_total, 0.0});
  if (!(P > 0.0)) return;
  const CellBlock cells = cells_in(grid, box);
  const auto fx =
      tile_overlaps(grid, 0, cells.x, box.lo_m[0], box.hi_m[0], map.tiles.front().size());
  const auto fy = tile_overlaps(grid, 1, cells.y, box.lo_m[1], box.hi_m[1], map.tiles.size());
  const std::size_t nx = cells.x.last - cells.x.first;
  std::vector<double> footprint(nx * (cells.y.last - cells.y.first), 0.0);
  for (std::size_t j = 0; j < fy.size(); ++j)
    for (std::size_t i = 0; i < nx; ++i)
      for (const auto& [row, wy] : fy[j])
        for (const auto& [col, wx] : fx[i]) footprint[j * nx + i] += map.tiles[row][col] * wx * wy;
  const auto weight = [&](std::size_t i, std::size_t j, std::size_t k) {
    return footprint[(j - cells.y.first) * nx + (i - cells.x.first)] * grid.width(2, k);
  };
  if (!distribute(grid, out.region_of_cell, box, region, P, weight, out.cell_power_W, over))
    throw_painted_over(block.where, "block", block.name, P);
}

/// Power, over the cells each region keeps after painting; then each region's total.
void add_power(const CaseSpec& spec, const std::vector<mesh::Box>& layers, const GridSum& over,
               BuiltProblem& out) {
  const auto& grid = *out.grid;
  out.cell_power_W.assign(grid.num_cells(), 0.0);
  const auto volume = [&](std::size_t i, std::size_t j, std::size_t k) {
    return grid.volume_m3(i, j, k);
  };
  for (std::size_t l = 0; l < spec.layers.size(); ++l) {
    const auto& layer = spec.layers[l];
    const double P = layer.power_W.value_or(0.0);
    const auto region = static_cast<mesh::RegionId>(1 + l);
    if (P > 0.0 &&
        !distribute(grid, out.region_of_cell, layers[l], region, P, volume, out.cell_power_W, over))
      throw_painted_over(layer.where, "layer", layer.name, P);
  }
  for (std::size_t b = 0; b < spec.blocks.size(); ++b) {
    const auto& block = spec.blocks[b];
    const auto region = static_cast<mesh::RegionId>(1 + spec.layers.size() + b);
    const mesh::Box& box = out.regions[static_cast<std::size_t>(region)].box;
    if (block.power_map) {
      add_power_map(block, region, box, over, out);
      continue;
    }
    const double P = block.power_W.value_or(0.0);
    if (P > 0.0 &&
        !distribute(grid, out.region_of_cell, box, region, P, volume, out.cell_power_W, over))
      throw_painted_over(block.where, "block", block.name, P);
  }
  std::vector<double> region_power_W(out.regions.size(), 0.0);
  for (std::size_t c = 0; c < grid.num_cells(); ++c) {
    const auto [i, j, k] = grid.ijk(c);
    if (over.counts(i, j, k))
      region_power_W[static_cast<std::size_t>(out.region_of_cell[c])] += out.cell_power_W[c];
  }
  if (over.window != nullptr) over.window->sum_over_ranks(region_power_W);
  for (std::size_t r = 0; r < out.regions.size(); ++r) out.regions[r].power_W = region_power_W[r];
  for (auto& report : out.power_maps)
    for (const auto& region : out.regions)
      if (region.kind == RegionInfo::Kind::block && region.name == report.block)
        report.total_W = region.power_W;
}

/// Contacts between named regions.
void add_contacts(const CaseSpec& spec, BuiltProblem& out) {
  out.contacts = solver::ContactTable(out.regions.size());
  const auto region_id = [&](const std::string& name) {
    for (std::size_t r = 1; r < out.regions.size(); ++r)
      if (out.regions[r].name == name) return static_cast<mesh::RegionId>(r);
    return mesh::RegionId{0};  // unreachable after check_case
  };
  for (const auto& i : spec.interfaces)
    out.contacts.set(region_id(i.between[0].name), region_id(i.between[1].name), i.R_m2K_per_W);
}

/// Boundaries, in solver::DomainFace order (the case file's bottom/top are z_min/z_max).
void set_boundaries(const CaseSpec& spec, BuiltProblem& out) {
  for (std::size_t f = 0; f < spec.boundaries.size(); ++f) {
    const auto& b = spec.boundaries[f];
    solver::FaceBoundary face;
    face.kind = b.kind;
    face.h_W_per_m2K = b.h_W_per_m2K;
    face.T_K = b.kind == solver::BoundaryKind::convection ? b.T_ambient_K : b.T_K;
    face.q_in_W_per_m2 = b.q_W_per_m2;
    out.boundaries[f] = face;
  }
}

/// The limits of one rank of a distributed run: the ranks on this machine share its memory, so
/// the whole grid's estimate is compared with the memory times ranks / ranks_on_node.
BuildLimits node_limits(const BuildLimits& limits, const BuildWindow& window) {
  BuildLimits out = limits;
  const double memory =
      limits.memory_bytes > 0.0 ? limits.memory_bytes : available_memory_bytes().value_or(0.0);
  if (memory > 0.0)
    out.memory_bytes = memory * static_cast<double>(window.ranks) /
                       static_cast<double>(std::max(1, window.ranks_on_node));
  return out;
}

/// Replaces the whole grid by this rank's window of it (kept as WindowInfo::global_grid).
std::shared_ptr<const WindowInfo> to_window(const BuildWindow& window,
                                            std::unique_ptr<mesh::RectilinearGrid>& grid) {
  auto info = std::make_shared<WindowInfo>(WindowInfo{
      mesh::Partition(grid->cells_per_axis(), window.ranks), window.rank, nullptr, {}, {}});
  info->window = info->partition.window(window.rank);
  info->owned = info->partition.owned(window.rank);
  info->global_grid = std::move(grid);
  grid = std::make_unique<mesh::RectilinearGrid>(mesh::sub_grid(*info->global_grid, info->window));
  return info;
}

/// The per-face-cell maps (h maps, q maps, patches) of a window: made on the whole grid's
/// faces (2-D arrays, like the node coordinates cheap to hold on every rank), then cut to the
/// window's face cells.
void window_face_maps(const CaseSpec& spec, BuiltProblem& out) {
  const WindowInfo& w = *out.window;
  BuiltProblem whole;
  whole.grid = std::make_unique<mesh::RectilinearGrid>(*w.global_grid);
  whole.boundaries = out.boundaries;
  apply_face_maps(spec, whole);
  for (int f = 0; f < 6; ++f) {
    const auto fi = static_cast<std::size_t>(f);
    const auto [a, u, v] = solver::face_axes(f);
    const auto uu = static_cast<std::size_t>(u), vv = static_cast<std::size_t>(v);
    const std::size_t nu = w.global_grid->cells_per_axis()[uu];
    const auto cut = [&](const std::vector<double>& face) {
      std::vector<double> part;
      if (face.empty()) return part;
      part.reserve(w.window.count[uu] * w.window.count[vv]);
      for (std::size_t jv = 0; jv < w.window.count[vv]; ++jv)
        for (std::size_t iu = 0; iu < w.window.count[uu]; ++iu)
          part.push_back(face[(w.window.first[uu] + iu) + nu * (w.window.first[vv] + jv)]);
      return part;
    };
    out.face_h_W_per_m2K[fi] = cut(whole.face_h_W_per_m2K[fi]);
    out.face_T_K[fi] = cut(whole.face_T_K[fi]);
    out.face_q_W_per_m2[fi] = cut(whole.face_q_W_per_m2[fi]);
  }
  out.boundaries = whole.boundaries;
}

}  // namespace

std::optional<double> available_memory_bytes() {
  std::ifstream in("/proc/meminfo");
  std::string key;
  double value = 0.0;
  std::string unit;
  while (in >> key >> value) {
    std::getline(in, unit);
    if (key == "MemAvailable:") return value * 1024.0;  // reported in kB (KiB)
  }
  return std::nullopt;
}

BuiltProblem build_problem(const CaseSpec& spec, const BuildLimits& limits,
                           const BuildWindow* window) {
  const auto library = resolve_materials(spec);
  BuiltProblem out;
  const auto layers = layer_boxes(spec);
  add_regions(spec, layers, out);
  make_grid(spec, window ? node_limits(limits, *window) : limits, out);
  GridSum over;
  if (window) {
    out.window = to_window(*window, out.grid);
    over = {window, out.window->owned_in_window()};
  }

  // Painting: later boxes win.
  std::vector<mesh::PaintedBox> painted;
  for (std::size_t r = 1; r < out.regions.size(); ++r)
    painted.push_back({out.regions[r].box, static_cast<mesh::RegionId>(r)});
  out.region_of_cell = mesh::paint_regions(*out.grid, 0, painted);
  add_power(spec, layers, over, out);

  // Materials per region, and each distinct one once (sorted by name).
  std::set<std::string> used;
  for (const auto& region : out.regions) {
    out.region_material.push_back(library.at(region.material));
    used.insert(region.material);
  }
  for (const auto& name : used) out.materials_used.push_back(library.at(name));
  add_contacts(spec, out);
  set_boundaries(spec, out);
  if (window) {
    window_face_maps(spec, out);
  } else {
    apply_face_maps(spec, out);  // h maps and cold plates (cold_plate_coupling.hpp)
    apply_cavities(spec, out);   // coolant cavities between tiers (cavity_coupling.hpp)
  }

  out.solver_options.linear.kind = spec.solver.linear_solver;
  out.solver_options.linear.relative_tolerance = spec.solver.relative_tolerance;
  out.solver_options.linear.max_iterations = spec.solver.max_iterations;
  out.solver_options.picard_tolerance_K = spec.solver.picard_tolerance_K;
  out.solver_options.max_picard_iterations = spec.solver.max_picard_iterations;

  for (const auto& p : spec.output.probes) out.probes.push_back({p.name, p.at_m, p.on_face_axis});
  out.output_fields = spec.output.fields;
  if (window) return out;
  check_face_outputs(spec, out);  // face probes on grid planes, face_stats with faces
  // Before a solve could end in NaN (the bound counts the cavities' coolant as a sink).
  if (!spec.transient) check_steady_bound(spec, out);
  return out;
}

}  // namespace cposim::cases
