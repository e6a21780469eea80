"""Each source is named one short way and one full way, on every surface and in every export.

Collects the text of the panel and popup of every feature, every chart's and the map's footer,
the timeline's, SOURCES.txt and the Sources page, and checks that wherever a source's title
appears it is inside that source's one full reference (title, publisher, date).
"""

from __future__ import annotations

import dataclasses
import html
import re
from datetime import date

import pytest

from geo.chartlayout import cited_figure
from geo.charts import build_charts
from geo.export import sources_text
from geo.mapimage import map_figure
from geo.mapview import popup_html
from geo.panel import build_panel
from geo.timeline import filter_events, timeline_brief_chart
from tests.apptest import app_test

ON = date(2026, 12, 1)


def plain(text: str) -> str:
    """Tags and Markdown escapes out, entities decoded, whitespace folded."""
    text = re.sub(r"<br\s*/?>", " ", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = html.unescape(text).replace("\\", "")
    return " ".join(text.split())


def stray_titles(ds, text: str) -> list[str]:
    """Each title that appears in `text` other than inside its source's full reference."""
    text = plain(text)
    stray = []
    for src in ds.sources.values():
        title, full = src.meta.title, src.meta.reference()
        if text.replace(full, "").count(title):
            stray.append(title)
    return stray


def figure_text(fig) -> str:
    parts = [a.text or "" for a in fig.layout.annotations]
    parts.append(fig.layout.title.text or "")
    return " ".join(parts)


def test_panel_and_popup_name_sources_only_by_short_name_or_full_reference(ds):
    for f in ds.features:
        panel = build_panel(ds, f)
        texts = [panel.status, panel.summary, panel.placement, *panel.events]
        texts += [str(q) for q in panel.quotes]
        assert stray_titles(ds, " ".join(texts)) == [], f.id
        assert stray_titles(ds, popup_html(ds, f)) == [], f.id


def test_every_footer_names_sources_by_their_full_reference(ds):
    figures = [cited_figure(ds, chart, ON) for chart in build_charts(ds)]
    figures.append(cited_figure(ds, timeline_brief_chart(ds, filter_events(ds)), ON))
    figures.append(map_figure(ds, None, None, ON).figure)
    for fig in figures:
        text = figure_text(fig)
        assert stray_titles(ds, text) == [], text[:200]
        named = [s for s in ds.sources.values() if s.meta.reference() in plain(text)]
        assert named, f"no source named in full in {text[:200]!r}"


def test_sources_txt_gives_each_source_its_short_name_and_full_reference(ds):
    text = sources_text(ds)
    for src in ds.sources.values():
        assert f"[{src.id}] {src.meta.short_name}: {src.meta.reference()}" in text
    assert stray_titles(ds, text) == []


@pytest.mark.parametrize("tab", [None, "search", "disagreements"])
def test_sources_page_names_sources_only_by_short_name_or_full_reference(ds, tab):
    query = {"source": "rasanah-pezeshkian-visit"}
    if tab:
        query["tab"] = tab
    at = app_test("pages/sources.py", query)
    assert not at.exception
    texts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    texts += [str(o) for s in at.selectbox for o in s.options]
    assert stray_titles(ds, " ".join(texts)) == []


def test_a_briefs_notes_and_source_list_name_sources_by_their_full_reference(ds):
    from geo.brief import feature_brief, topic_brief
    from geo.briefpdf import brief_html

    for brief in (feature_brief(ds, "gabd-rimdan-crossing", ON), topic_brief(ds, "energy", ON)):
        assert brief.notes
        # The images' own pixels do not matter here, only the words around them.
        brief.images = [dataclasses.replace(i, png=b"\x89PNG") for i in brief.images]
        for note in brief.notes:
            assert note.reference().startswith(ds.sources[note.source].meta.reference())
        # The written document (as the PDF lays it out) names no title any other way.
        assert stray_titles(ds, brief_html(brief)) == []
