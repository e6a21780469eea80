"""The brief's images: the map of its features and its charts, each with its source line, and
their rendering, the one place a brief calls Chromium (geo/pngexport.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from shapely.geometry import shape

from geo.briefmodel import Brief, Image
from geo.chartlayout import cited_figure
from geo.charts import Chart
from geo.credits import source_line
from geo.models import Dataset, Feature

# A brief prints its images 174 mm (493 pt) wide (geo/briefpdf.py, geo/briefdocx.py). They are
# laid out at about that size in CSS px, so that the renderer's 13-14 px text prints at 7-8 pt
# (the map's 1800 px export printed its town names at 3.5 pt and its footer at 3 pt), and
# rendered at twice that in device pixels (about 260 dpi), sharp on paper.
PRINTED_PT = 174 / 25.4 * 72
BRIEF_MAP_SIZE = (900, 920)
BRIEF_CHART_SIZE = (900, 560)
BRIEF_SCALE = 2.0


def map_image(ds: Dataset, features: list[Feature], on: date, title: str | None = None) -> Image:
    """The cited map of these features (the one call into the map renderer, geo/mapimage.py),
    headed `title` (a topic's name) or else the renderer's own title."""
    from geo.mapbase import opening_bounds
    from geo.mapimage import map_figure

    layers = list(dict.fromkeys(["border", *(f.layer for f in features)]))
    bounds = opening_bounds(ds)
    drawn = [f for f in features if f.props.kind != "border"]
    if drawn:
        w, s, e, n = shape(
            {"type": "GeometryCollection", "geometries": [f.geometry for f in drawn]}
        ).bounds
        # A margin of a third around the features, and at least about 2° across, so that a
        # point still shows the border and the towns around it.
        pad_x, pad_y = max((e - w) / 3, 1.0), max((n - s) / 3, 0.8)
        bounds = (w - pad_x, s - pad_y, e + pad_x, n + pad_y)
    # One feature: the renderer's own selection (halo, bold name); several: the brief's band.
    one = drawn[0].id if len(drawn) == 1 else None
    named = {"title": title} if title else {}
    image = map_figure(ds, layers, bounds, on, selected=one, size=BRIEF_MAP_SIZE, **named)
    if one is None:
        _halo(image.figure, drawn)
    names = (
        ", ".join(f.props.name for f in features)
        if len(features) <= 4
        else f"{len(features)} features"
    )
    line = "Sources of the features drawn: " + "; ".join(
        ds.sources[s].meta.reference() if s in ds.sources else s for s in image.source_ids
    )
    return Image("map", f"Map: {names}", line + ".", image.figure, BRIEF_MAP_SIZE, BRIEF_SCALE)


HALO = "rgba(255, 193, 7, 0.55)"


def _halo(fig: Any, features: list[Feature]) -> None:
    """Mark the brief's features on the map with a wide amber band under the symbols, named in
    the legend, so that a reader sees which of the features drawn the brief is about."""
    import plotly.graph_objects as go

    from geo.mapbase import geo_lines

    lons: list[float | None] = []
    lats: list[float | None] = []
    points = []
    for f in features:
        if f.geometry["type"] == "Point":
            points.append(f.geometry["coordinates"][:2])
        else:
            x, y = geo_lines(f.geometry)
            lons += x
            lats += y
    added = []
    if lons:
        added.append(go.Scattergeo(
            lon=lons, lat=lats, mode="lines", line={"color": HALO, "width": 16}, hoverinfo="skip",
            name="what this brief is about", showlegend=True, meta="brief-halo"))  # fmt: skip
    if points:
        added.append(go.Scattergeo(
            lon=[p[0] for p in points], lat=[p[1] for p in points], mode="markers",
            marker={"size": 34, "color": HALO}, hoverinfo="skip", name="what this brief is about",
            showlegend=not lons, meta="brief-halo"))  # fmt: skip
    # Under the atlas's own symbols: just above the basemap outlines and labels.
    base = [t for t in fig.data if t.meta in ("basemap", "country-labels")]
    rest = [t for t in fig.data if t.meta not in ("basemap", "country-labels")]
    fig.data = ()
    for t in [*base, *added, *rest]:
        fig.add_trace(t)


def chart_image(ds: Dataset, chart: Chart, on: date) -> Image:
    width, height = BRIEF_CHART_SIZE
    figure = cited_figure(ds, chart, on, width=width, height=height)
    return Image(
        chart.id, chart.title, source_line(ds, chart), figure, BRIEF_CHART_SIZE, BRIEF_SCALE
    )


def render_images(brief: Brief, *, missing_ok: bool = False) -> Brief:
    """Render every image of the brief to PNG through the export browser (geo/pngexport.py).

    Raises geo.pngexport.ExportUnavailable when Chromium is missing or fails; with
    `missing_ok`, the brief goes without its images instead and says why.
    """
    from geo.pngexport import ExportUnavailable, render_image

    def render(i: Image) -> bytes:
        return render_image(i.figure, *i.size, i.scale)

    try:
        brief.images = [
            Image(i.id, i.title, i.source_line, i.figure, i.size, i.scale, render(i))
            for i in brief.images
        ]
    except ExportUnavailable as exc:
        if not missing_ok:
            raise
        brief.images = []
        brief.images_missing = f"The map and charts could not be drawn for this copy: {exc}"
    return brief
