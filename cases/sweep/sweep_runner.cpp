/// \file
/// Sweep points as child processes (cases/sweep/sweep_runner.hpp): fork/exec, one temporary folder
/// per running point, renamed into place when the point is finished.
#include "cases/sweep/sweep_runner.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "cases/read/json_reader.hpp"
#include "cases/read/toml_helpers.hpp"

namespace cposim::cases {
namespace {

namespace fs = std::filesystem;

constexpr const char* kTempPrefix = ".tmp-";
constexpr auto kPollInterval = std::chrono::milliseconds(50);

std::string errno_text() { return std::strerror(errno); }

int available_cores() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0) return std::max(1, CPU_COUNT(&set));
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

/// Holds an exclusive flock on OUT/.lock for its lifetime; the kernel drops it if the sweep is
/// killed.
class DirectoryLock {
 public:
  DirectoryLock(const std::string& dir, bool shared) {
    const std::string path = (fs::path(dir) / ".lock").string();
    fd_ = ::open(path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0644);
    if (fd_ < 0) throw std::runtime_error("cannot open '" + path + "': " + errno_text());
    if (::flock(fd_, (shared ? LOCK_SH : LOCK_EX) | LOCK_NB) != 0) {
      const bool busy = errno == EWOULDBLOCK;
      const std::string why = errno_text();
      ::close(fd_);
      throw std::runtime_error(busy ? "another sweep is running in '" + dir + "' (it holds '" +
                                          path + "')"
                                    : "cannot lock '" + path + "': " + why);
    }
  }
  ~DirectoryLock() { ::close(fd_); }
  DirectoryLock(const DirectoryLock&) = delete;
  DirectoryLock& operator=(const DirectoryLock&) = delete;

 private:
  int fd_ = -1;
};

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (out) out.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (out) out.close();
  if (!out) throw std::runtime_error("cannot write '" + path.string() + "': " + errno_text());
}

/// The last line of the child's stderr that says "error" (else its last non-empty line),
/// at most 400 bytes.
std::string last_error_line(const fs::path& stderr_path) {
  std::ifstream in(stderr_path);
  std::string line, last, last_error;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    last = line;
    if (line.find("error") != std::string::npos) last_error = line;
  }
  std::string out = last_error.empty() ? last : last_error;
  if (out.size() > 400) out = out.substr(0, 397) + "...";
  return out;
}

/// True if `dir` holds a readable point.json (a finished point).
bool is_finished(const fs::path& dir) {
  std::ifstream in(dir / "point.json", std::ios::binary);
  if (!in) return false;
  std::ostringstream text;
  text << in.rdbuf();
  try {
    const JsonValue v = parse_json(text.str());
    return v.find("exit_code") != nullptr;
  } catch (const std::runtime_error&) {
    return false;
  }
}

/// One running child.
struct Child {
  pid_t pid = -1;
  std::size_t point = 0;  ///< index into the unique points
  fs::path temp_dir;
  std::chrono::steady_clock::time_point started;
};

/// Kills and reaps children still running when run_sweep_points leaves by an exception.
class ChildGuard {
 public:
  explicit ChildGuard(std::map<pid_t, Child>& running) : running_(running) {}
  ~ChildGuard() {
    for (auto& [pid, child] : running_) {
      ::kill(pid, SIGKILL);
      int status = 0;
      ::waitpid(pid, &status, 0);
      std::error_code ignored;
      fs::remove_all(child.temp_dir, ignored);
    }
  }
  ChildGuard(const ChildGuard&) = delete;
  ChildGuard& operator=(const ChildGuard&) = delete;

 private:
  std::map<pid_t, Child>& running_;
};

