/// \file
/// Base64, whole or streamed (postproc/io/base64.hpp).
#include "postproc/io/base64.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace cposim::postproc {

namespace {
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
}  // namespace

void append_base64(std::string& out, const std::uint8_t* data, std::size_t size) {
  const std::size_t start = out.size();
  out.resize(start + (size + 2) / 3 * 4);
  char* o = out.data() + start;
  std::size_t i = 0;
  for (; i + 3 <= size; i += 3, o += 4) {
    const std::uint32_t v = (std::uint32_t{data[i]} << 16) | (std::uint32_t{data[i + 1]} << 8) |
                            std::uint32_t{data[i + 2]};
    o[0] = kAlphabet[(v >> 18) & 63];
    o[1] = kAlphabet[(v >> 12) & 63];
    o[2] = kAlphabet[(v >> 6) & 63];
    o[3] = kAlphabet[v & 63];
  }
  if (i == size) return;
  const std::uint32_t v =
      (std::uint32_t{data[i]} << 16) | (size - i == 2 ? std::uint32_t{data[i + 1]} << 8 : 0u);
  o[0] = kAlphabet[(v >> 18) & 63];
  o[1] = kAlphabet[(v >> 12) & 63];
  o[2] = size - i == 2 ? kAlphabet[(v >> 6) & 63] : '=';
  o[3] = '=';
}

void Base64Stream::add(const std::uint8_t* data, std::size_t size) {
  // Complete the held group first, then encode whole groups of three in place.
  while (num_held_ > 0 && num_held_ < 3 && size > 0) {
    held_[num_held_++] = *data++;
    --size;
  }
  if (num_held_ == 3) {
    append_base64(out_, held_, 3);
    num_held_ = 0;
  }
  const std::size_t whole = size / 3 * 3;
  append_base64(out_, data, whole);
  for (std::size_t i = whole; i < size; ++i) held_[num_held_++] = data[i];
}

void Base64Stream::finish() {
  append_base64(out_, held_, num_held_);
  num_held_ = 0;
}

std::string base64_encode(const std::uint8_t* data, std::size_t size) {
  std::string out;
  append_base64(out, data, size);
  return out;
}

std::vector<std::uint8_t> base64_decode(const std::string& text) {
  if (text.size() % 4 != 0)
    throw std::invalid_argument("base64_decode: length " + std::to_string(text.size()) +
                                " is not a multiple of 4");
  auto value = [](char c) -> std::uint32_t {
    const char* p = std::strchr(kAlphabet, c);
    if (c == '\0' || p == nullptr)
      throw std::invalid_argument(std::string("base64_decode: bad character '") + c + "'");
    return static_cast<std::uint32_t>(p - kAlphabet);
  };
  std::vector<std::uint8_t> out;
  out.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    const int pad = text[i + 3] == '=' ? (text[i + 2] == '=' ? 2 : 1) : 0;
    if (pad > 0 && i + 4 != text.size())
      throw std::invalid_argument("base64_decode: padding before the end");
    std::uint32_t v = (value(text[i]) << 18) | (value(text[i + 1]) << 12);
    if (pad < 2) v |= value(text[i + 2]) << 6;
    if (pad < 1) v |= value(text[i + 3]);
    out.push_back(static_cast<std::uint8_t>(v >> 16));
    if (pad < 2) out.push_back(static_cast<std::uint8_t>(v >> 8));
    if (pad < 1) out.push_back(static_cast<std::uint8_t>(v));
  }
  return out;
}

}  // namespace cposim::postproc
