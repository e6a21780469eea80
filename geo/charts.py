"""Plotly charts of the figures the sources give: built from the figures table, never literals.

Every chart keeps the records it was drawn from, so that its caption, its CSV and the source
line of its exported PNG all name exactly the sources behind it. Where sources disagree, each
value is its own trace, labelled with its source.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from typing import Any

import plotly.graph_objects as go

from geo.credits import short
from geo.layers import measured_length_km
from geo.models import Dataset, Figure
from geo.text import plot
from geo.vocabulary import DISAGREEMENT_LABEL

PALETTE = ["#1f5f8b", "#c0392b", "#d68910", "#148f77", "#7d3c98", "#5d6d7e"]
GAP_COLOUR = "#d5dde3"
TARGET_COLOUR = "#17202a"
FONT = {"family": "DejaVu Sans, Arial, sans-serif", "size": 14, "color": "#1d2327"}


@dataclass
class Chart:
    """A chart with the records behind it."""

    id: str
    title: str
    figure: go.Figure
    figures: list[Figure]
    derived: list[dict[str, Any]] = field(default_factory=list)
    note: str = ""
    cited_sources: list[str] = field(default_factory=list)  # sources cited other than by figures
    basis: str = ""  # what the values are, where figures and derived rows do not say it

    def source_ids(self) -> list[str]:
        return list(dict.fromkeys([f.citation.source for f in self.figures] + self.cited_sources))


def source_colour(ds: Dataset, source_id: str) -> str:
    """One colour per source, the same in every chart."""
    ids = list(ds.sources)
    return PALETTE[ids.index(source_id) % len(PALETTE)] if source_id in ids else PALETTE[-1]


def metric(ds: Dataset, metric_id: str) -> list[Figure]:
    """Every figure of one metric, in the order of the data."""
    return [f for f in ds.figures if f.metric == metric_id]


HOVER_QUOTE_MAX = (
    320  # characters: a whole quote up to this length, else the part around the figure
)


def _number_spellings(value: float) -> list[str]:
    """How a source may write a value: '3', '4,000', '4000', '92.8'."""
    return list(
        dict.fromkeys([f"{value:,.0f}" if value == int(value) else f"{value:,g}", f"{value:g}"])
    )


def quote_around(quote: str, value: float, limit: int = HOVER_QUOTE_MAX) -> str:
    """The quote, whole if it is short; else the part of it around the figure, never cut before it.

    Where the number is not written as digits (say 'Twelve'), the quote's start is shown.
    """
    text = " ".join(quote.split())
    if len(text) <= limit:
        return text
    at = -1
    for spelling in _number_spellings(value):
        m = re.search(rf"(?<![\d.,]){re.escape(spelling)}(?![\d])", text)
        if m:
            at = m.start()
            break
    start = max(0, at - limit // 2) if at >= 0 else 0
    end = min(len(text), start + limit)
    start = max(0, end - limit)
    # Whole words only: move inwards to the nearest space.
    if start > 0:
        start = text.find(" ", start) + 1
    if end < len(text):
        end = text.rfind(" ", start, end)
    return ("…" if start > 0 else "") + text[start:end] + ("…" if end < len(text) else "")


def hover(ds: Dataset, f: Figure) -> str:
    """Hover text: the value, its source and the quote around it, wrapped (escaped by Plotly)."""
    quote = quote_around(f.citation.quote, f.value)
    qualifier = f"{plot(f.qualifier)} " if f.qualifier else ""
    lines = "<br>".join(plot(line) for line in textwrap.wrap(quote, 60))
    return f"{qualifier}{f.value:g} {plot(f.unit)}<br>{plot(short(ds, f.citation.source))}<br><i>“{lines}”</i>"


def figure_names(ds: Dataset, figs: list[Figure], base: Any = None) -> list[str]:
    """One distinct category name per figure: two figures of one source never share a bar.

    The name is the source's short name (or `base(f)`); where two figures would share it, the
    period, date, qualifier or label tells them apart, and a number where nothing else does.
    """
    name_of = base or (lambda f: short(ds, f.citation.source))
    names = [name_of(f) for f in figs]
    out = []
    for f, name in zip(figs, names, strict=True):
        if names.count(name) > 1:
            detail = f.period or f.date or f.qualifier or f.label
            name = f"{name} ({detail})" if detail else name
        while name in out:
            name = f"{name} ·{len(out)}"
        out.append(name)
    return [plot(n) for n in out]


def disagreement(ds: Dataset, figures: list[Figure]) -> str:
    """A sentence naming each source's value where they differ, and what kind of difference the
    data's disagreements table says it is; '' where they agree."""
    values = {f.value for f in figures}
    if len(values) < 2:
        return ""
    parts = [
        f"{short(ds, f.citation.source)} gives {f.value:g}"
        + (f" ({f.qualifier})" if f.qualifier else "")
        for f in figures
    ]
    quotes = {" ".join(f.citation.quote.split()) for f in figures}
    for d in ds.disagreements:
        if quotes & {" ".join(v.citation.quote.split()) for v in d.versions}:
            return (
                "The sources differ: " + "; ".join(parts) + f". The atlas's reading: "
                f"{DISAGREEMENT_LABEL[d.kind]}. Each is shown."
            )
    return "The sources give different values: " + "; ".join(parts) + ". Each is shown."


