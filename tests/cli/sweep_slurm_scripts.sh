#!/usr/bin/env bash
# `cposim sweep --slurm --dry-run` without Slurm: the generated scripts run by hand as Slurm
# would run them (SLURM_ARRAY_TASK_ID set, bash array.sh; then bash collect.sh):
#  1. --dry-run writes manifest.json, array.sh and collect.sh, prints both sbatch command lines
#     and submits nothing; 6 points at 4 per task are 2 tasks (--array=0-1%1);
#  2. the tasks and the collect job give the same sweep.csv as a local `cposim sweep`
#     (every column but the timings, equal to 1e-12 relative);
#  3. a resubmission after one finished point is deleted submits only that point;
#  4. after the base case is edited, an array task of the earlier submission and its collect
#     job refuse with exit 2 and the message, and write nothing;
#  5. bad Slurm options are exit 2 with the usage; sbatch missing is exit 4 with the reason and
#     leaves no submission folder.
set -uo pipefail
cposim=$1 work=$2
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work"
mkdir -p "$work"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

cp "$here/../cluster/six_point_sweep.toml" "$work/tiny.toml"

# 1. Dry run.
out="$work/s"
"$cposim" sweep "$work/tiny.toml" --out "$out" --slurm --dry-run --points-per-task 4 \
  --max-parallel 1 --time 10 > "$work/dry.out" 2> "$work/dry.err"
code=$?
[ "$code" -eq 0 ] || fail "dry run: exit code $code ($(cat "$work/dry.err"))"
sub="$out/slurm/submit-1"
for f in manifest.json array.sh collect.sh; do [ -s "$sub/$f" ] || fail "dry run: no $f"; done
grep -q '^#SBATCH --array=0-1%1$' "$sub/array.sh" || fail "dry run: array line"
grep -q '^#SBATCH --time=10$' "$sub/array.sh" || fail "dry run: time line"
grep -q "^'sbatch' '--parsable' '$sub/array.sh'$" "$work/dry.out" || fail "dry run: array sbatch line"
grep -q "^'sbatch' '--parsable' '--dependency=afterany:<ARRAY_JOB_ID>' '$sub/collect.sh'$" \
  "$work/dry.out" || fail "dry run: collect sbatch line"
grep -q "6 of 6 points to run as 2 array tasks" "$work/dry.out" || fail "dry run: summary line"
[ ! -e "$out/points" ] || [ -z "$(ls -A "$out/points")" ] || fail "dry run: a point ran"

# 1b. --ranks-per-point: the array task asks for that many tasks and passes it on; the
# collect job stays one task.
"$cposim" sweep "$work/tiny.toml" --out "$work/ranks" --slurm --dry-run --ranks-per-point 4 \
  > /dev/null 2> "$work/ranks.err" || fail "ranks dry run: exit code $? ($(cat "$work/ranks.err"))"
grep -q '^#SBATCH --ntasks=4$' "$work/ranks/slurm/submit-1/array.sh" || fail "ranks: ntasks line"
grep -q -- '--ranks-per-point 4$' "$work/ranks/slurm/submit-1/array.sh" || fail "ranks: exec line"
grep -q '^#SBATCH --ntasks=1$' "$work/ranks/slurm/submit-1/collect.sh" || fail "ranks: collect"

# 2. The scripts run by hand, against a local sweep.
"$cposim" sweep "$work/tiny.toml" --out "$work/local" --jobs 2 --threads 1 > /dev/null 2> "$work/local.err" ||
  fail "local sweep: exit code $?"
for task in 0 1; do
  SLURM_ARRAY_TASK_ID=$task bash "$sub/array.sh" > "$work/task$task.out" 2> "$work/task$task.err" ||
    fail "task $task: exit code $? ($(tail -n 2 "$work/task$task.err"))"
done
[ "$(cat "$work"/task*.err | grep -c ': ok in ')" -eq 6 ] || fail "tasks: not 6 points run"
bash "$sub/collect.sh" > "$work/collect.out" 2> "$work/collect.err" ||
  fail "collect: exit code $? ($(cat "$work/collect.err"))"
python3 "$here/../cluster/compare_sweep_csv.py" "$work/local/sweep.csv" "$out/sweep.csv" ||
  fail "tasks + collect: sweep.csv differs from the local sweep's"

# 3. Resubmit after one point is lost: only it is submitted.
victim=$(ls "$out/points" | grep -v '^\.' | head -n 1)
rm -rf "${out:?}/points/$victim"
"$cposim" sweep "$work/tiny.toml" --out "$out" --slurm --dry-run > "$work/re.out" 2>&1 ||
  fail "resubmit: exit code $?"
