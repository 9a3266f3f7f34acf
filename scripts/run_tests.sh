#!/usr/bin/env bash
# Builds with warnings as errors and runs the whole test suite (unit, validation, regression,
# paraview). Installs what it needs first, including ParaView for the real-client check.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_deps.sh --with-paraview
cmake -S . -B build-tests -DCMAKE_BUILD_TYPE=Release -DCPOSIM_WERROR=ON
cmake --build build-tests -j"$(nproc)"
cd build-tests
# ParaView was installed above, so the real-client checks must run, not skip.
export CPOSIM_REQUIRE_PARAVIEW=1
ctest --output-on-failure -j"$(nproc)" --timeout 900
