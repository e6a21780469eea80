"""The offline basemap's committed tiles, the border they are drawn with, and the map using them."""

from __future__ import annotations

import json
import math
import re
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect
from shapely.geometry import shape

from geo import basemap
from geo.layers import (
    BORDER_END_TOLERANCE_KM,
    CROSSING_TOLERANCE_KM,
    GWATAR_COAST,
    TRIPOINT,
    distance_km,
    distance_to_line_km,
    geodesic_km,
)
from geo.mapview import build_map
from tests.browser import ARTIFACTS_DIR, map_frame

ROOT = Path(__file__).resolve().parent.parent
BORDER = ROOT / "data" / "layers" / "border.geojson"
# The border is the maritime edge simplified at 0.001° (~100 m): about 956 km, 890 vertices
# (about 1,005 km at full detail, 901 km at 0.005°). A re-derivation at another resolution
# must move these on purpose.
BORDER_KM_AT_RESOLUTION = (945.0, 965.0)
BORDER_VERTICES = (700, 1100)
# Opening-view towns the reader must find (lat, lon): each one's zoom-6 tile must load.
TOWNS = {
    "Gwadar": (25.12, 62.33),
    "Quetta": (30.18, 67.00),
    "Zahedan": (29.50, 60.86),
    "Panjgur": (26.97, 64.09),
}


def tile_of(lat: float, lon: float, zoom: int) -> tuple[int, int]:
    """The Web Mercator (x, y) tile holding a point."""
    n = 2**zoom
    y = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
    return int((lon + 180) / 360 * n), int(y)


def border_line():
    (feature,) = json.loads(BORDER.read_text())["features"]
    return feature, shape(feature["geometry"])


def test_committed_tiles_match_their_recorded_checksums():
    assert basemap.tile_problems() == []
    tiles = list(basemap.TILES_DIR.rglob("*.jpg"))
    assert len(tiles) > 400
    assert sum(p.stat().st_size for p in tiles) < 6 * 2**20  # "a few MiB", stated in README


def test_a_changed_or_missing_tile_is_named(tmp_path):
    copy = tmp_path / "basemap"
    shutil.copytree(basemap.TILES_DIR, copy)
    z, x, y = 6, *tile_of(*TOWNS["Gwadar"], 6)
    changed = copy / f"{z}/{x}/{y}.jpg"
    changed.write_bytes(changed.read_bytes() + b"\0")
    (copy / "4/11/6.jpg").unlink()
    problems = basemap.tile_problems(copy)
    assert problems[0] == "4/11/6.jpg: recorded but missing"
    assert problems[1].startswith(f"{z}/{x}/{y}.jpg: expected sha256 ")
    assert len(problems) == 2


def test_every_tile_of_the_opening_view_is_committed():
    for lat, lon in TOWNS.values():
        for zoom in range(basemap.MIN_ZOOM, basemap.MAX_NATIVE_ZOOM + 1):
            x, y = tile_of(lat, lon, zoom)
            assert (basemap.TILES_DIR / f"{zoom}/{x}/{y}.jpg").is_file(), (zoom, x, y)


def test_border_is_one_line_from_the_tripoint_to_gwatar_bay():
    feature, line = border_line()
    assert line.geom_type == "LineString"
    start, end = (line.coords[0][1], line.coords[0][0]), (line.coords[-1][1], line.coords[-1][0])
    assert distance_km(start, TRIPOINT) < BORDER_END_TOLERANCE_KM
    assert distance_km(end, GWATAR_COAST) < BORDER_END_TOLERANCE_KM
    assert line.is_simple  # one edge walked once, not pieces chained end to end
    assert "Hamun-i-Mashkel" in feature["properties"]["geometry_source"]
    assert "joined" not in feature["properties"]["geometry_source"]  # no bridged gaps
    assert feature["properties"]["precision"] == "mapped"


