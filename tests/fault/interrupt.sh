#!/usr/bin/env bash
# SIGINT stops a run promptly and says so: exit code 130 (SIGTERM: 143), "interrupted" on
# stderr, nothing new in the output folder (no results, no temporaries) and earlier results
# left byte for byte. The case (1 M cells, Jacobi-CG at a tight tolerance) solves for minutes,
# so the signal always arrives during the solve, which checks it every iteration.
#   interrupt.sh CPOSIM WORK_DIR
set -uo pipefail
cposim=$1 work=$2
source "$(dirname "$0")/common.sh"
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
write_slab_case long.toml 20000 2000 200 20 'linear_solver = "jacobi_cg"' \
  'relative_tolerance = 1e-14' 'max_iterations = 1000000000'

# Runs the case, sends `signal` after `after` seconds; checks exit code, message, delay.
interrupt_run() {
  local signal=$1 expected_code=$2 out=$3
  "$cposim" run long.toml --out "$out" >"$out.stdout" 2>"$out.stderr" &
  local pid=$!
  sleep 1.5
  local t0
  t0=$(now_ms)
  kill -"$signal" $pid
  wait $pid
  local code=$? elapsed=$(($(now_ms) - t0))
  echo "SIG$signal: exit $code after ${elapsed} ms: $(tail -n 1 "$out.stderr")"
  check; [ "$code" -eq "$expected_code" ] || fail "SIG$signal: exit code $code, expected $expected_code"
  check; grep -q "SIG$signal: interrupted during the solve" "$out.stderr" ||
    fail "SIG$signal: stderr does not say it was interrupted: $(cat "$out.stderr")"
  check; [ "$elapsed" -lt 3000 ] || fail "SIG$signal: took ${elapsed} ms to stop"
  check; if compgen -G "$out/*.tmp-*" >/dev/null; then fail "SIG$signal: temporaries left: $(ls "$out")"; fi
}

interrupt_run INT 130 fresh
check; [ ! -e fresh/results.h5 ] || fail "SIGINT: results.h5 written"
check; [ ! -e fresh/results.xmf ] || fail "SIGINT: results.xmf written"

# Over earlier results: they stay exactly as they were.
mkdir -p earlier
printf 'earlier results\n' >earlier/results.h5
printf 'earlier sidecar\n' >earlier/results.xmf
interrupt_run TERM 143 earlier
check; [ "$(cat earlier/results.h5)" = "earlier results" ] || fail "SIGTERM: earlier results.h5 changed"
check; [ "$(cat earlier/results.xmf)" = "earlier sidecar" ] || fail "SIGTERM: earlier results.xmf changed"
finish
