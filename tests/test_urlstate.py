"""What the address carries that no widget holds, and the notices for what a link got wrong:
pure functions, without a browser."""

from __future__ import annotations

import pytest

from geo.urlstate import (
    feature_from_query,
    focus_from_query,
    focus_to_query,
    id_notice,
    list_notice,
)

FEATURES = ["gwadar-port", "gabd-rimdan-crossing"]
TOPICS = ["diplomacy", "energy", "trade"]
KEYS = {"doc-a": {"q1", "q2"}, "doc-b": {"q3"}}


def test_feature_from_the_address_or_a_notice_naming_it():
    assert feature_from_query({}, FEATURES) == (None, [])
    assert feature_from_query({"feature": ["gwadar-port"]}, FEATURES) == ("gwadar-port", [])
    feature, notices = feature_from_query({"feature": ["atlantis"]}, FEATURES)
    assert feature is None and notices == [
        "No feature has the id “atlantis”; showing the plain map."
    ]


@pytest.mark.parametrize(
    ("values", "notice"),
    [
        (["energy", "trade"], None),
        (["energy", "xyz"], "Unknown topic xyz in the link were left out."),
        (["xyz"], "Unknown topic xyz in the link; showing every topic."),
        ([""], "The link chose no topic; showing every topic."),
    ],
)
def test_list_notice_names_what_the_binding_will_drop(values, notice):
    assert list_notice({"topics": values}, "topics", TOPICS, "topic") == notice


def test_no_list_parameter_needs_no_notice():
    assert list_notice({}, "topics", TOPICS, "topic") is None


def test_id_notice_names_an_unknown_id_but_not_an_empty_one():
    notice = "No event has the id “{}”."
    assert id_notice({"event": ["nope"]}, "event", ["a"], notice) == "No event has the id “nope”."
    assert id_notice({"event": [""]}, "event", ["a"], notice) is None
    assert id_notice({"event": ["a"]}, "event", ["a"], notice) is None


def test_focus_is_a_citation_of_the_open_document_or_a_hit():
    assert focus_from_query({"cite": ["q1"]}, "doc-a", KEYS) == ("q1", [])
    assert focus_from_query({"hit": ["2"]}, "doc-a", KEYS) == ("hit-2", [])
    assert focus_from_query({"hit": ["-1"]}, "doc-a", KEYS) == (None, [])
    assert focus_from_query({"cite": ["q1"]}, None, KEYS) == (None, [])
    focus, notices = focus_from_query({"cite": ["q3"]}, "doc-a", KEYS)
    assert focus is None and "not in this document any more" in notices[0]


@pytest.mark.parametrize("focus", ["q1", "hit-0", "hit-12", None])
def test_focus_survives_the_round_trip(focus):
    params = {k: [v] for k, v in focus_to_query(focus).items()}
    assert focus_from_query(params, "doc-a", {"doc-a": {"q1"}})[0] == focus


def test_a_notice_repeats_a_long_link_value_cut_short_saying_how_long_it_was():
    crafted = "x" * 100_000
    notices = [
        feature_from_query({"feature": [crafted]}, ["gabd-rimdan-crossing"])[1][0],
        list_notice({"layers": ["Border", crafted]}, "layers", ["Border", "Ports"], "layer"),
        id_notice({"basemap": [crafted]}, "basemap", ["Offline map"], "Unknown basemap “{}”."),
    ]
    for notice in notices:
        assert len(notice) < 300, notice[:300]
        assert "100,000 characters" in notice
    # A short unknown value is still named whole.
    assert feature_from_query({"feature": ["nowhere"]}, ["a"])[1] == [
        "No feature has the id “nowhere”; showing the plain map."
    ]
