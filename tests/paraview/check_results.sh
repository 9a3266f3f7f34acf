#!/bin/bash
# check_results.sh - does ParaView 5.11 really open a cposim results file? (ctest label: paraview)
#
#   check_results.sh RESULTS.xmf CELLS NX,NY,NZ ARRAY[,ARRAY...] SCREENSHOT.png [SUMMARY.json]
#   check_results.sh RESULTS.vtr CELLS NX,NY,NZ ARRAY[,ARRAY...] SCREENSHOT.png [SUMMARY.json]
#
# Opens RESULTS.xmf with every XDMF reader ParaView offers (Xdmf3ReaderS, the default, plus
# Xdmf3ReaderT and the Xdmf2 XdmfReader, which is the one that honours Topology Dimensions)
# through ../shared/tools/paraview-check/pvcheck.sh (next to the repository), and requires
# CELLS cells, NX x NY x NZ cells per axis and the listed cell arrays with each of them. The
# image is coloured by the first array. pvcheck writes one screenshot per reader
# (SCREENSHOT_<reader>.png); the default reader's is also copied to SCREENSHOT.png.
# A .vtr (or .pvd) has one reader, XMLRectilinearGridReader, whose image is SCREENSHOT.png.
# With SUMMARY.json (the run's), the array ranges ParaView reports (pvcheck --json) are also
# compared with it by check_ranges.py: temperature_K, region_id, power_density, all finite.
#
# Exit status: 0 the check passed; 77 skipped (pvbatch or the checker is not installed; ctest
# SKIP_RETURN_CODE) unless CPOSIM_REQUIRE_PARAVIEW=1 (set by scripts/run_tests.sh, which
# installs ParaView), in which case a missing tool fails with 1; 2 bad arguments; otherwise pvcheck's failure code (1 check failed,
# 2 cannot open, 3 render failed, 128+N ParaView died from signal N).
set -u

if [ "$#" -ne 5 ] && [ "$#" -ne 6 ]; then
    echo "usage: $0 RESULTS.xmf|RESULTS.vtr CELLS NX,NY,NZ ARRAY[,ARRAY...] SCREENSHOT.png" \
         "[SUMMARY.json]" >&2
    exit 2
fi
xmf="$1" cells="$2" dims="$3" arrays="$4" shot="$5" summary="${6:-}"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$here/../.." && pwd)"
pvcheck="$(dirname "$repo_root")/shared/tools/paraview-check/pvcheck.sh"
skip_code=77
[ "${CPOSIM_REQUIRE_PARAVIEW:-0}" = 1 ] && skip_code=1

if ! command -v "${PVCHECK_PVBATCH:-pvbatch}" >/dev/null 2>&1; then
    echo "check_results: SKIP: pvbatch is not installed" \
         "(apt-get install paraview python3-paraview xvfb xauth)"
    exit $skip_code
fi
if [ ! -f "$pvcheck" ]; then
    echo "check_results: SKIP: ParaView checker not found at $pvcheck"
    exit $skip_code
fi
if [ ! -f "$xmf" ]; then
    echo "check_results: FAIL: no such file: $xmf" >&2
    exit 2
fi

# Absolute paths: the Xdmf3 reader resolves the .h5 wrongly next to a bare relative name.
xmf="$(cd "$(dirname "$xmf")" && pwd)/$(basename "$xmf")"
mkdir -p "$(dirname "$shot")" || exit 2
shot="$(cd "$(dirname "$shot")" && pwd)/$(basename "$shot")"

ranges_json="${shot%.*}_ranges.json"
rm -f "$ranges_json"
case "$xmf" in
*.xmf | *.xdmf)
    bash "$pvcheck" "$xmf" --all-readers -o "$shot" --array "${arrays%%,*}" \
        --expect-cells "$cells" --expect-dims "$dims" --expect-arrays "$arrays"
    rc=$?
    default_shot="${shot%.*}_Xdmf3ReaderS.${shot##*.}"
    if [ "$rc" -eq 0 ] && [ -f "$default_shot" ]; then
        cp "$default_shot" "$shot" || rc=1
    fi
    # The ranges as the default reader sees them (data only, no screenshot).
    if [ "$rc" -eq 0 ] && [ -n "$summary" ]; then
        bash "$pvcheck" "$xmf" --json "$ranges_json" --expect-cells "$cells" >/dev/null
        rc=$?
    fi
    readers="every XDMF reader"
    ;;
*)
    bash "$pvcheck" "$xmf" -o "$shot" --array "${arrays%%,*}" --expect-cells "$cells" \
        --expect-dims "$dims" --expect-arrays "$arrays" --json "$ranges_json"
    rc=$?
    readers="its VTK XML reader"
    ;;
esac
if [ "$rc" -eq 0 ] && [ -n "$summary" ]; then
    python3 "$here/check_ranges.py" "$ranges_json" "$summary"
    rc=$?
fi
if [ "$rc" -eq 0 ]; then
    echo "check_results: OK: $xmf ($cells cells, $dims, arrays $arrays${summary:+, ranges})" \
         "with $readers"
else
    echo "check_results: FAIL (exit $rc): $xmf" >&2
fi
exit "$rc"
