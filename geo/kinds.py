"""Every kind of feature in one table: what readers call it and how it is drawn.

The data's vocabulary (geo/vocabulary.py: which kinds a feature may have and their labels),
the live map's lines, symbols and legend (geo/mapstyle.py), the symbols' CSS (`symbol_css`)
and the static map image (geo/mapimage.py) are all read from `KIND_STYLE`: a new kind is one
row here. Nothing in geo is imported, so that every module may read it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class KindStyle:
    """How one kind is drawn: its colour, and for points its symbol, stacking and offset.

    `offset` moves a point's symbol by that many pixels (right, down) from its place: a market
    or free trade zone sits beside the crossing it serves, and drawn on the same spot it would
    be hidden under the crossing's symbol at every overview zoom.
    """

    label: str  # what readers call the kind, in the legend, the panel and every export
    colour: str
    weight: float = 3.5
    symbol: str | None = None  # a point kind's symbol (CSS class atlas-sym-<symbol>)
    shape: str = "square"  # the symbol's shape on the live map: one of SHAPE_CSS
    stack: int = 0
    offset: tuple[int, int] = (0, 0)
    # The static map image (Plotly): its marker and size for a point kind.
    image_symbol: str = "circle"
    image_size: int = 13


KIND_STYLE: dict[str, KindStyle] = {
    "border": KindStyle("border", "#3b3b3b", weight=3),
    "crossing": KindStyle(
        "border crossing",
        "#c0392b",
        symbol="crossing",
        shape="diamond",
        stack=1000,
        image_symbol="diamond",
        image_size=16,
    ),
    "border_market": KindStyle(
        "border market",
        "#d68910",
        symbol="market",
        stack=300,
        offset=(12, -12),
        image_symbol="square",
        image_size=12,
    ),
    "free_trade_zone": KindStyle(
        "free trade zone",
        "#d68910",
        symbol="zone",
        shape="dashed",
        stack=200,
        offset=(-12, 12),
        image_symbol="triangle-up",
    ),
    "gas_pipeline": KindStyle("gas pipeline", "#b03a2e"),
    "power_line": KindStyle("electricity line", "#7d3c98"),
    "transit_corridor": KindStyle("transit corridor", "#1f618d"),
    "railway": KindStyle("railway", "#17202a"),
    "connectivity_link": KindStyle("connectivity link", "#148f77"),
    "port": KindStyle("port", "#117a8b", symbol="port", shape="circle", stack=600, image_size=14),
}


class Column(Mapping[str, Any]):
    """One field of every row, by kind (`points`: only the kinds drawn as a symbol), read from
    the table each time, so that a row added to it is in every view at once."""

    def __init__(self, name: str, points: bool = False) -> None:
        self.name, self.points = name, points

    def _kinds(self) -> list[str]:
        return [k for k, s in KIND_STYLE.items() if s.symbol or not self.points]

    def __getitem__(self, kind: str) -> Any:
        if kind not in self._kinds():
            raise KeyError(kind)
        return getattr(KIND_STYLE[kind], self.name)

    def __iter__(self) -> Iterator[str]:
        return iter(self._kinds())

    def __len__(self) -> int:
        return len(self._kinds())


# How each shape is drawn on the live map, given its kind's colour (`{c}`; `{r}, {g}, {b}` its
# channels, for a translucent fill).
SHAPE_CSS: dict[str, str] = {
    "square": "background: {c};",
    "diamond": "background: {c}; transform: rotate(45deg) scale(.9);",
    "circle": "background: {c}; border-radius: 50%;",
    "dashed": "background: rgba({r},{g},{b},.35); border-style: dashed; border-radius: 3px;",
}


def symbol_css() -> str:
    """The CSS of every point kind's symbol, from its row: shape and colour."""
    rules = []
    for style in KIND_STYLE.values():
        if not style.symbol:
            continue
        c = style.colour
        r, g, b = (int(c[i : i + 2], 16) for i in (1, 3, 5))
        body = SHAPE_CSS[style.shape].format(c=c, r=r, g=g, b=b)
        rules.append(f".atlas-sym-{style.symbol} .atlas-sym-shape {{ {body} }}")
    return "\n".join(rules)
