"""Laying a chart out: as the page shows it (`screen_figure`) and as every export draws it,
with its citation inside the image (`cited_figure`).

Text widths are measured with the font the charts are drawn in (geo/labels.py), so that
margins fit the longest label and the source block never runs into the legend.
"""

from __future__ import annotations

import re
import textwrap
from datetime import date

import plotly.graph_objects as go

from geo.charts import FONT, Chart
from geo.credits import basis_line, dates_line, source_line
from geo.labels import text_width
from geo.models import Dataset
from geo.text import plot

EXPORT_SIZE = (1600, 900)
LINE_PX = 1.5  # line height, in ems


def text_px(text: str, size: float) -> float:
    """The width in px of one line of text at `size` px, measured with the chart's own font
    (a little generous, so that text laid out by it fits what Chromium draws)."""
    return text_width(text, size) * 1.04


def wrap_px(text: str, width_px: float, size: float) -> list[str]:
    """`text` (plain, no markup) in lines no wider than `width_px` at `size` px, broken between
    words; a word wider than a line on its own (a long address) is broken inside it."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_px(f"{lines[-1]} {word}", size) <= width_px:
            lines[-1] = f"{lines[-1]} {word}"
            continue
        while len(word) > 1 and text_px(word, size) > width_px:
            cut = max(
                1, next(n for n in range(len(word), 0, -1) if text_px(word[:n], size) <= width_px)
            )
            lines.append(word[:cut])
            word = word[cut:]
        lines.append(word)
    return lines


def legend_entries(fig: go.Figure) -> list[str]:
    if fig.layout.showlegend is False:
        return []
    seen, out = set(), []
    for trace in fig.data:
        if trace.type not in ("bar", "scatter") or trace.showlegend is False or not trace.name:
            continue
        key = trace.legendgroup or trace.name
        if trace.showlegend is None and key in seen:
            continue
        seen.add(key)
        out.append(trace.name)
    return out


def legend_height(fig: go.Figure, plot_width: float, size: float) -> float:
    """Height of a horizontal legend once Plotly wraps it to `plot_width` (0 without one)."""
    entries = legend_entries(fig)
    if not entries or (len(entries) < 2 and fig.layout.showlegend is not True):
        return 0.0
    title = fig.layout.legend.title.text if fig.layout.legend.title else None
    rows, used = 1, text_px(title + "  ", size) if title else 0.0
    for name in entries:
        w = text_px(re.sub(r"<[^>]+>", "", name), size) + 50  # symbol and spacing
        if used and used + w > plot_width:
            rows, used = rows + 1, 0.0
        used += w
    return rows * size * 1.9 + 10


def category_labels(fig: go.Figure) -> list[str]:
    """The text of a categorical y axis' labels (horizontal bars, timeline rows)."""
    labels = []
    for trace in fig.data:
        for y in getattr(trace, "y", None) or []:
            if isinstance(y, str):
                labels.append(y)
    return list(dict.fromkeys(labels))


def cited_figure(
    ds: Dataset,
    chart: Chart,
    on: date,
    *,
    width: int | None = EXPORT_SIZE[0],
    height: int = EXPORT_SIZE[1],
) -> go.Figure:
    """The chart with its sources, what its values are, and both dates drawn in, so the citation
    travels with any copy.

    Margins, legend and the source block are laid out from measured text widths so that no
    label is cut and the legend never runs into the source block. The export size is the
    default; `width=None` gives the chart as the page shows it (`screen_figure`), whose sources
    and dates are the page's captions under it.
    """
    fig = go.Figure(chart.figure)
    if width is None:
        return screen_figure(fig, height)
    size = 14
    full_width = width
    labels = category_labels(fig)
    left = 80
    if labels:
        left = max(left, int(max(text_px(lab, FONT["size"]) for lab in labels)) + 30)
    right = 40
    plot_width = full_width - left - right
    # The source block starts 20 px from the image's left edge, not the plot's.
    block_width = full_width - 40
    lines = wrap_px(source_line(ds, chart), block_width, size)
    if chart.note:
        lines += wrap_px("Note: " + chart.note, block_width, size)
    basis = basis_line(chart)
    if basis:
        lines += wrap_px(basis, block_width, size)
    lines += wrap_px(dates_line(ds, chart.source_ids(), on), block_width, size)
    block = size * LINE_PX * len(lines)
    has_axes = any(t.type != "indicator" for t in fig.data)
    axis_px = 70 if has_axes else 10  # tick labels and the axis title under the plot
    legend_px = legend_height(fig, plot_width, FONT["size"])
    bottom = int(axis_px + legend_px + 16 + block + 16)
    top = 90
    title = fig.layout.title.text or ""
    if title and "<br>" not in title:
        # Wrapped to the width it gets: a title was cut at the right of an 840 px column.
        title_lines = wrap_px(title, full_width - 20, 17)
        fig.update_layout(title_text="<br>".join(title_lines))
        top += 22 * (len(title_lines) - 1)
    plot_height = height - top - bottom
    fig.update_layout(
        width=width,
        height=height,
        margin={"l": left, "r": right, "t": top, "b": bottom, "autoexpand": False},
        legend={"y": -axis_px / plot_height, "yanchor": "top", "x": 0, "xanchor": "left"},
    )
    fig.update_xaxes(automargin=False)
    fig.update_yaxes(automargin=False)
    x = -(left - 20) / plot_width
    fig.add_annotation(
        text="<br>".join(plot(line) for line in lines), xref="paper", yref="paper", x=x,
        y=-(axis_px + legend_px + 16) / plot_height, xanchor="left", yanchor="top", showarrow=False,
        align="left", font={"size": size, "color": "#3b3b3b"}, name="source-line",
    )  # fmt: skip
    return fig


