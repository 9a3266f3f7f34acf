#pragma once
/// \file
/// The `cposim sweep` subcommand (command line and printing only; the work is in
/// sweep_reader.hpp, sweep_runner.hpp, sweep_table.hpp and sweep_report.hpp).

#include <cstdio>

namespace cposim::cases {

/// Runs `cposim sweep SWEEP.toml [--out DIR] [--jobs N] [--threads N] [--list]` with main's
/// argv (argv[1] is "sweep"), or its Slurm forms (`--slurm`, `--collect`, and the array task's
/// `--manifest M --array-task I`; cases/README.md, "Sweeps on Slurm"). Returns the exit code:
/// 0 every point finished and ok (--slurm: submitted); 3 every point finished but some failed
/// (recorded in the table); 2 bad command line or sweep file, or the sweep changed since its
/// submission (nothing run); 4 the sweep folder or its tables could not be written (or another
/// sweep holds it), points not finished, or sbatch failed; 130/143 interrupted by SIGINT/SIGTERM
/// (finished points kept; run again to resume); 1 internal error.
int run_sweep_command(int argc, char** argv);

/// The usage lines of `cposim sweep`, for main's usage text.
void print_sweep_usage(std::FILE* out);

}  // namespace cposim::cases
