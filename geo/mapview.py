"""The map: a folium.Map of the atlas's layers, drawn with nothing but self-served Leaflet.

Folium's own Popup needs jQuery and its Tooltip puts raw text inside a JavaScript template
literal, so features are drawn by `AtlasGeoJson`, a small element of our own: data reaches the
page only through Jinja's `tojson` (which escapes <, >, & and quotes) and every text from the
data is HTML-escaped before it becomes popup or tooltip markup.
"""

from __future__ import annotations

import math
from typing import Any

import folium
from branca.element import MacroElement
from jinja2 import Template
from shapely.geometry import shape

from geo import basemap as basemap_tiles
from geo.assets import ATLAS_CSS, LEAFLET_CSS, LEAFLET_JS
from geo.citations import citation_href
from geo.models import KIND_LABEL, STATUS_LABEL, Dataset, Feature
from geo.sources import normalise
from geo.text import h

# Colour tells kind; dashes tell status; a wide pale band tells schematic geometry.
KIND_COLOUR = {
    "border": "#3b3b3b",
    "crossing": "#c0392b",
    "border_market": "#d68910",
    "free_trade_zone": "#d68910",
    "gas_pipeline": "#b03a2e",
    "power_line": "#7d3c98",
    "transit_corridor": "#1f618d",
    "railway": "#17202a",
    "connectivity_link": "#148f77",
    "port": "#117a8b",
}
STATUS_DASH = {
    "established": None,
    "operational": None,
    "built": None,
    "under_construction": "10 6",
    "approved": "10 6",
    "planned": "3 7",
    "proposed": "3 7",
}
POINT_SYMBOL = {
    "crossing": "crossing",
    "border_market": "market",
    "free_trade_zone": "zone",
    "port": "port",
}
# Where symbols overlap at overview zooms, the crossing is the one a click should reach.
POINT_STACK = {"crossing": 1000, "port": 600, "border_market": 300, "free_trade_zone": 0}

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


