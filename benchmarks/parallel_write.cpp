// parallel_write: time to write a ~1 M-cell results.h5 and .vtr from N MPI ranks (issue 20 §1).
//
//   mpirun -np N parallel_write [--cells NX,NY,NZ] [--repeats R] [--dir DIR] [--json FILE]
//
// A grid of NX × NY × NZ cells (default 128 × 128 × 64 = 1 048 576), split over a px × py
// process grid (px = 2 for even N), holds one float64 field and one int32 label field. Every
// rank writes its block through write_results and write_vtk_results with a FieldBlock (the
// N-rank path); with one rank the serial write_results / write_vtk_results of the whole field
// is timed too, side by side. Each write is repeated R times (default 5); the median wall time
// of rank 0 (after a barrier before each write) is reported. Prints a table; --json appends one
// JSON line per path to FILE. Not a test: never asserts a time.
#include <fmt/format.h>
#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "benchmarks/bench_args.hpp"
#include "postproc/io/results_writer.hpp"
#include "postproc/io/vtk_writer.hpp"

namespace {

using namespace cposim;
using namespace cposim::postproc;
namespace fs = std::filesystem;

std::vector<double> uniform_nodes(std::size_t n, double h) {
  std::vector<double> x(n + 1);
  for (std::size_t i = 0; i <= n; ++i) x[i] = h * static_cast<double>(i);
  return x;
}

std::pair<std::size_t, std::size_t> split(std::size_t n, int parts, int p) {
  const std::size_t base = n / parts, extra = n % parts, q = static_cast<std::size_t>(p);
  return {q * base + std::min(q, extra), base + (q < extra ? 1 : 0)};
}

/// Median wall seconds of `repeats` runs of `write`, all ranks starting together.
double median_seconds(int repeats, const std::function<void()>& write) {
  std::vector<double> t;
  for (int r = 0; r < repeats; ++r) {
    MPI_Barrier(MPI_COMM_WORLD);
    const auto start = std::chrono::steady_clock::now();
    write();
    MPI_Barrier(MPI_COMM_WORLD);
    t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  std::string cells_text = "128,128,64", repeats_text = "5", dir = "parallel_write_out", json;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string name = argv[i];
    if (name == "--cells") cells_text = argv[i + 1];
    if (name == "--repeats") repeats_text = argv[i + 1];
    if (name == "--dir") dir = argv[i + 1];
    if (name == "--json") json = argv[i + 1];
  }
  const auto n = bench::split_list(cells_text);
  const std::size_t nx = std::stoul(n.at(0)), ny = std::stoul(n.at(1)), nz = std::stoul(n.at(2));
  const int repeats = std::stoi(repeats_text);
  const mesh::RectilinearGrid grid(uniform_nodes(nx, 1e-5), uniform_nodes(ny, 1e-5),
                                   uniform_nodes(nz, 2e-6));
  const int px = size % 2 == 0 ? 2 : 1, py = size / px;
  const auto [x0, cx] = split(nx, px, rank % px);
  const auto [y0, cy] = split(ny, py, rank / px);
  const FieldBlock block{{x0, y0, 0}, {cx, cy, nz}, MPI_Comm_c2f(MPI_COMM_WORLD)};

  ResultsContent content;
  content.grid = &grid;
  mesh::CellField T{&grid, "temperature_K", {}};
  LabelField label{"region_id", {}};
  for (std::size_t k = 0; k < nz; ++k)
    for (std::size_t j = y0; j < y0 + cy; ++j)
      for (std::size_t i = x0; i < x0 + cx; ++i) {
        T.values.push_back(300.0 + std::sin(1e-2 * double(i)) * std::cos(1e-2 * double(j)) +
                           1e-3 * double(k));
        label.values.push_back(static_cast<std::int32_t>(k % 5));
      }
  content.fields.push_back(std::move(T));
  content.label_fields.push_back(std::move(label));
  if (rank == 0) fs::create_directories(dir);
  MPI_Barrier(MPI_COMM_WORLD);
  const std::string h5 = (fs::path(dir) / "results.h5").string();
  const std::string vtr = (fs::path(dir) / "results.vtr").string();

  struct Row {
    std::string path;
    double seconds;
  };
  std::vector<Row> rows;
  rows.push_back({"h5_ranks", median_seconds(repeats, [&] { write_results(h5, content, block); })});
  rows.push_back(
      {"vtr_ranks", median_seconds(repeats, [&] { write_vtk_results(vtr, content, block); })});
  if (size == 1) {
    rows.push_back({"h5_serial", median_seconds(repeats, [&] { write_results(h5, content); })});
    rows.push_back(
        {"vtr_serial", median_seconds(repeats, [&] { write_vtk_results(vtr, content); })});
  }
  if (rank == 0) {
    const double mcells = static_cast<double>(grid.num_cells()) * 1e-6;
    const double load = [] {
      double l = -1.0;
      std::ifstream("/proc/loadavg") >> l;
      return l;
    }();
    fmt::print("parallel_write: {} cells ({}x{}x{}), {} ranks ({}x{}), load {:.2f}\n",
               grid.num_cells(), nx, ny, nz, size, px, py, load);
    fmt::print("{:<12} {:>10} {:>12}\n", "path", "median_s", "Mcells_per_s");
    std::ofstream out;
    if (!json.empty()) out.open(json, std::ios::app);
    for (const auto& r : rows) {
      fmt::print("{:<12} {:>10.4f} {:>12.2f}\n", r.path, r.seconds, mcells / r.seconds);
      if (out)
        out << fmt::format(
            "{{\"benchmark\": \"parallel_write\", \"path\": \"{}\", \"ranks\": {}, \"cells\": {}, "
            "\"fields\": \"1 float64 + 1 int32\", \"repeats\": {}, \"median_s\": {:.6f}, "
            "\"load_1min\": {:.2f}}}\n",
            r.path, size, grid.num_cells(), repeats, r.seconds, load);
    }
  }
  MPI_Finalize();
  return 0;
}
