/// \file
/// Issue 18 item 1: a heat-flux patch on part of a slab's bottom face, through the case file,
/// against the exact Fourier-cosine series (physics.md §5.4's method, re-derived here for an
/// eccentric rectangular source on a finite plate):
///
///   slab 0 < x < Lx, 0 < y < Ly, 0 < z < t, conductivity k; sides adiabatic; top −k ∂T/∂z =
///   h (T − T∞); bottom −k ∂T/∂z = −q(x, y) with q = q0 on the patch [x1, x2] × [y1, y2], 0 off.
///   θ = T − T∞ = Σ_mn a_mn cos(α_m x) cos(β_n y) Z_mn(z), α_m = mπ/Lx, β_n = nπ/Ly,
///   λ = √(α² + β²). On the bottom surface θ_mn(0) = q_mn g(λ) with
///   g(λ) = (kλ + h tanh λt) / (kλ (kλ tanh λt + h)), and g(0) = 1/h + t/k (the 1-D mode);
///   q_mn = ε_m ε_n q0 I_m J_n / (Lx Ly), ε_0 = 1, ε_>0 = 2, I_m = ∫_{x1}^{x2} cos α_m x dx.
///   Mean over the patch: θ̄ = Σ q_mn g(λ) I_m J_n / A_patch.
///
/// The FV surface temperature of a flux face is exact from the cell value and the flux
/// (T_face = T_c + q d/2k), so the comparison measures the discretisation alone.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "cases/resolve/load_case.hpp"
#include "cases/run/build_problem.hpp"
#include "solver/face_values.hpp"
#include "solver/steady.hpp"

using namespace cposim;

