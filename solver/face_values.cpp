/// \file
/// Face temperatures and heat flows from cell values and the scheme's own face fluxes.
#include "solver/face_values.hpp"

#include "solver/energy_balance.hpp"
#include "solver/face_cells.hpp"
#include "solver/kernels/face_conductance.hpp"
#include "solver/kernels/kirchhoff.hpp"

namespace cposim::solver {
namespace {

const materials::Material& material_of(const ThermalProblem& p, std::size_t c) {
  return (*p.region_material)[static_cast<std::size_t>((*p.region_of_cell)[c])];
}

}  // namespace

std::vector<FaceValue> outer_face_values(const ThermalProblem& p, const std::vector<double>& T_K,
                                         int f) {
  const auto& g = *p.grid;
  const FaceBoundary& b = p.boundaries[static_cast<std::size_t>(f)];
  const int a = face_axes(f).normal;
  std::vector<double> G, out;
  face_cell_flows(p, T_K, f, G, out);
  std::vector<FaceValue> values(out.size());
  const double d = face_layer_width(g, f);
  for_each_face_cell(g, f, [&](const FaceCell& cell) {
    const std::size_t c = cell.cell, fc = cell.fc;
    FaceValue& fv = values[fc];
    fv.area_m2 = cell.area_m2;
    fv.heat_W = out[fc];
    const double q_in =
        b.q_map_at(fc) + (b.kind == BoundaryKind::heat_flux ? b.q_in_W_per_m2 : 0.0);
    if (b.kind == BoundaryKind::fixed_temperature) {
      fv.T_K = b.T_K;
    } else if (b.kind == BoundaryKind::convection && b.h_at(fc) > 0.0) {
      // The film carries the conductive part: q_conv = heat_out/A + q_in (maps add inflow).
      fv.T_K = b.T_at(fc) + (fv.heat_W / fv.area_m2 + b.q_map_at(fc)) / b.h_at(fc);
    } else {
      fv.T_K = T_K[c] + q_in * d / (2.0 * material_of(p, c).k_at(a, T_K[c]));
    }
  });
  return values;
}

FaceValue face_value(const ThermalProblem& p, const std::vector<double>& T_K,
                     const std::array<std::size_t, 3>& ijk, int axis, int side) {
  const auto& g = *p.grid;
  const auto n = g.cells_per_axis();
  const auto a = static_cast<std::size_t>(axis);
  const bool outer = side == 0 ? ijk[a] == 0 : ijk[a] + 1 == n[a];
  if (outer) {
    const int f = 2 * axis + side;
    const auto [fa, u, v] = face_axes(f);
    return outer_face_values(p, T_K,
                             f)[ijk[static_cast<std::size_t>(u)] +
                                n[static_cast<std::size_t>(u)] * ijk[static_cast<std::size_t>(v)]];
  }
  std::array<std::size_t, 3> other = ijk;
  other[a] = side == 0 ? ijk[a] - 1 : ijk[a] + 1;
  const std::array<std::size_t, 3>& lo = side == 0 ? other : ijk;
  const std::array<std::size_t, 3>& hi = side == 0 ? ijk : other;
  const std::size_t c_lo = g.cell(lo[0], lo[1], lo[2]), c_hi = g.cell(hi[0], hi[1], hi[2]);
  const auto& m_lo = material_of(p, c_lo);
  const auto& m_hi = material_of(p, c_hi);
  const double R = p.contacts != nullptr
                       ? p.contacts->get((*p.region_of_cell)[c_lo], (*p.region_of_cell)[c_hi])
                       : 0.0;
  const double d_lo = g.width(axis, lo[a]), d_hi = g.width(axis, hi[a]);
  const int u = (axis + 1) % 3, w = (axis + 2) % 3;
  const double area =
      g.width(u, ijk[static_cast<std::size_t>(u)]) * g.width(w, ijk[static_cast<std::size_t>(w)]);
  const HalfCellK k = face_half_cell_k(m_lo, m_hi, axis, T_K[c_lo], T_K[c_hi], d_lo, d_hi, R);
  const double F = face_conductance(area, d_lo, k.lo, d_hi, k.hi, R) * (T_K[c_lo] - T_K[c_hi]);
  FaceValue fv;
  fv.area_m2 = area;
  if (side == 1) {  // this cell is lo
    fv.heat_W = F;
    fv.T_K = T_K[c_lo] - F / area * d_lo / (2.0 * k.lo);
  } else {
    fv.heat_W = -F;
    fv.T_K = T_K[c_hi] + F / area * d_hi / (2.0 * k.hi);
  }
  return fv;
}

}  // namespace cposim::solver
