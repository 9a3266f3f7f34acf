#!/usr/bin/env python3
"""check_ranges.py - compares the array ranges ParaView reported (pvcheck.py --json) with the
run's summary.json. Plain python3, no ParaView needed.

    check_ranges.py PVCHECK.json SUMMARY.json

Requires: the cell count of summary.json; temperature_K from the regions' lowest T_min_K to
their highest T_max_K (relative 1e-9); region_id within [0, regions - 1] and reaching
regions - 1 only if that region has cells; power_density_W_per_m3 ≥ 0 with a maximum > 0 when
power goes in; every cell array finite. Exit 0 if all hold, 1 otherwise.
"""
import json
import math
import sys


def main(pv_path, summary_path):
    pv = json.load(open(pv_path))
    summary = json.load(open(summary_path))
    arrays = {a["name"]: a["range"] for a in pv["per_time"][-1]["arrays"] if a["assoc"] == "CELLS"}
    failures = []

    def check(ok, message):
        print("check_ranges: %s %s" % ("ok:  " if ok else "FAIL:", message))
        if not ok:
            failures.append(message)

    cells = summary["grid"]["num_cells"]
    check(pv["cells"] == cells, "%d cells (summary.json: %d)" % (pv["cells"], cells))
    live = [r for r in summary["regions"] if r["num_cells"] > 0]
    T_lo = min(r["T_min_K"] for r in live)
    T_hi = max(r["T_max_K"] for r in live)
    if "temperature_K" in arrays:
        lo, hi = arrays["temperature_K"]
        rel = lambda a, b: abs(a - b) <= 1e-9 * max(abs(a), abs(b))  # noqa: E731
        check(rel(lo, T_lo) and rel(hi, T_hi),
              "temperature_K [%.9g, %.9g] K = regions' [%.9g, %.9g] K" % (lo, hi, T_lo, T_hi))
    else:
        check(False, "no temperature_K cell array")
    if "region_id" in arrays:
        lo, hi = arrays["region_id"]
        last = max(i for i, r in enumerate(summary["regions"]) if r["num_cells"] > 0)
        check(lo >= 0 and hi == last, "region_id [%g, %g], last region with cells %d" % (lo, hi, last))
    if "power_density_W_per_m3" in arrays:
        lo, hi = arrays["power_density_W_per_m3"]
        powered = summary["energy_balance"]["power_in_W"] > 0
        check(lo >= 0 and (hi > 0) == powered,
              "power_density_W_per_m3 [%.6g, %.6g] W/m³" % (lo, hi))
    for name, (lo, hi) in sorted(arrays.items()):
        check(math.isfinite(lo) and math.isfinite(hi) and lo <= hi,
              "%s range [%.6g, %.6g] finite" % (name, lo, hi))
    return 0 if not failures else 1


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print("usage: check_ranges.py PVCHECK.json SUMMARY.json", file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
