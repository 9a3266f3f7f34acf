#pragma once
/// \file
/// Internal to the importers: reading a text file and splitting lines into located words.
/// Not part of the library's public API.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cases/spec/case_error.hpp"

namespace cposim::cases::import_detail {

/// A whitespace-separated word of a line, with its 1-based column.
struct Word {
  std::string text;
  int column = 0;
};

/// One line of a file: its 1-based number and its words (a line with none is blank).
struct Line {
  int number = 0;
  std::vector<Word> words;
};

/// The whole file as text. Throws CaseError "<path>: error: cannot read <what>: <reason>".
std::string read_text_file(const std::string& path, const std::string& what);

/// The lines of `text` with their words; blank lines and lines whose first word starts with
/// '#' are dropped (the comment convention of HotSpot's .flp, .lcf and .config files).
std::vector<Line> significant_lines(const std::string& text);

/// The whole of `text` as a finite number, or nothing (no partial matches: "1.5x" fails).
std::optional<double> parse_number(std::string_view text);

/// The folder part of `path` ("" for a bare file name); joined with a relative path it gives
/// the path relative to the current directory.
std::string folder_of(const std::string& path);

/// `relative` resolved against `folder` (unchanged if absolute or `folder` is empty).
std::string resolve(const std::string& folder, const std::string& relative);

}  // namespace cposim::cases::import_detail
