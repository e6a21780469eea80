"""Map layers: loading GeoJSON features, measuring them, and the border's geography."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import shapely
from pyproj import Geod
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

from geo.io import parse, read_json, record_name, records, rel
from geo.memo import PerObject
from geo.models import Dataset, Feature, FeatureProperties, Layer, Problem

GEOD = Geod(ellps="WGS84")
# Everything the atlas draws lies in this box (lon/lat): from Asaluyeh on the Gulf to Quetta.
REGION = (44.0, 20.0, 75.0, 40.0)
# From ../shared/docs/REFERENCE.md: the Afghanistan–Iran–Pakistan tripoint and the point
# where the border meets the sea at Gwatar Bay (lat, lon).
TRIPOINT = (29.86, 60.855)
GWATAR_COAST = (25.18, 61.585)
BORDER_END_TOLERANCE_KM = 10.0
# The border is measured on its 0.001°-simplified line (about 956 km; about 1,005 km at full
# detail): the range spans the sources' "about 900 km" and the published 909 and 959 km.
BORDER_LENGTH_RANGE_KM = (900.0, 970.0)
CROSSING_TOLERANCE_KM = 2.0
# Limits on one layer file, so that one huge but valid layer cannot make the map unusable
# (a 46 MB line once sent 92 MB to every reader and took the server from 240 MB to 1.1 GB).
# Today's largest layer is border.geojson: 43 KB and 950 vertices. The limits leave a margin of
# about 45x in size and 20x in vertices; a layer beyond them should be simplified first
# (e.g. `ogr2ogr -simplify 0.001` or shapely's simplify), which the problem line says.
MAX_LAYER_BYTES = 2_000_000
MAX_LAYER_VERTICES = 20_000
GEOMETRY_TYPES = {"Point", "LineString", "MultiLineString", "Polygon", "MultiPolygon"}


def geodesic_km(geom: BaseGeometry) -> float:
    """Length on the WGS84 ellipsoid, in km."""
    return GEOD.geometry_length(geom) / 1000


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Geodesic distance between two (lat, lon) points, in km."""
    return GEOD.inv(a[1], a[0], b[1], b[0])[2] / 1000


def distance_to_line_km(point: BaseGeometry, line: BaseGeometry) -> float:
    """Geodesic distance from a point to the nearest point of a line, in km."""
    nearest = nearest_points(line, point)[0]
    return distance_km((point.y, point.x), (nearest.y, nearest.x))


# Each feature's length, worked out once: the panel states it on every click on a line.
_LENGTHS = PerObject(limit=1000)


def measured_length_km(feature: Feature) -> float | None:
    """The geodesic length of a line feature, None for points and areas."""

    def length() -> float | None:
        if feature.geometry["type"] not in ("LineString", "MultiLineString"):
            return None
        return round(geodesic_km(shape(feature.geometry)), 1)

    return _LENGTHS.get(feature, None, length)


def geometry_problems(geometry: Any) -> list[tuple[str, str]]:
    """What is wrong with a GeoJSON geometry, as (field, message) pairs; empty when sound."""
    if not isinstance(geometry, dict) or geometry.get("type") not in GEOMETRY_TYPES:
        got = geometry.get("type") if isinstance(geometry, dict) else geometry
        return [("geometry.type", f"expected one of {sorted(GEOMETRY_TYPES)}, got {got!r:.60}")]
    shape_error = _coordinate_shape_error(geometry["type"], geometry.get("coordinates"))
    if shape_error:
        return [("geometry.coordinates", f"not a valid {geometry['type']}: {shape_error}")]
    try:
        geom = shape(geometry)
    except (ValueError, TypeError, AttributeError, IndexError, shapely.errors.ShapelyError) as exc:
        return [("geometry.coordinates", f"not a valid {geometry['type']}: {str(exc).strip()}")]
    if geom.is_empty:
        return [("geometry.coordinates", "geometry is empty")]
    if not geom.is_valid:
        return [("geometry", f"invalid geometry: {shapely.is_valid_reason(geom)}")]
    minx, miny, maxx, maxy = geom.bounds
    rx0, ry0, rx1, ry1 = REGION
    if minx < rx0 or maxx > rx1 or miny < ry0 or maxy > ry1:
        return [
            (
                "geometry.coordinates",
                f"outside the atlas region lon {rx0}..{rx1}, lat {ry0}..{ry1}: "
                f"bounds are lon {minx}..{maxx}, lat {miny}..{maxy}",
            )
        ]
    return []


def _is_position(p: Any) -> bool:
    return (
        isinstance(p, list)
        and len(p) in (2, 3)
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in p)
    )


