#!/usr/bin/env python3
"""3D-ICE transient stacks against cposim: the .stk's own `T (die, x, y, "file", step)` outputs.

For a 3D-ICE transient stack this imports it with `cposim import 3dice`, adds one probe per
`T (...)` output request of its `output:` section (at the centre of the 3D-ICE cell holding
(x, y), mid-height of the die's source layer, as 3D-ICE reports that cell), sets the output
interval to 3D-ICE's step (`step` outputs) or slot (`slot`), runs cposim and compares the probe
histories with 3D-ICE's at the same times: max and mean over time of cposim − 3D-ICE (K).

3D-ICE's side is either the reference file its repository ships beside the stack
(test/<kind>/transient/output_*.txt: time then one column per T request, in order; GPL, read
in place, not copied) or, with --run-3dice EMULATOR, the files 3D-ICE writes when run on a
scratch copy of the checkout.

    python3 benchmarks/peers/threedice_transient.py --3dice DIR --cposim build/cases/cposim \
        [--only solid/transient/topsink] [--run-3dice DIR/bin/3D-ICE-Emulator]
"""
import argparse
import math
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib

# Shipped reference of each test/ transient stack (its name in the folder's output_*.txt).
SHIPPED = {"bothsink": "output_both.txt", "bottomsink": "output_bottom.txt",
           "topsink": "output_top.txt", "2dies_background": "output_background.txt",
           "2dies_four_elements": "output_four_elements.txt"}

T_REQUEST = re.compile(r'^\s*T\s*\(\s*(\w+)\s*,\s*([-\d.eE+]+)\s*,\s*([-\d.eE+]+)\s*,\s*"([^"]+)"\s*,'
                       r'\s*(\w+)\s*\)\s*;', re.M)
# Tflpel (DIE.ELEMENT, "file", average|maximum|minimum, step|slot): a floorplan element's
# source-layer cells; cposim's region of the imported block '<die>.<element>'.
TFLPEL_REQUEST = re.compile(r'^\s*Tflpel\s*\(\s*([\w.]+)\s*,\s*"([^"]+)"\s*,\s*(\w+)\s*,'
                            r'\s*(\w+)\s*\)\s*;', re.M)
REGION_COLUMN = {"average": "T_mean_K", "maximum": "T_max_K", "minimum": "T_min_K"}


def parse_stk(path):
    """Cell sizes (µm), chip size (µm), transient step and slot (s), T requests of a .stk."""
    text = re.sub(r"//.*", "", open(path).read())
    cell = re.search(r"cell\s+length\s+([\d.eE+-]+)\s*,\s*width\s+([\d.eE+-]+)", text)
    chip = re.search(r"chip\s+length\s+([\d.eE+-]+)\s*,\s*width\s+([\d.eE+-]+)", text)
    tr = re.search(r"transient\s+step\s+([\d.eE+-]+)\s*,\s*slot\s+([\d.eE+-]+)", text)
    requests = [(m.group(1), float(m.group(2)), float(m.group(3)), m.group(4), m.group(5))
                for m in T_REQUEST.finditer(text)]
    requests += [(m.group(1), m.group(3), None, m.group(2), m.group(4))
                 for m in TFLPEL_REQUEST.finditer(text)]
    return {"cell": (float(cell.group(1)), float(cell.group(2))),
            "chip": (float(chip.group(1)), float(chip.group(2))),
            "step": float(tr.group(1)) if tr else None, "slot": float(tr.group(2)) if tr else None,
            "requests": requests}


def cell_centre(v, size, extent):
    """Centre of the 3D-ICE cell of side `size` holding coordinate v (clamped to the chip)."""
    n = max(1, int(round(extent / size)))
    i = min(max(int(math.floor(v / size)), 0), n - 1)
    return (i + 0.5) * size


def source_z(case, die):
    """Mid-height (µm) of the imported layer '<die>.source' (layers are written bottom first)."""
    z = 0.0
    for layer in case["layers"]:
        if layer["name"] == die + ".source":
            return z + 0.5 * layer["thickness_um"]
        z += layer["thickness_um"]
    raise KeyError("no layer %s.source in the imported case" % die)


def read_columns(path):
    rows = []
    with open(path) as f:
        for line in f:
            if line.startswith("%") or not line.strip():
                continue
            rows.append([float(v) for v in line.split()])
    return rows


def peer_histories(stk, info, args, work):
    """{request index: [(t, T)]} from 3D-ICE: the shipped file, or a run of the emulator."""
    base = os.path.basename(stk)[:-4]
    if not args.run_3dice:
        rows = read_columns(os.path.join(os.path.dirname(stk), SHIPPED[base]))
        return {k: [(r[0], r[1 + k]) for r in rows] for k in range(len(info["requests"]))}, \
            "shipped " + SHIPPED[base]
    scratch = os.path.join(work, "3dice_tree")
    if not os.path.isdir(scratch):
        for sub in ("test", "bin"):
            shutil.copytree(os.path.join(args.three_dice, sub), os.path.join(scratch, sub),
                            ignore=shutil.ignore_patterns("*.o", "*.d", "3D-ICE-*"))
    rel = os.path.relpath(stk, args.three_dice)
    cwd = os.path.join(scratch, rel.split("/")[0])
    start = time.time()
    subprocess.run(["timeout", "900", args.run_3dice, os.path.relpath(os.path.join(scratch, rel),
                                                                      cwd)],
                   cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, check=True)
    seconds = time.time() - start
    out = {}
    for k, req in enumerate(info["requests"]):
        out[k] = [(r[0], r[1]) for r in read_columns(os.path.join(cwd, req[3]))]
    return out, "3D-ICE run here (%.0f s)" % seconds


