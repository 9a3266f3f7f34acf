/// \file
/// write_results and write_vtk_results from N MPI ranks (ctest label `mpi`, run by mpirun with
/// 1, 2 and 4 ranks): an analytic field f(i, j, k), a label field, a time series, tables and a
/// polyline set on a non-uniform 13 × 11 × 5 grid, split over a px × py process grid that does
/// not divide it. Rank 0 also writes the same content serially (write_results without a block);
/// the N-rank files must equal it: the HDF5 files by h5diff (every dataset and attribute, exact:
/// no tolerance), the sidecars and every VTK file byte for byte. h5diff is shown to detect a
/// one-ulp change of one cell. Ranks without cells (a grid one cell wide, split in two along x)
/// give the same files too. Failures: one rank's bad block, another path on one rank, an
/// unwritable folder, a fault on rank 0 after the collective HDF5 write (its sidecar) and while
/// opening the .vtr, a collective OutputFolder whose run fails: every rank must throw the same
/// agreed message and nothing may appear under the final names.
///
///     test_parallel_write_mpi OUT_DIR     (OUT_DIR/ranks/ keeps the N-rank files for ParaView)
#include <mpi.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "postproc/io/output_folder.hpp"
#include "postproc/io/results_writer.hpp"
#include "postproc/io/vtk_writer.hpp"

namespace fs = std::filesystem;
using namespace cposim;
using namespace cposim::postproc;

