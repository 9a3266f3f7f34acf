#!/usr/bin/env bash
# report.html opens in a real browser: run a case, render its report.html with headless
# Chromium to a 1200 × 3000 PNG, and check the picture is a real page (a valid PNG of that size,
# far larger than the screenshot of an empty page), and that its first 1200 × 900 screen shows
# the dashboard's verdict banner and main map (first_screen.py). Skipped (code 77) without Chromium:
# scripts/install_deps.sh --with-browser installs it (CPOSIM_REQUIRE_BROWSER=1 makes a missing
# browser a failure).
set -uo pipefail
cposim=$1 case_file=$2 work=$3
browser=""
for b in chromium chromium-browser google-chrome; do
  command -v "$b" >/dev/null && browser=$b && break
done
if [ -z "$browser" ]; then
  echo "SKIP: no chromium found"
  # scripts/run_tests.sh installs Chromium and sets this: there the check must run.
  [ "${CPOSIM_REQUIRE_BROWSER:-0}" = 1 ] && exit 1
  exit 77
fi
rm -rf "$work" && mkdir -p "$work"
fail() { echo "FAIL: $*"; exit 1; }

"$cposim" run "$case_file" --out "$work/run" --quiet >/dev/null || fail "cposim run failed"
[ -s "$work/run/report.html" ] || fail "no report.html"
grep -q '<link\|<script\|src="http' "$work/run/report.html" &&
  fail "report.html is not self-contained"

shot() {  # shot URL PNG
  timeout 120 "$browser" --headless --disable-gpu --no-sandbox --hide-scrollbars \
    --user-data-dir="$work/profile" --screenshot="$2" --window-size=1200,3000 "$1" \
    >"$work/browser.log" 2>&1
  [ -s "$2" ] || fail "no screenshot $2: $(tail -5 "$work/browser.log")"
}
printf '<!DOCTYPE html><html><body></body></html>\n' >"$work/blank.html"
shot "file://$work/run/report.html" "$work/report.png"
shot "file://$work/blank.html" "$work/blank.png"

# PNG signature, then IHDR width and height (big-endian at bytes 16..23).
[ "$(head -c 8 "$work/report.png" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] ||
  fail "report.png is not a PNG"
size=$(od -An -tu1 -j16 -N8 "$work/report.png" |
  awk '{print $1*2^24 + $2*2^16 + $3*2^8 + $4, $5*2^24 + $6*2^16 + $7*2^8 + $8}')
[ "$size" = "1200 3000" ] || fail "report.png is $size, expected 1200 3000"
report_bytes=$(stat -c %s "$work/report.png") blank_bytes=$(stat -c %s "$work/blank.png")
echo "report.png $report_bytes bytes, blank page $blank_bytes bytes"
[ "$report_bytes" -gt $((5 * blank_bytes)) ] && [ "$report_bytes" -gt 20000 ] ||
  fail "report.png looks empty ($report_bytes bytes; blank page $blank_bytes bytes)"
# The first screen (1200 × 900) opens with the dashboard: the verdict banner and the main map.
timeout 120 "$browser" --headless --disable-gpu --no-sandbox --hide-scrollbars \
  --user-data-dir="$work/profile" --screenshot="$work/first_screen.png" --window-size=1200,900 \
  "file://$work/run/report.html" >"$work/browser.log" 2>&1
[ -s "$work/first_screen.png" ] || fail "no first-screen screenshot"
if command -v python3 >/dev/null; then
  python3 "$(dirname "$0")/first_screen.py" "$work/first_screen.png" ||
    fail "the dashboard is not on the first screen ($work/first_screen.png)"
fi
echo "ok: $work/report.png, $work/first_screen.png"
