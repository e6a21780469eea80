"""Topics: what each source says on a topic, side by side, where they differ, and what it concerns."""

from __future__ import annotations

import streamlit as st

from geo.asof import as_of
from geo.claims import TOPICS, claims_on_topic, topic_counts, topic_view
from geo.text import md
from geo.urlstate import id_notice
from geo.vocabulary import TOPIC_LABEL
from pages import _state
from pages._brief import brief_downloads
from pages._shared import dataset, problem_banner
from patches import leave_pages_folder_mode

leave_pages_folder_mode()  # a shared link as the first request: run inside app.py
ds = dataset()
PAGE = "topics"
counts = topic_counts(ds)
if _state.arrived():
    # The address names a topic by its label (?topic=Energy, as the pills show it) or by its id
    # (?topic=energy, as the command line and older links do): an id is given to the widget
    # here; Streamlit's binding drops anything else without a word, so say so once.
    asked = (_state.address().get("topic") or [""])[-1]
    if asked in TOPICS:
        _state.seed("topic", asked)
    elif not asked and "topic" not in st.session_state:
        _state.seed("topic", TOPICS[0])
    labels = [TOPIC_LABEL[t] for t in TOPICS]
    notice = f"No topic is called “{{}}”; showing “{labels[0]}”."
    _state.set_notices(PAGE, [id_notice(_state.address(), "topic", [*labels, *TOPICS], notice)])

st.title("What the sources say, by topic")
problem_banner(ds)
for notice in _state.notices(PAGE):
    st.warning(md(notice), icon=":material/search:")
st.caption(
    "Every statement on this page is a verbatim quote of one of the five documents, with a link "
    "to the passage in context. The few words in bold above each quote name its matter: they "
    "are the atlas's words, not the sources'."
)

# The topic is Streamlit's own widget state, bound to ?topic= (its label, e.g. ?topic=Energy)
# and kept across pages; choosing the chosen pill again would clear it, so it falls back.
picked = st.pills(
    "Topic",
    options=TOPICS,
    format_func=TOPIC_LABEL.get,
    # No default: the first topic is given through the session state when the link names none
    # (above), and Streamlit refuses a default beside a value set that way.
    default=None,
    key="topic",
    bind="query-params",
    persist_state="session",
    on_change=_state.acted,
    args=(PAGE,),
)
topic = picked or TOPICS[0]
st.caption(" · ".join(f"{TOPIC_LABEL[t]}: {counts[t][0]} statements" for t in TOPICS))
view = topic_view(ds, topic)

st.header(md(view.label))
claims = claims_on_topic(ds, topic)
n_diff = len(view.differences)
st.markdown(
    f"{len(claims)} statements from {len(view.by_source)} of the {len(ds.sources)} sources"
    + (
        f"; the sources differ on {n_diff} matter{'s' if n_diff != 1 else ''}, first below."
        if n_diff
        else "; the atlas records no matter on which they differ."
    )
)
st.caption(md(as_of(ds, claims).text()) if claims else "")
brief_downloads(ds, topic=topic)

st.subheader("Where the sources differ")
if not view.differences:
    st.caption("The atlas records no matter on this topic on which the sources differ.")
for d in view.differences:
    with st.container(border=True, key=f"differ-{d.id}"):
        st.markdown(f"#### {d.title}")
        st.markdown(d.kind)
        for col, v in zip(st.columns(len(d.versions), gap="medium"), d.versions, strict=True):
            with col:
                st.markdown(f"**{v.value}**")
                st.markdown(f"> {v.quote}")
                st.caption(v.byline)
        st.caption(d.note)
        if d.links:
            st.caption("Concerns: " + " · ".join(d.links))

st.subheader("What each source says")
if view.silent:
    st.caption(md("Nothing recorded on this topic from: " + "; ".join(view.silent) + "."))
# Side by side, one column per source (Streamlit stacks them on a phone); two rows of at most
# three columns keep a quote's lines readable at 1280 px.
groups = list(view.by_source)
for row_start in range(0, len(groups), 3):
    row = groups[row_start : row_start + 3]
    for col, (sid, name, blocks) in zip(st.columns(3, gap="medium"), row, strict=False):
        with col, st.container(border=True, key=f"source-{sid}"):
            st.markdown(f"##### {name}")
            for b in blocks:
                st.markdown(f"**{b.label}**")
                st.markdown(f"> {b.quote}")
                st.caption(b.byline)
                if b.links:
                    st.caption("Concerns: " + " · ".join(b.links))

st.subheader("Elsewhere in the atlas")
c1, c2, c3 = st.columns(3, gap="medium")
for col, title, links in (
    (c1, "On the map", view.features),
    (c2, "On the timeline", view.events),
    (c3, "On the Figures page", view.figures),
):
    with col:
        st.markdown(f"**{title}**")
        if links:
            st.markdown("\n".join(f"- {link}" for link in links))
        else:
            st.caption("Nothing on this topic.")

_state.remember_address(PAGE)