grep -q "1 of 6 points to run as 1 array tasks" "$work/re.out" || fail "resubmit: $(head -n 1 "$work/re.out")"
python3 - "$out/slurm/submit-2/manifest.json" "$victim" <<'EOF' || fail "resubmit: manifest"
import json, sys
m = json.load(open(sys.argv[1]))
sys.exit(0 if m["to_run"] == [sys.argv[2]] and len(m["points"]) == 6 else 1)
EOF

# 4. An edited base case: the earlier submission's task and collect job refuse.
sed -i 's/^T_ambient_K = 300$/T_ambient_K = 301/' "$work/tiny.toml"
before=$(ls -A "$out/points" | sort)
SLURM_ARRAY_TASK_ID=0 bash "$out/slurm/submit-2/array.sh" > /dev/null 2> "$work/edit.err"
code=$?
[ "$code" -eq 2 ] || fail "edited base case: task exit code $code, expected 2"
grep -q "the sweep changed since it was submitted" "$work/edit.err" ||
  fail "edited base case: message '$(cat "$work/edit.err")'"
[ "$(ls -A "$out/points" | sort)" = "$before" ] || fail "edited base case: the task ran a point"
bash "$out/slurm/submit-2/collect.sh" > /dev/null 2> "$work/edit_collect.err"
code=$?
[ "$code" -eq 2 ] || fail "edited base case: collect exit code $code, expected 2"
"$cposim" sweep "$work/tiny.toml" --out "$out" --collect > /dev/null 2> "$work/recollect.err"
code=$?
[ "$code" -eq 4 ] || fail "edited base case: --collect exit code $code, expected 4 (no point ran)"
grep -q "5 finished point folders in .* are no point of this sweep" "$work/recollect.err" ||
  fail "edited base case: no note on the earlier points: '$(cat "$work/recollect.err")'"
[ "$(tail -n +2 "$out/sweep.csv" | grep -c ',pending,')" -eq 6 ] ||
  fail "edited base case: earlier results mixed into the table"

# 5. Bad options.
check_bad() {
  local expect=$1
  shift
  "$cposim" sweep "$work/tiny.toml" "$@" > /dev/null 2> "$work/bad.err"
  local code=$?
  [ "$code" -eq 2 ] || fail "'$*': exit code $code, expected 2"
  grep -q -- "$expect" "$work/bad.err" || fail "'$*': message '$(head -n 1 "$work/bad.err")'"
}
check_bad "--time: expected minutes" --slurm --time 2h
check_bad "--partition: a partition name" --slurm --partition 'a b'
check_bad "--max-parallel must be an integer" --slurm --max-parallel 0
check_bad "--dry-run goes with --slurm only" --dry-run
check_bad "go one at a time" --slurm --collect
check_bad "--array-task needs --manifest" --array-task 0
check_bad "--ranks-per-point must be an integer" --ranks-per-point 0
check_bad "must not hold spaces" --slurm --dry-run --out "$work/a b"

# A sweep file whose name holds a space and a quote: a plain job name, the path quoted.
cp "$work/tiny.toml" "$work/my study's.toml"
"$cposim" sweep "$work/my study's.toml" --out "$work/spaced" --slurm --dry-run > /dev/null 2>&1 ||
  fail "spaced name: exit code $?"
grep -q "^#SBATCH --job-name=cposim-my_study_s$" "$work/spaced/slurm/submit-1/array.sh" ||
  fail "spaced name: $(grep job-name "$work/spaced/slurm/submit-1/array.sh")"
(cd "$work" && SLURM_ARRAY_TASK_ID=0 bash "$work/spaced/slurm/submit-1/array.sh" > /dev/null 2>&1) ||
  fail "spaced name: the array task did not run"

PATH=/nonexistent "$cposim" sweep "$work/tiny.toml" --out "$work/nosbatch" --slurm > /dev/null \
  2> "$work/nosbatch.err"
code=$?
[ "$code" -eq 4 ] || fail "no sbatch: exit code $code, expected 4"
grep -q "sbatch is not on PATH" "$work/nosbatch.err" || fail "no sbatch: '$(cat "$work/nosbatch.err")'"
[ -z "$(ls -A "$work/nosbatch/slurm" 2> /dev/null)" ] || fail "no sbatch: a submission folder is left"

echo "sweep_slurm_scripts: $failures failure(s)"
[ "$failures" -eq 0 ]
