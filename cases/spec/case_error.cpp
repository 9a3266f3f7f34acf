/// \file
/// CaseError message formatting (gcc's "file:line:col: error:" convention).
#include "cases/spec/case_error.hpp"

#include <iomanip>
#include <sstream>
#include <utility>

namespace cposim::cases {

std::string to_string(const SourceLocation& where) {
  if (where.line <= 0) return where.file;
  return where.file + ":" + std::to_string(where.line) + ":" + std::to_string(where.column);
}

std::string to_string(const CaseWarning& warning) {
  return to_string(warning.where) + ": warning: " + warning.message;
}

std::string format_number(double value) {
  std::ostringstream os;
  os << std::setprecision(15) << value;
  return os.str();
}

CaseError::CaseError(SourceLocation where, const std::string& message)
    : std::runtime_error(to_string(where) + ": error: " + message),
      where_(std::move(where)),
      message_(message) {}

}  // namespace cposim::cases
