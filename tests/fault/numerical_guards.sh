#!/usr/bin/env bash
# A solve that does not converge, or whose energy balance is worse than [solver]
# max_energy_imbalance, is a failure: exit code 3, the reason on stderr, and the last state
# written with converged = 0 and the reason in the failure_reason attribute. Through the real
# binary, on a small slab (a few thousand cells):
#   - Jacobi-CG limited to 1 iteration: the linear solve does not converge;
#   - a loose relative_tolerance: the solve "converges" but loses energy;
#   - one Picard step on silicon, whose k depends on T: the Picard iteration does not settle;
#   - a healthy run: exit 0, converged = 1, no failure_reason;
#   - max_energy_imbalance outside (0, 1): exit 2.
#   numerical_guards.sh CPOSIM WORK_DIR
set -uo pipefail
cposim=$1 work=$2
source "$(dirname "$0")/common.sh"
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1

# Runs case `name` and checks exit code, stderr and (for exit 0 and 3) the results file.
expect_run() {
  local name=$1 code=$2 reason=$3
  "$cposim" run "$name.toml" --out "$name" >"$name.stdout" 2>"$name.stderr"
  local got=$?
  echo "$name: exit $got: $(tail -n 1 "$name.stderr")"
  check; [ "$got" -eq "$code" ] || fail "$name: exit code $got, expected $code"
  if [ "$code" -eq 2 ]; then
    check; [[ "$(cat "$name.stderr")" == *"$reason"* ]] || fail "$name: stderr lacks '$reason'"
    check; [ ! -e "$name/results.h5" ] || fail "$name: results written for a bad case"
    return
  fi
  local h5=$name/results.h5
  check; [ -f "$h5" ] && h5ls -r "$h5" >/dev/null 2>&1 || { fail "$name: no readable results.h5"; return; }
  check; h5ls "$h5/fields/temperature_K" >/dev/null 2>&1 || fail "$name: no temperature field"
  if [ "$code" -eq 0 ]; then
    check; [ "$(h5_attribute "$h5" converged)" = 1 ] || fail "$name: converged is not 1"
    check; [ -z "$(h5_attribute "$h5" failure_reason)" ] || fail "$name: failure_reason written"
  else
    check; [ "$(h5_attribute "$h5" converged)" = 0 ] || fail "$name: converged is not 0"
    check; [[ "$(h5_attribute "$h5" failure_reason)" == *"$reason"* ]] ||
      fail "$name: failure_reason '$(h5_attribute "$h5" failure_reason)' lacks '$reason'"
    check; grep -q "error: .*$reason.*results written and flagged (converged = 0)" "$name.stderr" ||
      fail "$name: stderr lacks the reason: $(cat "$name.stderr")"
  fi
}

write_slab_case healthy.toml 4000 1000 250 100 'linear_solver = "jacobi_cg"'
expect_run healthy 0 ""
check; h5dump -d /resolved_case healthy/results.h5 | grep -q "max_energy_imbalance = 1e-06" ||
  fail "healthy: the resolved case (/resolved_case) does not echo max_energy_imbalance"

write_slab_case one_iteration.toml 4000 1000 250 100 'linear_solver = "jacobi_cg"' 'max_iterations = 1'
expect_run one_iteration 3 "the linear solver jacobi_cg did not converge"

write_slab_case loose.toml 4000 1000 250 100 'linear_solver = "jacobi_cg"' 'relative_tolerance = 0.1'
expect_run loose 3 "the energy balance is off by"

write_slab_case one_picard.toml 4000 1000 250 100 'linear_solver = "direct"' 'max_picard_iterations = 1'
sed -i 's/material = "Cu"/material = "Si"/' one_picard.toml
expect_run one_picard 3 "the Picard iteration on k(T) did not settle"

write_slab_case zero_bound.toml 4000 1000 250 100 'max_energy_imbalance = 0'
expect_run zero_bound 2 "'solver.max_energy_imbalance' must be > 0 and < 1, got 0"
finish
