"""The registry of file formats, and the data pack's GeoPackage read back as QGIS would."""

from __future__ import annotations

import json
from datetime import date

import geopandas as gpd
import pyogrio
import pytest

from geo import formats
from geo.export import pack_files, write_pack
from geo.gpkg import write_geopackage
from geo.layers import measured_length_km


def test_every_registered_format_names_a_real_renderer():
    import importlib

    for fmt in formats.FORMATS.values():
        module, _, name = fmt.renderer.rpartition(".")
        assert callable(getattr(importlib.import_module(module), name)), fmt.ext
        assert "/" in fmt.media_type


def test_image_formats_are_the_ones_chromium_renders():
    assert formats.IMAGE_FORMATS == ("png", "svg", "pdf")
    assert all(formats.FORMATS[ext].needs_chromium for ext in formats.IMAGE_FORMATS)
    assert not formats.FORMATS["csv"].needs_chromium


@pytest.mark.parametrize("ext", [".PNG", "png", "Gpkg"])
def test_a_format_is_found_by_extension_in_any_case(ext):
    assert formats.file_format(ext).ext == ext.lower().lstrip(".")


def test_an_unknown_format_is_named_in_the_error():
    with pytest.raises(ValueError, match=r"unknown file format 'gif'; known: png, svg, pdf"):
        formats.media_type("gif")


def test_geopackage_has_one_layer_per_theme_with_every_feature_and_its_citations(ds, tmp_path):
    path = write_geopackage(ds, tmp_path / "layers.gpkg")
    names = [name for name, _ in pyogrio.list_layers(path)]
    assert names == [layer.name for layer in ds.layers if layer.features]
    for layer in ds.layers:
        frame = gpd.read_file(path, layer=layer.name)
        assert frame.crs.to_epsg() == 4326
        assert list(frame["id"]) == [f.id for f in layer.features]
        for f, (_, row) in zip(layer.features, frame.iterrows(), strict=True):
            kept = json.loads(row["citations_json"])
            assert kept == [c.model_dump(mode="json") for c in f.props.citations]
            # The readable field holds every quote, whitespace folded, in order.
            for c in f.props.citations:
                assert " ".join(c.quote.split()) in row["citations"]
            assert row["status"] == f.props.status
            length = measured_length_km(f)
            if length is not None:
                assert row["length_km"] == pytest.approx(length)


def test_the_data_pack_writes_the_geopackage_and_a_feature_pack_keeps_only_its_feature(
    ds, tmp_path
):
    written = {p.name: p for p in write_pack(ds, tmp_path, date(2026, 12, 1))}
    assert "layers.gpkg" in written
    total = sum(len(gpd.read_file(written["layers.gpkg"], layer=n)) for n, _ in
                pyogrio.list_layers(written["layers.gpkg"]))  # fmt: skip
    assert total == len(ds.features)
    one = pack_files(ds, date(2026, 12, 1), ["gwadar-port"])
    (tmp_path / "one.gpkg").write_bytes(one["layers.gpkg"])
    layers = pyogrio.list_layers(tmp_path / "one.gpkg")
    assert [n for n, _ in layers] == ["ports"]
    assert list(gpd.read_file(tmp_path / "one.gpkg", layer="ports")["id"]) == ["gwadar-port"]
    assert "layers.gpkg" in one["README.txt"].decode()
