#!/usr/bin/env bash
# Builds one libFuzzer target and runs it for a given time, then reports executions and
# findings:
#   bash tests/fuzz/run_fuzz.sh fuzz_case_reader 600
#   bash tests/fuzz/run_fuzz.sh fuzz_power_map 600
#   bash tests/fuzz/run_fuzz.sh fuzz_sweep_file 600
# The build (build-fuzz/, or $BUILD_DIR) uses clang++-14 with AddressSanitizer and
# UndefinedBehaviorSanitizer. The corpus grows in build-fuzz/corpus/TARGET/ across runs; each
# run first adds the seeds: cases/examples/ and tests/data/bad_cases/ (.toml for the case
# reader, .csv for the power-map reader). Crashing inputs land in build-fuzz/findings/TARGET/;
# every one becomes a file in tests/data/bad_cases/ with its '# expect:' line, and gets fixed.
# Exit code: 0 no findings, 1 findings (or a failed build). One process: the box has 2 cores.
set -euo pipefail
target=${1:?usage: run_fuzz.sh TARGET SECONDS}
seconds=${2:?usage: run_fuzz.sh TARGET SECONDS}
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$root/build-fuzz}
case "$target" in
  fuzz_case_reader) ext=toml ;;
  fuzz_power_map) ext=csv ;;
  fuzz_sweep_file) ext=toml ;;
  *) echo "run_fuzz: unknown target '$target' (fuzz_case_reader, fuzz_power_map, fuzz_sweep_file)" >&2; exit 2 ;;
esac

bash "$root/scripts/install_deps.sh" --with-fuzz
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 -DCPOSIM_FUZZ=ON \
  -DCPOSIM_SANITIZE=address,undefined -DCPOSIM_WITH_HYPRE=OFF -DCPOSIM_WITH_OPENMP=OFF \
  -DCPOSIM_BUILD_TESTS=OFF \
  -DCPOSIM_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build "$build" --target "$target" -j2

corpus=$build/corpus/$target findings=$build/findings/$target work=$build/work/$target
mkdir -p "$corpus" "$findings" "$work"
seeds=("$root"/cases/examples/*."$ext" "$root"/tests/data/bad_cases/*."$ext")
[ "$target" = fuzz_sweep_file ] &&
  seeds=("$root"/tests/fuzz/sweep_seeds/*.toml "$root"/tests/data/bad_sweeps/*.toml
         "$root"/cases/examples/*sweep*.toml)
for f in "${seeds[@]}"; do
  cp "$f" "$corpus/seed_$(basename "$f")"
done
# Case files name their CSV files relative to the working directory of the fuzzer.
cp "$root"/cases/examples/*.csv "$root"/tests/data/bad_cases/*.csv "$root"/tests/fuzz/sweep_seeds/*.csv \
  "$work/"

log=$build/fuzz_$target.log
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export OMP_NUM_THREADS=1
before=$(find "$findings" -type f | wc -l)
set +e
# Fork mode with one job: a crash, hang or out-of-memory input is saved and fuzzing goes on,
# so one run collects every distinct finding.
(cd "$work" && "$build/tests/fuzz/$target" "$corpus" -dict="$root/tests/fuzz/case_file.dict" \
  -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -max_len=16384 \
  -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
  -artifact_prefix="$findings/") >"$log" 2>&1
set -e
grep -E "^#[0-9]+: cov" "$log" | awk 'NR % 20 == 0' || true
grep -E "^(==[0-9]+==)?ERROR|^SUMMARY|^fuzz_|deadly signal" "$log" | sort | uniq -c || true
after=$(find "$findings" -type f | wc -l)
execs=$(grep -E "^#[0-9]+: cov" "$log" | tail -1 | sed 's/^#\([0-9]*\):.*/\1/')
echo "run_fuzz: $target ran ${seconds} s: ${execs:-?} executions, corpus $(ls "$corpus" | wc -l) inputs," \
  "$((after - before)) new findings in $findings (log: $log)"
[ "$after" -eq "$before" ]
