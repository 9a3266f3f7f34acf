#!/usr/bin/env bash
# Opens a .pvd and every file it lists in real ParaView 5.11 (pvcheck.sh from
# ../shared/tools/paraview-check, data only: ParaView's own reader choice, no screenshot), and
# requires each to open without a crash, with cells.
#   check_pvd_in_paraview.sh RESULTS.pvd
# Exit: 0 all open; 77 skipped without pvbatch or the checker (1 with CPOSIM_REQUIRE_PARAVIEW=1);
# otherwise the first failing pvcheck's code (128+N: ParaView died from signal N).
set -u
pvd=$1
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# The checker sits in shared/tools/ beside the repository (or beside a parent folder of it, for
# a git worktree); PVCHECK_SH names it explicitly.
pvcheck=${PVCHECK_SH:-}
up="$(cd "$here/../.." && pwd)"
while [ -z "$pvcheck" ] && [ "$up" != / ]; do
  up=$(dirname "$up")
  [ -f "$up/shared/tools/paraview-check/pvcheck.sh" ] && pvcheck=$up/shared/tools/paraview-check/pvcheck.sh
done
skip_code=77
[ "${CPOSIM_REQUIRE_PARAVIEW:-0}" = 1 ] && skip_code=1
if ! command -v "${PVCHECK_PVBATCH:-pvbatch}" >/dev/null 2>&1 || [ ! -f "${pvcheck:-}" ]; then
  echo "check_pvd_in_paraview: SKIP: pvbatch or the ParaView checker is not installed"
  exit $skip_code
fi
[ -f "$pvd" ] || { echo "check_pvd_in_paraview: FAIL: no such file: $pvd" >&2; exit 2; }
dir="$(cd "$(dirname "$pvd")" && pwd)"
files=$(sed -nE 's/.*<DataSet [^>]*file="([^"]+)".*/\1/p' "$pvd")
[ -n "$files" ] || { echo "check_pvd_in_paraview: FAIL: $pvd lists no files" >&2; exit 1; }
rc=0 n=0
for f in "$(basename "$pvd")" $files; do
  n=$((n + 1))
  bash "$pvcheck" "$dir/$f" --array T_K >"$dir/pvcheck_$f.log" 2>&1
  code=$?
  if [ "$code" -eq 0 ]; then
    echo "check_pvd_in_paraview: ok: ParaView opens $f"
  else
    echo "check_pvd_in_paraview: FAIL (pvcheck exit $code): $f" >&2
    tail -4 "$dir/pvcheck_$f.log" >&2
    [ "$rc" -eq 0 ] && rc=$code
  fi
done
[ "$rc" -eq 0 ] && echo "check_pvd_in_paraview: OK: $(basename "$pvd") and the $((n - 1)) files it lists"
exit "$rc"
