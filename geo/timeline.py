"""The timeline of dated events, drawn as precisely as each date is known and no more."""

from __future__ import annotations

import calendar
import textwrap
from datetime import date, timedelta

import plotly.graph_objects as go

from geo.charts import FONT, Chart
from geo.models import DATE_PRECISION_LABEL, Dataset, Event
from geo.text import plot

TOPIC_COLOUR = {
    "diplomacy": "#1f5f8b",
    "security": "#c0392b",
    "trade": "#d68910",
    "energy": "#7d3c98",
    "connectivity": "#148f77",
}
TOPICS = list(TOPIC_COLOUR)


def extent(event: Event) -> tuple[date, date]:
    """The first and last day the event's date can mean: a whole year, a whole month, or a day.

    Only for dated events: an undated one has no place on a time axis.
    """
    if event.date is None:
        raise ValueError(f"event {event.id!r} is dated only relative to its document")
    parts = [int(p) for p in event.date.split("-")]
    if event.date_precision == "year":
        return date(parts[0], 1, 1), date(parts[0], 12, 31)
    if event.date_precision == "month":
        last = calendar.monthrange(parts[0], parts[1])[1]
        return date(parts[0], parts[1], 1), date(parts[0], parts[1], last)
    day = date(*parts)
    return day, day


def date_label(event: Event) -> str:
    """The date as precisely as it is known: '2024', 'March 2024', '18 June 2026', or the
    source's own relative words for an undated event."""
    if event.date is None:
        return f"“{event.date_phrase}” ({DATE_PRECISION_LABEL['undated']})"
    start, _ = extent(event)
    label = {
        "year": f"{start.year}",
        "month": f"{calendar.month_name[start.month]} {start.year}",
        "day": f"{start.day} {calendar.month_name[start.month]} {start.year}",
    }[event.date_precision]
    return f"{label} ({event.date_note})" if event.date_note else label


def filter_events(
    ds: Dataset,
    topics: list[str] | None = None,
    sources: list[str] | None = None,
    dated: bool = True,
) -> list[Event]:
    """Events of the given topics citing any of the given sources (None means all): the dated
    ones in date order, or (dated=False) those dated only relative to their document."""
    out = []
    for e in ds.events:
        if topics is not None and e.topic not in topics:
            continue
        if sources is not None and not any(c.source in sources for c in e.citations):
            continue
        if (e.date is not None) == dated:
            out.append(e)
    return sorted(out, key=lambda e: extent(e)[0]) if dated else out


def timeline_chart(ds: Dataset, events: list[Event], since: int | None = None) -> Chart:
    """One trace per event: a marker for a day, a bar across the month or year otherwise."""
    fig = go.Figure()
    shown_topics: set[str] = set()
    for e in events:
        start, end = extent(e)
        colour = TOPIC_COLOUR[e.topic]
        label = "<br>".join(plot(line) for line in textwrap.wrap(e.title, 48))
        common = {
            "name": e.topic,
            "legendgroup": e.topic,
            "showlegend": e.topic not in shown_topics,
            "customdata": [e.id],
            # hovertext, not hovertemplate: a template would read "%{…}" in the data as a field.
            "hovertext": f"<b>{plot(date_label(e))}</b><br>{label}<br><i>{e.date_precision} precision</i>",
            "hoverinfo": "text",
        }
        shown_topics.add(e.topic)
        if e.date_precision == "day":
            fig.add_scatter(
                x=[start], y=[e.topic], mode="markers", marker={"symbol": "diamond", "size": 14, "color": colour,
                "line": {"color": "#1d2327", "width": 1}}, **common,
            )  # fmt: skip
        else:
            # A bar across every day the date can mean, clickable along its whole length
            # (a line's markers took clicks only at its ends), and at its middle a clear
            # target wide enough to click however far the reader has zoomed out.
            days = (end - start).days + 1
            fig.add_bar(
                base=[start.isoformat()], x=[days * 86_400_000], y=[e.topic], orientation="h",
                width=0.5, marker={"color": colour, "opacity": 0.8,
                "line": {"color": "#1d2327", "width": 1}}, **common,
            )  # fmt: skip
            middle = start + timedelta(days=days / 2)
            fig.add_scatter(
                x=[middle], y=[e.topic], mode="markers", marker={"size": 18, "color": "rgba(0,0,0,0)"},
                **{**common, "showlegend": False},
            )  # fmt: skip
    first_year = min((extent(e)[0].year for e in events), default=2000)
    last = max((extent(e)[1] for e in events), default=date(2026, 12, 31))
    start_year = max(first_year, since) if since else first_year
    fig.update_layout(
        title={
            "text": "Dated events in the sources, drawn as precisely as each date is known",
            "x": 0.01,
            "xref": "container",
        },
        font=FONT,
        plot_bgcolor="white",
        paper_bgcolor="white",
        margin={"l": 110, "r": 30, "t": 70, "b": 60},
        legend={"orientation": "h", "y": -0.15, "x": 0, "title": {"text": "topic"}},
        hoverlabel={"align": "left"},
        xaxis={
            "type": "date",
            "range": [date(start_year, 1, 1), last + timedelta(days=120)],
            "gridcolor": "#eef0f1",
        },
        yaxis={
            "categoryorder": "array",
            # Only the rows that hold an event: an empty topic row reads as "nothing happened".
            "categoryarray": [t for t in reversed(TOPICS) if t in {e.topic for e in events}],
            "gridcolor": "#eef0f1",
        },
        clickmode="event+select",
        barmode="overlay",
    )
    hidden = [e for e in events if extent(e)[1].year < start_year]
    note = (
        "A year-long bar is an event the sources date only to the year; a month-long bar, to the month; "
        "a diamond, to the day."
    )
    if hidden:
        note += f" {len(hidden)} earlier event(s) lie left of this view ({', '.join(date_label(e) for e in hidden)})."
    sources = list(dict.fromkeys(c.source for e in events for c in e.citations))
    return Chart("timeline", "Timeline of events", fig, [], note=note, cited_sources=sources)


