"""A new kind of feature is one row of geo/kinds.py: the data accepts it, and the live map, its
legend, the symbols' CSS, the popup, the panel and the static map image all draw it from there."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from pydantic import ValidationError

from geo.kinds import KIND_STYLE, KindStyle, symbol_css
from geo.mapimage import map_figure
from geo.mapstyle import legend_html
from geo.mapview import build_map, popup_html
from geo.models import Feature, FeatureProperties, Layer
from geo.panel import build_panel

ROW = KindStyle(
    "customs post",
    "#2e86c1",
    symbol="customs",
    shape="circle",
    stack=500,
    image_symbol="star",
    image_size=15,
)


def customs_post(ds) -> Feature:
    """A copy of a port, under the new kind (its quotes and place are the port's)."""
    port = ds.feature("gwadar-port")
    raw = port.props.model_dump(mode="json") | {"kind": "customs_post", "id": "test-customs-post"}
    return Feature(FeatureProperties.model_validate(raw), port.geometry, "customs")


def test_without_its_row_a_kind_is_refused_by_name(ds):
    with pytest.raises(ValidationError, match="unknown kind 'customs_post'"):
        customs_post(ds)


def test_a_new_kind_is_one_row(ds, monkeypatch):
    monkeypatch.setitem(KIND_STYLE, "customs_post", ROW)
    feature = customs_post(ds)
    layer = Layer("customs", "Customs posts", "layers/customs.geojson", (feature,))
    ds2 = dataclasses.replace(ds, layers=(*ds.layers, layer))
    names = [layer.name for layer in ds2.layers]

    # The live map: its symbol's CSS (shape and colour from the row) and the marker's class.
    css = ".atlas-sym-customs .atlas-sym-shape { background: #2e86c1; border-radius: 50%; }"
    assert css in symbol_css()
    html = build_map(ds2, names).get_root().render()
    assert css in html and "atlas-sym atlas-sym-customs" in html
    # Its legend row, its popup and its panel name the kind as the row does.
    legend = legend_html(ds2)
    assert "atlas-sym-customs" in legend and "customs post" in legend
    assert "customs post" in popup_html(ds2, feature)
    assert "Customs post" in build_panel(ds2, feature).facts
    # The static image: its trace, named and drawn as the row says.
    image = map_figure(ds2, names, None, date(2026, 12, 1))
    trace = next(t for t in image.figure.data if t.name == "customs post")
    assert trace.marker.symbol == "star" and trace.marker.size == 15
    assert trace.marker.color == "#2e86c1"