def _layout(fig: go.Figure, title: str, **kwargs: Any) -> go.Figure:
    fig.update_layout(
        # Anchored to the image, not the plot: a wide label margin must not push it off the right.
        title={"text": title, "x": 0.01, "xanchor": "left", "xref": "container"},
        font=FONT,
        plot_bgcolor="white",
        paper_bgcolor="white",
        margin={"l": 60, "r": 30, "t": 70, "b": 60},
        legend={"orientation": "h", "y": -0.15, "x": 0},
        hoverlabel={"align": "left"},
        **kwargs,
    )
    fig.update_xaxes(showgrid=False, linecolor="#888")
    fig.update_yaxes(gridcolor="#e5e8ea", zeroline=True, zerolinecolor="#888")
    return fig


def trade_chart(ds: Dataset) -> Chart:
    """Each source's current bilateral trade, its gap to the $10 billion target, the target."""
    current = metric(ds, "bilateral_trade_current")
    targets = metric(ds, "bilateral_trade_target")
    target = max((t.value for t in targets), default=None)
    fig = go.Figure()
    names = figure_names(ds, current)
    for f, name in zip(current, names, strict=True):
        fig.add_bar(
            x=[name], y=[f.value], name=f"Current trade per {name}", marker_color=source_colour(ds, f.citation.source),
            text=[f"{plot(f.qualifier) + ' ' if f.qualifier else ''}${f.value:g} bn"], textposition="inside",
            hovertext=[hover(ds, f)], hoverinfo="text", legendgroup=f.citation.source,
        )  # fmt: skip
        if target is not None:
            fig.add_bar(
                x=[name], y=[target - f.value], base=[f.value], name=f"Gap to target per {name}",
                marker={"color": GAP_COLOUR, "pattern": {"shape": "/", "fgcolor": "#9aa5ab"}},
                text=[f"gap ${target - f.value:g} bn"], textposition="inside",
                hovertext=[f"Gap to the ${target:g} bn target: ${target - f.value:g} bn<br>(computed: target − {name}'s figure)"],
                hoverinfo="text", legendgroup=f.citation.source, showlegend=False,
            )  # fmt: skip
    if targets:
        names = names or ["target"]
        fig.add_scatter(
            x=names, y=[target] * len(names), mode="lines+text", name=f"Target ${target:g} bn",
            line={"color": TARGET_COLOUR, "dash": "dash", "width": 2},
            # Short lines: one long line ran off a phone's chart ("target $10 bn (Rasanah, TMP S…").
            text=["<br>".join([f"target ${target:g} bn"] + [plot(x) for x in textwrap.wrap(
                "(" + ", ".join(short(ds, t.citation.source) for t in targets) + ")", 24)])] + [""] * (len(names) - 1),
            textposition="top right", hovertext=["<br>".join(hover(ds, t) for t in targets)] * len(names), hoverinfo="text",
        )  # fmt: skip
    _layout(fig, "Iran–Pakistan bilateral trade: current volume per source against the $10 billion target",
            barmode="overlay", yaxis_title="USD billion per year",
            # Room above the target line for its label's lines, inside the plot.
            yaxis_range=[0, (target or 1) * 1.4])  # fmt: skip
    derived = [
        {"label": f"Gap to the target per {short(ds, f.citation.source)}", "value": target - f.value,
         "unit": f.unit, "source": "computed", "note": f"{target:g} (target) − {f.value:g} ({f.id})"}
        for f in current if target is not None
    ]  # fmt: skip
    return Chart(
        "trade",
        "Bilateral trade against the $10 billion target",
        fig,
        current + targets,
        derived,
        note=disagreement(ds, current),
    )


