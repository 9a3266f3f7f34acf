#pragma once
/// \file
/// A run's output folder as one transaction (README.md, "Results on disk: one run at a time").
///
/// The folder is locked for the whole run (flock on the folder itself, so the kernel drops the
/// lock when the process dies): a second run into the same folder fails at once. The results
/// are written into a staging folder beside it (`.<name>.staging-<pid>`, same file system),
/// finished by `manifest.json` (the run id and every file with its size), and published by one
/// atomic exchange of the two folders (renameat2 RENAME_EXCHANGE); the previous run, now under
/// the staging name, is then removed. So at every instant the folder holds exactly one complete
/// run, the old or the new one, and never a file of an earlier run beside the new ones.
///
/// When the exchange is impossible (the folder is a mount point, its parent cannot be written,
/// or the file system has no RENAME_EXCHANGE) the staging folder is inside the folder
/// (`.staging-<pid>`) and publishing is not atomic: the old manifest is removed first, the old
/// run's files next, the new files are moved in and the new manifest comes last, so a folder
/// with a manifest holds exactly the run it lists.
///
/// Files in the folder that no cposim run wrote (a note, a case file, a sweep point's logs) are
/// carried over into the new run by hard links; a sub-folder or special file that is not a
/// run's output is refused, as is the working directory or a folder above it.
///
/// Collective mode (a run on N MPI ranks): rank 0 alone locks, stages and publishes; the other
/// ranks learn the staging folder's path (broadcast) and write their part of the shared files
/// there. Every step's outcome is agreed (postproc/io/field_block.hpp, run_agreed): if it fails
/// on rank 0 every rank throws the same error, and publish runs only when every rank calls it.

#include <stdexcept>
#include <string>
#include <vector>

namespace cposim::postproc {

/// The name of the manifest every published run ends with.
inline constexpr const char* kRunManifestName = "manifest.json";

/// True for a name a run of an older cposim (without a manifest) may have written there.
bool is_legacy_run_output(const std::string& file_name);

/// One locked output folder. Not copyable. Errors are std::runtime_error with the reason
/// (OutputFolderBusy when another process holds the lock).
class OutputFolder {
 public:
  /// Creates `dir` if missing, locks it, removes staging folders of earlier runs that were
  /// killed, and checks that it can hold a run (see the file comment).
  explicit OutputFolder(const std::string& dir);
  /// The collective form (see the file comment): every rank of the communicator `mpi_comm_f`
  /// (MPI_Comm_c2f) calls it with the same `dir`, and then staging() and publish() together.
  /// Throws on every rank std::runtime_error with the message of the serial constructor's
  /// error on rank 0 (OutputFolderBusy becomes a plain std::runtime_error).
  OutputFolder(const std::string& dir, int mpi_comm_f);
  ~OutputFolder();
  OutputFolder(const OutputFolder&) = delete;
  OutputFolder& operator=(const OutputFolder&) = delete;

  /// The folder as given (where the files are once published).
  const std::string& path() const { return path_; }
  /// The staging folder, created (empty and locked) on the first call: write the run here.
  /// Collective in collective mode (the first call), the same path on every rank.
  const std::string& staging();
  /// Writes the manifest (`run_id`, `case_file`, program version and every staged file),
  /// carries the foreign files over and exchanges the staging folder with the folder. Throws
  /// std::runtime_error if it cannot; the folder then still holds the previous run.
  void publish(const std::string& run_id, const std::string& case_file,
               const std::string& program_version);

 private:
  void prepare();  ///< the serial constructor's work: lock, clean, check
  const std::string& create_staging();
  void publish_here(const std::string& run_id, const std::string& case_file,
                    const std::string& program_version);
  bool of_previous_run(const std::string& file_name) const;
  /// Hard links (or symlink copies) of the folder's foreign files into the staging folder.
  void carry_over_foreign_files();
  /// The fallback when the exchange is impossible: the old run's files out, the staged ones in,
  /// the manifest last.
  void publish_in_place(const std::vector<std::string>& names);

  std::string path_;      ///< as given
  std::string absolute_;  ///< absolute, normalised
  std::string staging_;   ///< "" until staging()
  int lock_fd_ = -1;      ///< the folder (its inode before publish)
  int staging_fd_ = -1;   ///< the staging folder (the folder's inode after publish)
  bool published_ = false;
  std::vector<std::string> previous_run_files_;  ///< from the old manifest (or legacy names)
  bool has_manifest_ = false;
  bool inside_ = false;      ///< staging inside the folder (a mount point, or parent read-only)
  int mpi_comm_f_ = 0;       ///< collective mode: the communicator (MPI_Comm_c2f)
  bool collective_ = false;  ///< rank 0 does the work, the others follow
  bool root_ = true;         ///< serial, or rank 0 of a collective folder
};

/// Thrown when another process is writing into the same folder.
class OutputFolderBusy : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The file names listed in a manifest's text ("files": [{"name": ...}]); empty if the text is
/// not a manifest.
std::vector<std::string> manifest_file_names(const std::string& manifest_text);

}  // namespace cposim::postproc