/// Starts `exe run DIR/case.toml --out DIR --threads N [--force-memory]` with stdout and
/// stderr in DIR.
pid_t spawn(const std::string& exe, const fs::path& dir, int threads, bool force_memory,
            int ranks) {
  const std::string case_path = (dir / "case.toml").string();
  const std::string out_dir = dir.string();
  const std::string thread_text = std::to_string(threads);
  const std::string out_log = (dir / "stdout.log").string();
  const std::string err_log = (dir / "stderr.log").string();
  const int out_fd = ::open(out_log.c_str(), O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0644);
  const int err_fd = ::open(err_log.c_str(), O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0644);
  if (out_fd < 0 || err_fd < 0) {
    const std::string why = errno_text();
    if (out_fd >= 0) ::close(out_fd);
    if (err_fd >= 0) ::close(err_fd);
    throw std::runtime_error("cannot create the logs in '" + out_dir + "': " + why);
  }
  // Everything the child needs is built before fork: after it, only async-signal-safe calls.
  std::vector<std::string> environment;
  for (char** e = environ; *e != nullptr; ++e)
    if (std::strncmp(*e, "OMP_NUM_THREADS=", 16) != 0) environment.emplace_back(*e);
  environment.push_back("OMP_NUM_THREADS=" + thread_text);
  std::vector<char*> envp;
  for (auto& e : environment) envp.push_back(e.data());
  envp.push_back(nullptr);
  const std::string rank_text = std::to_string(ranks);
  // mpirun starts its program by path: /proc/self/exe would name mpirun itself there.
  const std::string program = ranks > 1 ? fs::canonical(exe).string() : exe;
  std::vector<const char*> argv;
  if (ranks > 1) argv = {"mpirun", "-np", rank_text.c_str(), "--bind-to", "none"};
  for (const char* a : {program.c_str(), "run", case_path.c_str(), "--out", out_dir.c_str(),
                        "--threads", thread_text.c_str()})
    argv.push_back(a);
  if (force_memory) argv.push_back("--force-memory");
  argv.push_back(nullptr);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    const std::string why = errno_text();
    ::close(out_fd);
    ::close(err_fd);
    throw std::runtime_error("cannot start a sweep point: fork: " + why);
  }
  if (pid == 0) {
    ::dup2(out_fd, STDOUT_FILENO);
    ::dup2(err_fd, STDERR_FILENO);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // dies with the sweep, so a kill -9 leaves no orphans
    if (::getppid() != parent) ::_exit(127);
    if (ranks > 1)
      ::execvpe("mpirun", const_cast<char* const*>(argv.data()), envp.data());
    else
      ::execve(exe.c_str(), const_cast<char* const*>(argv.data()), envp.data());
    const char message[] = "sweep: error: cannot execute the cposim executable\n";
    [[maybe_unused]] const auto written = ::write(STDERR_FILENO, message, sizeof message - 1);
    ::_exit(127);
  }
  ::close(out_fd);
  ::close(err_fd);
  return pid;
}

/// Exit codes that say nothing about the case: interrupted, results not written, not started.
bool retry_later(int exit_code) {
  return exit_code == 4 || exit_code == 127 || exit_code == 130 || exit_code == 143;
}

/// Points with equal hashes are one run.
std::vector<const SweepPoint*> unique_points(const std::vector<SweepPoint>& points) {
  std::vector<const SweepPoint*> unique;
  for (const auto& p : points) {
    bool seen = false;
    for (const auto* u : unique) seen = seen || u->hash == p.hash;
    if (!seen) unique.push_back(&p);
  }
  return unique;
}

/// The exit of a reaped child as a SweepEvent (point, wall time, exit code or signal, and the
/// error line naming the point's final folder).
SweepEvent exit_event(const Child& child, const SweepPoint& p, pid_t r, int status,
                      const fs::path& final_dir) {
  SweepEvent e;
  e.point = p.index;
  e.hash = p.hash;
  e.wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - child.started).count();
  if (r > 0 && WIFEXITED(status)) {
    e.exit_code = WEXITSTATUS(status);
  } else {
    e.exit_code = -1;
    e.signal = r > 0 && WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  }
  if (e.exit_code != 0) {
    // The message names the point's case file by its temporary folder; name the final one.
    e.error = last_error_line(child.temp_dir / "stderr.log");
    const std::string temp = child.temp_dir.string();
    for (std::size_t at = e.error.find(temp); at != std::string::npos;
         at = e.error.find(temp, at + 1))
      e.error.replace(at, temp.size(), final_dir.string());
  }
  return e;
}

/// Runs the points of one sweep: skips finished ones, starts up to `jobs` children, reaps
/// them and publishes each finished point's folder.
class SweepScheduler {
 public:
  SweepScheduler(const std::vector<SweepPoint>& points, const SweepRunOptions& options,
                 fs::path points_dir)
      : options_(options),
        points_dir_(std::move(points_dir)),
        unique_(unique_points(points)),
        jobs_(std::max(1, options.jobs)),
        pid_text_(std::to_string(static_cast<long long>(::getpid()))) {
    report_.threads_per_job = options.threads_per_job > 0 ? options.threads_per_job
                                                          : std::max(1, available_cores() / jobs_);
    report_.points = unique_.size();
  }

  /// Runs every point not finished by an earlier sweep; returns the report.
  SweepRunReport run() {
    find_pending();
    ChildGuard guard(running_);
    bool terminated = false;
    while (next_ < pending_.size() || !running_.empty()) {
      const bool cancelled = options_.cancel != nullptr && options_.cancel->load();
      if (cancelled && !terminated) {
        for (const auto& [pid, child] : running_) ::kill(pid, SIGTERM);
        terminated = true;
        report_.cancelled = true;
      }
      while (!cancelled && next_ < pending_.size() && static_cast<int>(running_.size()) < jobs_)
        start_next();
      const bool reaped = reap();
      if (!reaped && (!running_.empty() || cancelled)) std::this_thread::sleep_for(kPollInterval);
      if (cancelled && running_.empty()) break;
    }
    report_.unfinished += pending_.size() - next_;
    return report_;
  }

 private:
  void emit(SweepEvent e) const {
    e.total = report_.points;
    e.done = report_.skipped + report_.finished;
    if (options_.on_event) options_.on_event(e);
  }

