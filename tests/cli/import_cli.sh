#!/usr/bin/env bash
# `cposim import` through the real executable: the imported cases pass `cposim check`, an
# existing case file is kept without --force (exit 4) and replaced with it, refused and
# malformed inputs exit 2 with file:line:col and write nothing, bad command lines exit 2.
set -uo pipefail
cposim=$1 data=$2/import
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0 checked=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
check() { checked=$((checked + 1)); }

# HotSpot and 3D-ICE models become valid cases.
"$cposim" import hotspot --flp "$data/hotspot/small.flp" --ptrace "$data/hotspot/small.ptrace" \
  --config "$data/hotspot/small.config" -o "$work/hs.toml" >/dev/null 2>&1
code=$?; check; [ "$code" -eq 0 ] || fail "import hotspot: exit $code"
"$cposim" check "$work/hs.toml" >/dev/null 2>&1 || fail "hs.toml does not pass cposim check"
"$cposim" import 3dice "$data/3dice/small.stk" -o "$work/ice.toml" >/dev/null 2>&1
code=$?; check; [ "$code" -eq 0 ] || fail "import 3dice: exit $code"
"$cposim" check "$work/ice.toml" >/dev/null 2>&1 || fail "ice.toml does not pass cposim check"

# An existing file is kept without --force and replaced with it; no temporary is left.
echo "# mine" > "$work/keep.toml"
stderr=$("$cposim" import 3dice "$data/3dice/small.stk" -o "$work/keep.toml" 2>&1 >/dev/null)
code=$?; check; [ "$code" -eq 4 ] || fail "existing file: exit $code, expected 4"
[[ "$stderr" == *"keep.toml' exists; use --force to overwrite it"* ]] || fail "existing file: '$stderr'"
[ "$(cat "$work/keep.toml")" = "# mine" ] || fail "existing file was changed"
"$cposim" import 3dice "$data/3dice/small.stk" -o "$work/keep.toml" --force >/dev/null 2>&1
code=$?; check; [ "$code" -eq 0 ] || fail "--force: exit $code"
grep -q '^\[\[layers\]\]' "$work/keep.toml" || fail "--force did not replace the file"
[ -z "$(ls "$work" | grep '\.tmp-')" ] || fail "temporary files left: $(ls "$work")"

# A 4rm microchannel layer imports as a [[cavities]] entry that passes cposim check.
"$cposim" import 3dice "$data/3dice/example_4rm.stk" -o "$work/4rm.toml" >/dev/null 2>&1
code=$?; check; [ "$code" -eq 0 ] || fail "microchannel: exit $code, expected 0"
grep -q '^model = "4rm"' "$work/4rm.toml" || fail "microchannel: no [[cavities]] model 4rm"
"$cposim" check "$work/4rm.toml" >/dev/null 2>&1 || fail "microchannel: the import fails check"

# Refused and malformed inputs: exit 2, the location, nothing written.
printf 'core0 gpu\n1 2\n' > "$work/bad.ptrace"
stderr=$("$cposim" import hotspot --flp "$data/hotspot/small.flp" --ptrace "$work/bad.ptrace" \
  -o "$work/bad.toml" 2>&1 >/dev/null)
code=$?; check; [ "$code" -eq 2 ] || fail "unknown unit: exit $code, expected 2"
[[ "$stderr" == *"bad.ptrace:1:7: error: unknown unit 'gpu'"* ]] || fail "unknown unit: '$stderr'"
[ ! -e "$work/bad.toml" ] || fail "unknown unit: a case file was written"

# A HotSpot stack naming materials of a materials file; a 0 W 3D-ICE stack is warned.
"$cposim" import hotspot --lcf "$data/hotspot/named.lcf" --materials "$data/hotspot/example.materials" \
  --config "$data/hotspot/named.config" --transient --ptrace "$data/hotspot/small.ptrace" \
  --hotspot-capacitance-factor 0.333 -o "$work/named.toml" >/dev/null 2>&1
code=$?; check; [ "$code" -eq 0 ] || fail "import hotspot --materials: exit $code"
"$cposim" check "$work/named.toml" >/dev/null 2>&1 || fail "named.toml does not pass cposim check"
stderr=$("$cposim" import 3dice "$data/3dice/nopower.stk" -o "$work/nopower.toml" 2>&1 >/dev/null)
code=$?; check; [ "$code" -eq 0 ] || fail "0 W stack: exit $code"
[[ "$stderr" == *"nopower.toml: warning: no floorplan element gives power values"* ]] ||
  fail "0 W stack: '$stderr'"
"$cposim" import hotspot --flp "$data/hotspot/small.flp" --transient --ptrace "$data/hotspot/small.ptrace" \
  --hotspot-capacitance-factor 3 -o "$work/cf.toml" >/dev/null 2>&1
code=$?; check; [ "$code" -eq 2 ] || fail "capacitance factor 3: exit $code, expected 2"
"$cposim" import hotspot --flp "$data/hotspot/gaps.flp" --hotspot-snap-um 0.5 -o "$work/gaps.toml" >/dev/null 2>&1
code=$?; check; [ "$code" -eq 0 ] || fail "--hotspot-snap-um 0.5: exit $code"
grep -q 'size_um = \[1033,' "$work/gaps.toml" || fail "--hotspot-snap-um 0.5 snapped the 1 µm gaps"
stderr=$("$cposim" import hotspot --flp "$data/hotspot/gaps.flp" --hotspot-snap-um -3 -o "$work/g.toml" 2>&1 >/dev/null)
code=$?; check; [ "$code" -eq 2 ] || fail "--hotspot-snap-um -3: exit $code, expected 2"
[[ "$stderr" == *"--hotspot-snap-um must be a number of µm in [0, 1000], got '-3'"* ]] ||
  fail "--hotspot-snap-um -3: '$stderr'"

# A shipped HotSpot example as its run.sh names the files (materials file, .lcf).
ex="$data/hotspot_examples/example3"
"$cposim" import hotspot --config "$ex/example.config" --lcf "$ex/example.lcf" \
  --ptrace "$ex/example.ptrace" --materials "$ex/example.materials" -o "$work/ex3.toml" >/dev/null 2>&1
code=$?; check; [ "$code" -eq 0 ] || fail "import hotspot example3: exit $code"
"$cposim" check "$work/ex3.toml" >/dev/null 2>&1 || fail "ex3.toml does not pass cposim check"

# Bad command lines.
"$cposim" import >/dev/null 2>&1; code=$?; check; [ "$code" -eq 2 ] || fail "no format: exit $code"
"$cposim" import ansys x -o y.toml >/dev/null 2>&1; code=$?; check
[ "$code" -eq 2 ] || fail "unknown format: exit $code"
"$cposim" import 3dice "$data/3dice/small.stk" >/dev/null 2>&1; code=$?; check
[ "$code" -eq 2 ] || fail "no -o: exit $code"
"$cposim" import hotspot --flp "$data/hotspot/small.flp" --lfc x -o "$work/x.toml" >/dev/null 2>&1
code=$?; check; [ "$code" -eq 2 ] || fail "misspelt option: exit $code"

echo "import_cli: $((checked - failures)) of $checked checks passed"
[ "$failures" -eq 0 ]
