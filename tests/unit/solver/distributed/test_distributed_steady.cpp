/// \file
/// The distributed steady solve against the serial SteadySolver, on 1, 2 and 4 ranks (the
/// ctest entries run this under mpirun): a global problem every rank builds alike, sliced into
/// window problems, solved across the ranks at rtol 1e-12 and Picard 1e-10 K; every owned cell
/// must match the serial field to 1e-8 of the temperature range, the balance close to 1e-9,
/// and every rank must report the same SolveReport bit for bit.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "mesh/partition.hpp"
#include "solver/distributed/distributed_steady.hpp"
#include "solver/linear/hypre_headers.hpp"
#include "tests/support/owned_problem.hpp"
#include "tests/support/window_problem.hpp"

using namespace cposim;

namespace {

/// z nodes of a package stack: substrate 1 mm (8 cells), die 0.75 mm (12, finer at its
/// bottom), TIM 0.1 mm (4), lid 2 mm (12): 36 layers.
std::vector<double> stack_nodes() {
  std::vector<double> z = testing::stretched_nodes(0.0, 1e-3, 8);
  const auto append = [&z](std::vector<double> more) {
    z.insert(z.end(), more.begin() + 1, more.end());
  };
  append(testing::stretched_nodes(1e-3, 1.75e-3, 12, 1.2));
  append(testing::stretched_nodes(1.75e-3, 1.85e-3, 4));
  append(testing::stretched_nodes(1.85e-3, 3.85e-3, 12, 0.6));
  return z;
}

/// The global problem, 37 × 29 × 36 = 38 628 cells on stretched axes (the rank counts do not
/// divide them): an organic substrate (anisotropic), a silicon die with k(T) = 148 (T/300)^-1.3
/// (physics.md §1.1) in a mould, a TIM with contact resistances on both sides, a copper lid;
/// 30 W in the die's bottom layers with a hot spot; convection with per-face-cell h and fluid
/// temperature on top, uniform convection below and on y_max, a fixed-T face on x_min, a heat
/// flux into x_max, a flux patch map on the adiabatic y_min face, and cell sinks in the
/// substrate.
struct GlobalProblem {
  testing::OwnedProblem p{testing::stretched_nodes(0.0, 12e-3, 37, 0.7),
                          testing::stretched_nodes(0.0, 10e-3, 29, -0.5), stack_nodes()};
  std::vector<double> h_top, T_top, q_side;
  solver::CellSinks sinks;
  solver::ThermalProblem problem;

