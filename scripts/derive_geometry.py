"""Derive the atlas's border line and basemap outlines from public data, once.

Run by a maintainer (it needs the npm registry), never by the app or the tests:

    uv run python scripts/derive_geometry.py

It fetches two npm packages with `npm pack`, then writes
- data/layers/border.geojson: the Iran–Pakistan boundary shared by the OSM-derived
  `@geo-maps/countries-land-100m` polygons of IRN and PAK (ODbL);
- data/context/countries.geojson: Natural Earth 1:50m country outlines around the border
  (public domain), for the offline basemap.

The derived files are committed with their provenance, so nothing is fetched at run time.
"""

from __future__ import annotations

import json
import subprocess
import tarfile
import tempfile
from pathlib import Path

import geopandas as gpd
import shapely
from pyproj import Geod
from shapely.geometry import LineString, box, mapping, shape
from shapely.ops import linemerge

ROOT = Path(__file__).resolve().parent.parent
BORDER_PACKAGE = "@geo-maps/countries-land-100m@0.6.0"
CONTEXT_PACKAGE = "world-atlas@2.0.2"
# Shared edges of two independently generalised polygons do not coincide exactly;
# 0.005° (~500 m) keeps Pakistan's edge where it runs along Iran's and nothing else.
SHARED_EDGE_TOLERANCE_DEG = 0.005
# The basemap window: every country touching it is drawn, clipped to it.
CONTEXT_BBOX = (50.0, 20.0, 75.0, 40.0)
# About a pixel at the zooms the atlas opens at: finer detail only costs bytes on every rerun.
CONTEXT_SIMPLIFY_DEG = 0.012
GEOD = Geod(ellps="WGS84")


def npm_pack(spec: str, into: Path) -> Path:
    """Download one npm package tarball and unpack it; return its folder."""
    out = subprocess.run(
        ["npm", "pack", spec, "--json"], cwd=into, check=True, capture_output=True, text=True
    )
    filename = json.loads(out.stdout)[0]["filename"]
    target = into / spec.replace("/", "_")
    with tarfile.open(into / filename) as tar:
        tar.extractall(target, filter="data")
    return target / "package"


def chain(parts: list[LineString]) -> tuple[LineString, list[float]]:
    """Join line pieces end to end, nearest end first, bridging gaps with straight segments.

    Returns the joined line and the geodesic length in km of every bridge added.
    """
    remaining = list(parts)
    # Start from the northernmost end: the tripoint.
    start = max(remaining, key=lambda p: max(p.coords[0][1], p.coords[-1][1]))
    remaining.remove(start)
    coords = list(start.coords)
    if coords[0][1] < coords[-1][1]:
        coords.reverse()
    bridges = []
    while remaining:
        tail = coords[-1]

        def gap(p: LineString, tail=tail) -> float:
            return min(_dist_km(tail, p.coords[0]), _dist_km(tail, p.coords[-1]))

        nxt = min(remaining, key=gap)
        remaining.remove(nxt)
        seg = list(nxt.coords)
        if _dist_km(tail, seg[-1]) < _dist_km(tail, seg[0]):
            seg.reverse()
        bridges.append(_dist_km(tail, seg[0]))
        coords.extend(seg)
    return LineString(coords), bridges


def _dist_km(a, b) -> float:
    return GEOD.inv(a[0], a[1], b[0], b[1])[2] / 1000


def derive_border(package_dir: Path) -> dict:
    """Return the border as a GeoJSON Feature with its provenance."""
    data = json.loads((package_dir / "map.geo.json").read_text())
    polys = {
        f["properties"]["A3"]: shape(f["geometry"])
        for f in data["features"]
        if f["properties"].get("A3") in ("IRN", "PAK")
    }
    shared = polys["PAK"].boundary.intersection(polys["IRN"].buffer(SHARED_EDGE_TOLERANCE_DEG))
    merged = linemerge(shared)
    parts = [p for p in getattr(merged, "geoms", [merged]) if p.length > 0]
    line, bridges = chain(parts)
    line = LineString([(round(x, 5), round(y, 5)) for x, y in line.coords])
    return {
        "line": line,
        "pieces": len(parts),
        "bridges_km": [round(b, 2) for b in bridges],
        "length_km": round(GEOD.geometry_length(line) / 1000, 1),
    }


def derive_context(package_dir: Path) -> dict:
    """Return Natural Earth 1:50m country outlines clipped to the basemap window."""
    world = gpd.read_file(package_dir / "countries-50m.json", layer="countries")
    window = box(*CONTEXT_BBOX)
    near = world[world.intersects(window)].copy()
    near["geometry"] = near.geometry.intersection(window)
    features = []
    for _, row in near.sort_values("name").iterrows():
        geom = shapely.set_precision(
            row.geometry.simplify(CONTEXT_SIMPLIFY_DEG, preserve_topology=True), 0.001
        )
        features.append(
            {
                "type": "Feature",
                "properties": {"id": f"country-{row['id']}", "name": row["name"]},
                "geometry": json.loads(json.dumps(mapping(geom), default=float)),
            }
        )
    return {
        "type": "FeatureCollection",
        "name": "context",
        "provenance": {
            "dataset": "Natural Earth 1:50m admin-0 countries, as packaged in npm "
            f"{CONTEXT_PACKAGE} (countries-50m.json, TopoJSON)",
            "licence": "Public domain (Natural Earth); packaging ISC (world-atlas)",
            "processing": f"countries intersecting {CONTEXT_BBOX} clipped to it, simplified "
            f"with a {CONTEXT_SIMPLIFY_DEG}° tolerance, coordinates on a 0.001° grid",
            "script": "scripts/derive_geometry.py",
        },
        "features": features,
    }


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        border = derive_border(npm_pack(BORDER_PACKAGE, tmpdir))
        context = derive_context(npm_pack(CONTEXT_PACKAGE, tmpdir))
    (ROOT / "data" / "context" / "countries.geojson").write_text(
        json.dumps(context, ensure_ascii=False) + "\n"
    )
    border_path = ROOT / "data" / "layers" / "border.geojson"
    collection = json.loads(border_path.read_text())
    (feature,) = collection["features"]
    feature["geometry"] = mapping(border["line"])
    feature["properties"]["geometry_source"] = (
        f"OpenStreetMap-derived country polygons of npm {BORDER_PACKAGE} (100 m resolution): "
        f"Pakistan's edge within {SHARED_EDGE_TOLERANCE_DEG}° of Iran's polygon, "
        f"{border['pieces']} pieces joined by straight segments of {border['bridges_km']} km "
        "where the land-only data leaves out water (Hamun-i-Mashkel). "
        "© OpenStreetMap contributors, ODbL 1.0. Derived by scripts/derive_geometry.py."
    )
    border_path.write_text(json.dumps(collection, ensure_ascii=False, indent=1) + "\n")
    print(
        f"border: {border['pieces']} pieces, bridges {border['bridges_km']} km, "
        f"{len(border['line'].coords)} vertices, {border['length_km']} km"
    )
    print(f"context: {len(context['features'])} countries")


if __name__ == "__main__":
    main()