def test_border_length_fits_its_resolution_and_is_stated_in_its_source():
    feature, line = border_line()
    length = geodesic_km(line)
    lo, hi = BORDER_KM_AT_RESOLUTION
    assert lo <= length <= hi
    assert BORDER_VERTICES[0] <= len(line.coords) <= BORDER_VERTICES[1]
    note = feature["properties"]["geometry_source"]
    assert f"{round(length, 1)} km" in note
    assert f"to {len(line.coords)} vertices" in note
    assert "909 km" in note and "959 km" in note


def test_every_crossing_lies_on_the_border(ds):
    _, line = border_line()
    crossings = [f for f in ds.features if f.props.kind == "crossing"]
    assert len(crossings) >= 4
    for c in crossings:
        assert distance_to_line_km(shape(c.geometry), line) <= CROSSING_TOLERANCE_KM, c.id


def test_offline_basemap_is_the_default_and_one_self_served_tile_layer(ds):
    m = build_map(ds, [layer.name for layer in ds.layers])
    html = m.get_root().render()
    tiles = [c for c in m._children.values() if type(c).__name__ == "TileLayer"]
    assert [t.tiles for t in tiles] == [basemap.TILE_URL]
    assert tiles[0].tiles.startswith("/app/static/basemap/")
    assert tiles[0].options["max_native_zoom"] == basemap.MAX_NATIVE_ZOOM
    # Only a URL template reaches the script: no tile bytes, no outside host.
    assert "base64" not in html
    assert not re.search(
        r"https?://(?!www\.openstreetmap\.org/copyright)", tiles[0].options["attribution"]
    )
    for licence in (
        "Natural Earth",
        "GeoNames (CC BY 4.0)",
        "OpenStreetMap",
        "ODbL",
        "MIT",
        "LGPL",
    ):
        assert licence in tiles[0].options["attribution"]


def test_outlines_basemap_stays_for_printing(ds):
    m = build_map(ds, [layer.name for layer in ds.layers], "outlines")
    assert not [c for c in m._children.values() if type(c).__name__ == "TileLayer"]
    assert '"fillColor": "#f4f1ea"' in m.get_root().render()


@pytest.mark.browser
def test_opening_view_draws_the_offline_tiles_with_every_outside_request_aborted(page, app_server):
    own = urlparse(app_server.url).netloc
    outside: list[str] = []

    def only_local(route):
        if urlparse(route.request.url).netloc == own:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.context.route("**/*", only_local)
    loaded: list[str] = []
    page.on(
        "response",
        lambda r: loaded.append(urlparse(r.url).path) if r.ok and "/basemap/" in r.url else None,
    )
    page.goto(app_server.url)
    frame = map_frame(page)
    tile_imgs = frame.locator("img.leaflet-tile-loaded[src*='/app/static/basemap/']")
    expect(tile_imgs.first).to_be_visible(timeout=30_000)
    # The tiles of the opening view, once the map has fitted it (the first tiles loaded may be
    # those of the view before the fit, which the fit then replaces: seen once in CI).
    frame.wait_for_function("() => window.__atlasOpened === true", timeout=30_000)
    zoom = frame.evaluate(
        f"() => Math.min(Math.round(window.map.getZoom()), {basemap.MAX_NATIVE_ZOOM})"
    )
    # The towns the opening view must name (their tiles carry the names): these two lie in
    # the border's frame whatever zoom the frame's width gives.
    for name in ("Zahedan", "Panjgur"):
        x, y = tile_of(*TOWNS[name], zoom)
        img = frame.locator(
            f"img.leaflet-tile-loaded[src$='/app/static/basemap/{zoom}/{x}/{y}.jpg']"
        )
        expect(img, f"the zoom-{zoom} tile with {name}").to_have_count(1, timeout=30_000)
        assert img.evaluate("i => i.naturalWidth") == 256
    assert len(loaded) >= 4 and all(p.startswith("/app/static/basemap/") for p in loaded)
    expect(frame.locator(".leaflet-control-attribution")).to_contain_text("GeoNames (CC BY 4.0)")
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    page.locator('iframe[title="streamlit_folium.st_folium"]').screenshot(
        path=ARTIFACTS_DIR / "basemap-opening-view.png"
    )
    assert outside == []