  GlobalProblem() {
    auto substrate = testing::make_material(30, 30, 0.6);
    auto si = testing::make_material(148, 148, 148);
    si.law = materials::ConductivityLaw::power_law;
    si.T_ref_K = 300.0;
    si.exponent = -1.3;
    p.materials = {substrate, si, testing::make_material(0.9, 0.9, 0.9),
                   testing::make_material(4, 4, 4), testing::make_material(390, 390, 390)};
    p.contacts = solver::ContactTable(5);
    p.contacts.set(1, 3, 2e-6);
    p.contacts.set(3, 4, 1e-6);
    const auto& g = *p.grid;
    const auto n = g.cells_per_axis();
    sinks.G_W_per_K.assign(g.num_cells(), 0.0);
    sinks.T_K.assign(g.num_cells(), 295.0);
    double die_volume = 0.0;
    for (std::size_t c = 0; c < g.num_cells(); ++c) {
      const auto [i, j, k] = g.ijk(c);
      const double x = g.centre(0, i), y = g.centre(1, j);
      const bool in_die = x > 2e-3 && x < 9e-3 && y > 2e-3 && y < 8e-3;
      mesh::RegionId r = 0;
      if (k >= 8 && k < 20) r = in_die ? 1 : 2;
      if (k >= 20 && k < 24) r = 3;
      if (k >= 24) r = 4;
      p.regions[c] = r;
      if (r == 1 && k < 10) die_volume += g.volume_m3(i, j, k);
      if (k == 3 && i % 5 == 0) sinks.G_W_per_K[c] = 1e-3;
    }
    for (std::size_t c = 0; c < g.num_cells(); ++c) {
      const auto [i, j, k] = g.ijk(c);
      if (p.regions[c] != 1 || k >= 10) continue;
      const double hot = g.centre(0, i) < 4e-3 && g.centre(1, j) < 4e-3 ? 4.0 : 1.0;
      p.power_W[c] = 25.0 * hot * g.volume_m3(i, j, k) / die_volume;
    }
    h_top.resize(n[0] * n[1]);
    T_top.resize(n[0] * n[1]);
    for (std::size_t j = 0; j < n[1]; ++j)
      for (std::size_t i = 0; i < n[0]; ++i) {
        const double xi = g.centre(0, i) / 12e-3 - 0.5, eta = g.centre(1, j) / 10e-3;
        h_top[i + n[0] * j] = 2e3 + 8e3 * std::exp(-8.0 * xi * xi);
        T_top[i + n[0] * j] = 300.0 + 5.0 * eta;
      }
    q_side.assign(n[2] * n[0], 0.0);  // y faces: u = z, v = x
    for (std::size_t i = 0; i < 10; ++i)
      for (std::size_t k = 0; k < 8; ++k) q_side[k + n[2] * i] = 5e3;
    p.boundaries[0] = {solver::BoundaryKind::fixed_temperature, 0.0, 305.0, 0.0};
    p.boundaries[1] = {solver::BoundaryKind::heat_flux, 0.0, 0.0, 2e3};
    p.boundaries[2] = {solver::BoundaryKind::adiabatic, 0.0, 0.0, 0.0};
    p.boundaries[2].q_map = &q_side;
    p.boundaries[3] = {solver::BoundaryKind::convection, 20.0, 300.0, 0.0};
    p.boundaries[4] = {solver::BoundaryKind::convection, 50.0, 310.0, 0.0};
    p.boundaries[5] = {solver::BoundaryKind::convection, 0.0, 300.0, 0.0};
    p.boundaries[5].h_map = &h_top;
    p.boundaries[5].T_map = &T_top;
    problem = p.view();
    problem.cell_sinks = &sinks;
  }
};

solver::SteadyOptions tight_options() {
  auto o = testing::options_for(solver::LinearSolverKind::amg_cg, 1e-12);
  o.inexact_picard = false;
  o.picard_tolerance_K = 1e-10;
  o.max_picard_iterations = 100;
  return o;
}

/// Every report field (timings included) as doubles, to compare ranks bit for bit.
std::vector<double> report_fields(const solver::SolveReport& r) {
  std::vector<double> v{double(r.converged),
                        double(r.picard_iterations),
                        double(r.linear_iterations),
                        double(r.linear_solves),
                        r.relative_residual,
                        double(r.linear_converged),
                        r.roundoff_residual,
                        double(r.linear_at_roundoff),
                        r.last_change_K,
                        r.nonlinear_residual,
                        r.assembly_s,
                        r.setup_s,
                        r.solve_s,
                        double(r.all_finite),
                        double(r.runaway),
                        double(r.stopped),
                        r.max_T_K,
                        double(r.cancelled),
                        r.energy.power_in_W,
                        r.energy.sink_heat_out_W,
                        r.energy.heat_out_W,
                        r.energy.imbalance_W,
                        r.energy.relative};
  for (double w : r.energy.face_heat_out_W) v.push_back(w);
  return v;
}

/// Whether `values` has the same bits on every rank.
bool same_on_every_rank(const std::vector<double>& values) {
  int ranks = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &ranks);
  std::vector<double> all(values.size() * static_cast<std::size_t>(ranks));
  MPI_Allgather(values.data(), static_cast<int>(values.size()), MPI_DOUBLE, all.data(),
                static_cast<int>(values.size()), MPI_DOUBLE, MPI_COMM_WORLD);
  for (int r = 1; r < ranks; ++r)
    if (std::memcmp(all.data(), all.data() + r * values.size(), sizeof(double) * values.size()) !=
        0)
      return false;
  return true;
}

int world_ranks() {
  int ranks = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &ranks);
  return ranks;
}

int world() { return MPI_Comm_c2f(MPI_COMM_WORLD); }

}  // namespace

