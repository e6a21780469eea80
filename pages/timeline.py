"""Timeline: every dated event of the sources, as precisely as its date is known."""

from __future__ import annotations

from datetime import date

import streamlit as st

from geo.asof import as_of_sources
from geo.chartlayout import cited_figure
from geo.citations import citation_href
from geo.credits import file_name, source_line
from geo.models import Dataset
from geo.rows import EVENT_COLUMNS, event_rows, to_csv_bytes
from geo.text import md
from geo.timeline import (
    TOPICS,
    date_label,
    extent,
    filter_events,
    timeline_brief_chart,
    timeline_chart,
    timeline_height,
)
from geo.urlstate import id_notice, list_notice
from geo.vocabulary import DATE_PRECISION_LABEL
from pages import _state
from pages._shared import dataset, download, plotly_config, png_bytes, problem_banner
from patches import leave_pages_folder_mode

leave_pages_folder_mode()  # a shared link as the first request: run inside app.py
ds = dataset()
PAGE = "timeline"
PERIODS = {"recent": "From 2008", "all": "All events"}
RECENT_FROM = 2008
SOURCE_NAME = {sid: s.meta.short_name for sid, s in ds.sources.items()}
by_id = {e.id: e for e in ds.events}

if _state.arrived():
    # The event stays hand-written (every "on the timeline" link names it by id,
    # ?event=<id>); the filters are widgets bound to the address, which drop what they do not
    # know without a word, so the notices are read here first.
    link = _state.address()
    notices = [
        list_notice(link, "topics", TOPICS, "topic"),
        list_notice(link, "sources", list(SOURCE_NAME.values()), "source"),
        id_notice(
            link, "period", list(PERIODS.values()), "Unknown period “{}”; showing From 2008."
        ),
        id_notice(link, "event", list(by_id), "No event has the id “{}”."),
    ]
    if "event" in link:
        event = (link["event"] or [""])[-1]
        _state.seed("w_event", event if event in by_id else None)
    _state.set_notices(PAGE, notices)


def choose(event_id: str | None) -> None:
    """Open an event's quotes, and bring them into view (they are below the chart)."""
    st.session_state.w_event = event_id
    st.session_state.scroll_to_event = True
    _state.acted(PAGE)


def on_plot_select() -> None:
    points = st.session_state.timeline_plot.selection.get("points", [])
    # One customdata value per point: Plotly reports it bare, not as a list.
    ids = [
        p["customdata"] if isinstance(p["customdata"], str) else p["customdata"][0]
        for p in points
        if p.get("customdata")
    ]
    if ids:
        choose(ids[0])


def on_event() -> None:
    choose(st.session_state.w_event)


def on_undated(event_id: str) -> None:
    choose(event_id)


st.title("Timeline")
problem_banner(ds)
for notice in _state.notices(PAGE):
    st.warning(md(notice), icon=":material/search:")

c1, c2, c3 = st.columns([2, 3, 1])
picked_topics = c1.multiselect(
    "Topics",
    TOPICS,
    default=TOPICS,
    key="topics",
    wrap=True,
    bind="query-params",
    persist_state="session",
    on_change=_state.acted,
    args=(PAGE,),
)
picked_sources = c2.multiselect(
    "Sources",
    list(ds.sources),
    default=list(ds.sources),
    format_func=SOURCE_NAME.get,
    key="sources",
    wrap=True,
    bind="query-params",
    persist_state="session",
    on_change=_state.acted,
    args=(PAGE,),
)
period = c3.radio(
    "Period",
    list(PERIODS),
    format_func=PERIODS.get,
    key="period",
    bind="query-params",
    persist_state="session",
    on_change=_state.acted,
    args=(PAGE,),
)
# No topic or no source chosen would show nothing: an empty filter filters nothing, said so.
if not picked_topics or not picked_sources:
    st.info(
        "No " + ("topic" if not picked_topics else "source") + " is chosen, so the timeline "
        "shows every " + ("topic" if not picked_topics else "source") + "."
    )
topics = list(picked_topics) or TOPICS
source_ids = list(picked_sources) or list(ds.sources)

