/// \file
/// 3D-ICE channel sections (microchannel 2rm / 4rm, pinfin) → cposim `[[cavities]]`.
#include "cases/import/import_3dice_cavity.hpp"

#include <sstream>

#include "cases/read/toml_helpers.hpp"

namespace cposim::cases::import_detail::ice {
namespace {

constexpr double kWPerM2K_per_WPerUm2K = 1e12;  // W/(µm² K) → W/(m² K)
constexpr double kJPerM3K_per_JPerUm3K = 1e18;  // J/(µm³ K) → J/(m³ K)

/// `phrase VALUE ;` with VALUE > 0.
double value(Reader& r, const std::string& phrase, const std::string& unit) {
  r.expect_phrase(phrase, "in the channel section");
  const double v = r.positive("the " + phrase, unit);
  r.expect(";", "after the " + phrase);
  return v;
}

/// `coolant heat transfer coefficient` in its 2rm (top, bottom) or 4rm (side, top, bottom)
/// form, or one value for all.
void read_htc(Reader& r, Cavity& c) {
  r.expect_phrase("coolant heat transfer coefficient", "in the channel section");
  const char* unit = "W/(µm² K)";
  if (r.peek().kind == Token::Kind::number) {
    c.htc_top = c.htc_bottom = r.positive("the heat transfer coefficient", unit);
    if (c.model == "4rm") c.htc_side = c.htc_top;
    r.expect(";", "after the heat transfer coefficient");
    return;
  }
  if (c.model == "4rm") {
    r.expect("side", "(4rm: side, top, bottom)");
    c.htc_side = r.positive("the side heat transfer coefficient", unit);
    r.expect(",", "after the side coefficient");
  }
  r.expect("top", "in the heat transfer coefficients");
  c.htc_top = r.positive("the top heat transfer coefficient", unit);
  r.expect(",", "after the top coefficient");
  r.expect("bottom", "in the heat transfer coefficients");
  c.htc_bottom = r.positive("the bottom heat transfer coefficient", unit);
  r.expect(";", "after the heat transfer coefficients");
}

void read_material(Reader& r, const Stack& s, Cavity& c, const char* phrase) {
  r.expect_phrase(phrase, "in the channel section");
  c.material_where = r.here();
  const Token& t = r.identifier("a material name in the channel section");
  if (s.materials.count(t.text) == 0)
    throw CaseError(r.where(t),
                    "unknown material '" + t.text +
                        "' in the channel section; declared: " + list_keys(s.materials));
  c.material = t.text;
  r.expect(";", "after the material");
}

}  // namespace

Cavity read_cavity(Reader& r, const Stack& s) {
  Cavity c;
  c.where = r.here();
  const Token& kw = r.next();
  if (kw.text == "microchannel") {
    if (!r.is("2rm") && !r.is("4rm")) r.fail_here("'2rm' or '4rm' after 'microchannel'");
    c.model = r.next().text;
  } else {
    c.model = "pinfin";
  }
  r.expect(":", "after '" + kw.text + "'");
  c.height_um = value(r, "height", "µm");
  if (c.model == "pinfin") {
    c.pin_diameter_um = value(r, "pin diameter", "µm");
    c.pin_pitch_um = value(r, "pin pitch", "µm");
    if (!(c.pin_diameter_um < c.pin_pitch_um))
      throw CaseError(c.where, "the pin diameter must be below the pin pitch");
    r.expect_phrase("pin distribution", "in the pinfin section");
    if (!r.is("inline") && !r.is("staggered")) r.fail_here("'inline' or 'staggered'");
    c.staggered = r.next().text == "staggered";
    r.expect(";", "after the pin distribution");
    read_material(r, s, c, "pin material");
    c.darcy_um_per_s = value(r, "darcy velocity", "µm/s");
  } else {
    c.channel_um = value(r, "channel length", "µm");
    c.wall_um = value(r, "wall length", "µm");
    if (c.model == "4rm" && r.is("first")) value(r, "first wall length", "µm");
    if (c.model == "4rm" && r.is("last")) value(r, "last wall length", "µm");
    read_material(r, s, c, "wall material");
    c.flow_ml_per_min = value(r, "coolant flow rate", "ml/min");
    read_htc(r, c);
  }
  c.vhc = value(r, "coolant volumetric heat capacity", "J/(µm³ K)");
  c.T_in_K = value(r, "coolant incoming temperature", "K");
  return c;
}

std::string cavity_toml(const Cavity& c, const std::string& layer) {
  std::ostringstream os;
  const auto n = [](double v) { return format_number(v); };
  os << "\n[[cavities]]\nlayer = " << quoted(layer) << "\nmodel = " << quoted(c.model)
     << "\ncoolant = \"water\"  # transport properties; ρ cp is 3D-ICE's\n"
     << "coolant_rho_cp_J_per_m3K = " << n(c.vhc * kJPerM3K_per_JPerUm3K)
     << "\ninlet_T_K = " << n(c.T_in_K) << "\nflow_direction = \"+y\"\n";
  if (c.model == "pinfin") {
    os << "darcy_velocity_m_per_s = " << n(c.darcy_um_per_s * 1e-6)
       << "\npin_diameter_um = " << n(c.pin_diameter_um) << "\npin_pitch_um = " << n(c.pin_pitch_um)
       << "\npin_arrangement = " << quoted(c.staggered ? "staggered" : "inline") << "\n";
    return os.str();
  }
  os << "flow_L_per_min = " << n(c.flow_ml_per_min * 1e-3)
     << "\nchannel_width_um = " << n(c.channel_um) << "\nwall_width_um = " << n(c.wall_um)
     << "\nh_top_W_per_m2K = " << n(c.htc_top * kWPerM2K_per_WPerUm2K)
     << "\nh_bottom_W_per_m2K = " << n(c.htc_bottom * kWPerM2K_per_WPerUm2K) << "\n";
  if (c.model == "4rm")
    os << "h_side_W_per_m2K = " << n(c.htc_side * kWPerM2K_per_WPerUm2K) << "\n";
  return os.str();
}

}  // namespace cposim::cases::import_detail::ice
