#pragma once
// A scratch folder for one test binary: fresh on construction, removed with its contents on
// destruction. The process id keeps parallel ctest runs of different binaries apart.

#include <unistd.h>

#include <filesystem>
#include <string>
#include <system_error>

namespace cposim::testing {

/// `<temp>/cposim_<name>_<pid>`, emptied and created on construction, removed (errors ignored)
/// on destruction. Not copyable: one owner removes the folder.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& name)
      : path(std::filesystem::temp_directory_path() /
             ("cposim_" + name + "_" + std::to_string(static_cast<long long>(::getpid())))) {
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  std::filesystem::path path;
};

}  // namespace cposim::testing
