/// \file
/// hotspot.config and the files it names (import_hotspot_config.hpp).
#include "cases/import/import_hotspot_config.hpp"

#include "cases/import/import_text.hpp"

namespace cposim::cases::import_detail {

namespace {

struct ConfigValue {
  std::string text;
  SourceLocation where;
};

std::map<std::string, ConfigValue> read_config(const std::string& path) {
  std::map<std::string, ConfigValue> values;
  for (const Line& line : significant_lines(read_text_file(path, "HotSpot configuration file"))) {
    const Word& name = line.words[0];
    if (name.text.size() < 2 || name.text[0] != '-' || line.words.size() < 2)
      throw CaseError(at(path, line.number, name.column),
                      "a configuration line is '-<name> <value>', got '" + name.text + "'");
    if (line.words.size() > 2 && line.words[2].text[0] != '#')
      throw CaseError(
          at(path, line.number, line.words[2].column),
          "a configuration line is '-<name> <value>'; unexpected '" + line.words[2].text + "'");
    values[name.text.substr(1)] = {line.words[1].text, at(path, line.number, line.words[1].column)};
  }
  return values;
}

bool is_null(const std::string& v) { return v.empty() || v == "(null)"; }

/// -material_chip, -material_sink, -material_spreader and -material_interface name a material
/// of the materials file, which sets that part's -k_* and -p_* (temperature.c).
void apply_material_keys(const std::map<std::string, ConfigValue>& config, Setup& s) {
  for (const char* part : {"chip", "sink", "spreader", "interface"}) {
    const auto it = config.find(std::string("material_") + part);
    if (it == config.end()) continue;
    const HotSpotMaterial& m = s.materials.find(it->second.text, it->second.where);
    s.p.value[std::string("k_") + part] = m.k_W_per_mK;
    s.p.value[std::string("p_") + part] = m.specific_heat;
    s.p.where[std::string("k_") + part] = it->second.where;
    s.p.where[std::string("p_") + part] = it->second.where;
    s.named[part] = m.name;
  }
}

/// The config keys of HotSpot's microchannel model (microchannel_config_add_from_strs).
constexpr const char* kMicrochannelKeys[] = {
    "pumping_pressure", "pump_internal_res", "inlet_temperature",
    "coolant_capac",    "coolant_res",       "coolant_visc",
    "wall_capac",       "wall_res",          "htc",
    "coolant_material", "wall_material"};

}  // namespace

Setup read_setup(const HotSpotFiles& files, std::vector<std::string>& notes) {
  Setup s;
  if (!files.materials.empty()) s.materials = read_materials(files.materials);
  s.init_file = files.init_file;
  if (files.config.empty()) {
    notes.push_back(
        "no hotspot.config given: HotSpot 6's defaults are used (r_convec 0.1 K/W, "
        "60 mm sink, 30 mm spreader, ambient 318.15 K)");
    return s;
  }
  const std::string& path = files.config;
  const auto config = read_config(path);
  // Package models the import cannot express: refused where they are switched on.
  static const std::map<std::string, std::string> kRefused = {
      {"model_secondary", "the secondary heat path (C4, substrate, solder, PCB)"},
      {"package_model_used", "the detailed package model (package.config)"},
      {"leakage_used", "the temperature-leakage loop"}};
  for (const auto& [key, what] : kRefused) {
    const auto it = config.find(key);
    if (it != config.end() && parse_number(it->second.text).value_or(1.0) != 0.0)
      throw CaseError(it->second.where,
                      "-" + key + " " + it->second.text + " asks for " + what +
                          ", which the import does not support; set it to 0 (cposim: model "
                          "those parts as layers and blocks)");
  }
  // example5's config carries this key, which HotSpot 7 does not read (hotspot.c reads
  // -use_microchannels; microchannel layers are the .csv networks of the .lcf).
  if (const auto it = config.find("use_microfluidic_cooling");
      it != config.end() && parse_number(it->second.text).value_or(1.0) != 0.0)
    notes.push_back("-use_microfluidic_cooling " + it->second.text +
                    " is not read by HotSpot 7 (it takes -use_microchannels); microchannel layers "
                    "are the .csv networks of the .lcf, imported as [[cavities]]");
  if (const auto it = config.find("materials_file");
      it != config.end() && !is_null(it->second.text) && files.materials.empty())
    s.materials = read_materials(resolve(folder_of(path), it->second.text));
  if (const auto it = config.find("init_file");
      it != config.end() && !is_null(it->second.text) && s.init_file.empty())
    s.init_file = it->second.text;
  for (auto& [key, value] : s.p.value) {
    const auto it = config.find(key);
    if (it == config.end()) continue;
    const auto v = parse_number(it->second.text);
    if (!v || !(*v > 0.0))
      throw CaseError(it->second.where,
                      "-" + key + " must be a number > 0, got '" + it->second.text + "'");
    value = *v;
    s.p.where[key] = it->second.where;
  }
  apply_material_keys(config, s);
  for (const char* key : kMicrochannelKeys)
    if (const auto it = config.find(key); it != config.end())
      s.microchannel_keys[key] = {it->second.text, it->second.where};
  if (const auto it = config.find("grid_layer_file");
      it != config.end() && !is_null(it->second.text))
    s.lcf = resolve(folder_of(path), it->second.text);
  if (const auto it = config.find("c_convec"); it != config.end())
    notes.push_back(
        "-c_convec (the sink's convection capacitance) is not imported: the sink's "
        "own heat capacity remains");
  return s;
}

MicrochannelParams microchannel_params(const Setup& setup) {
  MicrochannelParams mc;
  struct Key {
    const char* name;
    double* value;
    const char* unit;
    bool inverse;  // a resistivity: the value kept is its inverse, the conductivity
  };
  const Key keys[] = {{"pumping_pressure", &mc.pumping_pressure_Pa, "Pa", false},
                      {"pump_internal_res", &mc.pump_internal_res_Pa_s_per_m3, "Pa s/m3", false},
                      {"inlet_temperature", &mc.inlet_T_K, "K", false},
                      {"coolant_capac", &mc.coolant_capac_J_per_m3K, "J/(m3 K)", false},
                      {"coolant_res", &mc.coolant_k_W_per_mK, "m K/W", true},
                      {"coolant_visc", &mc.coolant_visc_Pa_s, "Pa s", false},
                      {"wall_capac", &mc.wall_capac_J_per_m3K, "J/(m3 K)", false},
                      {"wall_res", &mc.wall_k_W_per_mK, "m K/W", true},
                      {"htc", &mc.htc_W_per_m2K, "W/(m2 K)", false}};
  const auto& given = setup.microchannel_keys;
  for (const Key& k : keys) {
    const auto it = given.find(k.name);
    if (it == given.end()) continue;
    const auto& [text, where] = it->second;
    const auto v = parse_number(text);
    const bool pump = std::string(k.name) == "pump_internal_res";  // 0: an ideal pump
    if (!v || !(pump ? *v >= 0.0 : *v > 0.0))
      throw CaseError(where, "-" + std::string(k.name) + " must be a number " +
                                 (pump ? ">= 0" : "> 0") + " (" + k.unit + "), got '" + text + "'");
    *k.value = k.inverse ? 1.0 / *v : *v;
    mc.where[k.name] = where;
  }
  if (const auto it = given.find("wall_material"); it != given.end()) {
    const HotSpotMaterial& m = setup.materials.find(it->second.first, it->second.second);
    mc.wall_k_W_per_mK = m.k_W_per_mK;
    mc.wall_capac_J_per_m3K = m.specific_heat;
    mc.wall_material = m.name;
  }
  if (const auto it = given.find("coolant_material"); it != given.end()) {
    const HotSpotMaterial& m = setup.materials.find(it->second.first, it->second.second);
    if (!m.fluid)
      throw CaseError(it->second.second, "-coolant_material " + m.name + " is a solid in " +
                                             setup.materials.path +
                                             "; the coolant needs a fluid (with a viscosity)");
    mc.coolant_k_W_per_mK = m.k_W_per_mK;
    mc.coolant_capac_J_per_m3K = m.specific_heat;
    mc.coolant_visc_Pa_s = m.viscosity_Pa_s;
    mc.coolant_material = m.name;
  }
  return mc;
}

}  // namespace cposim::cases::import_detail
