/// \file
/// The echo: the resolved case in input syntax (case_echo.hpp).
#include "cases/resolve/case_echo.hpp"

#include <fmt/format.h>

#include <array>
#include <cstdio>
#include <sstream>

#include "cases/read/block_power_reader.hpp"
#include "cases/read/cavity_reader.hpp"
#include "cases/read/cold_plate_reader.hpp"
#include "cases/read/face_flux_reader.hpp"
#include "cases/read/face_stats_reader.hpp"
#include "cases/read/link_reader.hpp"
#include "cases/read/operating_points_reader.hpp"
#include "cases/read/output_maps_reader.hpp"
#include "cases/read/photonics_reader.hpp"
#include "cases/read/toml_helpers.hpp"
#include "cases/read/transient_reader.hpp"
#include "cases/resolve/lane_plan.hpp"
#include "cases/spec/component_roles.hpp"

namespace cposim::cases {
namespace {

std::string um(double metres) { return format_number(metres * kUmPerMetre); }

template <std::size_t N>
std::string um_list(const std::array<double, N>& metres) {
  std::string out = "[";
  for (std::size_t i = 0; i < N; ++i) out += (i ? ", " : "") + um(metres[i]);
  return out + "]";
}

std::string number_list(const std::vector<double>& values) {
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i) out += (i ? ", " : "") + format_number(values[i]);
  return out + "]";
}

void echo_material(std::ostream& os, const MaterialSpec& m) {
  os << "\n[materials." << m.name << "]\n";
  switch (m.kind) {
    case MaterialSpec::Kind::bump_array: {
      const auto& b = m.bump_array;
      os << "bump_array = { pitch_um = " << um(b.pitch_m) << ", diameter_um = " << um(b.diameter_m)
         << ", bump = " << quoted(b.bump.name) << ", fill = " << quoted(b.fill.name) << " }\n";
      return;
    }
    case MaterialSpec::Kind::laminate:
      os << "laminate = [\n";
      for (const auto& l : m.laminae)
        os << "  { material = " << quoted(l.material.name)
           << ", thickness_um = " << um(l.thickness_m) << " },\n";
      os << "]\n";
      return;
    case MaterialSpec::Kind::metal_coverage: {
      const auto& c = m.metal_coverage;
      os << "metal_coverage = { coverage = " << format_number(c.coverage)
         << ", metal = " << quoted(c.metal.name) << ", dielectric = " << quoted(c.dielectric.name)
         << ", kz_rule = " << quoted(materials::to_string(c.kz)) << " }\n";
      return;
    }
    case MaterialSpec::Kind::based:
      os << "base = " << quoted(m.base.name) << "\n";
      break;
    case MaterialSpec::Kind::full:
      break;
  }
  if (m.k_W_per_mK) {
    const auto& k = *m.k_W_per_mK;
    if (m.k_is_scalar)
      os << "k_W_per_mK = " << format_number(k[0]) << "\n";
    else
      os << "k_W_per_mK = [" << format_number(k[0]) << ", " << format_number(k[1]) << ", "
         << format_number(k[2]) << "]\n";
  }
  if (m.rho_kg_per_m3) os << "rho_kg_per_m3 = " << format_number(*m.rho_kg_per_m3) << "\n";
  if (m.cp_J_per_kgK) os << "cp_J_per_kgK = " << format_number(*m.cp_J_per_kgK) << "\n";
  if (m.k_T_exponent) {
    os << "k_T_exponent = " << format_number(*m.k_T_exponent) << "\n";
    os << "T_ref_K = " << format_number(m.T_ref_K.value_or(300.0)) << "\n";
  }
  if (m.k_table)
    os << "k_table = { T_K = " << number_list(m.k_table->T_K)
       << ", k_W_per_mK = " << number_list(m.k_table->k_W_per_mK) << " }\n";
}

std::string echo_case(const CaseSpec& spec) {
  std::ostringstream os;
  os << "# " << spec.case_path << ", resolved by cposim: every default filled in.\n";
  os << "title = " << quoted(spec.title) << "\n";
  os << "\n[package]\nfootprint_um = " << um_list(spec.package.footprint_m)
     << "\nfill = " << quoted(spec.package.fill.name) << "\n";
  for (const auto& m : spec.materials) echo_material(os, m);
  for (const auto& l : spec.layers) {
    os << "\n[[layers]]\nname = " << quoted(l.name) << "\nmaterial = " << quoted(l.material.name)
       << "\nthickness_um = " << um(l.thickness_m)
       << "\npower_W = " << format_number(l.power_W.value_or(0)) << "\n";
    if (l.T_limit_K) os << "T_limit_K = " << format_number(*l.T_limit_K) << "\n";
  }
  for (const auto& b : spec.blocks) {
    os << "\n[[blocks]]\nname = " << quoted(b.name) << "\nmaterial = " << quoted(b.material.name)
       << "\norigin_um = " << um_list(b.origin_m) << "\nsize_um = " << um_list(b.size_m) << "\n";
    if (b.power_W || (!b.power_map && !b.power_table))
      os << "power_W = " << format_number(b.power_W.value_or(0)) << "\n";
    if (b.power_map)
      os << "power_map = " << quoted(b.power_map->path) << "  # " << b.power_map->resolved_path
         << ": " << b.power_map->tiles.size() << " x " << b.power_map->tiles.front().size()
         << " tiles, sum " << format_number(b.power_map->file_total) << "\n";
    if (b.role != ComponentRole::none) os << "role = " << quoted(to_string(b.role)) << "\n";
    // A role's default limit is echoed as a comment, so reading the echo back keeps it a
    // default (and the echo of the echo is the same text).
    if (b.T_limit_K)
      os << "T_limit_K = " << format_number(*b.T_limit_K) << "\n";
    else if (const auto limit = default_limit_K(b.role))
      os << "# T_limit_K = " << format_number(*limit) << " (default of role "
         << quoted(to_string(b.role)) << ")\n";
    os << echo_block_power(b.leakage, b.power_table);
    os << echo_power_waveform(b.power_waveform);
  }
  for (const auto& i : spec.interfaces)
    os << "\n[[interfaces]]\nbetween = [" << quoted(i.between[0].name) << ", "
       << quoted(i.between[1].name) << "]\nR_m2K_per_W = " << format_number(i.R_m2K_per_W) << "\n";
  for (std::size_t f = 0; f < spec.boundaries.size(); ++f) {
    const auto& b = spec.boundaries[f];
    os << "\n[boundary." << kBoundaryFaceNames[f] << "]\n";
    switch (b.kind) {
      case solver::BoundaryKind::adiabatic:
        os << "type = \"adiabatic\"\n";
        break;
      case solver::BoundaryKind::convection:
        os << "type = \"convection\"\n";
        if (b.h_map)
          os << "h_map = " << quoted(b.h_map->path) << "  # " << b.h_map->resolved_path << ": "
             << b.h_map->tiles.size() << " x " << b.h_map->tiles.front().size() << " tiles\n";
        else
          os << "h_W_per_m2K = " << format_number(b.h_W_per_m2K) << "\n";
        os << "T_ambient_K = " << format_number(b.T_ambient_K) << "\n";
        break;
      case solver::BoundaryKind::fixed_temperature:
        os << "type = \"fixed_temperature\"\nT_K = " << format_number(b.T_K) << "\n";
        break;
      case solver::BoundaryKind::heat_flux:
        os << "type = \"heat_flux\"\nq_W_per_m2 = " << format_number(b.q_W_per_m2) << "\n";
        break;
    }
    echo_face_fluxes(os, b, static_cast<int>(f));
  }
  const auto& g = spec.grid;
  os << "\n[grid]\nmax_cell_xy_um = " << um(g.max_cell_xy_m)
     << "\nmax_cell_z_um = " << um(g.max_cell_z_m)
     << "\nmax_neighbour_ratio = " << format_number(g.max_neighbour_ratio)
     << "\nmin_cells_per_layer = " << g.min_cells_per_layer << "\n";
  for (const auto& r : g.refine)
    os << "\n[[grid.refine]]\norigin_um = " << um_list(r.origin_m)
       << "\nsize_um = " << um_list(r.size_m) << "\nmax_cell_um = " << um_list(r.max_cell_m)
       << "\n";
  const auto& s = spec.solver;
  os << "\n[solver]\nlinear_solver = " << quoted(solver::to_string(s.linear_solver))
     << "\nrelative_tolerance = " << format_number(s.relative_tolerance)
     << "\nmax_iterations = " << s.max_iterations
     << "\npicard_tolerance_K = " << format_number(s.picard_tolerance_K)
     << "\nmax_picard_iterations = " << s.max_picard_iterations
     << "\nmax_energy_imbalance = " << format_number(s.max_energy_imbalance)
     << "\nrunaway_T_K = " << format_number(s.runaway_T_K) << "\n";
  os << "\n[output]\nfields = [";
  for (std::size_t i = 0; i < spec.output.fields.size(); ++i)
    os << (i ? ", " : "") << quoted(spec.output.fields[i]);
  os << "]\n";
  echo_output_formats(os, spec.output);
  for (const auto& p : spec.output.probes) {
    os << "\n[[output.probes]]\nname = " << quoted(p.name) << "\nat_um = " << um_list(p.at_m)
       << "\n";
    if (p.on_face_axis >= 0)
      os << "on_face = \"" << static_cast<char>('x' + p.on_face_axis) << "\"\n";
  }
  echo_output_maps(os, spec.output);
  echo_face_stats(os, spec.output);
  echo_photonics(os, spec.photonics);
  echo_links(os, spec.photonics);
  echo_operating_points(os, spec);
  echo_electrical(os, spec);
  echo_cold_plates(os, spec);
  echo_cavities(os, spec);
  echo_transient(os, spec);
  return os.str();
}

}  // namespace

std::string resolved_case_text(const CaseSpec& spec) {
  std::string text = echo_case(spec);
  for (const auto& f : spec.input_files) {
    const std::string digest = fmt::format("{:016x}", static_cast<unsigned long long>(f.fnv1a64));
    text += "# input file " + quoted(f.path) + ": " + std::to_string(f.bytes) +
            " bytes, FNV-1a 64 " + digest + "\n";
  }
  return text;
}

}  // namespace cposim::cases
