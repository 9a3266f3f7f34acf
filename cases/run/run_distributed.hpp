#pragma once
/// \file
/// One case solved across MPI ranks (`mpirun -np N cposim run`, issue 20 §1): every rank
/// builds and solves its window of the grid (mesh::Partition), the statistics are reduced over
/// the ranks, and the results are written collectively. No rank holds the global matrix or a
/// global field.

#include "cases/run/ranks.hpp"
#include "cases/run/run_case.hpp"
#include "cases/run/run_summary.hpp"
#include "cases/spec/case_spec.hpp"

namespace cposim::cases {

/// Throws CaseError at the first part of `spec` a run on ranks.size > 1 ranks cannot do yet
/// (transient, photonic devices, lanes, cold plates, cavities, temperature-dependent block
/// power, operating points, face statistics, face probes), saying so and that the case runs
/// on one process.
void check_distributable(const CaseSpec& spec, const Ranks& ranks);

/// run_case on `ranks` (every rank calls it alike; ranks.size ≥ 1). The summary is the same
/// on every rank; only the root writes reports (options.write_reports) and prints nothing
/// either. Throws as run_case, on every rank alike: a CaseError (check_distributable or the
/// build), OutputError when any rank cannot write, Interrupted when stopped.
RunSummary run_case_distributed(const CaseSpec& spec, const RunOptions& options,
                                const Ranks& ranks);

}  // namespace cposim::cases
