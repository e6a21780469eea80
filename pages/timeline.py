"""Timeline: every dated event of the sources, as precisely as its date is known."""

from __future__ import annotations

from datetime import date

import streamlit as st

from geo.charts import cited_figure, file_name
from geo.citations import citation_href
from geo.models import DATE_PRECISION_LABEL, Dataset
from geo.pngexport import browser_path
from geo.rows import EVENT_COLUMNS, event_rows, to_csv_bytes
from geo.text import md
from geo.timeline import TOPICS, date_label, filter_events, timeline_brief_chart, timeline_chart
from pages._shared import dataset, plotly_config, png_bytes, problem_banner

ds = dataset()
PERIODS = {"recent": "From 2008", "all": "All events"}
RECENT_FROM = 2008

if "timeline_url_read" not in st.session_state:
    asked = st.query_params.get("event")
    known = asked is None or any(e.id == asked for e in ds.events)
    st.session_state.update(
        event=asked if known else None,
        timeline_notice=None if known else f"No event has the id “{asked}”.",
        timeline_url_read=True,
    )


def on_plot_select() -> None:
    points = st.session_state.timeline_plot.selection.get("points", [])
    # One customdata value per point: Plotly reports it bare, not as a list.
    ids = [
        p["customdata"] if isinstance(p["customdata"], str) else p["customdata"][0]
        for p in points
        if p.get("customdata")
    ]
    if ids:
        st.session_state.event = ids[0]


st.title("Timeline")
problem_banner(ds)
if st.session_state.timeline_notice:
    st.warning(md(st.session_state.timeline_notice), icon="🔎")

c1, c2, c3 = st.columns([2, 3, 1])
topics = c1.multiselect("Topics", TOPICS, default=TOPICS, key="topics")
source_ids = c2.multiselect(
    "Sources",
    list(ds.sources),
    default=list(ds.sources),
    format_func=lambda s: ds.sources[s].meta.short_name,
    key="tl_sources",
)
period = c3.radio("Period", list(PERIODS), format_func=PERIODS.get, key="period")

events = filter_events(ds, topics, source_ids)


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
    st.caption(md(chart.note))

undated = filter_events(ds, topics, source_ids, dated=False)
if undated:
    with st.expander(f"Dated only relative to the document ({len(undated)})", expanded=True):
        st.caption(
            "The sources date these only by words such as “earlier this year” in a text that "
            "does not state its own date, so the atlas does not place them on a year."
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
        data=to_csv_bytes(event_rows(ds, events), EVENT_COLUMNS),
        file_name="iran-pakistan-atlas-events.csv",
        mime="text/csv",
        key="csv-timeline",
        on_click="ignore",
    )


event_download_row(ds)

st.subheader("Event")
by_id = {e.id: e for e in ds.events}
st.selectbox(
    "Choose an event (or click one on the timeline)",
    options=[e.id for e in filter_events(ds) + filter_events(ds, dated=False)],
    format_func=lambda eid: f"{date_label(by_id[eid])}: {by_id[eid].title}",
    index=None,
    placeholder="Choose an event",
    key="event",
)
selected = by_id.get(st.session_state.event) if st.session_state.event else None
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

params = {"event": st.session_state.event} if st.session_state.event else {}
if dict(st.query_params) != params:
    st.query_params.from_dict(params)