TEST_CASE("distributed steady: k(T) package matches the serial solve on every rank count") {
  const GlobalProblem global;
  std::vector<double> T_serial;
  solver::SteadySolver serial(*global.p.grid, tight_options());
  const solver::SolveReport ref = serial.solve(global.problem, T_serial);
  REQUIRE(ref.converged);
  const auto [T_min, T_max] = std::minmax_element(T_serial.begin(), T_serial.end());
  const double range = *T_max - *T_min;
  REQUIRE(range > 20.0);  // a real k(T) problem: Si's k changes by several per cent

  const mesh::Partition partition(global.p.grid->cells_per_axis(), world_ranks());
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  const testing::WindowProblem window(global.problem, partition.window(rank));
  solver::DistributedSteadySolver dist(partition, world(), *window.grid, tight_options());
  std::vector<double> T;
  const solver::SolveReport report = dist.solve(window.problem, T);
  CHECK(report.converged);
  CHECK(report.linear_converged);
  CHECK(report.picard_iterations > 2);  // k(T): several outer steps

  // Owned cells against the serial field: max |ΔT| / (T_max − T_min) ≤ 1e-8.
  const mesh::IndexBox owned = partition.owned(rank);
  const mesh::IndexBox& box = window.box;
  double worst = 0.0;
  for (std::size_t k = owned.first[2]; k < owned.first[2] + owned.count[2]; ++k)
    for (std::size_t j = owned.first[1]; j < owned.first[1] + owned.count[1]; ++j)
      for (std::size_t i = owned.first[0]; i < owned.first[0] + owned.count[0]; ++i)
        worst = std::max(worst,
                         std::fabs(T[box.local(i, j, k)] - T_serial[global.p.grid->cell(i, j, k)]));
  double worst_all = 0.0;
  MPI_Allreduce(&worst, &worst_all, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
  MESSAGE(world_ranks() << " ranks: max |dT| " << worst_all << " K of a " << range << " K range; "
                        << report.picard_iterations << " Picard steps, " << report.linear_iterations
                        << " PCG iterations (serial " << ref.picard_iterations << ", "
                        << ref.linear_iterations << "); balance " << report.energy.relative);
  CHECK(worst_all / range <= 1e-8);

  // The balance: closed to 1e-9, and the same flows as the serial one's.
  CHECK(report.energy.relative <= 1e-9);
  CHECK(ref.energy.relative <= 1e-9);
  CHECK(report.energy.power_in_W == doctest::Approx(ref.energy.power_in_W).epsilon(1e-12));
  for (std::size_t f = 0; f < 6; ++f)
    CHECK(report.energy.face_heat_out_W[f] ==
          doctest::Approx(ref.energy.face_heat_out_W[f]).epsilon(1e-7));
  CHECK(report.max_T_K == doctest::Approx(ref.max_T_K).epsilon(1e-12));
  CHECK(report.nonlinear_residual < 1e-9);
  CHECK(same_on_every_rank(report_fields(report)));
}

TEST_CASE("distributed steady: the reference temperature and the balance sum to the global ones") {
  // The restrictions to owned cells (boundary_reference_sums, energy_sums) added over the
  // ranks against the serial functions on the whole problem, for one field: to rounding.
  const GlobalProblem global;
  std::vector<double> T_global(global.p.grid->num_cells());
  for (std::size_t c = 0; c < T_global.size(); ++c) {
    const auto ijk = global.p.grid->ijk(c);
    T_global[c] = 300.0 + 0.5 * double(ijk[0]) + 0.25 * double(ijk[1]) + 0.75 * double(ijk[2]);
  }
  const mesh::Partition partition(global.p.grid->cells_per_axis(), world_ranks());
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  const testing::WindowProblem window(global.problem, partition.window(rank));
  std::vector<double> T(window.grid->num_cells());
  for (std::size_t w = 0; w < T.size(); ++w) {
    const auto ijk = window.grid->ijk(w);
    T[w] = T_global[global.p.grid->cell(window.box.first[0] + ijk[0], window.box.first[1] + ijk[1],
                                        ijk[2])];
  }
  mesh::IndexBox owned = partition.owned(rank);
  for (std::size_t a = 0; a < 2; ++a) owned.first[a] -= window.box.first[a];
  solver::RankReduction reduce(world());

  const auto rs = solver::boundary_reference_sums(window.problem, &owned);
  double v[4] = {rs.face_weighted, rs.face_G, rs.sink_weighted, rs.sink_G};
  reduce.sum(v, 4);
  const double T_ref = solver::reference_temperature({v[0], v[1], v[2], v[3]});
  CHECK(T_ref ==
        doctest::Approx(solver::boundary_reference_temperature(global.problem)).epsilon(1e-14));

  const auto es = solver::energy_sums(window.problem, T, &owned);
  const auto serial = solver::compute_energy_balance(global.problem, T_global);
  double e[9] = {es.power_in_W, 0, 0, 0, 0, 0, 0, es.sink_heat_out_W, es.sink_abs_W};
  for (std::size_t f = 0; f < 6; ++f) e[1 + f] = es.face_heat_out_W[f];
  reduce.sum(e, 9);
  CHECK(e[0] == doctest::Approx(serial.power_in_W).epsilon(1e-13));
  for (std::size_t f = 0; f < 6; ++f) {
    CAPTURE(f);
    CHECK(e[1 + f] == doctest::Approx(serial.face_heat_out_W[f]).epsilon(1e-13));
    CHECK(e[1 + f] != 0.0);  // every face carries heat here, so the check can fail
  }
  CHECK(e[7] == doctest::Approx(serial.sink_heat_out_W).epsilon(1e-13));
}

TEST_CASE("distributed steady: a cancel on one rank stops every rank, the hook sees the window") {
  const GlobalProblem global;
  const mesh::Partition partition(global.p.grid->cells_per_axis(), world_ranks());
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  const testing::WindowProblem window(global.problem, partition.window(rank));

  // The hook: called after every iterate but the last, with the whole window field.
  auto options = tight_options();
  options.picard_tolerance_K = 1e-6;
  int calls = 0;
  bool window_sized = true;
  solver::DistributedSteadySolver dist(partition, world(), *window.grid, options);
  std::vector<double> T;
  const auto report = dist.solve(window.problem, T, [&](const std::vector<double>& T_K) {
    ++calls;
    window_sized = window_sized && T_K.size() == window.grid->num_cells();
    return std::string("seen");
  });
  CHECK(report.converged);
  CHECK(calls == report.picard_iterations - 1);
  CHECK(window_sized);
  CHECK(report.hook_note == "seen");

  // Cancel requested on the last rank only: every rank stops before its first step.
  std::atomic<bool> cancel{rank == world_ranks() - 1};
  options.linear.cancel = &cancel;
  solver::DistributedSteadySolver stopped(partition, world(), *window.grid, options);
  std::vector<double> T2;
  const auto cancelled = stopped.solve(window.problem, T2);
  CHECK(cancelled.cancelled);
  CHECK_FALSE(cancelled.converged);
  CHECK(cancelled.picard_iterations == 0);
  CHECK(same_on_every_rank(report_fields(cancelled)));
}
