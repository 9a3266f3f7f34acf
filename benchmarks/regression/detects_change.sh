#!/usr/bin/env bash
# The regression runner must notice a change. On a copy of the multilayer_1d reference:
# (1) the unchanged copy passes (a todo placeholder beside it is listed, not run); (2) a value
# shifted far beyond its tolerance fails with exit 1 and a FAIL line naming that metric while
# the others still pass; (3) a metric path that does not exist fails as missing; (4) --update
# refuses to overwrite a failing fixed (theory) value, and rewrites a run value in place, after
# which the suite passes again; (5) each run appends one line to the history.
# usage: detects_change.sh CPOSIM_BENCH CPOSIM REFERENCES_DIR
set -u
bench=$1 cposim=$2 refs=$3
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

suite=$work/suite
mkdir "$suite"
case_file=$(cd "$refs/../cases" && pwd)/multilayer_1d.toml
sed "s|^case = .*|case = \"$case_file\"|" "$refs/multilayer_1d.toml" >"$suite/multilayer_1d.toml"
run() {
  "$bench" --suite "$suite" --cposim "$cposim" --history "$work/history.jsonl" --threads 1 "$@" \
    >"$work/out" 2>&1
}

printf 'todo = "issue 9: not yet"\n' >"$suite/placeholder.toml"
run
status=$?
[ "$status" -eq 0 ] || { cat "$work/out"; fail "the unchanged copy exited with $status, expected 0"; }
grep -q '^== placeholder: TODO, not run: issue 9: not yet$' "$work/out" || fail "no TODO line"
grep -q '^1 case run (1 TODO), 9 metrics, 0 failures$' "$work/out" || fail "wrong summary line"
rm "$suite/placeholder.toml"

# (2) 346.41028... K shifted to 346.5 K: 0.09 K against a tolerance of 1e-8 K.
cp "$suite/multilayer_1d.toml" "$work/good.toml"
sed -i 's/^\("regions.si.T_mean_K" = { value = \)[-0-9.eE+]*/\1346.5/' "$suite/multilayer_1d.toml"
grep -q '"regions.si.T_mean_K" = { value = 346.5,' "$suite/multilayer_1d.toml" ||
  fail "could not perturb the copy"
run
status=$?
[ "$status" -eq 1 ] || fail "the perturbed reference exited with $status, expected 1"
grep -Eq '^ *FAIL +regions\.si\.T_mean_K ' "$work/out" || fail "no FAIL line naming regions.si.T_mean_K"
grep -Eq '^ *PASS +regions\.si\.T_max_K ' "$work/out" || fail "an unperturbed metric did not pass"
grep -q '1 failure$' "$work/out" || fail "the summary line does not count 1 failure"

# (4a) --update keeps fixed values: it must refuse while a fixed metric fails.
run --update multilayer_1d
status=$?
[ "$status" -eq 1 ] || fail "--update with a failing fixed metric exited with $status, expected 1"
grep -q 'is fixed' "$work/out" || fail "--update did not say why it refused"
grep -q '"regions.si.T_mean_K" = { value = 346.5,' "$suite/multilayer_1d.toml" ||
  fail "--update changed the file although it refused"
cat "$work/out" >>"$work/log"

# (3) a path that is not in summary.json.
cp "$work/good.toml" "$suite/multilayer_1d.toml"
echo '"regions.si.T_maximum_K" = { value = 1.0, abs_tol = 1.0 }' >>"$suite/multilayer_1d.toml"
run
status=$?
[ "$status" -eq 1 ] || fail "a missing metric exited with $status, expected 1"
grep -Eq '^ *FAIL +regions\.si\.T_maximum_K +missing' "$work/out" || fail "no FAIL ... missing line"
grep -q "no member 'T_maximum_K' in regions.si" "$work/out" || fail "the missing metric is not explained"

# (4b) --update rewrites a run value (not fixed), keeps the fixed ones and the comments.
cp "$work/good.toml" "$suite/multilayer_1d.toml"
echo '"regions.ausn.T_max_K" = { value = 1.0, abs_tol = 1e-6, source = "run" }  # kept comment' \
  >>"$suite/multilayer_1d.toml"
run
[ $? -eq 1 ] || fail "a wrong run value did not fail"
run --update multilayer_1d
status=$?
[ "$status" -eq 0 ] || { cat "$work/out"; fail "--update exited with $status, expected 0"; }
grep -Eq '^"regions\.ausn\.T_max_K" = \{ value = 339\.99[0-9]+, abs_tol = 1e-6, source = "run" \}  # kept comment$' \
  "$suite/multilayer_1d.toml" || fail "--update did not rewrite the run value in place"
grep -q '^commit = ' "$suite/multilayer_1d.toml" || fail "--update wrote no provenance"
grep -q '"regions.si.T_mean_K" = { value = 346.41028092692,' "$suite/multilayer_1d.toml" ||
  fail "--update changed a fixed value"
grep -q '^# physics.md §5.1' "$suite/multilayer_1d.toml" || fail "--update lost the comments"
run
status=$?
[ "$status" -eq 0 ] || { cat "$work/out"; fail "after --update the suite exited with $status"; }

# (5) one history line per run (7 above, the refused --update included).
lines=$(grep -c '"case": "multilayer_1d"' "$work/history.jsonl")
[ "$lines" -eq 7 ] || fail "history has $lines lines for multilayer_1d, expected 7"

[ "$failures" -eq 0 ] && echo "regression runner: all checks passed"
exit $((failures > 0))
