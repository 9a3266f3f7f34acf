"""check_vtk_files.py - reads a run's VTK XML files back with VTK's own XML readers (as shipped
with ParaView) and checks them against the run's summary.json.

    pvpython --no-mpi check_vtk_files.py OUT_DIR

OUT_DIR holds results.pvd, results.vtr, results_*.vtp and summary.json of `cposim run
--format hdf5,vtk`. Checks:
  * results.vtr (vtkXMLRectilinearGridReader): cell count and dimensions as in summary.json;
    the cell arrays temperature_K, power_density_W_per_m3, region_id; the temperature range
    equal to the regions' extreme T_min_K / T_max_K; region_id in [0, regions); the field
    array region_names equal to the region names; the power density integrated over the cell
    volumes (all *power_density_W_per_m3 arrays) equal to the power in.
  * every .vtp of the .pvd (vtkXMLPolyDataReader): points and cells present; line sets'
    T_K inside the grid's range; the hot-spot points' highest T_K equal to the grid's maximum.
  * results.pvd (vtkPVDReader): one named block per data set, the grid block's cell count.
Exit status 0 when everything holds, 1 otherwise (each failure printed).
"""
import json
import os
import sys
import xml.etree.ElementTree as ET

from vtkmodules.vtkCommonCore import vtkCommand
from vtkmodules.vtkIOXML import vtkXMLPolyDataReader, vtkXMLRectilinearGridReader
from paraview.modules.vtkPVVTKExtensionsIOCore import vtkPVDReader

failures = []


def check(ok, message):
    print(("ok:   " if ok else "FAIL: ") + message, flush=True)
    if not ok:
        failures.append(message)


def close(a, b, rel=1e-9):
    return abs(a - b) <= rel * max(abs(a), abs(b), 1e-300)


def read(reader_class, path):
    """Runs a VTK XML reader; returns its output and the error messages it raised."""
    errors = []
    reader = reader_class()
    reader.AddObserver(vtkCommand.ErrorEvent, lambda obj, ev: errors.append(ev))
    reader.SetFileName(path)
    reader.Update()
    return reader, reader.GetOutputDataObject(0), errors


def array_values(array):
    return [array.GetValue(i) for i in range(array.GetNumberOfValues())]


