"""Sources: every document in full, its cited passages highlighted, search, and disagreements."""

from __future__ import annotations

import json
from functools import partial
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from geo.charts import disagreements
from geo.citations import highlighted_html, passages
from geo.models import DISAGREEMENT_LABEL
from geo.params import int_param
from geo.sources import search
from geo.text import h, md
from geo.urlstate import SourcesState, sources_from_query, sources_to_query
from pages import _state
from pages._shared import dataset, problem_banner, sources_frame
from patches import leave_pages_folder_mode

leave_pages_folder_mode()  # a shared link as the first request: run inside app.py
ds = dataset()
KIND_NOUN = {
    "feature": "map feature",
    "figure": "figure",
    "event": "event",
    "disagreement": "differences between sources",
    "claim": "what the sources say, by topic",
}

PAGE = "sources"
read = partial(
    sources_from_query,
    sources=list(ds.sources),
    citation_keys={sid: {p.key for p in passages(ds, sid)} for sid in ds.sources},
)
state: SourcesState = _state.restore(PAGE, read, sources_to_query)


def on_doc_change() -> None:
    _state.update(PAGE, doc=st.session_state.w_doc, focus=None)


def on_query() -> None:
    _state.update(PAGE, q=st.session_state.w_q)


st.title("Sources")
problem_banner(ds)
for notice in _state.notices(PAGE):
    st.warning(md(notice), icon="🔎")

st.caption(
    "The documents the atlas is built on, verbatim. What a document does not state, the atlas says so."
)
st.dataframe(sources_frame(ds), hide_index=True, width="stretch")

tab_read, tab_search, tab_disagree = st.tabs(
    ["Read a document", "Search all documents", "Where sources disagree"]
)

with tab_search:
    _state.seed("w_q", state.q)
    query = st.text_input(
        "Search all documents (any case; a word's beginning finds the whole word, "
        '"in double quotes" whole words only)',
        key="w_q",
        placeholder="e.g. smuggl, border market, $10 billion",
        on_change=on_query,
    )
    if query.strip():
        texts = {sid: s.text for sid, s in ds.sources.items()}
        hits = search(texts, query)
        counts = {sid: sum(1 for x in hits if x.source_id == sid) for sid in ds.sources}
        st.markdown(f"**{len(hits)} hit(s)** for “{md(query)}”")
        st.dataframe(
            pd.DataFrame(
                [
                    {"source": ds.sources[sid].meta.short_name, "hits": n}
                    for sid, n in counts.items()
                ]
            ),
            hide_index=True,
        )
        n_by_source: dict[str, int] = {}
        for x in hits:
            n = n_by_source.get(x.source_id, 0)
            n_by_source[x.source_id] = n + 1
            sentence_hits = search({"s": x.sentence}, query)
            if sentence_hits:
                a, b = sentence_hits[0].start, sentence_hits[0].end
                shown = f"{md(x.sentence[:a])}**{md(x.sentence[a:b])}**{md(x.sentence[b:])}"
            else:
                shown = md(x.sentence)
            href = "/sources?" + urlencode({"source": x.source_id, "hit": n, "q": query})
            st.markdown(
                f"- {shown}  \n  — {md(ds.sources[x.source_id].meta.short_name)} · [open at this hit]({href})"
            )

with tab_disagree:
    rows = disagreements(ds)
    st.caption(
        "Every matter on which the sources say different things, each version beside its source "
        "and quote. Whether the versions contradict each other, or may count different things or "
        "stand for different times, is the atlas's reading, said as such."
    )
    if rows:
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
        for d in ds.disagreements:
            st.markdown(f"**{md(d.topic)}**: {md(DISAGREEMENT_LABEL[d.kind])}. {md(d.note)}")
    else:
        st.info("The data lists no matter on which the sources differ.")

with tab_read:
    _state.seed("w_doc", state.doc)
    doc = st.selectbox(
        "Document",
        options=list(ds.sources),
        format_func=lambda sid: ds.sources[sid].meta.reference(),
        index=None,
        placeholder="Choose a document to read",
        key="w_doc",
        on_change=on_doc_change,
    )
    if doc is None:
        st.info(
            "Choose a document, or follow a quote's link anywhere in the atlas to open it at that passage."
        )
    else:
        src = ds.sources[doc]
        cited = passages(ds, doc)
        marks = [
            (
                p.start,
                p.end,
                p.key,
                "Cited by " + "; ".join(f"{c.name} ({KIND_NOUN[c.kind]})" for c in p.citers),
            )
            for p in cited
        ]
        focus = state.focus
        if focus and focus.startswith("hit-") and state.q.strip():
            doc_hits = search({doc: src.text}, state.q)
            n = int_param(focus.removeprefix("hit-"), 0, len(doc_hits) - 1)
            if n is not None:
                marks.append((doc_hits[n].start, doc_hits[n].end, focus, "Search hit"))
        focus_key = focus
        st.markdown(f"**{md(src.meta.reference())}**")
        if src.meta.url:
            st.caption(md(src.meta.url))
        text_col, list_col = st.columns([3, 2], gap="medium")
        with text_col, st.container(key="doc-text"):
            # A box of our own, not a fixed-height container: it scrolls, so the keyboard must
            # reach it (tabindex) and a screen reader must know what it is (a named region).
            st.html(
                "<style>.atlas-doc{white-space:pre-wrap;font-family:Georgia,'DejaVu Serif',serif;line-height:1.55;"
                "max-height:640px;overflow-y:auto;padding:0 .5rem;border:1px solid #d5dadd;border-radius:.5rem}"
                ".atlas-doc:focus-visible{outline:2px solid #1f5f8b}"
                ".atlas-mark{background:#fdebb3;padding:0 1px}.atlas-focus{background:#f5b041;outline:2px solid #b9770e}"
                # On paper the box grows to the whole text (a scrolling box printed blank).
                "@media print{.atlas-doc{max-height:none;overflow:visible;border:none}}</style>"
                f'<div class="atlas-doc" tabindex="0" role="region" aria-label="{h(src.meta.title)}: full text">'
                f"{highlighted_html(src.text, marks, focus_key)}</div>"
            )
        with list_col:
            st.markdown(f"**{len(cited)} cited passage(s)** in this document")
            for p in cited:
                links = ", ".join(
                    f"[{md(c.name)}]({c.href}) ({KIND_NOUN[c.kind]})" for c in p.citers
                )
                marker = "▶ " if p.key == focus_key else ""
                st.markdown(
                    f"{marker}“{md(p.quote[:160])}{'…' if len(p.quote) > 160 else ''}”  \n  cited by {links}"
                )
        if focus_key:
            # Scroll the passage into view once it is drawn (st.html runs no scripts itself).
            st.iframe(
                "<script>(function(){var key=" + json.dumps("cite-" + focus_key) + ";var tries=0;"
                "var t=setInterval(function(){var el=window.parent.document.getElementById(key);"
                "if(el||++tries>50){clearInterval(t);if(el){el.scrollIntoView({block:'center'});}}},100);})();</script>",
                height=1,
            )

_state.publish(PAGE, sources_to_query)
