/// \file
/// The output folder as one transaction (postproc/io/output_folder.hpp).
#include "postproc/io/output_folder.hpp"

#include <fcntl.h>
#include <stdio.h>  // renameat2, RENAME_EXCHANGE (glibc ≥ 2.28, _GNU_SOURCE)
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "postproc/io/atomic_file.hpp"
#include "postproc/io/field_block.hpp"

namespace cposim::postproc {
namespace {

namespace fs = std::filesystem;

std::string errno_text() { return std::strerror(errno); }

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }
bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// Opens and exclusively locks folder `path` without waiting; returns the descriptor, -1 with
/// errno EWOULDBLOCK when another process holds it, or -1 with another errno.
int open_locked(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return -1;
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int saved = errno;
    ::close(fd);
    errno = saved;
    return -1;
  }
  return fd;
}

/// True if descriptor `fd` is the folder now at `path` (not one a publish moved away).
bool is_current(int fd, const std::string& path) {
  struct stat a {
  }, b{};
  return ::fstat(fd, &a) == 0 && ::stat(path.c_str(), &b) == 0 && a.st_dev == b.st_dev &&
         a.st_ino == b.st_ino;
}

std::string read_small_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (in) text << in.rdbuf();
  return text.str();
}

/// "name" of the staging folders of `folder_name` start with this.
std::string staging_prefix(const std::string& folder_name) {
  return "." + folder_name + ".staging-";
}
/// The staging folder inside the folder (when it cannot be beside it) starts with this.
constexpr const char* kInsideStagingPrefix = ".staging-";

}  // namespace

bool is_legacy_run_output(const std::string& n) {
  if (n.find(".tmp-") != std::string::npos) return true;  // a temporary of an interrupted write
  if (n == "summary.json" || n == "report.html" || n == "probes.csv" ||
      n == "crosstalk_K_per_W.csv" || n == "history.png" || n == kRunManifestName)
    return true;
  if (starts_with(n, "results") &&
      (ends_with(n, ".h5") || ends_with(n, ".xmf") || ends_with(n, ".vtr") ||
       ends_with(n, ".vtp") || ends_with(n, ".pvd")))
    return true;
  return (starts_with(n, "map_") || starts_with(n, "coolant_")) && ends_with(n, ".png");
}

std::vector<std::string> manifest_file_names(const std::string& text) {
  std::vector<std::string> names;
  if (text.find("\"cposim_run_manifest\"") == std::string::npos) return names;
  const std::string key = "{\"name\": \"";
  for (std::size_t at = text.find(key); at != std::string::npos; at = text.find(key, at + 1)) {
    std::string name;
    std::size_t i = at + key.size();
    for (; i < text.size() && text[i] != '"'; ++i) {
      if (text[i] == '\\' && i + 1 < text.size()) {
        ++i;
        if (text[i] == 'u' && i + 4 < text.size()) {
          name += static_cast<char>(std::stoi(text.substr(i + 1, 4), nullptr, 16));
          i += 4;
          continue;
        }
      }
      name += text[i];
    }
    names.push_back(std::move(name));
  }
  return names;
}

OutputFolder::OutputFolder(const std::string& dir) : path_(dir.empty() ? "." : dir) { prepare(); }

OutputFolder::OutputFolder(const std::string& dir, int mpi_comm_f)
    : path_(dir.empty() ? "." : dir), mpi_comm_f_(mpi_comm_f), collective_(true) {
  root_ = rank_in(mpi_comm_f_) == 0;
  const std::string path_on_rank0 = broadcast_text(mpi_comm_f_, path_);
  run_agreed(mpi_comm_f_, [&] {
    if (path_ != path_on_rank0)
      throw std::runtime_error("output folder '" + path_ + "' is not rank 0's, '" + path_on_rank0 +
                               "'");
    if (root_) prepare();
  });
}

