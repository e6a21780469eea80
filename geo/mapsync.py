"""The map's elements that speak with the page around it: the view kept in the page's address
(`ViewAddress`) and a click sent to Streamlit at once (`InstantClick`). Like those of
geo/mapelements.py, each is one folium element with its own script.
"""

from __future__ import annotations

from branca.element import MacroElement
from jinja2 import Template


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


class OpeningFit(MacroElement):
    """The opening view fitted to what is shown, unless the page asks for a view of its own.

    streamlit-folium moves the map to the page's `center` and `zoom` (a shared link's view or
    feature, the view the reader left) with a bare `map.setView(center, zoom)` in the same task
    that runs the map's script. Fitted in the script, as folium's `fit_bounds` does, the opening
    fit queued its zoom animation for the next frame; where the page's view was too far to
    animate to, Leaflet took it at once and the queued fit then undid it (a link to the gas
    pipeline's Iranian leg opened on the border, at the fit's zoom, every time). So the fit
    waits for the end of that task and is made only when the page asked for no view.
    Leaflet's own moves (zoom buttons, the wheel, a popup's pan) pass options, so they are not
    taken for the page's.

    A link to a feature (`?feature=<id>` without `?view=`) is fitted here too, to that feature,
    at the map's real size: the page could only guess the size of a map it had not yet seen,
    and a long line opened cut off on a laptop's map and more so on a phone's. `features`
    holds each feature's bounds ([[south, west], [north, east]]), the same for every reader.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var setView = map.setView, asked = false;
            map.setView = function (center, zoom, options) {
                if (options === undefined) { asked = true; }
                return setView.apply(this, arguments);
            };
            var FEATURES = {{ this.features|tojson }};
            function linkedFeature() {
                try {
                    var ids = new URLSearchParams(window.parent.location.search).getAll('feature');
                    var id = ids.length ? ids[ids.length - 1] : '';
                    return Object.prototype.hasOwnProperty.call(FEATURES, id) ? FEATURES[id] : null;
                } catch (err) {
                    return null;  // not inside the atlas's page
                }
            }
            setTimeout(function () {
                map.setView = setView;
                // Marked once the map stands at its opening view (tests wait for it).
                map.once('moveend', function () { window.__atlasOpened = true; });
                if (asked) { window.__atlasOpened = true; return; }
                var feature = linkedFeature();
                if (feature) {
                    map.fitBounds(feature, {padding: [{{ this.padding }}, {{ this.padding }}],
                                            maxZoom: {{ this.max_zoom }}});
                } else {
                    map.fitBounds({{ this.bounds|tojson }}, {
                        paddingTopLeft: {{ this.top_left|tojson }},
                        paddingBottomRight: {{ this.bottom_right|tojson }}
                    });
                }
            }, 0);
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self,
        bounds,
        padding_top_left,
        padding_bottom_right,
        features: dict[str, list[list[float]]],
        padding: int,
        max_zoom: float,
    ):
        super().__init__()
        self._name = "OpeningFit"
        self.bounds = [list(corner) for corner in bounds]
        self.top_left = list(padding_top_left)
        self.bottom_right = list(padding_bottom_right)
        self.features = features
        self.padding = int(padding)
        self.max_zoom = float(max_zoom)
