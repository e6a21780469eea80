"""The static map image: names placed without overlaps, the view drawn, dates that agree."""

from __future__ import annotations

import io
import itertools
import re
from datetime import date

import pytest
from PIL import Image

from geo.asof import as_of, readable_date
from geo.credits import BOUNDARY_NOTE
from geo.failure import failure_file
from geo.labels import (
    Box,
    Label,
    Lines,
    Stroke,
    free_of_lines,
    overlapping,
    place_labels,
    text_size,
)
from geo.mapframe import Frame, layout
from geo.mapimage import MAP_SIZE, map_figure, map_file, map_file_name, room
from geo.urlstate import MapView, view_from_query, view_to_query

ON = date(2026, 12, 1)
GABD = (61.2, 24.9, 62.2, 25.6)  # the Gabd cluster: a crossing, a market and a zone within 4 km
VIEWS = {
    "opening": {},
    "gabd cluster": {"bounds": GABD},
    "north": {"bounds": (60.0, 27.5, 64.0, 30.0), "layers": ["border", "crossings", "transport"]},
    "phone-sized image": {"size": (800, 1100)},
}


def footer_text(image) -> str:
    (footer,) = [a for a in image.figure.layout.annotations if a.name == "source-line"]
    return footer.text.replace("<br>", " ")


@pytest.mark.parametrize("view", list(VIEWS))
def test_no_name_overlaps_another_or_covers_a_symbol_or_the_furniture(ds, view):
    image = map_figure(ds, on=ON, **VIEWS[view])
    boxes = [p.box for p in image.labels]
    assert boxes, "names were drawn"
    assert overlapping(boxes) == []
    for placed in image.labels:
        hits = [o for o in image.obstacles if placed.box.overlaps(o)]
        assert hits == [], (placed.label.key, hits)
    # Every feature drawn as a symbol is named; only towns or areas may give way.
    assert not [lb for lb in image.left_out if lb.key.startswith("feature:")]
    named = {p.label.key for p in image.labels}
    points = [f for f in image.features if f.geometry["type"] == "Point"]
    assert {f"feature:{f.id}" for f in points} <= named
    # A name's box hides the stretch of line under it (the railway out of Taftan, the border
    # beside Chadgi and Saravan): it covers a line only where, when it was placed, every
    # position left to it covered one.
    size = VIEWS[view].get("size", MAP_SIZE)
    kept = room(ds, VIEWS[view].get("layers"), size)
    frame = Frame(image.bounds, *layout(size, kept)[:2]).box()
    for i, placed in enumerate(image.labels):
        if image.lines.under(placed.box):
            taken = image.obstacles + [p.box for p in image.labels[:i]]
            free = free_of_lines(placed.label, taken, frame, image.lines)
            assert free is None, (placed.label.key, placed.box, "was free:", free)


@pytest.mark.parametrize(("view", "before"), [("opening", 25), ("gabd cluster", 9)])
def test_names_cover_fewer_lines_than_when_lines_were_not_avoided(ds, view, before):
    # `before`: line crossings by name boxes when placement ignored lines. The names the audit
    # saw on lines are now clear of them.
    image = map_figure(ds, on=ON, **VIEWS[view])
    covering = {p.label.key: image.lines.under(p.box) for p in image.labels}
    # A name stays beside its symbol even over a line rather than go far out on a leader (see
    # the next test): at the Gabd cluster, the market's name crosses lines to stay near. (Its
    # symbol now stands beside the crossing's, among the lines there, not hidden under it:
    # one more line crossed than when it was on the crossing's spot.)
    assert sum(covering.values()) <= 3 < before
    for key in ("feature:taftan-mirjaveh-crossing", "feature:chadgi-border-market",
                "town:Saravan", "feature:gabd-rimdan-crossing"):  # fmt: skip
        assert covering.get(key, 0) == 0, key