def memoranda_chart(ds: Dataset) -> Chart:
    """Memoranda of understanding as each source counts them."""
    figs = metric(ds, "memoranda")
    fig = go.Figure()
    for f, name in zip(figs, figure_names(ds, figs), strict=True):
        fig.add_bar(
            x=[name], y=[f.value], name=name, marker_color=source_colour(ds, f.citation.source),
            text=[f"{f.value:g} {plot(f.qualifier or '')}".strip()], textposition="outside",
            hovertext=[hover(ds, f)], hoverinfo="text",
        )  # fmt: skip
    _layout(fig, "Memoranda of understanding, as each source counts them", yaxis_title="memoranda",
            yaxis_range=[0, max((f.value for f in figs), default=1) * 1.25])  # fmt: skip
    return Chart(
        "memoranda", "Memoranda of understanding per source", fig, figs, note=disagreement(ds, figs)
    )


PIPELINE_ROWS = [
    ("ip-gas-pipeline-iran-leg", "pipeline_iran_leg_built_km", "Iranian leg (built)"),
    ("ip-gas-pipeline-phase-1", "pipeline_phase1_approved_km", "First Pakistani phase (approved)"),
    ("ip-gas-pipeline-pakistan-leg", None, "Pakistani leg (planned)"),
]


def pipeline_chart(ds: Dataset) -> Chart:
    """Pipeline lengths built, approved and planned: what sources state beside what the atlas measures."""
    stated, measured, labels, used = [], [], [], []
    derived = []
    for feature_id, metric_id, label in PIPELINE_ROWS:
        figs = metric(ds, metric_id) if metric_id else []
        feature = ds.feature(feature_id)
        labels.append(label)
        stated.append(figs[0] if figs else None)
        used += figs
        km = measured_length_km(feature) if feature else None
        measured.append(km)
        if km is not None:
            derived.append({"label": f"{label}, measured", "value": km, "unit": "km", "source": "measured",
                            "note": f"geodesic length of the atlas's {feature.props.precision} geometry of {feature_id}"})  # fmt: skip
    fig = go.Figure()
    fig.add_bar(
        y=labels, x=[f.value if f else None for f in stated], orientation="h", name="Length the sources state",
        marker_color=PALETTE[0], text=[f"{f.value:,.0f} km (stated)" if f else "no length stated" for f in stated],
        textposition="outside", hovertext=[hover(ds, f) if f else "The sources give no length" for f in stated], hoverinfo="text",
    )  # fmt: skip
    fig.add_bar(
        y=labels, x=measured, orientation="h", name="Measured on the atlas's schematic route",
        marker={"color": "#aab7c4", "pattern": {"shape": "."}},
        text=[f"{m:,.0f} km (measured)" if m is not None else "" for m in measured], textposition="outside",
        hovertext=["Geodesic length of a schematic route: the real alignment is not public"] * len(labels), hoverinfo="text",
    )  # fmt: skip
    _layout(fig, "Iran–Pakistan gas pipeline: built, approved and planned lengths", barmode="group",
            xaxis_title="km", yaxis={"autorange": "reversed"},
            xaxis_range=[0, max([v for v in measured if v] + [f.value for f in stated if f] + [1]) * 1.6])  # fmt: skip
    note = "The sources state no length for the planned Pakistani leg; its bar is the atlas's own measurement of a schematic route."
    return Chart("pipeline", "Gas pipeline lengths", fig, used, derived, note)


