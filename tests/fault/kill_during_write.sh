#!/usr/bin/env bash
# A run killed with SIGKILL while it writes its results leaves either no results file or the
# previous complete one under the final name, never a truncated one. The case has 2 M cells
# and no power, so the solve is cheap (gmg_cg: 9 iterations, 2 s; jacobi_cg took 457 iterations,
# 27 s, and made this test 600+ s under load) and writing (about 90 MB) is a large part of the run.
# Each trial starts the run, waits until the temporary results file appears, waits a random
# part of the time that file exists (measured first; narrowed after kills that came too late),
# and kills the process, until 8 kills have landed while the file existed; then results.h5 (if there) must open,
# list exactly the reference datasets with their full shapes, be readable to its last value
# and carry converged = 1. Odd trials start without results, even ones over complete results.
#   kill_during_write.sh CPOSIM WORK_DIR
set -uo pipefail
cposim=$1 work=$2
source "$(dirname "$0")/common.sh"
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
cat >bulk.toml <<'TOML'
title = "fault test: 2 M cells, no power, trivial solve, large results"
[package]
footprint_um = [20000, 20000]
[[layers]]
name = "slab"
material = "Cu"
thickness_um = 2000
[boundary.top]
type = "fixed_temperature"
T_K = 300
[grid]
max_cell_xy_um = 100
max_cell_z_um = 40
[solver]
linear_solver = "gmg_cg"
TOML
"$cposim" run bulk.toml --out ref >ref.log 2>&1 || { cat ref.log; echo "FAIL: reference run"; exit 1; }
h5ls -r ref/results.h5 >ref.listing
# How long the temporary results file exists (HDF5 writing), median of three runs.
windows=()
for i in 1 2 3; do
  "$cposim" run bulk.toml --out calibrate >/dev/null 2>&1 &
  pid=$!
  until compgen -G ".calibrate.staging-*/results.h5.tmp-*" >/dev/null || ! kill -0 $pid 2>/dev/null; do poll_pause; done
  t0=$(now_ms)
  while compgen -G ".calibrate.staging-*/results.h5.tmp-*" >/dev/null; do poll_pause; done
  windows+=($(($(now_ms) - t0)))
  wait $pid
done
window_ms=$(printf '%s\n' "${windows[@]}" | sort -n | sed -n 2p)
echo "reference run: $(grep -c Dataset ref.listing) datasets; the temporary file exists for about ${window_ms} ms (${windows[*]})"

# The results under the final name are absent (allowed only if there were none before) or
# complete.
check_results() {
  local out=$1 had_previous=$2 trial=$3
  check
  if [ ! -e "$out/results.h5" ]; then
    [ "$had_previous" -eq 0 ] || fail "trial $trial: the previous results.h5 is gone"
    return
  fi
  h5ls -r "$out/results.h5" >listing 2>&1 || { fail "trial $trial: results.h5 does not open"; return; }
  cmp -s listing ref.listing || fail "trial $trial: results.h5 lists other datasets: $(diff listing ref.listing | head -3)"
  h5dump -d /fields/temperature_K -s "49,199,199" -c "1,1,1" "$out/results.h5" >/dev/null 2>&1 ||
    fail "trial $trial: the last temperature cannot be read"
  [ "$(h5_attribute "$out/results.h5" converged)" = 1 ] || fail "trial $trial: converged is not 1"
  if [ -e "$out/results.xmf" ]; then
    grep -q "</Xdmf>" "$out/results.xmf" || fail "trial $trial: results.xmf is truncated"
  fi
}

# Trials until 8 kills landed while the temporary file existed (at most 40 trials): a kill
# that came too late shrinks the range of delays, since load on the machine varies the timing.
wanted=8 max_trials=40 killed_while_writing=0 trial=0 range_ms=$window_ms
while [ $killed_while_writing -lt $wanted ] && [ $trial -lt $max_trials ]; do
  trial=$((trial + 1))
  out=run_$trial had_previous=$((1 - trial % 2))
  mkdir -p "$out"
  [ "$had_previous" -eq 1 ] && cp ref/results.h5 ref/results.xmf "$out/"
  "$cposim" run bulk.toml --out "$out" >/dev/null 2>&1 &
  pid=$!
  until compgen -G ".$out.staging-*/results.h5.tmp-*" >/dev/null || ! kill -0 $pid 2>/dev/null; do poll_pause; done
  delay_ms=$((RANDOM % (range_ms + 1)))
  sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
  if compgen -G ".$out.staging-*/results.h5.tmp-*" >/dev/null; then
    killed_while_writing=$((killed_while_writing + 1))
  else
    range_ms=$((range_ms * 2 / 3))
  fi
  kill -KILL $pid 2>/dev/null
  wait $pid 2>/dev/null
  check_results "$out" "$had_previous" "$trial"
  rm -rf "$out"
done
echo "$killed_while_writing of $trial runs were killed while their temporary results file existed"
check
[ "$killed_while_writing" -ge $wanted ] || fail "too few kills landed in the write phase"
finish
