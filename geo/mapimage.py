"""A cited static map image: the layers shown, a legend, precision marks, scale, north and sources.

A pure builder (Dataset + visible layers + view bounds → go.Figure) for kaleido to render. It
uses Plotly's Scattergeo with every base layer of its own switched off and draws the atlas's
own country outlines as traces, so nothing is fetched from the internet: Scattermap's offline
style would fetch glyphs for its text.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import plotly.graph_objects as go
from shapely.geometry import mapping, shape

from geo.asof import as_of
from geo.chartlayout import text_px
from geo.charts import FONT
from geo.credits import data_date, map_footer
from geo.failure import failure_file
from geo.labels import PAD, Box, Label, Lines, Placed, Stroke, place_labels
from geo.mapbase import (
    Bounds,
    coast_and_edges,
    country_points,
    fit_aspect,
    geo_lines,
    opening_bounds,
    scale_bar,
    sea_points,
    visible,
)
from geo.mapframe import (
    FOOTER_LINES,
    LAND,
    LEGEND_PX,
    MARGIN_L,
    MARGIN_R,
    MARGIN_T,
    OUTLINE,
    SEA,
    Frame,
    inset_box,
    layout,
    locator,
)
from geo.mapstyle import (
    IMAGE_DASH,
    IMAGE_SIZE,
    IMAGE_SYMBOL,
    KIND_COLOUR,
    POINT_OFFSET,
    POINT_STACK,
)
from geo.memo import PerObject
from geo.models import Dataset, Feature
from geo.text import plot
from geo.vocabulary import KIND_LABEL

logger = logging.getLogger(__name__)
MAP_SIZE = (1800, 1300)
HALO = "#f1c40f"  # the selection's colour, as on the live map
HOLLOW = {"planned", "proposed"}  # a place not yet there is drawn hollow, as on the live map
# A kind's offset (geo/kinds.py, in the live map's px) in the image's px: enough for a market beside
# a crossing to show, little enough that names near them still find room on a brief's map.
OFFSET_SCALE = 0.75


@dataclass
class MapImage:
    """The map figure and what it shows: the kinds drawn and the sources behind them."""

    figure: go.Figure
    kinds: list[str]
    marks: list[str]
    source_ids: list[str]
    features: list[Feature]
    data_date: str | None  # the latest `published` among the sources of the features drawn
    bounds: Bounds | None = None  # the view drawn, widened to the image's shape
    labels: list[Placed] | None = None  # every name drawn, with its box in image px
    left_out: list[Label] | None = None  # names that fitted nowhere
    obstacles: list[Box] | None = None  # symbols and furniture no name may cover
    inset: Box | None = None  # the locator inset, in image px
    lines: Lines | None = None  # the features' lines as drawn, which names avoid covering


def map_file(
    ds: Dataset,
    fmt: str,
    layers: list[str] | None = None,
    bounds: Bounds | None = None,
    on: date | None = None,
    *,
    selected: str | None = None,
    render: Callable[..., bytes] | None = None,
) -> bytes:
    """The map image as a file (png, svg or pdf), or, when drawing it fails, a file of the same
    format saying in the atlas's words what failed (and the failure logged for the operator).

    The page's download builds it only when asked, so Streamlit would otherwise show its own
    message, which says nothing of what went wrong. `render` is geo.pngexport.render_image.
    """
    if render is None:
        from geo.pngexport import render_image as render
    try:
        image = map_figure(ds, layers, bounds, on, selected=selected)
        return render(image.figure, *MAP_SIZE, fmt=fmt)
    except Exception as err:  # whatever failed, the reader gets our message, not a blank
        logger.exception("the map image (%s) could not be drawn", fmt)
        return failure_file(fmt, f"The map image could not be drawn: {type(err).__name__}: {err}")


def _in_view(ds: Dataset, layers: list[str] | None, bounds: Bounds) -> list[Feature]:
    names = [layer.name for layer in ds.layers] if layers is None else layers
    return [
        f for layer in ds.layers if layer.name in names for f in layer.features
        if visible(f, bounds)
    ]  # fmt: skip


LEGEND_ROW_PX = 30  # one row of the horizontal legend at 14 px
SCHEMATIC_LABEL = "schematic route: the real alignment is not public"
APPROXIMATE_LABEL = "approximate position: within a few kilometres"


# room() measures the footer's text, milliseconds each time, and map_file_name asks for it
# on every click (the map download's fragment runs with each): worked out once per dataset,
# layers and size.
_ROOM = PerObject(limit=256)


def room(ds: Dataset, layers: list[str] | None, size: tuple[int, int]) -> tuple[int, int]:
    """(footer lines, legend px) to keep under a map of these layers at this size: see _room."""
    key = (None if layers is None else tuple(layers), tuple(size))
    return _ROOM.get(ds, key, lambda: _room(ds, layers, size))


def _room(ds: Dataset, layers: list[str] | None, size: tuple[int, int]) -> tuple[int, int]:
    """(footer lines, legend px) to keep under a map of these layers at this size: enough for
    every feature of the layers, whatever the view, so that the map's frame is known before
    the view is (the view is widened to it). Never less than a wide image keeps, so that an
    image of the export size looks as it did; a narrow one (a brief's, a phone's) wraps its
    legend and footer into more rows, which used to run under the footer and off the edge."""
    names = [layer.name for layer in ds.layers] if layers is None else layers
    every = [f for layer in ds.layers if layer.name in names for f in layer.features]
    width = size[0] - MARGIN_L - MARGIN_R
    sources = list(dict.fromkeys(c.source for f in every for c in f.props.citations))
    footer = map_footer(ds, every, sources, date.today(), ["schematic", "approximate"], width)
    labels = [SCHEMATIC_LABEL, APPROXIMATE_LABEL]
    labels += [KIND_LABEL[k] for k in dict.fromkeys(f.props.kind for f in every)]
    rows, used = 1, 0.0
    for label in labels:
        item = text_px(label, 14) + 50  # Plotly's symbol and gaps around each item
        if used and used + item > width:
            rows, used = rows + 1, 0.0
        used += item
    return max(FOOTER_LINES, len(footer)), max(LEGEND_PX, rows * LEGEND_ROW_PX + 6)


def drawn(
    ds: Dataset,
    layers: list[str] | None = None,
    bounds: Bounds | None = None,
    size: tuple[int, int] = MAP_SIZE,
) -> tuple[Bounds, list[Feature], list[str]]:
    """What an image of this view draws: its bounds (widened to the image's shape), the
    features in them and their sources. The footer's date and the file name's come from here."""
    plot_w, plot_h, _ = layout(size, room(ds, layers, size))
    fitted = fit_aspect(bounds or opening_bounds(ds), plot_w, plot_h)
    shown = _in_view(ds, layers, fitted)
    source_ids = list(dict.fromkeys(c.source for f in shown for c in f.props.citations))
    return fitted, shown, source_ids


def map_file_name(
    ds: Dataset,
    fmt: str,
    layers: list[str] | None = None,
    bounds: Bounds | None = None,
    size: tuple[int, int] = MAP_SIZE,
) -> str:
    """The image's file name, dated like its footer: as_of the features drawn (geo/asof.py)."""
    return f"iran-pakistan-atlas-map-{as_of(ds, drawn(ds, layers, bounds, size)[1]).stamp()}.{fmt}"


def map_figure(
    ds: Dataset,
    layers: list[str] | None = None,
    bounds: Bounds | None = None,
    on: date | None = None,
    *,
    selected: str | None = None,
    size: tuple[int, int] = MAP_SIZE,
    title: str = "Iran–Pakistan border: what crosses it",
) -> MapImage:
    """The map of the given layers (all if None) in `bounds` (the opening view if None), cited.

    `bounds` is (west, south, east, north): the reader's view, widened to the image's shape.
    `selected` (a feature id) is drawn with a halo and its name in bold; `title` (plain text)
    heads it. Countries, seas and
    the towns the view has room for are named; every name is placed by geo/labels.py so that
    none overlaps another or a symbol (names that fit nowhere are left out, and listed in
    `MapImage.left_out`). A locator inset shows where the view lies. Its legend lists exactly
    the kinds drawn, then the precision marks used; its footer names the sources of the
    features drawn, the licences, the boundary note, and how recent the data drawn is
    (geo/asof.py, the same records as `map_file_name`'s date) beside the export date.
    """
    if bounds is not None and not (bounds[0] < bounds[2] and bounds[1] < bounds[3]):
        raise ValueError(f"bounds must be (west, south, east, north), got {bounds!r}")
    on = on or date.today()
    width, height = size
    kept = room(ds, layers, size)
    legend_px = kept[1]
    plot_w, plot_h, block = layout(size, kept)
    bounds, shown, source_ids = drawn(ds, layers, bounds, size)
    west, south, east, north = bounds
    frame = Frame(bounds, plot_w, plot_h)
    fig = go.Figure()

    # The atlas's own outlines: land over a sea-coloured frame, as on the live map.
    land = []
    for c in ds.context.get("features", []):
        if not isinstance(c, dict) or "geometry" not in c:
            continue
        geom = shape(c["geometry"])
        # One trace per polygon: a filled trace with gaps would join its rings into one shape.
        for poly in getattr(geom, "geoms", [geom]):
            if poly.geom_type == "Polygon":
                land.append(poly)
    for poly in land:
        xs, ys = poly.exterior.xy
        fig.add_trace(go.Scattergeo(lon=list(xs), lat=list(ys), mode="lines", fill="toself",
                                    fillcolor=LAND, line={"color": LAND, "width": 0.5},
                                    hoverinfo="skip", showlegend=False, meta="basemap"))  # fmt: skip
    coast, edges = coast_and_edges(ds, land, bounds)
    for lines_, style, meta in (
        (coast, {"color": OUTLINE, "width": 0.9}, "coast"),
        (edges, {"color": "#8c8c8c", "width": 1.2, "dash": "dash"}, "country-edges"),
    ):
        lons, lats = geo_lines(mapping(lines_)) if not lines_.is_empty else ([], [])
        if lons:
            fig.add_trace(go.Scattergeo(lon=lons, lat=lats, mode="lines", line=style,
                                        hoverinfo="skip", showlegend=False, meta=meta))  # fmt: skip

    kinds: list[str] = []
    marks: list[str] = []
    lines = [f for f in shown if f.geometry["type"] != "Point"]
    points = [f for f in shown if f.geometry["type"] == "Point"]
    chosen = next((f for f in shown if f.id == selected), None)
    schematic_lines = [f for f in lines if f.props.precision == "schematic"]
    for i, f in enumerate(schematic_lines):
        lons, lats = geo_lines(f.geometry)
        fig.add_trace(go.Scattergeo(
            lon=lons, lat=lats, mode="lines", line={"color": "rgba(60,60,60,0.18)", "width": 14},
            name=SCHEMATIC_LABEL, legendgroup="mark-schematic",
            showlegend=i == 0, hoverinfo="skip", meta="mark:schematic"))  # fmt: skip
    if schematic_lines:
        marks.append("schematic")
    if chosen is not None and chosen.geometry["type"] != "Point":
        lons, lats = geo_lines(chosen.geometry)
        fig.add_trace(go.Scattergeo(lon=lons, lat=lats, mode="lines", hoverinfo="skip",
                                    line={"color": HALO, "width": 12}, showlegend=False,
                                    meta="selected"))  # fmt: skip
    for f in lines:
        lons, lats = geo_lines(f.geometry)
        kind = f.props.kind
        fig.add_trace(go.Scattergeo(
            lon=lons, lat=lats, mode="lines", name=KIND_LABEL[kind], legendgroup=f"kind:{kind}",
            showlegend=kind not in kinds, hoverinfo="skip", meta=f"kind:{kind}",
            line={"color": KIND_COLOUR[kind], "width": 3 if kind == "border" else 3.5,
                  "dash": IMAGE_DASH.get(f.props.status, "solid")}))  # fmt: skip
        if kind not in kinds:
            kinds.append(kind)
    approximate = [f for f in points if f.props.precision != "mapped"]
    if approximate:
        fig.add_trace(go.Scattergeo(
            lon=[f.geometry["coordinates"][0] for f in approximate],
            lat=[f.geometry["coordinates"][1] for f in approximate], mode="markers",
            marker={"symbol": "circle", "size": 30, "color": "rgba(60,60,60,0.10)",
                    "line": {"color": "rgba(60,60,60,0.45)", "width": 1}},
            name=APPROXIMATE_LABEL, showlegend=True, hoverinfo="skip",
            meta="mark:approximate"))  # fmt: skip
        marks.append("approximate")
    # Where each point's symbol is drawn: a market or a zone beside the crossing it serves, by
    # its kind's offset as on the live map (drawn on its place, it was hidden under the
    # crossing's symbol at Gabd, its name's leader pointing at nothing).
    place: dict[str, tuple[float, float]] = {}
    for f in points:
        lon, lat = f.geometry["coordinates"][:2]
        dx, dy = POINT_OFFSET.get(f.props.kind, (0, 0))
        if dx or dy:
            x, y = frame.px(lon, lat)
            lon, lat = frame.lonlat(x + OFFSET_SCALE * dx, y + OFFSET_SCALE * dy)
        place[f.id] = (lon, lat)
    if chosen is not None and chosen.geometry["type"] == "Point":
        lon, lat = place.get(chosen.id, chosen.geometry["coordinates"][:2])
        fig.add_trace(go.Scattergeo(lon=[lon], lat=[lat], mode="markers", hoverinfo="skip",
                                    marker={"symbol": "circle-open", "size": 34, "color": HALO,
                                            "line": {"width": 5, "color": HALO}},
                                    showlegend=False, meta="selected"))  # fmt: skip
    # Stacked so that a crossing, the point of the atlas, is drawn last and stays on top of the
    # market or zone beside it; larger symbols first.
    for f in sorted(points, key=lambda f: POINT_STACK.get(f.props.kind, 0)):
        kind = f.props.kind
        symbol = IMAGE_SYMBOL.get(kind, "circle") + ("-open" if f.props.status in HOLLOW else "")
        lon, lat = place[f.id]
        fig.add_trace(go.Scattergeo(
            lon=[lon], lat=[lat], mode="markers", name=KIND_LABEL[kind], legendgroup=f"kind:{kind}",
            showlegend=kind not in kinds, hoverinfo="skip", meta=f"kind:{kind}",
            marker={"symbol": symbol, "size": IMAGE_SIZE.get(kind, 13), "color": KIND_COLOUR[kind],
                    "line": {"color": "white" if f.props.status not in HOLLOW else KIND_COLOUR[kind], "width": 1.5}}))  # fmt: skip
        if kind not in kinds:
            kinds.append(kind)

    # Furniture first, then names around it: nothing may cover the symbols, the scale bar, the
    # north arrow or the inset.
    x0, x1, bar_lat, km = scale_bar(bounds)
    tick = (north - south) * 0.008
    fig.add_trace(go.Scattergeo(
        lon=[x0, x0, x1, x1], lat=[bar_lat + tick, bar_lat, bar_lat, bar_lat + tick],
        mode="lines", line={"color": "#1d2327", "width": 3}, hoverinfo="skip", showlegend=False, meta="scale-bar"))  # fmt: skip
    fig.add_trace(go.Scattergeo(
        lon=[(x0 + x1) / 2], lat=[bar_lat], mode="text", text=[f"{km} km"], textposition="top center",
        textfont={"size": 14, "color": "#1d2327"}, hoverinfo="skip", showlegend=False, meta="scale-label"))  # fmt: skip
    (bx0, by0), (bx1, _) = frame.px(x0, bar_lat), frame.px(x1, bar_lat)
    point_px = {f.id: frame.px(*place[f.id]) for f in points}
    line_px = [
        frame.px(x, y)
        for f in lines
        for x, y in zip(*geo_lines(f.geometry), strict=True)
        if x is not None
    ]
    inset = inset_box(frame, [*point_px.values(), *line_px])
    drawn_lines = Lines(_strokes(frame, lines, schematic_lines, chosen))
    f_box = frame.box()
    obstacles = [
        Box(bx0 - 6, by0 - 30, bx1 + 6, by0 + 8),  # the scale bar and its length
        Box(f_box.x1 - 56, f_box.y0, f_box.x1, f_box.y0 + 72),  # the north arrow
        inset,
    ]
    for f in points:
        x, y = point_px[f.id]
        r = IMAGE_SIZE.get(f.props.kind, 13) / 2 + 2
        obstacles.append(Box(x - r, y - r, x + r, y + r))

    labels = [
        Label(f"feature:{f.id}", f.props.name, *point_px[f.id], size=14, bold=f.id == selected,
              radius=IMAGE_SIZE.get(f.props.kind, 13) / 2 + 1)
        for f in sorted(points, key=lambda f: (f.id != selected, -POINT_STACK.get(f.props.kind, 0)))
    ]  # fmt: skip
    labels += [
        Label(f"country:{name}", plot(name).upper(), *frame.px(lon, lat), size=18, leader=False,
              centred=True)
        for name, lon, lat in country_points(ds, bounds)
    ]  # fmt: skip
    places = ds.context.get("places", [])
    zoom = frame.zoom()
    labels += [
        Label(f"sea:{name}", plot(name), *frame.px(lon, lat), size=15, leader=False, centred=True)
        for name, lon, lat in sea_points(ds, land, bounds)
    ]
    towns = sorted(
        (p for p in places if p.get("properties", {}).get("kind") == "town"
         and p["properties"].get("min_zoom", 9) <= zoom + 0.5
         and west < p["geometry"]["coordinates"][0] < east
         and south < p["geometry"]["coordinates"][1] < north),
        key=lambda p: p["properties"].get("min_zoom", 9),
    )  # fmt: skip
    placed, left_out = place_labels(labels, obstacles, f_box, drawn_lines)
    taken = obstacles + [p.box for p in placed]
    # Towns last, each only where its dot and its name both fit: a town never crowds a feature.
    town_dots = []
    for p in towns:
        x, y = frame.px(*p["geometry"]["coordinates"][:2])
        dot = Box(x - 4, y - 4, x + 4, y + 4)
        if any(dot.overlaps(o) for o in taken) or not dot.inside(f_box):
            continue
        got, _ = place_labels(
            [Label(f"town:{p['properties']['name']}", plot(p["properties"]["name"]), x, y, size=13,
                   radius=3, leader=False)], [*taken, dot], f_box, drawn_lines)  # fmt: skip
        if got:
            placed += got
            taken += [dot, got[0].box]
            obstacles.append(dot)  # a later name must not cover this town's dot either
            town_dots.append(p["geometry"]["coordinates"][:2])
    if town_dots:
        fig.add_trace(go.Scattergeo(
            lon=[t[0] for t in town_dots], lat=[t[1] for t in town_dots], mode="markers",
            marker={"symbol": "circle", "size": 6, "color": "#4a4a4a", "line": {"color": "white", "width": 1}},
            name="town", showlegend=False, hoverinfo="skip", meta="towns"))  # fmt: skip
    # Every annotation at once: Plotly re-validates the whole list on each add_annotation,
    # which made forty names cost seconds.
    notes = [_label_note(frame, p) for p in placed]

    locator(fig, land, bounds, inset, size, kept)
    footer = map_footer(ds, shown, source_ids, on, marks, width_px=plot_w)
    title = plot(title)
    if chosen is not None:
        title += f"<br><sup>Highlighted: {plot(chosen.props.name)}</sup>"
    fig.update_layout(
        width=width, height=height, font=FONT, paper_bgcolor="white",
        title={"text": title, "x": 0.02, "xref": "paper", "y": 0.985, "yanchor": "top"},
        margin={"l": MARGIN_L, "r": MARGIN_R, "t": MARGIN_T, "b": block + legend_px, "autoexpand": False},
        showlegend=True,
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": -0.01, "yanchor": "top",
                "font": {"size": 14}, "itemsizing": "constant"},
        geo={"projection": {"type": "mercator"}, "showland": False, "showocean": False,
             "showcountries": False, "showcoastlines": False, "showlakes": False, "showrivers": False,
             "showsubunits": False, "showframe": True, "framecolor": "#5d6d7e", "bgcolor": SEA,
             "lonaxis": {"range": [west, east]}, "lataxis": {"range": [south, north]},
             "domain": {"x": [0, 1], "y": [0, 1]}},
    )  # fmt: skip
    notes.append({"text": "<b>N</b><br>▲", "xref": "paper", "yref": "paper", "x": 0.995, "y": 0.995,
                  "xanchor": "right", "yanchor": "top", "showarrow": False,
                  "font": {"size": 22, "color": "#1d2327"}, "bgcolor": "rgba(255,255,255,0.8)",
                  "name": "north-arrow"})  # fmt: skip
    notes.append({"text": "<br>".join(plot(line) for line in footer), "xref": "paper", "yref": "paper",
                  "x": 0, "y": -(legend_px + 6) / plot_h, "xanchor": "left", "yanchor": "top",
                  "showarrow": False, "align": "left", "font": {"size": 13, "color": "#3b3b3b"},
                  "name": "source-line"})  # fmt: skip
    fig.update_layout(annotations=notes)
    latest = data_date(ds, source_ids)
    return MapImage(fig, kinds, marks, source_ids, shown, latest, bounds, placed, left_out,
                    obstacles, inset, drawn_lines)  # fmt: skip