void OutputFolder::prepare() {
  fs::path abs = fs::absolute(path_).lexically_normal();
  if (!abs.has_filename()) abs = abs.parent_path();  // "out/" → "out"
  absolute_ = abs.string();
  const std::string name = abs.filename().string();
  if (name.empty() || abs == abs.root_path())
    throw std::runtime_error("cannot use '" + path_ + "' as an output folder");
  std::error_code ec;
  const fs::path cwd = fs::current_path(ec).lexically_normal();
  const auto relative = cwd.lexically_relative(abs);
  if (!ec && !relative.empty() && *relative.begin() != "..")
    throw std::runtime_error("'" + path_ +
                             "' is the working directory or a folder above it; a run's results "
                             "go into a folder of their own (e.g. --out results)");
  fs::create_directories(abs, ec);
  if (ec) throw std::runtime_error("cannot create '" + path_ + "': " + ec.message());
  // Lock, then make sure the locked folder is still the one at the path (a run that published
  // between our open and flock has replaced it): retry on the new one.
  for (int attempt = 0; lock_fd_ < 0; ++attempt) {
    const int fd = open_locked(absolute_);
    if (fd < 0 && errno == EWOULDBLOCK)
      throw OutputFolderBusy("another cposim run is writing into '" + path_ +
                             "' (it holds the folder's lock); wait for it or choose another --out");
    if (fd < 0) throw std::runtime_error("cannot lock '" + path_ + "': " + errno_text());
    if (is_current(fd, absolute_)) {
      lock_fd_ = fd;
    } else {
      ::close(fd);
      if (attempt == 10) throw std::runtime_error("cannot lock '" + path_ + "': it keeps changing");
    }
  }
  // The exchange needs the staging folder on the same file system, beside the folder: not
  // possible for a mount point or under a parent we cannot write; then it is inside.
  const fs::path parent = abs.parent_path();
  struct stat folder_stat {
  }, parent_stat{};
  inside_ = ::stat(absolute_.c_str(), &folder_stat) != 0 ||
            ::stat(parent.c_str(), &parent_stat) != 0 || folder_stat.st_dev != parent_stat.st_dev ||
            ::access(parent.c_str(), W_OK) != 0;
  // Staging folders of earlier runs into this folder that were killed: nobody else can hold
  // them now that we hold the folder's lock.
  for (const auto& [where, prefix] :
       {std::pair{parent, staging_prefix(name)}, std::pair{abs, std::string(kInsideStagingPrefix)}})
    for (const auto& entry : fs::directory_iterator(where, ec))
      if (starts_with(entry.path().filename().string(), prefix.c_str()))
        fs::remove_all(entry.path(), ec);
  // What the previous run wrote: its manifest's list, or (older cposim) the known names.
  const fs::path manifest = abs / kRunManifestName;
  if (fs::is_regular_file(manifest, ec)) {
    previous_run_files_ = manifest_file_names(read_small_file(manifest));
    has_manifest_ = !previous_run_files_.empty();
  }
  for (const auto& entry : fs::directory_iterator(abs, ec)) {
    const std::string n = entry.path().filename().string();
    if (of_previous_run(n)) continue;
    const fs::file_status st = entry.symlink_status(ec);
    if (!fs::is_regular_file(st) && !fs::is_symlink(st))
      throw std::runtime_error("'" + path_ + "' holds '" + n + "', a " +
                               (fs::is_directory(st) ? "folder" : "special file") +
                               " that is not part of a cposim run; results go into a folder "
                               "of their own: choose a new or empty --out");
  }
  if (ec) throw std::runtime_error("cannot list '" + path_ + "': " + ec.message());
}

bool OutputFolder::of_previous_run(const std::string& n) const {
  if (!has_manifest_) return is_legacy_run_output(n);
  return n == kRunManifestName || std::find(previous_run_files_.begin(), previous_run_files_.end(),
                                            n) != previous_run_files_.end();
}

