/// \file
/// Plausibility warnings from the case tree (plausibility.hpp).
#include "cases/read/plausibility.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string_view>

#include "mesh/units.hpp"

namespace cposim::cases {
namespace {

using mesh::kKelvinAtZeroCelsius;

/// Keys holding absolute temperatures (not differences or characteristic temperatures such as
/// a laser's T0_K).
constexpr std::string_view kAbsoluteTemperatureKeys[] = {"T_ambient_K", "T_limit_K", "T_ref_K",
                                                         "T_K",         "inlet_T_K", "initial_T_K",
                                                         "runaway_T_K", "T_range_K", "coolant_T_K"};

bool is_absolute_temperature(std::string_view key) {
  return std::find(std::begin(kAbsoluteTemperatureKeys), std::end(kAbsoluteTemperatureKeys), key) !=
         std::end(kAbsoluteTemperatureKeys);
}

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

class Walker {
 public:
  explicit Walker(std::string file) : file_(std::move(file)) {}

  void table(const toml::table& t, const std::string& path) {
    for (const auto& [key, node] : t) {
      const std::string k(key.str());
      visit(node, path.empty() ? k : path + "." + k, k);
    }
  }
  std::vector<CaseWarning> warnings;

 private:
  void visit(const toml::node& node, const std::string& path, const std::string& key) {
    if (const auto* t = node.as_table()) return table(*t, path);
    if (const auto* a = node.as_array()) {
      for (std::size_t i = 0; i < a->size(); ++i)
        visit((*a)[i], path + "[" + std::to_string(i) + "]", key);
      return;
    }
    if (!node.is_number()) return;
    const double v = node.value<double>().value_or(0.0);
    if (!std::isfinite(v)) return;  // the readers reject these
    check(node, path, key, v);
  }

  void warn(const toml::node& node, const std::string& text) {
    const auto& p = node.source().begin;
    warnings.push_back({{file_, static_cast<int>(p.line), static_cast<int>(p.column)}, text});
  }

  void check(const toml::node& node, const std::string& path, const std::string& key, double v) {
    std::string text;
    const std::string name = "'" + path + "' = " + format_number(v);
    if (is_absolute_temperature(key) && (v < kPlausibleMinT_K || v > kPlausibleMaxT_K)) {
      text = fmt::format(
          " K ({:.2f} °C) is outside the plausible range {:g} to {:g} K; temperatures are "
          "in kelvin ({} °C is {} K)",
          v - kKelvinAtZeroCelsius, kPlausibleMinT_K, kPlausibleMaxT_K, format_number(v),
          format_number(v + kKelvinAtZeroCelsius));
      warn(node, name + text);
    } else if (key == "thickness_um" && v > 0.0 && v < kPlausibleMinThickness_um) {
      warn(node, name + " µm is thinner than 10 nm (" + format_number(kPlausibleMinThickness_um) +
                     " µm); lengths are in µm");
    } else if (ends_with(key, "_um") && std::fabs(v) > kPlausibleMaxLength_um) {
      warn(node, name + " µm is more than 1 m; lengths are in µm (1 mm = 1000 µm)");
    } else if ((key == "power_W" || key == "P_W") && v > kPlausibleMaxPower_W) {
      warn(node, name + " W is more than 10 kW for one block or layer; powers are in W");
    } else if (key == "h_W_per_m2K" && v > kPlausibleMaxH_W_per_m2K) {
      warn(node, name + " W/(m² K) is above 1e6 W/(m² K), beyond boiling and jet impingement");
    } else if (key == "k_W_per_mK" && v > 0.0 &&
               (v < kPlausibleMinK_W_per_mK || v > kPlausibleMaxK_W_per_mK)) {
      warn(node, name + " W/(m K) is outside the plausible range 1e-3 to 5000 W/(m K)");
    }
  }

  std::string file_;
};

}  // namespace

std::vector<CaseWarning> plausibility_warnings(const toml::table& root, const std::string& file) {
  Walker w(file);
  w.table(root, "");
  std::stable_sort(w.warnings.begin(), w.warnings.end(), [](const auto& a, const auto& b) {
    return a.where.line != b.where.line ? a.where.line < b.where.line
                                        : a.where.column < b.where.column;
  });  // toml++ iterates keys in name order: file order for the user
  return std::move(w.warnings);
}

}  // namespace cposim::cases