def main(out_dir):
    summary = json.load(open(os.path.join(out_dir, "summary.json")))
    regions = summary["regions"]
    nx, ny, nz = summary["grid"]["cells_per_axis"]
    cells = summary["grid"]["num_cells"]
    live = [r for r in regions if r["num_cells"] > 0]
    T_lo = min(r["T_min_K"] for r in live)
    T_hi = max(r["T_max_K"] for r in live)

    pvd_path = os.path.join(out_dir, "results.pvd")
    datasets = [d.attrib for d in ET.parse(pvd_path).getroot().iter("DataSet")]
    check(len(datasets) >= 1 and datasets[0]["file"] == "results.vtr",
          "results.pvd lists results.vtr first (%d data sets)" % len(datasets))

    # --- the grid ---------------------------------------------------------------------------
    _, grid, errors = read(vtkXMLRectilinearGridReader, os.path.join(out_dir, "results.vtr"))
    check(not errors, "results.vtr read without VTK errors")
    check(grid.GetNumberOfCells() == cells,
          "results.vtr has %d cells (summary: %d)" % (grid.GetNumberOfCells(), cells))
    check(tuple(grid.GetDimensions()) == (nx + 1, ny + 1, nz + 1),
          "results.vtr dimensions %s = cells per axis + 1" % (grid.GetDimensions(),))
    cd = grid.GetCellData()
    names = [cd.GetArrayName(i) for i in range(cd.GetNumberOfArrays())]
    for wanted in ("temperature_K", "power_density_W_per_m3", "region_id"):
        check(wanted in names, "cell array %s present (%s)" % (wanted, ", ".join(names)))
    T = cd.GetArray("temperature_K")
    if T is not None:
        lo, hi = T.GetRange()
        check(close(lo, T_lo) and close(hi, T_hi),
              "temperature_K range [%.9g, %.9g] K = regions' [%.9g, %.9g] K" % (lo, hi, T_lo, T_hi))
    region = cd.GetArray("region_id")
    if region is not None:
        lo, hi = region.GetRange()
        check(lo >= 0 and hi <= len(regions) - 1,
              "region_id range [%g, %g] within [0, %d]" % (lo, hi, len(regions) - 1))
    region_names = grid.GetFieldData().GetAbstractArray("region_names")
    check(region_names is not None and
          array_values(region_names) == [r["name"] for r in regions],
          "field array region_names = the regions of summary.json")

    # Power: power_density_W_per_m3 (all heat, device heat included) integrated = power in.
    xs, ys, zs = (grid.GetXCoordinates(), grid.GetYCoordinates(), grid.GetZCoordinates())
    dx = [xs.GetValue(i + 1) - xs.GetValue(i) for i in range(nx)]
    dy = [ys.GetValue(j + 1) - ys.GetValue(j) for j in range(ny)]
    dz = [zs.GetValue(k + 1) - zs.GetValue(k) for k in range(nz)]
    power = 0.0
    q = cd.GetArray("power_density_W_per_m3")
    if q is not None:
        c = 0
        for k in range(nz):
            for j in range(ny):
                area = dy[j] * dz[k]
                for i in range(nx):
                    power += q.GetValue(c) * dx[i] * area
                    c += 1
    power_in = summary["energy_balance"]["power_in_W"]
    check(close(power, power_in, 1e-6),
          "power density integrates to %.9g W (power in %.9g W)" % (power, power_in))

    # --- poly data --------------------------------------------------------------------------
    for d in datasets[1:]:
        path = os.path.join(out_dir, d["file"])
        _, poly, errors = read(vtkXMLPolyDataReader, path)
        check(not errors, "%s read without VTK errors" % d["file"])
        check(poly.GetNumberOfPoints() > 0 and poly.GetNumberOfCells() > 0,
              "%s: %d points, %d verts, %d lines" % (d["file"], poly.GetNumberOfPoints(),
                                                    poly.GetNumberOfVerts(),
                                                    poly.GetNumberOfLines()))
        if poly.GetNumberOfLines() > 0 and poly.GetCellData().GetArray("T_K") is not None:
            lo, hi = poly.GetCellData().GetArray("T_K").GetRange()
            check(T_lo - 1e-9 <= lo and hi <= T_hi + 1e-9,
                  "%s: T_K [%.6g, %.6g] K inside the grid's range" % (d["file"], lo, hi))
        if d["file"] == "results_hot_spots_spots.vtp":
            spot_T = poly.GetPointData().GetArray("T_K")
            check(spot_T is not None and close(spot_T.GetRange()[1], T_hi),
                  "hottest hot spot = the grid's maximum %.9g K" % T_hi)
            check(poly.GetPointData().GetAbstractArray("region") is not None,
                  "hot spots carry their region names")

    # --- the collection ---------------------------------------------------------------------
    _, blocks, errors = read(vtkPVDReader, pvd_path)
    check(not errors, "results.pvd read without VTK errors")
    check(blocks.GetNumberOfBlocks() == len(datasets),
          "results.pvd: %d blocks for %d data sets" % (blocks.GetNumberOfBlocks(), len(datasets)))
    block_names = [blocks.GetMetaData(i).Get(blocks.NAME())
                   for i in range(blocks.GetNumberOfBlocks())]
    check(block_names == [d.get("name") for d in datasets],
          "block names %s" % ", ".join(str(n) for n in block_names))
    if blocks.GetNumberOfBlocks() > 0:
        check(blocks.GetBlock(0).GetNumberOfCells() == cells, "the grid block has %d cells" % cells)

    print("check_vtk_files: %s: %s" % (out_dir, "OK" if not failures else
                                       "%d FAILED" % len(failures)), flush=True)
    return 0 if not failures else 1


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: pvpython --no-mpi check_vtk_files.py OUT_DIR", file=sys.stderr)
        os._exit(2)
    code = main(sys.argv[1])
    sys.stdout.flush()
    os._exit(code)  # pvpython: leave without the interpreter's teardown
