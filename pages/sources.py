"""Sources: every document in full, its cited passages highlighted, search, and disagreements."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from geo.citations import highlighted_html, passages
from geo.credits import file_name, short
from geo.params import int_param
from geo.rows import DISAGREEMENT_COLUMNS, disagreement_rows, to_csv_bytes
from geo.sources import search
from geo.text import h, md
from geo.urlstate import focus_from_query, focus_to_query, id_notice, shown
from geo.vocabulary import DISAGREEMENT_LABEL, topic_href
from pages import _state
from pages._shared import dataset, download, problem_banner, source_cards, sources_csv_button
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
# The tabs' labels are their values in the address (?tab=Search): short, and never renamed.
TABS = ["Read", "Search", "Disagreements"]

if _state.arrived():
    # The open document and the passage are no widget's value alone: every quote in the atlas
    # links here by id (?source=<id>&cite=<key>), so they stay hand-written.
    link = _state.address()
    notices = []
    if "source" in link or "cite" in link or "hit" in link:
        doc = (link.get("source") or [None])[-1]
        if doc is not None and doc not in ds.sources:
            # Cut, as every notice cuts a link's value: a crafted 100 KB id is named, not
            # repeated whole in a 100 KB warning.
            notices.append(f"No source has the id “{shown(doc)}”.")
            doc = None
        focus, more = focus_from_query(
            link, doc, {sid: {p.key for p in passages(ds, sid)} for sid in ds.sources}
        )
        notices += more
        _state.put(PAGE, focus)
        _state.seed("w_doc", doc)
    notices.append(id_notice(link, "tab", TABS, "Unknown tab “{}”; showing the first."))
    _state.set_notices(PAGE, notices)
    # A search link opens on its hits, not on the document picker (one naming a document
    # opens that document).
    if link.get("q") and not link.get("tab") and not link.get("source"):
        _state.seed("tab", "Search")
    # One naming a document opens it to read, whatever tab the reader was on. (The links say
    # so without ?tab=Read: Streamlit's binding drops a first tab's name from the address, and
    # that drop was a second history entry, so Back from a hit needed two presses.)
    if link.get("source") and not link.get("tab"):
        _state.seed("tab", "Read")


def on_doc_change() -> None:
    _state.put(PAGE, None)
    _state.acted(PAGE)


st.title("Sources")
problem_banner(ds)
for notice in _state.notices(PAGE):
    st.warning(md(notice), icon=":material/search:")

st.caption(
    "The documents the atlas is built on, verbatim. What a document does not state, the atlas says so."
)
# Folded when the reader came for a document or a search: on a phone the five cards would
# push its text or its hits two screens down.
with st.expander(
    f"The {len(ds.sources)} documents: who wrote, published and dated them",
    expanded=not (st.session_state.get("w_doc") or st.query_params.get("q")),
):
    source_cards(ds)
    sources_csv_button(ds)

tab_read, tab_search, tab_disagree = st.tabs(
    TABS, key="tab", bind="query-params", on_change=_state.acted, args=(PAGE,)
)

with tab_search:
    query = st.text_input(
        "Search all documents (any case; a word's beginning finds the whole word, "
        '"in double quotes" whole words only)',
        key="q",
        placeholder="e.g. smuggl, border market, $10 billion",
        bind="query-params",
        persist_state="session",
        on_change=_state.acted,
        args=(PAGE,),
    )
    if query.strip():
        texts = {sid: s.text for sid, s in ds.sources.items()}
        hits = search(texts, query)
        counts = {sid: sum(1 for x in hits if x.source_id == sid) for sid in ds.sources}
        st.markdown(f"**{len(hits)} hit(s)** for “{md(shown(query))}”")
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
    st.caption(
        "Every matter on which the sources say different things, each version beside its source "
        "and quote. Whether the versions contradict each other, or may count different things or "
        "stand for different times, is the atlas's reading, said as such. The Topics page shows "
        "each beside everything else the sources say on its topic, and the map's panel beside "
        "the features it concerns."
    )
    if ds.disagreements:
        download(
            st,
            "Download the disagreements (CSV)",
            lambda: to_csv_bytes(disagreement_rows(ds, ds.disagreements), DISAGREEMENT_COLUMNS),
            what="The disagreements' CSV",
            key="table-csv-disagreements",
            file_name=file_name("disagreements", ds, list(ds.sources), "csv"),
            mime="text/csv",
            help="Each version's source and quote, and the kind; formula-safe.",
        )
    else:
        st.info("The data lists no matter on which the sources differ.")
    # A card per matter, each version's value and quote wrapped in full (a grid hid them).
    for i, d in enumerate(ds.disagreements):
        with st.container(border=True, key=f"disagreement-{i}"):
            st.markdown(
                f"**{md(d.topic)}**: {md(DISAGREEMENT_LABEL[d.kind])} (the atlas's reading)"
            )
            for v in d.versions:
                st.markdown(
                    f"- **{md(v.value)}**, {md(short(ds, v.citation.source))}: "
                    f"“{md(' '.join(v.citation.quote.split()))}”"
                )
            st.caption(md(d.note))
            if d.topics:
                st.markdown(f"[Read the topic: what each source says]({topic_href(d.topics[0])})")

with tab_read:
    doc = st.selectbox(
        "Document",
        options=list(ds.sources),
        format_func=lambda sid: ds.sources[sid].meta.reference(),
        index=None,
        placeholder="Choose a document to read",
        key="w_doc",
        on_change=on_doc_change,
        persist_state="session",
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
        focus = _state.get(PAGE)
        if focus and focus.startswith("hit-") and (query or "").strip():
            doc_hits = search({doc: src.text}, query)
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

# Only ?source=, ?cite= and ?hit= are written by hand; the tab and the search are bound.
own = ({"source": doc} if doc else {}) | (focus_to_query(_state.get(PAGE)) if doc else {})
_state.write_own(own, ("source", "cite", "hit"))
_state.remember_address(PAGE)
