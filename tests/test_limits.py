"""Limits on one layer: a huge but valid layer is one clear problem line, and is left out."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib

import pytest

from geo.dataset import load_dataset
from geo.layers import MAX_LAYER_BYTES, MAX_LAYER_VERTICES, _count_positions
from tests.conftest import ROOT


def line_layer(n: int, digits: int) -> dict:
    """A valid layer: one LineString of `n` vertices zigzagging inside the atlas region."""
    coords = [
        [round(61.0 + (i % 1000) * 0.001, digits), round(27.0 + (i % 2) * 0.001, digits)]
        for i in range(n)
    ]
    props = {
        "id": "huge-line",
        "name": "Huge line",
        "kind": "road",
        "status": "operational",
        "precision": "approximate",
        "summary": "A made-up line for the limit test.",
        "geometry_source": "Made up for the test.",
        "citations": [],
    }
    return {
        "type": "FeatureCollection",
        "name": "zz-huge",
        "title": "Huge",
        "features": [
            {"type": "Feature", "properties": props, "geometry": {"type": "LineString", "coordinates": coords}}
        ],
    }  # fmt: skip


def test_position_count():
    assert _count_positions([61.0, 27.0]) == 1
    assert _count_positions([[61.0, 27.0], [62.0, 27.0]]) == 2
    assert _count_positions([[[61, 27], [62, 27], [62, 28], [61, 27]], []]) == 4
    assert _count_positions([[[[61, 27], [62, 27]]], [[[1, 2]]]]) == 3
    assert _count_positions(None) == 0


def test_a_layer_over_the_size_limit_is_one_problem_line(data_copy, ds):
    path = data_copy / "layers" / "zz-huge.geojson"
    path.write_text(json.dumps(line_layer(MAX_LAYER_VERTICES, 12), indent=4))
    size = path.stat().st_size
    assert size > MAX_LAYER_BYTES
    got = load_dataset(data_copy)
    assert [str(p) for p in got.problems] == [
        f"data/layers/zz-huge.geojson: -: -: file is {size:,} bytes, more than the "
        f"{MAX_LAYER_BYTES:,} a layer may have; simplify its geometry (the layer is left out)"
    ]
    assert len(got.features) == len(ds.features) and len(got.events) == len(ds.events)


@pytest.mark.slow  # starts a process
def test_a_layer_over_the_vertex_limit_is_one_problem_line(data_copy, ds):
    path = data_copy / "layers" / "zz-huge.geojson"
    n = MAX_LAYER_VERTICES + 1
    path.write_text(json.dumps(line_layer(n, 3)))
    assert path.stat().st_size < MAX_LAYER_BYTES
    got = load_dataset(data_copy)
    assert [str(p) for p in got.problems] == [
        f"data/layers/zz-huge.geojson: -: features: {n:,} vertices, more than the "
        f"{MAX_LAYER_VERTICES:,} a layer may have; simplify its geometry (the layer is left out)"
    ]
    assert len(got.features) == len(ds.features)
    done = subprocess.run(
        [sys.executable, "-m", "geo", "validate", str(data_copy)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1 and "vertices, more than the 20,000" in done.stdout


def test_a_layer_at_the_vertex_limit_loads(data_copy, ds):
    (data_copy / "layers" / "zz-huge.geojson").write_text(
        json.dumps(line_layer(MAX_LAYER_VERTICES, 3))
    )
    got = load_dataset(data_copy)
    assert not [p for p in got.problems if "vertices" in p.message]


def test_uploads_are_capped_at_the_minimum():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] == 1
