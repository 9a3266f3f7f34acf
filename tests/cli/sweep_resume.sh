#!/usr/bin/env bash
# `cposim sweep` on a tiny case through the real executable:
#  1. 8 points (4 powers × 2 iteration limits; the limit of 1 cannot converge): exit code 3,
#     every point finished, 4 recorded as failed with exit code 3 and their error text;
#  2. resume after one point folder is deleted and another's point.json is damaged: only those
#     two run again (the other folders keep their inode and mtime), the table is complete;
#  3. kill -9 of the sweep while points run: no child survives it, and the resume skips every
#     point finished before the kill (same inode and mtime) and completes the table;
#  4. a second sweep in a folder whose lock is held fails with exit code 4.
set -uo pipefail
cposim=$1 work=$2
rm -rf "$work"
mkdir -p "$work"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

cat > "$work/tiny.toml" <<'EOF'
title = "sweep test"
[package]
footprint_um = [2000, 2000]
[[layers]]
name = "slab"
material = "Si"
thickness_um = 200
power_W = 1
[boundary.top]
type = "convection"
h_W_per_m2K = 5000
T_ambient_K = 300
[grid]
max_cell_xy_um = 100
max_cell_z_um = 50
[solver]
linear_solver = "jacobi_cg"

[sweep]
[[sweep.parameters]]
name = "power_W"
values = [1, 2, 3, 4]
paths = ["layers.slab.power_W"]
[[sweep.parameters]]
name = "iterations"
values = [20000, 1]
paths = ["solver.max_iterations"]
EOF

rows() { tail -n +2 "$1/sweep.csv" | wc -l; }
count_status() { tail -n +2 "$1/sweep.csv" | grep -c ",$2,"; }
stamps() { for f in "$1"/points/[0-9a-f]*/point.json; do stat -c '%n %i %Y' "$f"; done; }

# 1. A full sweep with failing points.
out="$work/a"
"$cposim" sweep "$work/tiny.toml" --jobs 2 --out "$out" > "$work/a1.out" 2> "$work/a1.err"
code=$?
[ "$code" -eq 3 ] || fail "first sweep: exit code $code, expected 3 (some points fail)"
[ "$(ls -d "$out"/points/[0-9a-f]*/ | wc -l)" -eq 8 ] || fail "first sweep: not 8 point folders"
[ "$(rows "$out")" -eq 8 ] || fail "first sweep: sweep.csv has $(rows "$out") rows"
[ "$(count_status "$out" ok)" -eq 4 ] || fail "first sweep: not 4 ok rows"
[ "$(tail -n +2 "$out/sweep.csv" | grep -c ',failed,3,')" -eq 4 ] ||
  fail "first sweep: not 4 rows failed with exit code 3"
grep -q "did not converge" "$out/sweep.csv" ||
  fail "first sweep: no error text for the failed points"
for f in sweep.h5 sweep_report.md sweep_plot.png; do
  [ -s "$out/$f" ] || fail "first sweep: $f missing"
done
[ -z "$(ls -A "$out"/points | grep '^\.tmp-')" ] || fail "first sweep: temporaries left"

# 2. Delete one point, damage another: only those two run again.
ok_dirs=$(tail -n +2 "$out/sweep.csv" | awk -F, '$5 == "ok" {print $4}')
deleted=$(echo "$ok_dirs" | sed -n 1p)
damaged=$(echo "$ok_dirs" | sed -n 2p)
rm -rf "$out/points/$deleted"
echo '{"exit_co' > "$out/points/$damaged/point.json"
stamps "$out" | grep -v -e "$deleted" -e "$damaged" > "$work/kept_before.txt"
"$cposim" sweep "$work/tiny.toml" --jobs 2 --out "$out" > "$work/a2.out" 2> "$work/a2.err"
code=$?
[ "$code" -eq 3 ] || fail "resume: exit code $code, expected 3"
[ "$(grep -c 'finished earlier, skipped' "$work/a2.err")" -eq 6 ] ||
  fail "resume: not 6 points skipped"
