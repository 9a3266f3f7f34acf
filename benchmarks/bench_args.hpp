#pragma once
/// \file
/// Command-line helpers the benchmark programs share: `--name value` options and comma lists.

#include <algorithm>
#include <cstdio>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cposim::bench {

/// The items of a comma-separated list, empty ones included ("a,,b" → a, "", b).
inline std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) out.push_back(item);
  return out;
}

/// An option `--name value`: its name, what its value looks like in the usage line, and the
/// string the value is stored in.
struct ValueOption {
  std::string_view name;
  std::string_view shown;
  std::string* value;
};

/// Stores the value of every `--name value` in argv[1…] into its option's string. On an
/// unknown name or a name without a value prints "usage: <program> [--name SHOWN] …" to stderr
/// and returns false (the program then exits 2).
inline bool read_value_options(int argc, char** argv, const char* program,
                               const std::vector<ValueOption>& options) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view name = argv[i];
    const auto option = std::find_if(options.begin(), options.end(),
                                     [&](const ValueOption& o) { return o.name == name; });
    if (option == options.end() || i + 1 >= argc) {
      std::string usage = std::string("usage: ") + program;
      for (const auto& o : options)
        usage += " [" + std::string(o.name) + " " + std::string(o.shown) + "]";
      std::fprintf(stderr, "%s\n", usage.c_str());
      return false;
    }
    *option->value = argv[++i];
  }
  return true;
}

}  // namespace cposim::bench
