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
                if (f.properties.popup) {
                    // No wider than the map less a margin: a phone's map is under 380 px.
                    var host = {{ this._parent.get_name() }};
                    var room = host.getSize ? host.getSize().x - 60 : 380;
                    layer.bindPopup(f.properties.popup, {maxWidth: Math.min(380, room),
                                                         minWidth: Math.min(240, room)});
                }
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
            // On paper it is open (the stylesheet opens it too, where the browser knows
            // ::details-content); folded back as it was after printing.
            var wasOpen = null;
            window.addEventListener('beforeprint', function () {
                var details = legend.getContainer().querySelector('details');
                if (details && wasOpen === null) { wasOpen = details.open; details.open = true; }
            });
            window.addEventListener('afterprint', function () {
                var details = legend.getContainer().querySelector('details');
                if (details && wasOpen !== null) { details.open = wasOpen; }
                wasOpen = null;
            });
        })();
        {% endmacro %}
        """
    )

    def __init__(self, html: str):
        super().__init__()
        self._name = "Legend"
        self.html = html


class Chooser(MacroElement):
    """ "Also here": a popup lists the other features within a few pixels of the click.

    Lines share stretches (the pipeline's first phase runs under its Pakistani leg) and at an
    overview zoom a crossing, a market and three routes meet within a few pixels: whatever is
    drawn on top would take every click. The popup of the feature clicked names the others
    there, each a button that selects it as a click on it would.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var TOLERANCE = {{ this.tolerance|tojson }};
            var lastClick = null;
            function features() {
                var out = [];
                map.eachLayer(function (l) {
                    if (l.feature && l.feature.properties && l.feature.properties.id &&
                        l.feature.properties.popup) { out.push(l); }
                });
                return out;
            }
            function distance(layer, pt) {
                if (layer.getLatLng) {
                    var el = layer.getElement();
                    if (!el) { return Infinity; }
                    var r = el.getBoundingClientRect(), box = map.getContainer().getBoundingClientRect();
                    var c = L.point(r.left + r.width / 2 - box.left, r.top + r.height / 2 - box.top);
                    return Math.max(0, c.distanceTo(pt) - r.width / 2);
                }
                var best = Infinity;
                var rings = L.LineUtil.isFlat(layer.getLatLngs()) ? [layer.getLatLngs()] : layer.getLatLngs();
                rings.forEach(function (ring) {
                    for (var i = 1; i < ring.length; i++) {
                        var a = map.latLngToContainerPoint(ring[i - 1]), b = map.latLngToContainerPoint(ring[i]);
                        best = Math.min(best, L.LineUtil.pointToSegmentDistance(pt, a, b));
                    }
                });
                return best;
            }
            map.on('preclick', function (e) { lastClick = e.containerPoint; });
            // No name tooltip over or behind an open popup (a tap on a phone left one there).
            map.on('popupopen', function () {
                L.DomUtil.addClass(map.getContainer(), 'atlas-popup-open');
            });
            map.on('popupclose', function () {
                L.DomUtil.removeClass(map.getContainer(), 'atlas-popup-open');
            });
            map.on('popupopen', function (e) {
                var source = e.popup._source;
                if (!lastClick || !source || !source.feature) { return; }
                var pt = lastClick;
                lastClick = null;
                var others = features().filter(function (l) {
                    return l !== source && l.feature.properties.id !== source.feature.properties.id &&
                        distance(l, pt) <= TOLERANCE;
                });
                // Always from the feature's own popup text, so no earlier chooser lingers.
                var node = L.DomUtil.create('div');
                node.innerHTML = source.feature.properties.popup;
                if (others.length) {
                    var box = L.DomUtil.create('div', 'atlas-also', node);
                    box.appendChild(document.createTextNode('Also here: '));
                    others.forEach(function (l) {
                        var b = L.DomUtil.create('button', 'atlas-also-item', box);
                        b.type = 'button';
                        b.textContent = l.feature.properties.name;
                        b.setAttribute('data-feature', l.feature.properties.id);
                        L.DomEvent.on(b, 'click', function (ev) {
                            L.DomEvent.stop(ev);
                            var at = l.getLatLng ? l.getLatLng() : e.popup.getLatLng();
                            l.fire('click', {latlng: at, originalEvent: ev}, true);
                        });
                    });
                }
                e.popup.setContent(node);
            });
        })();
        {% endmacro %}
        """
    )

    def __init__(self, tolerance: int = 8):
        super().__init__()
        self._name = "Chooser"
        self.tolerance = tolerance


class Halo(MacroElement):
    """The selected feature's halo, drawn by the map itself: no server round trip, no re-send.

    The halo follows two things: a click or Enter on a feature (its popup opens at once and the
    halo with it), and the address bar of the page around the map, which the page keeps in step
    with the selection (`?feature=`): a feature found by name, a link opened, or Back all reach
    the map that way, without the map being rebuilt or sent again. The address is followed by
    the Navigation API's `currententrychange` event of the page; only a browser without that
    API falls back to looking at the address every `fallback_interval_ms`.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var STYLE = {{ this.style|tojson }};
            // Leaflet focuses the map on mouse-down; the page around the iframe then scrolled the
            // map into view under the pointer, and a reader's first click landed elsewhere.
            var box = map.getContainer();
            box.focus = function (opts) {
                HTMLElement.prototype.focus.call(box, Object.assign({preventScroll: true}, opts || {}));
            };
            var halo = null, shown = null;
            function layersOf(id) {
                var out = [];
                map.eachLayer(function (l) {
                    if (l.feature && l.feature.properties && l.feature.properties.id === id &&
                        l.feature.properties.popup) { out.push(l); }
                });
                return out;
            }
            function show(id) {
                if (id === shown) { return; }
                if (halo) { map.removeLayer(halo); halo = null; }
                shown = id;
                var found = id ? layersOf(id) : [];
                if (!found.length) { return; }
                var l = found[0];
                halo = l.getLatLng
                    ? L.circleMarker(l.getLatLng(), {radius: 16, color: STYLE.color, weight: 4,
                                                      fill: false, interactive: false,
                                                      className: STYLE.className})
                    : L.geoJSON(l.feature.geometry, {interactive: false, style: function () {
                          return {color: STYLE.color, weight: 10, opacity: 0.55,
                                  className: STYLE.className};
                      }});
                // On top, so that it shows over the pale schematic bands; being non-interactive,
                // it takes no click from the features under it.
                halo.addTo(map);
            }
            function addressed() {
                try {
                    return new URLSearchParams(window.parent.location.search).get('feature');
                } catch (err) {
                    return null;  // not embedded in the atlas's page: only clicks draw it
                }
            }
            map.on('popupopen', function (e) {
                var s = e.popup._source;
                if (s && s.feature && s.feature.properties.id) { show(s.feature.properties.id); }
            });
            var last = addressed();
            show(last);
            function follow() {
                var now = addressed();
                if (now !== last) { last = now; show(now); }
            }
            // The page writes its address with history.replaceState (and Back pops it), which
            // the Navigation API reports as one event: no timer runs while nothing changes.
            var nav = null;
            try { nav = window.parent.navigation || null; } catch (err) { nav = null; }
            if (nav && nav.addEventListener) {
                nav.addEventListener('currententrychange', follow);
                // The page outlives this frame (another page of the atlas drops the map).
                window.addEventListener('pagehide', function () {
                    nav.removeEventListener('currententrychange', follow);
                });
            } else if (window.parent !== window) {
                // A browser without the Navigation API: look a few times a second instead.
                setInterval(follow, {{ this.fallback_interval_ms|tojson }});
            }
        })();
        {% endmacro %}
        """
    )

    def __init__(self, color: str = "#f1c40f", fallback_interval_ms: int = 300):
        super().__init__()
        self._name = "Halo"
        self.style = {"color": color, "className": "atlas-halo"}
        self.fallback_interval_ms = fallback_interval_ms
