#pragma once
/// \file
/// Base64 (RFC 4648, with padding), as used inside VTK XML binary DataArrays: of a whole buffer,
/// or of a byte stream fed in pieces (a field written a z-plane at a time).

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace cposim::postproc {

/// Appends base64 of `size` bytes at `data` to `out`, in place (no temporary copy).
void append_base64(std::string& out, const std::uint8_t* data, std::size_t size);

/// Base64 of a byte stream fed in pieces, appended to a string the caller may empty between
/// pieces (to flush it to a file): the text is the same as append_base64 of all the bytes at
/// once. Holds at most two bytes between pieces.
class Base64Stream {
 public:
  /// Appends to `out`, which must outlive the stream.
  explicit Base64Stream(std::string& out) : out_(out) {}
  /// Encodes `size` more bytes (all but the last 0 to 2 bytes of the stream so far).
  void add(const std::uint8_t* data, std::size_t size);
  /// Encodes the bytes still held, with padding. The stream is empty afterwards.
  void finish();

 private:
  std::string& out_;
  std::uint8_t held_[3] = {0, 0, 0};
  std::size_t num_held_ = 0;
};

/// Base64 of `size` bytes at `data`. Exposed for tests.
std::string base64_encode(const std::uint8_t* data, std::size_t size);
/// The inverse of base64_encode; throws std::invalid_argument on a character outside the
/// alphabet or a length that is not a multiple of 4.
std::vector<std::uint8_t> base64_decode(const std::string& text);

}  // namespace cposim::postproc