def _indicators(ds: Dataset, items: list[tuple[Figure, str, str]], title: str, chart_id: str, chart_title: str,
                derived: list[dict[str, Any]] | None = None, note: str = "") -> Chart:  # fmt: skip
    """A row of headline numbers, each titled with its source."""
    fig = go.Figure()
    n = len(items)
    for i, (f, label, number_format) in enumerate(items):
        fig.add_trace(
            go.Indicator(
                mode="number", value=f.value, number={"valueformat": number_format, "font": {"size": 64}},
                title={"text": f"{label}<br><span style='font-size:13px;color:#5d6d7e'>{plot(f.qualifier) + ' · ' if f.qualifier else ''}{plot(short(ds, f.citation.source))}</span>"},
                domain={"x": [i / n + 0.02, (i + 1) / n - 0.02], "y": [0, 0.8]},
            )
        )  # fmt: skip
    _layout(fig, title)
    used = [f for f, _, _ in items if f in ds.figures]  # a computed value is not a source's figure
    return Chart(chart_id, chart_title, fig, used, derived or [], note)


def smuggling_chart(ds: Dataset) -> Chart | None:
    figs = metric(ds, "smuggled_petroleum_per_day")
    if not figs:
        return None
    daily = figs[0]
    yearly = daily.model_copy(
        update={"id": daily.id + "-per-year", "value": daily.value * 365, "unit": "tons per year"}
    )
    derived = [{"label": "Smuggled petroleum per year, computed", "value": yearly.value, "unit": "tons per year",
                "source": "computed", "note": f"{daily.value:g} tons per day × 365, from {daily.id}"}]  # fmt: skip
    return _indicators(
        ds,
        [
            (
                daily,
                "Iranian petroleum smuggled into Pakistan, as the<br>oil industry warned: tons per day (quoted)",
                ",.0f",
            ),
            (yearly, "the same per year<br>tons per year (computed: × 365)", ",.0f"),
        ],
        "Smuggled Iranian petroleum products",
        "smuggling",
        "Smuggled petroleum, per day and per year",
        derived,
        f"The yearly figure is computed (× 365) from the daily one; the source's period is {daily.period}.",
    )


def headline_chart(ds: Dataset) -> Chart | None:
    items = []
    for metric_id, label, fmt in [
        ("balochistan_poverty_peak", "Balochistan poverty rate, peak (%)", ".0f"),
        ("arbitration_damages", "Damages Iran could seek in arbitration<br>(USD billion)", ".0f"),
    ]:
        items += [(f, label, fmt) for f in metric(ds, metric_id)]
    if not items:
        return None
    return _indicators(
        ds,
        items,
        "Headline figures: poverty and the pipeline dispute",
        "headlines",
        "Poverty peak and arbitration damages",
    )


def central_asia_chart(ds: Dataset) -> Chart | None:
    """Iran's Central Asian trade figures from NourNews, in one unit (USD million)."""
    figs = metric(ds, "iran_kazakhstan_trade_agreement") + metric(
        ds, "iran_turkmenistan_trade_potential"
    )
    if not figs:
        return None
    to_million = {"USD million": 1, "USD billion": 1000}
    fig = go.Figure()
    derived = []
    for f, name in zip(figs, figure_names(ds, figs, base=lambda f: f.label), strict=True):
        value = f.value * to_million.get(f.unit, 1)
        if f.unit != "USD million":
            derived.append({"label": f"{f.label}, in USD million", "value": value, "unit": "USD million",
                            "source": "computed", "note": f"{f.value:g} {f.unit} converted"})  # fmt: skip
        fig.add_bar(
            x=[name], y=[value], name=name, marker_color=source_colour(ds, f.citation.source),
            text=[f"{plot(f.qualifier) + ' ' if f.qualifier else ''}{f.value:g} {plot(f.unit)}"], textposition="outside",
            hovertext=[hover(ds, f)], hoverinfo="text",
        )  # fmt: skip
    _layout(fig, "Iran and Central Asia: the Kazakhstan trade agreement and the potential of economic ties with Turkmenistan",
            yaxis_title="USD million", showlegend=False,
            yaxis_range=[0, max(f.value * to_million.get(f.unit, 1) for f in figs) * 1.2])  # fmt: skip
    return Chart("central-asia", "Iran's Central Asian figures", fig, figs, derived,
                 "A trade agreement and a potential of economic ties are different things; they share an axis only to show their scale.")  # fmt: skip