namespace {

constexpr double kPi = 3.14159265358979323846;

struct Slab {
  double Lx = 10e-3, Ly = 8e-3, t = 1e-3, k = 0.0, h = 2e4, T_inf = 300.0;
  double x1 = 2e-3, x2 = 5e-3, y1 = 1.5e-3, y2 = 3.5e-3, Q = 10.0;
  double q0() const { return Q / ((x2 - x1) * (y2 - y1)); }
  double g(double lambda) const {
    if (lambda == 0.0) return 1.0 / h + t / k;
    const double tau = std::tanh(lambda * t), kl = k * lambda;
    return (kl + h * tau) / (kl * (kl * tau + h));
  }
  static double cos_integral(double alpha, double a, double b) {
    return alpha == 0.0 ? b - a : (std::sin(alpha * b) - std::sin(alpha * a)) / alpha;
  }
  /// Mean surface temperature rise over the patch, M × N terms.
  double patch_mean_rise(int M, int N) const {
    double sum = 0.0;
    for (int m = 0; m <= M; ++m) {
      const double am = m * kPi / Lx, Im = cos_integral(am, x1, x2), em = m == 0 ? 1.0 : 2.0;
      for (int n = 0; n <= N; ++n) {
        const double bn = n * kPi / Ly, Jn = cos_integral(bn, y1, y2), en = n == 0 ? 1.0 : 2.0;
        const double q_mn = em * en * q0() * Im * Jn / (Lx * Ly);
        sum += q_mn * g(std::hypot(am, bn)) * Im * Jn;
      }
    }
    return sum / ((x2 - x1) * (y2 - y1));
  }
};

std::string slab_case(const Slab& s, double cell_xy_um, double cell_z_um) {
  auto um = [](double m) { return std::to_string(m * 1e6); };
  return "[package]\nfootprint_um = [" + um(s.Lx) + ", " + um(s.Ly) +
         "]\n[[layers]]\nname = \"slab\"\nmaterial = \"Cu\"\nthickness_um = " + um(s.t) +
         "\n[boundary.top]\ntype = \"convection\"\nh_W_per_m2K = " + std::to_string(s.h) +
         "\nT_ambient_K = " + std::to_string(s.T_inf) +
         "\n[boundary.bottom]\ntype = \"adiabatic\"\n[[boundary.bottom.patches]]\norigin_um = [" +
         um(s.x1) + ", " + um(s.y1) + "]\nsize_um = [" + um(s.x2 - s.x1) + ", " + um(s.y2 - s.y1) +
         "]\npower_W = " + std::to_string(s.Q) +
         "\n[grid]\nmax_cell_xy_um = " + std::to_string(cell_xy_um) +
         "\nmax_cell_z_um = " + std::to_string(cell_z_um) +
         "\n[solver]\nlinear_solver = \"gmg_cg\"\nrelative_tolerance = 1e-12\n";
}

/// FV mean surface temperature rise over the patch cells of the bottom face.
double fv_patch_mean_rise(const Slab& s, double cell_xy_um, double cell_z_um, double& balance) {
  const auto spec = cases::read_case_text(slab_case(s, cell_xy_um, cell_z_um), "patch.toml", ".");
  const auto built = cases::build_problem(spec);
  const auto problem = built.problem();
  std::vector<double> T;
  const auto report = solver::solve_steady(problem, built.solver_options, T);
  REQUIRE(report.converged);
  balance = report.energy.relative;
  CHECK(report.energy.face_heat_out_W[4] == doctest::Approx(-s.Q).epsilon(1e-12));  // in, exact
  CHECK(report.energy.face_heat_out_W[5] == doctest::Approx(s.Q).epsilon(1e-9));
  const auto& g = *built.grid;
  const auto& q = built.face_q_W_per_m2[4];
  const auto face = solver::outer_face_values(problem, T, 4);
  REQUIRE(q.size() == g.cells_per_axis()[0] * g.cells_per_axis()[1]);
  double weighted = 0.0, area = 0.0;
  for (std::size_t j = 0; j < g.cells_per_axis()[1]; ++j)
    for (std::size_t i = 0; i < g.cells_per_axis()[0]; ++i) {
      const double qc = q[i + g.cells_per_axis()[0] * j];
      if (qc == 0.0) continue;
      CHECK(qc == doctest::Approx(s.q0()).epsilon(1e-12));  // patch edges are grid planes
      const double a = g.width(0, i) * g.width(1, j);
      const double T_face = face[i + g.cells_per_axis()[0] * j].T_K;  // solver/face_values
      CHECK(T_face ==
            doctest::Approx(T[g.cell(i, j, 0)] + qc * g.width(2, 0) / (2.0 * s.k)).epsilon(1e-13));
      weighted += a * (T_face - s.T_inf);
      area += a;
    }
  CHECK(area == doctest::Approx((s.x2 - s.x1) * (s.y2 - s.y1)).epsilon(1e-12));
  return weighted / area;
}

}  // namespace

TEST_CASE("validation: a flux patch on a slab face matches the Fourier series, 2nd order") {
  Slab s;
  {
    const auto built =
        cases::build_problem(cases::read_case_text(slab_case(s, 500, 250), "p", "."));
    s.k = built.region_material[1].k_W_per_mK[2];
  }
  const double exact = s.patch_mean_rise(1200, 1200);
  const double converged = s.patch_mean_rise(600, 600);
  REQUIRE(std::fabs(exact - converged) <= 1e-5 * exact);  // truncation far below the FV error
  double balance_coarse = 0.0, balance_fine = 0.0;
  const double coarse = fv_patch_mean_rise(s, 250, 100, balance_coarse);
  const double fine = fv_patch_mean_rise(s, 125, 50, balance_fine);
  const double e_coarse = std::fabs(coarse - exact) / exact,
               e_fine = std::fabs(fine - exact) / exact;
  MESSAGE("patch-mean surface rise: series "
          << exact << " K; FV 250 µm " << coarse << " K (rel. error " << e_coarse << "), 125 µm "
          << fine << " K (rel. error " << e_fine << "), order " << std::log2(e_coarse / e_fine)
          << "; energy balance " << balance_fine);
  CHECK(e_coarse <= 1e-2);
  CHECK(e_fine <= 3e-3);
  CHECK(e_coarse / e_fine >= 3.0);  // second order: 4 when halving every cell
  CHECK(balance_coarse <= 1e-9);
  CHECK(balance_fine <= 1e-9);
}
