"""The ground under a static map: the view's projection and fit, the coast and the edges
between countries, and where the sea and the countries are named.

Web Mercator, as the live map draws it, so that an image of the reader's view is the view.
"""

from __future__ import annotations

import math
from typing import Any

from shapely.geometry import GeometryCollection, MultiLineString, Point, shape
from shapely.ops import polylabel, unary_union

from geo.models import Dataset, Feature

Bounds = tuple[float, float, float, float]  # west, south, east, north in degrees
REGION = (50.0, 20.0, 75.0, 40.0)  # the locator inset's extent: the basemap's whole window


def opening_bounds(ds: Dataset) -> Bounds:
    """The map's opening view: the border's extent with a margin, as the live map opens."""
    border = next((f for f in ds.features if f.props.kind == "border"), None)
    if border is None:
        return (56.0, 23.0, 70.0, 32.0)
    west, south, east, north = shape(border.geometry).bounds
    pad_x, pad_y = (east - west) * 0.25, (north - south) * 0.15
    return (west - pad_x, south - pad_y, east + pad_x, north + pad_y)


def geo_lines(geometry: dict[str, Any]) -> tuple[list[float | None], list[float | None]]:
    """Longitudes and latitudes of every line or ring, separated by None for Plotly."""
    geom = shape(geometry)
    parts = []
    if geom.geom_type in ("LineString", "LinearRing"):
        parts = [geom]
    elif geom.geom_type == "MultiLineString":
        parts = list(geom.geoms)
    elif geom.geom_type == "Polygon":
        parts = [geom.exterior, *geom.interiors]
    elif geom.geom_type == "MultiPolygon":
        parts = [ring for poly in geom.geoms for ring in (poly.exterior, *poly.interiors)]
    lons: list[float | None] = []
    lats: list[float | None] = []
    for part in parts:
        xs, ys = part.xy
        lons += [*xs, None]
        lats += [*ys, None]
    return lons, lats


def visible(feature: Feature, bounds: Bounds) -> bool:
    west, south, east, north = bounds
    minx, miny, maxx, maxy = feature.bounds
    return maxx >= west and minx <= east and maxy >= south and miny <= north


def merc_y(lat: float) -> float:
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


def fit_aspect(bounds: Bounds, width: float, height: float) -> Bounds:
    """Widen the view (east-west or north-south) so it fills a `width` × `height` frame in Mercator."""
    west, south, east, north = bounds
    x_span, y_span = east - west, merc_y(north) - merc_y(south)
    if x_span / y_span < width / height:
        grow = (y_span * width / height - x_span) / 2
        return (west - grow, south, east + grow, north)
    y_mid, half = (merc_y(north) + merc_y(south)) / 2, x_span * height / width / 2

    def lat_of(y: float) -> float:
        return math.degrees(2 * math.atan(math.exp(math.radians(y))) - math.pi / 2)

    return (west, lat_of(y_mid - half), east, lat_of(y_mid + half))


def scale_bar(bounds: Bounds) -> tuple[float, float, float, int]:
    """A round length (km) about a fifth of the view's width, and where its ends and line sit."""
    west, south, east, north = bounds
    lat = south + (north - south) * 0.06
    km_per_degree = 111.32 * math.cos(math.radians(lat))
    target = (east - west) * km_per_degree / 5
    length = max((k for k in (10, 20, 25, 50, 100, 200, 250, 500, 1000) if k <= target), default=10)
    start = west + (east - west) * 0.04
    return start, start + length / km_per_degree, lat, length


_REGION_LINES: dict[int, tuple[Any, Any, Any]] = {}


def coast_and_edges(ds: Dataset, land: list, view: Bounds) -> tuple[Any, Any]:
    """The coast, and the edges between countries other than the atlas's own border (drawn from
    its data, more exactly than the 1:50m outlines, which would draw it twice and apart).

    Worked out once per loaded outlines (buffering the whole coast takes seconds), then cut to
    the view."""
    from shapely.geometry import box as sbox

    key = id(ds.context)
    cached = _REGION_LINES.get(key)
    if cached is None or cached[0] is not ds.context:
        if not land:
            return GeometryCollection(), GeometryCollection()
        coast = unary_union(land).boundary
        edges = unary_union([p.boundary for p in land]).difference(coast.buffer(0.02))
        border = next((f for f in ds.features if f.props.kind == "border"), None)
        if border is not None:
            edges = edges.difference(shape(border.geometry).buffer(0.2))
        cached = (ds.context, coast, edges)
        _REGION_LINES.clear()  # one dataset at a time: a data edit makes a new one
        _REGION_LINES[key] = cached
    window = sbox(*view).buffer(0.5)
    return only_lines(cached[1].intersection(window)), only_lines(cached[2].intersection(window))


