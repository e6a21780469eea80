"""The map: a folium.Map of the atlas's layers, drawn with nothing but self-served Leaflet.

This module assembles the map: basemaps, the features as GeoJSON with their escaped popups and
tooltips; the selection's halo is drawn by the map's own script (Halo). The Leaflet elements
live in geo/mapelements.py and geo/mapsync.py (those that speak with the page), the style
tables (and the legend made from them) in geo/mapstyle.py, the view maths beside the layers
in geo/layers.py.
"""

from __future__ import annotations

from typing import Any

import folium

from geo import basemap as basemap_tiles
from geo.assets import ATLAS_CSS, LEAFLET_CSS, LEAFLET_JS
from geo.citations import citation_href
from geo.claims import disagreements_about_feature
from geo.kinds import symbol_css
from geo.layers import SHARP_ZOOM, bounds_of, feature_boxes, opening_features, view_for
from geo.mapelements import AtlasGeoJson, Chooser, Halo, Legend
from geo.mapstyle import (
    KIND_COLOUR,
    POINT_STACK,
    POINT_SYMBOL,
    STATUS_DASH,
    hit_style,
    legend_html,
    line_style,
    point_symbol,
)
from geo.mapsync import InstantClick, OpeningFit, ViewAddress
from geo.models import Dataset, Feature
from geo.sources import normalise
from geo.text import h
from geo.vocabulary import KIND_LABEL, STATUS_LABEL

__all__ = [
    "BASEMAPS",
    "KIND_COLOUR",
    "POINT_STACK",
    "POINT_SYMBOL",
    "STATUS_DASH",
    "build_map",
    "feature_geojson",
    "legend_html",
    "popup_html",
    "tooltip_html",
    "view_for",
]

BASEMAPS: dict[str, dict[str, str]] = {
    # The default: tiles served by the app itself (geo/basemap.py), so no internet is needed.
    "offline": {
        "label": "Offline map: relief, provinces, towns (no internet needed)",
        "url": basemap_tiles.TILE_URL,
        "attribution": basemap_tiles.ATTRIBUTION,
    },
    "outlines": {"label": "Outlines only, for printing (no internet needed)"},
    "osm": {
        "label": "OpenStreetMap (online)",
        "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "attribution": "© OpenStreetMap contributors",
    },
    "satellite": {
        "label": "Satellite, Esri World Imagery (online)",
        "url": "https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/tile/{z}/{y}/{x}",
        "attribution": "Tiles © Esri; Source: Esri, Maxar, Earthstar Geographics, and the GIS User Community",
    },
}
DEFAULT_CENTER = (27.4, 63.2)
DEFAULT_ZOOM = 6


def popup_html(ds: Dataset, feature: Feature) -> str:
    """What the map shows at once on a click: name, status and whose word it is, every quote;
    all escaped."""
    p = feature.props
    whose = (
        "the sources' word" if p.status_basis is not None else "the atlas's note, not the sources'"
    )
    parts = [
        f'<div class="atlas-pop" data-feature="{h(p.id)}">',
        f"<strong>{h(p.name)}</strong>",
        f'<div class="atlas-pop-meta">{h(KIND_LABEL[p.kind])} · {h(STATUS_LABEL[p.status])} '
        f"({h(whose)}) · {h(p.precision)} geometry</div>",
    ]
    differ = disagreements_about_feature(ds, p.id)
    if differ:
        # Briefly: the panel beside the map shows the versions side by side.
        parts.append(
            # The matter as its record names it ("What is there at Chadgi"), after a colon: run
            # into a sentence ("differ on What is…") its capital read as a slip.
            '<div class="atlas-pop-differ"><strong>The sources differ</strong>: '
            + "; ".join(h(d.topic) for d in differ)
            + ". The panel shows each version with its quote.</div>"
        )
    for c in p.citations:
        resolved = ds.cite(c)
        title = resolved.reference if resolved else c.source
        parts.append(
            f'<blockquote class="atlas-quote">“{h(normalise(c.quote))}”'
            f'<footer>— <a href="{h(citation_href(c))}" target="_blank" rel="noopener">{h(title)}</a>'
            "</footer></blockquote>"
        )
    parts.append("</div>")
    return "".join(parts)


def tooltip_html(feature: Feature) -> str:
    """The hover label: the name, and how precise the geometry is when it is not mapped."""
    p = feature.props
    note = (
        ""
        if p.precision == "mapped"
        else f' <span class="atlas-tip-note">({h(p.precision)})</span>'
    )
    return f"{h(p.name)}{note}"


def feature_geojson(ds: Dataset, feature: Feature) -> dict[str, Any]:
    """One feature as the map draws it; properties hold only what the page needs."""
    p = feature.props
    props: dict[str, Any] = {
        "id": p.id,
        "name": p.name,
        "tooltip": tooltip_html(feature),
        "popup": popup_html(ds, feature),
    }
    if feature.geometry["type"] == "Point":
        props["symbol"] = point_symbol(feature)
    else:
        props["style"] = hit_style(feature)
        props["look"] = line_style(feature)
    return {"type": "Feature", "properties": props, "geometry": feature.geometry}


def drawn_line(feature: Feature) -> dict[str, Any]:
    """The visible line under a feature's hit line: colour by kind, dashes by status."""
    return {
        "type": "Feature",
        "properties": {"style": line_style(feature)},
        "geometry": feature.geometry,
    }


