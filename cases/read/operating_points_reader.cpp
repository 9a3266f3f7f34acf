/// \file
/// Reading, cross-checking and echoing `[[operating_points]]`.
#include "cases/read/operating_points_reader.hpp"

#include <map>

#include "cases/read/toml_helpers.hpp"

namespace cposim::cases {
namespace {

/// Largest power scale accepted: ten times the case's power is far beyond any envelope.
constexpr double kMaxPowerScale = 10.0;

class PointReader : public TomlReader {
 public:
  using TomlReader::TomlReader;

  std::vector<OperatingPointSpec> read(const toml::table& root) const {
    std::vector<OperatingPointSpec> out;
    if (const auto* n = root.get("operating_points"))
      for (const auto& s : table_array(*n, "operating_points")) out.push_back(read_point(s));
    return out;
  }

 private:
  OperatingPointSpec read_point(const Section& s) const {
    reject_unknown_keys(
        s, {"name", "ambient_T_K", "coolant_inlet_T_K", "power_scale", "block_power_scale"});
    OperatingPointSpec p;
    p.where = at(*s.table);
    p.name = required_name(s, p.name_where);
    if (const auto* x = s.find("ambient_T_K"))
      p.ambient_T_K = in_range(*x, s.key("ambient_T_K"), kKelvin, 1.0, 1000.0);
    if (const auto* x = s.find("coolant_inlet_T_K"))
      p.coolant_inlet_T_K = in_range(*x, s.key("coolant_inlet_T_K"), kKelvin, 1.0, 1000.0);
    if (const auto* x = s.find("power_scale"))
      p.power_scale = in_range(*x, s.key("power_scale"), "", 0.0, kMaxPowerScale);
    if (const auto* x = s.find("block_power_scale"))
      for (const auto& [key, value] : table(*x, s.key("block_power_scale"))) {
        const std::string path = s.key("block_power_scale") + "." + std::string(key.str());
        p.block_power_scale.push_back(
            {std::string(key.str()), in_range(value, path, "", 0.0, kMaxPowerScale), at(value)});
      }
    return p;
  }
};

}  // namespace

std::vector<OperatingPointSpec> read_operating_points(const toml::table& root,
                                                      const std::string& file,
                                                      const std::string& base_dir) {
  return PointReader(file, base_dir).read(root);
}

void check_operating_points(const CaseSpec& spec) {
  std::map<std::string, int> names{{"nominal", 0}};
  for (const auto& p : spec.operating_points) {
    const auto [it, inserted] = names.emplace(p.name, p.name_where.line);
    if (!inserted)
      throw CaseError(p.name_where,
                      p.name == "nominal"
                          ? std::string("operating point name 'nominal' is the case as written; "
                                        "choose another")
                          : "duplicate operating point '" + p.name + "': already defined at line " +
                                std::to_string(it->second));
    if (spec.transient)
      throw CaseError(p.where,
                      "[[operating_points]] solve steady states; they cannot be combined "
                      "with [transient]");
    for (const auto& b : p.block_power_scale) {
      const BlockSpec* block = nullptr;
      for (const auto& x : spec.blocks)
        if (x.name == b.block) block = &x;
      if (block == nullptr)
        throw CaseError(b.where, "operating point '" + p.name + "': unknown block '" + b.block +
                                     "' in block_power_scale");
    }
  }
  if (!spec.operating_points.empty())
    for (const auto& b : spec.blocks)
      if (b.leakage || b.power_table)
        throw CaseError(spec.operating_points.front().where,
                        "[[operating_points]] scale fixed block powers; block '" + b.name +
                            "' has a temperature-dependent power (leakage or power_table), which "
                            "they do not support yet");
}

void echo_operating_points(std::ostream& os, const CaseSpec& spec) {
  for (const auto& p : spec.operating_points) {
    os << "\n[[operating_points]]\nname = " << quoted(p.name) << "\n";
    if (p.ambient_T_K) os << "ambient_T_K = " << format_number(*p.ambient_T_K) << "\n";
    if (p.coolant_inlet_T_K)
      os << "coolant_inlet_T_K = " << format_number(*p.coolant_inlet_T_K) << "\n";
    os << "power_scale = " << format_number(p.power_scale) << "\n";
    if (!p.block_power_scale.empty()) {
      os << "block_power_scale = { ";
      for (std::size_t i = 0; i < p.block_power_scale.size(); ++i)
        os << (i ? ", " : "") << quoted(p.block_power_scale[i].block) << " = "
           << format_number(p.block_power_scale[i].scale);
      os << " }\n";
    }
  }
}

}  // namespace cposim::cases
