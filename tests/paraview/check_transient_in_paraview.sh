#!/usr/bin/env bash
# Runs a [transient] case with cposim, then opens its results.xmf (an XDMF temporal collection)
# with every XDMF reader of real ParaView and checks the grid cposim built (cells, dims, arrays)
# and that each reader sees exactly TIMESTEPS time steps, reading every one of them.
#   check_transient_in_paraview.sh CPOSIM CASE.toml OUT_DIR TIMESTEPS
# Exit 77 (skipped) when ParaView or the checker is not installed (1 with
# CPOSIM_REQUIRE_PARAVIEW=1); otherwise pvcheck's exit code.
set -euo pipefail
cposim=$1 case_file=$2 out=$3 timesteps=$4
here=$(cd "$(dirname "$0")" && pwd)
pvcheck="$(dirname "$(cd "$here/../.." && pwd)")/shared/tools/paraview-check/pvcheck.sh"
skip_code=77
[ "${CPOSIM_REQUIRE_PARAVIEW:-0}" = 1 ] && skip_code=1
if ! command -v "${PVCHECK_PVBATCH:-pvbatch}" >/dev/null 2>&1 || [ ! -f "$pvcheck" ]; then
  echo "check_transient_in_paraview: SKIP: pvbatch or $pvcheck is not installed"
  exit $skip_code
fi
grid=$("$cposim" check "$case_file" | sed -nE 's/.*grid ([0-9]+) x ([0-9]+) x ([0-9]+) = ([0-9]+) cells.*/\1,\2,\3 \4/p')
[ -n "$grid" ] || { echo "could not read the grid size from 'cposim check'"; exit 1; }
dims=${grid% *} cells=${grid#* }
rm -rf "$out"
"$cposim" run "$case_file" --out "$out"
mkdir -p "$out"
out=$(cd "$out" && pwd)  # absolute: the Xdmf3 reader mis-resolves the .h5 of a bare name
arrays=temperature_K,region_id,power_density_W_per_m3
bash "$pvcheck" "$out/results.xmf" --all-readers -o "$out/results.png" --array temperature_K \
  --expect-cells "$cells" --expect-dims "$dims" --expect-arrays "$arrays" \
  --expect-timesteps "$timesteps" --all-times
echo "check_transient_in_paraview: OK: $out/results.xmf ($cells cells, $dims, $timesteps time" \
  "steps) with every XDMF reader"
