#pragma once
/// \file
/// Replacing an output file all at once: the new content goes to a temporary name in the same
/// folder (`<path>.tmp-<pid>`) and is renamed over `path` only when it is complete, so a reader
/// or an interrupted run never sees a half-written file.

#include <string>
#include <string_view>

namespace cposim::postproc {

/// The temporary name used for `path`: `<path>.tmp-<pid>` (same folder, so the rename stays on
/// one file system; the pid keeps concurrent processes apart).
std::string temporary_path_for(const std::string& path);

/// A temporary file for `final_path` that a writer fills through temp_path() and then commits.
/// If it is not committed, the destructor removes the temporary (a regular file only, so a
/// directory that happens to sit on the name is left alone). Not copyable.
class PendingFile {
 public:
  explicit PendingFile(std::string final_path);
  ~PendingFile();
  PendingFile(const PendingFile&) = delete;
  PendingFile& operator=(const PendingFile&) = delete;

  /// Where to write the content.
  const std::string& temp_path() const { return temp_path_; }
  /// The file that commit() replaces.
  const std::string& final_path() const { return final_path_; }

  /// Renames the temporary over final_path() (replacing it). Throws std::runtime_error
  /// "cannot rename '<temp>' to '<final>': <reason>"; the temporary is then removed.
  void commit();

 private:
  std::string final_path_;
  std::string temp_path_;
  bool committed_ = false;
};

/// Writes `bytes` to `path` through a temporary name and a rename; on failure `path` is left as
/// it was and no temporary remains. Throws std::runtime_error "cannot write '<path>'" or the
/// rename error of PendingFile::commit.
void write_file_atomically(const std::string& path, std::string_view bytes);

}  // namespace cposim::postproc