def _strokes(
    frame: Frame, lines: list[Feature], schematic: list[Feature], chosen: Feature | None
) -> list[Stroke]:
    """The lines drawn, in image px, each part with the width of its stroke: the schematic band
    and the selection's halo are wider than the line itself."""
    out = []
    for f in lines:
        width = 3 if f.props.kind == "border" else 3.5
        if f in schematic:
            width = 14
        if chosen is not None and f.id == chosen.id:
            width = max(width, 12)
        part: list[tuple[float, float]] = []
        for x, y in zip(*geo_lines(f.geometry), strict=True):
            if x is None:
                out.append(Stroke(tuple(part), width))
                part = []
            else:
                part.append(frame.px(x, y))
        if part:
            out.append(Stroke(tuple(part), width))
    return out


LABEL_STYLE = {
    "feature": {"color": "#1d2327", "bgcolor": "rgba(255,255,255,0.82)"},
    "country": {"color": "#5f6b73", "bgcolor": "rgba(0,0,0,0)"},
    "sea": {"color": "#3f6f93", "bgcolor": "rgba(0,0,0,0)"},
    "town": {"color": "#2f2f2f", "bgcolor": "rgba(255,255,255,0.6)"},
}


def _label_note(frame: Frame, placed: Placed) -> dict[str, Any]:
    """One placed name as a Plotly annotation: its box where the placer put it, and a leader
    line to its symbol when it had to move away."""
    label = placed.label
    kind = label.key.split(":", 1)[0]
    style = LABEL_STYLE[kind]
    text = f"<b>{label.text}</b>" if label.bold else label.text
    if kind == "sea":
        text = f"<i>{text}</i>"
    cx, cy = placed.box.centre
    common = {"xref": "paper", "yref": "paper", "text": text, "name": f"label:{label.key}",
              "font": {"size": label.size, "color": style["color"]}, "bgcolor": style["bgcolor"],
              "borderpad": PAD - 1}  # fmt: skip
    if placed.leader:
        px, py = frame.paper(label.x, label.y)
        return {"x": px, "y": py, "ax": cx - label.x, "ay": cy - label.y, "axref": "pixel",
                "ayref": "pixel", "showarrow": True, "arrowhead": 0, "arrowwidth": 1,
                "arrowcolor": "#555", "standoff": label.radius, **common}  # fmt: skip
    px, py = frame.paper(cx, cy)
    return {
        "x": px,
        "y": py,
        "xanchor": "center",
        "yanchor": "middle",
        "showarrow": False,
        **common,
    }
