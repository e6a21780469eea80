"""Label placement for the static map image: every name in a box that overlaps nothing else.

A greedy placer, the way hand cartographers work through a map: the most important names first,
each tried at the positions around its symbol that read best (right, left, then the diagonals,
above, below), then farther out with a leader line back to the symbol when its neighbours leave
no room close by. A name that fits nowhere is reported, never drawn over another. The drawn
lines (border, pipelines, railway...) are a cost rather than a wall: a label's white box over a
line hides that stretch of it, so a position clear of every line is taken before one that
covers a line, and where none is clear, the one covering the fewest. Text is
measured with the font the image is drawn in (DejaVu Sans, through Pillow), so the boxes are the
boxes Chromium draws, within a pixel or two.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont
from shapely import STRtree
from shapely.geometry import LineString
from shapely.geometry import box as sbox

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
LINE_HEIGHT = 1.25  # of the font size: what a browser gives one line of DejaVu Sans
PAD = 3  # px round every label box: its background and a little air


@dataclass(frozen=True)
class Box:
    """A rectangle in image pixels, y downwards."""

    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box) -> bool:
        """Whether the two rectangles share any area (touching edges do not count)."""
        return (
            self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1
        )

    def inside(self, frame: Box) -> bool:
        """Whether this rectangle lies wholly within `frame`."""
        return (
            self.x0 >= frame.x0
            and self.y0 >= frame.y0
            and self.x1 <= frame.x1
            and self.y1 <= frame.y1
        )

    @property
    def centre(self) -> tuple[float, float]:
        """The rectangle's middle point."""
        return (self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2


@dataclass(frozen=True)
class Label:
    """A name to place near (x, y): its symbol's radius keeps the name clear of the symbol."""

    key: str
    text: str
    x: float
    y: float
    size: float = 13
    bold: bool = False
    radius: float = 0
    leader: bool = True  # may move away from its symbol, joined to it by a line
    centred: bool = False  # an area's name (a country, a sea): drawn over its point, not beside


@dataclass(frozen=True)
class Placed:
    """Where a label went: its box, and whether a leader line joins it to its symbol."""

    label: Label
    box: Box
    leader: bool


@lru_cache(maxsize=4)
def _font(size: float, bold: bool) -> ImageFont.FreeTypeFont | None:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    try:
        return ImageFont.truetype(str(FONT_DIR / name), round(size))
    except OSError:
        return None  # no DejaVu: fall back to a generous estimate


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in px of one line of `text` at `size` px in DejaVu Sans (the atlas's drawing font)."""
    font = _font(size, bold)
    return font.getlength(text) if font is not None else len(text) * size * 0.62


def text_size(text: str, size: float, bold: bool = False) -> tuple[float, float]:
    """Width and height in px of `text` (lines split on newlines) at `size` px, padding included."""
    lines = text.split("\n")
    width = max(text_width(line, size, bold) for line in lines)
    return width + 2 * PAD, len(lines) * size * LINE_HEIGHT + 2 * PAD


# Directions tried around a symbol, best first: (dx, dy) unit steps, right of the symbol first
# (as most maps do), then left, the four diagonals, above and below.
DIRECTIONS = [(1, 0), (-1, 0), (1, -1), (1, 1), (-1, -1), (-1, 1), (0, -1), (0, 1)]
# How far from the symbol's edge, in px: the first ring touches it, the others need a leader.
RINGS = [4, 26, 52, 84, 120]
# A name that may not take a leader (a town) gets one more step, still read as its dot's: enough
# to clear a line through the dot, as the railway runs through Nok Kundi.
NEAR_RINGS = [4, 12]
# Area names shift a little to find room, never far: they name the area around their point.
SHIFTS = [(0, 0), (0, -24), (0, 24), (-40, 0), (40, 0), (-40, -24), (40, 24), (40, -24), (-40, 24)]


def _box_at(label: Label, w: float, h: float, dx: int, dy: int, gap: float) -> Box:
    """The label's box on side (dx, dy) of its symbol, `gap` px from the symbol's edge."""
    reach = label.radius + gap
    if dx > 0:
        x0 = label.x + reach * (0.75 if dy else 1)
    elif dx < 0:
        x0 = label.x - reach * (0.75 if dy else 1) - w
    else:
        x0 = label.x - w / 2
    if dy > 0:
        y0 = label.y + reach * (0.75 if dx else 1)
    elif dy < 0:
        y0 = label.y - reach * (0.75 if dx else 1) - h
    else:
        y0 = label.y - h / 2
    return Box(x0, y0, x0 + w, y0 + h)


def candidates(label: Label) -> list[tuple[Box, bool]]:
    """Every box the label may take, best first, each with whether it needs a leader line."""
    w, h = text_size(label.text, label.size, label.bold)
    if label.centred:
        return [
            (
                Box(
                    label.x + sx - w / 2,
                    label.y + sy - h / 2,
                    label.x + sx + w / 2,
                    label.y + sy + h / 2,
                ),
                False,
            )
            for sx, sy in SHIFTS
        ]
    rings = RINGS if label.leader else NEAR_RINGS
    return [
        (_box_at(label, w, h, dx, dy, gap), label.leader and i > 0)
        for i, gap in enumerate(rings)
        for dx, dy in DIRECTIONS
    ]


@dataclass(frozen=True)
class Stroke:
    """A line drawn on the image, in image px, and its stroke's width."""

    points: tuple[tuple[float, float], ...]
    width: float = 3


class Lines:
    """The drawn lines, indexed so that a box can ask which of them it covers."""

    def __init__(self, strokes: list[Stroke] | tuple[Stroke, ...] = ()):
        # Each line as the area its stroke covers, so a box grazing a thick band counts.
        self.shapes = [
            LineString(p.points).buffer(p.width / 2, cap_style="flat")
            for p in strokes
            if len(p.points) >= 2
        ]
        self.tree = STRtree(self.shapes) if self.shapes else None

    def under(self, box: Box) -> int:
        """How many of the lines the box covers some part of."""
        if self.tree is None:
            return 0
        return len(self.tree.query(sbox(box.x0, box.y0, box.x1, box.y1), predicate="intersects"))


# Rings up to here keep a name beside its symbol; beyond, its leader may reach past a neighbour
# and the name read as another feature's. A name stays near, covering a line if it must, and
# goes farther out only when nothing near is free.
NEAR = 3


def _tiers(label: Label):
    """The label's candidates in two tiers, near then far, each best first."""
    per_ring = len(DIRECTIONS) if not label.centred else len(SHIFTS)
    every = candidates(label)
    cut = NEAR * per_ring if label.leader and not label.centred else len(every)
    return [every[:cut], every[cut:]]


def _choose(tier, taken: list[Box], frame: Box, lines: Lines):
    """Of a tier's free positions, the first covering no line, else the first covering fewest;
    None if none is free."""
    best = None
    for box, leader in tier:
        if box.inside(frame) and not any(box.overlaps(o) for o in taken):
            covered = lines.under(box)
            if best is None or covered < best[0]:
                best = (covered, box, leader)
            if covered == 0:
                break
    return best


def place_labels(
    labels: list[Label], obstacles: list[Box], frame: Box, lines: Lines | None = None
) -> tuple[list[Placed], list[Label]]:
    """Place `labels` in order (most important first) inside `frame`, overlapping no obstacle and
    no label placed before; returns those placed and those that fit nowhere.

    Obstacles are what a name must never cover: the symbols, the scale bar, the north arrow,
    the inset. A placed label becomes an obstacle for the next. Of the positions left near the
    symbol (the first NEAR rings), the first that covers none of `lines` is taken, else the first
    covering fewest; only when no near position is free does a name go farther out, by the same
    rule.
    """
    lines = lines or Lines()
    taken = list(obstacles)
    placed: list[Placed] = []
    left_out: list[Label] = []
    for label in labels:
        best = None
        for tier in _tiers(label):
            best = _choose(tier, taken, frame, lines)
            if best is not None:
                break
        if best is None:
            left_out.append(label)
        else:
            placed.append(Placed(label, best[1], best[2]))
            taken.append(best[1])
    return placed, left_out


def free_of_lines(label: Label, taken: list[Box], frame: Box, lines: Lines) -> Box | None:
    """A position for `label` that overlaps nothing in `taken` and covers no line, in the tier
    place_labels would use (the near rings, if any near position is free), if any."""
    for tier in _tiers(label):
        if _choose(tier, taken, frame, Lines()) is None:
            continue  # nothing free in this tier: place_labels looks farther
        for box, _ in tier:
            free = box.inside(frame) and not any(box.overlaps(o) for o in taken)
            if free and not lines.under(box):
                return box
        return None
    return None


def overlapping(boxes: list[Box]) -> list[tuple[int, int]]:
    """Index pairs of boxes that overlap: empty for a clean placement."""
    return [
        (i, j)
        for i in range(len(boxes))
        for j in range(i + 1, len(boxes))
        if boxes[i].overlaps(boxes[j])
    ]