def cposim_histories(stk, info, args, work):
    """Import, add the T requests as probes, run; {request index: {t: T}}, summary figures."""
    name = os.path.relpath(stk, args.three_dice).replace("/", "_")[:-4]
    case = os.path.join(work, name + ".toml")
    cwd = os.path.join(args.three_dice, os.path.relpath(stk, args.three_dice).split("/")[0])
    subprocess.run([args.cposim, "import", "3dice", os.path.relpath(stk, cwd), "-o", case,
                    "--force"], cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    text = open(case).read()
    parsed = tomllib.loads(text)
    when = {r[4] for r in info["requests"]}
    interval = info["step"] if "step" in when else info["slot"]
    text = re.sub(r"output_interval_s = .*", "output_interval_s = %r" % interval, text)
    if args.max_cell_xy_um:  # another lateral cell cap than the importer's default
        text = re.sub(r"max_cell_xy_um = .*", "max_cell_xy_um = %r" % args.max_cell_xy_um, text)
    for k, (die, x, y, _, _) in enumerate(info["requests"]):
        if y is None:
            continue  # Tflpel: the block's region
        at = [cell_centre(x, info["cell"][0], info["chip"][0]),
              cell_centre(y, info["cell"][1], info["chip"][1]), source_z(parsed, die)]
        text += '\n[[output.probes]]\nname = "peer_T%d"\nat_um = [%r, %r, %r]\n' % (k, *at)
    with open(case, "w") as f:
        f.write(text)
    out = os.path.join(work, name)
    start = time.time()
    try:
        rc = subprocess.run([args.cposim, "run", case, "--out", out, "--threads",
                             str(args.threads), "--quiet"], cwd=work, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, timeout=args.timeout).returncode
    except subprocess.TimeoutExpired:
        return None, "timeout", time.time() - start
    seconds = time.time() - start
    rows = list(csv_rows(os.path.join(out, "probes.csv")))
    hist = {}
    for k, (target, what, y, _, _) in enumerate(info["requests"]):
        column = "peer_T%d_T_K" % k if y is not None else target + "_" + REGION_COLUMN[what]
        hist[k] = {float(r["t_s"]): float(r[column]) for r in rows}
    return hist, rc, seconds


def csv_rows(path):
    import csv
    with open(path) as f:
        yield from csv.DictReader(f)


def comparable(rel, run_3dice):
    """Whether threedice_transient compares the stack at `rel` (relative to the checkout)."""
    base = os.path.basename(rel)[:-4]
    return ("/transient/" in rel and base in SHIPPED) or \
        (rel == "bin/example_transient_nonuniform.stk" and run_3dice is not None)


def compare(stk, args, work):
    info = parse_stk(stk)
    peer, source = peer_histories(stk, info, args, work)
    mine, rc, seconds = cposim_histories(stk, info, args, work)
    if mine is None:
        return "no: over the %.0f s timeout" % seconds, "not compared", source
    parts = []
    for k, req in enumerate(info["requests"]):
        diffs = []
        for t, T_peer in peer[k]:
            match = [T for tc, T in mine[k].items() if abs(tc - t) <= 1e-6 * max(t, 1e-12)]
            if match:
                diffs.append(match[0] - T_peer)
        rise = max(T for _, T in peer[k]) - min(T for _, T in peer[k])
        label = "T(%s, %g, %g)" % req[:3] if req[2] is not None else "Tflpel(%s, %s)" % req[:2]
        if not diffs:
            parts.append(label + ": no matching times")
            continue
        worst = max(diffs, key=abs)
        parts.append("%s at %d times: mean %+.3f K, largest %+.3f K (3D-ICE swing %.1f K)" %
                     (label, len(diffs), sum(diffs) / len(diffs), worst, rise))
    return "exit %s, %.1f s" % (rc, seconds), "; ".join(parts), source


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--3dice", dest="three_dice", required=True)
    p.add_argument("--cposim", default="build/cases/cposim")
    p.add_argument("--run-3dice", default=None, help="the 3D-ICE-Emulator to run (else the "
                   "shipped output_*.txt is the reference)")
    p.add_argument("--work", default="/tmp/cposim_3dice_transient")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--timeout", type=float, default=900)
    p.add_argument("--max-cell-xy-um", type=float, default=None,
                   help="lateral cell cap of the cposim cases (default: the importer's)")
    p.add_argument("--only", type=lambda s: s.split(","), default=None)
    args = p.parse_args()
    args.cposim, args.work = os.path.abspath(args.cposim), os.path.abspath(args.work)
    args.three_dice = os.path.abspath(args.three_dice)
    os.makedirs(args.work, exist_ok=True)
    print("| model | cposim run | cposim − 3D-ICE at the same times | 3D-ICE's side |")
    print("|---|---|---|---|")
    stacks = ["bin/example_transient_nonuniform.stk"]
    for kind in ("solid", "mc2rm", "mc4rm", "pf2rm"):
        folder = os.path.join(args.three_dice, "test", kind, "transient")
        stacks += sorted("test/%s/transient/%s" % (kind, n) for n in os.listdir(folder)
                         if n.endswith(".stk"))
    for rel in stacks:
        if args.only and not any(o in rel for o in args.only):
            continue
        if not comparable(rel, args.run_3dice):
            print("| %s | – | – | no shipped output: needs --run-3dice |" % rel[:-4])
            continue
        run, result, source = compare(os.path.join(args.three_dice, rel), args, args.work)
        print("| %s | %s | %s | %s |" % (rel[:-4], run, result, source), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
