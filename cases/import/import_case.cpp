/// \file
/// ImportedCase → case file text.
#include "cases/import/import_case.hpp"

#include <cctype>
#include <sstream>

#include "cases/read/toml_helpers.hpp"
#include "cases/spec/case_error.hpp"

namespace cposim::cases {

namespace {

std::string num(double v) { return format_number(v); }

std::string triple(const std::array<double, 3>& v) {
  return "[" + num(v[0]) + ", " + num(v[1]) + ", " + num(v[2]) + "]";
}

/// A TOML key: bare when it can be, quoted otherwise (a '.' would make it a dotted key).
std::string key(const std::string& name) {
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) return quoted(name);
  return name;
}

std::string list(const std::vector<double>& v) {
  std::string out = "[";
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + num(v[i]);
  return out + "]";
}

std::string trailing(const std::string& comment) {
  return comment.empty() ? std::string() : "  # " + comment;
}

}  // namespace

std::string ImportedCase::material(const std::string& name, const std::array<double, 3>& k,
                                   double rho, double cp, const std::string& comment) {
  for (const auto& m : materials)
    if (m.requested == name && m.k_W_per_mK == k && m.rho_kg_per_m3 == rho && m.cp_J_per_kgK == cp)
      return m.name;
  std::string unique = name;
  for (int suffix = 2;; ++suffix) {
    bool taken = false;
    for (const auto& m : materials) taken = taken || m.name == unique;
    if (!taken) break;
    unique = name + "_" + std::to_string(suffix);
  }
  materials.push_back({unique, k, rho, cp, comment, name});
  return unique;
}

std::string to_case_toml(const ImportedCase& c) {
  std::ostringstream os;
  for (const auto& line : c.header) os << "# " << line << "\n";
  if (!c.notes.empty() || !c.warnings.empty()) {
    os << "#\n# Notes from the import:\n";
    for (const auto& n : c.notes) os << "#   - " << n << "\n";
    for (const auto& w : c.warnings) os << "#   - warning: " << w << "\n";
  }
  os << "\ntitle = " << quoted(c.title) << "\n\n[package]\nfootprint_um = ["
     << num(c.footprint_um[0]) << ", " << num(c.footprint_um[1]) << "]\nfill = " << quoted(c.fill)
     << "\n";

  for (const auto& m : c.materials) {
    os << "\n[materials." << key(m.name) << "]" << trailing(m.comment) << "\n";
    const bool isotropic = m.k_W_per_mK[0] == m.k_W_per_mK[1] && m.k_W_per_mK[1] == m.k_W_per_mK[2];
    os << "k_W_per_mK = " << (isotropic ? num(m.k_W_per_mK[0]) : triple(m.k_W_per_mK)) << "\n"
       << "rho_kg_per_m3 = " << num(m.rho_kg_per_m3) << "\n"
       << "cp_J_per_kgK = " << num(m.cp_J_per_kgK) << "\n";
  }
  for (const auto& l : c.layers)
    os << "\n[[layers]]" << trailing(l.comment) << "\nname = " << quoted(l.name)
       << "\nmaterial = " << quoted(l.material) << "\nthickness_um = " << num(l.thickness_um)
       << "\n";
  for (const auto& b : c.blocks) {
    os << "\n[[blocks]]" << trailing(b.comment) << "\nname = " << quoted(b.name)
       << "\nmaterial = " << quoted(b.material) << "\norigin_um = " << triple(b.origin_um)
       << "\nsize_um = " << triple(b.size_um) << "\n";
    if (b.power_W) os << "power_W = " << num(*b.power_W) << "\n";
    if (const auto w = c.waveforms.find(b.name); w != c.waveforms.end())
      os << "power_waveform = { kind = \"steps\", t_s = " << list(w->second.t_s)
         << ", factor = " << list(w->second.factor) << " }\n";
  }
  for (const auto& f : c.faces)
    os << "\n[boundary." << f.face << "]" << trailing(f.comment)
       << "\ntype = \"convection\"\nh_W_per_m2K = " << num(f.h_W_per_m2K)
       << "\nT_ambient_K = " << num(f.T_ambient_K) << "\n";
  if (c.max_cell_xy_um || c.max_cell_z_um || !c.refine.empty()) {
    os << "\n[grid]\n";
    if (c.max_cell_xy_um) os << "max_cell_xy_um = " << num(*c.max_cell_xy_um) << "\n";
    if (c.max_cell_z_um) os << "max_cell_z_um = " << num(*c.max_cell_z_um) << "\n";
    for (const auto& r : c.refine)
      os << "\n[[grid.refine]]" << trailing(r.comment) << "\norigin_um = " << triple(r.origin_um)
         << "\nsize_um = " << triple(r.size_um) << "\nmax_cell_um = " << triple(r.max_cell_um)
         << "\n";
  }
  if (c.transient) {
    const ImportedTransient& t = *c.transient;
    os << "\n[transient]" << trailing(t.comment) << "\nscheme = \""
       << (t.backward_euler ? "backward_euler" : "bdf2") << "\"\nend_time_s = " << num(t.end_time_s)
       << "\noutput_interval_s = " << num(t.output_interval_s) << "\n";
    if (t.initial_steady)
      os << "initial = \"steady\"\n";
    else
      os << "initial = \"ambient\"\ninitial_T_K = " << num(t.initial_T_K) << "\n";
    if (t.fixed_step_s) os << "adaptive = false\ndt_initial_s = " << num(*t.fixed_step_s) << "\n";
  }
  for (const auto& t : c.sections) os << t;
  for (const auto& p : c.probes)
    os << "\n[[output.probes]]\nname = " << quoted(p.name) << "\nat_um = " << triple(p.at_um)
       << "\n";
  return os.str();
}

}  // namespace cposim::cases
