"""Bad data, good behaviour: with one file broken, every page names the problem and serves the rest."""

from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from geo.charts import build_charts
from geo.dataset import load_dataset
from tests.apptest import app_test
from tests.conftest import BROKEN, BROKEN_CASES, PAGES, overlay


def run(page: str, data_dir, monkeypatch) -> AppTest:
    return app_test(page, data_dir=data_dir)


def features_on_map(at: AppTest) -> set[str]:
    """The ids of the features the page hands to the map component (its Leaflet script)."""
    scripts = [
        json.loads(el.proto.json_args).get("script", "")
        for el in at.get("component_instance")
        if el.proto.json_args
    ]
    return {fid for script in scripts for fid in re.findall(r'"id": "([a-z0-9-]+)"', script)}


def banner(at: AppTest) -> str:
    return "\n".join(e.value for e in at.error).replace("\\", "")


@pytest.mark.parametrize("case", BROKEN_CASES)
def test_every_page_names_the_problem_and_keeps_working(case, tmp_path, monkeypatch, ds):
    data = overlay(BROKEN / case, tmp_path / case)
    expected = (BROKEN / case / "expected.txt").read_text().strip()
    for page in PAGES:
        at = run(page, data, monkeypatch)
        assert not at.exception, (case, page)
        assert "1 problem(s) in the data" in banner(at), (case, page)
        assert expected in banner(at), (case, page)


@pytest.mark.parametrize("case", BROKEN_CASES)
def test_map_still_offers_every_valid_feature(case, tmp_path, monkeypatch, ds):
    at = run("pages/map.py", overlay(BROKEN / case, tmp_path / case), monkeypatch)
    assert not at.exception
    assert features_on_map(at) == {f.id for f in ds.features}


def test_figures_and_sources_survive_a_broken_layer(tmp_path, monkeypatch, ds):
    data = overlay(BROKEN / "bad_json", tmp_path / "bad_json")
    at = run("pages/figures.py", data, monkeypatch)
    assert len(at.get("plotly_chart")) == len(build_charts(ds))
    at = run("pages/sources.py", data, monkeypatch)
    assert len([m for m in at.markdown if m.value.startswith("- Published: ")]) == len(ds.sources)


@pytest.mark.parametrize(
    ("file", "page"), [("figures.json", "pages/figures.py"), ("events.json", "pages/timeline.py")]
)
def test_unreadable_table_is_named_and_the_map_keeps_every_feature(
    file, page, data_copy, monkeypatch, ds
):
    (data_copy / file).write_text('{"oops": [')
    broken = load_dataset(data_copy)
    assert [str(p).split(": ", 1)[0] for p in broken.problems] == [f"data/{file}"]
    at = run(page, data_copy, monkeypatch)
    assert not at.exception
    assert f"data/{file}: -: -: invalid JSON" in banner(at)
    at = run("pages/map.py", data_copy, monkeypatch)
    assert not at.exception and features_on_map(at) == {f.id for f in ds.features}
