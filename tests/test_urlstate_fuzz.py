"""The address readers, fuzzed directly: thousands of hostile links a second, no app needed.

Whatever a link carries, each reader returns a known value or none, never raises, and names
what it dropped in a notice of bounded length (a crafted link cannot fill the page).
"""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from geo.urlstate import (
    VIEW_LAT,
    VIEW_ZOOM,
    feature_from_query,
    focus_from_query,
    focus_to_query,
    id_notice,
    list_notice,
    view_from_query,
)

KNOWN = ["gabd-rimdan-crossing", "gwadar-port", "Border", "Ports"]
# What people and attackers put in links: ids, near-ids, numbers, markup, huge values.
text = st.one_of(
    st.sampled_from([*KNOWN, "", "nan", "inf", "-0", "1e308", "<script>", "=1+1", "%00"]),
    st.text(max_size=40),
    st.text(min_size=1000, max_size=5000),
)
values = st.lists(text, max_size=4)
params = st.dictionaries(
    st.sampled_from(["feature", "layers", "basemap", "cite", "hit", "view", "topic", "x"]),
    values,
    max_size=5,
)
NOTICE_MAX = 400
MANY = settings(max_examples=500, deadline=None)


def _short(notices) -> None:
    for n in notices:
        assert isinstance(n, str) and len(n) < NOTICE_MAX, n[:80]


@MANY
@given(params)
def test_the_feature_reader_keeps_a_known_id_or_none(p):
    feature, notices = feature_from_query(p, KNOWN)
    assert feature is None or feature in KNOWN
    _short(notices)
    if feature is None and any(v for v in p.get("feature", [])[-1:]):
        assert notices  # a dropped value is named


@MANY
@given(params, st.sampled_from(["layers", "basemap", "topic"]))
def test_the_list_and_id_notices_are_none_or_short(p, key):
    _short([n for n in (list_notice(p, key, KNOWN, "layer"),) if n])
    _short([n for n in (id_notice(p, key, KNOWN, "Unknown “{}”."),) if n])


@MANY
@given(params, st.sampled_from([None, "doc-a", "doc-b"]))
def test_the_focus_reader_keeps_a_cited_key_or_a_hit_and_round_trips(p, doc):
    keys = {"doc-a": {"k1", "k2"}}
    focus, notices = focus_from_query(p, doc, keys)
    _short(notices)
    assert focus is None or focus in keys.get(doc or "", set()) or focus.startswith("hit-")
    again = {k: [v] for k, v in focus_to_query(focus).items()}
    assert focus_from_query(again, doc, keys)[0] == focus


@MANY
@given(st.one_of(text, st.builds(lambda a, b, c: f"{a},{b},{c}", text, text, text),
                 st.builds(lambda a, b, c: f"{a:.6f},{b:.6f},{c:.3f}",
                           st.floats(allow_nan=True), st.floats(allow_nan=True),
                           st.floats(allow_nan=True))))  # fmt: skip
def test_the_view_reader_keeps_only_a_finite_view_on_the_map(raw):
    view, notices = view_from_query({"view": raw})
    _short(notices)
    if view is None:
        return
    assert all(math.isfinite(v) for v in (view.lat, view.lon, view.zoom))
    assert VIEW_LAT[0] <= view.lat <= VIEW_LAT[1]
    assert -180 <= view.lon <= 180
    assert VIEW_ZOOM[0] <= view.zoom <= VIEW_ZOOM[1] and view.zoom * 4 == int(view.zoom * 4)
    # What it writes back, it reads back as the same view.
    assert view_from_query({"view": view.text()})[0] == view
