#!/usr/bin/env python3
"""The peers' shipped models through cposim (issue 22): imports? solves? peer vs cposim.

For every HotSpot example (tests/data/import/hotspot_examples, HotSpot f18831e) this imports the
files its run.sh passes with `cposim import hotspot`, solves the case with `cposim run` and
compares every unit temperature of summary.json (region T_mean_K) with HotSpot's own steady
output recorded in benchmarks/peers/hotspot/reference/ (README.md there: provenance).

With --3dice DIR (a 3D-ICE 4.0 checkout, github.com/esl-epfl/3d-ice 39ed2a7; its files are GPL
and are not kept here) it imports and solves every bin/*.stk and test/**/*.stk the same way and,
where 3D-ICE's outputs are recorded (tests/data/3dice_cavities/references.csv), compares them.

Prints one markdown row per model (the table of benchmarks/peers/README.md).

    python3 benchmarks/peers/peer_table.py --cposim build/cases/cposim [--3dice DIR]
        [--work DIR] [--threads 1] [--only example3,...] [--import-only] [--run-3dice EMULATOR]

3D-ICE transient stacks are compared at their own T / Tflpel outputs by threedice_transient.py.
"""
import argparse
import csv
import json
import os
import subprocess
import sys
import time

import threedice_transient

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HOTSPOT = os.path.join(ROOT, "tests", "data", "import", "hotspot_examples")
REFERENCE = os.path.join(ROOT, "benchmarks", "peers", "hotspot", "reference")

# What each example's run.sh passes (its first, steady command) and the recorded HotSpot output.
HOTSPOT_EXAMPLES = [
    ("example1", ["--flp", "ev6.flp", "--ptrace", "gcc.ptrace", "--config", "example.config",
                  "--materials", "example.materials"], "example1_block.steady",
     "block model (-model_type block): one node per unit and HotSpot's compact package"),
    ("example1", ["--flp", "ev6.flp", "--ptrace", "gcc.ptrace", "--config", "example.config",
                  "--materials", "example.materials"], "example1_grid.steady",
     "the same files with -model_type grid: HotSpot's compact package"),
    ("example2", ["--flp", "ev6.flp", "--ptrace", "gcc.ptrace", "--config", "example.config",
                  "--materials", "example.materials"], "example2_grid.steady",
     "HotSpot's compact package (spreader and sink outside the chip lumped; r_convec)"),
    ("example3", ["--lcf", "example.lcf", "--ptrace", "example.ptrace", "--config",
                  "example.config", "--materials", "example.materials"], "example3.steady",
     "-detailed_3D: HotSpot's spreader-to-sink drop (see README)"),
    ("example4", ["--lcf", "ev6_3D.lcf", "--ptrace", "ev6_3D.ptrace", "--config",
                  "example.config"], "example4.steady",
     "-detailed_3D: HotSpot's spreader-to-sink drop (see README)"),
    ("example5", ["--lcf", "example.lcf", "--ptrace", "example.ptrace", "--config",
                  "example.config", "--materials", "example.materials"], "example5.steady",
     "microchannel network as a 4rm cavity: HotSpot solves every fluid cell, cposim homogenises the channels"),
]


def run(cmd, cwd, log, timeout):
    start = time.time()
    with open(log, "w") as out:
        try:
            rc = subprocess.run(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                timeout=timeout).returncode
        except subprocess.TimeoutExpired:
            rc = "timeout"
    return rc, time.time() - start


def first_error(log):
    with open(log) as f:
        for line in f:
            if "error:" in line:
                return line.strip()
    return ""


def read_hotspot_steady(path):
    """HotSpot's steady file: 'name<TAB>T' per line (K)."""
    values = {}
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 2:
                values[parts[0]] = float(parts[1])
    return values


def cposim_region(regions, hotspot_name, taken):
    """The cposim region of a HotSpot unit: 'U' (one layer) or 'layer_L_U' (an .lcf): the
    importer names a powered layer's units 'U' (the first layer naming U: HotSpot prints the
    layers in order, and a passive layer repeating a floorplan becomes one block 'layerL') and
    a passive layer's own units 'layerL.U'. `taken` holds the units already mapped."""
    if hotspot_name in regions:
        return regions[hotspot_name]
    if hotspot_name.startswith("layer_"):
        parts = hotspot_name.split("_", 2)
        if len(parts) == 3:
            layer, unit = parts[1], parts[2]
            if "layer%s.%s" % (layer, unit) in regions:
                return regions["layer%s.%s" % (layer, unit)]
            if unit in regions and unit not in taken:
                taken.add(unit)
                return regions[unit]
    return None


def solve(cposim, case, work, name, threads, timeout):
    out = os.path.join(work, name)
    rc, seconds = run([cposim, "run", case, "--out", out, "--threads", str(threads), "--quiet"],
                      work, os.path.join(work, name + ".run.log"), timeout)
    summary = None
    path = os.path.join(out, "summary.json")
    if rc in (0, 3) and os.path.exists(path):
        with open(path) as f:
            summary = json.load(f)
    return rc, seconds, summary


