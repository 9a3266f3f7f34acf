#!/usr/bin/env bash
# Thermal runaway of a block power P(T) through the real binary: a die whose leakage grows faster
# than its convective top can remove it (R β P_leak > 1 at every temperature) must exit with
# code 5, print one line naming the block, its power and temperature and runaway_T_K, and still
# write results.h5 (the last iterate) flagged runaway = 1, converged = 0, with the reason in
# failure_reason and /leakage/blocks filled. The same die with a small leakage converges: exit 0,
# runaway = 0.
#   thermal_runaway.sh CPOSIM WORK_DIR
set -uo pipefail
cposim=$1 work=$2
source "$(dirname "$0")/common.sh"
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1

# A 4 x 4 mm Si die, 500 µm, on a 5000 W/(m² K) top: R ≈ 12.5 K/W. Argument: leakage keys.
write_die_case() {
  cat >"$1" <<CASE
title = "leaky die"
[package]
footprint_um = [4000, 4000]
[[blocks]]
name = "die"
material = "Si"
origin_um = [0, 0, 0]
size_um = [4000, 4000, 500]
power_W = 2.0
leakage = { $2 }
[boundary.top]
type = "convection"
h_W_per_m2K = 5000
T_ambient_K = 300
[grid]
max_cell_xy_um = 1000
max_cell_z_um = 250
[solver]
runaway_T_K = 450
max_picard_iterations = 200
CASE
}

write_die_case runaway.toml 'P_leak_ref_W = 2.0, beta_per_K = 0.1, T_ref_K = 300.0, T_block = "max"'
"$cposim" run runaway.toml --out runaway >runaway.stdout 2>runaway.stderr
got=$?
echo "runaway: exit $got: $(tail -n 1 runaway.stderr)"
check; [ "$got" -eq 5 ] || fail "runaway: exit code $got, expected 5"
check; grep -q "error: thermal runaway: the hottest cell reached .* K, above \[solver\] runaway_T_K = 450 K" runaway.stderr ||
  fail "runaway: stderr lacks the runaway line: $(cat runaway.stderr)"
check; grep -q "block 'die' .* W (dynamic 2 W + leakage .* W) at .* K (max)" runaway.stderr ||
  fail "runaway: stderr does not name the block, its power and temperature"
check; [ "$(grep -c "error:" runaway.stderr)" -eq 1 ] || fail "runaway: not exactly one error line"
h5=runaway/results.h5
check; [ -f "$h5" ] && h5ls -r "$h5" >/dev/null 2>&1 || fail "runaway: no readable results.h5"
check; [ "$(h5_attribute "$h5" runaway)" = 1 ] || fail "runaway: attribute runaway is not 1"
check; [ "$(h5_attribute "$h5" converged)" = 0 ] || fail "runaway: attribute converged is not 0"
check; [[ "$(h5_attribute "$h5" failure_reason)" == *"thermal runaway"* ]] ||
  fail "runaway: failure_reason lacks 'thermal runaway'"
check; h5ls "$h5/leakage/blocks/total_W" >/dev/null 2>&1 || fail "runaway: no /leakage/blocks"
check; grep -q '"runaway": true' runaway/summary.json || fail "runaway: summary.json lacks runaway"

write_die_case stable.toml 'P_leak_ref_W = 0.5, beta_per_K = 0.02, T_ref_K = 300.0'
"$cposim" run stable.toml --out stable >stable.stdout 2>stable.stderr
got=$?
echo "stable: exit $got"
check; [ "$got" -eq 0 ] || fail "stable: exit code $got, expected 0: $(cat stable.stderr)"
check; [ "$(h5_attribute stable/results.h5 runaway)" = 0 ] || fail "stable: runaway is not 0"
check; grep -q "temperature-dependent block power" stable.stdout || fail "stable: no leakage table"

# The runaway die as a transient run from ambient: the run stops when a cell passes 450 K,
# exits 5 and writes the last state flagged, with the time it got to.
write_die_case transient.toml 'P_leak_ref_W = 2.0, beta_per_K = 0.1, T_ref_K = 300.0, T_block = "max"'
printf '[transient]\nend_time_s = 100\noutput_interval_s = 10\n' >>transient.toml
"$cposim" run transient.toml --out transient >transient.stdout 2>transient.stderr
got=$?
echo "transient runaway: exit $got: $(tail -n 1 transient.stderr)"
check; [ "$got" -eq 5 ] || fail "transient: exit code $got, expected 5: $(cat transient.stderr)"
check; grep -q "thermal runaway: the hottest cell reached .* K, above \[solver\] runaway_T_K = 450 K" \
  transient.stderr || fail "transient: stderr lacks the runaway line: $(cat transient.stderr)"
h5=transient/results.h5
check; [ "$(h5_attribute "$h5" runaway)" = 1 ] || fail "transient: attribute runaway is not 1"
check; [ "$(h5_attribute "$h5" transient_completed)" = 0 ] || fail "transient: completed is not 0"
check; [[ "$(h5_attribute "$h5" transient_failure)" == *"thermal runaway"* ]] ||
  fail "transient: transient_failure lacks 'thermal runaway'"
finish
