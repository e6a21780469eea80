"""How each kind and status of feature looks: one table each, read by the map and its legend.

The map's line styles and point symbols and the legend's rows are all generated from these
tables, so the legend cannot drift from what is drawn.
"""

from __future__ import annotations

from typing import Any

from geo.kinds import KIND_STYLE, Column
from geo.models import Dataset, Feature
from geo.text import h
from geo.vocabulary import KIND_LABEL

# Dashes tell status; the label is the legend's row for every status sharing the pattern.
STATUS_DASH: dict[str, str | None] = {
    "established": None,
    "operational": None,
    "built": None,
    "under_construction": "10 6",
    "approved": "10 6",
    "planned": "3 7",
    "proposed": "3 7",
}
DASH_LABEL: dict[str | None, str] = {
    None: "built / operational",
    "10 6": "approved / under construction",
    "3 7": "planned / proposed",
}
# What a reader calls each pattern: the legend and the map's caption both say it from here,
# so they cannot disagree about which is "dashed" and which "dotted".
DASH_NAME: dict[str | None, str] = {None: "solid", "10 6": "dashed", "3 7": "dotted"}
SYMBOL_SIZE = 18


def dash_rule() -> str:
    """One sentence, from STATUS_DASH: which line pattern means which status."""
    parts = [
        f"{DASH_NAME[d]} lines {label.replace(' / ', ' or ')}" for d, label in DASH_LABEL.items()
    ]
    first, *rest = parts
    return first.replace(" lines ", " lines mean ").capitalize() + ", " + ", ".join(rest) + "."


# Views of the one table, by kind, for callers that need one field (live: see Column).
KIND_COLOUR = Column("colour")
POINT_SYMBOL = Column("symbol", points=True)
POINT_STACK = Column("stack", points=True)
# The same table as the static image (Plotly) names it: its marker, size and dash per status.
IMAGE_SYMBOL = Column("image_symbol", points=True)
IMAGE_SIZE = Column("image_size", points=True)
POINT_OFFSET = Column("offset", points=True)
IMAGE_DASH = {
    status: {"dashed": "dash", "dotted": "dot"}[DASH_NAME[d]]
    for status, d in STATUS_DASH.items()
    if d is not None
}


def line_style(feature: Feature) -> dict[str, Any]:
    """Leaflet path options for a line: colour by kind, dashes by status."""
    p = feature.props
    kind = KIND_STYLE[p.kind]
    style: dict[str, Any] = {
        "color": kind.colour,
        "weight": kind.weight,
        "opacity": 0.95,
        "className": f"atlas-line atlas-line-{p.id}",
    }
    if STATUS_DASH[p.status]:
        style["dashArray"] = STATUS_DASH[p.status]
    return style


HIT_WEIGHT = 14


def hit_style(feature: Feature) -> dict[str, Any]:
    """The line a pointer or the keyboard actually reaches: wide, undashed and unseen.

    A dashed line is mostly gaps, and a browser's hit test skips a stroke's gaps: a click in
    the middle of a planned pipeline would land on nothing. The drawn line (`line_style`)
    lies under this one and takes no events; this one is transparent until it has focus.
    """
    return {
        "color": KIND_STYLE[feature.props.kind].colour,
        "weight": HIT_WEIGHT,
        "opacity": 0,
        "lineCap": "round",
        "className": f"atlas-f atlas-f-{feature.props.id} atlas-hit",
    }


def point_symbol(feature: Feature) -> dict[str, Any]:
    """The divIcon a point is drawn with: shape by kind, fill by status, edge by precision."""
    p = feature.props
    kind = KIND_STYLE[p.kind]
    half = SYMBOL_SIZE // 2
    return {
        "className": f"atlas-sym atlas-sym-{kind.symbol or 'market'} atlas-st-{p.status} "
        f"atlas-pr-{p.precision}",
        "html": f'<span class="atlas-sym-shape" data-feature="{h(p.id)}"></span>',
        "size": SYMBOL_SIZE,
        "anchor": [half - kind.offset[0], half - kind.offset[1]],
        "stack": kind.stack,
    }


def _line_svg(colour: str, dash: str | None = None) -> str:
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<svg width="28" height="10" aria-hidden="true"><line x1="1" y1="5" x2="27" y2="5" '
        f'stroke="{colour}" stroke-width="3"{dash_attr}/></svg>'
    )


def _symbol_span(symbol: str, extra: str = "") -> str:
    return (
        f'<span class="atlas-sym atlas-sym-{symbol} {extra} atlas-legend-sym" aria-hidden="true">'
        '<span class="atlas-sym-shape"></span></span>'
    )


def legend_html(ds: Dataset) -> str:
    """Legend rows for the kinds present, then the dash patterns and precision, folded shut.

    Folded by default: open, it would cover features of the opening view, most of all on a
    phone. Every row comes from KIND_STYLE and STATUS_DASH.
    """
    kinds = list(dict.fromkeys(f.props.kind for f in ds.features))
    rows = []
    for kind in kinds:
        style = KIND_STYLE[kind]
        sym = _symbol_span(style.symbol) if style.symbol else _line_svg(style.colour)
        rows.append(f"<div>{sym} {h(KIND_LABEL[kind])}</div>")
    rows.append('<div class="atlas-legend-sep"></div>')
    for dash, label in DASH_LABEL.items():
        rows.append(f"<div>{_line_svg('#444', dash)} {h(DASH_NAME[dash])}: {h(label)}</div>")
    rows.append(
        '<div><svg width="28" height="14" aria-hidden="true"><line x1="4" y1="7" x2="24" y2="7" '
        'stroke="#444" stroke-width="12" stroke-opacity="0.16" stroke-linecap="round"/>'
        '<line x1="4" y1="7" x2="24" y2="7" stroke="#444" stroke-width="2"/></svg> '
        "schematic route (not exact)</div>"
    )
    rows.append(f"<div>{_symbol_span('market', 'atlas-st-proposed')} proposed place (hollow)</div>")
    return (
        '<details><summary class="atlas-legend-title">Legend</summary>'
        + "".join(rows)
        + "</details>"
    )
