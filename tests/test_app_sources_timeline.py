"""AppTests of the Sources and Timeline pages: deep links, search, disagreements, events."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from geo.citations import citation_key
from geo.vocabulary import DISAGREEMENT_LABEL
from tests.apptest import app_test


def page(path: str, query: dict[str, str] | None = None) -> AppTest:
    return app_test(path, query)


def doc_html(at: AppTest) -> str:
    return next(e.proto.body for e in at.get("html") if "atlas-doc" in e.proto.body)


def test_citation_link_opens_its_document_with_that_passage_focused(ds):
    c = ds.feature("rimdan-gabd-free-trade-zone").props.citations[0]
    at = page("pages/sources.py", {"source": c.source, "cite": citation_key(c)})
    assert not at.exception
    assert at.selectbox(key="w_doc").value == c.source
    html = doc_html(at)
    focused = html.split('class="atlas-mark atlas-focus"', 1)[1].split("</mark>", 1)[0]
    assert "preliminary agreement to establish a joint free trade zone" in focused
    assert f'id="cite-{citation_key(c)}"' in html
    assert at.query_params["cite"] == citation_key(c)


def test_source_link_opens_the_whole_document_with_every_cited_passage_marked(ds):
    at = page("pages/sources.py", {"source": "tmp-rising-ties"})
    html = doc_html(at)
    assert 'class="atlas-mark atlas-focus"' not in html
    n_passages = len(
        {citation_key(c) for _, _, c in ds.citations() if c.source == "tmp-rising-ties"}
    )
    assert html.count('<span id="cite-') == n_passages
    assert "Rising Ties" in "".join(m.value for m in at.markdown)


def test_unknown_source_or_citation_gives_a_notice(ds):
    at = page("pages/sources.py", {"source": "no-such-doc"})
    assert not at.exception and "No source has the id" in at.warning[0].value
    at = page("pages/sources.py", {"source": "tmp-rising-ties", "cite": "0000000000"})
    assert not at.exception and "not in this document any more" in at.warning[0].value
    assert 'class="atlas-mark atlas-focus"' not in doc_html(at)


def test_search_counts_hits_per_document_and_treats_regex_as_text(ds):
    at = page("pages/sources.py")
    at.text_input(key="q").input("Gwadar").run()
    expected = sum(s.text.count("Gwadar") for s in ds.sources.values())
    assert any(f"**{expected} hit(s)**" in m.value for m in at.markdown)
    counts = at.dataframe[0].value.set_index("source")["hits"]
    assert counts.sum() == expected
    assert counts["IPS Insights (Yamin)"] == ds.sources["ips-insights-yamin"].text.count("Gwadar")
    at.text_input(key="q").input("(.*[").run()
    assert not at.exception
    assert any("**0 hit(s)**" in m.value for m in at.markdown)


def test_search_hit_link_opens_the_document_at_that_hit():
    at = page("pages/sources.py", {"source": "nournews-262262", "q": "Chabahar", "hit": "0"})
    assert not at.exception
    focused = doc_html(at).split('class="atlas-mark atlas-focus"', 1)[1].split("</mark>", 1)[0]
    assert focused.endswith(">Chabahar")


def test_disagreements_show_each_version_its_quote_and_its_kind(ds):
    """A card per matter, values and quotes whole (a grid hid them off to the right)."""
    at = page("pages/sources.py")
    text = "\n".join(m.value.replace("\\", "") for m in at.markdown)
    for d in ds.disagreements:
        assert f"**{d.topic}**: {DISAGREEMENT_LABEL[d.kind]} (the atlas's reading)" in text
        for v in d.versions:
            assert f"**{v.value}**" in text
            assert " ".join(v.citation.quote.split()) in text
    assert any("pipeline" in d.topic.lower() for d in ds.disagreements)


def test_event_link_selects_the_event_and_links_its_features():
    at = page("pages/timeline.py", {"event": "mand-pishin-market-inaugurated-2023-05"})
    assert not at.exception
    text = "\n".join(m.value for m in at.markdown)
    assert "May 2023" in text
    assert "(/?feature=mand-pishin-border-market)" in text
    assert "[Read it in context](/sources?source=complex-partnership&cite=" in text


def test_unknown_event_gives_a_notice_and_the_timeline():
    at = page("pages/timeline.py", {"event": "no-such-event"})
    assert not at.exception
    assert "No event has the id" in at.warning[0].value
    assert len(at.get("plotly_chart")) == 1


def test_timeline_filters_keep_the_page_working(ds):
    at = page("pages/timeline.py")
    # No topic chosen filters nothing, and says so, rather than emptying the chart.
    at.multiselect(key="topics").set_value([]).run()
    assert not at.exception and "shows every topic" in at.info[0].value
    assert len(at.get("plotly_chart")) == 1
    at.multiselect(key="topics").set_value(["energy"]).run()
    at.radio(key="period").set_value("all").run()
    assert not at.exception and len(at.get("plotly_chart")) == 1


def test_timeline_event_list_follows_the_filters_and_the_address(ds):
    at = app_test("pages/timeline.py", {"topics": ["energy"], "period": "All events"})
    energy = [e.id for e in ds.events if e.topic == "energy"]
    assert len(at.selectbox(key="w_event").options) == len(energy)
    at.multiselect(key="topics").set_value(["energy", "trade"]).run()
    both = [e.id for e in ds.events if e.topic in ("energy", "trade")]
    assert len(at.selectbox(key="w_event").options) == len(both)


@pytest.mark.parametrize(
    ("query", "notice"),
    [
        ({"topics": "xyz"}, "Unknown topic xyz in the link; showing every topic."),
        ({"topics": ""}, "The link chose no topic; showing every topic."),
        ({"period": "soon"}, "Unknown period “soon”"),
    ],
)
def test_unknown_or_empty_timeline_filters_fall_back_with_a_notice(ds, query, notice):
    at = page("pages/timeline.py", query)
    assert not at.exception
    assert any(notice in w.value.replace("\\", "") for w in at.warning)
    assert len(at.selectbox(key="w_event").options) == len(ds.events)


def test_an_empty_event_parameter_is_no_event_and_no_notice():
    at = page("pages/timeline.py", {"event": ""})
    assert not at.exception and not at.warning


def test_an_undated_event_says_how_it_is_dated_once_and_its_title_comes_early(ds):
    from geo.vocabulary import DATE_PRECISION_LABEL

    event = next(e for e in ds.events if e.date is None)
    at = app_test("pages/timeline.py", query={"event": event.id})
    assert not at.exception
    [line] = [m.value.replace("\\", "") for m in at.markdown if "topic:" in m.value]
    assert line.count(DATE_PRECISION_LABEL["undated"]) == 1, line
    assert event.date_phrase in line
    # In the event box: the source's words, then the title (the long note cut the title off).
    [box] = [s for s in at.selectbox if s.key == "w_event"]
    assert box.format_func(event.id) == f"“{event.date_phrase}”: {event.title}"
