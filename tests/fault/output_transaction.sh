#!/usr/bin/env bash
# The output folder is one transaction (postproc/io/output_folder.hpp): kill -9 at random instants
# over a whole run, again and again into the same folder, and after every kill the folder holds
# exactly one complete run, the old one or the new one. Two small cases with different sets of
# output files alternate (A: steady with VTK and a map; B: transient with probes.csv and
# history.png), so a file of the earlier run left beside the new ones is caught. A file the user
# put into the folder (note.txt) must survive every trial. Also: a second run into a locked
# folder fails at once with exit 4; a folder holding a foreign sub-folder is refused (exit 4).
#   output_transaction.sh CPOSIM WORK_DIR [TRIALS]
set -uo pipefail
cposim=$1 work=$2 trials=${3:-40}
source "$(dirname "$0")/common.sh"
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
cat >A.toml <<'TOML'
title = "transaction A"
[package]
footprint_um = [3000, 3000]
[[layers]]
name = "slab"
material = "Si"
thickness_um = 300
power_W = 2
[boundary.top]
type = "convection"
h_W_per_m2K = 5000
T_ambient_K = 300
[grid]
max_cell_xy_um = 100
max_cell_z_um = 50
[output]
formats = ["hdf5", "vtk"]
TOML
cat >B.toml <<'TOML'
title = "transaction B"
[package]
footprint_um = [3000, 3000]
[[layers]]
name = "slab"
material = "Cu"
thickness_um = 300
power_W = 3
[boundary.top]
type = "convection"
h_W_per_m2K = 5000
T_ambient_K = 300
[grid]
max_cell_xy_um = 150
max_cell_z_um = 50
[transient]
end_time_s = 0.02
dt_initial_s = 0.005
dt_max_s = 0.005
adaptive = false
output_interval_s = 0.01
[[output.probes]]
name = "centre"
at_um = [1500, 1500, 150]
TOML
for c in A B; do
  "$cposim" run $c.toml --out ref_$c --quiet >ref_$c.log 2>&1 || { cat ref_$c.log; echo "FAIL: reference run $c"; exit 1; }
  (cd ref_$c && ls | sort) >files_$c
done
cmp -s files_A files_B && { echo "FAIL: the two cases write the same files"; exit 1; }
echo "A writes: $(tr '\n' ' ' <files_A)"
echo "B writes: $(tr '\n' ' ' <files_B)"

# Duration of one run (median of 3), so the kills spread over all of it.
durations=()
for i in 1 2 3; do
  t0=$(now_ms)
  "$cposim" run B.toml --out calibrate --quiet >/dev/null 2>&1
  durations+=($(($(now_ms) - t0)))
done
run_ms=$(printf '%s\n' "${durations[@]}" | sort -n | sed -n 2p)
echo "one run takes about ${run_ms} ms (${durations[*]})"

# Lock: a second run while the first holds the folder fails at once with exit 4.
"$cposim" run B.toml --out locked --quiet >/dev/null 2>&1 &
first=$!
until [ -d locked ] || ! kill -0 $first 2>/dev/null; do poll_pause; done
t0=$(now_ms)
"$cposim" run A.toml --out locked --quiet >second.log 2>&1
code=$? elapsed=$(($(now_ms) - t0))
wait $first
first_code=$?
check; [ $code -eq 4 ] || fail "a second run into a busy folder exits $code, not 4"
check; grep -q "another cposim run is writing into 'locked'" second.log || fail "second run: $(cat second.log)"
check; [ $first_code -eq 0 ] || fail "the first run exits $first_code"
check; [ $elapsed -lt $((run_ms + 1000)) ] || fail "the second run took ${elapsed} ms to fail"
mkdir -p foreign/sub
"$cposim" run A.toml --out foreign --quiet >foreign.log 2>&1
code=$?
check; [ $code -eq 4 ] && grep -q "holds 'sub', a folder that is not part of a cposim run" foreign.log ||
  fail "a folder with a foreign sub-folder: exit $code: $(cat foreign.log)"