def test_a_name_moves_off_a_line_when_it_can_and_covers_the_fewest_when_it_cannot():
    # A line running right from the symbol, like the railway east of Taftan.
    rail = Lines([Stroke(((400, 300), (700, 300)), 4)])
    label = Label("feature:t", "Taftan", 400, 300, radius=7)
    symbol = Box(393, 293, 407, 307)
    (placed,), _ = place_labels([label], [symbol], Box(0, 0, 800, 600), rail)
    assert not rail.under(placed.box) and placed.box.x1 <= 393  # left of the symbol, not on it
    assert rail.under(Box(410, 290, 460, 310)) == 1 and rail.under(Box(410, 320, 460, 340)) == 0
    # Lines every way round: still named, over as few lines as any position allows.
    star = Lines([Stroke(((400, 300), (400 + dx * 300, 300 + dy * 300)), 4)
                  for dx in (-1, 0, 1) for dy in (-1, 0, 1) if dx or dy])  # fmt: skip
    (placed,), left_out = place_labels([label], [symbol], Box(0, 0, 800, 600), star)
    assert left_out == [] and star.under(placed.box) == 1


def test_each_name_is_measured_in_the_font_it_is_drawn_in(ds):
    # A longer name takes a wider box, and the same name in bold a wider one still.
    short, _ = text_size("Taftan", 14)
    long, height = text_size("Rimdan–Gabd joint free trade zone", 14)
    bold, _ = text_size("Rimdan–Gabd joint free trade zone", 14, bold=True)
    assert short < long < bold and 14 < height < 30
    image = map_figure(ds, on=ON)
    for placed in image.labels:
        w, h = text_size(placed.label.text, placed.label.size, placed.label.bold)
        assert placed.box.x1 - placed.box.x0 == pytest.approx(w)
        assert placed.box.y1 - placed.box.y0 == pytest.approx(h)


def test_crowded_names_move_out_on_leader_lines_and_never_onto_each_other():
    # Five symbols 6 px apart: not every name fits beside its own symbol; some take a leader.
    labels = [
        Label(f"feature:{i}", f"Place number {i}", 400 + 6 * i, 300, radius=7) for i in range(5)
    ]
    symbols = [Box(lb.x - 7, lb.y - 7, lb.x + 7, lb.y + 7) for lb in labels]
    placed, left_out = place_labels(labels, symbols, Box(0, 0, 800, 600))
    assert left_out == [] and len(placed) == 5
    assert overlapping([p.box for p in placed]) == []
    assert not any(p.box.overlaps(s) for p in placed for s in symbols)
    assert any(p.leader for p in placed)
    # With no room at all, a name is reported, not drawn over another.
    placed, left_out = place_labels(labels, [Box(0, 0, 800, 600)], Box(0, 0, 800, 600))
    assert placed == [] and len(left_out) == 5


def test_the_gabd_cluster_keeps_crossings_on_top_and_names_each_place(ds):
    image = map_figure(ds, bounds=GABD, on=ON)
    kinds = [t.meta for t in image.figure.data if (t.meta or "").startswith("kind:")]
    last_market = max(
        i for i, k in enumerate(kinds) if k in ("kind:border_market", "kind:free_trade_zone")
    )
    first_crossing = min(i for i, k in enumerate(kinds) if k == "kind:crossing")
    assert first_crossing > last_market  # drawn later, so on top
    named = {p.label.key for p in image.labels}
    assert {"feature:gabd-rimdan-crossing", "feature:gabd-border-market",
            "feature:rimdan-gabd-free-trade-zone"} <= named  # fmt: skip


def test_countries_seas_towns_and_the_boundary_note_are_on_the_image(ds):
    image = map_figure(ds, on=ON)
    names = {a.name for a in image.figure.layout.annotations}
    for country in ("Iran", "Pakistan", "Afghanistan"):
        assert f"label:country:{country}" in names
    assert any(n.startswith("label:sea:") for n in names)
    towns = [n for n in names if n.startswith("label:town:")]
    assert {"label:town:Zahedan", "label:town:Quetta"} <= set(towns) and len(towns) >= 8
    assert BOUNDARY_NOTE in footer_text(image) and "GeoNames" in footer_text(image)
    assert any(t.meta == "inset-view" for t in image.figure.data)  # the locator inset


