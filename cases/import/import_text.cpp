/// \file
/// File reading and line splitting shared by the importers.
#include "cases/import/import_text.hpp"

#include <sys/stat.h>

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "cases/spec/input_file.hpp"

namespace cposim::cases::import_detail {

std::string read_text_file(const std::string& path, const std::string& what) {
  try {
    return read_input_file(path);
  } catch (const InputFileError& e) {
    throw CaseError({path, 0, 0}, "cannot read " + what + ": " + e.what());
  }
}

std::vector<Line> significant_lines(const std::string& text) {
  std::vector<Line> lines;
  int number = 0;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    ++number;
    Line line{number, {}};
    std::size_t i = start;
    while (i < end) {
      while (i < end && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
      if (i >= end) break;
      const std::size_t word_start = i;
      while (i < end && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
      line.words.push_back(
          {text.substr(word_start, i - word_start), static_cast<int>(word_start - start) + 1});
    }
    if (!line.words.empty() && line.words.front().text[0] != '#') lines.push_back(line);
    if (end == text.size()) break;
    start = end + 1;
  }
  return lines;
}

std::optional<double> parse_number(std::string_view text) {
  if (text.empty() || text.size() > 64) return std::nullopt;
  const std::string s(text);
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || !std::isfinite(v)) return std::nullopt;
  // strtod also reads hexadecimal floats and "infinity"; neither format writes them.
  for (char c : s)
    if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '+' || c == '-' ||
          c == 'e' || c == 'E'))
      return std::nullopt;
  return v;
}

std::string folder_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash + 1);
}

std::string resolve(const std::string& folder, const std::string& relative) {
  if (folder.empty() || (!relative.empty() && relative[0] == '/')) return relative;
  return folder + relative;
}

}  // namespace cposim::cases::import_detail