def hotspot_rows(args):
    rows = []
    for folder, files, reference, cause in HOTSPOT_EXAMPLES:
        if args.only and folder not in args.only:
            continue
        d = os.path.join(HOTSPOT, folder)
        case = os.path.join(args.work, "hotspot_%s.toml" % folder)
        log = os.path.join(args.work, "hotspot_%s.import.log" % folder)
        rc, _ = run([args.cposim, "import", "hotspot"] + files + ["-o", case, "--force"], d, log,
                    120)
        if rc != 0:
            rows.append(["HotSpot " + folder, "no: " + first_error(log), "–", "–", cause])
            continue
        rc, seconds, summary = solve(args.cposim, case, args.work, "hotspot_" + folder,
                                     args.threads, args.timeout)
        if summary is None:
            rows.append(["HotSpot " + folder, "yes", "no (exit %s)" % rc, "–", cause])
            continue
        regions = {r["name"]: r for r in summary["regions"]}
        peer = read_hotspot_steady(os.path.join(REFERENCE, reference))
        diffs, taken = [], set()
        for unit, T_peer in peer.items():
            if unit.startswith(("iface_", "hsp_", "hsink_", "inode_")):
                continue  # HotSpot's package nodes, not units of the chip
            r = cposim_region(regions, unit, taken)
            if r is None or r["T_mean_K"] is None:
                continue
            diffs.append(r["T_mean_K"] - T_peer)
        worst = max(diffs, key=abs) if diffs else float("nan")
        mean = sum(diffs) / len(diffs) if diffs else float("nan")
        solved = "yes (exit %s, %d cells, %.1f s)" % (rc, summary["grid"]["num_cells"], seconds)
        compare = ("%d units: cposim − HotSpot mean %+.2f K, worst %+.2f K" %
                   (len(diffs), mean, worst))
        rows.append(["HotSpot " + folder, "yes", solved, compare, cause])
    return rows


def threedice_models(root):
    found = []
    for sub in ("bin", "test"):
        for base, _, names in os.walk(os.path.join(root, sub)):
            found += [os.path.join(base, n) for n in names if n.endswith(".stk")]
    return sorted(found)


def threedice_rows(args):
    refs = {}
    with open(os.path.join(ROOT, "tests", "data", "3dice_cavities", "references.csv")) as f:
        for r in csv.DictReader(f):
            refs.setdefault((r["model"], r["stack"]), []).append(r)
    rows = []
    for stk in threedice_models(args.three_dice):
        rel = os.path.relpath(stk, args.three_dice)
        if args.only and not any(o in rel for o in args.only):
            continue
        name = "3dice_" + rel.replace("/", "_")[:-4]
        case = os.path.join(args.work, name + ".toml")
        log = os.path.join(args.work, name + ".import.log")
        # 3D-ICE's tests run from test/ (their floorplan paths are relative to it).
        cwd = os.path.join(args.three_dice, "test") if rel.startswith("test/") else \
            os.path.dirname(stk)
        rc, _ = run([args.cposim, "import", "3dice", os.path.relpath(stk, cwd), "-o", case,
                     "--force"], cwd, log, 120)
        if rc != 0:
            rows.append(["3D-ICE " + rel, "no: " + first_error(log), "–", "–", ""])
            continue
        if args.import_only:
            rows.append(["3D-ICE " + rel, "yes", "not run (--import-only)", "–", ""])
            continue
        if threedice_transient.comparable(rel, args.run_3dice):
            # Transients: the .stk's own T / Tflpel outputs at its times (threedice_transient.py).
            solved, compare, source = threedice_transient.compare(stk, args, args.work)
            rows.append(["3D-ICE " + rel, "yes", solved, compare + " (3D-ICE: %s)" % source, ""])
            continue
        rc, seconds, summary = solve(args.cposim, case, args.work, name, args.threads,
                                     args.timeout)
        if summary is None:
            rows.append(["3D-ICE " + rel, "yes", "no (exit %s, %.0f s)" % (rc, seconds), "–", ""])
            continue
        solved = "yes (exit %s, %d cells, %.1f s)" % (rc, summary["grid"]["num_cells"], seconds)
        parts = rel.split("/")
        key = (parts[1], parts[3][len("2dies_"):-4]) if len(parts) == 4 and \
            parts[2] == "steady" else None
        compare = "T_max %.2f K (no 3D-ICE output recorded)" % summary["headline"]["T_max_K"]
        if key in refs:
            probes = {p["name"]: p["T_K"] for p in summary["probes"]}
            compare = "T_max %.2f K; 3D-ICE probes recorded (tests/data/3dice_cavities): " % \
                summary["headline"]["T_max_K"] + ", ".join(
                    "%s %.3f K" % (r["probe"], float(r["T_K"])) for r in refs[key]) + \
                " (compared by tests/validation/test_cavity_3dice.cpp)"
            del probes
        rows.append(["3D-ICE " + rel, "yes", solved, compare, ""])
    return rows


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--cposim", default=os.path.join(ROOT, "build", "cases", "cposim"))
    p.add_argument("--3dice", dest="three_dice", default=None)
    p.add_argument("--work", default="/tmp/cposim_peer_table")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--timeout", type=float, default=900)
    p.add_argument("--only", type=lambda s: s.split(","), default=None)
    p.add_argument("--import-only", action="store_true", help="3D-ICE: import, do not solve")
    p.add_argument("--run-3dice", default=None, help="3D-ICE transients: the 3D-ICE-Emulator to "
                   "run (else its shipped output_*.txt are the reference)")
    args = p.parse_args()
    args.cposim = os.path.abspath(args.cposim)
    args.work = os.path.abspath(args.work)
    if args.three_dice:
        args.three_dice = os.path.abspath(args.three_dice)
    os.makedirs(args.work, exist_ok=True)
    rows = hotspot_rows(args)
    if args.three_dice:
        rows += threedice_rows(args)
    print("| model | imports | solves | peer vs cposim | stated cause of the difference |")
    print("|---|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(c.replace("|", "/") for c in r) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
