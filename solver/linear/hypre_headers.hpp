#pragma once
/// \file
/// MPI's and hypre's C headers, included once with the warnings they trip under the project's
/// warning set switched off. For .cpp files of hypre-based solvers only (never include it
/// from a public header): solver/linear/amg_cg.cpp, hypre_pcg.*, hypre_runtime.cpp,
/// solver/distributed/*.cpp, benchmarks/hypre_pfmg.cpp, the MPI tests and benchmarks.

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wsign-conversion"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wcast-function-type"
// MPI's C API only (hypre's headers include mpi.h): we link MPI::MPI_C, not Open MPI's
// deprecated C++ bindings.
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <HYPRE.h>
#include <HYPRE_IJ_mv.h>
#include <HYPRE_parcsr_ls.h>
#include <HYPRE_struct_ls.h>
#include <HYPRE_struct_mv.h>
#include <HYPRE_utilities.h>
#include <mpi.h>
#ifdef CPOSIM_HYPRE_INTERNALS  // hypre's own data structures (solver/distributed/parcsr_system.cpp)
#include <_hypre_parcsr_ls.h>
#endif
#pragma GCC diagnostic pop
