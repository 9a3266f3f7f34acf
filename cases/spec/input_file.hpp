#pragma once
/// \file
/// The one way every command opens an input file (case, sweep, base case, CSV data, importer
/// sources): opened without blocking, refused unless it is a regular file (a FIFO, device or
/// folder fails at once instead of hanging or reading forever), read up to a size limit.
///
/// While an InputFileRecord is alive on a thread, every file read on that thread is recorded
/// with its content digest: read_case_text uses this to list every file a case reads, so the
/// resolved text (and a sweep point's hash) changes when a referenced file's content does.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace cposim::cases {

/// Largest input file read, bytes (1 GiB: far above any case or CSV; a guard against reading a
/// runaway file into memory).
inline constexpr std::uintmax_t kMaxInputFileBytes = std::uintmax_t{1} << 30;

/// Why an input file cannot be read: "it is a FIFO, not a regular file", "No such file or
/// directory", "it is larger than 1 GiB", ... (without the file name).
class InputFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A file a case read: its path as opened, size and FNV-1a 64-bit digest of its bytes, and where
/// the case named it (line and column of the string; 0 when not named by a case key).
struct InputFileDigest {
  std::string path;
  std::uintmax_t bytes = 0;
  std::uint64_t fnv1a64 = 0;
  int line = 0, column = 0;
};

/// The bytes of regular file `path`. Throws InputFileError. Recorded (see InputFileRecord)
/// with the naming location `line`, `column` if given.
std::string read_input_file(const std::string& path, int line = 0, int column = 0);

/// FNV-1a 64 of `bytes`.
std::uint64_t fnv1a64(const std::string& bytes);

/// Records the files read on this thread while alive (nested records: the innermost gets
/// them). Not copyable.
class InputFileRecord {
 public:
  InputFileRecord();
  ~InputFileRecord();
  InputFileRecord(const InputFileRecord&) = delete;
  InputFileRecord& operator=(const InputFileRecord&) = delete;
  const std::vector<InputFileDigest>& files() const { return files_; }

 private:
  friend std::string read_input_file(const std::string&, int, int);
  std::vector<InputFileDigest> files_;
  InputFileRecord* outer_ = nullptr;
};

}  // namespace cposim::cases
