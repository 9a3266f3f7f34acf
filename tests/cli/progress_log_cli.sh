#!/usr/bin/env bash
# The real `cposim run` with --log and --quiet (README.md "Progress"): every line of the log is
# one JSON object with exactly the documented keys and types, time_s never decreases, the
# phases come in order (build first, done last, solve iterations with a residual, nothing after
# done), --quiet prints one verdict line and nothing on stderr, and a run whose stderr is not a
# terminal shows no progress line. Needs python3 for the JSON (skipped, code 77, without).
set -uo pipefail
cposim=$1 case_file=$2 work=$3
command -v python3 >/dev/null || { echo "SKIP: python3 not found"; exit 77; }
rm -rf "$work" && mkdir -p "$work"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# --quiet --log with an iterative solver, so that linear iterations are reported.
"$cposim" run "$case_file" --out "$work/quiet" --solver jacobi_cg --quiet --log "$work/run.jsonl" \
  >"$work/stdout" 2>"$work/stderr"
code=$?
[ "$code" -eq 0 ] || fail "exit code $code: $(cat "$work/stderr")"
lines=$(wc -l <"$work/stdout")
[ "$lines" -eq 1 ] || fail "--quiet printed $lines lines: $(cat "$work/stdout")"
grep -q ": ok: T_max .* °C in '.*'; .*; results in $work/quiet/results.h5\$" "$work/stdout" ||
  fail "--quiet verdict line: $(cat "$work/stdout")"
[ ! -s "$work/stderr" ] || fail "--quiet wrote to stderr: $(cat "$work/stderr")"
[ -s "$work/quiet/results.h5" ] || fail "no results.h5"

python3 - "$work/run.jsonl" <<'PY' || failures=$((failures + 1))
import json, math, sys
keys = ["time_s", "phase", "message", "iteration", "residual", "fraction"]
order = ["build", "assembly", "setup", "solve", "postprocess", "write", "done"]
phases, last_t, ok = [], -1.0, True
def bad(msg):
    global ok
    print("FAIL:", msg); ok = False
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
if len(lines) < 7: bad(f"only {len(lines)} log lines")
for n, line in enumerate(lines, 1):
    try:
        e = json.loads(line)
    except ValueError as err:
        bad(f"line {n} is not JSON: {err}: {line}"); continue
    if not isinstance(e, dict) or list(e) != keys:
        bad(f"line {n}: keys {list(e) if isinstance(e, dict) else e} != {keys}"); continue
    if not isinstance(e["time_s"], (int, float)) or e["time_s"] < last_t:
        bad(f"line {n}: time_s {e['time_s']} not a number or decreasing")
    last_t = e["time_s"]
    if e["phase"] not in order + ["coupling"]: bad(f"line {n}: unknown phase {e['phase']}")
    if not isinstance(e["message"], str) or not e["message"]: bad(f"line {n}: empty message")
    if e["iteration"] is not None and (not isinstance(e["iteration"], int) or e["iteration"] < 0):
        bad(f"line {n}: iteration {e['iteration']}")
    for k in ("residual", "fraction"):
        if e[k] is not None and not isinstance(e[k], (int, float)): bad(f"line {n}: {k} {e[k]}")
    phases.append(e)
names = [e["phase"] for e in phases]
if names[:1] != ["build"]: bad(f"first phase {names[:1]}")
if names[-1:] != ["done"] or names.count("done") != 1: bad("done is not last, or not once")
firsts = [names.index(p) for p in order if p in names]
if len(firsts) != len(order): bad(f"missing phases: {set(order) - set(names)}")
if firsts != sorted(firsts): bad(f"phases out of order: {names}")
if names.index("postprocess") < max(i for i, p in enumerate(names) if p == "solve"):
    bad("a solve event after postprocess")
iters = [e for e in phases if e["phase"] == "solve" and e["iteration"] is not None]
if not iters: bad("no solve event with an iteration")
if any(not isinstance(e["residual"], (int, float)) or not math.isfinite(e["residual"])
       for e in iters): bad("an iteration event without a finite residual")
fractions = [e["fraction"] for e in phases if e["fraction"] is not None]
if fractions != sorted(fractions) or fractions[-1] != 1: bad(f"fractions {fractions}")
sys.exit(0 if ok else 1)
PY

# Not a terminal and not quiet: the summary on stdout, one banner line on stderr, no progress.
"$cposim" run "$case_file" --out "$work/plain" >"$work/stdout2" 2>"$work/stderr2"
[ $? -eq 0 ] || fail "plain run failed"
[ "$(wc -l <"$work/stderr2")" -eq 1 ] || fail "plain stderr: $(cat "$work/stderr2")"
! grep -q $'\r' "$work/stderr2" || fail "progress line written to a non-terminal"
grep -q "^report: $work/plain/report.html" "$work/stdout2" || fail "summary lacks the report line"

# An unwritable --log is a command-line error (exit 2), and nothing is run.
"$cposim" run "$case_file" --out "$work/nolog" --log "$work/missing_dir/run.jsonl" \
  >/dev/null 2>"$work/stderr3"
[ $? -eq 2 ] || fail "unwritable --log: exit code not 2"
grep -q "cannot write --log file" "$work/stderr3" || fail "unwritable --log: $(cat "$work/stderr3")"
[ ! -e "$work/nolog/results.h5" ] || fail "unwritable --log: results written"

[ "$failures" -eq 0 ] && echo "ok" && rm -rf "$work"
exit $((failures > 0))
