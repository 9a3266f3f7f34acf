#!/usr/bin/env bash
# Every bad case file, run through the real `cposim run`: exit code 2, the exact message of
# its '# expect:' line on stderr, and no results file (nor temporary) in the output folder.
# Also: a case file that does not exist, and bad command lines.
set -uo pipefail
cposim=$1 data=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0 checked=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
for f in "$data"/bad_cases/*.toml; do
  name=$(basename "$f")
  expect=$(head -n 1 "$f" | sed -n 's/^# expect: //p')
  out="$work/out_$name"
  stderr=$(cd "$(dirname "$f")" && "$cposim" run "$name" --out "$out" 2>&1 >/dev/null)
  code=$?
  checked=$((checked + 1))
  [ "$code" -eq 2 ] || fail "$name: exit code $code, expected 2 ($stderr)"
  [[ "$stderr" == *"$expect"* ]] || fail "$name: stderr '$stderr' lacks '$expect'"
  if [ -e "$out" ] && [ -n "$(ls -A "$out")" ]; then fail "$name: output folder not empty: $(ls "$out")"; fi
done
# A case file that does not exist.
stderr=$("$cposim" run "$work/missing.toml" --out "$work/m" 2>&1 >/dev/null); code=$?
[ "$code" -eq 2 ] || fail "missing file: exit $code"
[[ "$stderr" == *"missing.toml: error: cannot read case file"* ]] || fail "missing file: '$stderr'"
[ ! -e "$work/m/results.h5" ] || fail "missing file: results written"
# Bad command lines.
"$cposim" frobnicate x.toml >/dev/null 2>&1; [ $? -eq 2 ] || fail "unknown command not exit 2"
"$cposim" run x.toml --threads 0 >/dev/null 2>&1; [ $? -eq 2 ] || fail "--threads 0 not exit 2"
"$cposim" run x.toml --solver magic >/dev/null 2>&1; [ $? -eq 2 ] || fail "--solver magic not exit 2"
echo "bad_cases_cli: $checked bad case files checked through cposim"
echo "$((checked + 4 - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
