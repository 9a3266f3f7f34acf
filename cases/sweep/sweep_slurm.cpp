/// \file
/// Slurm batch scripts, manifests and the checks of a submitted sweep
/// (cases/sweep/sweep_slurm.hpp).
#include "cases/sweep/sweep_slurm.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "cases/sweep/sweep_runner.hpp"

namespace cposim::cases {
namespace {

namespace fs = std::filesystem;

constexpr const char* kSubmitPrefix = "submit-";

bool all_digits(const std::string& s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

/// Splits `s` at every `sep`.
std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(s);
  while (std::getline(in, part, sep)) parts.push_back(part);
  if (!s.empty() && s.back() == sep) parts.emplace_back();
  return parts;
}

/// The #SBATCH lines both jobs share: name, tasks (a point's MPI ranks), the CPUs of each,
/// partition and time limit.
std::string common_directives(const SlurmSubmission& s, const std::string& name) {
  std::string text = "#!/bin/bash\n";
  text += fmt::format("#SBATCH --job-name={}\n", name);
  text += fmt::format("#SBATCH --ntasks={}\n", std::max(1, s.options.ranks_per_point));
  text += fmt::format("#SBATCH --cpus-per-task={}\n", s.options.threads_per_point);
  if (!s.options.partition.empty())
    text += fmt::format("#SBATCH --partition={}\n", s.options.partition);
  if (!s.options.time.empty()) text += fmt::format("#SBATCH --time={}\n", s.options.time);
  return text;
}

std::string manifest_path(const SlurmSubmission& s) {
  return (fs::path(s.submit_dir) / "manifest.json").string();
}

/// `cposim sweep SWEEP --out OUT --manifest MANIFEST`, quoted.
std::string sweep_command(const SlurmSubmission& s) {
  return fmt::format("{} sweep {} --out {} --manifest {}", shell_quote(s.cposim),
                     shell_quote(s.sweep_path), shell_quote(s.out_dir),
                     shell_quote(manifest_path(s)));
}

std::vector<std::string> string_list(const nlohmann::json& j, const char* key,
                                     const std::string& path) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_array())
    throw SweepChanged("'" + path + "' is not a sweep submission's manifest (no '" + key +
                       "' list)");
  std::vector<std::string> out;
  for (const auto& v : *it) {
    if (!v.is_string()) throw SweepChanged("'" + path + "': '" + key + "' holds a non-string");
    out.push_back(v.get<std::string>());
  }
  return out;
}

}  // namespace

std::string check_slurm_time(const std::string& time) {
  if (time == "UNLIMITED" || time == "INFINITE") return "";
  const std::string why =
      "expected minutes, M:S, H:M:S, D-H, D-H:M or D-H:M:S (Slurm's --time), got '" + time + "'";
  std::string clock = time;
  if (const auto dash = time.find('-'); dash != std::string::npos) {
    if (!all_digits(time.substr(0, dash))) return why;
    clock = time.substr(dash + 1);
  }
  const std::vector<std::string> parts = split(clock, ':');
  if (parts.empty() || parts.size() > 3) return why;
  for (const auto& p : parts)
    if (!all_digits(p)) return why;
  return "";
}

std::string check_slurm_partition(const std::string& partition) {
  if (partition.empty()) return "the partition name is empty";
  for (const unsigned char c : partition)
    if (std::isalnum(c) == 0 && c != '-' && c != '_' && c != '.' && c != ',')
      return "a partition name holds letters, digits, '-', '_', '.' and ',' only, got '" +
             partition + "'";
  return "";
}

std::size_t slurm_task_count(const SlurmSubmission& s) {
  const auto n = static_cast<std::size_t>(std::max(1, s.options.points_per_task));
  return (s.to_run.size() + n - 1) / n;
}

