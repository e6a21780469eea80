"""The loader keeps what it can: one problem per broken file, nothing else lost with it."""

from __future__ import annotations

import pytest

from geo.chartlayout import text_px, wrap_px
from geo.dataset import load_dataset


@pytest.mark.parametrize("file, key", [("figures.json", "figures"), ("events.json", "events")])
def test_a_table_without_its_list_is_one_problem_and_its_links_are_not_each_named(
    data_copy, file, key
):
    (data_copy / file).write_text(f'{{"{key}": {{}}}}')
    broken = load_dataset(data_copy)
    assert [str(p) for p in broken.problems] == [
        f"data/{file}: -: {key}: expected a list under '{key}'"
    ]
    assert broken.claims and len(broken.features) == 18


def test_the_places_are_drawn_when_the_outlines_cannot_be_read(data_copy):
    (data_copy / "context" / "countries.geojson").write_text("{")
    broken = load_dataset(data_copy)
    assert [str(p).split(": ", 1)[0] for p in broken.problems] == ["data/context/countries.geojson"]
    assert broken.context.get("places"), "the towns, seas and countries' names are kept"


def test_an_id_that_is_not_text_finds_nothing(ds):
    # As a crafted message from the map component could send it.
    assert ds.feature(["gwadar-port"]) is None and ds.record("event", {"id": 1}) is None
    assert ds.feature("gwadar-port") is not None


def test_a_word_longer_than_a_line_is_broken_inside_it():
    url = "https://example.org/" + "a" * 300
    lines = wrap_px(f"Source: {url} end", 400, 14)
    assert all(text_px(line, 14) <= 400 for line in lines)
    assert "".join(lines[1:-1]) + lines[-1].removesuffix(" end") == url
