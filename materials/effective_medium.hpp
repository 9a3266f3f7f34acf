#pragma once
/// \file
/// Effective-medium rules that collapse detailed layers into one orthotropic material
/// (physics.md §1.4). Inputs are materials; the result is a new Material with kx, ky, kz,
/// volume-averaged density and mass-averaged heat capacity. Temperature laws are not
/// carried over: the result is constant-k.

#include <string>
#include <vector>

#include "materials/material.hpp"

namespace cposim::materials {

/// One lamina of a stack: its material and thickness (m).
struct Lamina {
  const Material* material = nullptr;  ///< lent, not owned
  double thickness_m = 0.0;
};

/// Stack of laminae lying in the x-y plane: in-plane k∥ = Σ k_i t_i / Σ t_i (parallel),
/// through-plane k⊥ = Σ t_i / Σ (t_i / k_i) (series). Throws std::invalid_argument for an
/// empty stack or a thickness ≤ 0.
Material laminate(const std::string& name, const std::vector<Lamina>& laminae);

/// Square array of vertical cylinders (bumps, pillars, TSVs) of diameter d on pitch p in a
/// fill. φ = π d² / (4 p²); kz = φ k_b + (1 − φ) k_f (parallel); kx = ky from the
/// Maxwell-Garnett (Rayleigh) rule for aligned cylinders,
///   k = k_f [(k_b + k_f) + φ (k_b − k_f)] / [(k_b + k_f) − φ (k_b − k_f)],
/// which tends to k_f (1 + φ)/(1 − φ) for k_b ≫ k_f, the §1.4 form. Requires 0 < d < p.
Material cylinder_array(const std::string& name, double pitch_m, double diameter_m,
                        const Material& cylinder, const Material& fill);

/// How heat crosses a metal-coverage layer through its thickness (physics.md §1.4).
enum class ThroughPlaneRule {
  parallel,  ///< metal runs through the full thickness (vias, pillars, solid patterns): upper bound
  series,    ///< heat crosses metal and dielectric in turn (sub-layers): lower bound
};
/// "parallel" or "series".
const char* to_string(ThroughPlaneRule rule);

/// Metal layer with area coverage φ of metal in a dielectric: in-plane kx = ky =
/// φ k_m + (1 − φ) k_d (parallel, physics.md §1.4 per metal layer); through-plane kz by `kz`:
/// parallel φ k_m + (1 − φ) k_d, or series 1 / (φ / k_m + (1 − φ) / k_d). Requires 0 ≤ φ ≤ 1.
Material metal_coverage(const std::string& name, double coverage, const Material& metal,
                        const Material& dielectric, ThroughPlaneRule kz);

/// Area fraction of a square array of circles: π d² / (4 p²).
double square_array_fraction(double pitch_m, double diameter_m);

}  // namespace cposim::materials