def test_a_zoomed_view_draws_that_view_its_towns_and_the_selection(ds):
    whole = map_figure(ds, on=ON)
    near = map_figure(ds, bounds=(61.3, 25.6, 62.4, 26.5), on=ON, selected="mand-pishin-crossing")
    west, south, east, north = near.bounds
    assert west <= 61.3 and east >= 62.4 and south <= 25.6 and north >= 26.5
    assert (east - west) < (whole.bounds[2] - whole.bounds[0]) / 3
    assert {f.id for f in near.features} < {f.id for f in whole.features}
    assert any(t.meta == "selected" for t in near.figure.data)
    (chosen,) = [p for p in near.labels if p.label.key == "feature:mand-pishin-crossing"]
    assert chosen.label.bold
    name = ds.feature("mand-pishin-crossing").props.name
    assert f"Highlighted: {name}" in near.figure.layout.title.text
    with pytest.raises(ValueError, match="west, south, east, north"):
        map_figure(ds, bounds=(62.0, 25.0, 61.0, 26.0), on=ON)


@pytest.mark.parametrize("view", [{}, {"bounds": (61.3, 25.6, 62.4, 26.5)}, {"layers": ["ports"]}])
def test_the_file_name_and_the_footer_give_the_same_date(ds, view):
    image = map_figure(ds, on=ON, **view)
    name = map_file_name(ds, "png", view.get("layers"), view.get("bounds"))
    stamp = re.fullmatch(r"iran-pakistan-atlas-map-(.+)\.png", name)[1]
    assert stamp != "undated"
    # The file's date is the later of the footer's two dates, for the same features drawn.
    assert f"up to {readable_date(stamp)}" in footer_text(image)
    assert as_of(ds, image.features).stamp() == stamp


def test_the_view_in_the_address_is_read_defensively_and_round_trips():
    view, notices = view_from_query({"view": "26.0594,61.8328,8.25"})
    assert view == MapView(26.0594, 61.8328, 8.25) and notices == []
    assert view_from_query(view_to_query(view)) == (view, [])
    assert view_to_query(None) == {} and view_from_query({}) == (None, [])
    assert view_from_query({"view": "26,61,7.1"})[0].zoom == 7.0  # the map's quarter steps
    assert view_from_query({"view": "26,250,7"})[0].lon == -110.0
    for bad in ("", "abc", "1,2", "1,2,3,4", "nan,61,7", "26,inf,7", "1e9,61,7", "26,61,99",
                "90,61,7", "٢٦,61,7", "-,61,7", "26,,7", "9" * 5000 + ",1,5", "<b>26</b>,61,7"):  # fmt: skip
        view, notices = view_from_query({"view": bad})
        assert view is None and len(notices) == 1, bad
        assert len(notices[0]) < 200  # a huge link is not echoed whole


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_a_failed_image_becomes_a_file_that_says_what_failed(fmt):
    data = failure_file(fmt, "The map image could not be drawn: <Chromium> is missing")
    if fmt == "png":
        assert Image.open(io.BytesIO(data)).size[0] >= 800
    elif fmt == "pdf":
        assert data.startswith(b"%PDF")
    else:
        text = data.decode()
        assert (
            "could not be drawn" in text and "&lt;Chromium&gt;" in text and "<Chromium>" not in text
        )


def test_a_map_that_cannot_be_drawn_downloads_as_our_message_not_a_blank(ds):
    def broken(*args, **kwargs):  # a fault injected on purpose: Chromium gone mid-export
        raise RuntimeError("Chromium exited with code 1")

    data = map_file(ds, "svg", ["border"], render=broken)
    said = " ".join(re.findall(r">([^<]*)</text>", data.decode()))
    assert "The map image could not be drawn: RuntimeError: Chromium exited with code 1" in said
    assert map_file(ds, "png", render=broken).startswith(b"\x89PNG")
    # Bad input is named with what was wrong, before anything is rendered.
    bad = map_file(ds, "svg", bounds=(5.0, 5.0, 1.0, 1.0), render=broken).decode()
    assert "bounds must be (west, south, east, north)" in " ".join(
        re.findall(r">([^<]*)</text>", bad)
    )


