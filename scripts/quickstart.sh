#!/usr/bin/env bash
# Fresh Debian 12 → dependencies, a Release build, and the flagship 102.4T CPO case solved.
# Results land in out/flagship/ (results.h5 + results.xmf: open the .xmf in ParaView).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j"$(nproc)"
./build/cases/cposim run cases/examples/cpo_102t_2p5d.toml --out out/flagship