[ "$(grep -c ': started' "$work/a2.err")" -eq 2 ] || fail "resume: not 2 points run again"
stamps "$out" | grep -v -e "$deleted" -e "$damaged" > "$work/kept_after.txt"
cmp -s "$work/kept_before.txt" "$work/kept_after.txt" ||
  fail "resume: a finished point was rewritten"
[ "$(count_status "$out" ok)" -eq 4 ] || fail "resume: table not complete"
[ -f "$out/points/$deleted/point.json" ] || fail "resume: the deleted point was not run again"

# 3. kill -9 of the sweep mid-way (one point at a time, so some finish and some do not).
out="$work/b"
"$cposim" sweep "$work/tiny.toml" --jobs 1 --out "$out" > "$work/b1.out" 2> "$work/b1.err" &
pid=$!
for _ in $(seq 1 600); do
  [ "$(ls -d "$out"/points/[0-9a-f]*/ 2>/dev/null | wc -l)" -ge 2 ] && break
  sleep 0.05
done
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
sleep 0.5
if pgrep -f "$out/points/" > /dev/null; then fail "kill -9: a child outlived the sweep"; fi
finished=$(ls -d "$out"/points/[0-9a-f]*/ 2>/dev/null | wc -l)
echo "kill -9: $finished of 8 points were finished"
[ "$finished" -ge 2 ] || fail "kill -9: fewer than 2 points finished before the kill"
stamps "$out" > "$work/b_before.txt"
"$cposim" sweep "$work/tiny.toml" --jobs 2 --out "$out" > "$work/b2.out" 2> "$work/b2.err"
code=$?
[ "$code" -eq 3 ] || fail "resume after kill -9: exit code $code, expected 3"
[ "$(grep -c 'finished earlier, skipped' "$work/b2.err")" -eq "$finished" ] ||
  fail "resume after kill -9: not $finished points skipped"
while read -r f rest; do
  [ "$(stat -c '%n %i %Y' "$f")" = "$f $rest" ] || fail "resume after kill -9: $f rewritten"
done < "$work/b_before.txt"
[ "$(rows "$out")" -eq 8 ] || fail "resume after kill -9: sweep.csv has $(rows "$out") rows"
[ "$(tail -n +2 "$out/sweep.csv" | grep -c ',pending,')" -eq 0 ] ||
  fail "resume after kill -9: pending rows"
[ -z "$(ls -A "$out"/points | grep '^\.tmp-')" ] || fail "resume after kill -9: temporaries left"

# 4. The lock: a folder another sweep holds.
if command -v flock > /dev/null; then
  flock "$out/.lock" sleep 3 &
  holder=$!
  sleep 0.3
  "$cposim" sweep "$work/tiny.toml" --out "$out" > /dev/null 2> "$work/c.err"
  code=$?
  [ "$code" -eq 4 ] || fail "lock: exit code $code, expected 4"
  grep -q "another sweep is running" "$work/c.err" || fail "lock: message '$(cat "$work/c.err")'"
  wait "$holder"
fi

# A bad sweep file: exit code 2 and the located message, nothing run.
printf '[sweep]\ncombin = 1\n' > "$work/bad.toml"
"$cposim" sweep "$work/bad.toml" --out "$work/bad_out" > /dev/null 2> "$work/bad.err"
code=$?
[ "$code" -eq 2 ] || fail "bad sweep: exit code $code, expected 2"
grep -q "bad.toml:2:1: error: unknown key 'combin' in \[sweep\]" "$work/bad.err" ||
  fail "bad sweep: '$(cat "$work/bad.err")'"
[ ! -e "$work/bad_out" ] || fail "bad sweep: output folder created"

echo "sweep_resume: $failures failure(s)"
[ "$failures" -eq 0 ]
