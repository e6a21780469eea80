"""The offline basemap: JPEG tiles rendered once by scripts/make_basemap.py, served by the app.

Streamlit serves ./static at /app/static/, so the map asks the app itself for every tile and
works on a closed network. Only a URL template reaches the map script; the tiles are fetched by
Leaflet as images and cached by the browser, never re-sent with a rerun.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from geo.assets import STATIC_DIR, STATIC_URL

TILES_DIR = STATIC_DIR / "basemap"
CHECKSUMS = TILES_DIR / "SHA256SUMS"
TILE_URL = f"{STATIC_URL}/basemap/{{z}}/{{x}}/{{y}}.jpg"
# Rendered zooms; Leaflet enlarges the zoom-8 tiles beyond that.
MIN_ZOOM = 4
MAX_NATIVE_ZOOM = 8
# (south, west), (north, east): no tile is asked for outside the rendered window.
BOUNDS = ((20.0, 50.0), (40.0, 75.0))
# Short, so that it does not cover the map; PROVENANCE.md beside the tiles has the details.
ATTRIBUTION = (
    "© OpenStreetMap contributors (ODbL) · places GeoNames (CC BY 4.0) · "
    "provinces Natural Earth (public domain) · relief shadedrelief.com (MIT) · rivers GSHHG (LGPL)"
)


def recorded_checksums(path: Path = CHECKSUMS) -> dict[str, str]:
    """Each tile's path (relative to the tiles folder) and its recorded SHA-256."""
    out = {}
    for n, line in enumerate(path.read_text().splitlines(), 1):
        digest, sep, name = line.partition("  ")
        if not sep or len(digest) != 64:
            raise ValueError(f"{path}:{n}: expected '<sha256>  <tile path>', got {line!r}")
        out[name] = digest
    return out


def tile_problems(tiles_dir: Path = TILES_DIR) -> list[str]:
    """Tiles missing, changed or unrecorded against SHA256SUMS; empty when all match."""
    recorded = recorded_checksums(tiles_dir / "SHA256SUMS")
    present = {p.relative_to(tiles_dir).as_posix(): p for p in tiles_dir.rglob("*.jpg")}
    problems = [f"{name}: recorded but missing" for name in sorted(set(recorded) - set(present))]
    problems += [f"{name}: not recorded" for name in sorted(set(present) - set(recorded))]
    for name in sorted(set(recorded) & set(present)):
        actual = hashlib.sha256(present[name].read_bytes()).hexdigest()
        if actual != recorded[name]:
            problems.append(f"{name}: expected sha256 {recorded[name]}, got {actual}")
    return problems
