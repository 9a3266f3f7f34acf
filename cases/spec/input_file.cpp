/// \file
/// Opening input files (cases/spec/input_file.hpp).
#include "cases/spec/input_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace cposim::cases {
namespace {

thread_local InputFileRecord* t_record = nullptr;

const char* kind_of(mode_t mode) {
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "a special file";
}

/// Closes a descriptor on every path out.
struct Descriptor {
  int fd;
  ~Descriptor() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

std::uint64_t fnv1a64(const std::string& bytes) {
  std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a 64 offset basis
  for (const char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;  // FNV-1a 64 prime
  }
  return h;
}

InputFileRecord::InputFileRecord() : outer_(t_record) { t_record = this; }
InputFileRecord::~InputFileRecord() { t_record = outer_; }

std::string read_input_file(const std::string& path, int line, int column) {
  // O_NONBLOCK: opening a FIFO without a writer must not wait; it is refused just below.
  const Descriptor file{::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)};
  if (file.fd < 0) throw InputFileError(std::strerror(errno));
  struct stat st {};
  if (::fstat(file.fd, &st) != 0) throw InputFileError(std::strerror(errno));
  if (S_ISDIR(st.st_mode)) throw InputFileError("it is a directory");
  if (!S_ISREG(st.st_mode))
    throw InputFileError(std::string("it is not a regular file (") + kind_of(st.st_mode) + ")");
  const auto limit = kMaxInputFileBytes;
  if (static_cast<std::uintmax_t>(st.st_size) > limit)
    throw InputFileError("it is larger than " + std::to_string(limit >> 20) + " MiB");
  std::string bytes;
  bytes.reserve(static_cast<std::size_t>(st.st_size));
  char buffer[1 << 16];
  while (true) {
    const ssize_t n = ::read(file.fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw InputFileError(std::strerror(errno));
    if (n == 0) break;
    bytes.append(buffer, static_cast<std::size_t>(n));
    if (bytes.size() > limit)  // it grew while being read
      throw InputFileError("it is larger than " + std::to_string(limit >> 20) + " MiB");
  }
  if (t_record != nullptr)
    t_record->files_.push_back({path, bytes.size(), fnv1a64(bytes), line, column});
  return bytes;
}

}  // namespace cposim::cases
