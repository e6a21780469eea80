"""A cited static map image: the layers shown, a legend, precision marks, scale, north and sources.

A pure builder (Dataset + visible layers + view bounds → go.Figure) for kaleido to render. It
uses Plotly's Scattergeo with every base layer of its own switched off and draws the atlas's
own country outlines as traces, so nothing is fetched from the internet: Scattermap's offline
style would fetch glyphs for its text.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

import plotly.graph_objects as go
from shapely.geometry import shape

from geo.charts import FONT, data_date, dates_line
from geo.mapview import KIND_COLOUR
from geo.models import KIND_LABEL, PRECISION_MEANING, Dataset, Feature
from geo.text import plot

MAP_SIZE = (1800, 1300)
SEA = "#dde8ee"
LAND = "#f4f1ea"
OUTLINE = "#9aa5ab"
# Plotly has no dash patterns on geo lines beyond its named ones: they follow the map's legend.
STATUS_DASH = {
    "under_construction": "dash",
    "approved": "dash",
    "planned": "dot",
    "proposed": "dot",
}
POINT_SYMBOL = {"crossing": "diamond", "border_market": "square", "free_trade_zone": "triangle-up",
                "port": "circle"}  # fmt: skip
HOLLOW = {"planned", "proposed"}  # a place not yet there is drawn hollow, as on the live map

Bounds = tuple[float, float, float, float]  # west, south, east, north in degrees


@dataclass
class MapImage:
    """The map figure and what it shows: the kinds drawn and the sources behind them."""

    figure: go.Figure
    kinds: list[str]
    marks: list[str]
    source_ids: list[str]
    features: list[Feature]
    data_date: str | None  # the latest `published` among the sources of the features drawn


def opening_bounds(ds: Dataset) -> Bounds:
    """The map's opening view: the border's extent with a margin, as the live map opens."""
    border = next((f for f in ds.features if f.props.kind == "border"), None)
    if border is None:
        return (56.0, 23.0, 70.0, 32.0)
    west, south, east, north = shape(border.geometry).bounds
    pad_x, pad_y = (east - west) * 0.25, (north - south) * 0.15
    return (west - pad_x, south - pad_y, east + pad_x, north + pad_y)


def _lines(geometry: dict[str, Any]) -> tuple[list[float | None], list[float | None]]:
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


def _visible(feature: Feature, bounds: Bounds) -> bool:
    west, south, east, north = bounds
    minx, miny, maxx, maxy = shape(feature.geometry).bounds
    return maxx >= west and minx <= east and maxy >= south and miny <= north


def _merc_y(lat: float) -> float:
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


def fit_aspect(bounds: Bounds, width: float, height: float) -> Bounds:
    """Widen the view (east-west or north-south) so it fills a `width` × `height` frame in Mercator."""
    west, south, east, north = bounds
    x_span, y_span = east - west, _merc_y(north) - _merc_y(south)
    if x_span / y_span < width / height:
        grow = (y_span * width / height - x_span) / 2
        return (west - grow, south, east + grow, north)
    y_mid, half = (_merc_y(north) + _merc_y(south)) / 2, x_span * height / width / 2

    def lat_of(y: float) -> float:
        return math.degrees(2 * math.atan(math.exp(math.radians(y))) - math.pi / 2)

    return (west, lat_of(y_mid - half), east, lat_of(y_mid + half))


def _group_labels(
    named: list[tuple[float, float, str]], near: float
) -> list[tuple[float, float, str]]:
    """Places closer than `near` degrees share one label, their names one per line."""
    groups: list[list[tuple[float, float, str]]] = []
    for item in named:
        for g in groups:
            if abs(g[0][0] - item[0]) < near and abs(g[0][1] - item[1]) < near:
                g.append(item)
                break
        else:
            groups.append([item])
    return [(g[0][0], g[0][1], "<br>".join(plot(n[2]) for n in g)) for g in groups]


def _scale_bar(bounds: Bounds) -> tuple[float, float, float, int]:
    """A round length (km) about a fifth of the view's width, and where its ends and line sit."""
    west, south, east, north = bounds
    lat = south + (north - south) * 0.06
    km_per_degree = 111.32 * math.cos(math.radians(lat))
    target = (east - west) * km_per_degree / 5
    length = max((k for k in (10, 20, 25, 50, 100, 200, 250, 500, 1000) if k <= target), default=10)
    start = west + (east - west) * 0.04
    return start, start + length / km_per_degree, lat, length


