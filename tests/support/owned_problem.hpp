#pragma once
/// \file
/// Test helper: a ThermalProblem that owns its grid, labels, materials and power.

#ifdef _OPENMP
#include <omp.h>
#endif

#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

#include "materials/material.hpp"
#include "mesh/rectilinear_grid.hpp"
#include "solver/steady.hpp"
#include "solver/thermal_problem.hpp"

namespace cposim::testing {

inline materials::Material make_material(double kx, double ky, double kz) {
  materials::Material m;
  m.name = "test";
  m.k_W_per_mK = {kx, ky, kz};
  m.rho_kg_per_m3 = 1000;
  m.cp_J_per_kgK = 1000;
  return m;
}

struct OwnedProblem {
  std::unique_ptr<mesh::RectilinearGrid> grid;
  std::vector<mesh::RegionId> regions;
  std::vector<materials::Material> materials;
  std::vector<double> power_W;
  solver::ContactTable contacts;
  std::array<solver::FaceBoundary, 6> boundaries{};

  OwnedProblem(std::vector<double> x, std::vector<double> y, std::vector<double> z)
      : grid(std::make_unique<mesh::RectilinearGrid>(std::move(x), std::move(y), std::move(z))),
        regions(grid->num_cells(), 0),
        power_W(grid->num_cells(), 0.0) {}

  solver::ThermalProblem view() const {
    solver::ThermalProblem p;
    p.grid = grid.get();
    p.region_of_cell = &regions;
    p.region_material = &materials;
    p.cell_power_W = &power_W;
    p.boundaries = boundaries;
    p.contacts = &contacts;
    return p;
  }
};

/// Nodes from a0 to a1: n cells, uniform or smoothly stretched (x = L·(e^{sξ}−1)/(e^s−1)).
inline std::vector<double> stretched_nodes(double a0, double a1, int n, double s = 0.0) {
  std::vector<double> x(static_cast<std::size_t>(n) + 1);
  for (int i = 0; i <= n; ++i) {
    const double xi = static_cast<double>(i) / n;
    const double f = s == 0.0 ? xi : (std::exp(s * xi) - 1.0) / (std::exp(s) - 1.0);
    x[static_cast<std::size_t>(i)] = a0 + (a1 - a0) * f;
  }
  return x;
}

inline solver::SteadyOptions options_for(solver::LinearSolverKind kind, double rtol = 1e-13) {
  solver::SteadyOptions o;
  o.linear.kind = kind;
  o.linear.relative_tolerance = rtol;
  o.linear.max_iterations = 100000;
  return o;
}

/// The solver kinds available in this build.
/// max |a_i − b_i| of two fields of the same size.
inline double max_abs_difference(const std::vector<double>& a, const std::vector<double>& b) {
  double d = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) d = std::max(d, std::fabs(a[i] - b[i]));
  return d;
}

inline std::vector<solver::LinearSolverKind> all_solver_kinds() {
  std::vector<solver::LinearSolverKind> kinds{solver::LinearSolverKind::direct,
                                              solver::LinearSolverKind::jacobi_cg,
                                              solver::LinearSolverKind::gmg_cg};
  if (solver::has_amg()) kinds.push_back(solver::LinearSolverKind::amg_cg);
  return kinds;
}

/// Runs the enclosing scope on one OpenMP thread. For tests that make hundreds of solves of
/// systems with a handful of cells: each parallel region costs more than the work, and on a
/// loaded machine a waiting thread can cost milliseconds per region.
struct OneThread {
#ifdef _OPENMP
  int saved = omp_get_max_threads();
  OneThread() { omp_set_num_threads(1); }
  ~OneThread() { omp_set_num_threads(saved); }
  OneThread(const OneThread&) = delete;
  OneThread& operator=(const OneThread&) = delete;
#else
  OneThread() {}  // user-provided: without OpenMP there is nothing to pin, and no unused warning
  ~OneThread() {}
#endif
};

}  // namespace cposim::testing
