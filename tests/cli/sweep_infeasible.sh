#!/usr/bin/env bash
# `cposim sweep` where every point runs fine but misses a design verdict (the slab's
# T_limit_K, 301 K, is below every point's T_max): the sweep exits 0 (a design verdict never
# changes the exit code, issue 23 item 4), prints one `FAIL:` line per point and states that no
# point is feasible; every row is "infeasible", none is in the Pareto set.
set -uo pipefail
cposim=$1 work=$2
rm -rf "$work"
mkdir -p "$work"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

cat > "$work/hot.toml" <<'EOF2'
title = "all points infeasible"
[package]
footprint_um = [2000, 2000]
[[layers]]
name = "slab"
material = "Si"
thickness_um = 200
power_W = 1
T_limit_K = 301
[boundary.top]
type = "convection"
h_W_per_m2K = 5000
T_ambient_K = 300
[grid]
max_cell_xy_um = 250
max_cell_z_um = 100

[sweep]
[[sweep.parameters]]
name = "power_W"
values = [1, 2]
paths = ["layers.slab.power_W"]
[sweep.best]
minimize = "T_max_K"
EOF2

"$cposim" sweep "$work/hot.toml" --jobs 1 --threads 1 --out "$work/out" > "$work/out.txt" 2> "$work/err.txt"
code=$?
[ "$code" -eq 0 ] || fail "exit code $code, expected 0 (design verdicts only)"
[ "$(grep -c '^FAIL: point [01] ' "$work/out.txt")" -eq 2 ] || fail "not one FAIL: line per point"
grep -q '^FAIL: sweep: no feasible point' "$work/out.txt" || fail "no 'FAIL: sweep: no feasible point' line"
grep -q 'no point qualifies: no feasible point' "$work/out.txt" || fail "best answer does not say 'no feasible point'"
[ "$(tail -n +2 "$work/out/sweep.csv" | grep -c ',infeasible,0,')" -eq 2 ] ||
  fail "not 2 rows infeasible with exit code 0"
if [ "$failures" -ne 0 ]; then
  echo "--- stdout"; cat "$work/out.txt"; echo "--- stderr"; cat "$work/err.txt"
  exit 1
fi
echo "sweep_infeasible: ok"