class AtlasGeoJson(MacroElement):
    """A Leaflet GeoJSON layer whose styles, symbols, tooltips and popups come in the data."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.geoJSON({{ this.data|tojson }}, {
            interactive: {{ this.interactive|tojson }},
            style: function (f) { return f.properties.style || {}; },
            pointToLayer: function (f, latlng) {
                var s = f.properties.symbol;
                if (s) {
                    return L.marker(latlng, {
                        icon: L.divIcon({className: s.className, html: s.html, iconSize: [s.size, s.size]}),
                        title: f.properties.name, alt: f.properties.name, riseOnHover: true,
                        zIndexOffset: s.stack || 0,
                        interactive: {{ this.interactive|tojson }}, keyboard: {{ this.interactive|tojson }}
                    });
                }
                if (f.properties.label) {
                    return L.marker(latlng, {
                        icon: L.divIcon({className: 'atlas-label', html: f.properties.label, iconSize: null}),
                        interactive: false, keyboard: false
                    });
                }
                return L.circleMarker(latlng, f.properties.style || {});
            },
            onEachFeature: function (f, layer) {
                if (f.properties.tooltip) { layer.bindTooltip(f.properties.tooltip, {sticky: true, direction: 'top'}); }
                if (f.properties.popup) { layer.bindPopup(f.properties.popup, {maxWidth: 380, minWidth: 240}); }
            }
        }).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(
        self, features: list[dict[str, Any]], interactive: bool = True, name: str = "layer"
    ):
        super().__init__()
        self._name = "AtlasGeoJson"
        self.data = {"type": "FeatureCollection", "features": features}
        self.interactive = interactive
        self.layer_name = name


class Legend(MacroElement):
    """A static legend control; its HTML is ours, never data."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var legend = L.control({position: 'bottomleft'});
            legend.onAdd = function () {
                var div = L.DomUtil.create('div', 'atlas-legend');
                div.innerHTML = {{ this.html|tojson }};
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            legend.addTo(map);
            // A popup is what the reader came for: fold the legend out of its way.
            map.on('popupopen', function () {
                var details = legend.getContainer().querySelector('details');
                if (details) { details.open = false; }
            });
        })();
        {% endmacro %}
        """
    )

    def __init__(self, html: str):
        super().__init__()
        self._name = "Legend"
        self.html = html


def line_style(feature: Feature) -> dict[str, Any]:
    """Leaflet path options for a line: colour by kind, dashes by status."""
    p = feature.props
    style: dict[str, Any] = {
        "color": KIND_COLOUR[p.kind],
        "weight": 3.5 if p.kind != "border" else 3,
        "opacity": 0.95,
        "className": f"atlas-f atlas-f-{p.id}",
    }
    if STATUS_DASH[p.status]:
        style["dashArray"] = STATUS_DASH[p.status]
    return style


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
    for c in p.citations:
        resolved = ds.cite(c)
        title = resolved.reference if resolved else c.source
        parts.append(
            f'<blockquote class="atlas-quote">“{h(normalise(c.quote))}”'
            f'<footer>— <a href="{h(citation_href(c))}" target="_top">{h(title)}</a></footer></blockquote>'
        )
    parts.append("</div>")
    return "".join(parts)


def tooltip_html(feature: Feature) -> str:
    """The hover label: the name, and how precise the geometry is when it is not surveyed."""
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
        sym = POINT_SYMBOL.get(p.kind, "market")
        props["symbol"] = {
            "className": f"atlas-sym atlas-sym-{sym} atlas-st-{p.status} atlas-pr-{p.precision}",
            "html": f'<span class="atlas-sym-shape" data-feature="{h(p.id)}"></span>',
            "size": 18,
            "stack": POINT_STACK.get(p.kind, 0),
        }
    else:
        props["style"] = line_style(feature)
    return {"type": "Feature", "properties": props, "geometry": feature.geometry}


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


def legend_html(ds: Dataset) -> str:
    """Legend rows for the kinds present, then statuses and precision."""
    kinds = list(dict.fromkeys(f.props.kind for f in ds.features))
    rows = []
    for kind in kinds:
        if kind in POINT_SYMBOL:
            sym = f'<span class="atlas-sym atlas-sym-{POINT_SYMBOL[kind]} atlas-legend-sym"><span class="atlas-sym-shape"></span></span>'
        else:
            sym = f'<svg width="28" height="10"><line x1="1" y1="5" x2="27" y2="5" stroke="{KIND_COLOUR[kind]}" stroke-width="3"/></svg>'
        rows.append(f"<div>{sym} {h(KIND_LABEL[kind])}</div>")
    rows.append('<div class="atlas-legend-sep"></div>')
    rows.append(
        '<div><svg width="28" height="10"><line x1="1" y1="5" x2="27" y2="5" stroke="#444" stroke-width="3"/></svg> built / operational</div>'
    )
    rows.append(
        '<div><svg width="28" height="10"><line x1="1" y1="5" x2="27" y2="5" stroke="#444" stroke-width="3" stroke-dasharray="10 6"/></svg> approved</div>'
    )
    rows.append(
        '<div><svg width="28" height="10"><line x1="1" y1="5" x2="27" y2="5" stroke="#444" stroke-width="3" stroke-dasharray="3 7"/></svg> planned / proposed</div>'
    )
    rows.append(
        '<div><svg width="28" height="14"><line x1="4" y1="7" x2="24" y2="7" stroke="#444" stroke-width="12" stroke-opacity="0.16" stroke-linecap="round"/><line x1="4" y1="7" x2="24" y2="7" stroke="#444" stroke-width="2"/></svg> schematic route (not exact)</div>'
    )
    rows.append(
        '<div><span class="atlas-sym atlas-sym-market atlas-st-proposed atlas-legend-sym"><span class="atlas-sym-shape"></span></span> proposed place (hollow)</div>'
    )
    return (
        '<details open><summary class="atlas-legend-title">Legend</summary>'
        + "".join(rows)
        + "</details>"
    )


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
    )
    # Self-served assets only: folium's defaults point at CDNs (Leaflet, jQuery, Bootstrap, …).
    m.default_js = [("leaflet", LEAFLET_JS)]
    m.default_css = [("leaflet_css", LEAFLET_CSS), ("atlas_css", ATLAS_CSS)]
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
        # Lines under points, so that a crossing on the border stays clickable.
        ordered = sorted(layer.features, key=lambda f: f.geometry["type"] == "Point")
        m.add_child(AtlasGeoJson([feature_geojson(ds, f) for f in ordered], name=layer.name))
    m.add_child(Legend(legend_html(ds)))
    border = next((f for f in ds.features if f.props.kind == "border"), None)
    if border is not None:
        minx, miny, maxx, maxy = shape(border.geometry).bounds
        m.fit_bounds([[miny, minx], [maxy, maxx]], padding=(10, 10))
    return m


def highlight_group(ds: Dataset, feature_id: str | None) -> folium.FeatureGroup:
    """The selected feature's halo, added to the live map without rebuilding it."""
    group = folium.FeatureGroup(name="selection")
    feature = ds.feature(feature_id) if feature_id else None
    if feature is None:
        return group
    if feature.geometry["type"] == "Point":
        lon, lat = feature.geometry["coordinates"][:2]
        folium.CircleMarker(
            [lat, lon],
            radius=16,
            color="#f1c40f",
            weight=4,
            fill=False,
            interactive=False,
            class_name="atlas-halo",
        ).add_to(group)
    else:
        group.add_child(
            AtlasGeoJson(
                [
                    {
                        "type": "Feature",
                        "properties": {
                            "style": {
                                "color": "#f1c40f",
                                "weight": 10,
                                "opacity": 0.55,
                                "className": "atlas-halo",
                            }
                        },
                        "geometry": feature.geometry,
                    }
                ],
                interactive=False,
                name="halo",
            )
        )
    return group


def view_for(feature: Feature) -> tuple[tuple[float, float], int]:
    """The centre and zoom that show a feature whole."""
    geom = shape(feature.geometry)
    minx, miny, maxx, maxy = geom.bounds
    center = ((miny + maxy) / 2, (minx + maxx) / 2)
    span = max(maxx - minx, maxy - miny)
    if span == 0:
        return center, 10
    zoom = int(max(4, min(11, math.floor(math.log2(360 / span)) - 1)))
    return center, zoom
