#!/usr/bin/env bash
# `cposim sweep --slurm` on a real single-node Slurm started here (slurm_local.sh; as root, with
# slurm-wlm and munge installed: bash scripts/install_deps.sh --with-slurm):
#  0. the generated scripts pass Slurm's own parser (sbatch --test-only);
#  a. a 6-point sweep submitted with --slurm (array + dependent collect job) gives the same
#     sweep.csv as `cposim sweep` locally (every column but the timings, 1e-12 relative);
#  b. scancel of the running array task (3 points per task, one task at a time; the next task
#     then runs), then a resubmit: every point finished before is kept (same inode and mtime,
#     not run again), only the others are submitted, and every point ends finished exactly once
#     (counted in the tasks' logs).
# Skips (exit 77) when Slurm is not installed or not root, unless CPOSIM_REQUIRE_SLURM=1.
set -uo pipefail
cposim=$1 work=$2
here=$(cd "$(dirname "$0")" && pwd)
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
skip() {
  if [ "${CPOSIM_REQUIRE_SLURM:-0}" = 1 ]; then
    echo "FAIL: $* (CPOSIM_REQUIRE_SLURM=1)"
    exit 1
  fi
  echo "SKIP: $* (bash scripts/install_deps.sh --with-slurm, as root)"
  exit 77
}
for c in munged slurmctld slurmd sbatch squeue scancel sinfo; do
  command -v "$c" > /dev/null || skip "$c not found: Slurm or munge is not installed"
done
[ "$(id -u)" -eq 0 ] || skip "the test Slurm runs as root (SlurmUser=root), this is uid $(id -u)"

rm -rf "$work"
mkdir -p "$work"
# shellcheck source=slurm_local.sh
source "$here/slurm_local.sh"
trap slurm_stop EXIT
slurm_start "$work/slurm" || {
  echo "FAIL: Slurm did not start"
  tail -n 5 "$work"/slurm/log/*.log
  exit 1
}
echo "slurm: node $(hostname -s) idle ($(sinfo -h -o '%c CPUs, %m MiB'))"

# Waits until the jobs $* have left the queue (at most 120 s).
wait_jobs() {
  local ids
  ids=$(echo "$*" | tr ' ' ',')
  for _ in $(seq 1 1200); do
    [ -z "$(squeue -h -j "$ids" 2>/dev/null)" ] && return 0
    sleep 0.1
  done
  fail "jobs $ids still queued after 120 s: $(squeue -h -j "$ids")"
  scancel "${@}" 2>/dev/null
  return 1
}
job() { awk -v k="$2" '$1 == k {print $2}' "$1/jobs.txt"; }

# 0 + a. The same sweep locally and on Slurm.
cp "$here/six_point_sweep.toml" "$work/tiny.toml"
"$cposim" sweep "$work/tiny.toml" --out "$work/local" --jobs 2 --threads 1 > /dev/null 2> "$work/local.err" ||
  fail "local sweep: exit code $?"
"$cposim" sweep "$work/tiny.toml" --out "$work/a" --slurm --dry-run > /dev/null ||
  fail "dry run: exit code $?"
for f in array.sh collect.sh; do
  sbatch --test-only "$work/a/slurm/submit-1/$f" > "$work/test_only.txt" 2>&1 ||
    fail "sbatch --test-only $f: $(cat "$work/test_only.txt")"
done
rm -rf "$work/a"
start=$(date +%s%N)
"$cposim" sweep "$work/tiny.toml" --out "$work/a" --slurm --max-parallel 2 > "$work/a.out" \
  2> "$work/a.err" || fail "submit: exit code $? ($(cat "$work/a.err"))"
cat "$work/a.out"
sub="$work/a/slurm/submit-1"
wait_jobs "$(job "$sub" array)" "$(job "$sub" collect)"
echo "a: array + collect done in $((($(date +%s%N) - start) / 1000000)) ms"
grep -q "sweep: collected 6 points: 0 not finished, 0 failed" "$sub"/collect-*.log ||
  fail "a: collect log: $(tail -n 3 "$sub"/collect-*.log)"
for f in sweep.csv sweep.h5 sweep_report.md sweep_plot.png; do
  [ -s "$work/a/$f" ] || fail "a: $f not written by the collect job"
done
python3 "$here/compare_sweep_csv.py" "$work/local/sweep.csv" "$work/a/sweep.csv" ||
  fail "a: the Slurm sweep's table differs from the local one"

# b. scancel while a task runs (slower points, 3 per task, one task at a time), resubmit.
sed "s/^max_cell_xy_um = 50$/max_cell_xy_um = 20/" "$here/six_point_sweep.toml" > "$work/slow.toml"
out="$work/b"
"$cposim" sweep "$work/slow.toml" --out "$out" --slurm --max-parallel 1 --points-per-task 3 \
  > /dev/null 2> "$work/b1.err" || fail "b: submit: exit code $?"
sub1="$out/slurm/submit-1"
array=$(job "$sub1" array)
finished() { ls -d "$out"/points/[0-9a-f]*/ 2> /dev/null | wc -l; }
for _ in $(seq 1 1200); do
  [ "$(finished)" -ge 2 ] && break
  sleep 0.05
done
scancel "${array}_0"
wait_jobs "$array" "$(job "$sub1" collect)"
kept=$(finished)
echo "b: $kept of 6 points finished after scancel of task ${array}_0 and the rest of the array"
grep -q "CANCELLED" "$sub1/task-${array}_0.log" || fail "b: task 0 was not cancelled"
[ "$kept" -ge 2 ] && [ "$kept" -lt 6 ] || fail "b: $kept points finished (2 to 5 expected)"
stat -c '%n %i %Y' "$out"/points/[0-9a-f]*/point.json > "$work/b_before.txt"
"$cposim" sweep "$work/slow.toml" --out "$out" --slurm --max-parallel 2 > "$work/b2.out" \
  2> "$work/b2.err" || fail "b: resubmit: exit code $?"
grep -q "$((6 - kept)) of 6 points to run" "$work/b2.out" ||
  fail "b: resubmit: '$(head -n 1 "$work/b2.out")', expected $((6 - kept)) of 6 points to run"
sub2="$out/slurm/submit-2"
wait_jobs "$(job "$sub2" array)" "$(job "$sub2" collect)"
while read -r f rest; do
  [ "$(stat -c '%n %i %Y' "$f")" = "$f $rest" ] || fail "b: $f was rewritten by the resubmit"
done < "$work/b_before.txt"
[ "$(finished)" -eq 6 ] || fail "b: $(finished) of 6 points finished after the resubmit"
runs=$(cat "$sub1"/task-*.log "$sub2"/task-*.log | grep -c ': ok in ')
[ "$runs" -eq 6 ] || fail "b: $runs point runs finished across both submissions, expected 6"
grep -q "sweep: collected 6 points: 0 not finished, 0 failed" "$sub2"/collect-*.log ||
  fail "b: collect after the resubmit: $(tail -n 3 "$sub2"/collect-*.log)"
[ -z "$(ls -A "$out/points" | grep '^\.tmp-')" ] || fail "b: temporaries left"

echo "slurm_sweep: $failures failure(s)"
[ "$failures" -eq 0 ]
