"""Front-end assets served by the app itself, so that no page ever needs a CDN.

Streamlit serves `./static` at `/app/static/`. Leaflet comes from the `xstatic-leaflet`
package (its version pinned by the lock file) and is copied there when missing or stale.
"""

from __future__ import annotations

import filecmp
import functools
import shutil
from pathlib import Path

import xstatic.pkg.leaflet as xleaflet

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
STATIC_URL = "/app/static"
LEAFLET_DIR = STATIC_DIR / "vendor" / "leaflet"


@functools.cache
def ensure_static_assets() -> Path:
    """Copy Leaflet into ./static/vendor/leaflet unless an identical copy is already there.

    Once per process: app.py calls it on every run, and the comparison reads both files.
    """
    src = Path(xleaflet.BASE_DIR)
    if not (LEAFLET_DIR / "leaflet.js").exists() or not filecmp.cmp(
        src / "leaflet.js", LEAFLET_DIR / "leaflet.js", shallow=False
    ):
        shutil.copytree(src, LEAFLET_DIR, dirs_exist_ok=True)
    return LEAFLET_DIR


LEAFLET_JS = f"{STATIC_URL}/vendor/leaflet/leaflet.js"
LEAFLET_CSS = f"{STATIC_URL}/vendor/leaflet/leaflet.css"
ATLAS_CSS = f"{STATIC_URL}/atlas-map.css"