@pytest.mark.slow
def test_the_svg_carries_the_names_and_the_boundary_note_as_text(ds):
    from geo.pngexport import render_image

    svg = render_image(map_figure(ds, on=ON).figure, *MAP_SIZE, fmt="svg").decode()
    texts = (
        " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", svg))
        + " "
        + " ".join(re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg))
    )
    for name in ("IRAN", "PAKISTAN", "AFGHANISTAN", "Zahedan", "Gwadar", "Gabd–Rimdan crossing"):
        assert name in texts, name
    assert "imply no position on their status" in texts


def test_the_image_draws_each_kind_as_the_one_style_table_says(ds):
    """Colour, marker, size and stacking of every point kind come from geo/mapstyle.KIND_STYLE,
    the table the live map and its legend are made from; dashes from its STATUS_DASH."""
    from geo.mapstyle import KIND_STYLE, STATUS_DASH

    image = map_figure(ds, on=ON)
    drawn = [t for t in image.figure.data if str(t.meta).startswith("kind:")]
    order = []
    for t in drawn:
        kind = str(t.meta).split(":", 1)[1].split(":")[0]
        style = KIND_STYLE[kind]
        if t.mode == "markers":
            assert t.marker.symbol.removesuffix("-open") == style.image_symbol, kind
            assert t.marker.size == style.image_size, kind
            assert t.marker.color == style.colour, kind
            order.append(style.stack)
        else:
            assert t.line.color == style.colour, kind
    assert order and order == sorted(order)  # the table's stacking order: crossings last
    dashed = {t.line.dash for t in drawn if t.mode == "lines" and t.line.dash != "solid"}
    assert dashed <= {"dash", "dot"} and dashed, dashed
    assert {s for s, d in STATUS_DASH.items() if d} >= {"planned", "approved"}


WIDE = (53.0, 21.0, 72.0, 36.0)  # wider than the inset's region east to west


def test_the_inset_draws_the_view_as_a_straight_box_cut_to_the_inset(ds):
    from geo.mapbase import REGION
    from geo.mapframe import STEP

    (box,) = [t for t in map_figure(ds, bounds=WIDE, on=ON).figure.data if t.meta == "inset-view"]
    edges, edge = [], []
    for lon, lat in zip(box.lon, box.lat, strict=True):
        if lon is None:
            edges.append(edge)
            edge = []
        else:
            assert REGION[0] <= lon <= REGION[2] and REGION[1] <= lat <= REGION[3], (lon, lat)
            edge.append((lon, lat))
    # The view runs past the region east and west: only its north and south edges are drawn,
    # each along one parallel with a point at least every STEP degrees.
    assert len(edges) == 2
    for edge in edges:
        assert len({lat for _, lat in edge}) == 1
        assert max(b[0] - a[0] for a, b in itertools.pairwise(edge)) <= STEP + 1e-9
    # A view over the whole region would only frame the inset in red: no box at all.
    everything = map_figure(ds, bounds=(45.0, 15.0, 80.0, 42.0), on=ON)
    assert not any(t.meta == "inset-view" for t in everything.figure.data)


def test_the_inset_box_renders_straight_and_inside_the_inset(ds):
    from geo.pngexport import render_image

    image = map_figure(ds, bounds=WIDE, on=ON)
    png = Image.open(io.BytesIO(render_image(image.figure, *MAP_SIZE))).convert("RGB")
    inset = image.inset
    near = (int(inset.x0) - 15, int(inset.y0) - 15, int(inset.x1) + 15, int(inset.y1) + 15)
    red = [
        (x, y)
        for x in range(near[0], near[2])
        for y in range(near[1], near[3])
        if _close(png.getpixel((x, y)), (0xC0, 0x39, 0x2B))
    ]
    assert red, "the view's box is drawn"
    assert all(inset.x0 - 1 <= x <= inset.x1 + 1 and inset.y0 - 1 <= y <= inset.y1 + 1
               for x, y in red)  # fmt: skip
    # Two straight edges: their red pixels lie in two bands a few px tall, not in arcs.
    rows = sorted({y for _, y in red})
    bands = [[rows[0]]]
    for y in rows[1:]:
        if y - bands[-1][-1] > 1:
            bands.append([])
        bands[-1].append(y)
    assert len(bands) == 2 and all(b[-1] - b[0] <= 3 for b in bands), bands


