"""The pages' URL-state helpers, without a browser: read, write, and back again."""

from __future__ import annotations

import pytest

from geo.urlstate import (
    MapState,
    SourcesState,
    map_from_query,
    map_to_query,
    sources_from_query,
    sources_to_query,
    timeline_from_query,
    timeline_to_query,
)

LAYERS = ["border", "crossings", "energy"]
BASEMAPS = ["offline", "osm"]
FEATURES = ["gwadar-port", "gabd-rimdan-crossing"]


def read_map(params):
    return map_from_query(params, LAYERS, BASEMAPS, FEATURES)


def test_plain_address_is_the_plain_map_and_writes_nothing():
    state, notices = read_map({})
    assert state == MapState(tuple(LAYERS), "offline", None) and notices == []
    assert map_to_query(state, LAYERS) == {}


@pytest.mark.parametrize(
    "params",
    [
        {"feature": "gwadar-port"},
        {"layers": "border,energy", "basemap": "osm"},
        {"layers": "", "feature": "gabd-rimdan-crossing"},
    ],
)
def test_map_state_round_trips_through_the_address(params):
    state, notices = read_map(params)
    assert notices == []
    assert map_to_query(state, LAYERS) == params
    assert read_map(map_to_query(state, LAYERS))[0] == state


def test_map_layers_keep_the_data_order_whatever_the_link_says():
    state, _ = read_map({"layers": "energy,border"})
    assert state.layers == ("border", "energy")


def test_unknown_values_are_named_and_dropped():
    state, notices = read_map({"feature": "atlantis", "layers": "border,moon", "basemap": "mars"})
    assert state == MapState(("border",), "offline", None)
    assert [n.split()[0] for n in notices] == ["No", "Unknown", "Unknown"]
    assert "atlantis" in notices[0] and "moon" in notices[1] and "mars" in notices[2]


def test_sources_state_round_trips_and_checks_the_citation():
    keys = {"doc-a": {"abc"}}
    state, notices = sources_from_query(
        {"source": "doc-a", "cite": "abc", "q": "gas"}, ["doc-a"], keys
    )
    assert state == SourcesState("doc-a", "abc", "gas") and notices == []
    assert sources_to_query(state) == {"source": "doc-a", "cite": "abc", "q": "gas"}
    hit, _ = sources_from_query({"source": "doc-a", "hit": "2", "q": "gas"}, ["doc-a"], keys)
    assert hit.focus == "hit-2"
    assert sources_to_query(hit) == {"source": "doc-a", "hit": "2", "q": "gas"}
    gone, notices = sources_from_query({"source": "doc-a", "cite": "zzz"}, ["doc-a"], keys)
    assert gone.focus is None and "not in this document" in notices[0]
    unknown, notices = sources_from_query({"source": "nope"}, ["doc-a"], keys)
    assert unknown.doc is None and "nope" in notices[0]


def test_timeline_filters_round_trip():
    args = (["trade", "energy"], ["s1", "s2"], ["recent", "all"], ["e1"])
    plain, _ = timeline_from_query({}, *args)
    assert timeline_to_query(plain, ["recent", "all"]) == {}
    params = {"event": "e1", "topics": "energy", "sources": "s2", "period": "all"}
    state, notices = timeline_from_query(params, *args)
    assert notices == [] and state.topics == ("energy",) and state.period == "all"
    assert timeline_to_query(state, ["recent", "all"]) == params
    bad, notices = timeline_from_query({"event": "x", "topics": "war", "period": "ever"}, *args)
    assert bad.event is None and bad.topics == () and bad.period == "recent"
    assert len(notices) == 3


def test_a_notice_repeats_a_long_link_value_cut_short_saying_how_long_it_was():
    from geo.urlstate import map_from_query

    crafted = "x" * 100_000
    _, notices = map_from_query(
        {"feature": crafted, "layers": f"border,{crafted}", "basemap": crafted},
        ["border", "ports"], ["offline", "osm"], ["gabd-rimdan-crossing"],
    )  # fmt: skip
    assert len(notices) == 3
    for notice in notices:
        assert len(notice) < 300, notice[:300]
        assert "100,000 characters" in notice
    # A short unknown value is still named whole.
    _, notices = map_from_query({"feature": "nowhere"}, ["border"], ["offline"], ["a"])
    assert notices == ["No feature has the id “nowhere”; showing the plain map."]
