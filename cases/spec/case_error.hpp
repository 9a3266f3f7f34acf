#pragma once
/// \file
/// Where a case-file error is, and the one exception type that reports it.

#include <stdexcept>
#include <string>

namespace cposim::cases {

/// A position in a user's input file (a case file or a file it names, such as a power map).
struct SourceLocation {
  std::string file;  ///< as the user named it (the path given, or resolved from the case file)
  int line = 0;      ///< 1-based; 0 = unknown (then only the file is printed)
  int column = 0;    ///< 1-based; 0 = unknown
};

/// The one exception for a bad case file. what() is exactly
/// "<file>:<line>:<col>: error: <message>", or "<file>: error: <message>" when the line is 0.
class CaseError : public std::runtime_error {
 public:
  CaseError(SourceLocation where, const std::string& message);

  /// Where the error is.
  const SourceLocation& where() const { return where_; }
  /// The message without the location prefix.
  const std::string& message() const { return message_; }

 private:
  SourceLocation where_;
  std::string message_;
};

/// A legal but implausible value, where it is written (cases/read/plausibility.hpp).
struct CaseWarning {
  SourceLocation where;
  std::string message;
};

/// "<file>:<line>:<col>: warning: <message>".
std::string to_string(const CaseWarning& warning);

/// "<file>:<line>:<col>" (or "<file>" when the line is 0), the prefix CaseError uses.
std::string to_string(const SourceLocation& where);

/// A number as case-file messages and echoes print it: up to 15 significant digits and no
/// trailing zeros, so -5 stays "-5" (not "-5.000000"), 1e-10 "1e-10", 308.15 "308.15".
std::string format_number(double value);

}  // namespace cposim::cases
