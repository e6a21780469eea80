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


class ViewAddress(MacroElement):
    """The map's view in the page's address (`?view=<lat>,<lon>,<zoom>`), kept there as the
    reader pans and zooms, so that a copied link opens where the reader was looking.

    Written by the map itself with history.replaceState on the page around it (as the page does
    for ?feature=): moving the map sends nothing to the server and the map is never sent again.
    The page reads the parameter when a link is opened (geo/urlstate.py, view_from_query).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            function write() {
                var c = map.getCenter(), z = map.getZoom();
                var text = c.lat.toFixed(4) + ',' + c.lng.toFixed(4) + ',' + (+z.toFixed(2));
                try {
                    var loc = window.parent.location;
                    var params = new URLSearchParams(loc.search);
                    if (params.get('view') === text) { return; }
                    params.set('view', text);
                    // The page's own state stays as it is: only the view's parameter changes.
                    window.parent.history.replaceState(window.parent.history.state, '',
                        loc.pathname + '?' + params.toString() + loc.hash);
                } catch (err) {
                    // Not embedded in the atlas's page (or another origin): nothing to keep.
                }
            }
            // Only once the reader has moved the map: the opening view (fitted, or set by the
            // page from a link) is the plain page's, and a plain address should stay plain.
            // A click on a feature is not a move, though its popup may pan the map a little.
            var touched = false;
            function touch() { touched = true; }
            map.on('dragstart', touch);
            var box = map.getContainer();
            box.addEventListener('wheel', touch, {capture: true, passive: true});
            box.addEventListener('dblclick', touch, {capture: true, passive: true});
            box.addEventListener('keydown', function (ev) {
                if (/^(Arrow|[-+=])/.test(ev.key) && ev.target === box) { touch(); }
            }, {capture: true, passive: true});
            box.addEventListener('click', function (ev) {
                if (ev.target.closest && ev.target.closest('.leaflet-control-zoom')) { touch(); }
            }, {capture: true, passive: true});
            map.on('moveend', function () { if (touched) { write(); } });
        })();
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "ViewAddress"


class InstantClick(MacroElement):
    """A click on a feature reaches Streamlit at once, not after streamlit-folium's debounce.

    streamlit-folium's frontend sends the component's value through a 250 ms debounce (fixed in
    its bundle), so the panel could not start before a quarter of a second had passed. This
    element sends the same value itself, through Streamlit's components protocol, as soon as the
    click has been recorded by the frontend (`window.__GLOBAL_DATA__`, which its click handler
    fills synchronously), and stores it as the frontend's previous value: when the debounced
    send comes, it finds nothing changed and sends nothing, so a click makes one run, not two.

    Values made of what a click records and of the map's view are sent early (`returned_objects`
    within `CLICK_KEYS` and `VIEW_KEYS`; the view read from the map as streamlit-folium reads
    it). If the popup then pans the map, the debounced send finds a new view and sends it: one
    more run of the panel's fragments, as any pan makes, never a second full run.
    """

    # The keys a click on a layer fills in, and the view's, in the order streamlit-folium's value
    # lists them, so that both sends serialise to the same JSON text.
    CLICK_KEYS = ("last_object_clicked_tooltip", "last_object_clicked_popup", "last_active_drawing")
    VIEW_KEYS = ("bounds", "zoom", "center")

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var CLICK_KEYS = {{ this.click_keys|tojson }};
            var VIEW_KEYS = {{ this.view_keys|tojson }};
            function view(g) {
                // As streamlit-folium reads it (its wrap_longitude option included).
                var wrap = g.wrap_longitude;
                var b = map.getBounds(), c = map.getCenter();
                return {bounds: wrap ? map.wrapLatLngBounds(b) : b, zoom: map.getZoom(),
                        center: wrap ? map.wrapLatLng(c) : c};
            }
            function valueNow() {
                var g = window.__GLOBAL_DATA__;
                if (!g || !Array.isArray(g.returned_objects) || !g.returned_objects.length) {
                    return null;
                }
                var asked = g.returned_objects;
                var known = CLICK_KEYS.concat(VIEW_KEYS);
                if (asked.some(function (k) { return known.indexOf(k) < 0; })) { return null; }
                var v = view(g), value = {};
                known.forEach(function (k) {
                    if (asked.indexOf(k) >= 0) { value[k] = k in v ? v[k] : g[k]; }
                });
                return value;
            }
            function sendNow() {
                var value = valueNow();
                if (!value || window.parent === window) { return; }
                var g = window.__GLOBAL_DATA__;
                var text = JSON.stringify(value);
                if (text === JSON.stringify(g.previous_data)) { return; }  // nothing new
                // What the debounced send compares against: it will find this value and stay quiet.
                g.previous_data = JSON.parse(text);
                window.parent.postMessage({isStreamlitMessage: true,
                                           type: 'streamlit:setComponentValue',
                                           value: g.previous_data, dataType: 'json'}, '*');
                // Counted, so that a test can tell this send from the debounced one.
                window.__atlasInstantSends = (window.__atlasInstantSends || 0) + 1;
            }
            function onClick() {
                // streamlit-folium's own click handler (on the layer's group) runs after this
                // one in the same dispatch: send once every handler has recorded the click.
                Promise.resolve().then(sendNow);
            }
            map.eachLayer(function (l) {
                if (l.feature && l.feature.properties && l.feature.properties.id &&
                    l.feature.properties.popup) { l.on('click', onClick); }
            });
        })();
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "InstantClick"
        self.click_keys = list(self.CLICK_KEYS)
        self.view_keys = list(self.VIEW_KEYS)
