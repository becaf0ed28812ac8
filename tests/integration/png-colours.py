#!/usr/bin/python3
# png-colours.py FILE.png [LABEL=RRGGBB]...: read a PNG (8-bit RGB or
# RGBA, not interlaced, as Chromium writes them) with nothing but zlib,
# and check that it is not blank (many colours) and that each colour
# given is in it (within a few levels: anti-aliasing and colour
# management). Exit 0, or 1 saying what is missing.
import struct
import sys
import zlib


def pixels(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit("%s: not a PNG" % path)
    pos, idat = 8, b""
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    if depth != 8 or ctype not in (2, 6) or interlace:
        sys.exit("%s: depth %d, colour type %d, interlace %d: not handled" %
                 (path, depth, ctype, interlace))
    bpp = 3 if ctype == 2 else 4
    raw, stride = zlib.decompress(idat), w * bpp
    prev, out = bytearray(stride), []
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pr = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + pr) & 255
        out.append(bytes(line))
        prev = line
    return w, h, bpp, out


def main():
    w, h, bpp, rows = pixels(sys.argv[1])
    colours = {}
    for row in rows:
        for x in range(0, len(row), bpp):
            rgb = row[x:x + 3]
            colours[rgb] = colours.get(rgb, 0) + 1
    print("%s: %dx%d, %d colours" % (sys.argv[1], w, h, len(colours)))
    bad = 0
    if len(colours) < 50:
        print("  blank or nearly: %d colours" % len(colours))
        bad = 1
    for arg in sys.argv[2:]:
        label, hexa = arg.rsplit("=", 1)
        want = bytes.fromhex(hexa)
        n = sum(k for c, k in colours.items()
                if max(abs(c[i] - want[i]) for i in range(3)) <= 6)
        print("  %s (#%s): %d pixels" % (label, hexa, n))
        if n < 10:
            bad = 1
    sys.exit(bad)


main()