OutputFolder::~OutputFolder() {
  if (!root_) return;  // a collective folder's ranks other than 0 own nothing on disk
  std::error_code ignored;
  if (!staging_.empty()) fs::remove_all(staging_, ignored);  // unpublished, or the old run
  if (staging_fd_ >= 0) ::close(staging_fd_);
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

const std::string& OutputFolder::staging() {
  if (!collective_ || !staging_.empty()) return create_staging();
  run_agreed(mpi_comm_f_, [&] {
    if (root_) create_staging();
  });
  staging_ = broadcast_text(mpi_comm_f_, staging_);
  return staging_;
}

const std::string& OutputFolder::create_staging() {
  if (!staging_.empty()) return staging_;
  const fs::path abs(absolute_);
  const std::string pid = std::to_string(static_cast<long long>(::getpid()));
  const std::string candidate =
      inside_ ? (abs / (kInsideStagingPrefix + pid)).string()
              : (abs.parent_path() / (staging_prefix(abs.filename().string()) + pid)).string();
  std::error_code ec;
  fs::remove_all(candidate, ec);
  if (!fs::create_directory(candidate, ec) || ec)
    throw std::runtime_error("cannot create the staging folder '" + candidate +
                             "': " + (ec ? ec.message() : "it exists"));
  staging_ = candidate;
  staging_fd_ = open_locked(staging_);
  if (staging_fd_ < 0) throw std::runtime_error("cannot lock '" + staging_ + "': " + errno_text());
  return staging_;
}

void OutputFolder::publish(const std::string& run_id, const std::string& case_file,
                           const std::string& program_version) {
  if (!collective_) return publish_here(run_id, case_file, program_version);
  staging();  // collective: created on rank 0 if nothing was written yet
  run_agreed(mpi_comm_f_, [&] {
    if (root_) publish_here(run_id, case_file, program_version);
  });
}

void OutputFolder::publish_here(const std::string& run_id, const std::string& case_file,
                                const std::string& program_version) {
  const fs::path stage(create_staging());
  const fs::path folder(absolute_);
  std::error_code ec;
  // The manifest names exactly what this run wrote, then the foreign files join by hard link.
  std::vector<std::pair<std::string, std::uintmax_t>> files;
  for (const auto& entry : fs::directory_iterator(stage, ec))
    files.emplace_back(entry.path().filename().string(), entry.file_size(ec));
  if (ec) throw std::runtime_error("cannot list '" + staging_ + "': " + ec.message());
  std::sort(files.begin(), files.end());
  nlohmann::ordered_json listed = nlohmann::ordered_json::array();
  for (const auto& [name, bytes] : files) listed.push_back({{"name", name}, {"bytes", bytes}});
  const nlohmann::ordered_json manifest = {{"cposim_run_manifest", 1},
                                           {"run_id", run_id},
                                           {"case_file", case_file},
                                           {"program_version", program_version},
                                           {"files", listed}};
  const std::string m =
      manifest.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  write_file_atomically((stage / kRunManifestName).string(), m);
  std::vector<std::string> names;
  for (const auto& f : files) names.push_back(f.first);
  if (inside_) return publish_in_place(names);
  carry_over_foreign_files();
  if (::renameat2(AT_FDCWD, staging_.c_str(), AT_FDCWD, absolute_.c_str(), RENAME_EXCHANGE) != 0) {
    const int reason = errno;
    if (reason == EINVAL || reason == ENOSYS || reason == ENOTSUP)  // no exchange on this fs
      return publish_in_place(names);
    throw std::runtime_error("cannot publish '" + staging_ + "' as '" + path_ +
                             "' (atomic folder exchange): " + std::strerror(reason));
  }
  published_ = true;
  // The previous run is now under the staging name; the destructor removes it.
}

void OutputFolder::carry_over_foreign_files() {
  const fs::path stage(staging_);
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(fs::path(absolute_), ec)) {
    const std::string n = entry.path().filename().string();
    if (of_previous_run(n) || fs::exists(stage / n)) continue;
    const fs::file_status st = entry.symlink_status(ec);
    if (fs::is_symlink(st))
      fs::copy_symlink(entry.path(), stage / n, ec);
    else
      fs::create_hard_link(entry.path(), stage / n, ec);
    if (ec)
      throw std::runtime_error("cannot keep '" + n + "' of '" + path_ +
                               "' in the new run: " + ec.message());
  }
  if (ec) throw std::runtime_error("cannot list '" + path_ + "': " + ec.message());
}

void OutputFolder::publish_in_place(const std::vector<std::string>& names) {
  // Not atomic: the old manifest goes first and the new one comes last, so a folder with a
  // manifest holds exactly the run it lists.
  const fs::path folder(absolute_), stage(staging_);
  std::error_code ec;
  fs::remove(folder / kRunManifestName, ec);
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    const std::string n = entry.path().filename().string();
    if (of_previous_run(n) && !fs::is_directory(entry.symlink_status(ec)))
      fs::remove(entry.path(), ec);
  }
  for (const auto& n : names) {
    fs::rename(stage / n, folder / n, ec);
    if (ec)
      throw std::runtime_error("cannot move '" + n + "' into '" + path_ + "': " + ec.message());
  }
  fs::rename(stage / kRunManifestName, folder / kRunManifestName, ec);
  if (ec)
    throw std::runtime_error("cannot move the manifest into '" + path_ + "': " + ec.message());
  published_ = true;
}

}  // namespace cposim::postproc
