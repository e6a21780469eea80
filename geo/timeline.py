"""The timeline of dated events, drawn as precisely as each date is known and no more."""

from __future__ import annotations

import calendar
import textwrap
from datetime import date, timedelta

import plotly.graph_objects as go

from geo.charts import FONT, Chart
from geo.models import Dataset, Event
from geo.text import plot
from geo.vocabulary import DATE_PRECISION_LABEL

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


def _label_side(start: date, first: date, last: date) -> str:
    """Late events are labelled to the left of their mark, so that no label runs off the right."""
    return "middle left" if start > first + (last - first) / 2 else "middle right"


ROW_PX = 46  # each event's row on screen: a two-line label fits


def timeline_height(n_events: int) -> int:
    """The on-screen chart's height for `n_events` rows: the rows, the title and the axis."""
    return max(300, ROW_PX * n_events + 150)


def timeline_chart(ds: Dataset, events: list[Event], since: int | None = None) -> Chart:
    """One row per event, named beside its mark (as on the exported image): a diamond for a day,
    a bar across the month or year otherwise, each clickable by its id (customdata).

    A row each, not a row per topic: a year-long bar and a month in that year no longer
    overlap, and every event can be read without hovering.
    """
    fig = go.Figure()
    first_year = min((extent(e)[0].year for e in events), default=2000)
    start_year = max(first_year, since) if since else first_year
    hidden = [e for e in events if extent(e)[1].year < start_year]
    shown = sorted((e for e in events if e not in hidden), key=lambda e: extent(e)[0])
    first = date(start_year, 1, 1)
    last = max((extent(e)[1] for e in shown), default=date(2026, 12, 31))
    shown_topics: set[str] = set()
    # Selection must not fade the other events: the chart is a menu, not a filter.
    keep = {"selected": {"marker": {"opacity": 1}}, "unselected": {"marker": {"opacity": 1}}}
    for row, e in enumerate(shown):
        start, end = extent(e)
        colour = TOPIC_COLOUR[e.topic]
        hover = "<br>".join(plot(line) for line in textwrap.wrap(e.title, 48))
        # The label on the chart: its date and title, wrapped short enough for a phone.
        # The date without its note (the hover and the event's panel give it): the title must
        # fit in two short lines.
        when = date_label(e).removesuffix(f" ({e.date_note})") if e.date_note else date_label(e)
        lines = textwrap.wrap(f"{when} · {e.title}", 34)
        if len(lines) > 2:
            lines = [lines[0], lines[1] + " …"]
        text = "<br>".join(plot(line) for line in lines)
        common = {
            "name": e.topic,
            "legendgroup": e.topic,
            "customdata": [e.id],
            # hovertext, not hovertemplate: a template would read "%{…}" in the data as a field.
            "hovertext": f"<b>{plot(date_label(e))}</b><br>{hover}<br><i>{e.date_precision} precision</i>",
            "hoverinfo": "text",
        }
        label = {
            "text": [text],
            "textposition": _label_side(start, first, last),
            "textfont": {"size": 12, "color": "#1d2327"},
            "cliponaxis": False,
        }
        legend = {"showlegend": e.topic not in shown_topics}
        shown_topics.add(e.topic)
        if e.date_precision == "day":
            fig.add_scatter(
                x=[start], y=[row], mode="markers+text", marker={"symbol": "diamond", "size": 14,
                "color": colour, "line": {"color": "#1d2327", "width": 1}},
                **common, **label, **legend, **keep,
            )  # fmt: skip
        else:
            # A bar across every day the date can mean, clickable along its whole length
            # (a line's markers took clicks only at its ends), and at its middle a clear
            # target wide enough to click however far the reader has zoomed out. The label
            # stands beside the bar's start or end, as on the exported image: carried by the
            # middle target, it was written over half of a year's bar.
            days = (end - start).days + 1
            fig.add_bar(
                base=[start.isoformat()], x=[days * 86_400_000], y=[row], orientation="h",
                width=0.5, marker={"color": colour, "opacity": 0.85,
                "line": {"color": "#1d2327", "width": 1}}, **common, **legend,
                selected={"marker": {"opacity": 0.85}}, unselected={"marker": {"opacity": 0.85}},
            )  # fmt: skip
            middle = start + timedelta(days=days / 2)
            fig.add_scatter(
                x=[middle], y=[row], mode="markers",
                marker={"size": 18, "color": "rgba(0,0,0,0)"},
                **common, showlegend=False, **keep,
            )  # fmt: skip
            beside = (
                start if label["textposition"] == "middle left" else start + timedelta(days=days)
            )
            fig.add_scatter(
                x=[beside], y=[row], mode="text", **common, **label, showlegend=False, **keep
            )  # fmt: skip
    span = last - first
    fig.update_layout(
        title={
            "text": "Dated events in the sources, drawn as precisely as each date is known",
            "x": 0.01,
            "xref": "container",
        },
        font=FONT,
        plot_bgcolor="white",
        paper_bgcolor="white",
        margin={"l": 20, "r": 20, "t": 60, "b": 40},
        legend={
            "orientation": "h",
            "y": 1.0,
            "yanchor": "bottom",
            "x": 0,
            "title": {"text": "topic"},
        },
        hoverlabel={"align": "left"},
        xaxis={
            "type": "date",
            "range": [first - span / 30, last + span / 30],
            "gridcolor": "#eef0f1",
        },
        yaxis={"visible": False, "range": [len(shown) - 0.5, -0.7], "fixedrange": True},
        clickmode="event+select",
        barmode="overlay",
    )
    note = (
        "A year-long bar is an event the sources date only to the year; a month-long bar, to the month; "
        "a diamond, to the day."
    )
    if hidden:
        note += f" {len(hidden)} earlier event(s) are left out of this view ({', '.join(date_label(e) for e in hidden)}); choose All events to see them."
    sources = list(dict.fromkeys(c.source for e in events for c in e.citations))
    return Chart("timeline", "Timeline of events", fig, [], note=note, cited_sources=sources)


def timeline_brief_chart(ds: Dataset, events: list[Event], undated: int = 0) -> Chart:
    """The timeline for a brief: one row per event, named on the image beside its mark.

    The on-screen timeline names events only in its hover; an exported image has no hover, so
    each event gets its own row, labelled with its date and title, coloured by topic.
    `undated` events (dated only relative to their document) cannot be placed; the image says
    how many there are and where they are, so that none is dropped without a word.
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
    if undated:
        note += f" + {undated} undated, listed in the CSV (the sources date them only relative to their own text)."
    sources = list(dict.fromkeys(c.source for e in events for c in e.citations))
    return Chart("timeline", "Timeline of events", fig, [], note=note, cited_sources=sources,
                 basis="Shown: events and dates as the sources state them, each quoted in the events CSV.")  # fmt: skip