events = filter_events(ds, topics, source_ids)
undated = filter_events(ds, topics, source_ids, dated=False)


def short_source(e) -> str:
    names = [ds.sources[c.source].meta.short_name for c in e.citations if c.source in ds.sources]
    return ", ".join(dict.fromkeys(names))


chart = timeline_chart(ds, events, since=RECENT_FROM if period == "recent" else None)
if not events:
    st.info("No event matches these filters.")
else:
    rows = [e for e in events if period == "all" or extent(e)[1].year >= RECENT_FROM]
    st.plotly_chart(
        cited_figure(ds, chart, date.today(), width=None, height=timeline_height(len(rows))),
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
            "place them on a year. Each opens its quotes, as a click on the chart does."
        )
        for e in undated:
            st.button(
                f"{e.title}: “{e.date_phrase}”, {short_source(e)}",
                key=f"undated-{e.id}",
                on_click=on_undated,
                args=(e.id,),
                type="tertiary",
            )


def event_download_row(ds: Dataset) -> None:
    # The image names every event on it: one row per event, as a brief needs it.
    brief = timeline_brief_chart(ds, events, undated=len(undated))
    cols = st.columns([1, 1, 3])
    if events:
        download(
            cols[0],
            "Download PNG",
            lambda: png_bytes(ds, brief),
            what="The timeline's PNG",
            key="png-timeline",
            file_name=file_name("timeline", ds, brief.source_ids(), "png"),
            mime="image/png",
            needs_browser=True,
            report=st,
        )
    else:
        cols[0].download_button(
            "Download PNG", data=b"", key="png-timeline", disabled=True,
            help="No events pass the filters: there is nothing to draw.",
        )  # fmt: skip
    listed = events + undated
    download(
        cols[1],
        "Download CSV",
        lambda: to_csv_bytes(event_rows(ds, listed), EVENT_COLUMNS),
        what="The events' CSV",
        key="csv-timeline",
        file_name=file_name("events", ds, sorted({c.source for e in listed for c in e.citations}),
                            "csv"),
        mime="text/csv",
        report=st,
    )  # fmt: skip


event_download_row(ds)

st.subheader("Event")
# The list follows the filters; an event chosen before stays listed, so that it is not lost.
listed = [e.id for e in events + undated]
chosen = st.session_state.get("w_event")
if chosen and chosen not in listed and chosen in by_id:
    listed.append(chosen)
st.selectbox(
    f"Choose an event (or click one on the timeline): {len(events) + len(undated)} match the filters",
    options=listed,
    # An undated event by its source's words only ("earlier this year"): the long note on what
    # that means, before its title, cut the title off in the box.
    format_func=lambda eid: (
        f"“{by_id[eid].date_phrase}”: {by_id[eid].title}"
        if by_id[eid].date is None
        else f"{date_label(by_id[eid])}: {by_id[eid].title}"
    ),
    index=None,
    placeholder="Choose an event",
    key="w_event",
    on_change=on_event,
    persist_state="session",
)
selected = by_id.get(st.session_state.get("w_event") or "")
if selected is not None:
    with st.container(border=True, key="event-panel"):
        st.markdown(f"### {md(selected.title)}")
        st.markdown(
            f"**{md(date_label(selected))}**"
            # An undated event's label says already how it is dated.
            + (
                f" · {md(DATE_PRECISION_LABEL[selected.date_precision])}"
                if selected.date is not None
                else ""
            )
            + f" · topic: {md(selected.topic)}"
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
    if st.session_state.pop("scroll_to_event", False):
        # The quotes are below the chart: bring them into view, or a click seems to do nothing.
        # (st.html runs no scripts; this frame does, in the page's own origin.)
        st.iframe(
            "<script>(function(){var tries=0;var t=setInterval(function(){"
            "var el=window.parent.document.querySelector('.st-key-event-panel');"
            "if(el||++tries>50){clearInterval(t);if(el){el.scrollIntoView({block:'start'});}}"
            "},100);})();</script>",
            height=1,
        )

# Only ?event= is written by hand: every link to an event names it by id.
_state.write_own({"event": selected.id} if selected else {}, ("event",))
_state.remember_address(PAGE)
