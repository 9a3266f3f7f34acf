#!/usr/bin/env python3
"""HotSpot example5 (microchannel layer) cell by cell: HotSpot's grid against cposim's field.

Reads HotSpot's `-grid_steady_file` (hotspot/reference/example5.grid.steady: per layer
"Layer L:" then "index<TAB>T_K", index = row * 39 + column, row 0 at the chip's top) and a
cposim run of the imported case (results.h5, read with h5dump), and prints per chip layer the
mean and the largest difference cposim − HotSpot at HotSpot's 39 × 39 cell centres (cposim's
cell containing that centre). In the microchannel layer HotSpot's solid cells are compared with
cposim's cavity-wall cells and its fluid cells with cposim's coolant (/cavities/fluid: one lane
per grid row across the flow, steps from the inlet).

    python3 benchmarks/peers/hotspot_example5_grid.py build/cases/cposim [--work DIR] [--case TOML]
"""
import argparse
import bisect
import os
import re
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLE = os.path.join(ROOT, "tests", "data", "import", "hotspot_examples", "example5")
GRID = os.path.join(ROOT, "benchmarks", "peers", "hotspot", "reference", "example5.grid.steady")
NETWORK = os.path.join(EXAMPLE, "microchannel_geometries", "horizontal.csv")
N = 39            # HotSpot's -grid_rows, -grid_cols
CELL_M = 200e-6   # 7.8 mm / 39
LAYER_Z_M = [(0, 100e-6), (100e-6, 200e-6), (200e-6, 290e-6), (290e-6, 300e-6), (300e-6, 700e-6)]


def h5(path, dataset):
    """A numeric dataset of an HDF5 file as a flat list (h5dump's text output)."""
    out = subprocess.run(["h5dump", "-d", dataset, "-y", "-w", "0", "-m", "%.12g", path],
                         capture_output=True, text=True, check=True).stdout
    body = out[out.index("DATA {") + len("DATA {"):]
    body = body[:body.index("}")]
    return [float(v) for v in re.split(r"[,\s]+", body) if v]


def hotspot_grid():
    layers, current = {}, None
    with open(GRID) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 2 and parts[0] == "Layer":
                current = int(parts[1].rstrip(":"))
                layers[current] = {}
            elif len(parts) == 2:
                layers[current][int(parts[0])] = float(parts[1])
    return layers


def stats(diffs):
    return sum(diffs) / len(diffs), max(diffs, key=abs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cposim")
    ap.add_argument("--work", default="/tmp/cposim_hotspot_example5")
    ap.add_argument("--case", help="run this case instead of importing example5 afresh")
    args = ap.parse_args()
    args.cposim = os.path.abspath(args.cposim)
    os.makedirs(args.work, exist_ok=True)
    case = os.path.abspath(args.case) if args.case else os.path.join(args.work, "example5.toml")
    if not args.case:
        subprocess.run([args.cposim, "import", "hotspot", "--lcf", "example.lcf", "--ptrace",
                    "example.ptrace", "--config", "example.config", "--materials",
                        "example.materials", "-o", case, "--force"], cwd=EXAMPLE, check=True,
                       capture_output=True)
    out = os.path.join(args.work, "results")
    subprocess.run([args.cposim, "run", case, "--out", out, "--threads", "1", "--quiet"],
                   check=True)
    res = os.path.join(out, "results.h5")
    xs, ys, zs = (h5(res, "/mesh/%s_nodes_m" % a) for a in "xyz")
    T = h5(res, "/fields/temperature_K")  # [z][y][x]
    nx, ny = len(xs) - 1, len(ys) - 1

    def cell(x, y, z):
        return (bisect.bisect(zs, z) - 1, bisect.bisect(ys, y) - 1, bisect.bisect(xs, x) - 1)

    def T_at(k, j, i):
        return T[(k * ny + j) * nx + i]

    def T_centre(x, y, z):
        """T at a HotSpot cell centre; on a grid plane, the mean of the cells either side."""
        k, j, i = cell(x, y, z)
        on_plane = j > 0 and abs(ys[j] - y) < 1e-12
        return 0.5 * (T_at(k, j, i) + T_at(k, j - 1, i)) if on_plane else T_at(k, j, i)

    # Lanes are the grid rows of the cavity's extent (origin_um, when the network has solid
    # margins), lane 0 the lowest.
    with open(case) as f:
        text = f.read()
    extent = re.search(r"\[\[cavities\]\][^\[]*?origin_um = \[([-\d.e]+), ([-\d.e]+)\]", text)
    origin_y = float(extent.group(2)) * 1e-6 if extent else 0.0
    first_lane = bisect.bisect_left(ys, origin_y - 1e-12)
    lanes, steps = h5(res, "/cavities/fluid/lane"), h5(res, "/cavities/fluid/step")
    fluid = {(int(a), int(s)): t for a, s, t in zip(lanes, steps, h5(res, "/cavities/fluid/fluid_T_K"))}
    with open(NETWORK) as f:
        types = [[int(v) for v in re.split(r"[,\s]+", line.strip()) if v] for line in f if line.strip()]
    hs = hotspot_grid()
    edge = [T_centre((c + 0.5) * CELL_M, 0.5 * CELL_M, 0.5 * (z0 + z1)) - hs[layer][(N - 1) * N + c]
            for layer, (z0, z1) in enumerate(LAYER_Z_M) for c in range(N)]
    print("edge row y < 200 µm, all layers: mean %+.3f K, largest %+.3f K" % stats(edge))
    print("| layer | cells | cposim − HotSpot: mean | largest |")
    print("|---|---|---|---|")
    for layer, (z0, z1) in enumerate(LAYER_Z_M):
        solid, liquid = [], []
        for r in range(N):
            for c in range(N):
                x, y = (c + 0.5) * CELL_M, (N - 1 - r + 0.5) * CELL_M
                k, j, i = cell(x, y, 0.5 * (z0 + z1))
                peer = hs[layer][r * N + c]
                if layer == 1 and types[r][c] != 0:
                    # The coolant flows along -x: step 0 is the last column (the inlet).
                    liquid.append(fluid[(j - first_lane, nx - 1 - i)] - peer)
                else:
                    solid.append(T_centre(x, y, 0.5 * (z0 + z1)) - peer)
        mean, worst = stats(solid)
        name = "layer %d%s" % (layer, " walls" if layer == 1 else "")
        print("| %s | %d | %+.3f K | %+.3f K |" % (name, len(solid), mean, worst))
        if liquid:
            mean, worst = stats(liquid)
            print("| layer 1 coolant | %d | %+.3f K | %+.3f K |" % (len(liquid), mean, worst))


if __name__ == "__main__":
    main()
