#pragma once
/// \file
/// Internal to the HotSpot importer: reading hotspot.config ("-name value" lines, '#'
/// comments; the defaults are those of HotSpot 6's temperature.c, default_thermal_config) and
/// the files it names. Not part of the library's public API.

#include <map>
#include <string>
#include <vector>

#include "cases/import/hotspot_options.hpp"
#include "cases/import/import_hotspot_files.hpp"
#include "cases/import/import_hotspot_microchannel.hpp"
#include "cases/spec/case_error.hpp"

namespace cposim::cases::import_detail {

/// The HotSpot parameters the import uses, with HotSpot 6's defaults.
struct Params {
  std::map<std::string, double> value{{"t_chip", 0.15e-3},
                                      {"k_chip", 100.0},
                                      {"p_chip", 1.75e6},
                                      {"r_convec", 0.1},
                                      {"s_sink", 60e-3},
                                      {"t_sink", 6.9e-3},
                                      {"k_sink", 400.0},
                                      {"p_sink", 3.55e6},
                                      {"s_spreader", 30e-3},
                                      {"t_spreader", 1e-3},
                                      {"k_spreader", 400.0},
                                      {"p_spreader", 3.55e6},
                                      {"t_interface", 20e-6},
                                      {"k_interface", 4.0},
                                      {"p_interface", 4.0e6},
                                      {"ambient", 318.15},
                                      {"grid_rows", 64},
                                      {"grid_cols", 64},
                                      {"sampling_intvl", 3.333e-6},
                                      {"init_temp", 333.15}};
  std::map<std::string, SourceLocation> where;  ///< keys given in the config file
  double operator[](const std::string& k) const { return value.at(k); }
  SourceLocation location(const std::string& k, const std::string& fallback_file) const {
    const auto it = where.find(k);
    return it != where.end() ? it->second : SourceLocation{fallback_file, 0, 0};
  }
};

/// What the config (and the command line) give besides the parameters.
struct Setup {
  Params p;
  std::string lcf;                           ///< -grid_layer_file, resolved; empty: none
  MaterialsFile materials;                   ///< --materials or -materials_file; path empty: none
  std::string init_file;                     ///< --init-file or -init_file; empty: none
  std::map<std::string, std::string> named;  ///< part ("sink", ...) → its -material_* name
  /// The microchannel keys the config gives (read by microchannel_params only when the .lcf
  /// has a microchannel layer): key → value word and where it is.
  std::map<std::string, std::pair<std::string, SourceLocation>> microchannel_keys;
};

/// The config files.config (HotSpot 6's defaults without one), with the materials file and
/// the -init_file of `files` or else those the config names; -material_* entries set their
/// part's k and c_v. Notes what is not imported into `notes`. Throws CaseError at a malformed
/// line or an unknown material.
Setup read_setup(const HotSpotFiles& files, std::vector<std::string>& notes);

/// HotSpot's microchannel parameters: its defaults changed by setup's microchannel keys, in
/// HotSpot's order (the values, then -wall_material and -coolant_material from the materials
/// file). Throws CaseError at a malformed value or an unknown material.
MicrochannelParams microchannel_params(const Setup& setup);

}  // namespace cposim::cases::import_detail
