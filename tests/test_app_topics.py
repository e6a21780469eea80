"""AppTest of the Topics page: the topic from the address, each source's quotes side by side,
the disagreements with their kind, links to the records concerned, and a notice for a bad link."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from geo.claims import TOPICS, claims_on_topic, disagreements_on_topic
from geo.vocabulary import DISAGREEMENT_LABEL, TOPIC_LABEL
from tests.apptest import app_test


def run_topics(params: dict[str, str] | None = None) -> AppTest:
    return app_test("pages/topics.py", params)


def markdown_text(at: AppTest) -> str:
    return "\n".join(m.value for m in [*at.markdown, *at.caption])


def fold(text: str) -> str:
    """Markdown escapes removed, whitespace folded: the text as the reader sees it."""
    import re

    return " ".join(re.sub(r"\\(.)", r"\1", text).split())


@pytest.mark.parametrize("topic", ["security", "energy", "trade"])
def test_topic_from_the_address_shows_every_quote_on_it_with_its_source_and_link(ds, topic):
    at = run_topics({"topic": topic})
    assert not at.exception
    assert at.header[0].value == TOPIC_LABEL[topic]
    text = fold(markdown_text(at))
    claims = claims_on_topic(ds, topic)
    assert claims
    for claim in claims:
        assert fold(claim.citation.quote) in text, claim.id
        assert f"cite={ds.cite(claim.citation).key}" in text, claim.id
    # Only this topic's claims: a claim read under no shared topic is not shown.
    other = next(
        c
        for c in ds.claims
        if topic not in c.topics and c.citation.quote not in {x.citation.quote for x in claims}
    )
    assert fold(other.citation.quote) not in text
    # The pills, bound to ?topic= (Streamlit's frontend writes it back by label), hold it.
    assert at.session_state["topic"] == topic


def test_each_source_has_its_own_column_headed_by_its_name(ds):
    at = run_topics({"topic": "energy"})
    headings = [
        fold(m.value.removeprefix("##### ")) for m in at.markdown if m.value.startswith("##### ")
    ]
    speaking = [
        sid
        for sid in ds.sources
        if any(c.citation.source == sid for c in claims_on_topic(ds, "energy"))
    ]
    # The source columns come first, in the order of sources.json, one per source.
    assert headings[: len(speaking)] == [ds.sources[sid].meta.short_name for sid in speaking]
    silent = [s.meta.short_name for sid, s in ds.sources.items() if sid not in speaking]
    if silent:
        assert "Nothing recorded on this topic from: " + "; ".join(silent) in fold(
            markdown_text(at)
        )


def test_disagreements_on_the_topic_show_their_kind_and_versions_side_by_side(ds):
    at = run_topics({"topic": "diplomacy"})
    text = fold(markdown_text(at))
    differ = disagreements_on_topic(ds, "diplomacy")
    assert "relations-in-recent-years" in [d.id for d in differ]
    for d in differ:
        assert DISAGREEMENT_LABEL[d.kind] in text, d.id
        for v in d.versions:
            assert fold(v.citation.quote) in text, d.id
    assert "strained in recent years" in text and "growing stronger in recent years" in text


def test_records_concerned_are_one_click_away(ds):
    at = run_topics({"topic": "energy"})
    text = markdown_text(at)
    assert "(/?feature=ip-gas-pipeline-pakistan-leg)" in text
    assert "(/timeline?event=pipeline-restart-agreed)" in text
    assert "(/figures?figure=pipeline-built-rasanah)" in text


def test_a_topic_named_by_its_label_opens_it_too(ds):
    at = run_topics({"topic": TOPIC_LABEL["energy"]})
    assert not at.exception and not at.warning
    assert at.header[0].value == TOPIC_LABEL["energy"]


def test_unknown_topic_falls_back_to_the_first_with_a_notice():
    at = run_topics({"topic": "weather"})
    assert not at.exception
    assert "No topic is called “weather”" in at.warning[0].value
    assert at.header[0].value == TOPIC_LABEL[TOPICS[0]]


def test_choosing_a_topic_shows_it_and_rewrites_the_address(ds):
    at = run_topics({"topic": "trade"})
    at.get_by_key("topic").set_value("central_asia").run()
    assert not at.exception
    assert at.header[0].value == TOPIC_LABEL["central_asia"]
    assert at.session_state["topic"] == "central_asia"
    text = fold(markdown_text(at))
    assert all(fold(c.citation.quote) in text for c in claims_on_topic(ds, "central_asia"))


def test_figure_links_say_whose_figure_each_is(ds):
    """Three sources give the border's length: three links that read the same told nothing."""
    at = run_topics({"topic": "border"})
    text = markdown_text(at).replace("\\", "")
    lengths = [f for f in ds.figures if f.id.startswith("border-length-")]
    assert len(lengths) == 3
    for f in lengths:
        short = ds.sources[f.citation.source].meta.short_name
        assert f"[{f.label}: {f.value_text}, per {short}](/figures?figure={f.id})" in text, f.id
    # A count has no unit ("6", not "6 count").
    planned = next(f for f in ds.figures if f.unit == "count" and f.id in text)
    assert f"{planned.label}: {planned.value:g}, per" in text
