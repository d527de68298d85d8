#!/usr/bin/env python3
"""Reference points for core::grids (tests/core_grids.rs, tests/e2e/grids.test.mjs).

Writes tests/fixtures/grids-reference.csv: ~50 WGS84 points over the region with
- Lambert-93 (EPSG:2154) from PROJ through pyproj (EPSG:4171 RGF93 geographic -> EPSG:2154,
  the projection alone; WGS84 is taken as RGF93/ETRS89, as the app does);
- the British National Grid (EPSG:27700 via OSTN15) from convertbng (it wraps lonlat_bng, Rust,
  with OSTN15). convertbng's lon/lat entry point refuses points east of 1.76896 E (its own
  bounding box of Great Britain, narrower than OSTN15's data, which reaches E 700 km of the
  National Grid: Calais, Gravelines); for every point the ETRS89 grid E, N are computed by PROJ
  (pyproj, the National Grid's transverse Mercator on GRS80) and shifted to OSGB36 by
  convertbng's convert_etrs89_to_osgb36 (OSTN15's bilinear shifts); the column bng_check says
  whether convertbng's own lon/lat conversion agreed (to 1 mm) where it answers.
  An empty bng_e/bng_n: OSTN15 has no data there (east of E 700 km, e.g. Dunkirk).

Usage: pip install --user pyproj==3.7.2 convertbng==2.0.0; python3 scripts/grids-reference.py
"""
import csv
import math
import os

import convertbng.cutil as cb
import pyproj

NAMED = [
    ("Calais ferry terminal", 1.8587, 50.9513),
    ("Calais town hall", 1.8531, 50.9520),
    ("Coquelles Eurotunnel terminal", 1.8083, 50.9267),
    ("Sangatte", 1.7520, 50.9450),
    ("Cap Blanc-Nez", 1.7150, 50.9290),
    ("Cap Gris-Nez", 1.5850, 50.8700),
    ("Wimereux", 1.6100, 50.7700),
    ("Boulogne-sur-Mer harbour", 1.5960, 50.7270),
    ("Gravelines", 2.1280, 50.9870),
    ("Dunkirk port (outside OSTN15)", 2.3768, 51.0343),
    ("Dunkirk east (outside OSTN15)", 2.4500, 51.0500),
    ("Bray-Dunes (outside OSTN15)", 2.5200, 51.0800),
    ("Dover Western Docks", 1.3125, 51.1250),
    ("Dover Eastern Docks", 1.3340, 51.1270),
    ("Dover Castle", 1.3214, 51.1295),
    ("Folkestone harbour", 1.1890, 51.0780),
    ("Folkestone Eurotunnel terminal", 1.1400, 51.0950),
    ("Hythe", 1.0830, 51.0720),
    ("Dungeness", 0.9750, 50.9140),
    ("Deal", 1.4030, 51.2230),
    ("Ramsgate harbour", 1.4190, 51.3280),
    ("Margate", 1.3860, 51.3890),
    ("Canterbury", 1.0800, 51.2800),
    ("Whitstable", 1.0250, 51.3600),
    ("Sheerness", 0.7600, 51.4400),
    ("Ashford", 0.8720, 51.1460),
    ("Mid-Strait", 1.5000, 51.0000),
    ("Varne bank", 1.3900, 50.9400),
    ("South Foreland", 1.3720, 51.1400),
    ("Strait, French traffic lane", 1.6500, 50.9500),
]


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = os.path.join(root, "tests", "fixtures", "grids-reference.csv")
    l93 = pyproj.Transformer.from_crs("EPSG:4171", "EPSG:2154", always_xy=True)
    tm = pyproj.Transformer.from_crs(
        "EPSG:4258",
        "+proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 +ellps=GRS80 +units=m +no_defs",
        always_xy=True,
    )
    points = list(NAMED)
    # A regular 5 x 4 lattice over Kent, the Strait and the French coast.
    for i in range(5):
        for j in range(4):
            lon = 0.8 + i * 0.35
            lat = 50.75 + j * 0.22
            points.append((f"lattice {i},{j}", round(lon, 4), round(lat, 4)))
    rows = []
    for name, lon, lat in points:
        x, y = l93.transform(lon, lat)
        e0, n0 = tm.transform(lon, lat)
        e, n = cb.convert_etrs89_to_osgb36([e0], [n0])
        e, n = float(e[0]), float(n[0])
        check = ""
        de, dn = cb.convert_bng([lon], [lat])
        if not math.isnan(de[0]) and not math.isnan(e):
            check = "agrees" if abs(de[0] - e) < 0.0015 and abs(dn[0] - n) < 0.0015 else "DIFFERS"
        elif math.isnan(de[0]):
            check = "outside convertbng bbox"
        bng = ("", "") if math.isnan(e) else (f"{e:.3f}", f"{n:.3f}")
        rows.append([name, f"{lon:.6f}", f"{lat:.6f}", f"{x:.4f}", f"{y:.4f}", *bng, check])
    with open(out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["name", "lon", "lat", "l93_x", "l93_y", "bng_e", "bng_n", "bng_check"])
        w.writerows(rows)
    print(f"{out}: {len(rows)} points")


if __name__ == "__main__":
    main()