# The kill trials, driven from Python for precise timing; the check after each kill is the
# same Python: the folder's entries are exactly one reference set (+ manifest, + note.txt),
# the manifest lists them with their sizes, summary.json parses and names the same case,
# results.xmf and report.html are complete, results.h5 opens (h5ls).
mkdir -p out && cp -p ref_A/* out/ && echo "keep me" >out/note.txt
python3 - "$cposim" "$trials" "$run_ms" <<'PY'
import json, os, random, signal, subprocess, sys, time
cposim, trials, run_ms = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
refs = {c: set(open(f"files_{c}").read().split()) for c in "AB"}
random.seed(17)
failures = []
outcome = {"old": 0, "new": 0}
in_write = 0
def check(trial, expect_either):
    names = set(os.listdir("out"))
    if open("out/note.txt").read() != "keep me\n":
        return "note.txt changed"
    names.discard("note.txt")
    case = None
    for c in "AB":
        if names == refs[c]:
            case = c
    if case is None:
        return f"the folder holds {sorted(names)}, which is neither run"
    if case not in expect_either:
        return f"the folder holds run {case}, expected {expect_either}"
    manifest = json.load(open("out/manifest.json"))
    listed = {f["name"]: f["bytes"] for f in manifest["files"]}
    if set(listed) | {"manifest.json"} != names:
        return f"the manifest lists {sorted(listed)}"
    for n, size in listed.items():
        if os.path.getsize(f"out/{n}") != size:
            return f"{n} has {os.path.getsize('out/' + n)} bytes, the manifest says {size}"
    if not manifest["case_file"].startswith(case):
        return f"manifest case {manifest['case_file']} in a folder of run {case}"
    title = json.load(open("out/summary.json"))["title"]
    if title != f"transaction {case}":
        return f"summary.json of '{title}' beside the files of run {case}"
    if not open("out/results.xmf").read().rstrip().endswith("</Xdmf>"):
        return "results.xmf is truncated"
    if not open("out/report.html").read().rstrip().endswith("</html>"):
        return "report.html is truncated"
    if subprocess.run(["h5ls", "-r", "out/results.h5"], capture_output=True).returncode != 0:
        return "results.h5 does not open"
    return case
def staging_exists():
    return any(n.startswith(".out.staging-") for n in os.listdir("."))
def start(case):
    return subprocess.Popen([cposim, "run", f"{case}.toml", "--out", "out", "--quiet"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
def wait_for_staging(p):
    while not staging_exists() and p.poll() is None:
        time.sleep(0.0005)
# The write phase: from the staging folder's appearance to the end of the run (median of 3).
windows = []
for c in "BAB":
    p = start(c)
    wait_for_staging(p)
    t0 = time.monotonic()
    p.wait()
    windows.append(time.monotonic() - t0)
write_s = sorted(windows)[1]
print(f"the write phase takes about {write_s * 1000:.0f} ms")
current = "A"
for trial in range(1, trials + 1):
    new = "B" if current == "A" else "A"
    p = start(new)
    if trial % 5 == 0:  # anywhere in the run
        delay = random.uniform(0.0, 1.1 * run_ms / 1000.0)
    else:  # anywhere in the write phase (and a little after it)
        wait_for_staging(p)
        delay = random.uniform(0.0, 1.15 * write_s)
    time.sleep(delay)
    staged = staging_exists()
    p.send_signal(signal.SIGKILL)
    code = p.wait()
    result = check(trial, {current, new})
    if result not in ("A", "B"):
        failures.append(f"trial {trial} (kill after {delay * 1000:.0f} ms, exit {code}): {result}")
        break
    outcome["new" if result == new else "old"] += 1
    in_write += staged
    current = result
stale = [n for n in os.listdir(".") if n.startswith(".out.staging-")]
print(f"{trials} kill -9 trials: the folder held the old run {outcome['old']} times and the "
      f"new run {outcome['new']} times; {in_write} kills landed while a staging folder "
      f"existed (the write phase); {len(stale)} stale staging folder(s) left for the next run")
for f in failures:
    print("FAIL:", f)
# A run after the kills cleans up the stale staging folders.
subprocess.run([cposim, "run", "A.toml", "--out", "out", "--quiet"], check=True,
               stdout=subprocess.DEVNULL)
left = [n for n in os.listdir(".") if n.startswith(".out.staging-")]
if left:
    failures.append(f"staging folders left after a complete run: {left}")
    print("FAIL:", failures[-1])
if check(0, {"A"}) != "A":
    failures.append("the run after the kills is not complete")
    print("FAIL:", failures[-1])
if outcome["new"] == 0 or outcome["old"] == 0 or in_write < trials // 10:
    failures.append("the kills did not spread over the run (timing calibration)")
    print("FAIL:", failures[-1])
sys.exit(1 if failures else 0)
PY
code=$?
check; [ $code -eq 0 ] || fail "kill trials"
finish
