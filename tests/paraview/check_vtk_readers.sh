#!/usr/bin/env bash
# Runs a case with `cposim run --format hdf5,vtk`, then reads its .vtr, .vtp and .pvd back with
# VTK's own XML readers (as shipped with ParaView) through check_vtk_files.py, which compares
# them with the run's summary.json (cells, arrays, ranges, power, hot spots, blocks).
#   check_vtk_readers.sh CPOSIM CASE.toml OUT_DIR
# Exit 77 (skipped) when pvpython is not installed, unless CPOSIM_REQUIRE_PARAVIEW=1.
set -euo pipefail
cposim=$1 case_file=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v "${PVCHECK_PVPYTHON:-pvpython}" >/dev/null 2>&1; then
  echo "check_vtk_readers: SKIP: pvpython is not installed (apt-get install python3-paraview)"
  [ "${CPOSIM_REQUIRE_PARAVIEW:-0}" = 1 ] && exit 1
  exit 77
fi
rm -rf "$out"
"$cposim" run "$case_file" --out "$out" --format hdf5,vtk >/dev/null
# Without MPI: no OpenMPI singleton; no X needed (nothing is rendered).
exec "${PVCHECK_PVPYTHON:-pvpython}" --no-mpi "$here/check_vtk_files.py" "$out"