std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (const char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string slurm_array_script(const SlurmSubmission& s) {
  const std::size_t tasks = slurm_task_count(s);
  std::string text = common_directives(s, s.job_name);
  text += fmt::format("#SBATCH --array=0-{}", tasks == 0 ? 0 : tasks - 1);
  if (s.options.max_parallel > 0) text += fmt::format("%{}", s.options.max_parallel);
  text += "\n";
  text += fmt::format("#SBATCH --output={}/task-%A_%a.log\n", s.submit_dir);
  text += fmt::format(
      "# Written by `cposim sweep --slurm`: {} points to run, {} per task. Task i runs points\n"
      "# [i*{}, (i+1)*{}) of \"to_run\" in manifest.json with the resumable point runner; a\n"
      "# point finished earlier is skipped, and the task refuses if the sweep changed since.\n",
      s.to_run.size(), s.options.points_per_task, s.options.points_per_task,
      s.options.points_per_task);
  text += fmt::format("exec {} --array-task \"$SLURM_ARRAY_TASK_ID\" --threads {}{}{}\n",
                      sweep_command(s), s.options.threads_per_point,
                      s.options.force_memory ? " --force-memory" : "",
                      s.options.ranks_per_point > 1
                          ? fmt::format(" --ranks-per-point {}", s.options.ranks_per_point)
                          : std::string());
  return text;
}

std::string slurm_collect_script(const SlurmSubmission& s) {
  SlurmSubmission one = s;
  one.options.threads_per_point = 1;
  one.options.ranks_per_point = 1;
  std::string text = common_directives(one, s.job_name + "-collect");
  text += fmt::format("#SBATCH --output={}/collect-%j.log\n", s.submit_dir);
  text +=
      "# Written by `cposim sweep --slurm`: after the array has ended, the sweep's table,\n"
      "# report and plot from every finished point (refuses if the sweep changed since).\n";
  text += fmt::format("exec {} --collect\n", sweep_command(s));
  return text;
}

std::string slurm_manifest_json(const SlurmSubmission& s) {
  const nlohmann::ordered_json j = {{"sweep", s.sweep_path},
                                    {"out_dir", s.out_dir},
                                    {"points_per_task", s.options.points_per_task},
                                    {"points", s.all_hashes},
                                    {"to_run", s.to_run}};
  return j.dump(2) + "\n";
}

std::vector<std::string> sbatch_array_command(const SlurmSubmission& s) {
  return {"sbatch", "--parsable", (fs::path(s.submit_dir) / "array.sh").string()};
}

std::vector<std::string> sbatch_collect_command(const SlurmSubmission& s,
                                                const std::string& array_job_id) {
  return {"sbatch", "--parsable", "--dependency=afterany:" + array_job_id,
          (fs::path(s.submit_dir) / "collect.sh").string()};
}

std::optional<std::string> parse_sbatch_job_id(const std::string& output) {
  std::istringstream in(output);
  std::string line, id;
  while (std::getline(in, line)) {
    const std::string first = line.substr(0, line.find(';'));
    if (all_digits(first)) id = first;
  }
  if (id.empty()) return std::nullopt;
  return id;
}

SlurmManifest read_slurm_manifest(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw SweepChanged("cannot read the submission's manifest '" + path + "'");
  std::ostringstream text;
  text << in.rdbuf();
  const nlohmann::json j = nlohmann::json::parse(text.str(), nullptr, false);
  if (j.is_discarded() || !j.is_object())
    throw SweepChanged("'" + path + "' is not a sweep submission's manifest (not JSON)");
  SlurmManifest m;
  m.path = path;
  if (const auto it = j.find("sweep"); it != j.end() && it->is_string())
    m.sweep_path = it->get<std::string>();
  m.all_hashes = string_list(j, "points", path);
  m.to_run = string_list(j, "to_run", path);
  if (const auto it = j.find("points_per_task"); it != j.end() && it->is_number_integer())
    m.points_per_task = std::max(1, it->get<int>());
  return m;
}

void check_slurm_manifest(const SlurmManifest& manifest, const std::vector<SweepPoint>& points) {
  const std::vector<std::string> now = distinct_hashes(points);
  if (now == manifest.all_hashes) return;
  const std::set<std::string> now_set(now.begin(), now.end());
  const std::set<std::string> then_set(manifest.all_hashes.begin(), manifest.all_hashes.end());
  std::size_t gone = 0, added = 0;
  for (const auto& h : then_set) gone += now_set.count(h) == 0 ? 1 : 0;
  for (const auto& h : now_set) added += then_set.count(h) == 0 ? 1 : 0;
  throw SweepChanged(fmt::format(
      "the sweep changed since it was submitted ({}): {} of its {} submitted points are no "
      "longer points of it and {} are new (an edited sweep file or base case); nothing run. "
      "Submit it again with --slurm: results of the earlier version stay in their own point "
      "folders and are never mixed into the tables",
      manifest.path, gone, manifest.all_hashes.size(), added));
}

std::vector<SweepPoint> slurm_task_points(const SlurmManifest& manifest,
                                          const std::vector<SweepPoint>& points, long task) {
  check_slurm_manifest(manifest, points);
  const auto n = static_cast<std::size_t>(manifest.points_per_task);
  const std::size_t tasks = (manifest.to_run.size() + n - 1) / n;
  if (task < 0 || static_cast<std::size_t>(task) >= tasks)
    throw SweepChanged(fmt::format("--array-task {} is not a task of '{}' (0 to {})", task,
                                   manifest.path, tasks == 0 ? 0 : tasks - 1));
  std::vector<SweepPoint> out;
  const std::size_t begin = static_cast<std::size_t>(task) * n;
  const std::size_t end = std::min(begin + n, manifest.to_run.size());
  for (std::size_t i = begin; i < end; ++i) {
    const auto it = std::find_if(points.begin(), points.end(),
                                 [&](const SweepPoint& p) { return p.hash == manifest.to_run[i]; });
    if (it == points.end())
      throw SweepChanged("'" + manifest.path + "': point " + manifest.to_run[i] +
                         " to run is not a point of the sweep");
    out.push_back(*it);
  }
  return out;
}

std::vector<std::string> distinct_hashes(const std::vector<SweepPoint>& points) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const auto& p : points)
    if (seen.insert(p.hash).second) out.push_back(p.hash);
  return out;
}

