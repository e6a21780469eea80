"""Timeline: every dated event of the sources, as precisely as its date is known."""

from __future__ import annotations

from datetime import date
from functools import partial

import streamlit as st

from geo.asof import as_of_sources
from geo.charts import cited_figure, file_name, source_line
from geo.citations import citation_href
from geo.models import DATE_PRECISION_LABEL, Dataset
from geo.pngexport import browser_path
from geo.rows import EVENT_COLUMNS, event_rows, to_csv_bytes
from geo.text import md
from geo.timeline import TOPICS, date_label, filter_events, timeline_brief_chart, timeline_chart
from geo.urlstate import TimelineState, timeline_from_query, timeline_to_query
from pages import _state
from pages._shared import dataset, plotly_config, png_bytes, problem_banner
from patches import leave_pages_folder_mode

leave_pages_folder_mode()  # a shared link as the first request: run inside app.py
ds = dataset()
PAGE = "timeline"
PERIODS = {"recent": "From 2008", "all": "All events"}
RECENT_FROM = 2008
read = partial(
    timeline_from_query,
    topics=TOPICS,
    sources=list(ds.sources),
    periods=list(PERIODS),
    events=[e.id for e in ds.events],
)
write = partial(timeline_to_query, periods=list(PERIODS))
state: TimelineState = _state.restore(PAGE, read, write)


def on_plot_select() -> None:
    points = st.session_state.timeline_plot.selection.get("points", [])
    # One customdata value per point: Plotly reports it bare, not as a list.
    ids = [
        p["customdata"] if isinstance(p["customdata"], str) else p["customdata"][0]
        for p in points
        if p.get("customdata")
    ]
    if ids:
        _state.update(PAGE, event=ids[0])


def on_filters() -> None:
    _state.update(
        PAGE,
        topics=tuple(st.session_state.w_topics),
        sources=tuple(st.session_state.w_tl_sources),
        period=st.session_state.w_period,
    )


def on_event() -> None:
    _state.update(PAGE, event=st.session_state.w_event)


st.title("Timeline")
problem_banner(ds)
for notice in _state.notices(PAGE):
    st.warning(md(notice), icon="🔎")

c1, c2, c3 = st.columns([2, 3, 1])
_state.seed("w_topics", list(state.topics))
c1.multiselect("Topics", TOPICS, key="w_topics", on_change=on_filters)
_state.seed("w_tl_sources", list(state.sources))
c2.multiselect(
    "Sources",
    list(ds.sources),
    format_func=lambda s: ds.sources[s].meta.short_name,
    key="w_tl_sources",
    on_change=on_filters,
)
_state.seed("w_period", state.period)
c3.radio("Period", list(PERIODS), format_func=PERIODS.get, key="w_period", on_change=on_filters)
state = _state.get(PAGE)
topics, source_ids, period = list(state.topics), list(state.sources), state.period

events = filter_events(ds, topics, source_ids)
undated = filter_events(ds, topics, source_ids, dated=False)


def short_source(e) -> str:
    names = [ds.sources[c.source].meta.short_name for c in e.citations if c.source in ds.sources]
    return ", ".join(dict.fromkeys(names))


chart = timeline_chart(ds, events, since=RECENT_FROM if period == "recent" else None)
if not events:
    st.info("No event matches these filters.")
else:
    st.plotly_chart(
        cited_figure(ds, chart, date.today(), width=None, height=600),
        config=plotly_config(chart),
        key="timeline_plot",
        on_select=on_plot_select,
        selection_mode="points",
    )
    st.caption(md(source_line(ds, chart)))
    st.caption(md(chart.note))
    st.caption(md(as_of_sources(ds, chart.source_ids()).text()))

if undated:
    with st.expander(f"Dated only in the sources' words ({len(undated)})", expanded=True):
        st.caption(
            "The sources date these only by words such as “earlier this year”, in a text that "
            "does not state its own date, or “after” another event, so the atlas does not "
            "place them on a year."
        )
        for e in undated:
            st.markdown(f"- {md(e.title)}: “{md(e.date_phrase)}”, {md(short_source(e))}")


png_ready = browser_path() is not None


def event_download_row(ds: Dataset) -> None:
    # The image names every event on it: one row per event, as a brief needs it.
    brief = timeline_brief_chart(ds, events)
    cols = st.columns([1, 1, 3])
    cols[0].download_button(
        "Download PNG",
        data=lambda: png_bytes(ds, brief),
        file_name=file_name("timeline", ds, brief.source_ids(), "png"),
        mime="image/png",
        key="png-timeline",
        disabled=not png_ready or not events,
        help=None if png_ready else "PNG export needs Chromium on the server.",
        on_click="ignore",
    )
    cols[1].download_button(
        "Download CSV",
        data=to_csv_bytes(event_rows(ds, events + undated), EVENT_COLUMNS),
        file_name="iran-pakistan-atlas-events.csv",
        mime="text/csv",
        key="csv-timeline",
        on_click="ignore",
    )


event_download_row(ds)

st.subheader("Event")
by_id = {e.id: e for e in ds.events}
# The list follows the filters; an event chosen before stays listed, so that it is not lost.
listed = [e.id for e in events + undated]
if state.event and state.event not in listed:
    listed.append(state.event)
_state.seed("w_event", state.event)
st.selectbox(
    f"Choose an event (or click one on the timeline): {len(events) + len(undated)} match the filters",
    options=listed,
    format_func=lambda eid: f"{date_label(by_id[eid])}: {by_id[eid].title}",
    index=None,
    placeholder="Choose an event",
    key="w_event",
    on_change=on_event,
)
selected = by_id.get(state.event) if state.event else None
if selected is not None:
    with st.container(border=True, key="event-panel"):
        st.markdown(f"### {md(selected.title)}")
        st.markdown(
            f"**{md(date_label(selected))}** · {md(DATE_PRECISION_LABEL[selected.date_precision])}"
            f" · topic: {md(selected.topic)}"
        )
        for c in selected.citations:
            src = ds.sources.get(c.source)
            st.markdown(f"> {md(' '.join(c.quote.split()))}")
            st.markdown(
                f"— {md(src.meta.reference() if src else c.source)} · [Read it in context]({citation_href(c)})"
            )
        links = []
        for fid in selected.related_features:
            f = ds.feature(fid)
            links.append(
                f"[{md(f.props.name)}](/?feature={f.id})"
                if f is not None
                else f"{md(fid)} (unavailable: see the data problems)"
            )
        if links:
            st.markdown("**On the map:** " + ", ".join(links))

_state.publish(PAGE, write)
