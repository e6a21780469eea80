"""Every data file under a cap: an oversized file is one clear problem line, and the rest loads."""

from __future__ import annotations

import json

from geo.dataset import load_dataset
from geo.io import MAX_CONTEXT_BYTES, MAX_JSON_BYTES, MAX_SOURCE_BYTES


def test_oversized_outlines_are_one_problem_line_and_left_out(data_copy):
    path = data_copy / "context" / "countries.geojson"
    outlines = json.loads(path.read_text())
    # Valid GeoJSON, padded with a property until it is over the cap.
    outlines["features"][0]["properties"]["padding"] = "x" * (MAX_CONTEXT_BYTES + 10)
    path.write_text(json.dumps(outlines))
    ds = load_dataset(data_copy)
    lines = [str(p) for p in ds.problems]
    assert len(lines) == 1, lines
    assert "context/countries.geojson" in lines[0]
    assert f"more than the {MAX_CONTEXT_BYTES:,} the basemap outlines may have" in lines[0]
    # The outlines are not loaded, so never sent to a reader (the place names still are).
    assert "features" not in ds.context
    assert ds.features and ds.figures  # everything else is there


def test_an_oversized_json_file_and_source_text_are_named_with_their_sizes(data_copy):
    figures = data_copy / "figures.json"
    figures.write_text(figures.read_text() + " " * MAX_JSON_BYTES)  # still valid JSON
    text = data_copy / "sources" / "tmp-rising-ties.txt"
    text.write_text(text.read_text() + "x" * MAX_SOURCE_BYTES)
    ds = load_dataset(data_copy)
    lines = [str(p) for p in ds.problems]
    assert any("figures.json" in line and "a data file may have" in line for line in lines), lines
    assert any(
        "tmp-rising-ties" in line and "a source document may have" in line for line in lines
    ), lines
    assert not ds.figures
    assert "tmp-rising-ties" not in ds.sources and ds.sources  # the others still load


def test_a_source_linked_outside_the_data_folder_is_named_as_a_link(data_copy, tmp_path):
    outside = tmp_path / "elsewhere.txt"
    target = data_copy / "sources" / "tmp-rising-ties.txt"
    outside.write_bytes(target.read_bytes())
    target.unlink()
    target.symlink_to(outside)
    lines = [str(p) for p in load_dataset(data_copy).problems]
    (line,) = [x for x in lines if "tmp-rising-ties" in x and "file" in x]
    assert "is a symbolic link to a file outside the data folder" in line, lines
    assert "must lie inside" not in line
