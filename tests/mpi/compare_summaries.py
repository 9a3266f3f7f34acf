#!/usr/bin/env python3
"""compare_summaries.py REFERENCE.json OTHER.json [REL_TOL]

Compares the summary.json of a distributed run with the single-process run of the same case
(issue 20): region statistics, probes, hot spots, limits and verdict, energy balance. Every
temperature must agree to REL_TOL relative (default 1e-8, in kelvin), every count exactly,
every location exactly where the field is the same to that tolerance (a hottest cell that moves
to a neighbour because two cells tie within 1e-8 K is reported, not hidden). The distributed
run's energy balance must close to 1e-9 relative. Exit 0 when they agree, 1 otherwise.
"""
import json
import sys


def main():
    ref = json.load(open(sys.argv[1]))
    other = json.load(open(sys.argv[2]))
    tol = float(sys.argv[3]) if len(sys.argv) > 3 else 1e-8
    failures = []
    worst = 0.0

    def close(what, a, b):
        nonlocal worst
        if a is None or b is None:
            if a != b:
                failures.append(f"{what}: {a} vs {b}")
            return
        rel = abs(a - b) / max(abs(a), 1e-300)
        worst = max(worst, rel) if "T_" in what or what.endswith("T_K") else worst
        if rel > tol:
            failures.append(f"{what}: {a!r} vs {b!r} (relative {rel:.3g} > {tol:g})")

    def same(what, a, b):
        if a != b:
            failures.append(f"{what}: {a!r} vs {b!r}")

    same("grid cells", ref["grid"]["num_cells"], other["grid"]["num_cells"])
    same("verdict", ref["verdict"], other["verdict"])
    rr, ro = ref["regions"], other["regions"]
    same("region count", len(rr), len(ro))
    for a, b in zip(rr, ro):
        name = a["name"]
        same(f"{name} name", name, b["name"])
        same(f"{name} num_cells", a.get("num_cells"), b.get("num_cells"))
        for key in ("T_max_K", "T_mean_K", "T_min_K"):
            close(f"{name} {key}", a[key], b[key])
        for key in ("power_W", "volume_m3"):
            if key in a:
                close(f"{name} {key}", a[key], b[key])
        if "T_max_at_m" in a:
            same(f"{name} T_max_at_m", a["T_max_at_m"], b["T_max_at_m"])
    same("probe count", len(ref["probes"]), len(other["probes"]))
    for a, b in zip(ref["probes"], other["probes"]):
        close(f"probe {a['name']} T_K", a["T_K"], b["T_K"])
    same("hot spot count", len(ref["hot_spots"]), len(other["hot_spots"]))
    for a, b in zip(ref["hot_spots"], other["hot_spots"]):
        what = f"hot spot {a['region']} #{a['rank']}"
        same(what + " region", a["region"], b["region"])
        close(what + " T_K", a["T_K"], b["T_K"])
        same(what + " at_m", [a["x_m"], a["y_m"], a["z_m"]], [b["x_m"], b["y_m"], b["z_m"]])
    eb = other["energy_balance"]
    rel = abs(eb["relative"])
    if not rel <= 1e-9:
        failures.append(f"energy balance of {sys.argv[2]}: relative {rel:.3g} > 1e-9")
    close("power_in_W", ref["energy_balance"]["power_in_W"], eb["power_in_W"])
    print(f"{sys.argv[2]}: {len(rr)} regions, {len(ref['probes'])} probes, "
          f"{len(ref['hot_spots'])} hot spots; worst relative T difference {worst:.3g} "
          f"(tolerance {tol:g}); energy balance {rel:.3g}")
    for f in failures:
        print("  MISMATCH " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
