/// \file
/// Reading and echoing `leakage` and `power_table` of [[blocks]].
#include "cases/read/block_power_reader.hpp"

#include <optional>

namespace cposim::cases {
namespace {

BlockTemperature read_T_block(const TomlReader& reader, const Section& s) {
  const toml::node* n = s.find("T_block");
  if (n == nullptr) return BlockTemperature::mean;
  const KeyList names(kBlockTemperatureNames.begin(), kBlockTemperatureNames.end());
  return reader.choice(*n, s.key("T_block"), names) == "max" ? BlockTemperature::max
                                                             : BlockTemperature::mean;
}

std::string numbers(const std::vector<double>& values) {
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i)
    out += (i > 0 ? ", " : "") + format_number(values[i]);
  return out + "]";
}

const char* name_of(BlockTemperature t) {
  return kBlockTemperatureNames[static_cast<std::size_t>(t)];
}

}  // namespace

LeakageSpec read_leakage(const TomlReader& reader, const toml::node& node,
                         const std::string& path) {
  const Section s{&reader.table(node, path), path};
  reader.reject_unknown_keys(s, {"P_leak_ref_W", "beta_per_K", "T_ref_K", "T_block"});
  LeakageSpec l;
  l.where = reader.at(node);
  l.P_leak_ref_W =
      reader.non_negative(reader.require(s, "P_leak_ref_W"), s.key("P_leak_ref_W"), kWatt);
  l.beta_per_K = reader.non_negative(reader.require(s, "beta_per_K"), s.key("beta_per_K"), "1/K");
  l.T_ref_K = reader.positive(reader.require(s, "T_ref_K"), s.key("T_ref_K"), kKelvin);
  l.T_block = read_T_block(reader, s);
  return l;
}

PowerTableSpec read_power_table(const TomlReader& reader, const toml::node& node,
                                const std::string& path) {
  const Section s{&reader.table(node, path), path};
  reader.reject_unknown_keys(s, {"T_K", "P_W", "T_block"});
  PowerTableSpec t;
  t.where = reader.at(node);
  const auto& T = reader.array(reader.require(s, "T_K"), s.key("T_K"));
  const auto& P = reader.array(reader.require(s, "P_W"), s.key("P_W"));
  if (T.size() < 2)
    reader.fail(
        T, "'" + s.key("T_K") + "' needs at least 2 temperatures, got " + std::to_string(T.size()));
  if (P.size() != T.size())
    reader.fail(P, "'" + s.key("P_W") + "' must have as many values as T_K (" +
                       std::to_string(T.size()) + "), got " + std::to_string(P.size()));
  for (std::size_t i = 0; i < T.size(); ++i) {
    const std::string Ti = s.key("T_K") + "[" + std::to_string(i) + "]";
    t.T_K.push_back(reader.positive(T[i], Ti, kKelvin));
    if (i > 0 && !(t.T_K[i] > t.T_K[i - 1]))
      reader.fail(T[i], "'" + Ti + "' must be > the previous temperature (" +
                            format_number(t.T_K[i - 1]) + " K), got " + format_number(t.T_K[i]));
    t.P_W.push_back(reader.non_negative(P[i], s.key("P_W") + "[" + std::to_string(i) + "]", kWatt));
  }
  t.T_block = read_T_block(reader, s);
  return t;
}

std::string echo_block_power(const std::optional<LeakageSpec>& leakage,
                             const std::optional<PowerTableSpec>& table) {
  if (leakage)
    return "leakage = { P_leak_ref_W = " + format_number(leakage->P_leak_ref_W) +
           ", beta_per_K = " + format_number(leakage->beta_per_K) +
           ", T_ref_K = " + format_number(leakage->T_ref_K) + ", T_block = \"" +
           name_of(leakage->T_block) + "\" }\n";
  if (table)
    return "power_table = { T_K = " + numbers(table->T_K) + ", P_W = " + numbers(table->P_W) +
           ", T_block = \"" + name_of(table->T_block) + "\" }\n";
  return "";
}

}  // namespace cposim::cases