def only_lines(geom: Any) -> Any:
    parts = [
        g
        for g in getattr(geom, "geoms", [geom])
        if g.geom_type in ("LineString", "MultiLineString")
    ]
    flat = [p for g in parts for p in getattr(g, "geoms", [g]) if not p.is_empty]
    return MultiLineString(flat) if flat else GeometryCollection()


SEA_SHARE = 0.02  # of the view's area: a sea with less water than this in view is not named
COUNTRY_SHARE = 0.004  # of the view's area: enough land to carry a country's name


def sea_points(ds: Dataset, land: list, view: Bounds) -> list[tuple[str, float, float]]:
    """(name, lon, lat) for each sea with a substantial stretch of water in view.

    The water in view is shared among the seas the atlas names, each taking the part nearer its
    own name point than any other's (so the Gulf of Oman gives way to the Arabian Sea off
    Jiwani); a sea is named at its own point when that lies in its water in view, else at the
    middle of its largest stretch. Each sea is named, not only the one whose point is in view."""
    from shapely import voronoi_polygons
    from shapely.geometry import MultiPoint
    from shapely.geometry import box as sbox

    seas = [p for p in ds.context.get("places", []) if p.get("properties", {}).get("kind") == "sea"]
    window = sbox(*view)
    water = window.difference(
        unary_union([p for p in land if p.intersects(window)] or [Point(0, 0)])
    )
    if not seas or water.is_empty:
        return []
    points = [Point(p["geometry"]["coordinates"][:2]) for p in seas]
    if len(points) == 1:
        cells = [sbox(-180, -90, 180, 90)]
    else:
        polys = list(voronoi_polygons(MultiPoint(points), extend_to=sbox(-180, -90, 180, 90)).geoms)
        cells = [next(c for c in polys if c.covers(pt)) for pt in points]
    out = []
    for sea, pt, cell in zip(seas, points, cells, strict=True):
        share = water.intersection(cell)
        if share.is_empty or share.area < window.area * SEA_SHARE:
            continue
        parts = [g for g in getattr(share, "geoms", [share]) if g.geom_type == "Polygon"]
        if not parts:
            continue
        if share.buffer(-0.1).contains(pt):
            at = pt
        else:
            at = polylabel(max(parts, key=lambda g: g.area), tolerance=0.02)
        out.append((sea["properties"]["name"], at.x, at.y))
    return out


def country_points(ds: Dataset, view: Bounds) -> list[tuple[str, float, float]]:
    """(name, lon, lat) for each country seen in the view: the atlas's name position when it is
    in view, else a point inside the part of the country that is."""
    from shapely.geometry import box as sbox

    named = {
        p["properties"]["name"]: p["geometry"]["coordinates"]
        for p in ds.context.get("places", [])
        if p.get("properties", {}).get("kind") == "country"
    }
    window = sbox(*view)
    out = []
    for c in ds.context.get("features", []):
        name = (c.get("properties") or {}).get("name") if isinstance(c, dict) else None
        if not name or "geometry" not in c:
            continue
        try:
            part = shape(c["geometry"]).intersection(window)
        except (ValueError, TypeError):
            continue
        if part.is_empty or part.area < window.area * COUNTRY_SHARE:
            continue  # a sliver of a country at the edge is not named
        at = named.get(name)
        if at is None or not part.buffer(-0.3).contains(Point(at)):
            parts = getattr(part, "geoms", [part])
            biggest = max(parts, key=lambda g: g.area)
            pt = (
                polylabel(biggest, tolerance=0.05)
                if biggest.geom_type == "Polygon"
                else biggest.representative_point()
            )
            at = (pt.x, pt.y)
        out.append((name, at[0], at[1]))
    return out