def map_figure(
    ds: Dataset,
    layers: list[str] | None = None,
    bounds: Bounds | None = None,
    on: date | None = None,
    *,
    size: tuple[int, int] = MAP_SIZE,
) -> MapImage:
    """The map of the given layers (all if None) in `bounds` (the opening view if None), cited.

    Its legend lists exactly the kinds drawn, then the precision marks used; its footer names
    the sources of the features drawn, the border's and the basemap's licences, and the latest
    source date of the data shown beside the export date.
    """
    bounds = bounds or opening_bounds(ds)
    if not (bounds[0] < bounds[2] and bounds[1] < bounds[3]):
        raise ValueError(f"bounds must be (west, south, east, north), got {bounds!r}")
    on = on or date.today()
    width, height = size
    names = [layer.name for layer in ds.layers] if layers is None else layers
    pre_shown = [f for layer in ds.layers if layer.name in names for f in layer.features]
    footer_guess = 9  # lines; the footer is built below once the features drawn are known
    legend_px = 90
    block = 20 * footer_guess + 20
    plot_w, plot_h = width - 40, height - 70 - block - legend_px
    bounds = fit_aspect(bounds, plot_w, plot_h)
    west, south, east, north = bounds
    del pre_shown
    shown = [
        f for layer in ds.layers if layer.name in names for f in layer.features
        if _visible(f, bounds)
    ]  # fmt: skip
    fig = go.Figure()

    # The atlas's own outlines: land over a sea-coloured frame, as on the live map.
    for c in ds.context.get("features", []):
        if not isinstance(c, dict) or "geometry" not in c:
            continue
        geom = shape(c["geometry"])
        # One trace per polygon: a filled trace with gaps would join its rings into one shape.
        for poly in getattr(geom, "geoms", [geom]):
            if poly.geom_type != "Polygon":
                continue
            xs, ys = poly.exterior.xy
            fig.add_trace(go.Scattergeo(lon=list(xs), lat=list(ys), mode="lines", fill="toself",
                                        fillcolor=LAND, line={"color": OUTLINE, "width": 0.8},
                                        hoverinfo="skip", showlegend=False, meta="basemap"))  # fmt: skip
    labels = [
        c["properties"] for c in ds.context.get("features", [])
        if isinstance(c, dict) and isinstance(c.get("properties"), dict) and "label_at" in c["properties"]
    ]  # fmt: skip
    inside = [
        p for p in labels if west <= p["label_at"][0] <= east and south <= p["label_at"][1] <= north
    ]
    if inside:
        fig.add_trace(go.Scattergeo(
            lon=[p["label_at"][0] for p in inside], lat=[p["label_at"][1] for p in inside], mode="text",
            text=[plot(p.get("name", "")).upper() for p in inside], hoverinfo="skip", showlegend=False,
            textfont={"size": 15, "color": "#7b8a93"}, meta="country-labels"))  # fmt: skip

    kinds: list[str] = []
    marks: list[str] = []
    lines = [f for f in shown if f.geometry["type"] != "Point"]
    points = [f for f in shown if f.geometry["type"] == "Point"]
    schematic_lines = [f for f in lines if f.props.precision == "schematic"]
    if schematic_lines:
        for i, f in enumerate(schematic_lines):
            lons, lats = _lines(f.geometry)
            fig.add_trace(go.Scattergeo(
                lon=lons, lat=lats, mode="lines", line={"color": "rgba(60,60,60,0.18)", "width": 14},
                name="schematic route: the real alignment is not public", legendgroup="mark-schematic",
                showlegend=i == 0, hoverinfo="skip", meta="mark:schematic"))  # fmt: skip
        marks.append("schematic")
    for f in lines:
        lons, lats = _lines(f.geometry)
        kind = f.props.kind
        fig.add_trace(go.Scattergeo(
            lon=lons, lat=lats, mode="lines", name=KIND_LABEL[kind], legendgroup=f"kind:{kind}",
            showlegend=kind not in kinds, hoverinfo="skip", meta=f"kind:{kind}",
            line={"color": KIND_COLOUR[kind], "width": 3 if kind == "border" else 3.5,
                  "dash": STATUS_DASH.get(f.props.status, "solid")}))  # fmt: skip
        if kind not in kinds:
            kinds.append(kind)
    approximate = [
        f for f in points if f.props.precision != "mapped" and f.props.precision != "surveyed"
    ]
    if approximate:
        fig.add_trace(go.Scattergeo(
            lon=[f.geometry["coordinates"][0] for f in approximate],
            lat=[f.geometry["coordinates"][1] for f in approximate], mode="markers",
            marker={"symbol": "circle", "size": 30, "color": "rgba(60,60,60,0.10)",
                    "line": {"color": "rgba(60,60,60,0.45)", "width": 1}},
            name="approximate position: within a few kilometres", showlegend=True, hoverinfo="skip",
            meta="mark:approximate"))  # fmt: skip
        marks.append("approximate")
    for f in sorted(points, key=lambda f: f.props.kind != "crossing"):
        kind = f.props.kind
        symbol = POINT_SYMBOL.get(kind, "circle") + ("-open" if f.props.status in HOLLOW else "")
        lon, lat = f.geometry["coordinates"][:2]
        fig.add_trace(go.Scattergeo(
            lon=[lon], lat=[lat], mode="markers", name=KIND_LABEL[kind], legendgroup=f"kind:{kind}",
            showlegend=kind not in kinds, hoverinfo="skip", meta=f"kind:{kind}",
            marker={"symbol": symbol, "size": 13, "color": KIND_COLOUR[kind],
                    "line": {"color": "#1d2327" if f.props.status not in HOLLOW else KIND_COLOUR[kind], "width": 1.5}}))  # fmt: skip
        if kind not in kinds:
            kinds.append(kind)
    # Place labels: every place drawn; places that would overprint share one label. Lines are
    # named by kind in the legend.
    named = [
        (f.geometry["coordinates"][0], f.geometry["coordinates"][1], f.props.name) for f in points
    ]
    named = _group_labels(named, near=(east - west) / 30)
    if named:
        fig.add_trace(go.Scattergeo(
            lon=[n[0] + (east - west) / 120 for n in named], lat=[n[1] for n in named], mode="text",
            text=[n[2] for n in named], textposition="middle right", hoverinfo="skip", showlegend=False,
            textfont={"size": 12, "color": "#1d2327"}, meta="place-labels"))  # fmt: skip

    x0, x1, bar_lat, km = _scale_bar(bounds)
    fig.add_trace(go.Scattergeo(
        lon=[x0, x0, x1, x1], lat=[bar_lat + (north - south) * 0.008, bar_lat, bar_lat, bar_lat + (north - south) * 0.008],
        mode="lines", line={"color": "#1d2327", "width": 3}, hoverinfo="skip", showlegend=False, meta="scale-bar"))  # fmt: skip
    fig.add_trace(go.Scattergeo(
        lon=[(x0 + x1) / 2], lat=[bar_lat], mode="text", text=[f"{km} km"], textposition="top center",
        textfont={"size": 14, "color": "#1d2327"}, hoverinfo="skip", showlegend=False, meta="scale-label"))  # fmt: skip

    source_ids = list(dict.fromkeys(c.source for f in shown for c in f.props.citations))
    latest = data_date(ds, source_ids)
    footer = _footer(ds, shown, source_ids, on, marks)
    fig.update_layout(
        width=width, height=height, font=FONT, paper_bgcolor="white",
        title={"text": "Iran–Pakistan border: what crosses it", "x": 0.02, "xref": "paper"},
        margin={"l": 20, "r": 20, "t": 70, "b": block + legend_px, "autoexpand": False},
        showlegend=True,
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": -0.01, "yanchor": "top",
                "font": {"size": 14}, "itemsizing": "constant"},
        geo={"projection": {"type": "mercator"}, "showland": False, "showocean": False,
             "showcountries": False, "showcoastlines": False, "showlakes": False, "showrivers": False,
             "showsubunits": False, "showframe": True, "framecolor": "#5d6d7e", "bgcolor": SEA,
             "lonaxis": {"range": [west, east]}, "lataxis": {"range": [south, north]},
             "domain": {"x": [0, 1], "y": [0, 1]}},
    )  # fmt: skip
    fig.add_annotation(text="<b>N</b><br>▲", xref="paper", yref="paper", x=0.985, y=0.985, xanchor="right",
                       yanchor="top", showarrow=False, font={"size": 22, "color": "#1d2327"},
                       bgcolor="rgba(255,255,255,0.8)", name="north-arrow")  # fmt: skip
    fig.add_annotation(
        text="<br>".join(plot(line) for line in footer), xref="paper", yref="paper", x=0,
        y=-(legend_px + 6) / plot_h, xanchor="left", yanchor="top", showarrow=False, align="left",
        font={"size": 13, "color": "#3b3b3b"}, name="source-line")  # fmt: skip
    return MapImage(fig, kinds, marks, source_ids, shown, latest)