def schematic_band(feature: Feature) -> dict[str, Any]:
    """A wide, pale, non-interactive band under a schematic line: the route is not exact."""
    return {
        "type": "Feature",
        "properties": {
            "style": {
                "color": KIND_COLOUR[feature.props.kind],
                "weight": 14,
                "opacity": 0.16,
                "lineCap": "round",
                "className": "atlas-schematic-band",
            }
        },
        "geometry": feature.geometry,
    }


def context_layers(ds: Dataset, basemap: str) -> list[AtlasGeoJson]:
    """The offline basemap: land drawn over a sea-coloured map, and country names."""
    if basemap == "offline":
        return []  # the tiles draw land, edges and names, from the border's own data
    countries = ds.context.get("features", [])
    fill = basemap == "outlines"
    land = [
        {
            "type": "Feature",
            "properties": {
                "style": {
                    "color": "#9aa5ab",
                    "weight": 0.8,
                    "fill": fill,
                    "fillColor": "#f4f1ea",
                    "fillOpacity": 1.0,
                    "className": "atlas-land",
                }
            },
            "geometry": c["geometry"],
        }
        for c in countries
        if isinstance(c, dict) and "geometry" in c
    ]
    labels = []
    if fill:
        for c in countries:
            props = c.get("properties") if isinstance(c, dict) else None
            if not isinstance(props, dict) or "label_at" not in props:
                continue
            labels.append(
                {
                    "type": "Feature",
                    "properties": {"label": h(props.get("name", ""))},
                    "geometry": {"type": "Point", "coordinates": props["label_at"]},
                }
            )
    return [
        AtlasGeoJson(land, interactive=False, name="land"),
        AtlasGeoJson(labels, interactive=False, name="labels"),
    ]


def build_map(ds: Dataset, layers: list[str], basemap: str = "offline") -> folium.Map:
    """The whole map for the chosen layers and basemap. Selection is drawn separately."""
    m = folium.Map(
        location=DEFAULT_CENTER,
        zoom_start=DEFAULT_ZOOM,
        tiles=None,
        min_zoom=4,
        max_zoom=14,
        control_scale=True,
        prefer_canvas=False,
        # Fractional zooms let the opening view fill a narrow map instead of halving it.
        zoom_snap=0.25,
    )
    # Self-served assets only: folium's defaults point at CDNs (Leaflet, jQuery, Bootstrap, …).
    m.default_js = [("leaflet", LEAFLET_JS)]
    m.default_css = [("leaflet_css", LEAFLET_CSS), ("atlas_css", ATLAS_CSS)]
    # Each point kind's shape and colour, from its row (geo/kinds.py), after the stylesheet.
    m.get_root().header.add_child(folium.Element(f"<style>{symbol_css()}</style>"), name="kinds")
    spec = BASEMAPS.get(basemap, BASEMAPS["offline"])
    if basemap == "offline":
        folium.TileLayer(
            spec["url"],
            attr=spec["attribution"],
            name=spec["label"],
            min_zoom=basemap_tiles.MIN_ZOOM,
            max_native_zoom=basemap_tiles.MAX_NATIVE_ZOOM,
            max_zoom=14,
            bounds=basemap_tiles.BOUNDS,
        ).add_to(m)
    elif "url" in spec:
        folium.TileLayer(
            spec["url"], attr=spec["attribution"], name=spec["label"], max_zoom=18
        ).add_to(m)
    for element in context_layers(ds, basemap):
        m.add_child(element)

    for layer in ds.layers:
        if layer.name not in layers:
            continue
        bands = [
            schematic_band(f)
            for f in layer.features
            if f.props.precision == "schematic" and f.geometry["type"] != "Point"
        ]
        if bands:
            m.add_child(AtlasGeoJson(bands, interactive=False, name=f"{layer.name}-bands"))
        lines = [drawn_line(f) for f in layer.features if f.geometry["type"] != "Point"]
        if lines:
            m.add_child(AtlasGeoJson(lines, interactive=False, name=f"{layer.name}-lines"))
        # Lines under points, so that a crossing on the border stays clickable.
        ordered = sorted(layer.features, key=lambda f: f.geometry["type"] == "Point")
        m.add_child(AtlasGeoJson([feature_geojson(ds, f) for f in ordered], name=layer.name))
    m.add_child(Legend(legend_html(ds)))
    m.add_child(Chooser())
    # The selection's halo is the map's own business (a click, or the address's ?feature=),
    # so that a selection changes nothing the server sends: see Halo.
    m.add_child(Halo())
    # The view in the address as the reader moves the map: see ViewAddress.
    m.add_child(ViewAddress())
    # A click leaves for the server at once, not after streamlit-folium's 250 ms debounce.
    m.add_child(InstantClick())
    # The opening view fits what is shown, at the map's real size in the browser: the same
    # features fill a laptop's map and a phone's. The padding keeps them clear of the zoom
    # buttons (top left), the scale (bottom left) and the folded legend (bottom right).
    box = bounds_of(opening_features([f for f in ds.features if f.layer in layers])) or bounds_of(
        opening_features(ds.features)
    )
    if box is not None:
        # Only when the page asks for no view of its own (see OpeningFit).
        m.add_child(
            OpeningFit(
                box,
                padding_top_left=(44, 24),
                padding_bottom_right=(24, 40),
                features=feature_boxes(ds),
                padding=48,  # as the page's own fit of a found feature (geo/layers.fit_zoom)
                max_zoom=SHARP_ZOOM,
            )
        )
    return m
