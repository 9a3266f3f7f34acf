#!/usr/bin/env bash
# Installs everything cposim needs to build and test on Debian 12, with apt-get.
# Idempotent: packages already present are left as they are.
#   bash scripts/install_deps.sh                 build + test dependencies
#   bash scripts/install_deps.sh --with-paraview  also ParaView (pvbatch) + Xvfb for the 'paraview' tests
#   bash scripts/install_deps.sh --with-fuzz      also Clang 14 with libFuzzer (tests/fuzz/run_fuzz.sh)
#   bash scripts/install_deps.sh --with-browser   also Chromium for the 'browser' test (report.html)
#   bash scripts/install_deps.sh --with-slurm     also Slurm + munge for the 'slurm' test (tests/cluster)
set -euo pipefail
packages=(build-essential cmake git pkg-config libeigen3-dev libhdf5-dev libtomlplusplus-dev libcli11-dev
          doctest-dev libhypre-dev libopenmpi-dev libhdf5-openmpi-dev openmpi-bin hdf5-tools libpng-dev libfreetype-dev
          fonts-dejavu-core python3)
for option in "$@"; do
  case "$option" in
    --with-paraview) packages+=(paraview python3-paraview xvfb xauth) ;;
    --with-fuzz) packages+=(clang-14 libclang-rt-14-dev) ;;
    --with-browser) packages+=(chromium) ;;
    --with-slurm) packages+=(slurm-wlm munge) ;;
    *) echo "install_deps: unknown option '$option'" >&2; exit 2 ;;
  esac
done
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
echo "install_deps: all ${#packages[@]} packages present"
