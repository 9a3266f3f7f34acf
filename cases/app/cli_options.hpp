#pragma once
/// \file
/// The command-line conventions every `cposim` subcommand shares (run, check, sweep, import):
/// a CLI11 parser without -h (the app prints its own usage), the last of a repeated option
/// wins, errors returned as messages (the caller prints them and exits 2), and counts such as
/// --threads and --jobs read as integers from 1 to 1024.

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace cposim::cases {

/// A parser for `cposim <name>` with the shared conventions.
inline void configure_parser(CLI::App& app) {
  app.set_help_flag();
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
}

/// Parses argv[first …]; CLI11's message on a parse error, "" if fine.
inline std::string run_parser(CLI::App& app, int argc, char** argv, int first) {
  try {
    app.parse(argc - first, argv + first);
  } catch (const CLI::ParseError& e) {
    return e.what();
  }
  return "";
}

/// Reads a count from 1 to 1024 into `out`; false if `text` is not one.
inline bool parse_count(const std::string& text, int& out) {
  char* end = nullptr;
  const long n = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || n < 1 || n > 1024) return false;
  out = static_cast<int>(n);
  return true;
}

/// If option `name` of `app` was given, its value `text` as a count into `out`; an error
/// message if it is not one, else "".
inline std::string read_count_option(const CLI::App& app, const char* name, const std::string& text,
                                     int& out) {
  if (app.count(name) > 0 && !parse_count(text, out))
    return std::string(name) + " must be an integer from 1 to 1024, got '" + text + "'";
  return "";
}

/// Prints "<who>: error: <message>", a blank line and "usage:" to stderr; the caller's usage
/// lines follow.
inline void print_usage_error(const char* who, const std::string& message) {
  std::fprintf(stderr, "%s: error: %s\n\nusage:\n", who, message.c_str());
}

}  // namespace cposim::cases