  /// The points to run: those without a readable point.json (a damaged folder is removed).
  void find_pending() {
    std::error_code ec;
    for (std::size_t i = 0; i < unique_.size(); ++i) {
      const fs::path dir = point_dir(options_.out_dir, unique_[i]->hash);
      if (is_finished(dir)) {
        ++report_.skipped;
        SweepEvent e;
        e.kind = SweepEvent::Kind::skipped;
        e.point = unique_[i]->index;
        e.hash = unique_[i]->hash;
        emit(e);
        continue;
      }
      if (fs::exists(dir, ec)) fs::remove_all(dir, ec);  // damaged: no readable point.json
      pending_.push_back(i);
    }
  }

  /// Starts the next pending point in its temporary folder.
  void start_next() {
    std::error_code ec;
    const SweepPoint& p = *unique_[pending_[next_]];
    Child child;
    child.point = pending_[next_++];
    child.temp_dir = points_dir_ / (kTempPrefix + p.hash + "-" + pid_text_);
    fs::remove_all(child.temp_dir, ec);
    fs::create_directory(child.temp_dir, ec);
    if (ec)
      throw std::runtime_error("cannot create '" + child.temp_dir.string() + "': " + ec.message());
    write_file(child.temp_dir / "case.toml", p.case_text);
    child.started = std::chrono::steady_clock::now();
    child.pid = spawn(options_.executable, child.temp_dir, report_.threads_per_job,
                      options_.force_memory, options_.ranks_per_point);
    running_.emplace(child.pid, child);
    SweepEvent e;
    e.kind = SweepEvent::Kind::started;
    e.point = p.index;
    e.hash = p.hash;
    e.running = static_cast<int>(running_.size());
    emit(e);
  }

  /// Reaps the children that have exited; true if there was one.
  bool reap() {
    bool reaped = false;
    for (auto it = running_.begin(); it != running_.end();) {
      int status = 0;
      const pid_t r = ::waitpid(it->first, &status, WNOHANG);
      if (r == 0 || (r < 0 && errno == EINTR)) {
        ++it;
        continue;
      }
      reaped = true;
      const Child child = it->second;
      it = running_.erase(it);
      finish(child, r, status);
    }
    return reaped;
  }

  /// Publishes a finished point (point.json, folder renamed into place) or discards an
  /// unfinished one.
  void finish(const Child& child, pid_t r, int status) {
    std::error_code ec;
    const SweepPoint& p = *unique_[child.point];
    const fs::path final_dir = point_dir(options_.out_dir, p.hash);
    SweepEvent e = exit_event(child, p, r, status, final_dir);
    bool finished = e.exit_code >= 0 && !retry_later(e.exit_code);
    if (finished) {
      const nlohmann::ordered_json json = {{"hash", p.hash},
                                           {"exit_code", e.exit_code},
                                           {"status", e.exit_code == 0 ? "ok" : "failed"},
                                           {"wall_s", e.wall_s},
                                           {"threads", report_.threads_per_job},
                                           {"error", e.error}};
      write_file(child.temp_dir / "point.json",
                 json.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
      fs::rename(child.temp_dir, final_dir, ec);
      if (ec) {
        e.error = "cannot rename '" + child.temp_dir.string() + "' to '" + final_dir.string() +
                  "': " + ec.message();
        finished = false;
      }
    }
    if (finished) {
      ++report_.finished;
      if (e.exit_code != 0) ++report_.failed;
      e.kind = SweepEvent::Kind::finished;
    } else {
      fs::remove_all(child.temp_dir, ec);
      ++report_.unfinished;
      e.kind = SweepEvent::Kind::unfinished;
    }
    e.running = static_cast<int>(running_.size());
    emit(e);
  }

  const SweepRunOptions& options_;
  const fs::path points_dir_;
  const std::vector<const SweepPoint*> unique_;
  const int jobs_;
  const std::string pid_text_;
  SweepRunReport report_;
  std::vector<std::size_t> pending_;
  std::size_t next_ = 0;
  std::map<pid_t, Child> running_;
};

}  // namespace

std::string point_dir(const std::string& out_dir, const std::string& hash) {
  return (fs::path(out_dir) / "points" / hash).string();
}

bool point_finished(const std::string& out_dir, const std::string& hash) {
  return is_finished(point_dir(out_dir, hash));
}

SweepRunReport run_sweep_points(const std::vector<SweepPoint>& points,
                                const SweepRunOptions& options) {
  const fs::path points_dir = fs::path(options.out_dir) / "points";
  std::error_code ec;
  fs::create_directories(points_dir, ec);
  if (ec) throw std::runtime_error("cannot create '" + points_dir.string() + "': " + ec.message());
  DirectoryLock lock(options.out_dir, options.shared_lock);
  // Temporaries of an earlier sweep that was killed (its children died with it); a shared
  // holder removes only those of its own points.
  for (const auto& entry : fs::directory_iterator(points_dir)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(kTempPrefix, 0) != 0) continue;
    bool mine = !options.shared_lock;
    for (const auto& p : points) mine = mine || name.rfind(kTempPrefix + p.hash + "-", 0) == 0;
    if (mine) fs::remove_all(entry.path(), ec);
  }
  return SweepScheduler(points, options, points_dir).run();
}

}  // namespace cposim::cases
