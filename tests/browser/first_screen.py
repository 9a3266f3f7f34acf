#!/usr/bin/env python3
"""Checks the first screen of report.html as Chromium drew it (issue 23 item 10): the verdict
banner (the pass green or fail red of .overall in report_dashboard.cpp) sits near the top, and
the main temperature map (an image of many colours) sits in the right half of the same screen.
Usage: first_screen.py SCREENSHOT.png. Pure Python (zlib): decodes 8-bit RGB/RGBA PNGs."""
import struct
import sys
import zlib


def read_png(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour in (2, 6) and interlace == 0, "unsupported PNG"
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append([tuple(line[x * bpp:x * bpp + 3]) for x in range(width)])
        prev = line
    return width, height, rows


def main():
    width, height, rows = read_png(sys.argv[1])
    banner = {(190, 230, 190), (240, 190, 186)}  # .overall.pass / .overall.fail backgrounds
    banner_px = sum(1 for y in range(min(height, 300)) for px in rows[y] if px in banner)
    colours = {px for y in range(0, min(height, 700), 2) for px in rows[y][width // 2:width:2]}
    print(f"first screen {width}x{height}: {banner_px} banner pixels in the top 300 rows, "
          f"{len(colours)} colours in the right half")
    ok = banner_px > 5000 and len(colours) > 100
    print("ok" if ok else "FAIL: the verdict banner or the main map is not on the first screen")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