namespace {

int failures = 0;
int rank = 0;

void check(bool ok, const std::string& what) {
  if (!ok) {
    ++failures;
    std::cerr << "rank " << rank << ": FAIL: " << what << "\n";
  }
}

std::vector<double> nodes(std::size_t n, double h, double growth) {
  std::vector<double> x{0.0};
  for (std::size_t i = 0; i < n; ++i) x.push_back(x.back() + h * std::pow(growth, double(i)));
  return x;
}

/// The cells [first, first+count) of part p of n cells split into `parts` (the first n % parts
/// parts one cell longer).
std::pair<std::size_t, std::size_t> split(std::size_t n, int parts, int p) {
  const std::size_t base = n / parts, extra = n % parts, q = static_cast<std::size_t>(p);
  return {q * base + std::min(q, extra), base + (q < extra ? 1 : 0)};
}

double f(std::size_t i, std::size_t j, std::size_t k) {
  return 300.0 + std::sin(0.3 * double(i)) + 0.01 * double(j * j) + 1e-3 * double(k * i) +
         1.0 / (1.0 + double(i + j + k));
}

/// `global` (x fastest over the grid) restricted to the block, x fastest inside it.
template <typename T>
std::vector<T> block_of(const std::vector<T>& global, const mesh::RectilinearGrid& grid,
                        const FieldBlock& b) {
  const auto [nx, ny, nz] = grid.cells_per_axis();
  std::vector<T> out;
  for (std::size_t k = 0; k < nz; ++k)
    for (std::size_t j = b.first[1]; j < b.first[1] + b.count[1]; ++j)
      for (std::size_t i = b.first[0]; i < b.first[0] + b.count[0]; ++i)
        out.push_back(global[(k * ny + j) * nx + i]);
  return out;
}

ResultsContent global_content(const mesh::RectilinearGrid& grid) {
  const auto [nx, ny, nz] = grid.cells_per_axis();
  ResultsContent c;
  c.grid = &grid;
  mesh::CellField T{&grid, "temperature_K", {}};
  LabelField label{"region_id", {}};
  for (std::size_t k = 0; k < nz; ++k)
    for (std::size_t j = 0; j < ny; ++j)
      for (std::size_t i = 0; i < nx; ++i) {
        T.values.push_back(f(i, j, k));
        label.values.push_back(static_cast<std::int32_t>((i + 2 * j + 3 * k) % 7));
      }
  mesh::CellField q{&grid, "power_density_W_per_m3", T.values};
  for (double& v : q.values) v = (v - 300.0) * 1e6;
  c.fields = {T, q};
  c.label_fields = {label};
  c.regions = {{"die", 310.5, {1e-3, 2e-3, 3e-4}, 305.25, 300.0, 1e-9, 2.5, 100},
               {"substrate", 301.0, {0.0, 0.0, 0.0}, 300.5, 299.0, 2e-9, 0.0, 43}};
  c.probes = {{"centre", {1e-3, 1e-3, 1e-4}, 303.0, 17}};
  c.materials = {{"silicon", {148.0, 148.0, 148.0}, 2329.0, 700.0, "built-in"}};
  c.tables = {{"photonics",
               "rings",
               {{"name", std::vector<std::string>{"r0", "r1"}},
                {"x_m", std::vector<double>{1e-4, 2e-4}},
                {"y_m", std::vector<double>{3e-4, 4e-4}},
                {"z_m", std::vector<double>{5e-5, 5e-5}},
                {"T_K", std::vector<double>{305.0, 306.5}},
                {"lane", std::vector<std::int32_t>{0, 1}}}}};
  c.polylines = {{"waveguides",
                  {{0.0, 0.0, 1e-4}, {1e-3, 0.0, 1e-4}, {1e-3, 1e-3, 1e-4}},
                  {{0, 1}, {1, 2}},
                  {{"T_K", {301.0, 302.0}}}}};
  c.texts = {{"resolved_case", "[grid]\nnx = 13\n"}};
  c.string_attributes = {{"title", "parallel write test"}};
  c.real_attributes = {{"energy_imbalance_W", 1.5e-12}};
  c.integer_attributes = {{"num_cells", static_cast<std::int64_t>(grid.num_cells())}};
  return c;
}

/// `c` with every field and label field cut to `block`; with `times`, a time series of the
/// temperature instead of the steady fields' sidecar.
ResultsContent block_content(ResultsContent c, const FieldBlock& b) {
  for (auto& field : c.fields) field.values = block_of(field.values, *c.grid, b);
  for (auto& field : c.label_fields) field.values = block_of(field.values, *c.grid, b);
  for (auto& field : c.time_series.fields)
    for (auto& state : field.values) state = block_of(state, *c.grid, b);
  return c;
}

void add_time_series(ResultsContent& c) {
  TimeSeriesField T{"temperature_K", {}};
  for (int t = 0; t < 3; ++t) {
    T.values.push_back(c.fields.front().values);
    for (double& v : T.values.back()) v += 0.5 * t;
  }
  c.time_series = {{0.0, 1e-3, 2.5e-3}, {T}};
}

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// h5diff's exit status (0 same, 1 different), or 2 if it found objects it cannot compare
/// (which it would otherwise pass over with status 0), or -1 if it did not run.
int h5diff(const fs::path& a, const fs::path& b) {
  const std::string command = "h5diff -c '" + a.string() + "' '" + b.string() + "' 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return -1;
  std::string output;
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
  const int status = ::pclose(pipe);
  if (!WIFEXITED(status)) return -1;
  if (output.find("Not comparable") != std::string::npos) return 2;
  return WEXITSTATUS(status);
}

/// Runs `write` expecting a throw of kind E on every rank with the same message; returns it.
template <typename E>
std::string expect_agreed_throw(const std::function<void()>& write, const std::string& what) {
  std::string message;
  try {
    write();
    check(false, what + ": no exception");
  } catch (const E& e) {
    message = e.what();
  } catch (const std::exception& e) {
    check(false, what + ": wrong exception kind: " + e.what());
  }
  // Every rank must hold the same message: compare lengths and text with rank 0's.
  unsigned long long n = message.size(), n0 = n;
  MPI_Bcast(&n0, 1, MPI_UNSIGNED_LONG_LONG, 0, MPI_COMM_WORLD);
  std::string m0 = message;
  m0.resize(n0);
  MPI_Bcast(m0.data(), static_cast<int>(n0), MPI_CHAR, 0, MPI_COMM_WORLD);
  check(n == n0 && m0 == message, what + ": ranks disagree: '" + message + "' vs '" + m0 + "'");
  return message;
}

int size_of(int comm_f) {
  int size = 0;
  MPI_Comm_size(MPI_Comm_f2c(comm_f), &size);
  return size;
}

bool no_run_files(const fs::path& dir) {
  if (!fs::exists(dir)) return true;
  return fs::is_empty(dir);
}

/// write_results and write_vtk_results into `dir` must each throw E, agreed on every rank;
/// returns write_results' message.
template <typename E>
std::string expect_both_throw(const fs::path& dir, const ResultsContent& content,
                              const FieldBlock& block, const std::string& what) {
  const std::string m = expect_agreed_throw<E>(
      [&] { write_results((dir / "results.h5").string(), content, block); }, what + " (.h5)");
  expect_agreed_throw<E>([&] { write_vtk_results((dir / "results.vtr").string(), content, block); },
                         what + " (.vtr)");
  return m;
}

/// OutputFolder's collective mode: one staging folder for all ranks, published once; a failed
/// write publishes nothing; an unusable folder throws on every rank.
void check_output_folder(const fs::path& out, const ResultsContent& global,
                         const FieldBlock& block) {
  const int comm = block.mpi_comm_f;
  {
    OutputFolder folder((out / "run").string(), comm);
    const std::string staging = folder.staging();
    unsigned long long n = staging.size(), n_max = 0;
    MPI_Allreduce(&n, &n_max, 1, MPI_UNSIGNED_LONG_LONG, MPI_MAX, MPI_COMM_WORLD);
    check(n == n_max && fs::is_directory(staging), "one staging folder for every rank");
    write_results((fs::path(staging) / "results.h5").string(), block_content(global, block), block);
    folder.publish("run-1", "case.toml", "test");
  }
  if (rank == 0) {
    check(fs::is_regular_file(out / "run" / "results.h5") &&
              fs::is_regular_file(out / "run" / "manifest.json"),
          "collective folder published");
    check(h5diff(out / "serial" / "results.h5", out / "run" / "results.h5") == 0,
          "published file equals the serial one");
  }
  {
    OutputFolder folder((out / "failed_run").string(), comm);
    ResultsContent bad = block_content(global, block);
    if (rank == size_of(comm) - 1) bad.label_fields.front().values.push_back(0);
    expect_agreed_throw<std::invalid_argument>(
        [&] { write_results((fs::path(folder.staging()) / "results.h5").string(), bad, block); },
        "bad block in a collective folder");
  }  // not published: the folder stays empty and no staging folder remains
  MPI_Barrier(MPI_COMM_WORLD);
  if (rank == 0) {
    check(no_run_files(out / "failed_run"), "a failed collective run left files");
    for (const auto& entry : fs::directory_iterator(out))
      check(entry.path().filename().string().find("staging") == std::string::npos,
            "staging folder left: " + entry.path().string());
  }
  expect_agreed_throw<std::runtime_error>(
      [&] { OutputFolder folder((out / "not_a_folder" / "run").string(), comm); },
      "collective folder under a file");
}

/// Ranks without cells: a grid one cell wide in x split over px = 2, so the ranks of the
/// second x part hold empty blocks; the files must still equal the serial ones.
void check_empty_blocks(const fs::path& out, int px, int py) {
  const mesh::RectilinearGrid grid(nodes(1, 1e-4, 1.0), nodes(7, 2e-4, 0.9), nodes(3, 5e-5, 1.2));
  const auto [nx, ny, nz] = grid.cells_per_axis();
  const auto [x0, cx] = split(nx, px, rank % px);
  const auto [y0, cy] = split(ny, py, rank / px);
  const FieldBlock block{{x0, y0, 0}, {cx, cy, nz}, MPI_Comm_c2f(MPI_COMM_WORLD)};
  ResultsContent global = global_content(grid);
  add_time_series(global);
  if (rank == 0) {
    fs::create_directories(out / "thin_serial");
    fs::create_directories(out / "thin_ranks");
    write_results((out / "thin_serial" / "results.h5").string(), global);
    write_vtk_results((out / "thin_serial" / "results.vtr").string(), global);
  }
  MPI_Barrier(MPI_COMM_WORLD);
  write_results((out / "thin_ranks" / "results.h5").string(), block_content(global, block), block);
  write_vtk_results((out / "thin_ranks" / "results.vtr").string(), block_content(global, block),
                    block);
  if (rank != 0) return;
  check(h5diff(out / "thin_serial" / "results.h5", out / "thin_ranks" / "results.h5") == 0,
        "h5diff with empty blocks");
  check(slurp(out / "thin_serial" / "results.vtr") == slurp(out / "thin_ranks" / "results.vtr"),
        ".vtr with empty blocks");
}

}  // namespace

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  int size = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  if (argc != 2) {
    if (rank == 0) std::cerr << "usage: test_parallel_write_mpi OUT_DIR\n";
    MPI_Finalize();
    return 2;
  }
  const fs::path out = fs::path(argv[1]) / ("np" + std::to_string(size));
  if (rank == 0) {
    fs::remove_all(out);
    for (const char* d : {"serial", "ranks", "transient_serial", "transient_ranks", "fail_block"})
      fs::create_directories(out / d);
  }
  MPI_Barrier(MPI_COMM_WORLD);

  const mesh::RectilinearGrid grid(nodes(13, 1e-4, 1.1), nodes(11, 2e-4, 0.95),
                                   nodes(5, 5e-5, 1.5));
  const auto [nx, ny, nz] = grid.cells_per_axis();
  const int px = size >= 2 ? 2 : 1, py = size / px;
  const auto [x0, cx] = split(nx, px, rank % px);
  const auto [y0, cy] = split(ny, py, rank / px);
  const FieldBlock block{{x0, y0, 0}, {cx, cy, nz}, MPI_Comm_c2f(MPI_COMM_WORLD)};

  ResultsContent global = global_content(grid);
  ResultsContent transient = global;
  add_time_series(transient);
  if (rank == 0) {  // the serial reference, written as by a one-process run
    write_results((out / "serial" / "results.h5").string(), global);
    write_vtk_results((out / "serial" / "results.vtr").string(), global);
    write_results((out / "transient_serial" / "results.h5").string(), transient);
  }
  write_results((out / "ranks" / "results.h5").string(), block_content(global, block), block);
  write_vtk_results((out / "ranks" / "results.vtr").string(), block_content(global, block), block);
  write_results((out / "transient_ranks" / "results.h5").string(), block_content(transient, block),
                block);

  if (rank == 0) {
    check(h5diff(out / "serial" / "results.h5", out / "ranks" / "results.h5") == 0,
          "h5diff serial vs " + std::to_string(size) + " ranks");
    check(h5diff(out / "transient_serial" / "results.h5", out / "transient_ranks" / "results.h5") ==
              0,
          "h5diff transient serial vs ranks");
    for (const auto& entry : fs::directory_iterator(out / "serial")) {
      const std::string name = entry.path().filename().string();
      if (entry.path().extension() == ".h5") continue;
      check(slurp(entry.path()) == slurp(out / "ranks" / name), name + " differs from serial");
      std::cout << "np " << size << ": " << name << " identical to the serial file ("
                << fs::file_size(entry.path()) << " bytes)\n";
    }
    check(slurp(out / "transient_serial" / "results.xmf") ==
              slurp(out / "transient_ranks" / "results.xmf"),
          "transient sidecar differs");
    // The comparison can fail: one cell one ulp off is found by h5diff.
    ResultsContent off = global;
    off.fields.front().values[77] = std::nextafter(off.fields.front().values[77], 1e9);
    fs::create_directories(out / "off");
    write_results((out / "off" / "results.h5").string(), off);
    check(h5diff(out / "off" / "results.h5", out / "ranks" / "results.h5") == 1,
          "h5diff misses a one-ulp change");
    fs::remove_all(out / "off");
  }

  // One rank with a bad block: every rank throws the same invalid_argument, nothing written.
  ResultsContent bad = block_content(global, block);
  if (rank == size - 1) bad.fields.front().values.pop_back();
  const std::string m =
      expect_both_throw<std::invalid_argument>(out / "fail_block", bad, block, "bad block");
  check(m.find("(rank " + std::to_string(size - 1) + ")") != std::string::npos,
        "message names the failing rank: " + m);
  const ResultsContent mine = block_content(global, block);
  // An unwritable place: every rank throws, nothing appears.
  if (rank == 0) std::ofstream(out / "not_a_folder") << "x";
  MPI_Barrier(MPI_COMM_WORLD);
  expect_both_throw<std::runtime_error>(out / "not_a_folder", mine, block, "unwritable folder");
  // An unwritable path on one rank only: refused on every rank before anything is written.
  if (size > 1)
    expect_both_throw<std::invalid_argument>(
        rank == size - 1 ? out / "not_a_folder" : out / "fail_block", mine, block,
        "another path on the last rank");
  // A fault on rank 0 after the collective HDF5 write (its sidecar's temporary cannot be
  // created) and on rank 0 alone for the .vtr: every rank throws, nothing is renamed into place.
  const std::string pid = std::to_string(static_cast<long long>(::getpid()));
  if (rank == 0)
    for (const char* name : {"results.xmf.tmp-", "results.vtr.tmp-"})
      fs::create_directories(out / "fail_block" / (name + pid) / "blocker");
  expect_both_throw<std::runtime_error>(out / "fail_block", mine, block, "fault on rank 0");
  MPI_Barrier(MPI_COMM_WORLD);
  if (rank == 0)
    for (const char* name : {"results.xmf.tmp-", "results.vtr.tmp-"})
      fs::remove_all(out / "fail_block" / (name + pid));
  MPI_Barrier(MPI_COMM_WORLD);
  if (rank == 0) check(no_run_files(out / "fail_block"), "files left after a failed write");
  if (rank == 0) std::cout << "np " << size << ": failure messages agreed, e.g. " << m << "\n";

  check_output_folder(out, global, block);
  check_empty_blocks(out, px, py);

  int total = 0;
  MPI_Allreduce(&failures, &total, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
  if (rank == 0) std::cout << "np " << size << ": " << (total == 0 ? "ok" : "FAILED") << "\n";
  MPI_Finalize();
  return total == 0 ? 0 : 1;
}
