"""The map builder, tested through the folium.Map and the HTML it returns."""

from __future__ import annotations

import re

import folium
import pytest
from shapely.geometry import shape

from geo.citations import citation_href, citation_key
from geo.layers import SHARP_ZOOM, opening_features, view_bounds
from geo.mapview import (
    BASEMAPS,
    build_map,
    feature_geojson,
    popup_html,
    tooltip_html,
    view_for,
)
from geo.models import Citation, Dataset, Feature, FeatureProperties, Layer
from geo.panel import length_line


def all_layers(ds):
    return [layer.name for layer in ds.layers]


def test_map_loads_only_self_served_assets(ds):
    m = build_map(ds, all_layers(ds))
    html = m.get_root().render()
    assert re.findall(r"https?://", html) == []
    assert [src for _, src in m.default_js] == ["/app/static/vendor/leaflet/leaflet.js"]
    assert all(href.startswith("/app/static/") for _, href in m.default_css)


@pytest.mark.parametrize("basemap", ["osm", "satellite"])
def test_online_basemap_adds_one_tile_layer_with_attribution(ds, basemap):
    m = build_map(ds, all_layers(ds), basemap)
    html = m.get_root().render()
    hosts = set(re.findall(r"https://([a-z.]+)/", html))
    assert hosts == {BASEMAPS[basemap]["url"].split("/")[2]}
    tiles = [c for c in m._children.values() if isinstance(c, folium.TileLayer)]
    assert [t.options["attribution"] for t in tiles] == [BASEMAPS[basemap]["attribution"]]


def test_every_feature_of_shown_layers_is_drawn_with_its_id(ds):
    html = build_map(ds, all_layers(ds)).get_root().render()
    for f in ds.features:
        assert f'"id": "{f.id}"' in html


def test_hidden_layer_is_not_drawn(ds):
    html = build_map(ds, ["border"]).get_root().render()
    assert '"id": "iran-pakistan-border"' in html
    assert '"id": "gwadar-port"' not in html


def test_status_sets_dashes_and_schematic_lines_get_a_band(ds):
    planned = feature_geojson(ds, ds.feature("ip-gas-pipeline-pakistan-leg"))
    built = feature_geojson(ds, ds.feature("ip-gas-pipeline-iran-leg"))
    assert planned["properties"]["look"]["dashArray"] == "3 7"
    assert "dashArray" not in built["properties"]["look"]
    # What a click reaches is the undashed, wide, unseen line over the drawn one.
    assert "dashArray" not in planned["properties"]["style"]
    assert planned["properties"]["style"]["opacity"] == 0
    html = build_map(ds, ["energy"]).get_root().render()
    assert html.count("atlas-schematic-band") == 4  # the four energy lines are schematic


def test_points_get_a_symbol_by_kind_and_crossings_stack_on_top(ds):
    crossing = feature_geojson(ds, ds.feature("gabd-rimdan-crossing"))["properties"]["symbol"]
    market = feature_geojson(ds, ds.feature("gabd-border-market"))["properties"]["symbol"]
    assert "atlas-sym-crossing" in crossing["className"]
    assert "atlas-sym-market" in market["className"]
    assert crossing["stack"] > market["stack"]


def test_popup_holds_every_quote_and_links_to_the_passage(ds):
    f = ds.feature("iran-pakistan-border")
    html = popup_html(ds, f)
    assert html.count('class="atlas-quote"') == len(f.props.citations) == 3
    for c in f.props.citations:
        assert f"/sources?source={c.source}&amp;cite={citation_key(c)}" in html


HOSTILE = '<img src=x onerror=alert(1)>`${alert(2)}`<script>alert(3)</script>" onmouseover="x'


def hostile_feature() -> Feature:
    props = FeatureProperties(
        id="hostile",
        name=HOSTILE,
        kind="port",
        status="operational",
        precision="approximate",
        status_basis=None,
        status_note="Made up for the test. " + HOSTILE,
        summary="A summary long enough to pass. " + HOSTILE,
        geometry_source="Made up for the test.",
        citations=[Citation(source="complex-partnership", quote=HOSTILE)],
    )
    return Feature(props, {"type": "Point", "coordinates": [62.0, 25.5]}, "ports")


def test_hostile_text_is_escaped_in_popup_and_tooltip(ds):
    f = hostile_feature()
    for html in (popup_html(ds, f), tooltip_html(f)):
        assert "<img" not in html and "<script" not in html
        assert "&lt;img src=x onerror=alert(1)&gt;" in html
        assert '" onmouseover' not in html