def build_charts(ds: Dataset) -> list[Chart]:
    """Every chart the Figures page shows and the exports write, in page order."""
    charts = [trade_chart(ds), memoranda_chart(ds), pipeline_chart(ds), smuggling_chart(ds),
              headline_chart(ds), central_asia_chart(ds)]  # fmt: skip
    return [c for c in charts if c is not None and c.figures]


def cagr(baseline: float, target: float, years: int) -> float:
    """Compound annual growth rate that takes `baseline` to `target` in `years` years."""
    if baseline <= 0 or target <= 0:
        raise ValueError(f"baseline and target must be positive, got {baseline!r} and {target!r}")
    if years <= 0:
        raise ValueError(f"the target year must come after the baseline year, got {years!r} years")
    return (target / baseline) ** (1 / years) - 1


def yearly_targets(targets: list[Figure]) -> list[Figure]:
    """The targets whose source states them as a year's trade (`period` "annual", which the
    loader checks against the quote). The growth chart's axis is per year, so only these may
    be drawn and credited on it; a pledge with no period stated is not a yearly target."""
    return [t for t in targets if t.period == "annual"]


def growth_chart(
    ds: Dataset, baseline: Figure, baseline_year: int, target: Figure, target_year: int
) -> Chart:
    """The path of compound growth from a chosen baseline to the target.

    The target must be one its source states per year (see `yearly_targets`): the chart plots
    it on a per-year axis and credits its source by name, which would put words in the
    mouth of a source that states no period.
    """
    if target.period != "annual":
        raise ValueError(
            f"target {target.id!r} states no yearly period, so it cannot be drawn or credited "
            "as a year's trade"
        )
    rate = cagr(baseline.value, target.value, target_year - baseline_year)
    years = list(range(baseline_year, target_year + 1))
    values = [baseline.value * (1 + rate) ** (y - baseline_year) for y in years]
    fig = go.Figure()
    fig.add_scatter(
        x=years, y=values, mode="lines+markers", name=f"{rate:.1%} a year",
        line={"color": source_colour(ds, baseline.citation.source), "width": 3},
        hovertemplate="%{x}: $%{y:.2f} bn<extra></extra>",
    )  # fmt: skip
    fig.add_hline(y=target.value, line_dash="dash", line_color=TARGET_COLOUR,
                  annotation_text=f"target ${target.value:g} bn ({plot(short(ds, target.citation.source))})")  # fmt: skip
    _layout(fig, f"Growth needed: ${baseline.value:g} bn in {baseline_year} ({plot(short(ds, baseline.citation.source))}) "
                 f"to ${target.value:g} bn in {target_year}: {rate:.1%} a year",
            yaxis_title="USD billion per year", xaxis={"dtick": 1}, yaxis_range=[0, target.value * 1.15])  # fmt: skip
    derived = [{"label": "Compound annual growth needed", "value": round(rate * 100, 2), "unit": "percent per year",
                "source": "computed", "note": f"({target.value:g} / {baseline.value:g})^(1/{target_year - baseline_year}) − 1; "
                f"baseline year {baseline_year} and target year {target_year} chosen by the reader"}]  # fmt: skip
    return Chart("growth", "Growth needed to reach the target", fig, [baseline, target], derived)
