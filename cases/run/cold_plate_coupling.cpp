/// \file
/// Face maps, the coolant march between solves, and the cold-plate results.
#include "cases/run/cold_plate_coupling.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>

#include "cases/run/face_maps.hpp"
#include "materials/fluids.hpp"
#include "mesh/units.hpp"
#include "postproc/io/tabulate.hpp"
#include "solver/boundary.hpp"
#include "solver/energy_balance.hpp"

namespace cposim::cases {
namespace {

using mesh::kKelvinAtZeroCelsius;

solver::ColdPlateGeometry plate_geometry(const ColdPlateSpec& p) {
  solver::ColdPlateGeometry g;
  g.face = p.face;
  const auto axes = case_face_axes(p.face);
  for (std::size_t i = 0; i < 2; ++i) {
    const auto a = static_cast<std::size_t>(axes[i]);
    g.lo_m[a] = p.origin_m[i];
    g.hi_m[a] = p.origin_m[i] + p.size_m[i];
  }
  g.flow_axis = p.flow_axis;
  g.flow_sign = p.flow_sign;
  return g;
}

/// The plate's size across the flow, metres.
double plate_width_m(const ColdPlateSpec& p) {
  const auto axes = case_face_axes(p.face);
  return p.flow_axis == axes[0] ? p.size_m[1] : p.size_m[0];
}

const materials::Fluid& fluid_of(const ColdPlateSpec& p) {
  return *materials::find_fluid(p.coolant);  // known after read_case
}

}  // namespace

PlateFilm plate_film(const ColdPlateSpec& plate) {
  PlateFilm film;
  if (plate.h_W_per_m2K) {
    film.h_W_per_m2K = *plate.h_W_per_m2K;
    return film;
  }
  const auto& c = *plate.channels;
  film.channels = solver::channel_heat_transfer(
      fluid_of(plate), plate.flow_m3_per_s, {c.count, c.width_m, c.height_m}, plate_width_m(plate));
  film.h_W_per_m2K = film.channels->h_footprint_W_per_m2K;
  return film;
}

void apply_face_maps(const CaseSpec& spec, BuiltProblem& built) {
  const auto& grid = *built.grid;
  for (int f = 0; f < 6; ++f) {
    const auto fi = static_cast<std::size_t>(f);
    const auto& b = spec.boundaries[fi];
    if (b.kind == solver::BoundaryKind::convection && b.h_map)
      built.face_h_W_per_m2K[fi] = resample_face_tiles(b.h_map->tiles, grid, f);
    built.face_q_W_per_m2[fi] = face_flux_W_per_m2(b, grid, f);
  }
  for (const auto& p : spec.cold_plates) {
    const auto fi = static_cast<std::size_t>(p.face);
    solver::FaceBoundary& face = built.boundaries[fi];
    const auto [a, u, v] = solver::face_axes(p.face);
    const std::size_t cells = grid.cells_per_axis()[static_cast<std::size_t>(u)] *
                              grid.cells_per_axis()[static_cast<std::size_t>(v)];
    auto& h = built.face_h_W_per_m2K[fi];
    auto& T = built.face_T_K[fi];
    if (T.empty()) {
      // First plate on this face: start from the face's own condition.
      const bool convective = face.kind == solver::BoundaryKind::convection;
      if (h.empty()) h.assign(cells, convective ? face.h_W_per_m2K : 0.0);
      T.assign(cells, convective ? face.T_K : p.inlet_T_K);
      face.kind = solver::BoundaryKind::convection;
      face.T_K = p.inlet_T_K;
      face.h_W_per_m2K = 0.0;  // the map rules
    }
    const double h_plate = plate_film(p).h_W_per_m2K;
    for (const auto& lane : solver::plate_lanes(grid, plate_geometry(p), 1.0))
      for (std::size_t fc : lane.face_cells) {
        h[fc] = h_plate;
        T[fc] = p.inlet_T_K;
      }
  }
}

ColdPlateCoupling::ColdPlateCoupling(const CaseSpec& spec, BuiltProblem& built) : built_(&built) {
  for (const auto& p : spec.cold_plates) {
    Plate plate;
    plate.spec = &p;
    plate.geometry = plate_geometry(p);
    const auto& fluid = fluid_of(p);
    plate.capacity_W_per_K = p.flow_m3_per_s * fluid.rho_kg_per_m3 * fluid.cp_J_per_kgK;
    plate.lanes = solver::plate_lanes(*built.grid, plate.geometry, plate.capacity_W_per_K);
    plate.film = plate_film(p);
    plate.last.outlet_T_K = p.inlet_T_K;
    plates_.push_back(std::move(plate));
  }
}

std::string ColdPlateCoupling::march(const std::vector<double>& T_K) {
  const solver::ThermalProblem problem = built_->problem();
  std::string note;
  std::string text;
  int face_done = -1;
  for (auto& p : plates_) {
    const int f = p.geometry.face;
    if (f != face_done) {  // plates are few; recompute G per plate's face when it changes
      solver::face_cell_flows(problem, T_K, f, G_, heat_out_);
      solver::face_cell_temperatures(*built_->grid, f, T_K, T_face_);
      heat_.assign(G_.size(), 0.0);
      face_done = f;
    }
    p.last = solver::march_plate(p.lanes, p.spec->inlet_T_K, G_, T_face_,
                                 built_->face_T_K[static_cast<std::size_t>(f)], heat_);
    text = fmt::format("{}cold plate {} outlet {:.4f} K", note.empty() ? "" : "; ", p.spec->name,
                       p.last.outlet_T_K);
    note += text;
  }
  return note;
}

solver::IterateHook ColdPlateCoupling::hook() {
  if (empty()) return {};
  return [this](const std::vector<double>& T_K) { return march(T_K); };
}

std::vector<ColdPlateResult> ColdPlateCoupling::results(const std::vector<double>& T_K) const {
  const auto& grid = *built_->grid;
  const solver::ThermalProblem problem = built_->problem();
  std::vector<ColdPlateResult> out;
  std::vector<double> G, heat_out;
  for (const auto& p : plates_) {
    const int f = p.geometry.face;
    const auto [a, u, v] = solver::face_axes(f);
    solver::face_cell_flows(problem, T_K, f, G, heat_out);
    const auto& fluid_T = built_->face_T_K[static_cast<std::size_t>(f)];
    ColdPlateResult r;
    r.name = p.spec->name;
    r.face = f;
    r.coolant = p.spec->coolant;
    r.inlet_T_K = p.spec->inlet_T_K;
    r.outlet_T_K = p.last.outlet_T_K;
    r.delta_T_K = r.outlet_T_K - r.inlet_T_K;
    r.flow_L_per_min = p.spec->flow_L_per_min;
    r.mass_flow_kg_per_s = p.spec->flow_m3_per_s * fluid_of(*p.spec).rho_kg_per_m3;
    r.capacity_W_per_K = p.capacity_W_per_K;
    r.film = p.film;
    r.lanes = static_cast<int>(p.lanes.size());
    r.cells_along = p.lanes.empty() ? 0 : static_cast<int>(p.lanes.front().face_cells.size());
    const std::size_t n_u = grid.cells_per_axis()[static_cast<std::size_t>(u)];
    const std::size_t layer =
        f % 2 == 0 ? 0 : grid.cells_per_axis()[static_cast<std::size_t>(a)] - 1;
    const double plane = f % 2 == 0 ? grid.nodes(a).front() : grid.nodes(a).back();
    for (std::size_t l = 0; l < p.lanes.size(); ++l)
      for (std::size_t s = 0; s < p.lanes[l].face_cells.size(); ++s) {
        const std::size_t fc = p.lanes[l].face_cells[s];
        CoolantCell c;
        c.lane = static_cast<int>(l);
        c.step = static_cast<int>(s);
        std::array<std::size_t, 3> idx{};
        idx[static_cast<std::size_t>(a)] = layer;
        idx[static_cast<std::size_t>(u)] = fc % n_u;
        idx[static_cast<std::size_t>(v)] = fc / n_u;
        c.cell = grid.cell(idx[0], idx[1], idx[2]);
        for (int k = 0; k < 3; ++k)
          c.at_m[static_cast<std::size_t>(k)] =
              k == a ? plane : grid.centre(k, idx[static_cast<std::size_t>(k)]);
        c.fluid_T_K = fluid_T[fc];
        c.heat_W = heat_out[fc];
        r.heat_W += c.heat_W;
        r.cells.push_back(c);
      }
    const double closure = r.capacity_W_per_K * r.delta_T_K - r.heat_W;
    r.energy_mismatch = r.heat_W != 0.0 ? std::fabs(closure) / std::fabs(r.heat_W) : 0.0;
    out.push_back(std::move(r));
  }
  return out;
}

void add_cold_plate_results(const std::vector<ColdPlateResult>& plates,
                            const mesh::RectilinearGrid& grid, postproc::ResultsContent& content) {
  if (plates.empty()) return;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  content.tables.push_back(postproc::tabulate(
      "cold_plates", "plates",
      {"name", "face", "coolant", "inlet_T_K", "outlet_T_K", "delta_T_K", "heat_W",
       "flow_L_per_min", "mass_flow_kg_per_s", "capacity_W_per_K", "energy_mismatch", "h_W_per_m2K",
       "reynolds", "prandtl", "nusselt", "h_channel_W_per_m2K", "lanes", "cells_along"},
      plates, [nan](const ColdPlateResult& p) {
        const auto* ch = p.film.channels ? &*p.film.channels : nullptr;
        const std::string face = kBoundaryFaceNames[static_cast<std::size_t>(p.face)];
        return std::tuple_cat(
            std::tuple{p.name, face, p.coolant, p.inlet_T_K, p.outlet_T_K, p.delta_T_K, p.heat_W},
            std::tuple{p.flow_L_per_min, p.mass_flow_kg_per_s, p.capacity_W_per_K,
                       p.energy_mismatch, p.film.h_W_per_m2K},
            std::tuple{ch ? ch->reynolds : nan, ch ? ch->prandtl : nan, ch ? ch->nusselt : nan,
                       ch ? ch->h_channel_W_per_m2K : nan, p.lanes, p.cells_along});
      }));
  struct FluidCell {
    const std::string* plate;
    const CoolantCell* cell;
  };
  std::vector<FluidCell> cells;
  std::vector<double> field(grid.num_cells(), nan);
  for (const auto& p : plates)
    for (const auto& c : p.cells) {
      cells.push_back({&p.name, &c});
      field[c.cell] = c.fluid_T_K;
    }
  content.tables.push_back(postproc::tabulate(
      "cold_plates", "fluid", {"plate", "lane", "step", "x_m", "y_m", "z_m", "fluid_T_K", "heat_W"},
      cells, [](const FluidCell& f) {
        const auto& c = *f.cell;
        return std::tuple{*f.plate,  c.lane,    c.step,      c.at_m[0],
                          c.at_m[1], c.at_m[2], c.fluid_T_K, c.heat_W};
      }));
  content.fields.push_back({&grid, "coolant_T_K", std::move(field)});
}

std::string format_cold_plates(const std::vector<ColdPlateResult>& plates) {
  if (plates.empty()) return "";
  std::ostringstream out;
  std::string line;
  out << "\ncold plates\n";
  for (const auto& p : plates) {
    line = fmt::format(
        "  {:<16} {}, {} {:.3g} L/min: inlet {:.2f} °C, outlet {:.2f} °C (ΔT {:.3f} K), "
        "heat {:.4g} W, h {:.4g} W/(m² K), {} lanes x {} cells, closure {:.1e}\n",
        p.name, kBoundaryFaceNames[static_cast<std::size_t>(p.face)], p.coolant, p.flow_L_per_min,
        p.inlet_T_K - kKelvinAtZeroCelsius, p.outlet_T_K - kKelvinAtZeroCelsius, p.delta_T_K,
        p.heat_W, p.film.h_W_per_m2K, p.lanes, p.cells_along, p.energy_mismatch);
    out << line;
    if (p.film.channels) {
      const auto& c = *p.film.channels;
      line = fmt::format(
          "  {:<16} channels: D_h {:.4g} mm, u {:.3g} m/s, Re {:.4g} ({}), Pr {:.3g}, Nu {:.4g}, "
          "h_channel {:.4g} W/(m² K)\n",
          "", c.hydraulic_diameter_m * 1e3, c.velocity_m_per_s, c.reynolds,
          c.laminar ? "laminar, Shah-London H1" : "turbulent, Dittus-Boelter", c.prandtl, c.nusselt,
          c.h_channel_W_per_m2K);
      out << line;
    }
  }
  return out.str();
}

}  // namespace cposim::cases
