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

/// Metal layer with area coverage φ of metal in a dielectric: k = φ k_m + (1 − φ) k_d on
/// every axis (metal features run through the full layer thickness). Requires 0 ≤ φ ≤ 1.
Material metal_coverage(const std::string& name, double coverage, const Material& metal,
                        const Material& dielectric);

/// Area fraction of a square array of circles: π d² / (4 p²).
double square_array_fraction(double pitch_m, double diameter_m);

}  // namespace cposim::materials