def _coordinate_shape_error(kind: str, coords: Any) -> str | None:
    """Say what is wrong with the nesting of GeoJSON coordinates, in the maintainer's terms."""
    if kind == "Point":
        return None if _is_position(coords) else f"a Point needs [lon, lat], got {coords!r:.60}"
    lines = coords if kind in ("MultiLineString", "Polygon") else [coords]
    if kind == "MultiPolygon":
        lines = [ring for poly in coords for ring in poly] if isinstance(coords, list) else None
    if not isinstance(lines, list) or not all(isinstance(ln, list) for ln in lines):
        return f"coordinates are not nested as a {kind} needs, got {coords!r:.60}"
    for ln in lines:
        if not all(_is_position(p) for p in ln):
            return f"every position must be [lon, lat] numbers, got {ln!r:.60}"
        if len(ln) < 2:
            return f"a line needs at least 2 positions, got {len(ln)}"
    return None


def _count_positions(coords: Any) -> int:
    """How many [lon, lat] positions a GeoJSON coordinates array holds, at any nesting."""
    if not isinstance(coords, list) or not coords:
        return 0
    if not isinstance(coords[0], list):
        return 1  # a position: its members are numbers
    count, stack = 0, [coords]
    while stack:
        item = stack.pop()
        if not item:
            continue
        if isinstance(item[0], list):
            stack.extend(x for x in item if isinstance(x, list))
        else:
            count += 1
    return count


def load_layer(path: Path, root: Path, problems: list[Problem]) -> Layer | None:
    """Load one layer file; features with problems are reported and left out."""
    file = rel(path, root)
    try:
        size = path.stat().st_size
    except OSError:
        size = 0  # read_json names what is wrong with the file
    if size > MAX_LAYER_BYTES:
        problems.append(
            Problem(
                file,
                "-",
                "-",
                f"file is {size:,} bytes, more than the {MAX_LAYER_BYTES:,} a layer may have; "
                "simplify its geometry (the layer is left out)",
            )
        )
        return None
    data = read_json(path, root, problems)
    if data is None:
        return None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        problems.append(Problem(file, "-", "type", "expected a GeoJSON FeatureCollection"))
        return None
    vertices = sum(
        _count_positions(f.get("geometry", {}).get("coordinates"))
        for f in data.get("features") or []
        if isinstance(f, dict) and isinstance(f.get("geometry"), dict)
    )
    if vertices > MAX_LAYER_VERTICES:
        problems.append(
            Problem(
                file,
                "-",
                "features",
                f"{vertices:,} vertices, more than the {MAX_LAYER_VERTICES:,} a layer may have; "
                "simplify its geometry (the layer is left out)",
            )
        )
        return None
    name = data.get("name") if isinstance(data.get("name"), str) else path.stem
    features = []
    for i, raw in records(data, "features", file, problems):
        props = raw.get("properties")
        record = record_name(props if isinstance(props, dict) else {}, i)
        unknown = set(raw) - {"type", "properties", "geometry", "id"}
        if unknown:
            problems.append(Problem(file, record, "-", f"unknown members {sorted(unknown)}"))
            continue
        parsed = parse(FeatureProperties, props, file, record, problems, prefix="properties.")
        geo_problems = geometry_problems(raw.get("geometry"))
        problems += [Problem(file, record, f, m) for f, m in geo_problems]
        if parsed is not None and not geo_problems:
            features.append(Feature(parsed, raw["geometry"], name))
    return Layer(name, str(data.get("title") or name), file, tuple(features))


def border_problems(border: Feature, file: str) -> list[Problem]:
    """Check the border's measured length and where its two ends lie."""
    out = []
    line = shape(border.geometry)
    length = geodesic_km(line)
    lo, hi = BORDER_LENGTH_RANGE_KM
    if not lo <= length <= hi:
        out.append(
            Problem(
                file,
                border.id,
                "geometry",
                f"geodesic length {length:.1f} km is outside {lo}..{hi} km",
            )
        )
    if line.geom_type == "LineString":
        ends = [(c[1], c[0]) for c in (line.coords[0], line.coords[-1])]
        for label, target in (
            ("Kuh-i-Malik Siah tripoint", TRIPOINT),
            ("Gwatar Bay", GWATAR_COAST),
        ):
            nearest = min(distance_km(e, target) for e in ends)
            if nearest > BORDER_END_TOLERANCE_KM:
                out.append(
                    Problem(
                        file,
                        border.id,
                        "geometry",
                        f"no end within {BORDER_END_TOLERANCE_KM} km of the {label} {target}: "
                        f"nearest end is {nearest:.1f} km away",
                    )
                )
    return out


