"""Links cannot break the atlas: arbitrary query parameters on every page never raise."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from geo.dataset import load_dataset
from tests.apptest import app_test
from tests.conftest import PAGES

DS = load_dataset()
FEATURE_IDS = {f.id for f in DS.features}
EVENT_IDS = {e.id for e in DS.events}
KNOWN_KEYS = ["feature", "layers", "basemap", "source", "cite", "q", "hit", "event", "figure"]

# Values that mix the real ids, near misses and hostile or odd text.
values = st.one_of(
    st.sampled_from(
        [
            *sorted(FEATURE_IDS | EVENT_IDS | set(DS.sources) | {f.id for f in DS.figures}),
            "",
            "osm",
            "border,ports",
            "0",
            "-1",
            "999",
        ]
    ),
    # All of Unicode, not only what hypothesis draws by default: "²" and "٣" are digits to
    # str.isdigit() but not to int(), which is how `hit=²` once raised.
    st.text(alphabet=st.characters(codec=None), max_size=40),
    st.text(alphabet="<>\"'`$%{}[]()\\/&;:=,.*+?|^#", max_size=20),
    st.text(alphabet="0123456789²³¹٣߂०௫", min_size=1, max_size=12),
    # Long digit strings: int() of thousands of digits is slow or refused outright.
    st.integers(min_value=20, max_value=6000).map(lambda n: "9" * n),
)
params = st.dictionaries(
    st.one_of(st.sampled_from(KNOWN_KEYS), st.text(min_size=1, max_size=10)), values, max_size=4
)
FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def run(page: str, query: dict[str, str]) -> AppTest:
    return app_test(page, query)


@FUZZ
@given(page=st.sampled_from(PAGES), query=params)
def test_no_query_raises_on_any_page(page, query):
    at = run(page, query)
    assert not at.exception, (page, query, [e.value for e in at.exception])


@FUZZ
@given(feature=st.text(min_size=1, max_size=30).filter(lambda s: s not in FEATURE_IDS))
def test_unknown_feature_gives_a_notice(feature):
    at = run("pages/map.py", {"feature": feature})
    assert not at.exception
    assert any("No feature has the id" in w.value for w in at.warning)
    assert "feature" not in at.query_params and not at.subheader


@FUZZ
@given(event=st.text(min_size=1, max_size=30).filter(lambda s: s not in EVENT_IDS))
def test_unknown_event_gives_a_notice(event):
    at = run("pages/timeline.py", {"event": event})
    assert not at.exception
    assert any("No event has the id" in w.value for w in at.warning)


@FUZZ
@given(source=st.text(min_size=1, max_size=30).filter(lambda s: s not in DS.sources))
def test_unknown_source_gives_a_notice(source):
    at = run("pages/sources.py", {"source": source})
    assert not at.exception
    assert any("No source has the id" in w.value for w in at.warning)


# Every page's notice for an id or name the link got wrong, with a value as long as a crafted
# link can carry: the notice names it cut and says how long it was, not a 100 KB warning box.
@pytest.mark.parametrize(
    "page, key, words",
    [
        ("pages/sources.py", "source", "No source has the id"),
        ("pages/sources.py", "tab", "Unknown tab"),
        ("pages/timeline.py", "event", "No event has the id"),
        ("pages/timeline.py", "period", "Unknown period"),
        ("pages/timeline.py", "topics", "Unknown topic"),
        ("pages/topics.py", "topic", "No topic is called"),
        ("pages/map.py", "feature", "No feature has the id"),
        ("pages/map.py", "basemap", "Unknown basemap"),
        ("pages/figures.py", "figure", "No figure has the id"),
    ],
)
def test_a_notice_cuts_a_very_long_value_from_the_link(page, key, words):
    at = run(page, {key: "x" * 100_000})
    assert not at.exception, [e.value for e in at.exception]
    (notice,) = [w.value for w in at.warning if words in w.value]
    assert "100,000 characters" in notice  # (escaped for Markdown)
    assert len(notice) < 400, notice[:500]


@pytest.mark.parametrize("hit", ["²", "٣", "9" * 5000, "-1", "1e3", " 2", "0x1"])
def test_odd_hit_on_the_sources_page_does_not_raise(hit):
    at = run("pages/sources.py", {"source": "complex-partnership", "q": "Gwadar", "hit": hit})
    assert not at.exception, [e.value for e in at.exception]


def test_a_plain_hit_still_focuses_that_search_hit():
    at = run("pages/sources.py", {"source": "complex-partnership", "q": "Gwadar", "hit": "1"})
    assert not at.exception
    assert at.session_state["state:sources"] == "hit-1"


def test_a_very_long_search_from_the_link_is_cut_where_it_is_repeated():
    at = run("pages/sources.py", {"q": "Gwadar " * 20_000})
    assert not at.exception, [e.value for e in at.exception]
    (said,) = [m.value for m in at.markdown if "hit(s)**" in m.value]
    assert "140,000 characters" in said and len(said) < 400, said[:500]