def _close(rgb: tuple[int, int, int], want: tuple[int, int, int]) -> bool:
    return sum(abs(a - b) for a, b in zip(rgb, want, strict=True)) < 60


def test_every_country_and_sea_in_view_is_named_not_only_the_biggest(ds):
    # The opening view holds a corner of Oman and two seas: the Gulf of Oman off Chabahar and
    # the Arabian Sea off Pakistan's coast, whose name point lies just south of the view.
    image = map_figure(ds, on=ON)
    named = {p.label.key for p in image.labels}
    assert {"country:Oman", "sea:Gulf of Oman", "sea:Arabian Sea"} <= named
    (arabian,) = [p for p in image.labels if p.label.key == "sea:Arabian Sea"]
    (gulf,) = [p for p in image.labels if p.label.key == "sea:Gulf of Oman"]
    assert arabian.box.centre[0] > gulf.box.centre[0]  # east of the gulf, off Pakistan
    # The Gabd cluster's sea is the Arabian Sea east of Gwatar Bay, the Gulf of Oman west of it.
    gabd = {p.label.key for p in map_figure(ds, bounds=GABD, on=ON).labels}
    assert "sea:Arabian Sea" in gabd


def test_a_name_stays_beside_its_symbol_on_a_brief_sized_map(ds):
    """On the brief's 900 px map, line avoidance once sent the Mand–Pishin market's name 200 px
    off on a leader, beside the Chadgi cluster, where it read as theirs. Every feature's name
    now sits within the near rings of its own symbol."""
    from geo.labels import NEAR, RINGS

    image = map_figure(ds, on=ON, size=(900, 920))
    for placed in image.labels:
        label = placed.label
        if not label.key.startswith("feature:"):
            continue
        box = placed.box
        dx = max(box.x0 - label.x, 0, label.x - box.x1)
        dy = max(box.y0 - label.y, 0, label.y - box.y1)
        reach = (dx * dx + dy * dy) ** 0.5
        assert reach <= label.radius + RINGS[NEAR - 1] + 1, (label.key, round(reach))


def test_a_market_beside_a_crossing_is_drawn_beside_it_not_under_it(ds):
    """Drawn on its own spot, the Gabd market's square was hidden under the crossing's diamond
    and its name's leader pointed at nothing; it stands beside it, as on the live map."""
    from geo.kinds import KIND_STYLE
    from geo.mapimage import OFFSET_SCALE

    size = MAP_SIZE
    image = map_figure(ds, on=ON, size=size)
    frame = Frame(image.bounds, *layout(size, room(ds, None, size))[:2])
    drawn = {}
    for t in image.figure.data:
        if str(t.meta).startswith("kind:") and t.mode == "markers":
            for lon, lat in zip(t.lon, t.lat, strict=True):
                drawn[(t.meta, round(lon, 4), round(lat, 4))] = frame.px(lon, lat)
    crossing = ds.feature("gabd-rimdan-crossing")
    market = ds.feature("gabd-border-market")
    cx, cy = frame.px(*crossing.geometry["coordinates"][:2])
    px, py = frame.px(*market.geometry["coordinates"][:2])
    assert ((px - cx) ** 2 + (py - cy) ** 2) ** 0.5 < 6  # on its own spot, under the diamond
    [(mx, my)] = [xy for (meta, *_), xy in drawn.items() if meta == "kind:border_market"
                  and abs(xy[0] - cx) < 30 and abs(xy[1] - cy) < 30]  # fmt: skip
    dx, dy = KIND_STYLE["border_market"].offset
    assert abs(mx - px - OFFSET_SCALE * dx) < 0.5 and abs(my - py - OFFSET_SCALE * dy) < 0.5
    # Far enough that most of the 12 px square shows beside the 16 px diamond.
    assert ((mx - cx) ** 2 + (my - cy) ** 2) ** 0.5 >= 12
    # The crossing itself is drawn on its place, on top.
    assert any(
        meta == "kind:crossing" and abs(xy[0] - cx) < 0.01 and abs(xy[1] - cy) < 0.01
        for (meta, *_), xy in drawn.items()
    )