def _footer(
    ds: Dataset, shown: list[Feature], source_ids: list[str], on: date, marks: list[str]
) -> list[str]:
    import textwrap

    refs = []
    for sid in source_ids:
        src = ds.sources.get(sid)
        refs.append(src.meta.reference() if src else sid)
    lines = textwrap.wrap(("Sources of the features drawn: " + "; ".join(refs) + ".") if refs
                          else "No feature drawn.", 190)  # fmt: skip
    border = next((f for f in shown if f.props.kind == "border"), None)
    credits = []
    if border is not None and border.props.licence:
        credits.append(f"Border line: {border.props.licence}")
    provenance = ds.context.get("provenance", {})
    if provenance:
        credits.append(
            f"Outlines: {provenance.get('dataset', '')} ({provenance.get('licence', 'licence unknown')})"
        )
    if credits:
        lines += textwrap.wrap("; ".join(credits) + ".", 190)
    meanings = [
        PRECISION_MEANING[m]
        for m in ("schematic", "approximate")
        if m in marks and m in PRECISION_MEANING
    ]
    lines += textwrap.wrap("Lines dashed: approved or under construction; dotted: planned or proposed; hollow "
                           "symbols: proposed places. " + " ".join(meanings), 190)  # fmt: skip
    lines += textwrap.wrap(dates_line(ds, source_ids, on), 190)
    return lines
