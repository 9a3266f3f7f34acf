#pragma once
/// \file
/// The argument check the field functions share: one value per cell.

#include <cstddef>
#include <stdexcept>
#include <string>

namespace cposim::postproc {

/// Throws std::invalid_argument "<who>: <what> has <size> values for <cells> cells" unless
/// size == cells.
inline void require_cell_count(const char* who, std::size_t size, std::size_t cells,
                               const char* what) {
  if (size != cells)
    throw std::invalid_argument(std::string(who) + ": " + what + " has " + std::to_string(size) +
                                " values for " + std::to_string(cells) + " cells");
}

}  // namespace cposim::postproc
