"""Where things go in a static map image: the map area inside the image's margins, degrees to
pixels in it (`Frame`), and the locator inset in a corner free of features."""

from __future__ import annotations

import math

import plotly.graph_objects as go

from geo.labels import Box
from geo.mapbase import REGION, Bounds, merc_y

SEA = "#dde8ee"
LAND = "#f4f1ea"
OUTLINE = "#9aa5ab"
MARGIN_L, MARGIN_R, MARGIN_T = 20, 20, 70
FOOTER_LINES = 10  # room kept under the map for the footer's lines
LEGEND_PX = 90
INSET_PX = 240  # the inset's height, in an image of the default size (a map 920 px high)


def inset_px(plot_h: float) -> int:
    """The inset's height: INSET_PX, or less in a lower map, where 240 px covered half of it."""
    return min(INSET_PX, round(plot_h * 0.27))


def layout(
    size: tuple[int, int], room: tuple[int, int] = (FOOTER_LINES, LEGEND_PX)
) -> tuple[float, float, float]:
    """The map area's width and height in px, and the height kept under it for the footer.

    `room` is (footer lines, legend px) kept under the map: a narrow image wraps both into more
    rows (geo/mapimage.room), and the map gives up the height they need.
    """
    width, height = size
    footer_lines, legend_px = room
    block = 20 * footer_lines + 20
    return width - MARGIN_L - MARGIN_R, height - MARGIN_T - block - legend_px, block


class Frame:
    """Degrees to the image's pixels and to Plotly's paper coordinates, for one view."""

    def __init__(self, bounds: Bounds, plot_w: float, plot_h: float):
        self.west, self.south, self.east, self.north = bounds
        self.w, self.h = plot_w, plot_h
        self.top, self.bottom = merc_y(self.north), merc_y(self.south)

    def px(self, lon: float, lat: float) -> tuple[float, float]:
        x = MARGIN_L + (lon - self.west) / (self.east - self.west) * self.w
        y = MARGIN_T + (self.top - merc_y(lat)) / (self.top - self.bottom) * self.h
        return x, y

    def lonlat(self, x: float, y: float) -> tuple[float, float]:
        """The place drawn at pixel (x, y): `px` undone."""
        lon = self.west + (x - MARGIN_L) / self.w * (self.east - self.west)
        m = self.top - (y - MARGIN_T) / self.h * (self.top - self.bottom)
        lat = math.degrees(2 * math.atan(math.exp(math.radians(m))) - math.pi / 2)
        return lon, lat

    def paper(self, x: float, y: float) -> tuple[float, float]:
        return (x - MARGIN_L) / self.w, 1 - (y - MARGIN_T) / self.h

    def box(self) -> Box:
        return Box(MARGIN_L, MARGIN_T, MARGIN_L + self.w, MARGIN_T + self.h)

    def zoom(self) -> float:
        """The web map zoom at which this view has this many pixels across."""
        return math.log2(self.w * 360 / (256 * (self.east - self.west)))


def inset_box(frame: Frame, points: list[tuple[float, float]]) -> Box:
    """The locator inset's corner: of bottom right, top left, bottom left and top right, the one
    over the fewest drawn points (symbols and line vertices), bottom right on a tie."""
    height = inset_px(frame.h)
    w = height * (REGION[2] - REGION[0]) / (merc_y(REGION[3]) - merc_y(REGION[1]))
    f = frame.box()
    m = 10
    corners = [
        Box(f.x1 - m - w, f.y1 - m - height, f.x1 - m, f.y1 - m),
        Box(f.x0 + m, f.y0 + m, f.x0 + m + w, f.y0 + m + height),
        Box(f.x0 + m, f.y1 - 70 - height, f.x0 + m + w, f.y1 - 70),
        Box(f.x1 - m - w, f.y0 + 90, f.x1 - m, f.y0 + 90 + height),
    ]

    def under(c: Box) -> int:
        return sum(c.x0 - 12 <= x <= c.x1 + 12 and c.y0 - 12 <= y <= c.y1 + 12 for x, y in points)

    return min(corners, key=under)


STEP = 0.25  # degrees between the points of the view box's east-west edges on the inset


def view_edges(bounds: Bounds) -> list[list[tuple[float, float]]]:
    """The view's outline on the locator inset, as the parts of its four edges inside the inset's
    region: nothing when the view covers the whole region (the inset would only be framed red)
    or lies outside it.

    Plotly's geo draws a line between two points as a great circle, which on Mercator bows
    towards the pole: a box of four corners came out curved, and over a wide view its edges ran
    on past the inset. Edges along a parallel are given a point every STEP degrees (a great
    circle that short is straight to well under a pixel at the inset's scale); edges along a
    meridian are great circles already. Each edge is cut to the region first, so none is drawn
    outside the inset."""
    west, south, east, north = bounds
    r_west, r_south, r_east, r_north = REGION
    if west <= r_west and south <= r_south and east >= r_east and north >= r_north:
        return []
    x0, x1 = max(west, r_west), min(east, r_east)
    y0, y1 = max(south, r_south), min(north, r_north)
    if x0 >= x1 or y0 >= y1:
        return []
    edges = []
    for lat in (south, north):
        if r_south <= lat <= r_north:
            n = max(1, math.ceil((x1 - x0) / STEP))
            edges.append([(x0 + (x1 - x0) * i / n, lat) for i in range(n + 1)])
    for lon in (west, east):
        if r_west <= lon <= r_east:
            edges.append([(lon, y0), (lon, y1)])
    return edges


def locator(
    fig: go.Figure,
    land: list,
    bounds: Bounds,
    inset: Box,
    size: tuple[int, int],
    room: tuple[int, int] = (FOOTER_LINES, LEGEND_PX),
) -> None:
    """A small map of the region in `inset` (image px), the view drawn on it as a red box."""
    plot_w, plot_h, _ = layout(size, room)
    for poly in land:
        xs, ys = poly.exterior.xy
        fig.add_trace(go.Scattergeo(lon=list(xs), lat=list(ys), mode="lines", fill="toself",
                                    fillcolor=LAND, line={"color": OUTLINE, "width": 0.5}, geo="geo2",
                                    hoverinfo="skip", showlegend=False, meta="inset"))  # fmt: skip
    edges = view_edges(bounds)
    if edges:
        lons = [x for edge in edges for x in (*(p[0] for p in edge), None)]
        lats = [y for edge in edges for y in (*(p[1] for p in edge), None)]
        fig.add_trace(go.Scattergeo(lon=lons, lat=lats, mode="lines", line={"color": "#c0392b", "width": 2},
                                    geo="geo2", hoverinfo="skip", showlegend=False, meta="inset-view"))  # fmt: skip
    fig.update_layout(geo2={
        "projection": {"type": "mercator"}, "showland": False, "showocean": False,
        "showcountries": False, "showcoastlines": False, "showlakes": False, "showrivers": False,
        "showframe": True, "framecolor": "#5d6d7e", "bgcolor": SEA,
        "lonaxis": {"range": [REGION[0], REGION[2]]}, "lataxis": {"range": [REGION[1], REGION[3]]},
        "domain": {"x": [(inset.x0 - MARGIN_L) / plot_w, (inset.x1 - MARGIN_L) / plot_w],
                   "y": [1 - (inset.y1 - MARGIN_T) / plot_h, 1 - (inset.y0 - MARGIN_T) / plot_h]},
    })  # fmt: skip
