#!/usr/bin/env bash
# Hostile inputs and sinks through the real executable (issue 17): every one fails fast with a
# clear message and the right exit code, and nothing is damaged.
#   - `--log` to a sink that fails (/dev/full): exit 4, nothing written;
#   - `import -o X --force` where X is a FIFO, a device or the importer's own input: refused;
#   - every command refuses a FIFO, /dev/zero or a folder as its input at once (none hangs);
#   - numbers that would hang or overflow: end_time_s = 1e200, h = 1e-30, power 1e30 W;
#   - solved fields outside physical bounds are failed solves (exit 3, flagged).
#   hostile_inputs.sh CPOSIM WORK_DIR
set -uo pipefail
cposim=$1 work=$2
source "$(dirname "$0")/common.sh"
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
write_slab_case slab.toml 4000 1000 500 250 'linear_solver = "direct"'

# expect CODE LABEL PATTERN -- COMMAND...: runs COMMAND (at most 20 s), checks the exit code
# and that stderr matches PATTERN (grep -E; none if empty).
expect() {
  local code=$1 label=$2 pattern=$3
  shift 4
  timeout 20 "$@" >"$label.out" 2>"$label.err"
  local got=$?
  check; [ "$got" -eq "$code" ] || fail "$label: exit $got, expected $code: $(head -c 600 "$label.err")"
  [ -z "$pattern" ] && return
  check; grep -qE -- "$pattern" "$label.err" || fail "$label: stderr lacks /$pattern/: $(head -c 600 "$label.err")"
}

# --log to a failing sink
expect 4 log_dev_full "cannot write --log file '/dev/full': No space left on device" -- \
  "$cposim" run slab.toml --out log_full --log /dev/full --quiet
check; [ ! -e log_full/results.h5 ] || fail "log_dev_full: results written although the log failed"

# import -o: never replace a FIFO, a device or the input itself
echo "not a real stack" >own.stk
mkfifo pipe
expect 2 import_fifo "'pipe' is not a regular file" -- "$cposim" import 3dice own.stk -o pipe --force
check; [ -p pipe ] || fail "import_fifo: the FIFO was replaced"
expect 2 import_device "'/dev/null' is not a regular file" -- \
  "$cposim" import 3dice own.stk -o /dev/null --force
check; [ -c /dev/null ] || fail "import_device: /dev/null is no longer a device"
expect 2 import_own_input "is the input file 'own.stk'" -- \
  "$cposim" import 3dice own.stk -o ./own.stk --force
check; [ "$(cat own.stk)" = "not a real stack" ] || fail "import_own_input: the input changed"

# A solved field outside physical bounds is a failed solve: exit 3, flagged, never "ok".
# (8 kW through h·A = 0.08 W/K passes the input-side plausibility bound of 1e6 K but not the
# 5000 K ceiling of a solved field; 1e30 W is refused before the solve, exit 2.)
write_slab_case absurd.toml 4000 1000 500 250 'linear_solver = "direct"'
sed -i 's/^power_W = 10$/power_W = 1e30/' absurd.toml
expect 2 power_refused_before_solve "no plausible steady state" -- \
  "$cposim" run absurd.toml --out absurd_refused --quiet
check; [ ! -e absurd_refused/results.h5 ] || fail "power_refused_before_solve: results were written"
sed -i 's/^power_W = 1e30$/power_W = 8000/' absurd.toml
expect 3 field_above_ceiling "the solved field is outside physical bounds: .* K at .* is above the physical ceiling \(allowed 0 to 5000 K\)" -- \
  "$cposim" run absurd.toml --out absurd --quiet
check; [ "$(h5_attribute absurd/results.h5 converged)" = 0 ] || fail "field_above_ceiling: converged is not 0"
check; grep -q "NOT CONVERGED" field_above_ceiling.out || fail "field_above_ceiling: $(cat field_above_ceiling.out)"

# A probe a rounding error outside the package (accepted by check) is sampled on the face.
write_slab_case edge.toml 4000 1000 500 250 'linear_solver = "direct"'
printf '[[output.probes]]\nname = "edge"\nat_um = [4000.00005, 2000, 500]\n' >>edge.toml
expect 0 probe_on_surface "" -- "$cposim" run edge.toml --out edge --quiet

# A sweep file or case file that is a FIFO or /dev/zero: check and sweep fail at once.
mkfifo case_fifo.toml
expect 2 check_fifo "cannot read case file: it is not a regular file \(a FIFO\)" -- "$cposim" check case_fifo.toml
expect 2 sweep_fifo "it is not a regular file \(a FIFO\)" -- "$cposim" sweep case_fifo.toml --out sw
expect 2 check_dev_zero "it is not a regular file \(a character device\)" -- "$cposim" check /dev/zero
expect 2 sweep_dev_zero "it is not a regular file \(a character device\)" -- "$cposim" sweep /dev/zero --out sw

finish