def crossing_problem(crossing: Feature, border: Feature, file: str) -> Problem | None:
    """A crossing must lie on the border line, within CROSSING_TOLERANCE_KM."""
    d = distance_to_line_km(shape(crossing.geometry), shape(border.geometry))
    if d > CROSSING_TOLERANCE_KM:
        return Problem(
            file,
            crossing.id,
            "geometry",
            f"crossing is {d:.1f} km from the border line (at most {CROSSING_TOLERANCE_KM} km allowed)",
        )
    return None


# The zoom beyond which the offline basemap is only enlarged (its tiles are drawn to zoom 8):
# finding a feature never goes past it, so the map it opens on is sharp and names its towns.
SHARP_ZOOM = 8
# The live map's size at 1280 × 800 (three fifths of the page, 640 px high), assumed until the
# map has reported its own.
MAP_PX = (700, 640)


def _merc(lat: float) -> float:
    """Web Mercator's y for a latitude, in radians (0 at the equator)."""
    return math.log(math.tan(math.pi / 4 + math.radians(max(-85.0, min(85.0, lat))) / 2))


def fit_zoom(
    bounds: tuple[float, float, float, float],
    size: tuple[float, float] = MAP_PX,
    padding: float = 48,
    max_zoom: float = SHARP_ZOOM,
    min_zoom: float = 4,
) -> float:
    """The largest zoom, in Leaflet's quarter steps, at which `bounds` (west, south, east, north)
    fits a map of `size` px with `padding` px all round; within [min_zoom, max_zoom]."""
    west, south, east, north = bounds
    room_x, room_y = max(size[0] - 2 * padding, 40), max(size[1] - 2 * padding, 40)
    zooms = []
    if east > west:
        zooms.append(math.log2(room_x * 360 / (256 * (east - west))))
    if north > south:
        zooms.append(math.log2(room_y * 2 * math.pi / (256 * (_merc(north) - _merc(south)))))
    zoom = min(zooms) if zooms else max_zoom
    return max(min_zoom, min(max_zoom, math.floor(zoom * 4) / 4))


def view_for(
    feature: Feature, size: tuple[float, float] = MAP_PX, max_zoom: float = SHARP_ZOOM
) -> tuple[tuple[float, float], float]:
    """The centre (lat, lon) and zoom that show a feature whole on a map of `size` px, never
    closer than `max_zoom` (a point is shown at it)."""
    geom = shape(feature.geometry)
    minx, miny, maxx, maxy = geom.bounds
    center = ((miny + maxy) / 2, (minx + maxx) / 2)
    return center, fit_zoom((minx, miny, maxx, maxy), size, max_zoom=max_zoom)


def view_bounds(
    center: tuple[float, float], zoom: float, size: tuple[float, float] = MAP_PX
) -> tuple[float, float, float, float]:
    """(west, south, east, north) that a map of `size` px shows at `center` (lat, lon), `zoom`."""
    lat, lon = center
    scale = 256 * 2**zoom
    half_lon = size[0] / 2 * 360 / scale
    y = _merc(lat)
    half_y = size[1] / 2 * 2 * math.pi / scale

    def lat_of(v: float) -> float:
        return math.degrees(2 * math.atan(math.exp(v)) - math.pi / 2)

    return (lon - half_lon, lat_of(y - half_y), lon + half_lon, lat_of(y + half_y))


def size_of(bounds: tuple[float, float, float, float], zoom: float) -> tuple[float, float]:
    """The size in px of a map showing `bounds` at `zoom`: what the map reports tells its size."""
    west, south, east, north = bounds
    scale = 256 * 2**zoom
    return (east - west) / 360 * scale, (_merc(north) - _merc(south)) / (2 * math.pi) * scale


def opening_features(features: list[Feature]) -> list[Feature]:
    """What the opening view frames: the border and the places on or near it (crossings,
    markets, ports), not the whole length of every route (those run on off the edge); all the
    features when none of those is shown."""
    framed = [f for f in features if f.props.kind == "border" or f.geometry["type"] == "Point"]
    return framed or features


_BOXES = PerObject(limit=16)


def feature_boxes(ds: Dataset) -> dict[str, list[list[float]]]:
    """Each feature's [[south, west], [north, east]] box, by id: worked out once per dataset."""

    def make() -> dict[str, list[list[float]]]:
        out = {}
        for f in ds.features:
            west, south, east, north = shape(f.geometry).bounds
            out[f.id] = [[south, west], [north, east]]
        return out

    return _BOXES.get(ds, None, make)


def bounds_of(features: list[Feature]) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """The [[south, west], [north, east]] box holding every feature, None for none."""
    if not features:
        return None
    boxes = [shape(f.geometry).bounds for f in features]
    minx = min(b[0] for b in boxes)
    miny = min(b[1] for b in boxes)
    maxx = max(b[2] for b in boxes)
    maxy = max(b[3] for b in boxes)
    return (miny, minx), (maxy, maxx)