TOOLBAR_PX = 34  # Plotly's toolbar at the chart's top right: the title starts under it
# Plotly's "top" of a title of several lines is about 16 px below its first line's top.
TITLE_DROP_PX = 16


def screen_figure(fig: go.Figure, height: int) -> go.Figure:
    """The chart as the page shows it, legible from a 390 px phone to a wide screen.

    The page does not know the reader's width, so nothing is laid out from it: Plotly sizes the
    margins to the labels it draws (automargin), the legend sits under the title, and the title
    is wrapped short. The sources, notes and dates are the page's captions under the chart,
    where a phone wraps them like any text; every download (PNG, SVG, PDF, the ZIP) is drawn
    by `cited_figure` at export size with all of them inside the image.
    """
    title = fig.layout.title.text or ""
    # 34 characters of the 16 px bold title fit a 390 px phone's chart (42 ran off it).
    lines = textwrap.wrap(title, 34) if "<br>" not in title else title.split("<br>")
    # Labels beside a bar's end (900 km, the target's name) run past the plot, not cut at it.
    for trace in fig.data:
        if trace.type in ("bar", "scatter"):
            trace.cliponaxis = False
    # Headline numbers one under another, so that each title has the whole width of a phone.
    numbers = [t for t in fig.data if t.type == "indicator"]
    for i, trace in enumerate(numbers):
        trace.domain = {
            "x": [0, 1],
            "y": [1 - (i + 0.9) / len(numbers), 1 - (i + 0.1) / len(numbers)],
        }
        trace.number.font.size = 48
        # Every line of the title wrapped for a phone; a styled line (qualifier · source)
        # wrapped in its own style.
        wrapped = []
        for line in (trace.title.text or "").split("<br>"):
            styled = re.fullmatch(r"(<span[^>]*>)(.*)</span>", line, flags=re.S)
            if styled:
                wrapped += [f"{styled[1]}{x}</span>" for x in textwrap.wrap(styled[2], 36)]
            else:
                wrapped += textwrap.wrap(line, 28)
        trace.title.text = "<br>".join(wrapped)
        trace.title.font.size = 15
    # Long legend names in two lines rather than cut at a phone's edge.
    for trace in fig.data:
        if (
            trace.type != "indicator"
            and trace.name
            and len(trace.name) > 36
            and "<br>" not in trace.name
        ):
            trace.name = "<br>".join(textwrap.wrap(trace.name, 36))
    # The title hung from the top of the chart, under a free band where Plotly's toolbar sits
    # (so that the toolbar never covers it), with a top margin as tall as its wrapped lines.
    # (Anchored by its bottom to the plot, as before, Plotly drew a title of several lines
    # down into the plot, over its top tick label, under 90 px of blank.) The legend under the
    # plot, where Plotly makes room for as many rows as it takes at the reader's width. (A legend between title and plot was given room by a
    # guess per entry: ~120 px of dead space on a wide screen, too little on a phone.)
    fig.update_layout(
        title={"text": "<br>".join(lines), "automargin": False, "yref": "container",
               "y": 1 - (TOOLBAR_PX + TITLE_DROP_PX) / height, "yanchor": "top", "x": 0,
               "xref": "container", "xanchor": "left", "pad": {"l": 10}, "font": {"size": 16}},
        height=height,
        margin={"l": 10, "r": 30, "t": TOOLBAR_PX + 22 * len(lines) + 16, "b": 10,
                "autoexpand": True},
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 0, "yanchor": "bottom",
                "yref": "container"},
    )  # fmt: skip
    fig.update_xaxes(automargin=True)
    fig.update_yaxes(automargin=True)
    # Long row labels (pipeline legs, timeline topics) in short lines, so that a phone's plot
    # keeps its width and no label is cut at the left.
    # Column names under vertical bars in short level lines too: rotated to fit a phone, they
    # took half its height and Plotly shrank every margin, the title's with it, to make room.
    columns = list(
        dict.fromkeys(
            x for t in fig.data if t.type == "bar" and t.orientation != "h"
            for x in (t.x or []) if isinstance(x, str)
        )
    )  # fmt: skip
    if columns:
        fig.update_xaxes(
            tickmode="array",
            tickvals=columns,
            ticktext=[short_lines(c, 14) for c in columns],
            tickangle=0,
        )
    labels = category_labels(fig)
    if any(len(label) > 16 for label in labels):
        fig.update_yaxes(
            tickmode="array",
            tickvals=labels,
            ticktext=[short_lines(label, 16) for label in labels],
        )
    # Bar values in short lines: beside a horizontal bar's end, "1,044 km" over "(measured)" (on
    # one line it ran past a phone's chart and was cut); on a column, wrapped, and never under
    # 10 px (Plotly shrank "approximately $3 bn" to 7 px to fit a phone's column).
    for trace in fig.data:
        if trace.type != "bar" or trace.text is None or isinstance(trace.text, str):
            continue
        if trace.orientation == "h":
            if trace.textposition == "outside":
                trace.text = [t.replace(" (", "<br>(", 1) if t else t for t in trace.text]
        else:
            trace.text = [short_lines(t, 14) if t and "<br>" not in t else t for t in trace.text]
    fig.update_layout(uniformtext={"minsize": 10, "mode": "show"})
    return fig


def short_lines(text: str, width: int) -> str:
    """`text` in lines of about `width` characters for a tick label, never breaking inside a
    word: a dash between names is a place to break ("Iran–" over "Kazakhstan")."""
    lines = textwrap.wrap(text.replace("–", "– "), width, break_long_words=False)
    return "<br>".join(line.replace("– ", "–") for line in lines)
