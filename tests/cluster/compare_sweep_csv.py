#!/usr/bin/env python3
"""compare_sweep_csv.py A.csv B.csv: the two sweep tables agree in every column but the
timings (solve_time_s, run_time_s): same header, same rows in the same order, numbers equal to
1e-12 relative (the same points run by the same executable are deterministic), text equal.
Prints the first difference; exit 1 if any."""
import csv
import math
import sys

TIMINGS = {"solve_time_s", "run_time_s"}
REL = 1e-12


def rows(path):
    with open(path, newline="") as f:
        return list(csv.reader(f))


a, b = rows(sys.argv[1]), rows(sys.argv[2])
if a[0] != b[0]:
    sys.exit(f"headers differ:\n{a[0]}\n{b[0]}")
if len(a) != len(b):
    sys.exit(f"{len(a) - 1} rows against {len(b) - 1}")
checked = 0
for r, (ra, rb) in enumerate(zip(a[1:], b[1:]), start=1):
    for name, x, y in zip(a[0], ra, rb):
        if name in TIMINGS:
            continue
        try:
            fx, fy = float(x), float(y)
        except ValueError:
            if x != y:
                sys.exit(f"row {r}, {name}: '{x}' against '{y}'")
            checked += 1
            continue
        if math.isnan(fx) and math.isnan(fy):
            checked += 1
            continue
        if not abs(fx - fy) <= REL * max(abs(fx), abs(fy)):
            sys.exit(f"row {r}, {name}: {x} against {y}")
        checked += 1
print(f"compare_sweep_csv: {len(a) - 1} rows, {checked} cells equal (timings left out)")
