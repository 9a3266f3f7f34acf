#!/usr/bin/env bash
# check_ranks.sh CPOSIM CASE WORKDIR - `mpirun -np N cposim run` (issue 20) against the
# single-process run of the same case (ctest label: mpi).
#
# For N = 1, 2 and 4 ranks (oversubscribed on a small machine; one thread each): summary.json's
# region statistics, probes and hot spots agree with the single-process run to 1e-8 relative in
# T, counts and locations exactly, and the run's energy balance closes to 1e-9
# (compare_summaries.py); /fields/temperature_K agrees to 1e-8 relative and /fields/region_id
# exactly (h5diff); the full output set is published. Then the failure semantics on 2 ranks: a
# bad case prints its located error once and exits 2, a case with a part a distributed run
# cannot do yet likewise, and an output folder that cannot be written exits 4 with one message
# and nothing published. WORKDIR/np4 is left for the ParaView check.
set -euo pipefail
cposim="$1" case="$2" work="$3"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# CI runs as root; Open MPI refuses that unless told.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mpi=(mpirun --oversubscribe --bind-to none)
rm -rf "$work"
mkdir -p "$work"

"$cposim" run "$case" --out "$work/np0" --threads 1 --quiet
for n in 1 2 4; do
  start=$(date +%s.%N)
  "${mpi[@]}" -np "$n" "$cposim" run "$case" --out "$work/np$n" --threads 1 --quiet
  echo "np $n: $(echo "$(date +%s.%N) - $start" | bc) s wall"
  python3 "$here/compare_summaries.py" "$work/np0/summary.json" "$work/np$n/summary.json" 1e-8
  h5diff -p 1e-8 "$work/np0/results.h5" "$work/np$n/results.h5" /fields/temperature_K
  h5diff "$work/np0/results.h5" "$work/np$n/results.h5" /fields/region_id
  for f in results.h5 results.xmf results.vtr report.html summary.json manifest.json \
           map_hottest.png; do
    [[ -s "$work/np$n/$f" ]] || { echo "np $n: $f missing" >&2; exit 1; }
  done
done

# expect_once CODE PATTERN OUTFILE -- COMMAND...: COMMAND exits CODE and prints PATTERN once.
expect_once() {
  local code="$1" pattern="$2" out="$3"
  shift 4
  local rc=0
  "$@" >"$out.stdout" 2>"$out.stderr" || rc=$?
  local count
  count=$(grep -c -- "$pattern" "$out.stderr" || true)
  if [[ $rc -ne $code || $count -ne 1 ]]; then
    echo "expected exit $code and '$pattern' once from: $*" >&2
    echo "got exit $rc and $count times; stderr:" >&2
    cat "$out.stderr" >&2
    exit 1
  fi
  echo "ok: exit $rc, once: $(grep -- "$pattern" "$out.stderr")"
}

mkdir -p "$work/case"
cp "$(dirname "$case")"/* "$work/case/"
sed 's/^max_cell_z_um = 120/max_cell_z_um = 120\nmax_cell_zz_um = 1/' "$case" >"$work/case/bad_key.toml"
expect_once 2 "error: unknown key 'max_cell_zz_um'" "$work/bad" -- \
  "${mpi[@]}" -np 2 "$cposim" run "$work/case/bad_key.toml" --out "$work/bad_out"
[[ ! -e "$work/bad_out/results.h5" ]]

transient="$here/../../cases/examples/cpo_workload_step.toml"
expect_once 2 "cannot run on 2 MPI ranks yet" "$work/refused" -- \
  "${mpi[@]}" -np 2 "$cposim" run "$transient" --out "$work/refused_out"

touch "$work/not_a_folder"
expect_once 4 "error: cannot write results to" "$work/unwritable" -- \
  "${mpi[@]}" -np 2 "$cposim" run "$case" --out "$work/not_a_folder"
[[ -f "$work/not_a_folder" && ! -s "$work/not_a_folder" ]]
# A local sweep whose points are distributed runs (--ranks-per-point 2): every point finishes
# and its temperatures agree with the single-process sweep's to 1e-8 relative.
cp "$here/../cluster/six_point_sweep.toml" "$work/sweep.toml"
"$cposim" sweep "$work/sweep.toml" --out "$work/sweep_np1" --threads 1 > /dev/null 2>&1
"$cposim" sweep "$work/sweep.toml" --out "$work/sweep_np2" --threads 1 --ranks-per-point 2 \
  > /dev/null 2> "$work/sweep_np2.err" || { cat "$work/sweep_np2.err" >&2; exit 1; }
python3 - "$work/sweep_np1/sweep.csv" "$work/sweep_np2/sweep.csv" <<'PY'
import csv, sys
a, b = (list(csv.DictReader(open(p))) for p in sys.argv[1:3])
assert len(a) == len(b) == 6, (len(a), len(b))
cols = [c for c in a[0] if "_K" in c and a[0][c] != ""]
assert cols, a[0].keys()
worst = 0.0
for ra, rb in zip(a, b):
    for c in cols:
        x, y = float(ra[c]), float(rb[c])
        worst = max(worst, abs(x - y) / abs(x))
print(f"sweep on 2 ranks per point: 6 points, {len(cols)} temperature columns, worst relative "
      f"difference {worst:.3g} (tolerance 1e-8)")
sys.exit(0 if worst <= 1e-8 else 1)
PY
echo "check_ranks: all checks passed"