std::vector<std::string> unfinished_hashes(const std::vector<SweepPoint>& points,
                                           const std::string& out_dir) {
  std::vector<std::string> out;
  for (const auto& h : distinct_hashes(points))
    if (!point_finished(out_dir, h)) out.push_back(h);
  return out;
}

std::string next_submit_dir(const std::string& out_dir) {
  const fs::path dir = fs::path(out_dir) / "slurm";
  long largest = 0;
  std::error_code ec;
  if (fs::is_directory(dir, ec))
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      const std::string name = entry.path().filename().string();
      if (name.rfind(kSubmitPrefix, 0) != 0) continue;
      const std::string number = name.substr(std::char_traits<char>::length(kSubmitPrefix));
      if (all_digits(number) && number.size() < 10) largest = std::max(largest, std::stol(number));
    }
  return (dir / (kSubmitPrefix + std::to_string(largest + 1))).string();
}

std::vector<std::string> foreign_point_folders(const std::vector<SweepPoint>& points,
                                               const std::string& out_dir) {
  const std::vector<std::string> mine = distinct_hashes(points);
  const std::set<std::string> mine_set(mine.begin(), mine.end());
  std::vector<std::string> out;
  std::error_code ec;
  const fs::path dir = fs::path(out_dir) / "points";
  if (!fs::is_directory(dir, ec)) return out;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name[0] == '.' || mine_set.count(name) > 0) continue;
    if (point_finished(out_dir, name)) out.push_back(name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace cposim::cases
