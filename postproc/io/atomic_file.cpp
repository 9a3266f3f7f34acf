/// \file
/// Temporary file + rename (postproc/io/atomic_file.hpp).
#include "postproc/io/atomic_file.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <system_error>
#include <utility>

namespace cposim::postproc {

namespace fs = std::filesystem;

std::string temporary_path_for(const std::string& path) {
  return path + ".tmp-" + std::to_string(static_cast<long long>(::getpid()));
}

PendingFile::PendingFile(std::string final_path)
    : final_path_(std::move(final_path)), temp_path_(temporary_path_for(final_path_)) {}

PendingFile::~PendingFile() {
  std::error_code ignored;
  if (!committed_ && fs::is_regular_file(temp_path_, ignored)) fs::remove(temp_path_, ignored);
}

void PendingFile::commit() {
  std::error_code error;
  fs::rename(temp_path_, final_path_, error);
  if (error)
    throw std::runtime_error("cannot rename '" + temp_path_ + "' to '" + final_path_ +
                             "': " + error.message());
  committed_ = true;
}

void write_file_atomically(const std::string& path, std::string_view bytes) {
  PendingFile file(path);
  {
    std::ofstream out(file.temp_path(), std::ios::binary | std::ios::trunc);
    if (out) out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) throw std::runtime_error("cannot write '" + path + "'");
  }
  file.commit();
}

}  // namespace cposim::postproc
