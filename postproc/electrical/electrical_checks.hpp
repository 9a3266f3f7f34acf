#pragma once
/// \file
/// Argument checks shared by the electrical models: each throws std::invalid_argument naming
/// the function, the quantity and the value. Internal to postproc/electrical.

#include <cmath>
#include <iomanip>
#include <sstream>
#include <stdexcept>
#include <string>

namespace cposim::postproc::electrical_checks {

/// `value` with six significant digits.
inline std::string number(double value) {
  std::ostringstream text;
  text << std::setprecision(6) << value;
  return text.str();
}

inline void require(bool ok, const std::string& what) {
  if (!ok) throw std::invalid_argument(what);
}

// The message is composed only when the check fails: these run per lane and route step, and
// formatting a number costs more than the model they guard.
inline void require_positive(double value, const char* function, const char* name) {
  if (!(std::isfinite(value) && value > 0.0))
    throw std::invalid_argument(std::string(function) + ": " + name +
                                " must be finite and > 0, got " + number(value));
}

inline void require_non_negative(double value, const char* function, const char* name) {
  if (!(std::isfinite(value) && value >= 0.0))
    throw std::invalid_argument(std::string(function) + ": " + name +
                                " must be finite and >= 0, got " + number(value));
}

}  // namespace cposim::postproc::electrical_checks