def timeline_brief_chart(ds: Dataset, events: list[Event]) -> Chart:
    """The timeline for a brief: one row per event, named on the image beside its mark.

    The on-screen timeline names events only in its hover; an exported image has no hover, so
    each event gets its own row, labelled with its date and title, coloured by topic.
    """
    fig = go.Figure()
    ordered = sorted(events, key=lambda e: extent(e)[0])
    first = min((extent(e)[0] for e in ordered), default=date(2000, 1, 1))
    last = max((extent(e)[1] for e in ordered), default=date(2026, 12, 31))
    middle = first + (last - first) / 2
    shown_topics: set[str] = set()
    for row, e in enumerate(ordered):
        start, end = extent(e)
        colour = TOPIC_COLOUR[e.topic]
        label = plot(f"{date_label(e)} · {e.title}")
        # Labels of late events go to the left of their mark, so none runs off the right edge.
        side = "middle left" if start > middle else "middle right"
        common = {"name": e.topic, "legendgroup": e.topic, "showlegend": e.topic not in shown_topics,
                  "hoverinfo": "skip", "textfont": {"size": 13, "color": "#1d2327"}}  # fmt: skip
        shown_topics.add(e.topic)
        if e.date_precision == "day":
            fig.add_scatter(x=[start], y=[row], mode="markers+text", text=[label], textposition=side,
                            marker={"symbol": "diamond", "size": 13, "color": colour,
                                    "line": {"color": "#1d2327", "width": 1}}, **common)  # fmt: skip
        else:
            tip = end + timedelta(days=1)
            fig.add_scatter(x=[start, tip], y=[row, row], mode="lines+markers+text", line={"color": colour, "width": 10},
                            text=["", label] if side == "middle right" else [label, ""], textposition=side,
                            marker={"symbol": "line-ns", "size": 14, "line": {"color": colour, "width": 2}},
                            **common)  # fmt: skip
    span = last - first
    fig.update_layout(
        title={"text": "Dated events in the sources, drawn as precisely as each date is known", "x": 0.01, "xref": "container"},
        font=FONT, plot_bgcolor="white", paper_bgcolor="white", showlegend=True,
        legend={"orientation": "h", "title": {"text": "topic"}},
        xaxis={"type": "date", "range": [first - span / 40, last + span / 40], "gridcolor": "#eef0f1"},
        yaxis={"visible": False, "autorange": "reversed", "range": [len(ordered) - 0.5, -0.5]},
    )  # fmt: skip
    note = (
        "A bar spans the year or month to which the sources date an event; a diamond marks a day."
    )
    sources = list(dict.fromkeys(c.source for e in events for c in e.citations))
    return Chart("timeline", "Timeline of events", fig, [], note=note, cited_sources=sources,
                 basis="Shown: events and dates as the sources state them, each quoted in the events CSV.")  # fmt: skip
