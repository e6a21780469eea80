"""The map's own Leaflet elements for folium: a GeoJSON layer and a legend control.

Folium's own Popup needs jQuery and its Tooltip puts raw text inside a JavaScript template
literal, so features are drawn by `AtlasGeoJson`: data reaches the page only through Jinja's
`tojson` (which escapes <, >, & and quotes) and every text from the data is HTML-escaped
before it becomes popup or tooltip markup (geo/mapview.py).
"""

from __future__ import annotations

from typing import Any

from branca.element import MacroElement
from jinja2 import Template


class AtlasGeoJson(MacroElement):
    """A Leaflet GeoJSON layer whose styles, symbols, tooltips and popups come in the data.

    Interactive features are reachable from the keyboard and named for screen readers: every
    symbol and line takes focus with its feature's name, and Enter or Space on it fires the
    same click a pointer does, so the popup opens and the page's panel and address follow.
    """

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
                        icon: L.divIcon({className: s.className, html: s.html,
                                         iconSize: [s.size, s.size], iconAnchor: s.anchor}),
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
                if (!{{ this.interactive|tojson }} || !f.properties.id) { return; }
                layer.on('add', function () {
                    var el = layer.getElement ? layer.getElement() : null;
                    if (!el) { return; }
                    el.setAttribute('tabindex', '0');
                    el.setAttribute('role', 'button');
                    el.setAttribute('aria-label', f.properties.name);
                    el.addEventListener('keydown', function (ev) {
                        if (ev.key !== 'Enter' && ev.key !== ' ') { return; }
                        // Leaflet's own Enter handler fires a click that does not reach the
                        // layer group, where the page listens: fire one that does, instead.
                        ev.preventDefault();
                        ev.stopPropagation();
                        var at = layer.getLatLng ? layer.getLatLng() : layer.getCenter();
                        layer.fire('click', {latlng: at, originalEvent: ev}, true);
                    });
                });
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
    """A legend control, folded shut until asked for; its HTML is ours, never data."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var legend = L.control({position: 'bottomright'});
            legend.onAdd = function () {
                var div = L.DomUtil.create('div', 'atlas-legend');
                div.innerHTML = {{ this.html|tojson }};
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
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
