"""The map image in real Chromium: it downloads after a click, it is the view the reader sees,
and the view travels in the address."""

from __future__ import annotations

import io
import re
from urllib.parse import parse_qs, urlparse

import pytest
from PIL import Image, ImageChops
from playwright.sync_api import expect

from tests.browser import click_feature, map_frame, settled

pytestmark = pytest.mark.browser

PNG = b"\x89PNG\r\n\x1a\n"
VIEW_JS = "[window.map.getCenter().lat, window.map.getCenter().lng, window.map.getZoom()]"


def download(page, name: str = "Download this map") -> tuple[str, bytes]:
    """Click the download button; the file's name and bytes (the test fails on no file)."""
    settled(page)
    with page.expect_download(timeout=120_000) as info:
        page.get_by_role("button", name=name).click()
    d = info.value
    assert d.failure() is None, d.failure()
    return d.suggested_filename, open(d.path(), "rb").read()


def address_view(page) -> list[float] | None:
    raw = parse_qs(urlparse(page.url).query).get("view")
    return [float(x) for x in raw[0].split(",")] if raw else None


def caption(page):
    return page.locator("[data-testid=stCaptionContainer]", has_text="The image shows")


def test_download_this_map_works_after_a_click_and_after_a_page_round_trip(page, app_server, ds):
    page.goto(app_server.url)
    frame = map_frame(page)
    feature = ds.feature("mand-pishin-crossing")
    click_feature(page, frame, feature)  # a click reruns only fragments
    expect(caption(page)).to_contain_text(f"{feature.props.name} highlighted")
    name, data = download(page)
    assert data.startswith(PNG) and Image.open(io.BytesIO(data)).size == (1800, 1300)
    assert re.fullmatch(r"iran-pakistan-atlas-map-(\d{4}-\d{2}-\d{2}|undated)\.png", name)
    # The panel's own deferred download survives the click as well.
    pack_name, pack = download(page, "Download this feature's data (ZIP)")
    assert pack.startswith(b"PK") and pack_name.endswith(".zip")
    # A second click, then the same download as PDF.
    click_feature(page, frame, ds.feature("gwadar-port"))
    page.get_by_text("PDF", exact=True).click()
    expect(page.get_by_role("button", name=re.compile("^Download this map \\(PDF"))).to_be_visible()
    name, data = download(page)
    assert data.startswith(b"%PDF") and name.endswith(".pdf")
    page.get_by_role("link", name="Figures").click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Iran–Pakistan Corridor Atlas")
    page.get_by_role("link", name="Map").click()
    map_frame(page)
    name, data = download(page)
    assert data.startswith(b"%PDF")
    assert "MediaFileStorageError" not in app_server.log()
    assert "not found" not in app_server.log()


def test_the_view_is_in_the_address_kept_across_pages_and_restored_from_a_link(
    page, app_server, chromium
):
    page.goto(app_server.url)
    frame = map_frame(page)
    expect(caption(page)).to_contain_text("zoom")  # the map has reported its opening view
    assert address_view(page) is None  # the plain page keeps a plain address
    opening_zoom = frame.evaluate(VIEW_JS)[2]
    frame.locator(".leaflet-control-zoom-in").click()
    page.wait_for_function("() => new URLSearchParams(location.search).has('view')")
    frame.wait_for_timeout(300)  # Leaflet's zoom animation ends before the address is written
    lat, lon, zoom = address_view(page)
    live = frame.evaluate(VIEW_JS)
    assert zoom > opening_zoom
    assert abs(live[0] - lat) < 1e-3 and abs(live[1] - lon) < 1e-3 and live[2] == zoom
    expect(caption(page)).to_contain_text(f"zoom {zoom:g}")
    # Map → Figures → Map: the map opens where the reader left it, and says so in the address.
    page.get_by_role("link", name="Figures").click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Iran–Pakistan Corridor Atlas")
    page.get_by_role("link", name="Map").click()
    frame = map_frame(page)
    page.wait_for_function("() => new URLSearchParams(location.search).has('view')")
    back = frame.evaluate(VIEW_JS)
    # Within a pixel or two: Leaflet rounds the map's origin to whole pixels.
    assert back[2] == zoom and abs(back[0] - lat) < 0.01 and abs(back[1] - lon) < 0.01
    assert address_view(page)[2] == zoom
    assert abs(address_view(page)[0] - lat) < 0.01 and abs(address_view(page)[1] - lon) < 0.01
    # A colleague opens the shared link in another browser: the same view.
    other = chromium.new_context(viewport={"width": 1000, "height": 900})
    try:
        colleague = other.new_page()
        colleague.goto(f"{app_server.url}/?view=26.0594,61.8328,8.25&feature=mand-pishin-crossing")
        cf = map_frame(colleague)
        colleague.wait_for_function("() => new URLSearchParams(location.search).has('feature')")
        got = cf.evaluate(VIEW_JS)
        assert abs(got[0] - 26.0594) < 1e-3 and abs(got[1] - 61.8328) < 1e-3 and got[2] == 8.25
        assert address_view(colleague) == [26.0594, 61.8328, 8.25]
        # A broken view is named, and the map opens as usual.
        colleague.goto(f"{app_server.url}/?view=99,abc,<b>")
        cf = map_frame(colleague)
        expect(colleague.get_by_text(re.compile("is not <lat>,<lon>,<zoom>"))).to_be_visible()
        assert address_view(colleague) is None and cf.evaluate(VIEW_JS)[2] <= 7.5
    finally:
        other.close()


def test_the_image_of_a_zoomed_view_differs_from_the_opening_views(page, app_server):
    page.goto(app_server.url)
    frame = map_frame(page)
    expect(caption(page)).to_contain_text("zoom")  # the map has reported its opening view
    _, opening = download(page)
    for _ in range(2):
        frame.locator(".leaflet-control-zoom-in").click()
        frame.wait_for_timeout(400)
    zoom = frame.evaluate(VIEW_JS)[2]
    expect(caption(page)).to_contain_text(f"zoom {zoom:g}")
    _, zoomed = download(page)
    a, b = (Image.open(io.BytesIO(x)).convert("RGB") for x in (opening, zoomed))
    assert a.size == b.size == (1800, 1300)
    # The map area (above the legend and footer) is a different picture, not a re-dated copy.
    box = (20, 70, 1780, 1000)
    diff = ImageChops.difference(a.crop(box), b.crop(box)).convert("L")
    changed = sum(diff.point(lambda v: 255 if v > 40 else 0).histogram()[255:])
    assert changed > 0.01 * (box[2] - box[0]) * (box[3] - box[1]), changed