def test_hostile_text_cannot_break_out_of_the_map_script(ds):
    hostile = Dataset(
        sources=ds.sources,
        layers=[Layer("hostile", "Hostile", "x", (hostile_feature(),))],
        context=ds.context,
    )
    html = build_map(hostile, ["hostile"]).get_root().render()
    script = html.split("<script>", 2)[-1]
    assert "<script>alert(3)" not in script and "</script>alert" not in script
    assert "<img" not in script  # tojson escapes < and > as \\u003c and \\u003e
    assert "\\u003cimg" in script


def test_the_map_script_is_the_same_whatever_is_selected(ds):
    """The halo is drawn by the map from the address: a selection changes nothing sent."""
    layers = [layer.name for layer in ds.layers]
    first = build_map(ds, layers).get_root().render()
    again = build_map(ds, layers).get_root().render()
    strip = lambda html: re.sub(r"_[0-9a-f]{32}", "_ID", html)  # noqa: E731
    assert strip(first) == strip(again)
    assert "window.parent.location.search" in first and "atlas-halo" in first


def test_view_for_points_and_lines(ds):
    (lat, lon), zoom = view_for(ds.feature("gabd-rimdan-crossing"))
    # A point opens at the deepest zoom the offline tiles are drawn to, never beyond (blurred).
    assert (round(lat, 3), round(lon, 3), zoom) == (25.258, 61.64, SHARP_ZOOM)
    (_, _), zoom_border = view_for(ds.feature("iran-pakistan-border"))
    assert 5 <= zoom_border <= 7


@pytest.mark.parametrize("size", [(700, 640), (360, 560), (1100, 640)])
def test_view_for_fits_each_feature_whole_at_the_maps_real_size(ds, size):
    for f in ds.features:
        center, zoom = view_for(f, size)
        west, south, east, north = view_bounds(center, zoom, size)
        minx, miny, maxx, maxy = shape(f.geometry).bounds
        assert west <= minx and maxx <= east and south <= miny and maxy <= north, (f.id, size)
        assert 4 <= zoom <= SHARP_ZOOM and zoom * 4 == int(zoom * 4)
        if zoom < SHARP_ZOOM:  # not at the cap: a quarter step closer would not fit
            w2, s2, e2, n2 = view_bounds(center, zoom + 0.25, (size[0] - 96, size[1] - 96))
            assert minx < w2 or maxx > e2 or miny < s2 or maxy > n2, (f.id, size)
    narrow = view_for(ds.feature("ip-gas-pipeline-iran-leg"), (360, 560))[1]
    wide = view_for(ds.feature("ip-gas-pipeline-iran-leg"), (1100, 640))[1]
    assert narrow < wide  # a phone's map shows a long line from farther out


def test_the_opening_view_frames_the_border_and_its_places_not_every_route(ds):
    framed = opening_features(ds.features)
    assert {f.props.kind for f in framed} >= {"border", "crossing", "port"}
    assert not any(f.geometry["type"] == "LineString" and f.props.kind != "border" for f in framed)
    only_lines = [f for f in ds.features if f.layer == "energy"]
    assert opening_features(only_lines) == only_lines  # nothing to frame: all that is shown


def test_length_line_puts_measured_beside_claimed(ds):
    line = length_line(ds.feature("gwadar-gabd-transit-corridor"))
    assert line.startswith("Measured geodesically on the atlas's schematic geometry: 75.8 km")
    assert "the sources claim 89 km (-13 km)" in line
    assert length_line(ds.feature("gwadar-port")) is None
    assert length_line(ds.feature("quetta-taftan-railway")).endswith("the sources give no length")


def test_citation_href_is_stable_and_url_safe(ds):
    c = ds.feature("chadgi-kouhak-crossing").props.citations[0]
    assert citation_href(c) == citation_href(
        Citation(source=c.source, quote="  " + c.quote.replace(" ", "\n") + " ")
    )
    assert re.fullmatch(r"/sources\?source=[a-z0-9-]+&cite=[0-9a-f]{10}", citation_href(c))


def test_the_caption_under_the_map_and_its_legend_say_the_same_dash_rule(ds):
    """Issue 22: the caption said dashed = approved or planned while the legend said dotted =
    planned or proposed. Both now come from one table; a pattern named in one with other
    statuses than in the other fails here."""
    import html as html_lib

    from geo.mapstyle import DASH_NAME, dash_rule, legend_html

    legend = html_lib.unescape(re.sub(r"<[^>]+>", " ", legend_html(ds)))
    caption = dash_rule().lower()
    for name in DASH_NAME.values():
        in_legend = re.search(rf"{re.escape(name)}:\s*([^\n]+?)\s{{2,}}", legend + "  ")
        assert in_legend, name
        statuses = [s.strip() for s in re.split(r" / | or ", in_legend.group(1)) if s.strip()]
        said = re.search(rf"{re.escape(name.lower())} lines (?:mean )?([^,.]+)", caption)
        assert said, name
        assert statuses == [s.strip() for s in said.group(1).split(" or ")], name
