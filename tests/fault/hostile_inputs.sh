#!/usr/bin/env bash
# Hostile inputs and sinks through the real executable (issue 17): every one fails fast with a
# clear message and the right exit code, and nothing is damaged.
#   - `--log` to a sink that fails (/dev/full): exit 4, nothing written;
#   - `import -o X --force` where X is a FIFO, a device or the importer's own input: refused;
#   - every command refuses a FIFO, /dev/zero or a folder as its input at once (none hangs);
#   - numbers that would hang or overflow: end_time_s = 1e200, h = 1e-30, power 1e30 W;
#   - 50,000 dotted keys, a 40,000-deep header; a device or probe a rounding error outside;
#   - a resolved case over 64 KiB (3000 probes) runs and is stored whole;
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

# Heat pulled out through the bottom faster than the top can bring it in from ambient: the
# linear solve "converges" to -383 K, which is a failed solve (exit 3, flagged), never "ok".
write_slab_case cold.toml 4000 1000 500 250 'linear_solver = "direct"'
printf '[boundary.bottom]\ntype = "heat_flux"\nq_W_per_m2 = -4e6\n' >>cold.toml
expect 3 field_below_zero "the solved field is outside physical bounds: .* K at .* is below absolute zero" -- \
  "$cposim" run cold.toml --out cold --quiet
check; [ "$(h5_attribute cold/results.h5 converged)" = 0 ] || fail "field_below_zero: converged is not 0"

# A probe a rounding error outside the package (accepted by check) is sampled on the face.
write_slab_case edge.toml 4000 1000 500 250 'linear_solver = "direct"'
printf '[[output.probes]]\nname = "edge"\nat_um = [4000.00005, 2000, 500]\n' >>edge.toml
expect 0 probe_on_surface "" -- "$cposim" run edge.toml --out edge --quiet

# A waveguide and a ring centre a rounding error outside the package: sampled on the face too.
write_slab_case device_edge.toml 4000 1000 500 250 'linear_solver = "direct"'
printf '[[waveguides]]\nname = "w"\npath_um = [[0, 2000, 500], [4000.00005, 2000, 500.00005]]\n' >>device_edge.toml
printf '[[rings]]\nname = "r"\ncenter_um = [4.99995, 1000, 500.00005]\nlambda0_nm = 1310\n' >>device_edge.toml
expect 0 check_device_on_surface "" -- "$cposim" check device_edge.toml
expect 0 device_on_surface "" -- "$cposim" run device_edge.toml --out device_edge --quiet

# Numbers that used to hang: an end time of 1e200 s, a film coefficient of 1e-30 W/(m² K).
write_slab_case long_end.toml 4000 1000 500 250 'linear_solver = "direct"'
printf '[transient]\nend_time_s = 1e200\noutput_interval_s = 1e199\n' >>long_end.toml
# (The adaptive step grows with the settling field: t = 1e200 s in about 2800 steps; the step
# count is bounded by the solver's max_steps in any case.)
expect 0 end_time_1e200 "" -- "$cposim" run long_end.toml --out long_end --quiet
check; [ "$(h5_attribute long_end/results.h5 transient_completed)" = 1 ] ||
  fail "end_time_1e200: the run did not reach the end time"
write_slab_case tiny_h.toml 4000 1000 500 250 'linear_solver = "direct"'
sed -i 's/^h_W_per_m2K = 5000$/h_W_per_m2K = 1e-30/' tiny_h.toml
expect 2 h_1e-30 "tiny_h.toml:[0-9]+:[0-9]+: error: no plausible steady state" -- \
  "$cposim" run tiny_h.toml --out tiny_h --quiet

# Key nesting: 50,000 dotted keys and a 40,000-deep table header are located errors for check
# and run (they overflowed the parser's stack).
{ cat slab.toml; printf 'a'; for _ in $(seq 49999); do printf '.a'; done; printf ' = 1\n'; } >dotted.toml
{ cat slab.toml; printf '[a'; for _ in $(seq 39999); do printf '.a'; done; printf ']\n'; } >deep.toml
for f in dotted deep; do
  expect 2 "check_$f" "$f.toml:[0-9]+:[0-9]+: error: a key nested more than 100" -- "$cposim" check "$f.toml"
  expect 2 "run_$f" "$f.toml:[0-9]+:[0-9]+: error: a key nested more than 100" -- \
    "$cposim" run "$f.toml" --out "$f" --quiet
done

# A resolved case text over 64 KiB (3000 probes) runs and is stored whole in /resolved_case.
cp slab.toml probes.toml
for n in $(seq 0 2999); do
  printf '[[output.probes]]\nname = "p%d"\nat_um = [%d, %d, 250]\n' "$n" $((100 + n % 60 * 60)) $((100 + n / 60 * 60))
done >>probes.toml
expect 0 resolved_over_64KiB "" -- "$cposim" run probes.toml --out probes --quiet
check; h5dump -d /resolved_case probes/results.h5 | grep -q 'p2999' ||
  fail "resolved_over_64KiB: /resolved_case lacks the last probe"

# A sweep file or case file that is a FIFO or /dev/zero: check and sweep fail at once.
mkfifo case_fifo.toml
expect 2 check_fifo "cannot read case file: it is not a regular file \(a FIFO\)" -- "$cposim" check case_fifo.toml
expect 2 sweep_fifo "it is not a regular file \(a FIFO\)" -- "$cposim" sweep case_fifo.toml --out sw
expect 2 check_dev_zero "it is not a regular file \(a character device\)" -- "$cposim" check /dev/zero
expect 2 sweep_dev_zero "it is not a regular file \(a character device\)" -- "$cposim" sweep /dev/zero --out sw

finish
